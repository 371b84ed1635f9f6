//! Webhook events decode into typed payloads: every Identity event type into
//! its variant, any other type into the catch-all with its raw JSON, and the
//! envelope's fields as Stripe's own example event has them.

use codegen_tests::{shared_openapi, without_nulls};
use serde_json::{json, Value};
use stripe_identity::models::VerificationSessionStatus;
use stripe_identity::{Event, EventPayload, EventType};

/// Stripe's example objects for the pinned release.
fn fixtures() -> Value {
    let path = shared_openapi().join("fixtures3.v524.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Stripe's example event (a `plan.created`) with `type` and `data.object`
/// replaced, so the envelope is Stripe's own.
fn event(event_type: &str, object: Value) -> Value {
    let mut event = fixtures()["resources"]["event"].clone();
    event["type"] = json!(event_type);
    event["data"]["object"] = object;
    event
}

fn session() -> Value {
    fixtures()["resources"]["identity.verification_session"].clone()
}

fn decode(value: &Value) -> Event {
    serde_json::from_slice(&serde_json::to_vec(value).unwrap()).unwrap()
}

/// The six event types Stripe's Identity documentation lists, written out
/// here rather than taken from the spec the crate was generated from.
const IDENTITY_EVENT_TYPES: [&str; 6] = [
    "identity.verification_session.canceled",
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.redacted",
    "identity.verification_session.requires_input",
    "identity.verification_session.verified",
];

#[test]
fn every_identity_event_type_decodes_into_its_own_variant() {
    for event_type in IDENTITY_EVENT_TYPES {
        let event = decode(&event(event_type, session()));
        assert_eq!(event.type_.as_str(), event_type);
        assert_eq!(event.type_, event.data.object.event_type());
        assert_eq!(event.data.object.event_type().as_str(), event_type);
        assert_eq!(event.data.object.event_type(), EventType::from(event_type));
        assert!(!matches!(
            EventType::from(event_type),
            EventType::Unknown(_)
        ));
        let session = match (event_type, &event.data.object) {
            (
                "identity.verification_session.canceled",
                EventPayload::VerificationSessionCanceled(s),
            )
            | (
                "identity.verification_session.created",
                EventPayload::VerificationSessionCreated(s),
            )
            | (
                "identity.verification_session.processing",
                EventPayload::VerificationSessionProcessing(s),
            )
            | (
                "identity.verification_session.redacted",
                EventPayload::VerificationSessionRedacted(s),
            )
            | (
                "identity.verification_session.requires_input",
                EventPayload::VerificationSessionRequiresInput(s),
            )
            | (
                "identity.verification_session.verified",
                EventPayload::VerificationSessionVerified(s),
            ) => s,
            (t, other) => panic!("{t} decoded as {other:?}"),
        };
        assert_eq!(session.id.as_str(), "vs_1NnmXJGPxmnHQRkJVcb4sPQS");
        assert_eq!(session.status, VerificationSessionStatus::Verified);
    }
}

#[test]
fn the_envelope_keeps_stripes_fields() {
    let event = decode(&event("identity.verification_session.verified", session()));
    assert_eq!(event.id.as_str(), "evt_1NnmXEGPxmnHQRkJO3bak93X");
    assert_eq!(event.created, 1234567890);
    assert!(!event.livemode);
    assert_eq!(event.pending_webhooks, 0);
    assert_eq!(event.api_version, None);
    assert_eq!(event.account, None);
    let request = event.request.as_ref().unwrap();
    assert_eq!(
        (request.id.as_ref(), request.idempotency_key.as_ref()),
        (None, None)
    );
}

#[test]
fn stripes_example_event_of_another_api_lands_in_the_catch_all_with_its_json() {
    let original = fixtures()["resources"]["event"].clone();
    let event = decode(&original);
    match &event.data.object {
        EventPayload::Unknown { type_, object } => {
            assert_eq!(type_, "plan.created");
            assert_eq!(object, &original["data"]["object"]);
        }
        other => panic!("plan.created decoded as {other:?}"),
    }
    assert_eq!(
        event.data.object.event_type(),
        EventType::Unknown("plan.created".to_owned())
    );
    assert_eq!(event.type_, EventType::Unknown("plan.created".to_owned()));
    // Nothing is lost: the event serializes back to what Stripe sent, but
    // for the envelope's `null`s.
    let back = serde_json::to_value(&event).unwrap();
    assert_eq!(back["data"], original["data"]);
    assert_eq!(without_nulls(&back), without_nulls(&original));
}

#[test]
fn an_identity_event_type_newer_than_the_spec_is_kept_not_refused() {
    let event = decode(&event(
        "identity.verification_session.expired",
        json!({"id": "vs_9", "object": "identity.verification_session", "anything": [1, 2]}),
    ));
    let EventPayload::Unknown { type_, object } = &event.data.object else {
        panic!("a type the spec does not list must land in the catch-all");
    };
    assert_eq!(type_, "identity.verification_session.expired");
    assert_eq!(object["anything"], json!([1, 2]));
    assert_eq!(
        event.type_,
        EventType::Unknown("identity.verification_session.expired".to_owned())
    );
    assert_eq!(
        event.data.object.event_type().to_string(),
        "identity.verification_session.expired"
    );
}

#[test]
fn previous_attributes_are_readable() {
    let mut value = event("identity.verification_session.requires_input", session());
    value["data"]["previous_attributes"] = json!({"status": "processing", "last_error": null});
    let event = decode(&value);
    let previous = event.data.previous_attributes.as_ref().unwrap();
    assert_eq!(previous["status"], "processing");
    assert_eq!(previous["last_error"], Value::Null);
    let back = serde_json::to_value(&event).unwrap();
    assert_eq!(
        back["data"]["previous_attributes"],
        value["data"]["previous_attributes"]
    );
}

#[test]
fn requires_input_carries_the_last_error() {
    let mut object = session();
    object["status"] = json!("requires_input");
    object["last_error"] =
        json!({"code": "document_expired", "reason": "The document is expired."});
    let event = decode(&event(
        "identity.verification_session.requires_input",
        object,
    ));
    let EventPayload::VerificationSessionRequiresInput(session) = &event.data.object else {
        panic!("wrong variant");
    };
    let error = session.last_error.as_ref().unwrap();
    assert_eq!(
        error.code.as_ref().map(|c| c.as_str()),
        Some("document_expired")
    );
}

#[test]
fn a_known_type_with_a_broken_object_is_an_error_naming_the_path() {
    let mut object = session();
    object["created"] = json!("yesterday");
    let bytes =
        serde_json::to_vec(&event("identity.verification_session.verified", object)).unwrap();
    let error = serde_json::from_slice::<Event>(&bytes)
        .unwrap_err()
        .to_string();
    assert!(error.contains("data.object.created"), "{error}");
    assert!(error.contains("invalid type"), "{error}");
}

#[test]
fn debug_never_shows_the_raw_json_of_an_unknown_object() {
    let event = decode(&event(
        "customer.created",
        json!({"id": "cus_1", "object": "customer", "email": "jenny.rosen@example.com"}),
    ));
    let debug = format!("{event:?}");
    assert!(debug.contains("customer.created"), "{debug}");
    assert!(!debug.contains("jenny.rosen"), "{debug}");
}

#[test]
fn secrets_of_a_session_in_an_event_stay_redacted_in_debug() {
    let mut object = session();
    object["client_secret"] = json!("vs_1_secret_live_abc");
    object["url"] = json!("https://verify.stripe.com/start/secret-path");
    let event = decode(&event("identity.verification_session.created", object));
    let debug = format!("{event:?}");
    assert!(!debug.contains("vs_1_secret_live_abc"), "{debug}");
    assert!(!debug.contains("secret-path"), "{debug}");
}

#[test]
fn envelope_fields_newer_than_the_spec_are_kept() {
    // Newer API versions add `context` to events (the account or
    // organization an event belongs to); the pinned spec does not know it.
    let mut value = event("identity.verification_session.verified", session());
    value["context"] = json!("acct_1");
    value["data"]["note"] = json!({"a": 1});
    let event = decode(&value);
    assert_eq!(event.extra_field("context"), Some(&json!("acct_1")));
    assert_eq!(event.data.extra_field("note"), Some(&json!({"a": 1})));
    let back = serde_json::to_value(&event).unwrap();
    assert_eq!(without_nulls(&back), without_nulls(&value));
}
