//! A local Stripe for tests: a stateful test double of the Identity API
//! with signed webhooks (feature `testing`, off by default; enable it in
//! `[dev-dependencies]`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use stripe_identity::models::CreateVerificationSessionType;
//! use stripe_identity::testing::{StripeDouble, VerifiedPerson};
//! use stripe_identity::VerificationSession;
//!
//! let stripe = StripeDouble::start().await;
//! stripe.add_webhook_endpoint("http://127.0.0.1:3000/webhook", &["*"])?;
//! let session = VerificationSession::create(CreateVerificationSessionType::Document)
//!     .send(stripe.client())
//!     .await?;
//! // What the person does on Stripe's page; returns once the `processing`
//! // and `verified` events have been delivered, signed with
//! // `stripe.webhook_secret()`.
//! stripe.verify(&session.id, &VerifiedPerson::default()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! [`StripeDouble::start`] serves the API on a free port of 127.0.0.1 (one
//! double per test, as many in parallel as wanted) and returns its base URL
//! ([`url`](StripeDouble::url)), a [`Client`] pointed at it
//! ([`client`](StripeDouble::client)) and the webhook signing secret
//! ([`webhook_secret`](StripeDouble::webhook_secret)). Dropping it stops the
//! server and its deliveries: nothing is left running. Any HTTP client (or
//! another language's Stripe library) can use the URL with any test key.
//!
//! # What it does as Stripe does
//!
//! - **Requests are checked against the spec** this crate was generated
//!   from: unknown and missing parameters, wrong types, enum values the spec
//!   does not list, `limit` outside 1..=100, ids of another resource, unknown
//!   ids; each refusal is Stripe's error envelope (`type`, `code`, `param`
//!   in bracket form, a message worded like Stripe's) with a `Request-Id`.
//! - **Authentication:** a missing or malformed key is a 401; live keys are
//!   refused with a message saying the double only takes test keys.
//! - **The Identity lifecycle** with state, as Stripe's API reference
//!   describes it (`../shared/api-docs/` in the generator's repository):
//!   create, retrieve, update, cancel and redact sessions, reports per
//!   submission, lists with cursors and filters, `expand`. The test plays
//!   the person with [`StripeDouble::verify`], [`StripeDouble::fail`] and
//!   [`StripeDouble::submit`], and finishes redactions with
//!   [`StripeDouble::finish_redaction`].
//! - **Events and webhooks:** every state change records its event (with
//!   `data.previous_attributes`), served by the events API and POSTed to the
//!   endpoints registered with [`StripeDouble::add_webhook_endpoint`], signed
//!   like Stripe's ([`generate_test_header`]), retried on failure; see
//!   [`StripeDouble::deliveries`].
//! - **Idempotency:** a POST repeated with its `Idempotency-Key` is answered
//!   with the first response (`Idempotent-Replayed: true`); the key with
//!   other parameters is a 400 `idempotency_error`.
//! - **Faults** for the next requests ([`StripeDouble::fail_next`]) and a
//!   clock only the test moves ([`StripeDouble::clock`]).
//!
//! Ids, secrets and request ids are deterministic (see
//! [`Builder::seed`]), and so are times with [`Builder::start_time`]: the
//! same test makes the same bodies and signatures on every run.
//!
//! # Request checking is derived from the spec
//!
//! The generator writes a table of every operation (method, path, the kind
//! and prefix of each path id, every parameter's shape: objects with their
//! required fields, enums with their values, integers, booleans, arrays,
//! maps, values that `""` clears, unions, typed ids) and of every object's
//! fields, as plain data. The double parses Stripe's bracket form into a
//! tree and checks it against the table generically, and builds every
//! object it returns from the table, so it cannot drift from the spec or
//! invent a field. (Decoding bodies into the generated request types was
//! the other way: they serialize only, and serde's errors name neither the
//! bracket path Stripe's `param` needs nor Stripe's messages.)
//!
//! # What it does not reproduce
//!
//! - Real verification: nothing is looked at; the test says what happens.
//! - Other parts of Stripe's API, the Dashboard, Stripe.js and the hosted
//!   page itself (a session's `url` is never served), files, Connect
//!   (`Stripe-Account` is ignored), request logs.
//! - Any test key is accepted, not only one account's; restricted keys'
//!   permissions are not checked.
//! - Webhook delivery timing: Stripe retries over three days with
//!   backoff and in no guaranteed order; the double delivers in order, at
//!   once, each event up to [`Builder::delivery_attempts`] times, with one
//!   signing secret for every endpoint.
//! - `previous_attributes` is sent on every state-change event (Stripe's
//!   spec documents it for `*.updated` events).
//! - Wording: messages follow Stripe's where known (unknown and missing
//!   parameters, invalid integers, enums, empty values, `limit`, missing
//!   objects, idempotency, authentication); the refusals of a session's
//!   state follow Stripe's PaymentIntent wording and carry no `code`.
//! - Limits Stripe has and the double does not check: metadata key and
//!   value lengths, string lengths, rate limits (except as faults).
//! - Fields of newer API versions than the spec's (`provided_details`,
//!   `verification_flow`, ...): unknown to the spec, they are refused.
//!
//! # Safety
//!
//! The double binds 127.0.0.1 only and sends webhooks only to 127.0.0.1,
//! `[::1]` or `localhost`, never through a proxy. It holds only what tests
//! put in it, bounded: request bodies (1 MiB), stored objects (10,000) and
//! logs (10,000 entries each), see [`Builder`]. `Debug` of its types shows
//! no personal data and no secret.

