//! Errors returned by this crate.
//!
//! Every fallible operation returns [`Error`]. Its `Display` and `Debug`
//! output is meant to be logged as is: it never contains the secret API key,
//! and never a response body, which can hold a session's `client_secret` and
//! the personal data of the person verified. The body is kept as a
//! [`ResponseBody`] for a user who chooses to look.

use crate::sensitivity::{is_sensitive, ValueKind};
use std::fmt;

/// Everything that can go wrong when talking to the Stripe API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Stripe answered with an error (a non-2xx status and Stripe's error
    /// envelope as the body).
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A JSON response body could not be decoded into the expected type.
    ///
    /// For a successful status this usually means the response does not match
    /// the API version this crate was generated for; for an error status it
    /// means the body was not Stripe's error envelope. The message names the
    /// kind of value found and what was expected, never the value.
    #[error(
        "could not decode Stripe response (HTTP {status}, {} bytes) at `{path}`: {message}",
        body.len()
    )]
    Decode {
        /// HTTP status code of the response.
        status: u16,
        /// Value of the `Request-Id` response header, if any.
        request_id: Option<String>,
        /// JSON path of the value that failed to decode (for example
        /// `data[0].id`); `.` is the top level and `*` a key of a map
        /// (`metadata.*`), which is data and so never shown.
        path: String,
        /// What the decoder expected and the kind of value it found (`invalid
        /// type: string, expected i64`); never a value of the body.
        message: String,
        /// The raw response body; its `Debug` shows only its length.
        body: ResponseBody,
    },

    /// The response is not a Stripe JSON body: a redirect (the client
    /// follows none; check the base URL), an HTML page from a proxy or load
    /// balancer in front of Stripe (a 502), or an empty body.
    ///
    /// A response is taken as JSON when its `Content-Type` is
    /// `application/json` (or `+json`), or, without a content type, when its
    /// body starts with `{` or `[`. Retryable statuses (a 502) were retried
    /// before this is returned.
    #[error(
        "HTTP {status} response{} ({} bytes) is not a Stripe JSON body{}{}",
        ContentTypeNote(.content_type),
        body.len(),
        RedirectNote(*.status),
        RequestIdNote(.request_id)
    )]
    NotJson {
        /// HTTP status code of the response.
        status: u16,
        /// Its media type (`text/html`), if it had a `Content-Type`.
        content_type: Option<String>,
        /// Value of the `Request-Id` response header, if any.
        request_id: Option<String>,
        /// The raw response body; its `Debug` shows only its length.
        body: ResponseBody,
    },

    /// The request could not be sent or its response could not be read
    /// (connection refused, reset, timed out, ...), even after retrying.
    ///
    /// The underlying error names the URL without its query string (the
    /// parameters of a GET, which may hold personal data) and never the
    /// request headers, so the `Authorization` header cannot leak through it.
    #[error("network error talking to Stripe: {}", SourceChain(.0))]
    Network(#[source] reqwest::Error),

    /// The request was rejected before anything was sent: an invalid path
    /// segment, a parameter that cannot be encoded, a map key Stripe would
    /// refuse (empty, or holding `[` or `]`), an invalid header value.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// A response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes),
    /// 16 MiB by default).
    ///
    /// The body is refused as soon as its declared `Content-Length` or the
    /// bytes read so far exceed the limit; the rest is never read, and the
    /// request is not retried (the same request would get the same answer).
    #[error(
        "Stripe response (HTTP {status}) is larger than the client's limit of {limit} bytes \
         (see ClientBuilder::max_response_bytes){}",
        RequestIdNote(.request_id)
    )]
    ResponseTooLarge {
        /// The limit in bytes that the body exceeded.
        limit: usize,
        /// HTTP status code of the response.
        status: u16,
        /// Value of the `Request-Id` response header, if any.
        request_id: Option<String>,
    },

    /// Auto-pagination (`paginate`) stopped because the pages Stripe
    /// returned would never lead to the end of the list: the next cursor
    /// would not advance, an id came back that the listing already yielded,
    /// or a page claimed `has_more` without holding any item.
    ///
    /// The items of that page that were not yielded before come first; this
    /// error is the last item of the stream.
    #[error("pagination stopped: {reason}{}", RequestIdNote(.request_id))]
    Pagination {
        /// What was wrong with the page, naming ids but never other content.
        reason: String,
        /// The `Request-Id` of the page that stopped the listing, if any.
        request_id: Option<String>,
    },

    /// The client could not be built from its configuration.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// A string could not be parsed as a Stripe object id.
    #[error(transparent)]
    InvalidId(#[from] InvalidId),
}

