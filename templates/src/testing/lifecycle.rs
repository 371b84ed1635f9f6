//! The VerificationSession lifecycle, per Stripe's API reference
//! (`../shared/api-docs/003_f86b805f3c86ec20.txt` and
//! `002_5af53f0bfc5a5a84.txt`):
//!
//! - a created session is `requires_input`, with a `client_secret` and a
//!   `url` (which it has only while it is `requires_input`);
//! - the person submits: `processing`; checks pass: `verified`, with
//!   `verified_outputs` and a new `last_verification_report`; a check
//!   fails: back to `requires_input` with `last_error`, a report of the
//!   attempt, and a fresh `client_secret` and `url` to retry with;
//! - "A VerificationSession object can be canceled when it is in
//!   requires_input status": `canceled`, without `client_secret` or `url`;
//! - "When the session status is requires_input, you can use this method to
//!   update the verification check and options";
//! - "A VerificationSession object can be redacted when it is in
//!   requires_input or verified status. Redacting a VerificationSession in
//!   requires_input state will automatically cancel it." Its
//!   `redaction.status` is `processing`, then `redacted` (with the
//!   `identity.verification_session.redacted` event), and "Redacted objects
//!   cannot be updated or used for any purpose".
//!
//! Every change goes through [`Change::save`], which records the event of
//! the change. The refusals are Stripe's 400 `invalid_request_error`,
//! worded on the model of Stripe's PaymentIntent state refusals.

use serde_json::{json, Map, Value};

use super::errors::ApiFailure;
use super::events::{self, Cause, Recorded};
use super::objects;
use super::redaction;
use super::reports::{self, Outcome};
use super::schema;
use super::shape::StructShape;
use super::state::{Shared, State};

/// The object name of sessions.
pub(crate) const SESSION: &str = "identity.verification_session";
/// The object name of reports.
pub(crate) const REPORT: &str = "identity.verification_report";

pub(crate) const REQUIRES_INPUT: &str = "requires_input";
pub(crate) const PROCESSING: &str = "processing";
pub(crate) const VERIFIED: &str = "verified";
pub(crate) const CANCELED: &str = "canceled";

/// The most objects one change stores: a report and its session's
/// `processing` and outcome events (a creation stores two).
pub(crate) const MAX_NEW_OBJECTS: usize = 3;

/// One change to the state, with the events it recorded.
pub(crate) struct Change<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) state: &'a mut State,
    pub(crate) cause: Cause,
    pub(crate) events: Vec<Recorded>,
}

impl<'a> Change<'a> {
    pub(crate) fn new(shared: &'a Shared, state: &'a mut State, cause: Cause) -> Self {
        Change {
            shared,
            state,
            cause,
            events: Vec::new(),
        }
    }

    /// The session's shape from the spec table.
    pub(crate) fn session_shape(&self) -> Result<&'static StructShape, ApiFailure> {
        schema::resource(SESSION).ok_or_else(|| ApiFailure::invalid("no sessions in this spec"))
    }

    /// The stored session, or Stripe's 404.
    pub(crate) fn session(&self, id: &str) -> Result<Value, ApiFailure> {
        self.state
            .store
            .get(SESSION, id)
            .cloned()
            .ok_or_else(|| ApiFailure::no_such(SESSION, id, "session", true))
    }

    /// Stores a new object of kind `object` and records its `created` event.
    pub(crate) fn insert(&mut self, object: &str, json: Value) -> Result<(), ApiFailure> {
        let created = json["created"]
            .as_i64()
            .unwrap_or_else(|| self.shared.clock.now());
        self.state.store.insert(object, created, json.clone())?;
        self.event(object, "created", None, &json)
    }

    /// Replaces a stored session with `after`, recording the event of
    /// `action` (when the spec lists one) with what changed since `before`.
    pub(crate) fn save(
        &mut self,
        action: Option<&str>,
        before: &Value,
        after: Value,
    ) -> Result<(), ApiFailure> {
        let id = after["id"].as_str().unwrap_or_default().to_owned();
        if let Some(slot) = self.state.store.get_mut(SESSION, &id) {
            *slot = after.clone();
        }
        match action {
            Some(action) => self.event(SESSION, action, Some(before), &after),
            None => Ok(()),
        }
    }

    fn event(
        &mut self,
        object: &str,
        action: &str,
        before: Option<&Value>,
        now: &Value,
    ) -> Result<(), ApiFailure> {
        let recorded = events::record(
            self.shared,
            self.state,
            object,
            action,
            before,
            now,
            &self.cause,
        )?;
        self.events.extend(recorded);
        Ok(())
    }

    /// A fresh `client_secret` and `url` for a session that takes input.
    fn open(&self, session: &mut Value) {
        let id = session["id"].as_str().unwrap_or_default();
        let mut secret = format!("{id}_secret_test_");
        self.shared.ids.push_random(&mut secret, 24);
        let mut url = "https://verify.stripe.com/start/test_".to_owned();
        self.shared.ids.push_random(&mut url, 48);
        session["client_secret"] = Value::String(secret);
        session["url"] = Value::String(url);
    }
}

