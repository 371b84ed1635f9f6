//! Events rendered in another API version than the crate's (2023-08-16, the
//! `info.version` of the pinned spec v524): the event says so through
//! `Event::api_version_mismatch`, and a delivery that does not decode names
//! the event's version in its error.

use codegen_tests::shared_openapi;
use serde_json::{json, Value};
use stripe_identity::testing::generate_test_header;
use stripe_identity::{Event, Webhook, WebhookError, API_VERSION};

const SECRET: &str = "whsec_event_api_version";
const T: i64 = 1_700_000_000;

/// The API version of the pinned spec, from `../shared`'s README table.
const PINNED: &str = "2023-08-16";
/// A later Stripe API version.
const LATER: &str = "2024-06-20";

fn fixtures() -> Value {
    let path = shared_openapi().join("fixtures3.v524.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Stripe's example event, as a verified-session event of `api_version`.
fn event(api_version: Value) -> Value {
    let fixtures = fixtures();
    let mut event = fixtures["resources"]["event"].clone();
    event["type"] = json!("identity.verification_session.verified");
    event["data"]["object"] = fixtures["resources"]["identity.verification_session"].clone();
    event["api_version"] = api_version;
    event
}

/// A `Stripe-Signature` for `body` at `T`, made by the runtime's own
/// signer: the signing is checked in `webhook_signature.rs` and, against
/// Python's `hmac`, in `double_webhooks.rs`; here it only gets a body past it.
fn signed(body: &[u8]) -> String {
    generate_test_header(body, SECRET, T)
}

fn construct(event: &Value) -> Result<Event, WebhookError> {
    let body = event.to_string();
    Webhook::new(SECRET).construct_event_at(body.as_bytes(), &signed(body.as_bytes()), T)
}

#[test]
fn the_crate_decodes_the_pinned_version() {
    assert_eq!(API_VERSION, PINNED);
}

#[test]
fn an_event_of_another_version_says_so() {
    let same = construct(&event(json!(PINNED))).unwrap();
    assert_eq!(same.api_version_mismatch(), None);
    let later = construct(&event(json!(LATER))).unwrap();
    assert_eq!(later.api_version_mismatch(), Some(LATER));
    // Events from before October 2014 carry no version: nothing to compare.
    let unstated = construct(&event(Value::Null)).unwrap();
    assert_eq!(unstated.api_version_mismatch(), None);
}

#[test]
fn a_delivery_of_another_version_that_does_not_decode_names_its_version() {
    let mut changed = event(json!(LATER));
    changed["data"]["object"]["verified_outputs"] = json!({"dob": "1990-01-01"});
    let err = construct(&changed).unwrap_err();
    let WebhookError::NotAnEvent {
        path, api_version, ..
    } = &err
    else {
        panic!("expected NotAnEvent, got {err:?}");
    };
    assert_eq!(path, "data.object.verified_outputs.dob");
    assert_eq!(api_version.as_deref(), Some(LATER));
    let text = err.to_string();
    assert!(
        text.ends_with(
            "(the event is API version 2024-06-20, this crate decodes 2023-08-16: \
             create the webhook endpoint with that version)"
        ),
        "{text}"
    );

    // The same failure in the crate's own version is just a bad body.
    changed["api_version"] = json!(PINNED);
    let err = construct(&changed).unwrap_err();
    assert!(
        matches!(
            &err,
            WebhookError::NotAnEvent {
                api_version: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("API version"), "{err}");
}
