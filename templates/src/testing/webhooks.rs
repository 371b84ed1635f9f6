//! Webhook endpoints and deliveries.
//!
//! The test registers endpoint URLs on 127.0.0.1 (or `localhost`) with
//! the event types they want. Each recorded event is POSTed to every
//! matching endpoint as Stripe does: the JSON body, `Content-Type:
//! application/json; charset=utf-8` and a `Stripe-Signature` header signed
//! with the double's secret at the double's clock time. A delivery that
//! gets no 2xx answer (another status, a refused connection, a timeout) is
//! retried, up to the double's attempt limit; every attempt is recorded as
//! a [`Delivery`].
//!
//! Events are delivered one at a time, in the order they were recorded,
//! by one task per double, and an event's retries come before the next
//! event. (Stripe retries over three days and does not promise an order;
//! here a test sees a deterministic sequence at once.)

use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use super::events::{Recorded, EVENT};
use super::signing;
use super::state::{Shared, State};

/// A registered webhook endpoint.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) id: String,
    pub(crate) url: reqwest::Url,
    /// Event types, or `*` for all.
    pub(crate) enabled_events: Vec<String>,
}

/// The endpoints that want events of `event_type`.
pub(crate) fn matching<'a>(
    endpoints: &'a [Endpoint],
    event_type: &'a str,
) -> impl Iterator<Item = &'a Endpoint> + 'a {
    endpoints.iter().filter(move |e| {
        e.enabled_events
            .iter()
            .any(|wanted| wanted == "*" || wanted == event_type)
    })
}

/// One delivery attempt of an event to an endpoint.
///
/// Its `Debug` output shows the payload's length, not the payload: an
/// event carries the personal data of its object.
#[derive(Clone)]
pub struct Delivery {
    /// The event delivered (`evt_…`).
    pub event_id: String,
    /// Its type (`identity.verification_session.verified`).
    pub event_type: String,
    /// The endpoint's URL.
    pub url: String,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The HTTP status the endpoint answered, or `None` when it gave no
    /// answer (connection refused or dropped, timeout).
    pub status: Option<u16>,
    /// The exact body sent.
    pub payload: Vec<u8>,
    /// The `Stripe-Signature` header sent.
    pub signature: String,
}

impl Delivery {
    /// Whether the endpoint answered with a 2xx status.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("event_id", &self.event_id)
            .field("event_type", &self.event_type)
            .field("url", &self.url)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("payload", &format_args!("[{} bytes]", self.payload.len()))
            .field("signature", &"[redacted]")
            .finish()
    }
}

/// Whether every delivery of the event has succeeded (an event with no
/// endpoint counts as delivered, as on Stripe).
pub(crate) fn delivered(state: &State, event_id: &str) -> bool {
    let pending = state
        .store
        .get(EVENT, event_id)
        .and_then(|e| e["pending_webhooks"].as_i64());
    pending == Some(0)
}

/// One event to deliver.
#[derive(Debug)]
struct Job {
    event_id: String,
    event_type: &'static str,
}

/// The sending side of a double's delivery task, and the count of events
/// not yet delivered (for [`settled`]).
#[derive(Debug)]
pub(crate) struct DeliveryQueue {
    sender: mpsc::UnboundedSender<Job>,
    pending: watch::Sender<usize>,
}

/// The receiving side, owned by the delivery task.
#[derive(Debug)]
pub(crate) struct DeliveryWorker {
    receiver: mpsc::UnboundedReceiver<Job>,
}

/// A queue and the worker that empties it.
pub(crate) fn queue() -> (DeliveryQueue, DeliveryWorker) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let (pending, _) = watch::channel(0);
    (
        DeliveryQueue { sender, pending },
        DeliveryWorker { receiver },
    )
}

impl DeliveryQueue {
    /// Queues events for delivery (once the state's lock is released).
    pub(crate) fn push(&self, events: Vec<Recorded>) {
        for event in events {
            self.pending.send_modify(|n| *n += 1);
            let job = Job {
                event_id: event.id,
                event_type: event.event_type,
            };
            if self.sender.send(job).is_err() {
                // The double is shutting down: nothing will deliver it.
                self.pending.send_modify(|n| *n -= 1);
            }
        }
    }

