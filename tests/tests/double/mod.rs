//! Helpers shared by the tests of the test double.
#![allow(dead_code)] // each test binary uses a different subset

use serde_json::Value;
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::testing::StripeDouble;
use stripe_identity::VerificationSession;

/// A response read by a plain HTTP client.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub body: Value,
    pub request_id: String,
    pub headers: reqwest::header::HeaderMap,
}

/// Sends a request with any HTTP client (not the crate's), so that what
/// the generated client would refuse to send can be sent.
pub async fn raw(
    stripe: &StripeDouble,
    method: &str,
    path: &str,
    body: &str,
    authorization: Option<&str>,
) -> Raw {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client
        .request(method, format!("{}{path}", stripe.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let request_id = headers
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.json().await.unwrap();
    Raw {
        status,
        body,
        request_id,
        headers,
    }
}

/// `raw` with the double's own key.
pub async fn call(stripe: &StripeDouble, method: &str, path: &str, body: &str) -> Raw {
    let key = format!("Bearer {}", stripe.api_key());
    raw(stripe, method, path, body, Some(&key)).await
}

/// A new `document` session.
pub async fn session(stripe: &StripeDouble) -> VerificationSession {
    VerificationSession::create(CreateVerificationSessionType::Document)
        .send(stripe.client())
        .await
        .unwrap()
}
