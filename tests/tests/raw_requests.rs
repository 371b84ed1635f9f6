//! `RawRequest`: any method to any `/v1/` path, through the same client
//! (headers, idempotency keys, retries, errors) as the typed requests.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{header, received, session, SESSIONS};
use serde_json::Value;
use stripe_identity::{Client, Error, Method, RawRequest, RequestOptions, VerificationSession};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client for `server` that gives up within seconds.
fn client(server: &MockServer) -> Client {
    common::builder(server)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A server answering `verb path` with `status` and `body`.
async fn serve(verb: &str, at: &str, status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("request-id", "req_raw")
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    server
}

fn raw_create() -> RawRequest {
    RawRequest::new(Method::Post, SESSIONS).param("verification_flow", "vf_123")
}

fn body(request: &wiremock::Request) -> &str {
    std::str::from_utf8(&request.body).unwrap()
}

#[tokio::test]
async fn raw_create_with_a_verification_flow_decodes_into_a_session() {
    let server = serve("POST", SESSIONS, 200, session("vs_1")).await;
    let session: VerificationSession = raw_create().send(&client(&server)).await.unwrap();
    assert_eq!(session.id.as_str(), "vs_1");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(body(&requests[0]), "verification_flow=vf_123");
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(header(&requests[0], "idempotency-key").is_some_and(|k| k.len() >= 32));
    assert_eq!(
        header(&requests[0], "stripe-version"),
        Some(stripe_identity::API_VERSION)
    );
    let bearer = format!("Bearer {}", common::SECRET);
    assert_eq!(header(&requests[0], "authorization"), Some(bearer.as_str()));
}

#[tokio::test]
async fn raw_create_decodes_into_json() {
    let server = serve("POST", SESSIONS, 200, session("vs_1")).await;
    let options = RequestOptions::new().idempotency_key("flow-vf_123");
    let json: Value = raw_create()
        .send_with(&client(&server), &options)
        .await
        .unwrap();
    assert_eq!(json, session("vs_1"));

    let requests = received(&server).await;
    assert_eq!(body(&requests[0]), "verification_flow=vf_123");
    assert_eq!(header(&requests[0], "idempotency-key"), Some("flow-vf_123"));
}

#[tokio::test]
async fn raw_get_sends_its_params_in_the_query_string() {
    let server = serve("GET", SESSIONS, 200, common::list(vec![], false)).await;
    let page: stripe_identity::List<VerificationSession> = RawRequest::new(Method::Get, SESSIONS)
        .param("limit", "3")
        .param("created[gte]", "1690000000")
        .send(&client(&server))
        .await
        .unwrap();
    assert!(page.data.is_empty());
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("limit=3&created[gte]=1690000000")
    );
    assert!(requests[0].body.is_empty());
    assert_eq!(header(&requests[0], "idempotency-key"), None);
}

#[tokio::test]
async fn a_retried_raw_request_keeps_its_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(common::missing_error()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session("vs_1")))
        .mount(&server)
        .await;
    let _: Value = raw_create().send(&client(&server)).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let first = header(&requests[0], "idempotency-key").unwrap();
    assert_eq!(header(&requests[1], "idempotency-key"), Some(first));
    assert_eq!(body(&requests[1]), "verification_flow=vf_123");
}

#[tokio::test]
async fn bad_paths_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for bad in [
        "/v2/identity/verification_sessions",
        "v1/identity/verification_sessions",
        "/v1/identity/verification_sessions?limit=1",
        "/v1/identity/verification_sessions#x",
        "/v1/identity/../billing/meters",
        "/v1/identity/%2E%2E/billing/meters",
        "/v1/identity/verification_sessions\r\nX-Injected: 1",
    ] {
        let result = RawRequest::new(Method::Get, bad)
            .send::<Value>(&client)
            .await;
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{bad:?}: {result:?}"
        );
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn bad_param_keys_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for request in [
        raw_create().param("verification_flow", "vf_456"),
        raw_create().param("options[", "x"),
        raw_create().param("", "x"),
    ] {
        let result = request.send::<Value>(&client).await;
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{result:?}"
        );
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn stripe_errors_carry_the_request_id() {
    let at = "/v1/identity/verification_sessions/vs_missing";
    let server = serve("GET", at, 404, common::missing_error()).await;
    let err = RawRequest::new(Method::Get, at)
        .send::<Value>(&client(&server))
        .await
        .unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(err.request_id(), Some("req_raw"));
    assert_eq!(api.error.code.as_deref(), Some("resource_missing"));
}

#[tokio::test]
async fn decode_errors_name_the_path() {
    let mut body = session("vs_1");
    body["created"] = Value::from("yesterday");
    let server = serve("POST", SESSIONS, 200, body).await;
    let err = raw_create()
        .send::<VerificationSession>(&client(&server))
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            path, request_id, ..
        } => {
            assert_eq!(path, "created");
            assert_eq!(request_id.as_deref(), Some("req_raw"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn path_segment_encodes_ids_for_a_raw_path() {
    let id = RawRequest::path_segment("vs_1/../x?y").unwrap();
    assert_eq!(id, "vs_1%2F%2E%2E%2Fx%3Fy");
    let at = format!("/v1/identity/verification_sessions/{id}/redact");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session("vs_1")))
        .mount(&server)
        .await;
    let _: Value = RawRequest::new(Method::Post, at)
        .send(&client(&server))
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        "/v1/identity/verification_sessions/vs_1%2F%2E%2E%2Fx%3Fy/redact"
    );
    assert!(RawRequest::path_segment("..").is_err());
}

#[test]
fn debug_of_a_raw_request_shows_keys_not_values() {
    let request = RawRequest::new(Method::Post, SESSIONS)
        .param("provided_details[email]", "jenny@example.com");
    let debug = format!("{request:?}");
    assert!(debug.contains("provided_details[email]"), "{debug}");
    assert!(!debug.contains("jenny"), "{debug}");
}
