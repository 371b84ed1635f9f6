//! Stripe's error messages quote the value they refuse: "Invalid email
//! address: <the address>" reached public error trackers through other SDKs
//! (fjordllc/bootcamp#3927, Sylius/PayumStripePlugin#9 on GitHub). An
//! `Error::Api` about a parameter that may hold personal data keeps the
//! message in `error.message` but never shows it in `Display` or `Debug`;
//! other messages are shown as Stripe wrote them.
#[path = "client/mod.rs"]
mod common;

use common::{client, create};
use serde_json::json;
use stripe_identity::Error;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const EMAIL: &str = "jane.roe.1987@example.org";
const METADATA_KEY: &str = "Jane Roe passport";

/// The error `create` gets from a server answering 400 with `error`.
async fn api_error(error: serde_json::Value) -> Error {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("Request-Id", "req_1")
                .set_body_json(json!({ "error": error })),
        )
        .mount(&server)
        .await;
    create(&client(&server)).await.unwrap_err()
}

/// Every text of `err` that a log or an error tracker could get.
fn texts(err: &Error) -> Vec<String> {
    let mut out = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        out.push(inner.to_string());
        out.push(format!("{inner:?}"));
        source = inner.source();
    }
    out
}

#[tokio::test]
async fn a_refused_email_is_not_quoted() {
    let message = format!("Invalid email address: {EMAIL}");
    let err = api_error(json!({
        "type": "invalid_request_error",
        "param": "provided_details[email]",
        "message": message,
    }))
    .await;

    for text in texts(&err) {
        assert!(!text.contains(EMAIL), "{text}");
    }
    assert_eq!(
        err.to_string(),
        "Stripe API error (HTTP 400, invalid_request_error, param provided_details[email]): \
         [message withheld: it may quote the parameter's value; see error.message] \
         [request id req_1]"
    );
    let api = err.as_api().unwrap();
    assert!(api.message_withheld());
    assert_eq!(api.error.message.as_deref(), Some(message.as_str()));
}

#[tokio::test]
async fn a_metadata_key_and_value_are_not_shown() {
    let err = api_error(json!({
        "type": "invalid_request_error",
        "param": format!("metadata[{METADATA_KEY}]"),
        "message": format!("Invalid value for metadata: {EMAIL}"),
    }))
    .await;

    for text in texts(&err) {
        assert!(!text.contains(EMAIL), "{text}");
        assert!(!text.contains(METADATA_KEY), "{text}");
    }
    assert!(err.to_string().contains("param metadata[*]"), "{err}");
    let api = err.as_api().unwrap();
    assert_eq!(
        api.error.param.as_deref(),
        Some(format!("metadata[{METADATA_KEY}]").as_str())
    );
}

#[tokio::test]
async fn other_messages_are_shown_as_stripe_wrote_them() {
    let message = "Invalid type: must be one of document or id_number";
    let err = api_error(json!({
        "type": "invalid_request_error",
        "param": "type",
        "message": message,
    }))
    .await;

    assert!(!err.as_api().unwrap().message_withheld());
    assert!(err.to_string().contains(message), "{err}");
    assert!(format!("{err:?}").contains(message), "{err:?}");
}
