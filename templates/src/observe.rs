//! What the client tells the application about its calls: hooks called
//! after every attempt ([`ClientBuilder::on_attempt`](crate::ClientBuilder::on_attempt))
//! and, with the `tracing` feature, a span per call and an event per
//! attempt (`trace.rs`).
//!
//! Both report the same facts, [`AttemptInfo`], chosen to be safe to log:
//! the method, the path *template*, the attempt number, the status, the
//! `Request-Id`, Stripe's retry advice, whether the client retries and the
//! time taken. Never a parameter value, a body, a header value other than
//! `Request-Id`, the key or an error message (a network error's message
//! names the URL, whose query string holds a GET's parameters).

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{Method, Request};
use crate::error::Error;
use crate::retry::RawResponse;

/// A hook given to [`ClientBuilder::on_attempt`](crate::ClientBuilder::on_attempt).
pub(crate) type Hook = Arc<dyn Fn(&AttemptInfo) + Send + Sync>;

/// What happened in one attempt of a call: what hooks receive
/// ([`ClientBuilder::on_attempt`](crate::ClientBuilder::on_attempt)) and
/// what the `tracing` feature records.
///
/// It holds no parameter value, body, header value other than `Request-Id`,
/// secret key or personal data, so it can go to metrics and logs as is.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The HTTP method.
    pub method: Method,
    /// The operation's path template, such as
    /// `/v1/identity/verification_sessions/{session}`, never the filled-in
    /// path. A [`RawRequest`](crate::RawRequest) has no template: its path
    /// is reported as given (so keep personal data out of raw paths; Stripe's
    /// paths only hold ids).
    pub path: Cow<'static, str>,
    /// Which attempt of the call this was: 1 for the first, 2 for the first
    /// retry, ...
    pub attempt: u32,
    /// The response's HTTP status, if one was received.
    pub status: Option<u16>,
    /// The response's `Request-Id`, if one was received. Quote it when
    /// contacting Stripe support.
    pub request_id: Option<String>,
    /// Stripe's advice in the `Stripe-Should-Retry` header, if it gave any.
    pub stripe_should_retry: Option<bool>,
    /// Whether the client makes another attempt after this one.
    pub will_retry: bool,
    /// Time from sending the request to having read the whole response
    /// (or failing).
    pub elapsed: Duration,
    /// Why the attempt got no usable response, if it did not.
    pub error: Option<AttemptError>,
}

/// Why an attempt got no usable response; see [`AttemptInfo::error`]. The
/// call's [`Error`] carries the details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttemptError {
    /// The attempt's time limit passed.
    Timeout,
    /// The connection could not be made.
    Connect,
    /// Another network failure: the connection broke while sending or
    /// reading.
    Network,
    /// The body was over the client's limit ([`Error::ResponseTooLarge`]).
    ResponseTooLarge,
    /// The HTTP client followed a redirect, and the response was refused.
    Redirected,
}

impl AttemptError {
    /// A short name (`"timeout"`, `"connect"`, ...) for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptError::Timeout => "timeout",
            AttemptError::Connect => "connect",
            AttemptError::Network => "network",
            AttemptError::ResponseTooLarge => "response_too_large",
            AttemptError::Redirected => "redirected",
        }
    }

    /// The kind of a failed attempt's error.
    fn of(err: &Error) -> AttemptError {
        match err {
            Error::Network(e) if e.is_timeout() => AttemptError::Timeout,
            Error::Network(e) if e.is_connect() => AttemptError::Connect,
            Error::ResponseTooLarge { .. } => AttemptError::ResponseTooLarge,
            // `send_once` fails with nothing else but a redirect.
            Error::Config(_) => AttemptError::Redirected,
            _ => AttemptError::Network,
        }
    }
}

/// One call being made: reports each attempt to the hooks and, with the
/// `tracing` feature, to the call's span.
pub(crate) struct Call<'a> {
    hooks: &'a [Hook],
    method: Method,
    path: Cow<'static, str>,
    #[cfg(feature = "tracing")]
    trace: crate::trace::CallTrace,
}

impl<'a> Call<'a> {
    /// Starts observing a call of `request`.
    pub(crate) fn start(hooks: &'a [Hook], request: &Request) -> Self {
        let path = match request.template {
            Some(template) => Cow::Borrowed(template),
            None => Cow::Owned(request.path.clone()),
        };
        Call {
            hooks,
            method: request.method,
            #[cfg(feature = "tracing")]
            trace: crate::trace::CallTrace::start(request.method, &path),
            path,
        }
    }

    /// Runs the call's attempts (inside the call's span, with `tracing`).
    pub(crate) async fn run<F>(&self, attempts: F) -> Result<RawResponse, Error>
    where
        F: Future<Output = Result<RawResponse, Error>>,
    {
        #[cfg(feature = "tracing")]
        {
            let span = self.trace.span().clone();
            let outcome = tracing::Instrument::instrument(attempts, span).await;
            self.trace.finish(&outcome);
            outcome
        }
        #[cfg(not(feature = "tracing"))]
        attempts.await
    }

    /// Reports attempt number `attempt`, which ended in `outcome`.
    pub(crate) fn attempted(
        &self,
        attempt: u32,
        outcome: &Result<RawResponse, Error>,
        will_retry: bool,
        elapsed: Duration,
    ) {
        let (status, request_id, stripe_should_retry, error) = match outcome {
            Ok(response) => (
                Some(response.status.as_u16()),
                response.request_id.clone(),
                response.should_retry,
                None,
            ),
            Err(err) => (
                err.status(),
                err.request_id().map(str::to_owned),
                None,
                Some(AttemptError::of(err)),
            ),
        };
        let info = AttemptInfo {
            method: self.method,
            path: self.path.clone(),
            attempt,
            status,
            request_id,
            stripe_should_retry,
            will_retry,
            elapsed,
            error,
        };
        #[cfg(feature = "tracing")]
        self.trace.attempt(&info);
        for hook in self.hooks {
            hook(&info);
        }
    }
}