impl Error {
    /// An [`Error::Network`] whose URL has lost its query string: a GET's
    /// parameters may hold personal data, and errors are logged.
    pub(crate) fn network(mut err: reqwest::Error) -> Error {
        if let Some(url) = err.url_mut() {
            url.set_query(None);
        }
        Error::Network(err)
    }

    /// The HTTP status code of the response that caused this error, if a
    /// response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } | Error::NotJson { status, .. } => Some(*status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Network(err) => err.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The `Request-Id` Stripe assigned to the failed request, if a response
    /// was received. Quote it when contacting Stripe support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode { request_id, .. }
            | Error::NotJson { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. }
            | Error::Pagination { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The error Stripe returned, if this is an [`Error::Api`].
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// The raw bytes of a response body that could not be decoded.
///
/// `Debug` shows its length only: a body can hold secrets and personal data,
/// and errors are logged. Read it on purpose with [`as_bytes`](Self::as_bytes)
/// or [`text`](Self::text).
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseBody(Vec<u8>);

impl ResponseBody {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        ResponseBody(bytes)
    }

    /// The body as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseBody({} bytes)", self.0.len())
    }
}

/// An error response from Stripe: the HTTP status, the request id and the
/// decoded error envelope.
///
/// `Display` and `Debug` show Stripe's `message` unless it is about a
/// parameter that may hold personal data: Stripe's messages quote the value
/// they refuse (`Invalid email address: ...`), and that text would end up
/// in logs and error trackers. See [`ApiError::message_withheld`]; the
/// message itself stays in `error.message`.
#[derive(Clone)]
pub struct ApiError {
    /// HTTP status code of the response.
    pub status: u16,
    /// Value of the `Request-Id` response header, if any.
    pub request_id: Option<String>,
    /// The `error` object of Stripe's error envelope.
    pub error: crate::models::ApiErrors,
}

impl fmt::Display for ApiError {
    /// Formats as e.g. `Stripe API error (HTTP 404, invalid_request_error,
    /// code resource_missing, param id): No such verification session
    /// [request id req_123]`; missing parts are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.error;
        write!(
            f,
            "Stripe API error (HTTP {}, {}",
            self.status,
            e.type_.as_str()
        )?;
        if let Some(code) = &e.code {
            write!(f, ", code {code}")?;
        }
        if let Some(decline_code) = &e.decline_code {
            write!(f, ", decline code {decline_code}")?;
        }
        if let Some(param) = &e.param {
            write!(f, ", param {}", shown_param(param))?;
        }
        f.write_str(")")?;
        if self.message_withheld() {
            f.write_str(
                ": [message withheld: it may quote the parameter's value; see error.message]",
            )?;
        } else if let Some(message) = &e.message {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl fmt::Debug for ApiError {
    /// The fields as they are, but for what `Display` leaves out too: a
    /// withheld message and the keys of `metadata` in `param`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut error = self.error.clone();
        if self.message_withheld() {
            error.message = error.message.map(|_| "[withheld]".to_owned());
        }
        error.param = error.param.map(|param| shown_param(&param));
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("error", &error)
            .finish()
    }
}

impl ApiError {
    /// Whether `Display` and `Debug` leave out Stripe's `message`: when
    /// `param` names a value that may be personal data, by the rule that
    /// decides what `Debug` redacts in objects (`provided_details[email]`,
    /// `..._name`, `..._address`, ...) or any `metadata` value. Stripe's
    /// messages quote the value they refuse. `error.message` still holds it,
    /// for code that reads it deliberately (to show a form error to the user
    /// who typed it, not to a log).
    pub fn message_withheld(&self) -> bool {
        self.error.message.is_some()
            && self
                .error
                .param
                .as_deref()
                .is_some_and(param_may_quote_personal_data)
    }
}

/// The segments of a form parameter's bracket path, as Stripe names it in
/// `param`: `provided_details[email]` gives `provided_details`, `email`.
fn param_segments(param: &str) -> impl Iterator<Item = &str> {
    param.split('[').map(|s| s.strip_suffix(']').unwrap_or(s))
}

/// Whether a value at `param` may be personal data: a `metadata` value, or
/// one the sensitivity rule covers. The last segment is a form value, so
/// it is checked as a string; the ones before it name objects.
fn param_may_quote_personal_data(param: &str) -> bool {
    let segments: Vec<&str> = param_segments(param).collect();
    segments.iter().enumerate().any(|(i, segment)| {
        let kind = if i + 1 == segments.len() {
            ValueKind::String
        } else {
            ValueKind::Other
        };
        *segment == "metadata" || is_sensitive(segment, kind)
    })
}

/// `param` as errors show it: a metadata key is the user's own text, so
/// `metadata[Jane's passport]` shows as `metadata[*]`.
fn shown_param(param: &str) -> String {
    let mut shown = String::new();
    let mut parent = None;
    for segment in param_segments(param) {
        match parent {
            None => shown.push_str(segment),
            Some("metadata") => {
                shown.push_str("[*]");
                break;
            }
            Some(_) => {
                shown.push('[');
                shown.push_str(segment);
                shown.push(']');
            }
        }
        parent = Some(segment);
    }
    shown
}

/// A string that is not a valid id for the expected kind of Stripe object.
///
/// `Display` and `Debug` never show the rejected value, which came from
/// outside (a URL, a form) and may hold anything: only its length and, when
/// it starts like a Stripe id (`vr_`), that prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct InvalidId {
    /// The prefix ids of this kind start with (for example `vs_`); empty when
    /// the id kind has no fixed prefix.
    pub expected_prefix: &'static str,
    /// The rejected value.
    pub value: String,
}

