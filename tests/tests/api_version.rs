//! `Stripe-Version`: the pinned `API_VERSION` unless the client or the
//! request (which wins) names another.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{header, received, retrieve, retrieve_with, session_server as server};
use stripe_identity::{ClientBuilder, Error, Method, RawRequest, RequestOptions};
use wiremock::MockServer;

/// Stripe API versions other than the pinned one (both exist).
const CLIENT_VERSION: &str = "2024-06-20";
const REQUEST_VERSION: &str = "2022-11-15";

fn builder(server: &MockServer) -> ClientBuilder {
    common::builder(server)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
}

async fn sent_version(server: &MockServer) -> String {
    let requests = received(server).await;
    let last = requests.last().expect("a request was sent");
    header(last, "stripe-version").unwrap().to_owned()
}

#[tokio::test]
async fn the_pinned_version_by_default() {
    let server = server().await;
    retrieve(&builder(&server).build().unwrap()).await.unwrap();
    assert_eq!(sent_version(&server).await, stripe_identity::API_VERSION);
    assert_ne!(stripe_identity::API_VERSION, CLIENT_VERSION);
}

#[tokio::test]
async fn the_client_version_overrides_the_pinned_one() {
    let server = server().await;
    let client = builder(&server)
        .api_version(CLIENT_VERSION)
        .build()
        .unwrap();
    retrieve(&client).await.unwrap();
    assert_eq!(sent_version(&server).await, CLIENT_VERSION);
}

#[tokio::test]
async fn the_request_version_wins_over_the_client_version() {
    let server = server().await;
    let client = builder(&server)
        .api_version(CLIENT_VERSION)
        .build()
        .unwrap();
    let options = RequestOptions::new().api_version(REQUEST_VERSION);
    retrieve_with(&client, &options).await.unwrap();
    assert_eq!(sent_version(&server).await, REQUEST_VERSION);

    let _: serde_json::Value = RawRequest::new(Method::Get, common::SESSIONS)
        .send_with(&client, &options)
        .await
        .unwrap();
    assert_eq!(sent_version(&server).await, REQUEST_VERSION);

    // Without request options the client's version applies again.
    retrieve(&client).await.unwrap();
    assert_eq!(sent_version(&server).await, CLIENT_VERSION);
}

#[tokio::test]
async fn an_invalid_version_is_refused_before_sending() {
    let server = server().await;
    for bad in ["", " ", "2024-06-20\r\nX-Injected: 1"] {
        let built = builder(&server).api_version(bad).build();
        assert!(matches!(built, Err(Error::Config(_))), "{bad:?}");

        let client = builder(&server).build().unwrap();
        let options = RequestOptions::new().api_version(bad);
        let result = retrieve_with(&client, &options).await;
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{bad:?}");
    }
    assert_eq!(received(&server).await.len(), 0);
}
