//! The HTTP client that sends requests to the Stripe API.
//!
//! [`Client`] holds the secret key and connection pool; endpoint methods
//! elsewhere in this crate take a `&Client`. Per-call settings (connected
//! account, idempotency key, API version) go in [`RequestOptions`].
//!
//! Requests are retried, with exponential backoff and jitter, when Stripe or
//! the network says a retry may succeed: connection errors and timeouts,
//! `409`, `429` and `5xx` responses, and any response carrying
//! `Stripe-Should-Retry: true` — unless it carries `Stripe-Should-Retry:
//! false`, which always wins. POST requests always carry an `Idempotency-Key`
//! (the caller's, or a random one generated once per call and reused on every
//! retry), so a retried POST cannot create a second object.
//!
//! Response bodies are read up to a limit (see
//! [`ClientBuilder::max_response_bytes`]); a larger one is refused, not
//! retried.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::body_limit::{read_limited, BodyContext, DEFAULT_MAX_RESPONSE_BYTES};
use crate::error::{ApiError, Error};

/// Where requests go unless [`ClientBuilder::base_url`] says otherwise.
const DEFAULT_BASE_URL: &str = "https://api.stripe.com";

/// Sent as `User-Agent` so Stripe can tell which library made a request.
const USER_AGENT: &str = concat!("stripe-identity/", env!("CARGO_PKG_VERSION"));

/// What `Debug` shows instead of the secret key.
const REDACTED: &str = "[redacted]";

const STRIPE_VERSION: HeaderName = HeaderName::from_static("stripe-version");
const STRIPE_ACCOUNT: HeaderName = HeaderName::from_static("stripe-account");
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const STRIPE_SHOULD_RETRY: HeaderName = HeaderName::from_static("stripe-should-retry");

/// A Stripe API client.
///
/// Cheap to clone: clones share one connection pool and configuration, so
/// build one client and clone it wherever it is needed.
///
/// Its `Debug` output never shows the secret key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The shared state behind a [`Client`].
struct Inner {
    http: reqwest::Client,
    /// `Bearer <secret key>`, marked sensitive so `http`'s own `Debug`
    /// output would not show it either.
    authorization: HeaderValue,
    /// Validated `Stripe-Account` header for every request, if configured.
    stripe_account: Option<HeaderValue>,
    /// `Stripe-Version` for every request without its own.
    api_version: HeaderValue,
    /// Base URL without a trailing slash.
    base_url: String,
    /// Path part of the base URL without a trailing slash (usually empty).
    base_path: String,
    config: Config,
}

/// Plain settings shared by [`ClientBuilder`] and [`Client`] (no secrets).
#[derive(Clone, Debug)]
struct Config {
    base_url: String,
    stripe_account: Option<String>,
    /// `None` sends [`crate::API_VERSION`].
    api_version: Option<String>,
    max_retries: u32,
    timeout: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_response_bytes: usize,
    /// Connect directly even when the environment names a proxy (the test
    /// double's client, whose server is on 127.0.0.1).
    no_proxy: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            stripe_account: None,
            api_version: None,
            max_retries: 2,
            timeout: Duration::from_secs(80),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            no_proxy: false,
        }
    }
}

impl Client {
    /// Creates a client with the default settings for the given secret key
    /// (`sk_live_…`, `sk_test_…` or a restricted `rk_…` key).
    ///
    /// # Panics
    ///
    /// If the key is empty or not a valid HTTP header value, or if the TLS
    /// backend cannot be initialised. Use [`Client::builder`] and
    /// [`ClientBuilder::build`] to handle those as errors instead.
    pub fn new(secret_key: impl Into<String>) -> Client {
        match Client::builder(secret_key).build() {
            Ok(client) => client,
            // The error message never contains the key.
            Err(err) => panic!("cannot create Stripe client: {err}"),
        }
    }

