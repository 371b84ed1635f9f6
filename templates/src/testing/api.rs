//! Answering one API request: authentication, the route, the parameters,
//! idempotency, then the operation on the stored state, in Stripe's order.
//!
//! Sessions are created, updated, canceled and redacted by
//! [`super::lifecycle`]; every resource (sessions, reports, events) is
//! retrieved and listed here, generically, from the store.

use serde_json::{json, Map, Value};

use super::auth;
use super::errors::ApiFailure;
use super::events::{self, Cause, Recorded};
use super::expand;
use super::idempotency::{Fingerprint, Saved};
use super::lifecycle::{self, Change, SESSION};
use super::params::{self, Node};
use super::routes::{self, Route};
use super::schema;
use super::shape::{ResponseShape, StructShape};
use super::state::{Shared, State};
use super::store::{self, Page};
use super::validate;

/// A list's page size when the request names none.
const DEFAULT_LIMIT: usize = 10;
/// List parameters that are not filters.
const PAGINATION: [&str; 5] = [
    "created",
    "ending_before",
    "expand",
    "limit",
    "starting_after",
];

/// An HTTP request as the server read it.
#[derive(Debug)]
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) authorization: Option<&'a str>,
    pub(crate) idempotency_key: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// What to answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) request_id: String,
    /// Set on a replay of a saved idempotent response.
    pub(crate) replayed: bool,
    /// Events to deliver once the answer is sent.
    pub(crate) events: Vec<Recorded>,
}

/// Answers one request under the state's lock.
pub(crate) fn answer(
    shared: &Shared,
    state: &mut State,
    incoming: &Incoming<'_>,
    request_id: String,
) -> Answer {
    let mut events = Vec::new();
    let outcome = run(shared, state, incoming, &request_id, &mut events);
    let (status, body, replayed, request_id) = match outcome {
        Ok(Reply::Fresh(status, body)) => (status, body, false, request_id),
        Ok(Reply::Replayed(saved)) => (saved.status, saved.body, true, saved.request_id),
        Err(failure) => (
            failure.status,
            failure.body().to_string(),
            false,
            request_id,
        ),
    };
    Answer {
        status,
        body,
        request_id,
        replayed,
        events,
    }
}

enum Reply {
    Fresh(u16, String),
    Replayed(Saved),
}

fn run(
    shared: &Shared,
    state: &mut State,
    incoming: &Incoming<'_>,
    request_id: &str,
    events: &mut Vec<Recorded>,
) -> Result<Reply, ApiFailure> {
    auth::check(incoming.authorization)?;
    let route = routes::find(incoming.method, incoming.path)?;
    let given = parameters(incoming, &route)?;
    let key = incoming
        .idempotency_key
        .filter(|_| routes::has_body(route.op));
    let fingerprint = Fingerprint {
        method: route.op.method.as_str(),
        path: incoming.path.to_owned(),
        params: params::fingerprint(&given),
    };
    if let Some(key) = key {
        if let Some(saved) = state.idempotency.replay(key, &fingerprint)? {
            return Ok(Reply::Replayed(saved));
        }
    }
    routes::check_ids(&route)?;
    let checked = validate::params(route.op.params, &given)?;
    let cause = Cause {
        request_id: Some(request_id.to_owned()),
        idempotency_key: key.map(str::to_owned),
    };
    if routes::has_body(route.op) {
        state.store.check_room(lifecycle::MAX_NEW_OBJECTS)?;
    }
    let mut change = Change::new(shared, state, cause);
    let result = dispatch(&mut change, &route, &checked);
    events.append(&mut change.events);
    let (status, body) = match result {
        Ok(value) => (200, value.to_string()),
        Err(failure) => (failure.status, failure.body().to_string()),
    };
    if let Some(key) = key {
        let saved = Saved {
            status,
            body: body.clone(),
            request_id: request_id.to_owned(),
        };
        state.idempotency.save(key.to_owned(), fingerprint, saved);
    }
    Ok(Reply::Fresh(status, body))
}

/// The request's parameters: the query string, and for a POST the form body too.
fn parameters(incoming: &Incoming<'_>, route: &Route) -> Result<Vec<(String, Node)>, ApiFailure> {
    let form_error = |e: params::FormError| {
        let failure = ApiFailure::invalid(e.message);
        match e.param {
            Some(param) if failure.message.starts_with("Received unknown") => {
                failure.code("parameter_unknown").param(param)
            }
            Some(param) => failure.param(param),
            None => failure,
        }
    };
    let mut given = params::parse(incoming.query).map_err(form_error)?;
    if routes::has_body(route.op) && !incoming.body.is_empty() {
        let text = std::str::from_utf8(incoming.body)
            .map_err(|_| ApiFailure::invalid("Invalid request: the body must be valid UTF-8."))?;
        given.extend(params::parse(text).map_err(form_error)?);
    }
    Ok(given)
}

/// Runs the operation on the state.
fn dispatch(
    change: &mut Change<'_>,
    route: &Route,
    params: &Map<String, Value>,
) -> Result<Value, ApiFailure> {
    let op = route.op;
    let expand = expand_paths(params);
    let session = match (op.object, op.verb) {
        (Some(SESSION), "create") => lifecycle::create(change, params)?,
        (Some(SESSION), "update") => lifecycle::update(change, route.id(), params)?,
        (Some(SESSION), "cancel") => lifecycle::cancel(change, route.id())?,
        (Some(SESSION), "redact") => lifecycle::redact(change, route.id())?,
        (_, "retrieve") => return retrieve(change.state, route, &expand),
        (_, "list") => return list(change.state, route, params, &expand),
        _ => {
            return Err(ApiFailure::invalid(format!(
                "The Stripe test double does not simulate {} ({} {}).",
                op.operation_id,
                op.method.as_str(),
                op.path
            )))
        }
    };
    render(change.state, op.response_struct(), &session, &expand)
}

