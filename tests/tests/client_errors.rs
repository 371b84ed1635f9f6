//! How responses that are not the expected object turn into errors.
#[path = "client/mod.rs"]
mod common;

use common::{client, missing_error, retrieve};
use serde_json::json;
use stripe_identity::models::ApiErrorsType;
use stripe_identity::{Error, VerificationSession};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with `response`.
async fn server_with(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A 404 with Stripe's error envelope and a request id.
fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404)
        .insert_header("Request-Id", "req_abc")
        .set_body_json(missing_error())
}

#[tokio::test]
async fn stripe_error_becomes_api_error() {
    let server = server_with(not_found()).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req_abc"));
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.error.type_, ApiErrorsType::InvalidRequestError);
    assert_eq!(api.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(api.error.param.as_deref(), Some("session"));
    assert_eq!(
        api.error.message.as_deref(),
        Some("No such verification session: 'vs_missing'")
    );
    assert_eq!(
        api.error.doc_url.as_deref(),
        Some("https://stripe.com/docs/error-codes/resource-missing")
    );
}

#[tokio::test]
async fn api_error_display_is_informative() {
    let server = server_with(not_found()).await;

    let text = retrieve(&client(&server)).await.unwrap_err().to_string();

    assert_eq!(
        text,
        "Stripe API error (HTTP 404, invalid_request_error, code resource_missing, \
         param session): No such verification session: 'vs_missing' [request id req_abc]"
    );
}

#[tokio::test]
async fn unknown_error_type_is_kept() {
    let body = json!({"error": {"type": "brand_new_error", "message": "?"}});
    let server = server_with(ResponseTemplate::new(402).set_body_json(body)).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    let api = err.as_api().expect("an API error");
    assert_eq!(
        api.error.type_,
        ApiErrorsType::Unknown("brand_new_error".into())
    );
    assert!(err.to_string().contains("brand_new_error"), "{err}");
}

#[tokio::test]
async fn non_json_error_body_is_not_json_keeping_the_body() {
    let html = "<html><body>Bad request from a proxy</body></html>";
    let response = ResponseTemplate::new(400)
        .insert_header("Request-Id", "req_proxy")
        .set_body_string(html);
    let server = server_with(response).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    let Error::NotJson {
        status,
        request_id,
        body,
        content_type,
    } = &err
    else {
        panic!("expected Error::NotJson, got {err:?}")
    };
    assert_eq!(*status, 400);
    assert_eq!(content_type.as_deref(), Some("text/plain"));
    assert_eq!(request_id.as_deref(), Some("req_proxy"));
    assert_eq!(body.text(), html);
    assert!(
        !format!("{err:?}").contains("<html>"),
        "Debug must not dump the body: {err:?}"
    );
    assert_eq!(err.request_id(), Some("req_proxy"));
    assert!(
        !err.to_string().contains("<html>"),
        "Display must not dump the body: {err}"
    );
}

#[tokio::test]
async fn error_of_the_wrong_shape_is_a_decode_error() {
    let body = json!({"error": "something went wrong"});
    let server = server_with(ResponseTemplate::new(400).set_body_json(body)).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    match &err {
        Error::Decode { status, path, .. } => {
            assert_eq!(*status, 400);
            assert_eq!(path, "error");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_shape_on_success_names_the_json_path() {
    let mut bad = common::session("vs_1");
    bad["id"] = json!(5);
    let list = common::list(vec![bad], false);
    let server = server_with(ResponseTemplate::new(200).set_body_json(list)).await;

    let err = VerificationSession::list()
        .send(&client(&server))
        .await
        .unwrap_err();

    let Error::Decode {
        status,
        path,
        message,
        body,
        ..
    } = &err
    else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(*status, 200);
    assert_eq!(path, "data[0].id");
    assert!(message.contains("invalid type"), "{message}");
    assert!(body.text().contains("\"id\":5"), "{}", body.text());
    assert!(err.to_string().contains("data[0].id"), "{err}");
}

#[tokio::test]
async fn decode_path_goes_through_expanded_objects() {
    let mut report = common::report("vr_1");
    report["created"] = json!("yesterday");
    let mut session = common::session("vs_1");
    session["last_verification_report"] = report;
    let server = server_with(ResponseTemplate::new(200).set_body_json(session)).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    match &err {
        Error::Decode { path, .. } => assert_eq!(path, "last_verification_report.created"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_is_an_error_not_a_panic() {
    let cut = r#"{"id": "vs_1", "object": "identity.verif"#;
    let server =
        server_with(ResponseTemplate::new(200).set_body_raw(cut, "application/json")).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    match &err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(*status, 200);
            assert!(message.contains("EOF"), "{message}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn trailing_garbage_is_a_decode_error() {
    let body = format!("{} {{}}", common::session("vs_1"));
    let server =
        server_with(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let err = retrieve(&client(&server)).await.unwrap_err();

    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let mut session = common::session("vs_1");
    session["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let server = server_with(ResponseTemplate::new(200).set_body_json(session)).await;

    let session = retrieve(&client(&server)).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
}

#[tokio::test]
async fn expanded_object_is_decoded() {
    let mut session = common::session("vs_1");
    session["last_verification_report"] = common::report("vr_1");
    let server = server_with(ResponseTemplate::new(200).set_body_json(session)).await;

    let session = retrieve(&client(&server)).await.unwrap();

    let report = session.last_verification_report.expect("present");
    assert!(report.is_object());
    assert_eq!(report.id().as_str(), "vr_1");
}
