//! Fields newer than the pinned spec survive: every response object keeps
//! the fields its spec does not know, readable by name as JSON, written back
//! on serialization, and never shown by `Debug`.

use codegen_tests::{json_objects, shared_api_docs, without_nulls};
use serde_json::{json, Value};
use stripe_identity::{List, VerificationReport, VerificationSession};

/// Decodes `value` as `T` and encodes it again.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Value {
    let typed: T = serde_json::from_slice(&serde_json::to_vec(value).unwrap())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{value:#}"));
    serde_json::to_value(&typed).unwrap()
}

/// The examples of Stripe's API reference (a newer API version than the
/// pinned spec), each decoded and encoded again by its `object`.
#[test]
fn every_api_reference_example_round_trips_with_nothing_lost() {
    let mut pages: Vec<_> = std::fs::read_dir(shared_api_docs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let mut checked = 0;
    for page in pages {
        for value in json_objects(&std::fs::read_to_string(&page).unwrap()) {
            let item = value["data"][0]["object"].as_str().unwrap_or_default();
            let back = match (value["object"].as_str(), item) {
                (Some("identity.verification_session"), _) => {
                    round_trip::<VerificationSession>(&value)
                }
                (Some("identity.verification_report"), _) => {
                    round_trip::<VerificationReport>(&value)
                }
                (Some("list"), "identity.verification_session") => {
                    round_trip::<List<VerificationSession>>(&value)
                }
                (Some("list"), "identity.verification_report") => {
                    round_trip::<List<VerificationReport>>(&value)
                }
                _ => continue,
            };
            // A known optional field that was `null` comes back absent;
            // everything else, unknown fields included, comes back as sent.
            assert_eq!(
                without_nulls(&back),
                without_nulls(&value),
                "{}",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} examples found");
}

/// A session as the current API reference describes it: fields and options
/// the pinned spec (API 2023-08-16) does not have.
fn newer_session() -> Value {
    json!({
        "id": "vs_1", "object": "identity.verification_session", "created": 1700000000,
        "livemode": false, "metadata": {}, "status": "verified", "type": "document",
        "client_reference_id": "user_42",
        "related_customer": "cus_123",
        "verification_flow": "vf_123",
        "provided_details": {"email": "jenny.rosen@example.com", "phone": "+15555555555"},
        "options": {
            "document": {"require_matching_selfie": true},
            "email": {"require_verification": true},
            "phone": {"require_verification": false}
        },
        "verified_outputs": {
            "first_name": "Jenny", "last_name": "Rosen",
            "email": "jenny.rosen@example.com", "phone": "+15555555555"
        },
        "last_verification_report": {
            "id": "vr_1", "object": "identity.verification_report", "created": 1700000000,
            "livemode": false,
            "email": {"email": "jenny.rosen@example.com", "status": "verified"}
        }
    })
}

fn decode_newer() -> VerificationSession {
    serde_json::from_value(newer_session()).unwrap()
}

#[test]
fn newer_top_level_fields_are_readable_by_name() {
    let session = decode_newer();
    assert_eq!(
        session.extra_field("client_reference_id"),
        Some(&json!("user_42"))
    );
    assert_eq!(
        session.extra_field("related_customer"),
        Some(&json!("cus_123"))
    );
    assert_eq!(
        session.extra_field("verification_flow"),
        Some(&json!("vf_123"))
    );
    assert_eq!(
        session.extra_field("provided_details").unwrap()["email"],
        "jenny.rosen@example.com"
    );
    // Known fields keep their typed form beside them.
    assert_eq!(session.id.as_str(), "vs_1");
    assert!(session.extra_field("id").is_none());
    let names: Vec<&str> = session.extra_fields().names().collect();
    assert_eq!(
        names,
        [
            "client_reference_id",
            "provided_details",
            "related_customer",
            "verification_flow"
        ]
    );
}

#[test]
fn newer_nested_fields_are_readable_on_their_objects() {
    let session = decode_newer();
    let options = session.options.as_ref().unwrap();
    assert_eq!(
        options.extra_field("email"),
        Some(&json!({"require_verification": true}))
    );
    assert_eq!(
        options.extra_field("phone"),
        Some(&json!({"require_verification": false}))
    );
    let outputs = session.verified_outputs.as_ref().unwrap();
    assert_eq!(outputs.first_name.as_deref(), Some("Jenny"));
    assert_eq!(
        outputs.extra_field("email"),
        Some(&json!("jenny.rosen@example.com"))
    );
    assert_eq!(outputs.extra_field("phone"), Some(&json!("+15555555555")));
    let report = session.last_verification_report.as_ref().unwrap();
    let report = report.as_object().unwrap();
    assert_eq!(report.extra_field("email").unwrap()["status"], "verified");
}

#[test]
fn a_newer_session_is_written_back_whole() {
    let original = newer_session();
    let back = serde_json::to_value(decode_newer()).unwrap();
    assert_eq!(without_nulls(&back), without_nulls(&original));
}

#[test]
fn debug_shows_the_names_of_extra_fields_never_their_values() {
    let mut value = newer_session();
    // Unknown fields named like secrets, at the top and nested.
    value["client_secret"] = json!("vs_1_secret_known");
    value["url"] = json!("https://verify.stripe.com/start/known");
    value["last_error"] = json!({
        "code": "document_expired",
        "client_secret": "vs_1_secret_nested",
        "url": "https://verify.stripe.com/start/nested"
    });
    let session: VerificationSession = serde_json::from_value(value).unwrap();
    let debug = format!("{session:?}");
    for hidden in [
        "vs_1_secret_known",
        "start/known",
        "vs_1_secret_nested",
        "start/nested",
        "jenny.rosen@example.com",
        "+15555555555",
        "user_42",
        "cus_123",
    ] {
        assert!(!debug.contains(hidden), "{hidden} in {debug}");
    }
    assert!(debug.contains("provided_details"), "{debug}");
    assert!(debug.contains("DocumentExpired"), "{debug}");
}

#[test]
fn a_field_sent_twice_is_an_error_as_with_serde_derive() {
    let text = r#"{"id":"vs_1","object":"identity.verification_session","created":1,"created":2,
        "livemode":false,"metadata":{},"status":"verified"}"#;
    let error = serde_json::from_str::<VerificationSession>(text).unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `created`"),
        "{error}"
    );
}

#[test]
fn a_missing_required_field_is_named() {
    let text = r#"{"id":"vs_1","object":"identity.verification_session","livemode":false,
        "metadata":{},"status":"verified"}"#;
    let error = serde_json::from_str::<VerificationSession>(text).unwrap_err();
    assert!(
        error.to_string().contains("missing field `created`"),
        "{error}"
    );
}