    /// Waits until every event queued so far has been delivered or has run
    /// out of attempts.
    pub(crate) async fn settled(&self) {
        let mut pending = self.pending.subscribe();
        // The sender lives as long as `self`, so this only ends at zero.
        let _ = pending.wait_for(|n| *n == 0).await;
    }

    fn done(&self) {
        self.pending.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl DeliveryWorker {
    /// Delivers events until the double is dropped.
    pub(crate) async fn run(mut self, shared: Arc<Shared>) {
        let client = reqwest::Client::builder()
            // Deliveries go to the test's own server on 127.0.0.1: never
            // through a proxy, never redirected elsewhere.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(shared.limits.delivery_timeout)
            .build();
        let Ok(client) = client else {
            return;
        };
        while let Some(job) = self.receiver.recv().await {
            deliver(&shared, &client, &job).await;
            shared.queue.done();
        }
    }
}

/// Every attempt of one event to each endpoint that wants it.
async fn deliver(shared: &Shared, client: &reqwest::Client, job: &Job) {
    let (endpoints, payload) = {
        let state = shared.lock();
        let Some(event) = state.store.get(EVENT, &job.event_id) else {
            return;
        };
        let endpoints: Vec<Endpoint> = matching(&state.endpoints, job.event_type)
            .cloned()
            .collect();
        (endpoints, body(event))
    };
    for endpoint in endpoints {
        for attempt in 1..=shared.limits.delivery_attempts {
            let timestamp = shared.clock.now();
            let signature = signing::signature_header(&payload, &shared.secret, timestamp);
            let sent = client
                .post(endpoint.url.clone())
                .header("content-type", "application/json; charset=utf-8")
                .header("stripe-signature", &signature)
                .body(payload.clone())
                .send()
                .await;
            let status = sent.ok().map(|r| r.status().as_u16());
            let delivery = Delivery {
                event_id: job.event_id.clone(),
                event_type: job.event_type.to_owned(),
                url: endpoint.url.to_string(),
                attempt,
                status,
                payload: payload.clone(),
                signature,
            };
            let succeeded = delivery.succeeded();
            record(shared, delivery, succeeded);
            if succeeded {
                break;
            }
        }
    }
}

/// Logs an attempt; a success lowers the event's `pending_webhooks`.
fn record(shared: &Shared, delivery: Delivery, succeeded: bool) {
    let mut state = shared.lock();
    if succeeded {
        if let Some(event) = state.store.get_mut(EVENT, &delivery.event_id) {
            let pending = event["pending_webhooks"].as_i64().unwrap_or(0);
            event["pending_webhooks"] = Value::from((pending - 1).max(0));
        }
    }
    state.deliveries.push(delivery);
}

/// The bytes of an event as delivered: its JSON, as the events API shows
/// it at the time of delivery.
fn body(event: &Value) -> Vec<u8> {
    serde_json::to_vec(event).unwrap_or_default()
}

/// Checks a webhook URL: `http` on 127.0.0.1, `[::1]` or `localhost`, so
/// the double never sends anything off the machine.
pub(crate) fn local_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("invalid webhook URL {url:?}: {e}"))?;
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if parsed.scheme() != "http" || !loopback {
        return Err(format!(
            "webhook URL {url:?} is not http on 127.0.0.1, [::1] or localhost: the test double \
             never sends anything off the machine"
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_http_urls_are_accepted() {
        for good in [
            "http://127.0.0.1:8080/hook",
            "http://localhost:1/",
            "http://[::1]:2/x",
            "http://127.1.2.3/",
        ] {
            assert!(local_url(good).is_ok(), "{good}");
        }
        for bad in [
            "https://127.0.0.1/",
            "http://example.com/",
            "http://10.0.0.1/",
            "ftp://localhost/",
            "nonsense",
        ] {
            assert!(local_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints_match_their_enabled_events() {
        let endpoint = |events: &[&str]| Endpoint {
            id: "we_1".into(),
            url: local_url("http://127.0.0.1:1/").unwrap(),
            enabled_events: events.iter().map(|e| e.to_string()).collect(),
        };
        let endpoints = [endpoint(&["*"]), endpoint(&["a.b"]), endpoint(&["a.c"])];
        assert_eq!(matching(&endpoints, "a.b").count(), 2);
        assert_eq!(matching(&endpoints, "x").count(), 1);
    }
}
