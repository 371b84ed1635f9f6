//! One attempt of a call, and the loop that repeats it while Stripe or the
//! network says a retry may succeed (the rules are in the `client` module
//! docs). Every attempt is reported to the call's observer
//! ([`Call`](crate::observe::Call)).

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::{StatusCode, Url};

use crate::body_limit::{read_limited, BodyContext};
use crate::client::Client;
use crate::error::Error;
use crate::observe::Call;

const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const STRIPE_SHOULD_RETRY: HeaderName = HeaderName::from_static("stripe-should-retry");

/// A request ready to be sent, possibly several times.
pub(crate) struct Prepared {
    pub(crate) method: reqwest::Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<String>,
    /// The time limit of each attempt.
    pub(crate) timeout: Duration,
    /// How many attempts may follow the first.
    pub(crate) max_retries: u32,
}

impl Client {
    /// Sends a request until it succeeds, fails for good, or the retries
    /// run out; returns the last response (whatever its status).
    pub(crate) async fn send_with_retries(
        &self,
        prepared: &Prepared,
        call: &Call<'_>,
    ) -> Result<RawResponse, Error> {
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let started = Instant::now();
            let outcome = self.send_once(prepared).await;
            let will_retry = is_retryable(&outcome) && attempt <= prepared.max_retries;
            call.attempted(attempt, &outcome, will_retry, started.elapsed());
            if !will_retry {
                return outcome;
            }
            tokio::time::sleep(self.backoff(attempt)).await;
        }
    }

    /// One attempt: sends the request and reads the whole response body, up
    /// to the limit (so a connection dropped mid-body counts as a retryable
    /// failure).
    async fn send_once(&self, prepared: &Prepared) -> Result<RawResponse, Error> {
        let mut builder = self
            .inner
            .http
            .request(prepared.method.clone(), prepared.url.clone())
            .headers(prepared.headers.clone())
            // Set on every request, so it also replaces the total timeout
            // of a client given to `ClientBuilder::http_client`.
            .timeout(prepared.timeout);
        if let Some(body) = &prepared.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await.map_err(Error::network)?;
        if response.url() != &prepared.url {
            return Err(redirected(response.url()));
        }
        let status = response.status();
        // Taken rather than cloned: the response only needs its body now.
        let headers = std::mem::take(response.headers_mut());
        let request_id = header_str(&headers, &REQUEST_ID).map(str::to_owned);
        let should_retry = header_str(&headers, &STRIPE_SHOULD_RETRY).and_then(parse_bool);
        let context = BodyContext {
            limit: self.inner.config.max_response_bytes,
            status,
            request_id: request_id.as_deref(),
        };
        let body = read_limited(&mut response, &context).await?;
        Ok(RawResponse {
            status,
            request_id,
            should_retry,
            headers,
            body,
        })
    }

    /// How long to wait before retry number `retry` (1-based): exponential
    /// from the initial backoff, capped, with "equal jitter" (half fixed,
    /// half random) so that many clients failing together spread out.
    fn backoff(&self, retry: u32) -> Duration {
        let config = &self.inner.config;
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let capped = config
            .initial_backoff
            .saturating_mul(factor)
            .min(config.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// The error for a response that came from a redirect. Stripe never
/// redirects, and the client the crate builds never follows one; a client
/// given to `ClientBuilder::http_client` may. Only the target's origin is
/// named: its path and query could hold parameters.
fn redirected(url: &Url) -> Error {
    Error::Config(format!(
        "the HTTP client followed a redirect to {}, and Stripe never redirects; build the \
         reqwest::Client given to ClientBuilder::http_client with \
         .redirect(reqwest::redirect::Policy::none())",
        url.origin().ascii_serialization()
    ))
}

/// Whether an attempt's outcome may change if the request is repeated.
fn is_retryable(outcome: &Result<RawResponse, Error>) -> bool {
    match outcome {
        Ok(response) => response.is_retryable(),
        Err(Error::Network(err)) => is_retryable_network(err),
        // A body over the limit would be as large the next time, and a
        // redirect would be followed again.
        Err(_) => false,
    }
}

/// Whether a failed attempt (no complete response) may succeed if repeated:
/// connecting, sending, or reading failed or timed out.
fn is_retryable_network(err: &reqwest::Error) -> bool {
    // reqwest reports a failure while reading the body as a "body" or
    // "decode" error. This client never lets reqwest decode anything itself,
    // so here that always means the connection broke mid-body.
    err.is_connect() || err.is_timeout() || err.is_request() || err.is_body() || err.is_decode()
}

/// A header as a string, if present and visible ASCII.
fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Parses `true`/`false` (any case); anything else is ignored.
fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A response read in full.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    /// The `Stripe-Should-Retry` header, if present and a boolean.
    pub(crate) should_retry: Option<bool>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// A success is final. Otherwise Stripe's explicit advice wins; without
    /// it, retry conflicts (409), rate limits (429) and server errors (5xx).
    fn is_retryable(&self) -> bool {
        if self.status.is_success() {
            return false;
        }
        match self.should_retry {
            Some(advice) => advice,
            None => {
                self.status == StatusCode::CONFLICT
                    || self.status == StatusCode::TOO_MANY_REQUESTS
                    || self.status.is_server_error()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_with_backoff(initial_ms: u64, max_ms: u64) -> Client {
        Client::builder("sk_test_unit")
            .retry_backoff(
                Duration::from_millis(initial_ms),
                Duration::from_millis(max_ms),
            )
            .build()
            .expect("valid client")
    }

    fn assert_between(value: Duration, low_ms: u64, high_ms: u64) {
        let (low, high) = (
            Duration::from_millis(low_ms),
            Duration::from_millis(high_ms),
        );
        assert!(
            low <= value && value <= high,
            "{value:?} not in {low:?}..={high:?}"
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let client = client_with_backoff(100, 1_000);
        for _ in 0..50 {
            assert_between(client.backoff(1), 50, 100);
            assert_between(client.backoff(2), 100, 200);
            assert_between(client.backoff(3), 200, 400);
            assert_between(client.backoff(5), 500, 1_000);
            assert_between(client.backoff(u32::MAX), 500, 1_000);
        }
    }

    fn response(status: u16, should_retry: Option<bool>) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).expect("valid status"),
            request_id: None,
            should_retry,
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn retryable_statuses() {
        for status in [409, 429, 500, 502, 503, 504] {
            assert!(response(status, None).is_retryable(), "{status}");
        }
        for status in [200, 201, 400, 401, 402, 403, 404] {
            assert!(!response(status, None).is_retryable(), "{status}");
        }
    }

    #[test]
    fn should_retry_header_wins_except_on_success() {
        assert!(!response(500, Some(false)).is_retryable());
        assert!(response(400, Some(true)).is_retryable());
        assert!(!response(200, Some(true)).is_retryable());
    }

    #[test]
    fn parse_bool_accepts_only_booleans() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }

    #[test]
    fn redirect_error_names_the_origin_only() {
        let url = Url::parse("https://elsewhere.example:8443/v1/x?email=a%40b.example").unwrap();
        let message = redirected(&url).to_string();
        assert!(
            message.contains("https://elsewhere.example:8443"),
            "{message}"
        );
        assert!(!message.contains("email"), "{message}");
    }
}