mod api;
mod auth;
mod clock;
mod control;
mod errors;
mod events;
mod expand;
mod fakes;
mod faults;
mod idempotency;
mod ids;
mod lifecycle;
mod objects;
mod params;
mod redaction;
mod reports;
mod routes;
mod schema;
mod server;
mod shape;
mod signing;
mod spec;
mod state;
mod store;
mod validate;
mod webhooks;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use clock::Clock;
pub use control::{Address, ControlError, Date, VerifiedPerson};
pub use faults::Fault;
pub use signing::generate_test_header;
pub use webhooks::Delivery;

use crate::models::Event;
use crate::{Client, EventId};
use state::{Limits, Shared};

/// The key the double's [`Client`] uses.
const DEFAULT_API_KEY: &str = "sk_test_stripe_double";

/// A Stripe test double serving on 127.0.0.1; see the [module docs](self).
///
/// Dropping it stops its server and its webhook deliveries: their tasks are
/// aborted, and the runtime closes the port and the connections the next
/// time it runs (at the test's next `.await`, or when its runtime ends).
pub struct StripeDouble {
    shared: Arc<Shared>,
    url: String,
    api_key: String,
    client: Client,
    server: JoinHandle<()>,
    deliveries: JoinHandle<()>,
}

impl StripeDouble {
    /// Starts a double with the default settings on a free port.
    ///
    /// # Panics
    ///
    /// If no port of 127.0.0.1 can be bound, or outside a Tokio runtime.
    /// Use [`Builder::try_start`] to handle the first as an error.
    pub async fn start() -> StripeDouble {
        match Builder::default().try_start().await {
            Ok(double) => double,
            Err(err) => panic!("cannot start the Stripe test double: {err}"),
        }
    }

    /// Starts configuring a double.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The base URL (`http://127.0.0.1:<port>`), for any HTTP client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A client of this crate pointed at the double, with a test key. Its
    /// retries wait milliseconds rather than Stripe's half-second backoff,
    /// so tests of faults stay quick; it never goes through a proxy.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The test key the [`client`](Self::client) sends.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The secret every webhook delivery is signed with (`whsec_…`): give it
    /// to the [`Webhook`](crate::Webhook) of the handler under test.
    pub fn webhook_secret(&self) -> &str {
        &self.shared.secret
    }