    /// Starts configuring a client for the given secret key.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            secret_key: secret_key.into(),
            config: Config::default(),
        }
    }

    /// Sends one API request, retrying as described in the module docs, and
    /// decodes the JSON response as `T`.
    ///
    /// Called by the generated endpoint methods and [`RawRequest`](crate::RawRequest);
    /// `request.path` must already be percent-encoded.
    #[doc(hidden)]
    pub async fn execute<T: DeserializeOwned>(
        &self,
        request: &Request,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        let response = self.send_request(request, options).await?;
        decode(&response)
    }

    /// Sends one API request, retrying as described in the module docs, and
    /// returns the last response, whatever its status.
    pub(crate) async fn send_request(
        &self,
        request: &Request,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        // Everything that can be rejected is rejected here, before any I/O.
        // This also fixes the idempotency key for all attempts.
        let prepared = self.prepare(request, options)?;
        self.send_with_retries(&prepared).await
    }

    /// Builds the URL, headers and body of a request, validating them.
    fn prepare(&self, request: &Request, options: &RequestOptions) -> Result<Prepared, Error> {
        let url = self.url_for(request)?;
        let mut headers = self.headers_for(options)?;
        let body = match request.method {
            Method::Post => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                headers.insert(IDEMPOTENCY_KEY, idempotency_key(options)?);
                Some(crate::form::encode(&request.params))
            }
            Method::Get | Method::Delete => None,
        };
        Ok(Prepared {
            method: request.method.as_reqwest(),
            url,
            headers,
            body,
        })
    }

    /// The full URL of a request: base URL, path and, for GET and DELETE,
    /// the parameters as a query string.
    fn url_for(&self, request: &Request) -> Result<Url, Error> {
        if !request.path.starts_with('/') {
            return Err(Error::InvalidRequest(format!(
                "request path {:?} must start with `/`",
                request.path
            )));
        }
        let mut text = format!("{}{}", self.inner.base_url, request.path);
        if request.method != Method::Post && !request.params.is_empty() {
            text.push('?');
            text.push_str(&crate::form::encode(&request.params));
        }
        let url = Url::parse(&text).map_err(|e| {
            Error::InvalidRequest(format!("invalid URL for path {:?}: {e}", request.path))
        })?;
        // URL parsing resolves `.`/`..` segments (also encoded ones such as
        // `%2e%2e`) and would silently call another endpoint. Refuse any
        // path the parser rewrote.
        if url.path() != format!("{}{}", self.inner.base_path, request.path) {
            return Err(Error::InvalidRequest(format!(
                "request path {:?} is not a plain, encoded path",
                request.path
            )));
        }
        Ok(url)
    }

    /// Headers sent with every attempt of a request.
    fn headers_for(&self, options: &RequestOptions) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, self.inner.authorization.clone());
        // The per-request version wins over the client's.
        let version = match &options.api_version {
            Some(version) => api_version(version).map_err(Error::InvalidRequest)?,
            None => self.inner.api_version.clone(),
        };
        headers.insert(STRIPE_VERSION, version);
        // The per-request account wins over the client's.
        let account = match &options.stripe_account {
            Some(account) => {
                Some(header_value("Stripe-Account", account).map_err(Error::InvalidRequest)?)
            }
            None => self.inner.stripe_account.clone(),
        };
        if let Some(account) = account {
            headers.insert(STRIPE_ACCOUNT, account);
        }
        Ok(headers)
    }

    /// Sends a request until it succeeds, fails for good, or the retries
    /// run out; returns the last response (whatever its status).
    async fn send_with_retries(&self, prepared: &Prepared) -> Result<RawResponse, Error> {
        let mut retries = 0;
        loop {
            let outcome = self.send_once(prepared).await;
            let retryable = match &outcome {
                Ok(response) => response.is_retryable(),
                Err(Error::Network(err)) => is_retryable(err),
                // A body over the limit would be as large the next time.
                Err(_) => false,
            };
            if !retryable || retries >= self.inner.config.max_retries {
                return outcome;
            }
            retries += 1;
            tokio::time::sleep(self.backoff(retries)).await;
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
            .headers(prepared.headers.clone());
        if let Some(body) = &prepared.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await.map_err(Error::Network)?;
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_config(f, "Client", &self.inner.config)
    }
}

