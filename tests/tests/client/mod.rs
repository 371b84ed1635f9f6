//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::{
    Client, ClientBuilder, Error, RequestOptions, VerificationSession, VerificationSessionId,
};
use wiremock::MockServer;

/// A secret key that must never show up in any output.
pub const SECRET: &str = "sk_test_51TopSecretKeyDoNotLeak";

/// Path of the verification session collection.
pub const SESSIONS: &str = "/v1/identity/verification_sessions";

/// A builder pointed at `server`, with millisecond backoff so retry tests
/// stay fast.
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_for(&server.uri())
}

/// A builder pointed at `base_url`, with millisecond backoff.
pub fn builder_for(base_url: &str) -> ClientBuilder {
    Client::builder(SECRET)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(4))
}

/// A client pointed at `server` with default retries and fast backoff.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("valid client")
}

/// An id as it could come out of a response: not checked, so it may hold
/// anything.
pub fn unchecked_id(value: &str) -> VerificationSessionId {
    serde_json::from_value(json!(value)).expect("any string deserializes")
}

/// `GET /v1/identity/verification_sessions/vs_1`.
pub async fn retrieve(client: &Client) -> Result<VerificationSession, Error> {
    retrieve_with(client, &RequestOptions::new()).await
}

/// `GET /v1/identity/verification_sessions/vs_1` with options.
pub async fn retrieve_with(
    client: &Client,
    options: &RequestOptions,
) -> Result<VerificationSession, Error> {
    VerificationSession::retrieve(&unchecked_id("vs_1"))
        .send_with(client, options)
        .await
}

/// `POST /v1/identity/verification_sessions` with `type=document`.
pub async fn create(client: &Client) -> Result<VerificationSession, Error> {
    create_with(client, &RequestOptions::new()).await
}

/// `POST /v1/identity/verification_sessions` with `type=document` and options.
pub async fn create_with(
    client: &Client,
    options: &RequestOptions,
) -> Result<VerificationSession, Error> {
    VerificationSession::create(CreateVerificationSessionType::Document)
        .send_with(client, options)
        .await
}

/// A server answering every request with the session `vs_1`.
pub async fn session_server() -> MockServer {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(session("vs_1")))
        .mount(&server)
        .await;
    server
}

/// A verification session as Stripe returns it.
pub fn session(id: &str) -> Value {
    json!({
        "id": id,
        "object": "identity.verification_session",
        "created": 1_690_000_000,
        "livemode": false,
        "status": "verified",
        "type": "document",
        "last_verification_report": null,
        "metadata": {}
    })
}

/// A verification report as Stripe returns it.
pub fn report(id: &str) -> Value {
    json!({
        "id": id,
        "object": "identity.verification_report",
        "created": 1_690_000_001,
        "livemode": false,
        "type": "document"
    })
}

/// A list page holding `data`.
pub fn list(data: Vec<Value>, has_more: bool) -> Value {
    json!({"object": "list", "url": SESSIONS, "has_more": has_more, "data": data})
}

/// Stripe's error envelope for a missing resource.
pub fn missing_error() -> Value {
    json!({
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "param": "session",
            "message": "No such verification session: 'vs_missing'",
            "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_abc"
        }
    })
}

/// Every request the server received so far.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A header of a received request as a string.
pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// A bare TCP server on 127.0.0.1 for failures wiremock cannot produce: for
/// each connection it reads the request head, writes `response` verbatim
/// (possibly nothing) and hangs up. Returns its base URL and a connection
/// count.
pub fn raw_server(response: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response);
        } // dropping `stream` hangs up
    });
    (format!("http://127.0.0.1:{port}"), count)
}

/// A base URL on 127.0.0.1 where nothing listens.
pub fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    format!("http://127.0.0.1:{port}")
}