    /// The double's clock, which sets every `created` and signature time.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Registers a webhook endpoint: every later event whose type is in
    /// `enabled_events` (or all, with `"*"`) is POSTed to `url`, which must
    /// be `http` on 127.0.0.1, `[::1]` or `localhost`. Returns the
    /// endpoint's id (`we_…`). An event type the spec does not list is
    /// refused, as Stripe refuses it.
    pub fn add_webhook_endpoint(
        &self,
        url: &str,
        enabled_events: &[&str],
    ) -> Result<String, ControlError> {
        let url = webhooks::local_url(url).map_err(ControlError::Invalid)?;
        let known: Vec<&str> = schema::event_types().collect();
        if let Some(unknown) = enabled_events
            .iter()
            .find(|e| **e != "*" && !known.contains(e))
        {
            return Err(ControlError::Invalid(format!(
                "`{unknown}` is not an event type of this spec"
            )));
        }
        let id = self.shared.ids.next("we_");
        self.shared.lock().endpoints.push(webhooks::Endpoint {
            id: id.clone(),
            url,
            enabled_events: enabled_events.iter().map(|e| (*e).to_owned()).collect(),
        });
        Ok(id)
    }

    /// Removes a webhook endpoint; later events are not sent to it.
    pub fn remove_webhook_endpoint(&self, id: &str) {
        self.shared.lock().endpoints.retain(|e| e.id != id);
    }

    /// Waits until every event recorded so far has been delivered to every
    /// endpoint that wants it, or has run out of attempts. The control
    /// methods wait by themselves; call this after API requests that record
    /// events (creating, canceling or redacting a session).
    pub async fn settled(&self) {
        self.shared.queue.settled().await;
    }

    /// Delivers an event again to every endpoint that wants it, as the
    /// Dashboard's "Resend" does, and waits for the deliveries: a webhook
    /// handler must treat the repeat as already handled.
    pub async fn resend(&self, event: &EventId) -> Result<(), ControlError> {
        let recorded = {
            let state = self.shared.lock();
            let found = state.store.get(events::EVENT, event.as_str());
            let event_type = found.and_then(|e| e["type"].as_str());
            let event_type = schema::event_types().find(|t| Some(*t) == event_type);
            match event_type {
                Some(event_type) => events::Recorded {
                    id: event.as_str().to_owned(),
                    event_type,
                },
                None => return Err(ControlError::Refused(format!("No such event: '{event}'"))),
            }
        };
        self.shared.queue.push(vec![recorded]);
        self.shared.queue.settled().await;
        Ok(())
    }

    /// Every delivery attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.to_vec()
    }

    /// Every event so far, oldest first, as the generated [`Event`] type.
    pub fn events(&self) -> Vec<Event> {
        let state = self.shared.lock();
        let mut events: Vec<Event> = state
            .store
            .all(events::EVENT)
            .into_iter()
            .filter_map(|entry| serde_json::from_value(entry.json.clone()).ok())
            .collect();
        events.reverse();
        events
    }

    /// Every request the server received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.to_vec()
    }

    /// Answers the next `count` requests with `fault` instead of serving
    /// them (after any faults already pending).
    pub fn fail_next(&self, count: usize, fault: Fault) {
        self.shared.lock().faults.push(fault, count);
    }

    /// Cancels the pending faults.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }
}

impl Drop for StripeDouble {
    fn drop(&mut self) {
        // Aborting the accept task drops the listener and, with the task's
        // set of connection tasks, every open connection.
        self.server.abort();
        self.deliveries.abort();
    }
}

impl fmt::Debug for StripeDouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeDouble")
            .field("url", &self.url)
            .field("api_key", &"[redacted]")
            .field("webhook_secret", &"[redacted]")
            .field("clock", &self.shared.clock.now())
            .finish()
    }
}

/// Configures a [`StripeDouble`]; see [`StripeDouble::builder`].
#[derive(Clone)]
pub struct Builder {
    start_time: Option<i64>,
    seed: u64,
    webhook_secret: String,
    api_key: String,
    limits: Limits,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            start_time: None,
            seed: 0,
            webhook_secret: "whsec_stripe_double".to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
            limits: Limits::default(),
        }
    }
}

