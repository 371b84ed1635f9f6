//! The HTTP client that sends requests to the Stripe API.
//!
//! [`Client`] holds the secret key and connection pool; endpoint methods
//! elsewhere in this crate take a `&Client`. Per-call settings (connected
//! account, idempotency key, API version, timeout, retries) go in
//! [`RequestOptions`].
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
//!
//! The runtime around it: `builder` (settings), `retry` (one attempt and
//! the retry loop), `observe` and `trace` (hooks and `tracing`),
//! `telemetry` (what the client says about itself), `options`
//! ([`RequestOptions`]) and `blocking_client` (the `blocking` feature).

use std::fmt;
use std::sync::Arc;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::Url;
use serde::de::DeserializeOwned;

pub use crate::builder::ClientBuilder;
use crate::builder::{debug_config, Config};
use crate::error::{ApiError, Error};
use crate::observe::{Call, Hook};
// Kept reachable as `crate::client::RequestOptions`, where the runtime's
// other modules import it from.
pub use crate::options::RequestOptions;
use crate::retry::{Prepared, RawResponse};
use crate::telemetry::Telemetry;

const STRIPE_VERSION: HeaderName = HeaderName::from_static("stripe-version");
const STRIPE_ACCOUNT: HeaderName = HeaderName::from_static("stripe-account");
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const CLIENT_USER_AGENT: HeaderName = HeaderName::from_static("x-stripe-client-user-agent");

/// A Stripe API client.
///
/// Cheap to clone: clones share one connection pool and configuration, so
/// build one client and clone it wherever it is needed.
///
/// Its `Debug` output never shows the secret key.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// The shared state behind a [`Client`].
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Whether `http` is the application's own client.
    pub(crate) own_http_client: bool,
    /// `Bearer <secret key>`, marked sensitive so `http`'s own `Debug`
    /// output would not show it either.
    pub(crate) authorization: HeaderValue,
    /// Validated `Stripe-Account` header for every request, if configured.
    pub(crate) stripe_account: Option<HeaderValue>,
    /// `Stripe-Version` for every request without its own.
    pub(crate) api_version: HeaderValue,
    /// `User-Agent` and `X-Stripe-Client-User-Agent`.
    pub(crate) telemetry: Telemetry,
    /// Base URL without a trailing slash.
    pub(crate) base_url: String,
    /// Path part of the base URL without a trailing slash (usually empty).
    pub(crate) base_path: String,
    /// Called after every attempt.
    pub(crate) hooks: Vec<Hook>,
    pub(crate) config: Config,
}

impl Client {
    /// Creates a client with the default settings for the given secret key
    /// (`sk_live_…`, `sk_test_…` or a restricted `rk_…` key).
    ///
    /// # Panics
    ///
    /// If the key is empty (as when the variable meant to hold it is not
    /// set), holds whitespace or is not a valid HTTP header value, or if the
    /// TLS backend cannot be initialised. The message says which, never
    /// showing the key: `cannot create Stripe client: invalid client
    /// configuration: the Stripe secret key is empty ...`. Use
    /// [`Client::builder`] and [`ClientBuilder::build`] to get these as an
    /// [`Error::Config`] instead.
    pub fn new(secret_key: impl Into<String>) -> Client {
        match Client::builder(secret_key).build() {
            Ok(client) => client,
            // The error message never contains the key.
            Err(err) => panic!("cannot create Stripe client: {err}"),
        }
    }

    /// Starts configuring a client for the given secret key.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(secret_key.into())
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
        let call = Call::start(&self.inner.hooks, request);
        call.run(self.send_with_retries(&prepared, &call)).await
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
        let config = &self.inner.config;
        Ok(Prepared {
            method: request.method.as_reqwest(),
            url,
            headers,
            body,
            timeout: options.timeout.unwrap_or(config.timeout),
            max_retries: options.max_retries.unwrap_or(config.max_retries),
        })
    }

    /// The full URL of a request: base URL, path and, for GET and DELETE,
    /// the parameters as a query string.
    fn url_for(&self, request: &Request) -> Result<Url, Error> {
        // Messages leave the path out: it holds ids and other caller input.
        if !request.path.starts_with('/') {
            return Err(Error::InvalidRequest(
                "the request path must start with `/`".to_owned(),
            ));
        }
        let mut text = format!("{}{}", self.inner.base_url, request.path);
        if request.method != Method::Post && !request.params.is_empty() {
            text.push('?');
            text.push_str(&crate::form::encode(&request.params));
        }
        let url = Url::parse(&text)
            .map_err(|e| Error::InvalidRequest(format!("invalid URL for the request path: {e}")))?;
        // URL parsing resolves `.`/`..` segments (also encoded ones such as
        // `%2e%2e`) and would silently call another endpoint. Refuse any
        // path the parser rewrote.
        if url.path() != format!("{}{}", self.inner.base_path, request.path) {
            return Err(Error::InvalidRequest(
                "the request path is not a plain, encoded path".to_owned(),
            ));
        }
        Ok(url)
    }

    /// Headers sent with every attempt of a request.
    fn headers_for(&self, options: &RequestOptions) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, self.inner.authorization.clone());
        let telemetry = &self.inner.telemetry;
        headers.insert(USER_AGENT, telemetry.user_agent.clone());
        headers.insert(CLIENT_USER_AGENT, telemetry.client_user_agent.clone());
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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        debug_config(
            f,
            "Client",
            &inner.config,
            inner.own_http_client,
            inner.hooks.len(),
        )
    }
}

