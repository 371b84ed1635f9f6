//! [`ClientBuilder`]: the client's settings, checked once when it is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::body_limit::DEFAULT_MAX_RESPONSE_BYTES;
use crate::client::{api_version, bearer, header_value, Client, Inner};
use crate::error::Error;
use crate::observe::{AttemptInfo, Hook};
use crate::telemetry::{AppInfo, Telemetry};

/// Where requests go unless [`ClientBuilder::base_url`] says otherwise.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.stripe.com";

/// What `Debug` shows instead of the secret key.
const REDACTED: &str = "[redacted]";

/// Plain settings shared by [`ClientBuilder`] and [`Client`] (no secrets).
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) stripe_account: Option<String>,
    /// `None` sends [`crate::API_VERSION`].
    pub(crate) api_version: Option<String>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) app_info: Option<AppInfo>,
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
            app_info: None,
        }
    }
}

/// Configures and builds a [`Client`]; see [`Client::builder`].
///
/// Its `Debug` output never shows the secret key.
#[derive(Clone)]
pub struct ClientBuilder {
    secret_key: String,
    config: Config,
    /// The application's own HTTP client, if it gave one.
    http: Option<reqwest::Client>,
    hooks: Vec<Hook>,
}

impl ClientBuilder {
    /// A builder with the default settings.
    pub(crate) fn new(secret_key: String) -> Self {
        ClientBuilder {
            secret_key,
            config: Config::default(),
            http: None,
            hooks: Vec::new(),
        }
    }

    /// Sends requests to this URL instead of `https://api.stripe.com` (for
    /// example a mock server in tests). A path prefix is kept.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.config.base_url = base_url.into();
        self
    }

    /// Sends this `Stripe-Version` instead of [`crate::API_VERSION`], the
    /// version the crate was generated for, unless
    /// [`RequestOptions::api_version`](crate::RequestOptions::api_version)
    /// overrides it.
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
    /// `Stripe-Account` header) unless
    /// [`RequestOptions::stripe_account`](crate::RequestOptions::stripe_account)
    /// overrides it.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.config.stripe_account = Some(account.into());
        self
    }

    /// How many times a failed request is retried (default 2, so at most 3
    /// attempts). `0` disables retries.
    /// [`RequestOptions::max_retries`](crate::RequestOptions::max_retries)
    /// overrides it for one call.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.config.max_retries = max_retries;
        self
    }

    /// Time limit for each attempt, from connecting to reading the whole
    /// response (default 80 seconds). Retries get a fresh limit each.
    /// [`RequestOptions::timeout`](crate::RequestOptions::timeout) overrides
    /// it for one call.
    ///
    /// The limit is set on every request, so it also replaces the total
    /// timeout of a client given to [`http_client`](Self::http_client).
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

    /// Sends requests with the application's own `reqwest::Client`, so its
    /// proxy, root certificates, connection pool and connect timeout apply.
    ///
    /// The crate's behaviour stays the same: its headers (`Authorization`,
    /// `Stripe-Version`, `User-Agent`, ...) replace default headers of the
    /// same names (other default headers are sent too), it retries, reads
    /// bodies up to [`max_response_bytes`](Self::max_response_bytes), and
    /// sets its [`timeout`](Self::timeout) on every request, replacing the
    /// client's total timeout. Build the client with
    /// `.redirect(reqwest::redirect::Policy::none())`: Stripe never
    /// redirects, and a response reached through a redirect is refused with
    /// [`Error::Config`] (by then the request has gone to the redirect's
    /// target).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Names the application in `User-Agent` and
    /// `X-Stripe-Client-User-Agent`, as `stripe.set_app_info` does in
    /// Stripe's official libraries, so Stripe support can identify the
    /// integration: `User-Agent: Stripe/v1 stripe-identity/0.1.0
    /// MyApp/1.2 (https://myapp.example)`.
    pub fn app_info(mut self, app: AppInfo) -> Self {
        self.config.app_info = Some(app);
        self
    }

    /// Calls `hook` after every attempt of every call, with what happened
    /// ([`AttemptInfo`]: method, path template, attempt number, status,
    /// `Request-Id`, retry advice, time taken), for metrics or an audit
    /// log. Hooks run in the order added, on the task making the call (on
    /// the blocking client's own thread for the blocking client): keep them
    /// quick. A panic in a hook reaches the caller.
    pub fn on_attempt(mut self, hook: impl Fn(&AttemptInfo) + Send + Sync + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] if the secret key is empty or contains
    /// characters not allowed in a header, if the API version is empty or
    /// not a valid header value, if the base URL is not an
    /// `http(s)` URL, if the app info is not printable ASCII, or if the TLS
    /// backend cannot be initialised. The error never contains the secret
    /// key.
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
        let telemetry = Telemetry::new(self.config.app_info.as_ref())?;
        let own_http_client = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => default_http_client()?,
        };
        let inner = Inner {
            http,
            own_http_client,
            authorization,
            stripe_account,
            api_version,
            telemetry,
            base_url,
            base_path,
            hooks: self.hooks,
            config: self.config,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

/// The HTTP client used unless the application gives one. User agent and
/// timeout are set per request, the same way for any client.
fn default_http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        // Stripe does not redirect; following one could only send the
        // request somewhere unexpected.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let own_http = self.http.is_some();
        debug_config(f, "ClientBuilder", &self.config, own_http, self.hooks.len())
    }
}

/// Shared `Debug` body of [`Client`] and [`ClientBuilder`], with the secret
/// key replaced by a placeholder.
pub(crate) fn debug_config(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    config: &Config,
    own_http_client: bool,
    hooks: usize,
) -> fmt::Result {
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
        .field("app_info", &config.app_info)
        .field("own_http_client", &own_http_client)
        .field("hooks", &hooks)
        .finish()
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

#[cfg(test)]
mod tests {
    use super::*;

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
