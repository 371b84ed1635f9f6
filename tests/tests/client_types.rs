//! Serialization of ids, expandable fields, emptyable parameters and lists.
#[path = "client/mod.rs"]
mod common;

use serde_json::json;
use stripe_identity::{
    Emptyable, Expandable, InvalidId, List, Object, VerificationReport, VerificationReportId,
    VerificationSessionId,
};

#[test]
fn id_parses_with_the_right_prefix() {
    let id: VerificationSessionId = "vs_123".parse().unwrap();
    assert_eq!(id.as_str(), "vs_123");
    assert_eq!(id.to_string(), "vs_123");
    assert_eq!(id.as_ref(), "vs_123");
    assert_eq!(VerificationSessionId::PREFIX, "vs_");
    let owned = VerificationSessionId::try_from("vs_1".to_owned()).unwrap();
    assert_eq!(owned.as_str(), "vs_1");
}

#[test]
fn id_rejects_a_wrong_or_missing_prefix() {
    for value in ["vr_123", "123", "", "vs_", "VS_123"] {
        let err = value.parse::<VerificationSessionId>().unwrap_err();
        assert_eq!(
            err,
            InvalidId {
                expected_prefix: "vs_",
                value: value.to_owned()
            }
        );
        let text = err.to_string();
        assert!(text.contains("vs_"), "{text}");
        assert!(
            text.contains(&format!("({} characters)", value.len())),
            "{text}"
        );
    }
    // The value came from outside and may hold anything: only a prefix that
    // looks like a Stripe id's is quoted, never the rest.
    let err = "vr_Jenny".parse::<VerificationSessionId>().unwrap_err();
    assert!(
        err.to_string().ends_with("found an id starting with `vr_`"),
        "{err}"
    );
    for err in [
        err,
        "jenny@example.com"
            .parse::<VerificationSessionId>()
            .unwrap_err(),
    ] {
        for output in [err.to_string(), format!("{err:?}")] {
            assert!(!output.to_lowercase().contains("jenny"), "{output}");
        }
    }
}

#[test]
fn try_from_checks_the_prefix() {
    assert!(VerificationSessionId::try_from("nope".to_owned()).is_err());
    assert!(VerificationSessionId::try_from("nope").is_err());
}

#[test]
fn invalid_id_converts_into_error() {
    let err: stripe_identity::Error = "x".parse::<VerificationSessionId>().unwrap_err().into();
    assert!(
        matches!(err, stripe_identity::Error::InvalidId(_)),
        "{err:?}"
    );
}

#[test]
fn id_serializes_as_a_string() {
    let id: VerificationSessionId = "vs_1".parse().unwrap();
    assert_eq!(serde_json::to_value(&id).unwrap(), json!("vs_1"));
}

#[test]
fn id_deserializes_any_string() {
    // Responses are trusted: redacted objects carry placeholders.
    let id: VerificationSessionId = serde_json::from_value(json!("[redacted]")).unwrap();
    assert_eq!(id.as_str(), "[redacted]");
}

#[test]
fn id_does_not_deserialize_a_number() {
    assert!(serde_json::from_value::<VerificationSessionId>(json!(5)).is_err());
}

#[test]
fn expandable_from_a_string_is_an_id() {
    let field: Expandable<VerificationReport> = serde_json::from_value(json!("vr_1")).unwrap();
    assert!(!field.is_object());
    assert_eq!(field.id().as_str(), "vr_1");
    assert!(field.as_object().is_none());
    assert!(field.into_object().is_none());
}

#[test]
fn expandable_from_an_object_is_the_object() {
    let field: Expandable<VerificationReport> =
        serde_json::from_value(common::report("vr_1")).unwrap();
    assert!(field.is_object());
    assert_eq!(field.id().as_str(), "vr_1");
    assert_eq!(field.as_object().unwrap().created, 1_690_000_001);
    assert_eq!(field.into_object().unwrap().id.as_str(), "vr_1");
}

#[test]
fn expandable_rejects_other_json_naming_what_it_got() {
    let err = serde_json::from_value::<Expandable<VerificationReport>>(json!(42)).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("42"), "{text}");
    assert!(text.contains("an id string or an expanded"), "{text}");
    assert!(text.contains(VerificationReport::OBJECT), "{text}");

    let err = serde_json::from_value::<Expandable<VerificationReport>>(json!([1])).unwrap_err();
    assert!(err.to_string().contains("sequence"), "{err}");
}

#[test]
fn expandable_serializes_back_to_its_form() {
    let id: Expandable<VerificationReport> = serde_json::from_value(json!("vr_1")).unwrap();
    assert_eq!(serde_json::to_value(&id).unwrap(), json!("vr_1"));

    let object: Expandable<VerificationReport> =
        serde_json::from_value(common::report("vr_1")).unwrap();
    let back = serde_json::to_value(&object).unwrap();
    assert_eq!(back["id"], "vr_1");
    assert_eq!(back["object"], "identity.verification_report");
}

#[test]
fn expandable_clones_and_compares() {
    let object: Expandable<VerificationReport> =
        serde_json::from_value(common::report("vr_1")).unwrap();
    assert_eq!(object.clone(), object);
    let id = VerificationReportId::try_from("vr_1").unwrap();
    assert_ne!(Expandable::Id(id), object);
}

#[test]
fn emptyable_serializes_value_or_empty_string() {
    assert_eq!(serde_json::to_value(Emptyable::Set(5)).unwrap(), json!(5));
    assert_eq!(
        serde_json::to_value(Emptyable::<u32>::Empty).unwrap(),
        json!("")
    );
    assert_eq!(Emptyable::from("x"), Emptyable::Set("x"));
}

#[test]
fn emptyable_deserializes_empty_string_as_empty() {
    let empty: Emptyable<Vec<u32>> = serde_json::from_value(json!("")).unwrap();
    assert_eq!(empty, Emptyable::Empty);
    let set: Emptyable<Vec<u32>> = serde_json::from_value(json!([1, 2])).unwrap();
    assert_eq!(set, Emptyable::Set(vec![1, 2]));
    assert!(serde_json::from_value::<Emptyable<Vec<u32>>>(json!("x")).is_err());
}

#[test]
fn list_ignores_the_object_field() {
    let page = json!({
        "object": "list",
        "url": "/v1/identity/verification_reports",
        "has_more": true,
        "data": [common::report("vr_1")]
    });
    let list: List<VerificationReport> = serde_json::from_value(page).unwrap();
    assert!(list.has_more);
    assert_eq!(list.url, "/v1/identity/verification_reports");
    assert_eq!(list.data[0].id.as_str(), "vr_1");
}