impl InvalidId {
    /// The value's own id prefix (`vr_`), if it starts like a Stripe id:
    /// a few lowercase letters and an underscore.
    fn found_prefix(&self) -> Option<&str> {
        let end = self.value.find('_')?;
        let letters = &self.value[..end];
        let plausible =
            (1..=8).contains(&letters.len()) && letters.bytes().all(|b| b.is_ascii_lowercase());
        plausible.then(|| &self.value[..=end])
    }
}

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.value.chars().count();
        if self.expected_prefix.is_empty() {
            return write!(f, "invalid Stripe id: expected a non-empty id");
        }
        write!(
            f,
            "invalid Stripe id ({len} characters): expected `{}` followed by at least one character",
            self.expected_prefix
        )?;
        match self.found_prefix() {
            Some(found) if found != self.expected_prefix => {
                write!(f, ", found an id starting with `{found}`")
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Debug for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvalidId")
            .field("expected_prefix", &self.expected_prefix)
            .field(
                "value",
                &format_args!("[redacted, {} bytes]", self.value.len()),
            )
            .finish()
    }
}

impl std::error::Error for InvalidId {}

/// Displays ` (request id req_...)`, or nothing without a request id.
struct RequestIdNote<'a>(&'a Option<String>);

impl fmt::Display for RequestIdNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " (request id {id})"),
            None => Ok(()),
        }
    }
}

/// Displays ` with content type text/html`, or nothing without one.
struct ContentTypeNote<'a>(&'a Option<String>);

impl fmt::Display for ContentTypeNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(content_type) => write!(f, " with content type {content_type}"),
            None => f.write_str(" without a content type"),
        }
    }
}

/// Displays why a redirect ended here, or nothing for another status.
struct RedirectNote(u16);

impl fmt::Display for RedirectNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            300..=399 => f.write_str(
                ": it is a redirect, and the client follows none \
                 (is the base URL right, `https://api.stripe.com`?)",
            ),
            _ => Ok(()),
        }
    }
}

/// Displays an error followed by its sources (`outer: inner: root cause`),
/// because reqwest's own message ("error sending request for url ...") hides
/// the useful part (connection refused, timed out, ...) in its sources.
struct SourceChain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for SourceChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = self.0.to_string();
        f.write_str(&last)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            let text = err.to_string();
            // Wrappers often repeat their inner error's message verbatim.
            if text != last {
                write!(f, ": {text}")?;
            }
            last = text;
            source = err.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{param_may_quote_personal_data, shown_param};

    #[test]
    fn personal_parameters_and_metadata_withhold_the_message() {
        for param in [
            "provided_details[email]",
            "provided_details[phone]",
            "metadata[order]",
            "metadata",
            "individual[first_name]",
            "individual[address][line1]",
            "individual[dob][day]",
            // The kind of a form value is not known at run time, so a
            // boolean named like personal data is taken for a string:
            // withholding `Invalid boolean: ...` costs little.
            "options[document][require_id_number]",
        ] {
            assert!(param_may_quote_personal_data(param), "{param}");
        }
    }

    #[test]
    fn other_parameters_keep_the_message() {
        for param in [
            "type",
            "session",
            "return_url",
            "expand[0]",
            "options[document][allowed_types][0]",
            "created[gte]",
            "limit",
        ] {
            assert!(!param_may_quote_personal_data(param), "{param}");
        }
    }

    #[test]
    fn metadata_keys_are_masked() {
        assert_eq!(shown_param("metadata[Jane Doe]"), "metadata[*]");
        assert_eq!(shown_param("a[metadata][k][j]"), "a[metadata][*]");
        assert_eq!(shown_param("metadata"), "metadata");
        assert_eq!(
            shown_param("options[document][allowed_types][0]"),
            "options[document][allowed_types][0]"
        );
    }
}
