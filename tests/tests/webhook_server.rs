//! The `webhook_server` example, end to end: its router is served on a local
//! port and real HTTP requests are sent to it, signed the way Stripe signs
//! deliveries, with a timestamp of now; and driven by the test double
//! (`stripe_identity::testing`), which creates, verifies and fails sessions
//! and delivers their signed events to it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use sha2::Sha256;
use stripe_identity::models::{CreateVerificationSessionType, VerificationSessionLastErrorCode};
use stripe_identity::testing::{StripeDouble, VerifiedPerson};
use stripe_identity::{EventId, VerificationSession, Webhook};

/// The generated example itself, not a copy; its `main` is not used here.
#[allow(dead_code)]
#[path = "../../generated/examples/webhook_server.rs"]
mod example;

/// The endpoint secret of the server under test.
const SECRET: &str = "whsec_webhook_server_test";

/// An `identity.verification_session.verified` event, as Stripe delivers
/// it: the envelope and the session are Stripe's example objects (from
/// `fixtures3.v524.json`), with this event's type.
const EVENT: &str = r#"{"id":"evt_1NnmXEGPxmnHQRkJO3bak93X","object":"event","api_version":"2023-08-16","created":1694107100,"data":{"object":{"client_secret":null,"created":1694107045,"id":"vs_1NnmXJGPxmnHQRkJVcb4sPQS","last_error":null,"last_verification_report":"vr_OayUPCTp071xnrG1dFUdtqgS","livemode":false,"metadata":{},"object":"identity.verification_session","options":{"document":{"require_matching_selfie":true}},"redaction":null,"status":"verified","type":"document","url":null}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"identity.verification_session.verified"}"#;
const EVENT_ID: &str = "evt_1NnmXEGPxmnHQRkJO3bak93X";
const EVENT_TYPE: &str = "identity.verification_session.verified";

/// The signature of `EVENT` at `t=1700000000` under `SECRET`, computed with
/// OpenSSL 3.0, not with the code below:
///
/// ```sh
/// printf '%s' "1700000000.$EVENT" | openssl dgst -sha256 -hmac "whsec_webhook_server_test"
/// # SHA2-256(stdin)= 326e37e65557e9e3c4c2b934761d558ffb8783fbd73bc7d2aa239282f26a9fe5
/// ```
const OPENSSL_SIGNATURE: &str = "326e37e65557e9e3c4c2b934761d558ffb8783fbd73bc7d2aa239282f26a9fe5";

/// The `v1` signature Stripe would send: hex HMAC-SHA256 of `"<t>.<body>"`.
fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A `Stripe-Signature` header for `body`, signed now.
fn signature_header(body: &[u8]) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let t = i64::try_from(now.as_secs()).unwrap();
    format!("t={t},v1={}", sign(SECRET, t, body))
}

/// Serves the example's router on a free local port; returns its webhook
/// URL and its state, to see what it handled.
async fn start() -> (String, example::AppState) {
    start_with(SECRET).await
}

