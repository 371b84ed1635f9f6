//! No error built from a decoder's message holds a value of the body: a
//! response from a server on 127.0.0.1 or a webhook delivery whose values
//! have another shape than the spec says (as under another API version)
//! fails with the path, the kind of value found and what was expected,
//! while the personal values themselves appear in no `Display`, `Debug` or
//! `source()` of the error. Every position a decoder can quote is covered:
//! strings, integers, floats, map keys, enum variants, field names.
#[path = "client/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;

use codegen_tests::shared_openapi;
use common::{client, session, SECRET as API_KEY};
use serde_json::{json, Value};
use stripe_identity::models::ListVerificationSessionsStatus;
use stripe_identity::testing::generate_test_header;
use stripe_identity::{
    Emptyable, Error, Method, RawRequest, VerificationSession, Webhook, WebhookError,
};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Personal values put where the spec expects something else; none may show.
const PERSONAL: &[&str] = &[
    "Jenny",
    "Rosen",
    "1990-01-01",
    "123456789",
    "4242.4242",
    "jenny.rosen@example.com",
    "1234 Main St",
    "+15555550123",
];

const WEBHOOK_SECRET: &str = "whsec_decode_privacy";
const T: i64 = 1_700_000_000;

/// Every text an error gives a logger: `Display` and `Debug` of it and of
/// each error in its `source()` chain.
fn texts(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = err.source();
    while let Some(inner) = source {
        out.push(inner.to_string());
        out.push(format!("{inner:?}"));
        source = inner.source();
    }
    out
}

