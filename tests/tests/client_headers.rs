//! Headers, query strings and bodies the client sends.
#[path = "client/mod.rs"]
mod common;

use common::{client, create, create_with, header, received, retrieve, retrieve_with, SECRET};
use stripe_identity::models::{
    CreateVerificationSessionType, ListVerificationSessionsCreatedRangeQuerySpecs,
};
use stripe_identity::{Error, RequestOptions, VerificationSession};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with a verification session.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(common::SESSIONS))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::list(vec![], false)))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(common::session("vs_1")))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn sends_auth_version_and_user_agent() {
    let server = server().await;
    retrieve(&client(&server)).await.unwrap();

    let requests = received(&server).await;
    let bearer = format!("Bearer {SECRET}");
    assert_eq!(header(&requests[0], "authorization"), Some(bearer.as_str()));
    assert_eq!(
        header(&requests[0], "stripe-version"),
        Some(stripe_identity::API_VERSION)
    );
    // The format of stripe-python's `User-Agent`, with this crate's name.
    let agent = concat!("Stripe/v1 stripe-identity/", env!("CARGO_PKG_VERSION"));
    assert_eq!(header(&requests[0], "user-agent"), Some(agent));
    assert_eq!(header(&requests[0], "stripe-account"), None);
}

#[tokio::test]
async fn client_stripe_account_is_sent() {
    let server = server().await;
    let client = common::builder(&server)
        .stripe_account("acct_client")
        .build()
        .unwrap();
    retrieve(&client).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "stripe-account"), Some("acct_client"));
}

#[tokio::test]
async fn request_stripe_account_overrides_client() {
    let server = server().await;
    let client = common::builder(&server)
        .stripe_account("acct_client")
        .build()
        .unwrap();
    let options = RequestOptions::new().stripe_account("acct_request");
    retrieve_with(&client, &options).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "stripe-account"), Some("acct_request"));
}

#[tokio::test]
async fn get_has_no_idempotency_key() {
    let server = server().await;
    retrieve(&client(&server)).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(header(&requests[0], "idempotency-key"), None);
}

#[tokio::test]
async fn post_gets_a_fresh_random_idempotency_key() {
    let server = server().await;
    let client = client(&server);
    create(&client).await.unwrap();
    create(&client).await.unwrap();

    let requests = received(&server).await;
    let first = header(&requests[0], "idempotency-key").expect("key on POST");
    let second = header(&requests[1], "idempotency-key").expect("key on POST");
    // A UUID v4: 36 characters, version nibble 4.
    assert_eq!(first.len(), 36, "{first}");
    assert_eq!(first.as_bytes()[14], b'4', "{first}");
    assert_ne!(first, second, "each call gets its own key");
}

#[tokio::test]
async fn caller_idempotency_key_is_used() {
    let server = server().await;
    let options = RequestOptions::new().idempotency_key("order-42-create");
    create_with(&client(&server), &options).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "idempotency-key"),
        Some("order-42-create")
    );
}

#[tokio::test]
async fn get_params_go_in_the_query_string() {
    let server = server().await;
    let created = ListVerificationSessionsCreatedRangeQuerySpecs {
        gte: Some(1_690_000_000),
        ..Default::default()
    };
    VerificationSession::list()
        .created(created)
        .expand(["data.last_verification_report"])
        .send(&client(&server))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("created[gte]=1690000000&expand[0]=data.last_verification_report")
    );
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn post_params_go_in_a_form_body() {
    let server = server().await;
    VerificationSession::create(CreateVerificationSessionType::Document)
        .metadata("order", "42")
        .send(&client(&server))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].body, b"metadata[order]=42&type=document");
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/v1/identity/verification_sessions/vs_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::session("vs_1")))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .base_url(format!("{}/prefix/", server.uri()))
        .build()
        .unwrap();

    retrieve(&client).await.unwrap();
}

#[tokio::test]
async fn invalid_header_option_is_rejected_before_sending() {
    let server = server().await;
    let options = RequestOptions::new().stripe_account("acct_1\r\nX-Injected: 1");

    let err = create_with(&client(&server), &options).await.unwrap_err();

    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(received(&server).await.is_empty());
}