/// The `Authorization` header for a secret key, marked sensitive.
pub(crate) fn bearer(secret_key: &str) -> Result<HeaderValue, Error> {
    // The key itself must stay out of every message.
    if secret_key.trim().is_empty() {
        return Err(Error::Config(
            "the Stripe secret key is empty (is the variable meant to hold it set?): \
             pass the account's secret key (`sk_live_...`, `sk_test_...`) or a \
             restricted key (`rk_...`) from the API keys page of the Stripe Dashboard"
                .to_owned(),
        ));
    }
    if secret_key.contains(char::is_whitespace) {
        return Err(Error::Config(
            "the Stripe secret key holds whitespace, which no Stripe key does \
             (a line break read with it from a file?)"
                .to_owned(),
        ));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {secret_key}")).map_err(|_| {
        Error::Config("the secret key contains characters not allowed in a header".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A header value from user input; the error names the header and where
/// the fault is, not the value.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value).map_err(|_| {
        let at = value
            .bytes()
            .position(|b| b < b' ' && b != b'\t' || b == 0x7f);
        let at = at.map_or(String::new(), |i| format!(" (at byte {i})"));
        format!("{name} contains characters not allowed in a header{at}")
    })
}

/// A `Stripe-Version` header value; the error names the header.
pub(crate) fn api_version(version: &str) -> Result<HeaderValue, String> {
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

/// Decodes a 2xx body as `T`, anything else as Stripe's error envelope;
/// a body that is not Stripe's JSON at all is an [`Error::NotJson`].
pub(crate) fn decode<T: DeserializeOwned>(response: &RawResponse) -> Result<T, Error> {
    crate::not_json::check(response)?;
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
    /// The method's name: `GET`, `POST` or `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

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
    /// The operation's path template
    /// (`/v1/identity/verification_sessions/{session}`), what hooks and
    /// traces report instead of the filled-in path; `None` reports `path`.
    pub template: Option<&'static str>,
}

impl Request {
    /// A request for `path` with the given parameters.
    pub fn new(method: Method, path: impl Into<String>, params: Vec<(String, String)>) -> Self {
        Request {
            method,
            path: path.into(),
            params,
            template: None,
        }
    }

    /// Sets the path template reported to hooks and traces.
    pub fn with_template(mut self, template: &'static str) -> Self {
        self.template = Some(template);
        self
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn request(method: Method, path: &str, params: &[(&str, &str)]) -> Request {
        let params = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Request::new(method, path, params)
    }

    fn prepare(request: &Request) -> Result<Prepared, Error> {
        let client = Client::new("sk_test_unit");
        client.prepare(request, &RequestOptions::new())
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
    fn request_options_override_timeout_and_retries() {
        let client = Client::builder("sk_test_unit")
            .timeout(Duration::from_secs(5))
            .max_retries(2)
            .build()
            .unwrap();
        let get = request(Method::Get, "/v1/x", &[]);
        let prepared = client.prepare(&get, &RequestOptions::new()).unwrap();
        assert_eq!(prepared.timeout, Duration::from_secs(5));
        assert_eq!(prepared.max_retries, 2);
        let options = RequestOptions::new()
            .timeout(Duration::from_millis(300))
            .max_retries(0);
        let prepared = client.prepare(&get, &options).unwrap();
        assert_eq!(prepared.timeout, Duration::from_millis(300));
        assert_eq!(prepared.max_retries, 0);
    }

    #[test]
    fn telemetry_headers_are_sent_with_every_request() {
        let prepared = prepare(&request(Method::Get, "/v1/x", &[])).unwrap();
        assert!(prepared.headers.contains_key(USER_AGENT));
        assert!(prepared.headers.contains_key(CLIENT_USER_AGENT));
    }
}
