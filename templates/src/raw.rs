//! Requests to any Stripe endpoint, for what the typed operations do not
//! cover: another API version's endpoints and parameters, or a response
//! read as plain JSON.

use serde::de::DeserializeOwned;

use crate::client::{Client, Method, Request, RequestOptions};
use crate::error::Error;
use crate::extra_params::ExtraParams;
use crate::response::Response;

/// A request to any path of the Stripe API, its parameters given as strings
/// in Stripe's bracket form.
///
/// It goes through the same client as the typed requests: the same
/// headers (`Stripe-Version`, `Stripe-Account`, an `Idempotency-Key` on
/// POST, reused on retries), retries and errors ([`Error::Api`] with the
/// request id, [`Error::Decode`] with the path of the value that failed).
///
/// ```rust,no_run
/// use stripe_identity::{Client, Method, RawRequest, VerificationSession};
///
/// # async fn run(client: &Client) -> Result<(), stripe_identity::Error> {
/// let session: VerificationSession =
///     RawRequest::new(Method::Post, "/v1/identity/verification_sessions")
///         .param("verification_flow", "vf_123")
///         .send(client)
///         .await?;
/// # Ok(())
/// # }
/// ```
///
/// The path is used as given: it must start with `/v1/` and hold no `?`,
/// `#`, control character or `.`/`..` segment, or sending fails with
/// [`Error::InvalidRequest`] before anything is sent. Encode ids put into it
/// with [`RawRequest::path_segment`]. Parameters are checked like extra
/// parameters: a key that is empty, not in bracket form, or overlapping
/// another one is refused the same way.
///
/// `Debug` shows the parameters' keys, not their values.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until you `send` it"]
pub struct RawRequest {
    method: Method,
    path: String,
    params: ExtraParams,
}

impl RawRequest {
    /// A request with no parameters. For GET and DELETE the parameters go
    /// into the query string, for POST into a form-encoded body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RawRequest {
            method,
            path: path.into(),
            params: ExtraParams::default(),
        }
    }

    /// Adds a parameter in bracket form, as in
    /// `.param("options[email][require_verification]", "true")`. Parameters
    /// are sent in the order added, percent-encoded, so a key or value cannot
    /// add another parameter or a header.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push(key.into(), value.into());
        self
    }

    /// Percent-encodes `value` (an id, usually) as one path segment, for
    /// building a path: `/`, `?`, `#`, `%` and anything but ASCII letters,
    /// digits and `-_~` are escaped. Fails for an empty value, `.` and `..`.
    pub fn path_segment(value: &str) -> Result<String, Error> {
        crate::path::segment(value)
    }

    /// Sends the request and decodes the response as `T` (a model of this
    /// crate, your own type, or `serde_json::Value`).
    pub async fn send<T: DeserializeOwned>(&self, client: &Client) -> Result<T, Error> {
        self.send_with(client, &RequestOptions::default()).await
    }

    /// Sends the request with per-request options (connected account,
    /// idempotency key, API version).
    pub async fn send_with<T: DeserializeOwned>(
        &self,
        client: &Client,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        client.execute(&self.request()?, options).await
    }

    /// Like [`send`](RawRequest::send), also returning the response's
    /// status, `Request-Id` and headers.
    pub async fn send_response<T: DeserializeOwned>(
        &self,
        client: &Client,
    ) -> Result<Response<T>, Error> {
        self.send_response_with(client, &RequestOptions::default())
            .await
    }

    /// Like [`send_with`](RawRequest::send_with), also returning the
    /// response's status, `Request-Id` and headers.
    pub async fn send_response_with<T: DeserializeOwned>(
        &self,
        client: &Client,
        options: &RequestOptions,
    ) -> Result<Response<T>, Error> {
        client
            .execute_with_response(&self.request()?, options)
            .await
    }

    /// The request as the client sends it (also used by the blocking
    /// client), or why it cannot be sent.
    pub(crate) fn request(&self) -> Result<Request, Error> {
        check_path(&self.path)?;
        let params = self.params.after(Vec::new())?;
        Ok(Request::new(self.method, self.path.clone(), params))
    }
}

/// Refuses a path that could reach something other than the Stripe API
/// endpoint it spells: the client adds the query string itself, and URL
/// parsing would resolve `.`/`..` segments.
fn check_path(path: &str) -> Result<(), Error> {
    // The message leaves the path out: it holds ids and other caller input.
    let refuse = |why: &str| Err(Error::InvalidRequest(format!("the raw request path {why}")));
    if !path.starts_with("/v1/") {
        return refuse("must start with `/v1/`");
    }
    if path.contains(['?', '#']) {
        return refuse("must not hold `?` or `#`; pass query parameters with `param`");
    }
    if path.chars().any(char::is_control) {
        return refuse("must not hold control characters");
    }
    if path.split('/').any(crate::path::is_dot_segment) {
        return refuse("must not hold a `.` or `..` segment");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn plain_v1_paths_pass() {
        for path in [
            "/v1/identity/verification_sessions",
            "/v1/identity/verification_sessions/vs_123/redact",
            "/v1/a/b%2Fc",
        ] {
            assert!(check_path(path).is_ok(), "{path}");
        }
    }

    #[test]
    fn other_paths_are_refused() {
        for path in [
            "",
            "v1/x",
            "/v2/x",
            "/v1",
            "https://example.com/v1/x",
            "/v1/x?limit=1",
            "/v1/x#y",
            "/v1/x\r\nHost: example.com",
            "/v1/x\u{7f}",
            "/v1/../v2/x",
            "/v1/a/%2e%2E/b",
            "/v1/a/./b",
            "/v1/a/..",
        ] {
            assert!(check_path(path).is_err(), "{path:?}");
        }
    }
}
