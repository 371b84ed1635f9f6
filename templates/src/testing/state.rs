//! What one double holds, shared between its server, its webhook
//! deliveries and the test's handle: one lock over the objects, the
//! idempotency records, the pending faults and the logs, so every request
//! sees and leaves a consistent state.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::clock::Clock;
use super::faults::Faults;
use super::idempotency::Idempotency;
use super::ids::IdMaker;
use super::store::Store;
use super::webhooks::{Delivery, DeliveryQueue, Endpoint};

/// The bounds that keep a double's memory in check.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// Largest request body (and query string) read, in bytes.
    pub(crate) max_body_bytes: usize,
    /// Most objects (sessions, reports, events) held at once.
    pub(crate) max_objects: usize,
    /// Most entries kept in each log (requests, deliveries) and idempotency
    /// records; the oldest are dropped first.
    pub(crate) max_log: usize,
    /// Attempts per webhook delivery, the first included.
    pub(crate) delivery_attempts: u32,
    /// How long one delivery attempt may take.
    pub(crate) delivery_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            max_objects: 10_000,
            max_log: 10_000,
            delivery_attempts: 3,
            delivery_timeout: Duration::from_secs(10),
        }
    }
}

/// Everything a double's tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) clock: Clock,
    pub(crate) ids: IdMaker,
    /// The webhook signing secret (`whsec_…`).
    pub(crate) secret: String,
    pub(crate) limits: Limits,
    pub(crate) queue: DeliveryQueue,
    state: Mutex<State>,
}

/// The mutable part, behind one lock.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) idempotency: Idempotency,
    pub(crate) faults: Faults,
    pub(crate) requests: Log<super::RecordedRequest>,
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) deliveries: Log<Delivery>,
}

impl Shared {
    pub(crate) fn new(
        clock: Clock,
        seed: u64,
        secret: String,
        limits: Limits,
        queue: DeliveryQueue,
    ) -> Self {
        let state = State {
            store: Store::new(limits.max_objects),
            idempotency: Idempotency::new(limits.max_log),
            faults: Faults::default(),
            requests: Log::new(limits.max_log),
            endpoints: Vec::new(),
            deliveries: Log::new(limits.max_log),
        };
        Shared {
            clock,
            ids: IdMaker::new(seed),
            secret,
            limits,
            queue,
            state: Mutex::new(state),
        }
    }

    /// The state, locked. A panic while it was held (a bug, or a test
    /// assertion inside a callback) does not make the double unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A log that keeps its newest `max` entries.
#[derive(Debug)]
pub(crate) struct Log<T> {
    entries: VecDeque<T>,
    max: usize,
}

impl<T: Clone> Log<T> {
    pub(crate) fn new(max: usize) -> Self {
        Log {
            entries: VecDeque::new(),
            max,
        }
    }

    pub(crate) fn push(&mut self, entry: T) {
        if self.entries.len() >= self.max {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entries, oldest first.
    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_keep_the_newest_entries() {
        let mut log = Log::new(2);
        for i in 0..5 {
            log.push(i);
        }
        assert_eq!(log.to_vec(), [3, 4]);
    }
}