/// Configures and builds a [`Client`]; see [`Client::builder`].
///
/// Its `Debug` output never shows the secret key.
#[derive(Clone)]
pub struct ClientBuilder {
    secret_key: String,
    config: Config,
}

impl ClientBuilder {
    /// Sends requests to this URL instead of `https://api.stripe.com` (for
    /// example a mock server in tests). A path prefix is kept.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.config.base_url = base_url.into();
        self
    }

    /// Sends this `Stripe-Version` instead of [`crate::API_VERSION`], the
    /// version the crate was generated for, unless
    /// [`RequestOptions::api_version`] overrides it.
    ///
    /// The typed models describe the pinned version: under another version a
    /// response whose shape changed may fail to decode ([`Error::Decode`]).
    /// Extra parameters and [`RawRequest`](crate::RawRequest) (decoding into
    /// `serde_json::Value` if need be) cover what the models do not.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.config.api_version = Some(version.into());
        self
    }

    /// Makes every request on behalf of this connected account (the
    /// `Stripe-Account` header) unless [`RequestOptions::stripe_account`]
    /// overrides it.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.config.stripe_account = Some(account.into());
        self
    }

    /// How many times a failed request is retried (default 2, so at most 3
    /// attempts). `0` disables retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.config.max_retries = max_retries;
        self
    }

    /// Time limit for each attempt, from connecting to reading the whole
    /// response (default 80 seconds). Retries get a fresh limit each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Wait before the first retry (`initial`, doubled for each further
    /// retry) and the most to wait before any retry (`max`). Defaults: 500 ms
    /// and 5 s. The actual wait is randomised between half and all of it.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.config.initial_backoff = initial;
        self.config.max_backoff = max;
        self
    }

    /// The largest response body accepted, in bytes (default 16 MiB, far
    /// above any Identity response). A body over it is refused with
    /// [`Error::ResponseTooLarge`] as soon as its `Content-Length` or the
    /// bytes read so far exceed it, without reading the rest, and the
    /// request is not retried. `0` accepts only empty bodies.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Connects directly, whatever proxy the environment names. Used by the
    /// test double (`testing` feature), whose server is on 127.0.0.1; a
    /// portion without the feature does not use it.
    #[allow(dead_code)]
    pub(crate) fn no_proxy(mut self) -> Self {
        self.config.no_proxy = true;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] if the secret key is empty or contains
    /// characters not allowed in a header, if the API version is empty or
    /// not a valid header value, if the base URL is not an
    /// `http(s)` URL, or if the TLS backend cannot be initialised. The error
    /// never contains the secret key.
    pub fn build(self) -> Result<Client, Error> {
        let authorization = bearer(&self.secret_key)?;
        let (base_url, base_path) = parse_base_url(&self.config.base_url)?;
        let stripe_account = match &self.config.stripe_account {
            Some(account) => Some(header_value("Stripe-Account", account).map_err(Error::Config)?),
            None => None,
        };
        let api_version = match &self.config.api_version {
            Some(version) => api_version(version).map_err(Error::Config)?,
            None => HeaderValue::from_static(crate::API_VERSION),
        };
        let mut http = reqwest::Client::builder();
        if self.config.no_proxy {
            http = http.no_proxy();
        }
        let http = http
            .user_agent(USER_AGENT)
            .timeout(self.config.timeout)
            // Stripe does not redirect; following one could only send the
            // request somewhere unexpected.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let inner = Inner {
            http,
            authorization,
            stripe_account,
            api_version,
            base_url,
            base_path,
            config: self.config,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_config(f, "ClientBuilder", &self.config)
    }
}

