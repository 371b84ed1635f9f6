//! Idempotent requests as Stripe has them: a POST repeated with the same
//! `Idempotency-Key` gets the first response again, marked
//! `Idempotent-Replayed: true`; the same key with another endpoint or other
//! parameters is a 400 `idempotency_error`.
//!
//! A result is saved once the request reached its handler (success or a
//! refusal of the handler, such as canceling a verified session), not when
//! it failed authentication or parameter checks, as Stripe documents. The
//! oldest records are dropped beyond the double's log limit, as Stripe
//! forgets keys after 24 hours.

use std::collections::{HashMap, VecDeque};

use super::errors::ApiFailure;

/// Stripe's limit on the length of a key.
const MAX_KEY_LEN: usize = 255;

/// A request as its key was first used for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fingerprint {
    pub(crate) method: &'static str,
    pub(crate) path: String,
    /// The parameters as sorted bracket-form pairs.
    pub(crate) params: Vec<(String, String)>,
}

/// The response saved for a key.
#[derive(Clone, Debug)]
pub(crate) struct Saved {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) request_id: String,
}

#[derive(Debug)]
pub(crate) struct Idempotency {
    records: HashMap<String, (Fingerprint, Saved)>,
    order: VecDeque<String>,
    max: usize,
}

impl Idempotency {
    pub(crate) fn new(max: usize) -> Self {
        Idempotency {
            records: HashMap::new(),
            order: VecDeque::new(),
            max,
        }
    }

    /// The saved response to replay for `key`, or a refusal when the key
    /// was used for another request; `None` when the key is new.
    pub(crate) fn replay(
        &self,
        key: &str,
        request: &Fingerprint,
    ) -> Result<Option<Saved>, ApiFailure> {
        if key.len() > MAX_KEY_LEN {
            return Err(ApiFailure::invalid(format!(
                "Idempotency keys can be at most {MAX_KEY_LEN} characters long."
            ))
            .status(400));
        }
        let Some((first, saved)) = self.records.get(key) else {
            return Ok(None);
        };
        let refuse = |message: String| Err(idempotency_error(message));
        if first.path != request.path || first.method != request.method {
            return refuse(format!(
                "Keys for idempotent requests can only be used for the same endpoint they were \
                 first used for ('{} {}' vs '{} {}'). Try using a key other than '{key}' if you \
                 meant to execute a different request.",
                first.method, first.path, request.method, request.path
            ));
        }
        if first.params != request.params {
            return refuse(format!(
                "Keys for idempotent requests can only be used with the same parameters they \
                 were first used with. Try using a key other than '{key}' if you meant to \
                 execute a different request."
            ));
        }
        Ok(Some(saved.clone()))
    }

    /// Saves the response of the first request with `key`.
    pub(crate) fn save(&mut self, key: String, request: Fingerprint, saved: Saved) {
        if self.records.contains_key(&key) {
            return;
        }
        if self.order.len() >= self.max {
            if let Some(oldest) = self.order.pop_front() {
                self.records.remove(&oldest);
            }
        }
        self.order.push_back(key.clone());
        self.records.insert(key, (request, saved));
    }
}

fn idempotency_error(message: String) -> ApiFailure {
    ApiFailure {
        status: 400,
        kind: "idempotency_error",
        code: None,
        param: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, value: &str) -> Fingerprint {
        Fingerprint {
            method: "POST",
            path: path.to_owned(),
            params: vec![("type".to_owned(), value.to_owned())],
        }
    }

    fn saved() -> Saved {
        Saved {
            status: 200,
            body: "{}".to_owned(),
            request_id: "req_1".to_owned(),
        }
    }

    #[test]
    fn same_request_replays_and_others_are_refused() {
        let mut records = Idempotency::new(10);
        let first = request("/v1/a", "document");
        assert!(records.replay("k", &first).unwrap().is_none());
        records.save("k".to_owned(), first.clone(), saved());
        assert_eq!(
            records.replay("k", &first).unwrap().unwrap().request_id,
            "req_1"
        );
        let other = records
            .replay("k", &request("/v1/a", "id_number"))
            .unwrap_err();
        assert_eq!((other.status, other.kind), (400, "idempotency_error"));
        assert!(
            other.message.contains("same parameters"),
            "{}",
            other.message
        );
        let elsewhere = records
            .replay("k", &request("/v1/b", "document"))
            .unwrap_err();
        assert!(
            elsewhere.message.contains("same endpoint"),
            "{}",
            elsewhere.message
        );
    }

    #[test]
    fn the_oldest_keys_are_forgotten_first() {
        let mut records = Idempotency::new(1);
        records.save("a".to_owned(), request("/v1/a", "x"), saved());
        records.save("b".to_owned(), request("/v1/a", "x"), saved());
        assert!(records
            .replay("a", &request("/v1/a", "y"))
            .unwrap()
            .is_none());
        assert!(records.replay("b", &request("/v1/a", "y")).is_err());
        assert!(records
            .replay(&"k".repeat(256), &request("/v1/a", "x"))
            .is_err());
    }
}
