//! Events: every change of an object's state is recorded as the event
//! type the spec lists for it (`identity.verification_session.verified`),
//! with `data.object` as the object is at that moment (as the API shows it
//! unexpanded) and `data.previous_attributes` holding the values the change
//! replaced. A change the spec has no event type for (a session's update:
//! there is no `identity.verification_session.updated`) records nothing.
//!
//! The events API serves them from the store like any other resource;
//! each is then delivered to the webhook endpoints whose `enabled_events`
//! match ([`super::webhooks`]).

use serde_json::{json, Map, Value};

use super::errors::ApiFailure;
use super::expand;
use super::schema;
use super::state::{Shared, State};
use super::webhooks;

/// The object name of events.
pub(crate) const EVENT: &str = "event";

/// The API request that caused an event (`request` on the event).
#[derive(Clone, Debug, Default)]
pub(crate) struct Cause {
    pub(crate) request_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

/// An event recorded and waiting to be delivered.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) id: String,
    pub(crate) event_type: &'static str,
}

/// Records the event for `action` of the object `now` (as stored) of kind
/// `object`, if the spec lists one; `before` is the object before the
/// change (`None` for a creation). Returns the event to deliver.
pub(crate) fn record(
    shared: &Shared,
    state: &mut State,
    object: &str,
    action: &str,
    before: Option<&Value>,
    now: &Value,
    cause: &Cause,
) -> Result<Option<Recorded>, ApiFailure> {
    let Some(event_type) = schema::event_type(object, action) else {
        return Ok(None);
    };
    let Some(def) = schema::resource(object) else {
        return Ok(None);
    };
    let shown = expand::render(&state.store, def, now, &[])?;
    let mut data = Map::new();
    data.insert("object".to_owned(), shown.clone());
    if let Some(before) = before {
        let before = expand::render(&state.store, def, before, &[])?;
        let changed = previous_attributes(&before, &shown);
        if !changed.is_empty() {
            data.insert("previous_attributes".to_owned(), Value::Object(changed));
        }
    }
    let id = shared.ids.next("evt_");
    let created = shared.clock.now();
    let event = json!({
        "id": id,
        "object": EVENT,
        "api_version": crate::API_VERSION,
        "created": created,
        "data": data,
        "livemode": false,
        "pending_webhooks": webhooks::matching(&state.endpoints, event_type.name).count(),
        "request": {"id": cause.request_id, "idempotency_key": cause.idempotency_key},
        "type": event_type.name,
    });
    state.store.insert(EVENT, created, event)?;
    Ok(Some(Recorded {
        id,
        event_type: event_type.name,
    }))
}

/// The values of `before` that differ in `after`: a changed field with its
/// old value, a field that appeared with `null`; nested objects (such as
/// `metadata`) only with their changed keys, arrays whole.
pub(crate) fn previous_attributes(before: &Value, after: &Value) -> Map<String, Value> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return Map::new();
    };
    let mut changed = Map::new();
    for (key, old) in before {
        match (old, after.get(key)) {
            (_, Some(new)) if new == old => {}
            (Value::Object(_), Some(new @ Value::Object(_))) => {
                changed.insert(key.clone(), Value::Object(previous_attributes(old, new)));
            }
            _ => {
                changed.insert(key.clone(), old.clone());
            }
        }
    }
    for key in after.keys().filter(|k| !before.contains_key(*k)) {
        changed.insert(key.clone(), Value::Null);
    }
    changed
}

/// The filters of the events API that are not fields of the event:
/// `types` (any of these types), `delivery_success` (whether every
/// delivery to every endpoint succeeded), and `type` with `*` wildcards.
pub(crate) fn matches_filter(
    state: &State,
    event: &Value,
    name: &str,
    wanted: &Value,
) -> Option<bool> {
    let event_type = event["type"].as_str().unwrap_or_default();
    match name {
        "type" => Some(wildcard(wanted.as_str().unwrap_or_default(), event_type)),
        "types" => Some(
            wanted
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t.as_str() == Some(event_type))),
        ),
        "delivery_success" => {
            let id = event["id"].as_str().unwrap_or_default();
            let delivered = webhooks::delivered(state, id);
            Some(wanted.as_bool() == Some(delivered))
        }
        _ => None,
    }
}

/// Stripe's event type filter: `*` matches any run of characters
/// (`identity.verification_session.*`).
fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|i| rest.is_char_boundary(*i))
                .any(|i| wildcard(tail, &rest[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_attributes_hold_what_changed() {
        let before = json!({"status": "requires_input", "metadata": {"a": "1", "b": "2"}, "url": "u", "same": 1});
        let after = json!({"status": "processing", "metadata": {"a": "1", "b": "3"}, "url": null, "same": 1, "new": 2});
        assert_eq!(
            Value::Object(previous_attributes(&before, &after)),
            json!({"status": "requires_input", "metadata": {"b": "2"}, "url": "u", "new": null})
        );
    }

    #[test]
    fn wildcards_match_runs() {
        assert!(wildcard(
            "identity.*",
            "identity.verification_session.verified"
        ));
        assert!(wildcard(
            "*.verified",
            "identity.verification_session.verified"
        ));
        assert!(wildcard("a.b", "a.b"));
        assert!(!wildcard("a.b", "a.c"));
        assert!(!wildcard(
            "*.canceled",
            "identity.verification_session.verified"
        ));
    }
}