/// Shared `Debug` body of [`Client`] and [`ClientBuilder`], with the secret
/// key replaced by a placeholder.
fn debug_config(f: &mut fmt::Formatter<'_>, name: &str, config: &Config) -> fmt::Result {
    f.debug_struct(name)
        .field("secret_key", &REDACTED)
        .field("base_url", &config.base_url)
        .field("stripe_account", &config.stripe_account)
        .field("api_version", &config.api_version)
        .field("max_retries", &config.max_retries)
        .field("timeout", &config.timeout)
        .field("initial_backoff", &config.initial_backoff)
        .field("max_backoff", &config.max_backoff)
        .field("max_response_bytes", &config.max_response_bytes)
        .finish()
}

/// The `Authorization` header for a secret key, marked sensitive.
fn bearer(secret_key: &str) -> Result<HeaderValue, Error> {
    if secret_key.trim().is_empty() {
        return Err(Error::Config("the secret key is empty".to_owned()));
    }
    // The key itself must stay out of the message.
    let mut value = HeaderValue::from_str(&format!("Bearer {secret_key}")).map_err(|_| {
        Error::Config("the secret key contains characters not allowed in a header".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks the base URL; returns it and its path, both without a trailing
/// slash.
fn parse_base_url(base_url: &str) -> Result<(String, String), Error> {
    let trimmed = base_url.trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.query().is_none()
        && url.fragment().is_none()
        && url.password().is_none();
    if !plain {
        return Err(Error::Config(format!(
            "base URL {:?} must be an http(s) URL without credentials, query or fragment",
            url.origin().ascii_serialization()
        )));
    }
    let base_path = url.path().trim_end_matches('/').to_owned();
    Ok((trimmed.to_owned(), base_path))
}

/// A header value from user input; the error names the header.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value)
        .map_err(|_| format!("{name} {value:?} contains characters not allowed in a header"))
}

/// A `Stripe-Version` header value; the error names the header.
fn api_version(version: &str) -> Result<HeaderValue, String> {
    if version.trim().is_empty() {
        return Err("Stripe-Version is empty".to_owned());
    }
    header_value("Stripe-Version", version)
}

/// The caller's idempotency key, or a fresh random one.
fn idempotency_key(options: &RequestOptions) -> Result<HeaderValue, Error> {
    match &options.idempotency_key {
        Some(key) => header_value("Idempotency-Key", key).map_err(Error::InvalidRequest),
        None => Ok(HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .expect("a UUID is a valid header value")),
    }
}

/// Whether a failed attempt (no complete response) may succeed if repeated:
/// connecting, sending, or reading failed or timed out.
fn is_retryable(err: &reqwest::Error) -> bool {
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

/// A request ready to be sent, possibly several times.
struct Prepared {
    method: reqwest::Method,
    url: Url,
    headers: HeaderMap,
    body: Option<String>,
}

/// A response read in full.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    /// The `Stripe-Should-Retry` header, if present and a boolean.
    should_retry: Option<bool>,
    pub(crate) headers: HeaderMap,
    body: Vec<u8>,
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

/// Decodes a 2xx body as `T`, anything else as Stripe's error envelope.
pub(crate) fn decode<T: DeserializeOwned>(response: &RawResponse) -> Result<T, Error> {
    if response.status.is_success() {
        return parse_json(response);
    }
    let envelope: crate::models::Error = parse_json(response)?;
    Err(Error::Api(Box::new(ApiError {
        status: response.status.as_u16(),
        request_id: response.request_id.clone(),
        error: envelope.error,
    })))
}

/// Parses a JSON body, reporting the path of the value that failed.
fn parse_json<T: DeserializeOwned>(response: &RawResponse) -> Result<T, Error> {
    crate::json::from_slice(&response.body).map_err(|e| decode_error(response, e))
}

/// An [`Error::Decode`] for a response, keeping its raw body.
fn decode_error(response: &RawResponse, err: crate::json::JsonError) -> Error {
    Error::Decode {
        status: response.status.as_u16(),
        request_id: response.request_id.clone(),
        path: err.path,
        message: err.message,
        body: crate::error::ResponseBody::new(response.body.clone()),
    }
}

/// Per-request settings.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Act on behalf of this connected account (`Stripe-Account` header);
    /// overrides [`ClientBuilder::stripe_account`].
    pub stripe_account: Option<String>,
    /// Use this `Idempotency-Key` for a POST instead of a random one, so that
    /// repeating the call (for example after a crash) cannot apply it twice.
    pub idempotency_key: Option<String>,
    /// Send this `Stripe-Version`; overrides [`ClientBuilder::api_version`]
    /// and [`crate::API_VERSION`]. The typed models describe the pinned
    /// version (see [`ClientBuilder::api_version`]).
    pub api_version: Option<String>,
}

impl RequestOptions {
    /// No per-request settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`stripe_account`](RequestOptions::stripe_account).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// Sets [`idempotency_key`](RequestOptions::idempotency_key).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sets [`api_version`](RequestOptions::api_version).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }
}

/// HTTP method of a request; see [`RawRequest`](crate::RawRequest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Read; parameters go in the query string.
    Get,
    /// Create or update; parameters go in a form-encoded body.
    Post,
    /// Delete; parameters go in the query string.
    Delete,
}

impl Method {
    fn as_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// One API call as the generated endpoint code describes it.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path starting with `/v1/`, with interpolated ids already encoded by
    /// the crate's path-segment encoder.
    pub path: String,
    /// Form-encoded parameters as `(key, value)` pairs in bracket notation.
    pub params: Vec<(String, String)>,
}

impl Request {
    /// A request for `path` with the given parameters.
    pub fn new(method: Method, path: impl Into<String>, params: Vec<(String, String)>) -> Self {
        Request {
            method,
            path: path.into(),
            params,
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

    fn request(method: Method, path: &str, params: &[(&str, &str)]) -> Request {
        let params = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Request::new(method, path, params)
    }

    fn prepare(request: &Request) -> Result<Prepared, Error> {
        client_with_backoff(1, 1).prepare(request, &RequestOptions::new())
    }

    #[test]
    fn delete_puts_params_in_the_query_without_idempotency_key() {
        let prepared = prepare(&request(Method::Delete, "/v1/x/y", &[("a[0]", "b c")])).unwrap();
        assert_eq!(prepared.method, reqwest::Method::DELETE);
        assert_eq!(
            prepared.url.as_str(),
            "https://api.stripe.com/v1/x/y?a[0]=b+c"
        );
        assert!(prepared.body.is_none());
        assert!(!prepared.headers.contains_key(IDEMPOTENCY_KEY));
    }

    #[test]
    fn post_puts_params_in_the_body_with_idempotency_key() {
        let prepared = prepare(&request(Method::Post, "/v1/x", &[("a", "1")])).unwrap();
        assert_eq!(prepared.url.as_str(), "https://api.stripe.com/v1/x");
        assert_eq!(prepared.body.as_deref(), Some("a=1"));
        assert!(prepared.headers.contains_key(IDEMPOTENCY_KEY));
        assert!(prepared.headers[AUTHORIZATION].is_sensitive());
    }

    #[test]
    fn paths_the_url_parser_would_rewrite_are_rejected() {
        for path in [
            "/v1/a/%2e%2e/b",
            "/v1/a/../b",
            "/v1/a/./b",
            "v1/x",
            "/v1/a?b=c",
            "/v1/a#b",
        ] {
            let result = prepare(&request(Method::Get, path, &[]));
            assert!(matches!(result, Err(Error::InvalidRequest(_))), "{path}");
        }
    }

    #[test]
    fn base_url_trailing_slash_and_path() {
        let (url, path) = parse_base_url("http://127.0.0.1:9/prefix/").expect("valid");
        assert_eq!(url, "http://127.0.0.1:9/prefix");
        assert_eq!(path, "/prefix");
        let (url, path) = parse_base_url(DEFAULT_BASE_URL).expect("valid");
        assert_eq!(url, "https://api.stripe.com");
        assert_eq!(path, "");
    }

    #[test]
    fn base_url_must_be_plain_http() {
        for bad in ["ftp://x", "not a url", "https://x/?q=1", "https://u:p@x"] {
            assert!(
                matches!(parse_base_url(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
