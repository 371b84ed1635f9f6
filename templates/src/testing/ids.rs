//! Ids, client secrets and request ids for the objects the double makes.
//!
//! They look like Stripe's (`vs_` and 24 letters and digits) and are
//! deterministic: the n-th id a double makes is the same on every run with
//! the same seed, so tests can compare bodies and signatures with values
//! computed once.

use std::sync::atomic::{AtomicU64, Ordering};

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Characters after the prefix, as in Stripe's ids (`vs_1NuNAILkdIwHu7ixh7OtGMLw`).
const ID_CHARS: usize = 24;

/// Makes the ids of one double.
#[derive(Debug)]
pub(crate) struct IdMaker {
    seed: u64,
    counter: AtomicU64,
}

impl IdMaker {
    pub(crate) fn new(seed: u64) -> Self {
        IdMaker {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    /// A new id with `prefix` (`vs_`).
    pub(crate) fn next(&self, prefix: &str) -> String {
        let mut out = String::with_capacity(prefix.len() + ID_CHARS);
        out.push_str(prefix);
        self.push_random(&mut out, ID_CHARS);
        out
    }

    /// `count` more characters of the sequence.
    pub(crate) fn push_random(&self, out: &mut String, count: usize) {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        // Each id starts from a well-mixed state of its own, so that
        // consecutive ids are not shifts of one sequence.
        let mut key = self
            .seed
            .wrapping_mul(0xD1B5_4A32_D192_ED03)
            .wrapping_add(n);
        let mut state = splitmix64(&mut key);
        for _ in 0..count {
            let word = splitmix64(&mut state);
            out.push(ALPHABET[(word % 62) as usize] as char);
        }
    }
}

/// One step of SplitMix64: a small, well-mixed deterministic sequence.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_distinct_and_stripe_shaped() {
        let (one, two) = (IdMaker::new(7), IdMaker::new(7));
        let a = one.next("vs_");
        assert_eq!(a, two.next("vs_"));
        assert_ne!(a, one.next("vs_"));
        assert_eq!(a.len(), 3 + ID_CHARS);
        assert!(a[3..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(IdMaker::new(8).next("vs_"), a);
    }

    #[test]
    fn consecutive_ids_share_no_run_of_characters() {
        let ids = IdMaker::new(0);
        let (a, b) = (ids.next(""), ids.next(""));
        for window in a.as_bytes().windows(6) {
            let run = std::str::from_utf8(window).unwrap();
            assert!(!b.contains(run), "{a} and {b} share {run}");
        }
    }
}
