//! A decoded response together with its HTTP metadata: what
//! `send_response` returns.

use std::fmt;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::client::{Client, Request, RequestOptions};
use crate::error::Error;

/// A successful response: the decoded object, the HTTP status, Stripe's
/// `Request-Id` and the response headers.
///
/// Returned by every request type's `send_response` (and
/// `send_response_with`) and by
/// [`RawRequest::send_response`](crate::RawRequest::send_response).
/// Errors are still [`Error`]s, which carry their own status and request id.
///
/// `Debug` shows the object with its own redactions and the header names,
/// not their values.
#[derive(Clone)]
pub struct Response<T> {
    value: T,
    status: u16,
    request_id: Option<String>,
    headers: ResponseHeaders,
}

impl<T> Response<T> {
    /// The decoded object.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded object, dropping the metadata.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status code (a 2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Request-Id` Stripe assigned to the request, if it sent one.
    /// Quote it when contacting Stripe support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Every header of the response (of the last attempt, if the request
    /// was retried).
    pub fn headers(&self) -> &ResponseHeaders {
        &self.headers
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &self.headers)
            .field("value", &self.value)
            .finish()
    }
}

/// The headers of a [`Response`]. Names are case-insensitive.
///
/// `Debug` lists the names only: a value (a cookie, say) could be a
/// credential.
#[derive(Clone)]
pub struct ResponseHeaders(HeaderMap);

impl ResponseHeaders {
    /// The first value of header `name`, if present and text (visible
    /// ASCII, as Stripe's headers are).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every text value of header `name`, in the order received.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
    }

    /// Every header with a text value as `(name, value)`, names in lower
    /// case; a header appearing several times comes once per value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }
}

impl fmt::Debug for ResponseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.keys().map(|name| name.as_str()))
            .finish()
    }
}

// Lives here rather than in `client.rs` with `execute`: it is the one
// place a `Response` is made.
impl Client {
    /// Like [`Client::execute`], keeping the response's metadata.
    ///
    /// Called by the generated `send_response_with` methods.
    #[doc(hidden)]
    pub async fn execute_with_response<T: DeserializeOwned>(
        &self,
        request: &Request,
        options: &RequestOptions,
    ) -> Result<Response<T>, Error> {
        let raw = self.send_request(request, options).await?;
        let value = crate::client::decode(&raw)?;
        Ok(Response {
            value,
            status: raw.status.as_u16(),
            request_id: raw.request_id,
            headers: ResponseHeaders(raw.headers),
        })
    }
}
