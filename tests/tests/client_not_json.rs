//! Responses that are not Stripe's JSON (a redirect, which the client does
//! not follow; an HTML page from a proxy; an empty body) are reported as
//! what they are, with status and content type, not as a JSON decoding
//! error at `.`.
#[path = "client/mod.rs"]
mod common;

use common::{builder, builder_for, raw_server, retrieve};
use stripe_identity::Error;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn error_for(response: ResponseTemplate) -> Error {
    let server = answering(response).await;
    let client = builder(&server).max_retries(0).build().unwrap();
    retrieve(&client).await.expect_err("not a Stripe body")
}

#[tokio::test]
async fn a_redirect_is_reported_as_one() {
    let err = error_for(ResponseTemplate::new(301).insert_header(
        "Location",
        "https://api.stripe.com/v1/identity/verification_sessions/vs_1",
    ))
    .await;
    assert!(
        matches!(
            &err,
            Error::NotJson {
                status: 301,
                content_type: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(301));
    let text = err.to_string();
    assert!(text.starts_with("HTTP 301 response without a content type (0 bytes) is not a Stripe JSON body: it is a redirect"), "{text}");
    assert!(text.contains("base URL"), "{text}");
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_reported_with_its_content_type() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = error_for(
        ResponseTemplate::new(502)
            .insert_header("Request-Id", "req_gw")
            .set_body_raw(html, "text/html; charset=utf-8"),
    )
    .await;
    let Error::NotJson {
        status,
        content_type,
        body,
        ..
    } = &err
    else {
        panic!("expected NotJson, got {err:?}");
    };
    assert_eq!((*status, content_type.as_deref()), (502, Some("text/html")));
    assert_eq!(body.text(), html, "kept for a caller who looks");
    assert_eq!(
        err.to_string(),
        format!(
            "HTTP 502 response with content type text/html ({} bytes) is not a Stripe JSON body \
             (request id req_gw)",
            html.len()
        )
    );
    assert!(!format!("{err:?}").contains("Bad Gateway"), "{err:?}");
}

#[tokio::test]
async fn an_empty_success_without_content_type_is_not_json() {
    let err = error_for(ResponseTemplate::new(200)).await;
    assert!(
        matches!(&err, Error::NotJson { status: 200, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn json_without_a_content_type_still_decodes() {
    let body = common::session("vs_1").to_string();
    let response: &'static str = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    );
    let (url, _) = raw_server(response.as_bytes());
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let session = retrieve(&client).await.expect("decodes");
    assert_eq!(session.id.as_str(), "vs_1");
}

#[tokio::test]
async fn json_declared_but_broken_stays_a_decode_error() {
    let err =
        error_for(ResponseTemplate::new(200).set_body_raw("{\"id\":", "application/json")).await;
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "."),
        "{err:?}"
    );
}
