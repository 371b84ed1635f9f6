//! What the test double returns is what the spec describes: every response
//! body of a full scenario decodes into the generated types with no field
//! the spec lacks, and re-encodes to the same JSON; its objects have the
//! fields of Stripe's own example objects (`fixtures3.v524.json`); and the
//! `fake()` constructors make valid objects for unit tests.

mod double;

use std::collections::BTreeSet;

use codegen_tests::{pinned_spec, shared_openapi, without_nulls};
use double::call;
use generator::ir::{Ir, TypeId, TypeKind};
use generator::Portion;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use stripe_identity::models::{Error as ErrorEnvelope, VerificationSessionLastErrorCode};
use stripe_identity::testing::{generate_test_header, StripeDouble, VerifiedPerson};
use stripe_identity::{
    Event, EventPayload, List, VerificationReport, VerificationSession, Webhook,
};

const SESSIONS: &str = "/v1/identity/verification_sessions";
const REPORTS: &str = "/v1/identity/verification_reports";

fn ir() -> Ir {
    let spec = pinned_spec();
    generator::build_ir(&spec.text, "spec", &Portion::identity()).unwrap()
}

fn type_named(ir: &Ir, name: &str) -> TypeId {
    ir.ids().find(|id| ir.name(*id) == Some(name)).unwrap()
}

