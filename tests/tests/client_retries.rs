//! When the client retries, how often, and what it keeps across attempts.
#[path = "client/mod.rs"]
mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{client, create, create_with, header, received, retrieve};
use stripe_identity::{Error, RequestOptions};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts a response served `times` times, before any later mock.
async fn respond_times(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(any())
        .respond_with(response)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// Mounts a 200 answer for anything the earlier mocks no longer take.
async fn then_succeed(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(common::session("vs_1")))
        .mount(server)
        .await;
}

#[tokio::test]
async fn server_error_is_retried_with_the_same_idempotency_key() {
    let server = MockServer::start().await;
    respond_times(&server, ResponseTemplate::new(500), 1).await;
    then_succeed(&server).await;

    let session = create(&client(&server)).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let first = header(&requests[0], "idempotency-key").expect("key");
    assert_eq!(header(&requests[1], "idempotency-key"), Some(first));
}

#[tokio::test]
async fn caller_idempotency_key_is_reused_on_retry() {
    let server = MockServer::start().await;
    respond_times(&server, ResponseTemplate::new(503), 1).await;
    then_succeed(&server).await;

    let options = RequestOptions::new().idempotency_key("mine");
    create_with(&client(&server), &options).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| header(r, "idempotency-key") == Some("mine")));
}

#[tokio::test]
async fn should_retry_false_wins_over_server_error() {
    let server = MockServer::start().await;
    let refuse = ResponseTemplate::new(500)
        .insert_header("Stripe-Should-Retry", "false")
        .set_body_json(common::missing_error());
    respond_times(&server, refuse, 1).await;
    then_succeed(&server).await;

    let err = create(&client(&server)).await.unwrap_err();

    assert_eq!(err.status(), Some(500));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn should_retry_true_retries_a_client_error() {
    let server = MockServer::start().await;
    let advise = ResponseTemplate::new(400)
        .insert_header("Stripe-Should-Retry", "true")
        .set_body_json(common::missing_error());
    respond_times(&server, advise, 1).await;
    then_succeed(&server).await;

    create(&client(&server)).await.unwrap();

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn rate_limit_is_retried() {
    let server = MockServer::start().await;
    respond_times(&server, ResponseTemplate::new(429), 1).await;
    then_succeed(&server).await;

    create(&client(&server)).await.unwrap();

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn conflict_is_retried() {
    let server = MockServer::start().await;
    respond_times(&server, ResponseTemplate::new(409), 1).await;
    then_succeed(&server).await;

    create(&client(&server)).await.unwrap();

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn get_is_retried_too() {
    let server = MockServer::start().await;
    respond_times(&server, ResponseTemplate::new(502), 1).await;
    then_succeed(&server).await;

    retrieve(&client(&server)).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(header(&requests[1], "idempotency-key"), None);
}

#[tokio::test]
async fn client_error_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(common::missing_error()))
        .expect(1)
        .mount(&server)
        .await;

    let err = create(&client(&server)).await.unwrap_err();

    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn max_retries_is_respected() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_json(common::missing_error()))
        .expect(4) // 1 attempt + 3 retries
        .mount(&server)
        .await;
    let client = common::builder(&server).max_retries(3).build().unwrap();

    let err = create(&client).await.unwrap_err();

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(500));
}

#[tokio::test]
async fn zero_max_retries_disables_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server).max_retries(0).build().unwrap();

    let err = create(&client).await.unwrap_err();

    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn timeout_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .timeout(Duration::from_millis(40))
        .max_retries(1)
        .build()
        .unwrap();

    let err = retrieve(&client).await.unwrap_err();

    match &err {
        Error::Network(inner) => assert!(inner.is_timeout(), "{inner:?}"),
        other => panic!("expected a network error, got {other:?}"),
    }
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let client = common::builder_for(&common::closed_port_url())
        .max_retries(2)
        .retry_backoff(Duration::from_millis(10), Duration::from_millis(10))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = retrieve(&client).await.unwrap_err();

    match &err {
        Error::Network(inner) => assert!(inner.is_connect(), "{inner:?}"),
        other => panic!("expected a network error, got {other:?}"),
    }
    assert!(err.to_string().contains("Connection refused"), "{err}");
    // Two retries, each waiting at least half of the 10 ms backoff.
    assert!(started.elapsed() >= Duration::from_millis(10));
}

#[tokio::test]
async fn dropped_connection_is_retried_then_reported() {
    let (base_url, connections) = common::raw_server(b"");
    let client = common::builder_for(&base_url)
        .max_retries(2)
        .build()
        .unwrap();

    let err = create(&client).await.unwrap_err();

    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn body_cut_short_is_retried_then_reported() {
    // Promises 100 bytes of body, sends a few, then hangs up.
    let response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: 100\r\n\r\n{\"id\": \"vs_";
    let (base_url, connections) = common::raw_server(response);
    let client = common::builder_for(&base_url)
        .max_retries(1)
        .build()
        .unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}
