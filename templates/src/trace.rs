//! `tracing` spans and events, with the `tracing` feature: one span per
//! call, one event per attempt, all with the target `stripe_identity`.
//!
//! The span `stripe_request` (level INFO) is opened with `method` and
//! `path` (the template) and, when the call ends, records `attempts`,
//! `status` and `request_id` (of the last attempt) and `elapsed_ms` (the
//! whole call, retries and waits included).
//!
//! Each attempt is an event inside it with `attempt`, `status`,
//! `request_id`, `stripe_should_retry`, `will_retry`, `elapsed_ms` and
//! `error` (a kind such as `timeout`, never a message); fields without a
//! value are left out. Its level: DEBUG for a 2xx response, WARN for a
//! failed attempt that is retried, INFO for one that ends the call.
//!
//! The fields are those of [`AttemptInfo`]: nothing that can hold a
//! parameter value, a body, a header value other than `Request-Id`, the key
//! or personal data.
#![cfg(feature = "tracing")]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use tracing::field::Empty;

use crate::client::Method;
use crate::error::Error;
use crate::observe::AttemptInfo;
use crate::retry::RawResponse;

/// One attempt's event at a level fixed where it is written (an event's
/// level is part of its static metadata).
macro_rules! attempt_event {
    ($level:expr, $info:expr, $message:literal) => {
        tracing::event!(
            target: "stripe_identity",
            $level,
            attempt = $info.attempt,
            status = $info.status,
            request_id = $info.request_id.as_deref(),
            stripe_should_retry = $info.stripe_should_retry,
            will_retry = $info.will_retry,
            elapsed_ms = millis($info.elapsed),
            error = $info.error.map(crate::observe::AttemptError::as_str),
            $message
        )
    };
}

/// The span of one call and what it records when the call ends.
pub(crate) struct CallTrace {
    span: tracing::Span,
    started: Instant,
    attempts: AtomicU32,
}

impl CallTrace {
    /// Opens the span of a call.
    pub(crate) fn start(method: Method, path: &str) -> Self {
        let span = tracing::info_span!(
            target: "stripe_identity",
            "stripe_request",
            method = method.as_str(),
            path = path,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
            elapsed_ms = Empty,
        );
        CallTrace {
            span,
            started: Instant::now(),
            attempts: AtomicU32::new(0),
        }
    }

    /// The call's span.
    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Records one attempt as an event in the call's span.
    pub(crate) fn attempt(&self, info: &AttemptInfo) {
        self.attempts.store(info.attempt, Ordering::Relaxed);
        let _entered = self.span.enter();
        let success = info.status.is_some_and(|s| (200..300).contains(&s));
        if success {
            attempt_event!(tracing::Level::DEBUG, info, "Stripe API attempt succeeded");
        } else if info.will_retry {
            attempt_event!(
                tracing::Level::WARN,
                info,
                "Stripe API attempt failed, retrying"
            );
        } else {
            attempt_event!(tracing::Level::INFO, info, "Stripe API attempt failed");
        }
    }

    /// Records the end of the call on its span.
    pub(crate) fn finish(&self, outcome: &Result<RawResponse, Error>) {
        let (status, request_id) = match outcome {
            Ok(response) => (
                Some(response.status.as_u16()),
                response.request_id.as_deref(),
            ),
            Err(err) => (err.status(), err.request_id()),
        };
        let attempts = self.attempts.load(Ordering::Relaxed);
        if attempts > 0 {
            self.span.record("attempts", attempts);
        }
        if let Some(status) = status {
            self.span.record("status", status);
        }
        if let Some(request_id) = request_id {
            self.span.record("request_id", request_id);
        }
        self.span
            .record("elapsed_ms", millis(self.started.elapsed()));
    }
}

/// A duration in milliseconds, with microseconds as the fraction.
fn millis(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