/// `POST /v1/identity/verification_sessions`.
pub(crate) fn create(
    change: &mut Change<'_>,
    params: &Map<String, Value>,
) -> Result<Value, ApiFailure> {
    let def = change.session_shape()?;
    let now = change.shared.clock.now();
    let ids = &change.shared.ids;
    let mut session = objects::skeleton(def, now, &mut |prefix| ids.next(prefix));
    session["status"] = json!(REQUIRES_INPUT);
    apply_params(def, &mut session, params);
    if session.get("options").is_some_and(Value::is_null) {
        session["options"] = json!({});
    }
    change.open(&mut session);
    change.insert(SESSION, session.clone())?;
    Ok(session)
}

/// `POST /v1/identity/verification_sessions/{session}`.
pub(crate) fn update(
    change: &mut Change<'_>,
    id: &str,
    params: &Map<String, Value>,
) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "updated", &[REQUIRES_INPUT])?;
    let def = change.session_shape()?;
    let mut after = before.clone();
    apply_params(def, &mut after, params);
    change.save(Some("updated"), &before, after.clone())?;
    Ok(after)
}

/// `POST /v1/identity/verification_sessions/{session}/cancel`.
pub(crate) fn cancel(change: &mut Change<'_>, id: &str) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "canceled", &[REQUIRES_INPUT])?;
    let mut after = before.clone();
    close(&mut after, CANCELED);
    change.save(Some(CANCELED), &before, after.clone())?;
    Ok(after)
}

/// `POST /v1/identity/verification_sessions/{session}/redact`: starts the
/// redaction; [`finish_redaction`] completes it.
pub(crate) fn redact(change: &mut Change<'_>, id: &str) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "redacted", &[REQUIRES_INPUT, VERIFIED])?;
    let mut after = before.clone();
    after["redaction"] = json!({"status": "processing"});
    let action = if status(&before) == REQUIRES_INPUT {
        close(&mut after, CANCELED);
        Some(CANCELED)
    } else {
        None
    };
    change.save(action, &before, after.clone())?;
    Ok(after)
}

/// The person submits: `requires_input` to `processing`.
pub(crate) fn submit(change: &mut Change<'_>, id: &str) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "submitted", &[REQUIRES_INPUT])?;
    let mut after = before.clone();
    close(&mut after, PROCESSING);
    change.save(Some(PROCESSING), &before, after.clone())?;
    Ok(after)
}

/// Processing ends: a report of the checks, then `verified`, or
/// `requires_input` with `last_error` when a check failed.
pub(crate) fn conclude(
    change: &mut Change<'_>,
    id: &str,
    outcome: &Outcome,
) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "concluded", &[PROCESSING])?;
    let def = change.session_shape()?;
    let report = reports::build(change.shared, &before, outcome)?;
    let report_id = report["id"].as_str().unwrap_or_default().to_owned();
    change.insert(REPORT, report)?;
    let mut after = before.clone();
    after["last_verification_report"] = json!(report_id);
    match &outcome.failure {
        None => {
            after["status"] = json!(VERIFIED);
            after["last_error"] = Value::Null;
            if let Some(outputs) = reports::verified_outputs(def, &before, &outcome.person) {
                after["verified_outputs"] = outputs;
            }
        }
        Some(failure) => {
            after["status"] = json!(REQUIRES_INPUT);
            after["last_error"] = json!({"code": failure.code, "reason": failure.reason});
            change.open(&mut after);
        }
    }
    let action = status(&after).to_owned();
    change.save(Some(&action), &before, after.clone())?;
    Ok(after)
}

/// A failure of the session itself rather than of a check (the person
/// abandoned the flow, declined consent, ...): `requires_input` with
/// `last_error`, no report.
pub(crate) fn interrupt(
    change: &mut Change<'_>,
    id: &str,
    code: &str,
    reason: &str,
) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    refuse_unless(&before, "interrupted", &[REQUIRES_INPUT, PROCESSING])?;
    let mut after = before.clone();
    after["status"] = json!(REQUIRES_INPUT);
    after["last_error"] = json!({"code": code, "reason": reason});
    change.open(&mut after);
    change.save(Some(REQUIRES_INPUT), &before, after.clone())?;
    Ok(after)
}

