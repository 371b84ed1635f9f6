//! Per-request timeout and retry count (`RequestOptions::timeout`,
//! `RequestOptions::max_retries`) beside the client-wide ones.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{received, retrieve, retrieve_with, session};
use futures_util::TryStreamExt;
use stripe_identity::{Error, RequestOptions, VerificationSession};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with a session after `delay`.
async fn slow_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(session("vs_1"))
        .set_delay(delay);
    Mock::given(any()).respond_with(slow).mount(&server).await;
    server
}

/// A server that always answers 500.
async fn failing_server() -> MockServer {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(500).set_body_json(common::missing_error());
    Mock::given(any())
        .respond_with(failing)
        .mount(&server)
        .await;
    server
}

fn assert_timed_out(err: &Error) {
    match err {
        Error::Network(inner) => assert!(inner.is_timeout(), "{inner:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_shorter_request_timeout_wins_over_the_clients() {
    let server = slow_server(Duration::from_millis(400)).await;
    // The client waits 80 s by default; this call gives each attempt 30 ms.
    let client = common::builder(&server).max_retries(1).build().unwrap();

    let options = RequestOptions::new().timeout(Duration::from_millis(30));
    let err = retrieve_with(&client, &options).await.unwrap_err();

    assert_timed_out(&err);
    assert_eq!(received(&server).await.len(), 2, "each attempt timed out");
}

#[tokio::test]
async fn a_longer_request_timeout_wins_over_the_clients() {
    let server = slow_server(Duration::from_millis(200)).await;
    let client = common::builder(&server)
        .timeout(Duration::from_millis(20))
        .max_retries(0)
        .build()
        .unwrap();
    let err = retrieve(&client).await.unwrap_err();
    assert_timed_out(&err);

    let options = RequestOptions::new().timeout(Duration::from_secs(30));
    let session = retrieve_with(&client, &options).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
}

#[tokio::test]
async fn request_max_retries_wins_over_the_clients() {
    let server = failing_server().await;
    let client = common::builder(&server).max_retries(1).build().unwrap();

    let once = RequestOptions::new().max_retries(0);
    assert_eq!(
        retrieve_with(&client, &once).await.unwrap_err().status(),
        Some(500)
    );
    assert_eq!(received(&server).await.len(), 1);

    let four = RequestOptions::new().max_retries(3);
    assert_eq!(
        retrieve_with(&client, &four).await.unwrap_err().status(),
        Some(500)
    );
    assert_eq!(received(&server).await.len(), 1 + 4);

    // Without options, the client's setting: two attempts.
    retrieve(&client).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1 + 4 + 2);
}

#[tokio::test]
async fn pagination_applies_the_options_to_every_page() {
    let server = failing_server().await;
    let client = common::client(&server);

    let options = RequestOptions::new().max_retries(0);
    let result: Result<Vec<VerificationSession>, Error> = VerificationSession::list()
        .paginate_with(&client, &options)
        .try_collect()
        .await;

    assert_eq!(result.unwrap_err().status(), Some(500));
    assert_eq!(received(&server).await.len(), 1);
}
