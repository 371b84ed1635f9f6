//! The secret key never shows up in Debug output or error messages.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{retrieve, SECRET};
use stripe_identity::{Client, Error, VerificationSession};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Fails the test if `err`'s Display or Debug output contains the key.
fn assert_no_secret(err: &Error) {
    let display = err.to_string();
    let debug = format!("{err:?}");
    assert!(
        !display.contains(SECRET),
        "Display leaks the key: {display}"
    );
    assert!(!debug.contains(SECRET), "Debug leaks the key: {debug}");
    // Not even a recognisable part of it.
    assert!(
        !debug.contains("TopSecret"),
        "Debug leaks part of the key: {debug}"
    );
}

#[test]
fn debug_of_builder_and_client_hides_the_key() {
    let builder = Client::builder(SECRET).stripe_account("acct_1");
    let builder_debug = format!("{builder:?}");
    let client_debug = format!("{:?}", builder.build().unwrap());

    for debug in [builder_debug, client_debug] {
        assert!(!debug.contains(SECRET), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        assert!(
            debug.contains("acct_1"),
            "other settings stay visible: {debug}"
        );
    }
}

#[tokio::test]
async fn api_and_decode_errors_hide_the_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_string("not json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": 1})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(common::missing_error()))
        .mount(&server)
        .await;
    let client = common::client(&server);

    let not_json = retrieve(&client).await.unwrap_err();
    let decode = retrieve(&client).await.unwrap_err();
    let api = retrieve(&client).await.unwrap_err();

    assert!(matches!(not_json, Error::NotJson { .. }), "{not_json:?}");
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
    assert!(matches!(api, Error::Api(_)), "{api:?}");
    assert_no_secret(&not_json);
    assert_no_secret(&decode);
    assert_no_secret(&api);
}

#[tokio::test]
async fn network_errors_hide_the_key() {
    let (base_url, _) = common::raw_server(b"");
    let client = common::builder_for(&base_url)
        .max_retries(0)
        .build()
        .unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn timeout_errors_hide_the_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .timeout(Duration::from_millis(20))
        .max_retries(0)
        .build()
        .unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn invalid_request_errors_hide_the_key() {
    let client = Client::new(SECRET);

    let err = VerificationSession::retrieve(&common::unchecked_id(".."))
        .send(&client)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_no_secret(&err);
}

#[test]
fn config_errors_hide_the_key() {
    let bad_key = format!("{SECRET}\n");
    let err = Client::builder(bad_key.as_str()).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_secret(&err);

    let err = Client::builder(SECRET)
        .base_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_secret(&err);
}

#[test]
fn empty_key_is_a_config_error_that_says_the_key_is_missing() {
    for key in ["", "  "] {
        let err = Client::builder(key).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("secret key is empty"), "{text}");
        assert!(
            text.contains("sk_test_"),
            "says what a key looks like: {text}"
        );
    }
    // `Client::new` panics with the same words.
    let panic = std::panic::catch_unwind(|| Client::new("")).unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .expect("formatted panic message");
    assert!(message.contains("secret key is empty"), "{message}");
}

#[test]
fn a_key_with_a_line_break_says_so_without_showing_the_key() {
    let err = Client::builder(format!("{SECRET}\n")).build().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("whitespace"), "{text}");
    assert_no_secret(&err);
}

#[test]
fn client_new_panic_message_hides_the_key() {
    let bad_key = format!("{SECRET}\n");
    let panic = std::panic::catch_unwind(|| Client::new(bad_key.as_str())).unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .expect("formatted panic message");
    assert!(message.contains("secret key"), "{message}");
    assert!(!message.contains("TopSecret"), "{message}");
}

/// A response that does not decode can still hold a session's secret and
/// the person's data: the error keeps it, for a caller who asks, but its
/// `Debug` and `Display` show only its length.
#[tokio::test]
async fn a_decode_error_never_shows_the_body_it_keeps() {
    let mut session = common::session("vs_1");
    session["client_secret"] = serde_json::json!("vs_1_secret_in_body");
    session["verified_outputs"] = serde_json::json!({"first_name": "Jenny", "last_name": "Rosen"});
    session["created"] = serde_json::json!("not a timestamp");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&session))
        .mount(&server)
        .await;

    let err = retrieve(&common::client(&server)).await.unwrap_err();

    let Error::Decode { body, path, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(path, "created");
    assert!(
        body.text().contains("vs_1_secret_in_body"),
        "kept for the caller"
    );
    for shown in [format!("{err:?}"), format!("{err:#?}"), err.to_string()] {
        for hidden in ["vs_1_secret_in_body", "Jenny", "Rosen"] {
            assert!(!shown.contains(hidden), "`{hidden}` in {shown}");
        }
        assert!(shown.contains(&body.len().to_string()), "length in {shown}");
    }
}