fn assert_private(err: &(dyn std::error::Error + 'static)) {
    for text in texts(err) {
        for value in PERSONAL.iter().chain([&API_KEY, &WEBHOOK_SECRET]) {
            assert!(!text.contains(value), "`{value}` shows in {text}");
        }
    }
}

/// A session with `path` (dotted) set to `value`.
fn session_with(path: &str, value: Value) -> Value {
    let mut body = session("vs_1");
    body["verified_outputs"] = json!({"first_name": "x", "dob": {"day": 1, "month": 1, "year": 1}});
    let mut slot = &mut body;
    for part in path.split('.') {
        slot = &mut slot[part];
    }
    *slot = value;
    body
}

/// Response bodies that do not match `VerificationSession`, each with the
/// path and message the error must give.
fn bad_sessions() -> Vec<(String, &'static str, String)> {
    let cases = [
        (
            session_with("verified_outputs.dob", json!("1990-01-01")),
            "verified_outputs.dob",
            "invalid type: string, expected a `VerificationSessionVerifiedOutputsDob` object",
        ),
        (
            session_with("verified_outputs.first_name", json!(123456789)),
            "verified_outputs.first_name",
            "invalid type: integer, expected a string",
        ),
        (
            session_with("verified_outputs.last_name", json!(4242.4242)),
            "verified_outputs.last_name",
            "invalid type: floating point number, expected a string",
        ),
        (
            session_with("verified_outputs.address", json!(["1234 Main St"])),
            "verified_outputs.address",
            "invalid type: array, expected a `Address` object",
        ),
        (
            session_with("verified_outputs.dob.year", json!("Jenny Rosen")),
            "verified_outputs.dob.year",
            "invalid type: string, expected i64",
        ),
        (
            session_with("created", json!("1990-01-01")),
            "created",
            "invalid type: string, expected i64",
        ),
        (
            session_with("id", json!(123456789)),
            "id",
            "invalid type: integer, expected a string",
        ),
        (
            // A map's key is data: the path shows `*` for it.
            session_with("metadata", json!({"jenny.rosen@example.com": 123456789})),
            "metadata.*",
            "invalid type: integer, expected a string",
        ),
        (
            session_with("status", json!(["Jenny Rosen"])),
            "status",
            "invalid type: array, expected a string",
        ),
        (
            // An expanded object, read through `Expandable`.
            session_with(
                "last_verification_report",
                json!({"id": "vr_1", "object": "identity.verification_report", "created": 1,
                       "livemode": false, "document": {"dob": "1990-01-01"}}),
            ),
            "last_verification_report.document.dob",
            "invalid type: string, expected a `VerificationReportDocumentDob` object",
        ),
    ];
    let mut bodies: Vec<(String, &str, String)> = cases
        .into_iter()
        .map(|(body, path, message)| (body.to_string(), path, message.to_owned()))
        .collect();
    let good = session("vs_1").to_string();
    let inner = &good[1..good.len() - 1];
    let truncated = format!(r#"{{{inner},"verified_outputs":{{"first_name":"Jenny Rosen""#);
    // serde_json names the column of the fault, which is no content.
    let eof = format!(
        "EOF while parsing an object at line 1 column {}",
        truncated.len()
    );
    let trailing = format!("trailing characters at line 1 column {}", good.len() + 2);
    bodies.extend([
        (
            format!(r#"{{"id":"Jenny Rosen",{inner}}}"#),
            ".",
            "duplicate field `id`".to_owned(),
        ),
        (truncated, ".", eof),
        (format!("{good} Jenny Rosen"), ".", trailing),
    ]);
    bodies
}

/// A server answering `GET .../vs_case<i>` with the i-th body.
async fn server_for<M>(bodies: &[(String, &str, M)], status: u16) -> MockServer {
    let server = MockServer::start().await;
    for (i, (body, _, _)) in bodies.iter().enumerate() {
        Mock::given(path(format!("{}/vs_case{i}", common::SESSIONS)))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.clone(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn response_decode_errors_hold_no_value_of_the_body() {
    let bodies = bad_sessions();
    let server = server_for(&bodies, 200).await;
    let client = client(&server);
    for (i, (_, want_path, want_message)) in bodies.iter().enumerate() {
        let id = common::unchecked_id(&format!("vs_case{i}"));
        let err = VerificationSession::retrieve(&id)
            .send(&client)
            .await
            .expect_err("does not decode");
        match &err {
            Error::Decode { path, message, .. } => {
                assert_eq!(
                    (path.as_str(), message.as_str()),
                    (*want_path, want_message.as_str())
                );
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        assert_private(&err);
    }
}

#[tokio::test]
async fn list_pages_name_the_item_that_failed() {
    let server = MockServer::start().await;
    let page = json!({"object": "list", "url": common::SESSIONS, "has_more": false,
        "data": [session("vs_1"), session_with("verified_outputs.dob", json!("1990-01-01"))]});
    Mock::given(path(common::SESSIONS))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let err = VerificationSession::list()
        .status(ListVerificationSessionsStatus::Verified)
        .send(&client(&server))
        .await
        .expect_err("does not decode");
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "data[1].verified_outputs.dob"),
        "{err:?}"
    );
    assert_private(&err);
}

#[tokio::test]
async fn error_envelopes_that_do_not_decode_hold_no_value() {
    let bodies = vec![
        (
            json!({"error": {"type": "invalid_request_error", "message": 123456789}}).to_string(),
            "error.message",
            "invalid type: integer, expected a string",
        ),
        (
            json!({"error": "Jenny Rosen"}).to_string(),
            "error",
            "invalid type: string, expected a `ApiErrors` object",
        ),
    ];
    let server = server_for(&bodies, 400).await;
    let client = client(&server);
    for (i, (_, want_path, want_message)) in bodies.iter().enumerate() {
        let id = common::unchecked_id(&format!("vs_case{i}"));
        let err = VerificationSession::retrieve(&id)
            .send(&client)
            .await
            .unwrap_err();
        match &err {
            Error::Decode {
                status: 400,
                path,
                message,
                ..
            } => assert_eq!(
                (path.as_str(), message.as_str()),
                (*want_path, *want_message)
            ),
            other => panic!("expected Decode, got {other:?}"),
        }
        assert_private(&err);
    }
}

/// A caller's own type, decoded by `RawRequest` and `Webhook::construct`:
/// serde's derive raises the unknown-variant, unknown-field and
/// out-of-range errors that quote values.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Own {
    kind: Option<Kind>,
    day: Option<u8>,
    cleared: Option<Emptyable<u16>>,
    notes: Option<BTreeMap<String, u8>>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
enum Kind {
    Document,
    IdNumber,
}

/// Bodies for [`Own`] with the error each must give.
fn own_cases() -> [(Value, &'static str, &'static str); 6] {
    [
        (
            json!({"kind": "Jenny Rosen"}),
            "kind",
            "unknown variant, expected `Document` or `IdNumber`",
        ),
        (
            json!({"kind": {"jenny.rosen@example.com": 1}}),
            "kind",
            "unknown variant, expected `Document` or `IdNumber`",
        ),
        (
            json!({"day": 123456789}),
            "day",
            "invalid value: integer, expected u8",
        ),
        (
            json!({"jenny.rosen@example.com": 1}),
            ".",
            "unknown field, expected one of `kind`, `day`, `cleared`, `notes`",
        ),
        (
            json!({"cleared": "+15555550123"}),
            "cleared",
            "invalid type: string, expected u16",
        ),
        (
            json!({"notes": {"Jenny Rosen": -4242.4242}}),
            "notes.*",
            "invalid type: floating point number, expected u8",
        ),
    ]
}

#[tokio::test]
async fn a_callers_own_types_fail_without_values_too() {
    let cases = own_cases();
    let bodies: Vec<(String, &str, &str)> = cases
        .iter()
        .map(|(body, path, message)| (body.to_string(), *path, *message))
        .collect();
    let server = server_for(&bodies, 200).await;
    let client = client(&server);
    for (i, (_, want_path, want_message)) in bodies.iter().enumerate() {
        let path = format!("{}/vs_case{i}", common::SESSIONS);
        let err = RawRequest::new(Method::Get, path)
            .send::<Own>(&client)
            .await
            .unwrap_err();
        match &err {
            Error::Decode { path, message, .. } => {
                assert_eq!(
                    (path.as_str(), message.as_str()),
                    (*want_path, *want_message)
                );
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        assert_private(&err);
    }
}

/// A `Stripe-Signature` for `body` at `T`, made by the runtime's own
/// signer: the signing is checked in `webhook_signature.rs` and, against
/// Python's `hmac`, in `double_webhooks.rs`; here it only gets a body past it.
fn signed(body: &[u8]) -> String {
    generate_test_header(body, WEBHOOK_SECRET, T)
}

/// Stripe's example event, carrying `object` as an Identity event.
fn event(object: Value) -> Value {
    let fixtures: Value = serde_json::from_str(
        &std::fs::read_to_string(shared_openapi().join("fixtures3.v524.json")).unwrap(),
    )
    .unwrap();
    let mut event = fixtures["resources"]["event"].clone();
    event["type"] = json!("identity.verification_session.verified");
    event["data"]["object"] = object;
    event
}

fn construct_event(body: &[u8]) -> WebhookError {
    Webhook::new(WEBHOOK_SECRET)
        .construct_event_at(body, &signed(body), T)
        .expect_err("does not decode")
}

fn assert_not_an_event(err: &WebhookError, want_path: &str, want_message: &str) {
    match err {
        WebhookError::NotAnEvent { path, message, .. } => {
            assert_eq!((path.as_str(), message.as_str()), (want_path, want_message));
        }
        other => panic!("expected NotAnEvent, got {other:?}"),
    }
    assert_private(err);
}

#[test]
fn webhook_objects_that_do_not_decode_hold_no_value() {
    for (body, want_path, want_message) in bad_sessions() {
        let Ok(object) = serde_json::from_str::<Value>(&body) else {
            continue; // not JSON: covered as a whole body below
        };
        if want_path == "." {
            continue; // a repeated key does not survive `Value`
        }
        let body = event(object).to_string();
        let err = construct_event(body.as_bytes());
        assert_not_an_event(&err, &format!("data.object.{want_path}"), &want_message);
    }
}

#[test]
fn webhook_envelopes_that_do_not_decode_hold_no_value() {
    let mut wrong_created = event(session("vs_1"));
    wrong_created["created"] = json!("1990-01-01");
    let mut wrong_type = event(session("vs_1"));
    wrong_type["type"] = json!(123456789);
    let cases = [
        (
            wrong_created.to_string(),
            "created",
            "invalid type: string, expected i64",
        ),
        (
            wrong_type.to_string(),
            "type",
            "invalid type: integer, expected a string",
        ),
        (
            r#"{"id":"evt_1","data":{"object":{"first_name":"Jenny Rosen""#.to_owned(),
            ".",
            "EOF while parsing an object at line 1 column 58",
        ),
    ];
    for (body, want_path, want_message) in cases {
        let err = construct_event(body.as_bytes());
        assert_not_an_event(&err, want_path, want_message);
    }
}

#[test]
fn webhook_bodies_decoded_as_a_callers_own_type_hold_no_value() {
    for (body, want_path, want_message) in own_cases() {
        let body = body.to_string();
        let err = Webhook::new(WEBHOOK_SECRET)
            .construct_at::<Own>(body.as_bytes(), &signed(body.as_bytes()), T)
            .unwrap_err();
        assert_not_an_event(&err, want_path, want_message);
    }
}