/// Every key of `json` that the spec's type `ty` does not define, as JSON
/// pointers. An event's object is checked as the type its `type` names.
fn unknown_fields(
    ir: &Ir,
    ty: TypeId,
    json: &Value,
    event_type: Option<&str>,
    at: &str,
    out: &mut Vec<String>,
) {
    match (&ir.get(ty).kind, json) {
        (TypeKind::Struct(def), Value::Object(fields)) => {
            let event_type = json.get("type").and_then(Value::as_str).or(event_type);
            for (key, value) in fields {
                match def.fields.iter().find(|f| f.wire_name == *key) {
                    Some(f) => {
                        unknown_fields(ir, f.ty, value, event_type, &format!("{at}/{key}"), out)
                    }
                    None => out.push(format!("{at}/{key}")),
                }
            }
        }
        (TypeKind::EventPayload(def), Value::Object(_)) => {
            let variant = def
                .variants
                .iter()
                .find(|v| Some(v.wire_name.as_str()) == event_type);
            match variant {
                Some(v) => unknown_fields(ir, v.object, json, None, at, out),
                None => out.push(format!("{at}: event type {event_type:?} unknown")),
            }
        }
        (TypeKind::Expandable(t) | TypeKind::Emptyable(t), Value::Object(_)) => {
            unknown_fields(ir, *t, json, event_type, at, out)
        }
        (TypeKind::Array(t), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                unknown_fields(ir, *t, item, event_type, &format!("{at}/{i}"), out);
            }
        }
        (TypeKind::Map(t), Value::Object(entries)) => {
            for (key, value) in entries {
                unknown_fields(ir, *t, value, event_type, &format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Decodes `body` as `T`, re-encodes it, and checks that nothing changed
/// (`null` and absent being the same to the crate) and that every field is
/// one the spec's type `type_name` defines.
fn check_body<T: DeserializeOwned + Serialize>(ir: &Ir, type_name: &str, body: &Value) -> T {
    let decoded: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{type_name} does not decode: {e}\n{body:#}"));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        without_nulls(&encoded),
        without_nulls(body),
        "{type_name} changed in a round trip"
    );
    let mut unknown = Vec::new();
    unknown_fields(ir, type_named(ir, type_name), body, None, "", &mut unknown);
    assert!(
        unknown.is_empty(),
        "{type_name} has fields the spec lacks: {unknown:?}"
    );
    decoded
}

/// The list's items as `item`, the page itself as a `List`.
fn check_list<T: DeserializeOwned + Serialize>(ir: &Ir, item: &str, body: &Value) -> usize {
    let page: List<Value> = serde_json::from_value(body.clone()).unwrap();
    for value in &page.data {
        check_body::<T>(ir, item, value);
    }
    page.data.len()
}

#[tokio::test]
async fn every_response_body_decodes_with_no_unknown_field_and_round_trips() {
    let ir = ir();
    let stripe = StripeDouble::start().await;
    let body = "type=document&options[document][require_matching_selfie]=true&\
                options[document][require_id_number]=true&metadata[order]=42";
    let created = call(&stripe, "POST", SESSIONS, body).await;
    let session: VerificationSession = check_body(&ir, "VerificationSession", &created.body);
    assert!(session.extra_fields().is_empty());
    let id = session.id.as_str().to_owned();
    stripe
        .fail(
            &session.id,
            VerificationSessionLastErrorCode::SelfieManipulated,
        )
        .await
        .unwrap();
    stripe
        .verify(&session.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let other = call(&stripe, "POST", SESSIONS, "type=id_number").await;
    let other_id = other.body["id"].as_str().unwrap().to_owned();
    let mut checked = 0;
    for (method, path, body) in [
        ("GET", format!("{SESSIONS}/{id}"), ""),
        (
            "GET",
            format!("{SESSIONS}/{id}?expand[]=verified_outputs&expand[]=last_verification_report.document.dob&expand[]=last_verification_report.document.number&expand[]=last_verification_report.id_number.dob&expand[]=last_verification_report.id_number.id_number"),
            "",
        ),
        ("POST", format!("{SESSIONS}/{other_id}"), "metadata[a]=b&options[document][allowed_types][0]=passport"),
        ("POST", format!("{SESSIONS}/{other_id}/cancel"), ""),
        ("POST", format!("{SESSIONS}/{id}/redact"), "expand[0]=verified_outputs"),
    ] {
        let response = call(&stripe, method, &path, body).await;
        assert_eq!(response.status, 200, "{path}: {}", response.body);
        let session: VerificationSession = check_body(&ir, "VerificationSession", &response.body);
        assert!(session.extra_fields().is_empty());
        checked += 1;
    }
    stripe.finish_redaction(&session.id).await.unwrap();
    let expanded =
        format!("{SESSIONS}?expand[]=data.verified_outputs&expand[]=data.last_verification_report");
    for path in [SESSIONS.to_owned(), expanded] {
        let page = call(&stripe, "GET", &path, "").await;
        assert_eq!(
            check_list::<VerificationSession>(&ir, "VerificationSession", &page.body),
            2
        );
        checked += 1;
    }
    let reports = call(
        &stripe,
        "GET",
        &format!("{REPORTS}?expand[]=data.document.dob"),
        "",
    )
    .await;
    assert_eq!(
        check_list::<VerificationReport>(&ir, "VerificationReport", &reports.body),
        2
    );
    for report in reports.body["data"].as_array().unwrap() {
        let path = format!("{REPORTS}/{}", report["id"].as_str().unwrap());
        let one = call(&stripe, "GET", &path, "").await;
        let report: VerificationReport = check_body(&ir, "VerificationReport", &one.body);
        assert!(report.extra_fields().is_empty());
        checked += 1;
    }
    let events = call(&stripe, "GET", "/v1/events?limit=100", "").await;
    assert!(check_list::<Event>(&ir, "Event", &events.body) >= 7);
    for event in events.body["data"].as_array().unwrap() {
        let one = call(
            &stripe,
            "GET",
            &format!("/v1/events/{}", event["id"].as_str().unwrap()),
            "",
        )
        .await;
        let event: Event = check_body(&ir, "Event", &one.body);
        assert!(event.extra_fields().is_empty() && event.data.extra_fields().is_empty());
        checked += 1;
    }
    // Errors are Stripe's envelope, with nothing more.
    for (method, path, body) in [
        ("POST", SESSIONS.to_owned(), "type=document&foo=1"),
        ("GET", format!("{SESSIONS}/vs_missing"), ""),
        ("POST", format!("{SESSIONS}/{other_id}/cancel"), ""),
    ] {
        let response = call(&stripe, method, &path, body).await;
        assert!(response.status >= 400);
        check_body::<ErrorEnvelope>(&ir, "Error", &response.body);
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[tokio::test]
async fn objects_have_the_fields_of_stripes_example_objects() {
    let fixtures: Value = serde_json::from_str(
        &std::fs::read_to_string(shared_openapi().join("fixtures3.v524.json")).unwrap(),
    )
    .unwrap();
    let keys = |value: &Value| -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    };
    let stripe = StripeDouble::start().await;
    let created = call(&stripe, "POST", SESSIONS, "type=document").await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    stripe
        .verify(&id.parse().unwrap(), &VerifiedPerson::default())
        .await
        .unwrap();
    let session = call(&stripe, "GET", &format!("{SESSIONS}/{id}"), "").await;
    let example = &fixtures["resources"]["identity.verification_session"];
    assert_eq!(example["status"], "verified");
    assert_eq!(keys(&session.body), keys(example));
    let report_id = session.body["last_verification_report"].as_str().unwrap();
    let report = call(&stripe, "GET", &format!("{REPORTS}/{report_id}"), "").await;
    let example = &fixtures["resources"]["identity.verification_report"];
    assert_eq!(keys(&report.body), keys(example));
    // Stripe's example address has `zip`, a field no spec release defines;
    // the double writes the spec's `postal_code`.
    let mut expected = keys(&example["document"]);
    let mut got = keys(&report.body["document"]);
    assert_eq!(got.len(), expected.len(), "{got:?} {expected:?}");
    expected.retain(|k| k != "address");
    got.retain(|k| k != "address");
    assert_eq!(got, expected);
    let mut address = keys(&example["document"]["address"]);
    address.remove("zip");
    address.insert("postal_code".to_owned());
    address.insert("line2".to_owned());
    assert_eq!(keys(&report.body["document"]["address"]), address);
}

#[test]
fn fakes_are_valid_objects_to_change_for_unit_tests() {
    let mut session = VerificationSession::fake();
    assert!(session.id.as_str().starts_with("vs_"));
    assert_eq!(session.object.as_str(), "identity.verification_session");
    assert!(session.extra_fields().is_empty());
    session.status = "verified".into();
    let json = serde_json::to_value(&session).unwrap();
    assert_eq!(json["status"], "verified");
    let report = VerificationReport::fake();
    assert!(report.id.as_str().starts_with("vr_"));
    let event = Event::fake_for(EventPayload::VerificationSessionVerified(session.clone()));
    assert_eq!(
        event.type_.as_str(),
        "identity.verification_session.verified"
    );
    assert!(event.id.as_str().starts_with("evt_"));
    // An event made this way is what a webhook handler receives.
    let payload = serde_json::to_vec(&event).unwrap();
    let header = generate_test_header(&payload, "whsec_unit", 1_700_000_000);
    let received = Webhook::new("whsec_unit")
        .construct_event_at(&payload, &header, 1_700_000_000)
        .unwrap();
    let EventPayload::VerificationSessionVerified(received) = received.data.object else {
        panic!("typed payload");
    };
    assert_eq!(received, session);
    // Debug of a fake follows the privacy rule like any object.
    let mut with_secret = VerificationSession::fake();
    with_secret.client_secret = Some("vs_1_secret_live_abc".into());
    assert!(!format!("{with_secret:?}").contains("secret_live"));
}

#[test]
fn the_doubles_own_types_debug_without_personal_data() {
    let person = VerifiedPerson::default();
    let debug = format!("{person:?} {:?} {:?}", person.dob, person.address);
    for personal in ["Jenny", "Rosen", "1901", "Main", "000000000", "94111"] {
        assert!(!debug.contains(personal), "{debug}");
    }
    let builder = StripeDouble::builder()
        .webhook_secret("whsec_secret_value")
        .api_key("sk_test_hidden");
    let debug = format!("{builder:?}");
    assert!(
        !debug.contains("secret_value") && !debug.contains("hidden"),
        "{debug}"
    );
}

#[tokio::test]
async fn the_double_itself_debugs_without_secrets() {
    let stripe = StripeDouble::builder()
        .webhook_secret("whsec_secret_value")
        .start()
        .await;
    let debug = format!("{stripe:?}");
    assert!(
        !debug.contains("secret_value") && !debug.contains(stripe.api_key()),
        "{debug}"
    );
}
