//! The application's own `reqwest::Client` (`ClientBuilder::http_client`):
//! it is the one used, through a proxy too, and the crate's headers,
//! retries, limits and timeout still apply.
#[path = "client/mod.rs"]
mod common;
#[path = "client/proxy.rs"]
mod proxy;

use std::time::Duration;

use common::{header, received, retrieve, session, SECRET};
use reqwest::header::{HeaderMap, HeaderValue};
use stripe_identity::{Client, Error};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An application's client with a default header of its own.
fn own_client() -> reqwest::ClientBuilder {
    let mut headers = HeaderMap::new();
    headers.insert("x-app", HeaderValue::from_static("inventory-service"));
    // Its own user agent and version header, which the crate's replace.
    headers.insert("stripe-version", HeaderValue::from_static("1999-01-01"));
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("inventory-service/3.1")
}

fn client_with(server: &MockServer, http: reqwest::Client) -> Client {
    common::builder(server).http_client(http).build().unwrap()
}

#[tokio::test]
async fn the_given_client_sends_the_request_with_the_crates_headers() {
    let server = common::session_server().await;
    let client = client_with(&server, own_client().build().unwrap());

    retrieve(&client).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-app"), Some("inventory-service"));
    let bearer = format!("Bearer {SECRET}");
    assert_eq!(header(&requests[0], "authorization"), Some(bearer.as_str()));
    assert_eq!(
        header(&requests[0], "stripe-version"),
        Some(stripe_identity::API_VERSION)
    );
    let agent = header(&requests[0], "user-agent").unwrap();
    assert!(agent.starts_with("Stripe/v1 stripe-identity/"), "{agent}");
    assert!(header(&requests[0], "x-stripe-client-user-agent").is_some());
}

#[tokio::test]
async fn retries_and_the_body_limit_still_apply() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(session("vs_1")))
        .mount(&server)
        .await;
    let client = client_with(&server, own_client().build().unwrap());

    retrieve(&client).await.unwrap();
    assert_eq!(received(&server).await.len(), 2, "the 502 was retried");

    let limited = common::builder(&server)
        .http_client(own_client().build().unwrap())
        .max_response_bytes(16)
        .build()
        .unwrap();
    let err = retrieve(&limited).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 16, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_crates_timeout_replaces_the_given_clients() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(session("vs_1"))
        .set_delay(Duration::from_millis(300));
    Mock::given(any()).respond_with(slow).mount(&server).await;
    // On its own this client gives up long before the answer comes.
    let impatient = own_client()
        .timeout(Duration::from_millis(20))
        .build()
        .unwrap();

    let session = retrieve(&client_with(&server, impatient)).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_followed_redirect_is_refused() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(302).insert_header("Location", "/elsewhere");
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session("vs_x")))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(moved).mount(&server).await;
    // reqwest's default policy follows redirects.
    let following = reqwest::Client::new();

    let err = retrieve(&client_with(&server, following))
        .await
        .unwrap_err();

    match &err {
        Error::Config(message) => assert!(message.contains("redirect"), "{message}"),
        other => panic!("expected the redirect to be refused, got {other:?}"),
    }
    assert!(!err.to_string().contains("/elsewhere"), "{err}");
    assert_eq!(received(&server).await.len(), 2, "followed, not retried");
}

#[tokio::test]
async fn a_request_through_a_proxy_arrives() {
    let server = common::session_server().await;
    let (proxy_url, seen) = proxy::forward_proxy();
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(&proxy_url).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = client_with(&server, http);

    let session = retrieve(&client).await.unwrap();
    common::create(&client).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
    let lines = seen.lock().unwrap().clone();
    let target = format!("{}{}/vs_1", server.uri(), common::SESSIONS);
    assert_eq!(
        lines,
        [
            format!("GET {target} HTTP/1.1"),
            format!("POST {}{} HTTP/1.1", server.uri(), common::SESSIONS),
        ]
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, b"type=document");
    let bearer = format!("Bearer {SECRET}");
    assert_eq!(header(&requests[0], "authorization"), Some(bearer.as_str()));
}