/// The `expand` parameter's paths.
fn expand_paths(params: &Map<String, Value>) -> Vec<String> {
    params
        .get("expand")
        .and_then(Value::as_array)
        .map(|paths| {
            paths
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn render(
    state: &State,
    def: Option<&'static StructShape>,
    json: &Value,
    expand: &[String],
) -> Result<Value, ApiFailure> {
    let paths: Vec<&str> = expand.iter().map(String::as_str).collect();
    match def {
        Some(def) => expand::render(&state.store, def, json, &paths),
        None => Ok(json.clone()),
    }
}

/// `GET …/{id}` of any resource.
fn retrieve(state: &State, route: &Route, expand: &[String]) -> Result<Value, ApiFailure> {
    let (name, id) = route
        .path
        .first()
        .map(|(name, id)| (*name, id.as_str()))
        .unwrap_or(("id", ""));
    let def = route.op.response_struct();
    let object = def
        .and_then(|d| d.object)
        .or(route.op.object)
        .unwrap_or_default();
    let found = state
        .store
        .get(object, id)
        .ok_or_else(|| ApiFailure::no_such(object, id, name, true))?;
    render(state, def, found, expand)
}

/// `GET` of a list of any resource: filters, then a page by cursor.
fn list(
    state: &State,
    route: &Route,
    params: &Map<String, Value>,
    expand: &[String],
) -> Result<Value, ApiFailure> {
    let ResponseShape::List(item) = route.op.response else {
        return Err(ApiFailure::invalid("not a list"));
    };
    let def = schema::as_struct(item);
    let object = def.and_then(|d| d.object).unwrap_or_default();
    let cursor = |name: &str| -> Result<Option<store::Position>, ApiFailure> {
        let Some(id) = params.get(name).and_then(Value::as_str) else {
            return Ok(None);
        };
        match state.store.position(object, id) {
            Some(position) => Ok(Some(position)),
            None => Err(ApiFailure::no_such(object, id, name, false)),
        }
    };
    let page = Page {
        limit: params
            .get("limit")
            .and_then(Value::as_u64)
            .map_or(DEFAULT_LIMIT, |l| {
                usize::try_from(l).unwrap_or(DEFAULT_LIMIT)
            }),
        starting_after: cursor("starting_after")?,
        ending_before: cursor("ending_before")?,
    };
    let mut items = Vec::new();
    for entry in state.store.all(object) {
        if keep(state, &entry.json, entry.created, params)? {
            items.push(entry);
        }
    }
    let (page_items, has_more) = store::page(&items, &page);
    let item_paths = list_expand(expand)?;
    let data: Result<Vec<Value>, ApiFailure> = page_items
        .iter()
        .map(|entry| render(state, def, &entry.json, &item_paths))
        .collect();
    Ok(json!({
        "object": "list",
        "data": data?,
        "has_more": has_more,
        "url": route.op.path,
    }))
}

/// A list's `expand` paths without their `data.` prefix, which each must have.
fn list_expand(expand: &[String]) -> Result<Vec<String>, ApiFailure> {
    expand
        .iter()
        .map(|path| {
            path.strip_prefix("data.")
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiFailure::invalid(format!("This property cannot be expanded ({path})."))
                })
        })
        .collect()
}

/// Whether an object passes a list's filters: `created` (a time or a
/// range), the events API's own filters, and any other parameter as equal
/// to the object's field of that name (`status`, `type`,
/// `verification_session`).
fn keep(
    state: &State,
    json: &Value,
    created: i64,
    params: &Map<String, Value>,
) -> Result<bool, ApiFailure> {
    if let Some(range) = params.get("created") {
        if !in_range(created, range) {
            return Ok(false);
        }
    }
    for (name, wanted) in params
        .iter()
        .filter(|(n, _)| !PAGINATION.contains(&n.as_str()))
    {
        let kept = if json["object"] == events::EVENT {
            events::matches_filter(state, json, name, wanted)
        } else {
            None
        };
        let kept = match kept {
            Some(kept) => kept,
            None if json.get(name).is_some() => json[name.as_str()] == *wanted,
            None => {
                return Err(ApiFailure::invalid(format!(
                    "The Stripe test double cannot filter lists by {name}."
                ))
                .param(name.clone()))
            }
        };
        if !kept {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Stripe's `created` filter: a time, or `{gt, gte, lt, lte}`.
fn in_range(created: i64, range: &Value) -> bool {
    if let Some(exact) = range.as_i64() {
        return created == exact;
    }
    let holds =
        |name: &str, test: fn(i64, i64) -> bool| match range.get(name).and_then(Value::as_i64) {
            Some(bound) => test(created, bound),
            None => true,
        };
    holds("gt", |c, b| c > b)
        && holds("gte", |c, b| c >= b)
        && holds("lt", |c, b| c < b)
        && holds("lte", |c, b| c <= b)
}

impl super::shape::OperationSpec {
    /// The struct an object response holds.
    fn response_struct(&self) -> Option<&'static StructShape> {
        match self.response {
            ResponseShape::Object(shape) => schema::as_struct(shape),
            ResponseShape::List(_) => None,
        }
    }
}
