//! `send_response`: the object with the response's status,
//! `Request-Id` and headers; `send` unchanged.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{received, session, unchecked_id, SESSIONS};
use serde_json::Value;
use stripe_identity::{Client, Method, RawRequest, RequestOptions, VerificationSession};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The session as Stripe returns it, with a client secret that `Debug` must hide.
fn session_with_secret() -> Value {
    let mut body = session("vs_1");
    body["client_secret"] = Value::from("vs_1_secret_do_not_print");
    body
}

/// Answers a retrieve and a create with the session and Stripe-like headers.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let template = |status: u16| {
        ResponseTemplate::new(status)
            .insert_header("request-id", "req_meta_123")
            .insert_header("idempotent-replayed", "true")
            .insert_header("set-cookie", "session=cookie_do_not_print")
            .set_body_json(session_with_secret())
    };
    Mock::given(method("GET"))
        .and(path(format!("{SESSIONS}/vs_1")))
        .respond_with(template(200))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(SESSIONS))
        .respond_with(template(200))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    common::builder(server)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn send_response_gives_status_request_id_and_headers() {
    let server = server().await;
    let response = VerificationSession::retrieve(&unchecked_id("vs_1"))
        .send_response(&client(&server))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_meta_123"));
    assert_eq!(response.headers().get("Idempotent-Replayed"), Some("true"));
    assert_eq!(
        response
            .headers()
            .get_all("idempotent-replayed")
            .collect::<Vec<_>>(),
        ["true"]
    );
    assert!(response
        .headers()
        .iter()
        .any(|(name, value)| name == "request-id" && value == "req_meta_123"));
    assert_eq!(response.headers().get("x-absent"), None);
    assert_eq!(response.value().id.as_str(), "vs_1");
    assert_eq!(response.into_value().id.as_str(), "vs_1");
}

#[tokio::test]
async fn plain_send_still_returns_the_object() {
    let server = server().await;
    let session = VerificationSession::retrieve(&unchecked_id("vs_1"))
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(session.id.as_str(), "vs_1");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn raw_requests_give_metadata_too() {
    let server = server().await;
    let response = RawRequest::new(Method::Post, SESSIONS)
        .param("verification_flow", "vf_123")
        .send_response::<Value>(&client(&server))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_meta_123"));
    assert_eq!(response.value()["id"], "vs_1");
}

#[tokio::test]
async fn debug_shows_header_names_but_not_values_or_secrets() {
    let server = server().await;
    let response = VerificationSession::retrieve(&unchecked_id("vs_1"))
        .send_response(&client(&server))
        .await
        .unwrap();
    let debug = format!("{response:?}");
    assert!(debug.contains("set-cookie"), "{debug}");
    assert!(debug.contains("req_meta_123"), "{debug}");
    assert!(!debug.contains("cookie_do_not_print"), "{debug}");
    assert!(!debug.contains("vs_1_secret_do_not_print"), "{debug}");
    assert!(!debug.contains(common::SECRET), "{debug}");
}

#[tokio::test]
async fn send_response_with_sends_the_options() {
    let server = server().await;
    let options = RequestOptions::new()
        .stripe_account("acct_meta")
        .idempotency_key("idem_meta");
    let response = VerificationSession::create(
        stripe_identity::models::CreateVerificationSessionType::Document,
    )
    .send_response_with(&client(&server), &options)
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let raw = RawRequest::new(Method::Post, SESSIONS)
        .send_response_with::<Value>(&client(&server), &options)
        .await
        .unwrap();
    assert_eq!(raw.value()["id"], "vs_1");
    for request in received(&server).await {
        assert_eq!(
            common::header(&request, "stripe-account"),
            Some("acct_meta")
        );
        assert_eq!(
            common::header(&request, "idempotency-key"),
            Some("idem_meta")
        );
    }
}
