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

/// A webhook endpoint on 127.0.0.1 that records what it receives and
/// answers each delivery with the next status of a script (200 once the
/// script runs out).
pub struct Receiver {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub signature: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Receiver {
    /// Starts a receiver answering `statuses` in order, then 200.
    pub async fn start(statuses: &[u16]) -> Receiver {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, StatusCode};
        use std::sync::{Arc, Mutex};
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let script: Arc<Mutex<std::collections::VecDeque<u16>>> =
            Arc::new(Mutex::new(statuses.iter().copied().collect()));
        let log = Arc::clone(&received);
        let app = axum::Router::new().route(
            "/webhook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let (log, script) = (Arc::clone(&log), Arc::clone(&script));
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    log.lock().unwrap().push(Received {
                        signature: header("stripe-signature"),
                        content_type: header("content-type"),
                        body: body.to_vec(),
                    });
                    let status = script.lock().unwrap().pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/webhook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, received }
    }

    /// Everything received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}
