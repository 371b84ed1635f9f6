//! A webhook endpoint for Identity events, served with axum.
//!
//! ```text
//! STRIPE_WEBHOOK_SECRET=whsec_... cargo run -p stripe-identity --example webhook_server
//! stripe listen --forward-to localhost:3000/webhook
//! ```
//!
//! It listens on `127.0.0.1:$PORT` (3000 by default) and accepts `POST
//! /webhook`. Each delivery's `Stripe-Signature` header is checked against the
//! raw body before anything is decoded; a repeated delivery of an event is
//! acknowledged without being handled again. It logs event ids, event types,
//! session ids and error codes, never personal data or secrets.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use stripe_identity::{Event, EventId, EventPayload, Webhook, WebhookError};

/// What the endpoint shares between requests. Cloning it is cheap and every
/// clone sees the same events.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    webhook: Webhook,
    /// Ids of the events already handled. Stripe delivers an event at least
    /// once and retries it until it gets a 2xx, so the same event can
    /// arrive more than once. This set lives in memory and grows forever:
    /// in production keep the ids in a durable store (for example a table
    /// with a unique key on the event id) and expire them after a few
    /// days, longer than Stripe keeps retrying.
    seen: Mutex<HashSet<EventId>>,
    /// Every event handled, as (event id, event type), in order.
    handled: Mutex<Vec<(EventId, String)>>,
}

impl AppState {
    /// State for an endpoint that verifies deliveries with `webhook`.
    pub fn new(webhook: Webhook) -> Self {
        AppState {
            shared: Arc::new(Shared {
                webhook,
                seen: Mutex::new(HashSet::new()),
                handled: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The events handled so far, as (event id, event type), in the order
    /// they were handled. A repeated delivery is not listed twice.
    pub fn handled(&self) -> Vec<(EventId, String)> {
        self.shared.handled.lock().unwrap().clone()
    }

    /// Whether this is the first delivery of `id`; remembers it if so.
    fn first_delivery(&self, id: &EventId) -> bool {
        self.shared.seen.lock().unwrap().insert(id.clone())
    }
}

/// The endpoint's routes: `POST /webhook`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/webhook", post(webhook))
        .with_state(state)
}

/// Verifies a delivery, handles its event once and acknowledges it.
///
/// Answers 400 with a short message when the delivery is refused, and 200
/// otherwise, quickly: Stripe waits only a few seconds for an answer and
/// retries on a timeout. Slow work belongs in a background job.
async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let Some(signature) = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok())
    else {
        return (StatusCode::BAD_REQUEST, "missing Stripe-Signature header\n");
    };
    // The raw bytes, exactly as received: re-serialized JSON would not match
    // the signature.
    let event = match state.shared.webhook.construct_event(&body, signature) {
        Ok(event) => event,
        Err(err @ WebhookError::NoSecret) => {
            // Our configuration, not the delivery: answer 500 so Stripe
            // retries once the secret is set.
            eprintln!("cannot verify deliveries: {err}");
            return (StatusCode::INTERNAL_SERVER_ERROR, "not configured\n");
        }
        Err(err @ WebhookError::NotAnEvent { .. }) => {
            // The error names the path and the kind of value that failed,
            // never a value of the body, so it can be logged as it is.
            eprintln!("refused a delivery: {err}");
            return (StatusCode::BAD_REQUEST, "not an event\n");
        }
        Err(err) => {
            eprintln!("refused a delivery: {err}");
            return (StatusCode::BAD_REQUEST, "invalid signature\n");
        }
    };
    if let Some(version) = event.api_version_mismatch() {
        // It decoded, but fields may be missing or renamed: align the
        // endpoint's API version with the crate's.
        eprintln!(
            "{}: rendered in API version {version}, this crate decodes {}",
            event.id,
            stripe_identity::API_VERSION
        );
    }
    // Handling cannot fail here. Where it can, remember the id only once it
    // succeeded (or in the same transaction) and answer 500 on failure, so
    // that Stripe delivers the event again.
    if !state.first_delivery(&event.id) {
        println!("{}: already handled, ignoring the repeat", event.id);
        return (StatusCode::OK, "already handled\n");
    }
    handle(&event);
    state
        .shared
        .handled
        .lock()
        .unwrap()
        .push((event.id.clone(), event.type_.to_string()));
    (StatusCode::OK, "ok\n")
}

/// Acts on one verified event. Logs only ids, types, statuses and error
/// codes: `verified_outputs` holds the user's name, date of birth, address
/// and id number, which never belong in logs.
fn handle(event: &Event) {
    let id = &event.id;
    match &event.data.object {
        EventPayload::VerificationSessionVerified(session) => {
            // Stripe includes `verified_outputs` only when it is expanded:
            // retrieve the session with `.expand(["verified_outputs"])` to get
            // them, and store them where personal data belongs.
            let outputs = match &session.verified_outputs {
                Some(_) => "present",
                None => "not included",
            };
            println!(
                "{id}: session {} verified (verified outputs {outputs})",
                session.id
            );
        }
        EventPayload::VerificationSessionRequiresInput(session) => {
            // `code` says what went wrong; `reason` explains it in words meant
            // for the user, to show when asking them to try again.
            let last_error = session.last_error.as_ref();
            let code = last_error
                .and_then(|error| error.code.as_ref())
                .map_or("none", |code| code.as_str());
            let has_reason = last_error.is_some_and(|error| error.reason.is_some());
            println!(
                "{id}: session {} requires input (last error code: {code}, reason given: {has_reason})",
                session.id
            );
        }
        EventPayload::VerificationSessionRedacted(session) => {
            // Stripe deleted the session's personal data: delete any copy.
            println!("{id}: session {} redacted", session.id);
        }
        EventPayload::VerificationSessionCanceled(session)
        | EventPayload::VerificationSessionCreated(session)
        | EventPayload::VerificationSessionProcessing(session) => {
            println!(
                "{id}: {} (session {}, status {})",
                event.type_, session.id, session.status
            );
        }
        // An event type this crate does not know: its object is raw JSON and
        // may hold anything, so only the type is logged.
        EventPayload::Unknown { type_, .. } => println!("{id}: ignoring {type_}"),
        // `EventPayload` is non_exhaustive: newer versions may add variants.
        _ => println!("{id}: ignoring {}", event.type_),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("STRIPE_WEBHOOK_SECRET")
        .map_err(|_| "set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret (whsec_...)")?;
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| "PORT must be a port number")?,
        Err(_) => 3000,
    };
    let webhook = Webhook::new(secret);
    if !webhook.has_secret() {
        return Err(
            "STRIPE_WEBHOOK_SECRET is empty: set it to the endpoint's signing secret".into(),
        );
    }
    let state = AppState::new(webhook);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}/webhook", listener.local_addr()?);
    axum::serve(listener, app(state)).await?;
    Ok(())
}