/// Completes a redaction: personal data becomes placeholders on the
/// session, its reports and its events; `redaction.status` is `redacted`.
pub(crate) fn finish_redaction(change: &mut Change<'_>, id: &str) -> Result<Value, ApiFailure> {
    let before = change.session(id)?;
    if before["redaction"]["status"] != "processing" {
        return Err(ApiFailure::invalid(format!(
            "This VerificationSession has no redaction in progress (its redaction is {}).",
            before["redaction"]
        )));
    }
    let def = change.session_shape()?;
    let mut after = before.clone();
    redaction::redact(def, &mut after);
    after["redaction"] = json!({"status": "redacted"});
    redact_related(change.state, id);
    // The event says only that the redaction finished: the values it
    // replaced are the personal data it removed.
    let mut shown_before = after.clone();
    shown_before["redaction"] = json!({"status": "processing"});
    change.save(Some("redacted"), &shown_before, after.clone())?;
    Ok(after)
}

/// Redacts the session's reports and the events that carry the session.
fn redact_related(state: &mut State, session: &str) {
    if let Some(def) = schema::resource(REPORT) {
        for report in state.store.all_mut(REPORT) {
            if report["verification_session"] == session {
                redaction::redact(def, report);
            }
        }
    }
    let Some(def) = schema::resource(SESSION) else {
        return;
    };
    for event in state.store.all_mut(events::EVENT) {
        if event["data"]["object"]["id"] == session {
            redaction::redact(def, &mut event["data"]["object"]);
            if let Some(previous) = event["data"].get_mut("previous_attributes") {
                redaction::redact(def, previous);
            }
        }
    }
}

/// Leaves `requires_input`: the session no longer takes input.
fn close(session: &mut Value, new_status: &str) {
    session["status"] = json!(new_status);
    session["client_secret"] = Value::Null;
    session["url"] = Value::Null;
}

pub(crate) fn status(session: &Value) -> &str {
    session["status"].as_str().unwrap_or_default()
}

/// Stripe's 400 for an action the session's state does not allow.
pub(crate) fn refuse_unless(
    session: &Value,
    action: &str,
    allowed: &[&str],
) -> Result<(), ApiFailure> {
    if !session["redaction"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "This VerificationSession has been redacted and cannot be {action}."
        )));
    }
    let status = status(session);
    if allowed.contains(&status) {
        return Ok(());
    }
    let (with, list) = match allowed {
        [one] => (format!("a status of {one}"), String::new()),
        _ => (
            "one of the following statuses".to_owned(),
            format!(": {}", allowed.join(", ")),
        ),
    };
    Err(ApiFailure::invalid(format!(
        "This VerificationSession cannot be {action} because it has a status of {status}. Only \
         a VerificationSession with {with} can be {action}{list}."
    )))
}

/// Sets what the create and update parameters set: `type`, `options` and
/// `metadata` (merged: an empty value unsets a key, an empty `metadata`
/// all of them). Only fields the session's shape has are written.
fn apply_params(def: &StructShape, session: &mut Value, params: &Map<String, Value>) {
    if let (Some(kind), Some(_)) = (params.get("type"), def.field("type")) {
        session["type"] = kind.clone();
    }
    if let (Some(options), Some(shape)) =
        (params.get("options"), schema::field_struct(def, "options"))
    {
        let current = session.get("options").filter(|o| o.is_object()).cloned();
        session["options"] = merge_options(shape, current.unwrap_or_else(|| json!({})), options);
    }
    match params.get("metadata") {
        Some(Value::String(_)) => session["metadata"] = json!({}),
        Some(Value::Object(changes)) => {
            let metadata = &mut session["metadata"];
            if !metadata.is_object() {
                *metadata = json!({});
            }
            for (key, value) in changes {
                match value.as_str() {
                    Some("") => {
                        metadata.as_object_mut().map(|m| m.remove(key));
                    }
                    _ => metadata[key] = value.clone(),
                }
            }
        }
        _ => {}
    }
}

/// Each check's options given replace that check's options; `""` removes
/// them. Only checks the session's options shape has are kept.
fn merge_options(shape: &StructShape, mut current: Value, given: &Value) -> Value {
    let Some(given) = given.as_object() else {
        return current;
    };
    for (check, value) in given {
        if shape.field(check).is_none() {
            continue;
        }
        match value {
            Value::String(empty) if empty.is_empty() => {
                current.as_object_mut().map(|o| o.remove(check));
            }
            _ => current[check] = value.clone(),
        }
    }
    current
}
