//! Per-call settings: [`RequestOptions`].

use std::time::Duration;

/// Per-request settings. Each one that is set wins over the client's
/// setting, for this call only.
///
/// For `paginate`, the options apply to every page: each page is one call
/// with its own attempts and retries.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Act on behalf of this connected account (`Stripe-Account` header);
    /// overrides [`ClientBuilder::stripe_account`](crate::ClientBuilder::stripe_account).
    pub stripe_account: Option<String>,
    /// Use this `Idempotency-Key` for a POST instead of a random one, so that
    /// repeating the call (for example after a crash) cannot apply it twice.
    pub idempotency_key: Option<String>,
    /// Send this `Stripe-Version`; overrides
    /// [`ClientBuilder::api_version`](crate::ClientBuilder::api_version) and
    /// [`crate::API_VERSION`]. The typed models describe the pinned version
    /// (see [`ClientBuilder::api_version`](crate::ClientBuilder::api_version)).
    pub api_version: Option<String>,
    /// Time limit for each attempt of this call, from connecting to reading
    /// the whole response; overrides
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout). Like the
    /// client-wide limit it applies to each attempt, and a timed-out attempt
    /// is retried.
    pub timeout: Option<Duration>,
    /// How many times this call is retried; overrides
    /// [`ClientBuilder::max_retries`](crate::ClientBuilder::max_retries).
    /// `Some(0)` makes a single attempt.
    pub max_retries: Option<u32>,
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

    /// Sets [`timeout`](RequestOptions::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`max_retries`](RequestOptions::max_retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }
}
