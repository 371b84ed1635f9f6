//! The generated crate against Stripe's own data: the example object of every
//! Identity resource in the pinned release's fixtures, and every example
//! response in the API reference pages, which come from a newer API version
//! with fields and enum values the pinned spec does not know.
//!
//! Each object is deserialized, serialized back, and compared with the
//! original field by field along the IR's types: every field, whether the
//! spec knows it or not, must survive the round trip with its value.

use codegen_tests::{json_objects, pinned_spec, shared_api_docs, shared_openapi};
use generator::ir::{Ir, TypeId, TypeKind};
use generator::Portion;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use stripe_identity::{List, VerificationReport, VerificationSession};

fn ir() -> Ir {
    let spec = pinned_spec();
    generator::build_ir(
        &spec.text,
        &spec.path.display().to_string(),
        &Portion::identity(),
    )
    .unwrap()
}

fn type_named(ir: &Ir, name: &str) -> TypeId {
    (0..ir.types.len())
        .map(TypeId)
        .find(|id| ir.name(*id) == Some(name))
        .unwrap()
}

/// What a round trip did to one object.
#[derive(Default, Debug)]
struct Comparison {
    /// Fields, known or not, that were lost or changed (JSON pointers):
    /// must be empty.
    lost: Vec<String>,
    /// Fields the spec does not know, kept as JSON.
    unknown: Vec<String>,
}

fn compare(ir: &Ir, ty: TypeId, original: &Value, round: &Value, at: &str, out: &mut Comparison) {
    match (&ir.get(ty).kind, original) {
        (TypeKind::Struct(s), Value::Object(fields)) => {
            for (key, value) in fields {
                let here = format!("{at}/{key}");
                match s.fields.iter().find(|f| f.wire_name == *key) {
                    None if round.get(key) != Some(value) => out.lost.push(here),
                    None => out.unknown.push(here),
                    Some(_) if value.is_null() => {}
                    Some(f) => match round.get(key) {
                        Some(r) => compare(ir, f.ty, value, r, &here, out),
                        None => out.lost.push(here),
                    },
                }
            }
        }
        (TypeKind::Expandable(t), Value::Object(_)) => compare(ir, *t, original, round, at, out),
        (TypeKind::Array(t), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                compare(ir, *t, item, &round[i], &format!("{at}/{i}"), out);
            }
        }
        (TypeKind::Map(t), Value::Object(entries)) => {
            for (key, value) in entries {
                compare(ir, *t, value, &round[key], &format!("{at}/{key}"), out);
            }
        }
        _ if original != round => out.lost.push(format!("{at}: {original} became {round}")),
        _ => {}
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(
    ir: &Ir,
    type_name: &str,
    original: &Value,
) -> Comparison {
    let parsed: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|e| panic!("{type_name} does not deserialize: {e}\n{original:#}"));
    let round = serde_json::to_value(&parsed).unwrap();
    let mut out = Comparison::default();
    compare(
        ir,
        type_named(ir, type_name),
        original,
        &round,
        "",
        &mut out,
    );
    out
}

/// Round-trips one example by its `object` name. Lists check each item.
fn check_example(ir: &Ir, value: &Value) -> Option<Comparison> {
    match value.get("object")?.as_str()? {
        "identity.verification_session" => Some(round_trip::<VerificationSession>(
            ir,
            "VerificationSession",
            value,
        )),
        "identity.verification_report" => Some(round_trip::<VerificationReport>(
            ir,
            "VerificationReport",
            value,
        )),
        "list" => {
            let item = value["data"].get(0)?.get("object")?.as_str()?;
            let (page, name) = match item {
                "identity.verification_session" => (
                    serde_json::from_value::<List<VerificationSession>>(value.clone()).map(|_| ()),
                    "VerificationSession",
                ),
                "identity.verification_report" => (
                    serde_json::from_value::<List<VerificationReport>>(value.clone()).map(|_| ()),
                    "VerificationReport",
                ),
                _ => return None,
            };
            page.unwrap_or_else(|e| panic!("list of {name} does not deserialize: {e}"));
            let mut all = Comparison::default();
            for item in value["data"].as_array()? {
                let c = check_example(ir, item)?;
                all.lost.extend(c.lost);
                all.unknown.extend(c.unknown);
            }
            Some(all)
        }
        _ => None,
    }
}

#[test]
fn fixtures_of_the_pinned_release_round_trip() {
    let ir = ir();
    let path = shared_openapi().join("fixtures3.v524.json");
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut checked = 0;
    for object in [
        "identity.verification_session",
        "identity.verification_report",
    ] {
        let example = &fixtures["resources"][object];
        let c = check_example(&ir, example).unwrap_or_else(|| panic!("no fixture for {object}"));
        assert!(
            c.lost.is_empty(),
            "{object} lost known fields: {:?}",
            c.lost
        );
        // Stripe's own fixture carries `address.zip`, which no spec release
        // defines (the field is `postal_code`): kept, like any unknown field.
        assert!(
            c.unknown.iter().all(|u| u == "/document/address/zip"),
            "{:?}",
            c.unknown
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn api_reference_examples_of_a_newer_version_round_trip() {
    let ir = ir();
    let mut checked = 0;
    let mut unknown = Vec::new();
    let mut pages: Vec<_> = std::fs::read_dir(shared_api_docs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for value in json_objects(&text) {
            if let Some(c) = check_example(&ir, &value) {
                assert!(
                    c.lost.is_empty(),
                    "{}: lost known fields {:?}",
                    page.display(),
                    c.lost
                );
                unknown.extend(c.unknown);
                checked += 1;
            }
        }
    }
    // 17 example responses are embedded in the four pages.
    assert!(checked >= 17, "only {checked} examples found");
    // They come from a newer API version: the point of the test is that its
    // extra fields are present and kept.
    assert!(
        !unknown.is_empty(),
        "expected fields unknown to the pinned spec"
    );
}

#[test]
fn enum_values_the_spec_never_listed_are_kept() {
    let json = serde_json::json!({
        "id": "vr_123", "object": "identity.verification_report", "created": 1,
        "livemode": false, "type": "verification_flow",
        "document": { "status": "verified", "type": "residence_permit" }
    });
    let report: VerificationReport = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        report.type_.as_ref().map(|t| t.as_str()),
        Some("verification_flow")
    );
    assert!(matches!(
        report.type_,
        Some(stripe_identity::models::VerificationReportType::Unknown(_))
    ));
    let back = serde_json::to_value(&report).unwrap();
    assert_eq!(back["type"], "verification_flow");
    assert_eq!(back["document"]["type"], "residence_permit");
}

#[test]
fn an_expanded_report_and_a_bare_id_both_deserialize() {
    let session = |report: Value| {
        serde_json::json!({
            "id": "vs_1", "object": "identity.verification_session", "created": 1, "livemode": false,
            "metadata": {}, "status": "verified", "last_verification_report": report
        })
    };
    let by_id: VerificationSession = serde_json::from_value(session("vr_9".into())).unwrap();
    let report = by_id.last_verification_report.unwrap();
    assert_eq!(report.id().as_str(), "vr_9");
    assert!(!report.is_object());
    let expanded = serde_json::json!({"id": "vr_9", "object": "identity.verification_report", "created": 2, "livemode": true});
    let with_object: VerificationSession = serde_json::from_value(session(expanded)).unwrap();
    let report = with_object.last_verification_report.unwrap();
    assert_eq!(report.id().as_str(), "vr_9");
    assert_eq!(report.as_object().map(|r| r.created), Some(2));
}