impl Builder {
    /// Starts the clock at `seconds` (unix time) instead of the wall
    /// clock's current time. A webhook handler that checks signature times
    /// against the wall clock then refuses the deliveries: verify them with
    /// [`Webhook::verify_at`](crate::Webhook::verify_at) and the double's
    /// [`clock`](StripeDouble::clock).
    pub fn start_time(mut self, seconds: i64) -> Self {
        self.start_time = Some(seconds);
        self
    }

    /// Seeds the ids, secrets and request ids (default 0): the same seed
    /// makes the same ids in the same order.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Signs webhook deliveries with this secret instead of the default.
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = secret.into();
        self
    }

    /// The test key of the double's [`client`](StripeDouble::client).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The most objects (sessions, reports and events together) the double
    /// holds (default 10,000). A change that could pass it (one stores up to
    /// three) is refused before it changes anything.
    pub fn max_objects(mut self, max: usize) -> Self {
        self.limits.max_objects = max;
        self
    }

    /// The largest request body read, in bytes (default 1 MiB); a larger one
    /// is answered with 413.
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.limits.max_body_bytes = max;
        self
    }

    /// How many entries each log keeps (requests, deliveries, idempotency
    /// keys; default 10,000): the oldest go first.
    pub fn max_log(mut self, max: usize) -> Self {
        self.limits.max_log = max.max(1);
        self
    }

    /// How many times an event is sent to an endpoint that does not answer
    /// 2xx, the first time included (default 3, at least 1).
    pub fn delivery_attempts(mut self, attempts: u32) -> Self {
        self.limits.delivery_attempts = attempts.max(1);
        self
    }

    /// How long one delivery attempt may take (default 10 s).
    pub fn delivery_timeout(mut self, timeout: Duration) -> Self {
        self.limits.delivery_timeout = timeout;
        self
    }

    /// Starts the double; see [`StripeDouble::start`].
    ///
    /// # Panics
    ///
    /// If no port can be bound. Use [`try_start`](Self::try_start) to handle that.
    pub async fn start(self) -> StripeDouble {
        match self.try_start().await {
            Ok(double) => double,
            Err(err) => panic!("cannot start the Stripe test double: {err}"),
        }
    }

    /// Starts the double, or says why it could not.
    pub async fn try_start(self) -> Result<StripeDouble, crate::Error> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| crate::Error::Config(format!("cannot bind 127.0.0.1: {e}")))?;
        let address = listener
            .local_addr()
            .map_err(|e| crate::Error::Config(format!("cannot read the bound address: {e}")))?;
        let url = format!("http://{address}");
        // The server is on 127.0.0.1: never through a proxy the
        // environment names, never redirected elsewhere.
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| crate::Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let client = Client::builder(self.api_key.clone())
            .base_url(url.clone())
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(20))
            .http_client(http)
            .build()?;
        let clock = Clock::starting_at(self.start_time.unwrap_or_else(Clock::wall));
        let (queue, worker) = webhooks::queue();
        let shared = Arc::new(Shared::new(
            clock,
            self.seed,
            self.webhook_secret,
            self.limits,
            queue,
        ));
        let server = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
        let deliveries = tokio::spawn(worker.run(Arc::clone(&shared)));
        Ok(StripeDouble {
            shared,
            url,
            api_key: self.api_key,
            client,
            server,
            deliveries,
        })
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("start_time", &self.start_time)
            .field("seed", &self.seed)
            .field("webhook_secret", &"[redacted]")
            .field("api_key", &"[redacted]")
            .field("limits", &self.limits)
            .finish()
    }
}

/// A request the double received.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The status answered, or `None` for a dropped connection.
    pub status: Option<u16>,
    /// The `Request-Id` answered (a replay's is the first response's).
    pub request_id: String,
    /// The `Idempotency-Key` sent, if any.
    pub idempotency_key: Option<String>,
    /// Whether the answer replayed a saved idempotent response.
    pub replayed: bool,
}
