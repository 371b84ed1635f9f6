//! Failures the test asks for, so that retry handling can be tested: the
//! next requests fail the way Stripe or the network sometimes does.
//!
//! A fault is served before the request is looked at (as a load balancer
//! or rate limiter would): nothing is executed and no idempotency result is
//! saved, so a retry with the same `Idempotency-Key` runs the request once.

use std::collections::VecDeque;

/// A failure to serve instead of the next request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `500` with Stripe's `api_error` envelope.
    ServerError,
    /// `429` with Stripe's `rate_limit` error and `Stripe-Should-Retry: true`.
    RateLimited,
    /// The connection is closed without an answer.
    DropConnection,
}

/// The faults still to serve, in order.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: VecDeque<Fault>,
}

impl Faults {
    /// Serves `fault` to the next `count` requests, after any already pending.
    pub(crate) fn push(&mut self, fault: Fault, count: usize) {
        self.pending.extend(std::iter::repeat_n(fault, count));
    }

    /// The fault for the request arriving now, if any.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        self.pending.pop_front()
    }

    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_served_in_order_then_stop() {
        let mut faults = Faults::default();
        faults.push(Fault::RateLimited, 2);
        faults.push(Fault::DropConnection, 1);
        assert_eq!(faults.next(), Some(Fault::RateLimited));
        assert_eq!(faults.next(), Some(Fault::RateLimited));
        assert_eq!(faults.next(), Some(Fault::DropConnection));
        assert_eq!(faults.next(), None);
    }
}