/// Like [`start`], verifying deliveries with `secret`.
async fn start_with(secret: &str) -> (String, example::AppState) {
    let state = example::AppState::new(Webhook::new(secret));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let app = example::app(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

/// Sends `body` with the given `Stripe-Signature` header (none if `None`);
/// returns the status and the response text.
async fn post(url: &str, body: &[u8], signature: Option<&str>) -> (StatusCode, String) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap();
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn handled_once() -> Vec<(EventId, String)> {
    vec![(EVENT_ID.parse().unwrap(), EVENT_TYPE.to_owned())]
}

#[test]
fn signing_helper_matches_openssl() {
    assert_eq!(
        sign(SECRET, 1_700_000_000, EVENT.as_bytes()),
        OPENSSL_SIGNATURE
    );
}

#[tokio::test]
async fn signed_delivery_is_accepted_and_handled() {
    let (url, state) = start().await;
    let header = signature_header(EVENT.as_bytes());
    let (status, text) = post(&url, EVENT.as_bytes(), Some(&header)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(state.handled(), handled_once());
}

#[tokio::test]
async fn tampered_delivery_is_refused_and_not_handled() {
    let body = EVENT.as_bytes();
    let header = signature_header(body);
    // The session id with its last character changed: one byte differs.
    let tampered = EVENT
        .replace("vs_1NnmXJGPxmnHQRkJVcb4sPQS", "vs_1NnmXJGPxmnHQRkJVcb4sPQT")
        .into_bytes();
    let differing = body.iter().zip(&tampered).filter(|(a, b)| a != b).count();
    assert_eq!((tampered.len(), differing), (body.len(), 1));

    let (url, state) = start().await;
    let (status, text) = post(&url, &tampered, Some(&header)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(state.handled().is_empty(), "{:?}", state.handled());

    // The refused delivery did not mark the event as seen: the genuine one
    // is still handled.
    let (status, text) = post(&url, body, Some(&header)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(state.handled(), handled_once());
}

#[tokio::test]
async fn delivery_without_signature_header_is_refused() {
    let (url, state) = start().await;
    let (status, text) = post(&url, EVENT.as_bytes(), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("Stripe-Signature"), "{text}");
    assert!(state.handled().is_empty(), "{:?}", state.handled());
}

#[tokio::test]
async fn repeated_delivery_is_handled_once() {
    let (url, state) = start().await;
    let header = signature_header(EVENT.as_bytes());
    for attempt in 1..=2 {
        let (status, text) = post(&url, EVENT.as_bytes(), Some(&header)).await;
        assert!(status.is_success(), "attempt {attempt}: {status} {text}");
    }
    assert_eq!(state.handled(), handled_once());
}

#[tokio::test]
async fn an_unset_secret_answers_500_so_stripe_retries_once_it_is_set() {
    let state = example::AppState::new(Webhook::new(""));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let app = example::app(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let header = signature_header(EVENT.as_bytes());
    let (status, text) = post(&url, EVENT.as_bytes(), Some(&header)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    assert!(state.handled().is_empty(), "{:?}", state.handled());
}

/// The handled events' types, without their ids.
fn handled_types(state: &example::AppState) -> Vec<String> {
    state.handled().into_iter().map(|(_, t)| t).collect()
}

#[tokio::test]
async fn a_verified_session_reaches_the_app_through_the_double() {
    let stripe = StripeDouble::start().await;
    let (url, app) = start_with(stripe.webhook_secret()).await;
    stripe
        .add_webhook_endpoint(&url, &["identity.verification_session.verified"])
        .unwrap();
    let session = VerificationSession::create(CreateVerificationSessionType::Document)
        .send(stripe.client())
        .await
        .unwrap();
    stripe
        .verify(&session.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let verified = stripe.events().pop().unwrap();
    assert_eq!(verified.type_.as_str(), EVENT_TYPE);
    assert_eq!(app.handled(), vec![(verified.id, EVENT_TYPE.to_owned())]);
    let delivery = stripe.deliveries().pop().unwrap();
    assert_eq!((delivery.status, delivery.attempt), (Some(200), 1));
}

#[tokio::test]
async fn a_failed_verification_reaches_the_app_through_the_double() {
    let stripe = StripeDouble::start().await;
    let (url, app) = start_with(stripe.webhook_secret()).await;
    stripe.add_webhook_endpoint(&url, &["*"]).unwrap();
    let session = VerificationSession::create(CreateVerificationSessionType::Document)
        .send(stripe.client())
        .await
        .unwrap();
    let failed = stripe
        .fail(
            &session.id,
            VerificationSessionLastErrorCode::DocumentExpired,
        )
        .await
        .unwrap();
    assert_eq!(failed.status.as_str(), "requires_input");
    assert_eq!(
        handled_types(&app),
        [
            "identity.verification_session.created",
            "identity.verification_session.processing",
            "identity.verification_session.requires_input",
        ]
    );
}

#[tokio::test]
async fn a_duplicate_delivery_from_the_double_is_handled_once() {
    let stripe = StripeDouble::start().await;
    let (url, app) = start_with(stripe.webhook_secret()).await;
    stripe.add_webhook_endpoint(&url, &["*"]).unwrap();
    let session = VerificationSession::create(CreateVerificationSessionType::IdNumber)
        .send(stripe.client())
        .await
        .unwrap();
    stripe
        .verify(&session.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let verified = stripe.events().pop().unwrap();
    stripe.resend(&verified.id).await.unwrap();
    let deliveries: Vec<_> = stripe
        .deliveries()
        .into_iter()
        .filter(|d| d.event_id == verified.id.as_str())
        .collect();
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d.status == Some(200)));
    let verified_handled = app
        .handled()
        .into_iter()
        .filter(|(id, _)| *id == verified.id)
        .count();
    assert_eq!(verified_handled, 1);
    assert_eq!(app.handled().len(), 3);
}

#[tokio::test]
async fn deliveries_signed_with_another_secret_are_refused_and_retried() {
    let stripe = StripeDouble::builder().delivery_attempts(2).start().await;
    let (url, app) = start_with("whsec_not_the_doubles").await;
    stripe.add_webhook_endpoint(&url, &["*"]).unwrap();
    VerificationSession::create(CreateVerificationSessionType::Document)
        .send(stripe.client())
        .await
        .unwrap();
    stripe.settled().await;
    let statuses: Vec<_> = stripe.deliveries().iter().map(|d| d.status).collect();
    assert_eq!(statuses, [Some(400), Some(400)]);
    assert!(app.handled().is_empty());
}
