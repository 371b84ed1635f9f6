//! The double's clock: every `created` value, event time and webhook
//! signature timestamp comes from it, and only the test moves it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A clock the test controls, in unix seconds. It does not move on its
/// own: two objects created without [`advance`](Clock::advance) in between
/// have the same `created`, as two objects created within a second do on
/// Stripe (lists then keep the order of creation).
///
/// It starts at the wall clock's time when the double starts (so webhook
/// handlers that check signature timestamps against the wall clock accept
/// its deliveries), or at the time given to
/// [`Builder::start_time`](super::Builder::start_time).
///
/// Cheap to clone; clones share the time.
#[derive(Clone, Debug)]
pub struct Clock {
    now: Arc<AtomicI64>,
}

impl Clock {
    pub(crate) fn starting_at(seconds: i64) -> Clock {
        Clock {
            now: Arc::new(AtomicI64::new(seconds)),
        }
    }

    /// The wall clock in unix seconds.
    pub(crate) fn wall() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }

    /// The current time, in unix seconds.
    pub fn now(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `by` (whole seconds).
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.now
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(seconds))
            })
            .ok();
    }

    /// Sets the clock to `seconds` (unix time), forwards or backwards.
    pub fn set(&self, seconds: i64) {
        self.now.store(seconds, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_only_when_told() {
        let clock = Clock::starting_at(1_700_000_000);
        let shared = clock.clone();
        assert_eq!(clock.now(), 1_700_000_000);
        clock.advance(Duration::from_millis(61_900));
        assert_eq!(shared.now(), 1_700_000_061);
        shared.set(5);
        assert_eq!(clock.now(), 5);
    }
}
