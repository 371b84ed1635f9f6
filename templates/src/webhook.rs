//! Verifying that a webhook delivery really comes from Stripe.
//!
//! Stripe signs every delivery with the endpoint's signing secret
//! (`whsec_…`) and sends the result in the `Stripe-Signature` header:
//! `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. Each `v1` value is the
//! HMAC-SHA256 of `"<t>.<raw body>"`. [`Webhook`] checks that header against
//! the raw body bytes *before* anything parses them, and refuses deliveries
//! whose timestamp is too far from now, so a captured delivery cannot be
//! replayed later.
//!
//! Pass the body exactly as received: parsing and re-serialising JSON changes
//! its bytes and breaks the signature.
//!
//! ```
//! use stripe_identity::{Webhook, WebhookError};
//!
//! #[derive(serde::Deserialize)]
//! struct Event {
//!     id: String,
//!     #[serde(rename = "type")]
//!     type_: String,
//! }
//!
//! /// Called by the web framework with the raw body and the header value.
//! fn handle(body: &[u8], stripe_signature: &str) -> Result<(), WebhookError> {
//!     let webhook = Webhook::new("whsec_...");
//!     let event: Event = webhook.construct(body, stripe_signature)?;
//!     println!("received {} ({})", event.id, event.type_);
//!     Ok(())
//! }
//! # let _ = handle;
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What `Debug` shows instead of a secret.
const REDACTED: &str = "[redacted]";

/// The only signature scheme Stripe uses for live signatures; `v0` (test
/// signatures of old API versions) and unknown schemes are ignored.
const SCHEME: &str = "v1";

/// Length of a hex-encoded HMAC-SHA256.
const SIGNATURE_HEX_LEN: usize = 64;

/// Verifies webhook deliveries from Stripe.
///
/// Holds one or more endpoint signing secrets and a timestamp tolerance. A
/// delivery is accepted when any `v1` signature in its header matches any
/// of the secrets, so a rotated secret can be accepted alongside the new one
/// until Stripe stops using it.
///
/// # API versions
///
/// Stripe renders an endpoint's events in the API version the endpoint was
/// created with (or the account's default version), not in the version a
/// client sends. This crate decodes [`API_VERSION`](crate::API_VERSION):
/// create the endpoint with that version (the `api_version` parameter when
/// creating it through the API; in the Dashboard, check the version picked).
/// Events of another version decode as far as their shapes allow (unknown
/// fields and enum values are kept), a field whose type changed fails with
/// [`WebhookError::NotAnEvent`] naming the event's version, and a decoded
/// event reports the difference through its `api_version_mismatch` method.
///
/// Its `Debug` output never shows the secrets.
#[derive(Clone)]
pub struct Webhook {
    secrets: Vec<String>,
    tolerance: Duration,
}

impl Webhook {
    /// How far a delivery's timestamp may be from now, in either direction:
    /// five minutes, as in Stripe's own libraries.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

    /// Verifies deliveries signed with the endpoint secret `secret` (the
    /// whole `whsec_…` string from the dashboard), with the default
    /// tolerance.
    ///
    /// An empty secret never matches: HMAC with an empty key is something
    /// anyone can compute. It usually means a missing environment variable,
    /// so while no secret is non-empty every delivery is refused with
    /// [`WebhookError::NoSecret`], which says so, rather than as a signature
    /// mismatch. [`has_secret`](Self::has_secret) checks for it at start-up.
    pub fn new(secret: impl Into<String>) -> Self {
        Webhook {
            secrets: vec![secret.into()],
            tolerance: Self::DEFAULT_TOLERANCE,
        }
    }

    /// Also accepts deliveries signed with `secret`, for example the old
    /// secret while an endpoint's secret is being rolled.
    ///
    /// An empty `secret` is ignored (it never matches), so an unset variable
    /// for an old secret that is no longer rolled does no harm; the other
    /// secrets still verify.
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(secret.into());
        self
    }

    /// Sets how far a delivery's timestamp may be from now, in either
    /// direction. Only whole seconds count.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Whether any of the secrets is non-empty, so that a delivery can be
    /// verified at all. Check it at start-up to fail early on a missing
    /// secret; otherwise every delivery fails with
    /// [`WebhookError::NoSecret`].
    pub fn has_secret(&self) -> bool {
        self.secrets.iter().any(|secret| !secret.is_empty())
    }

    /// Checks the signature header against the raw body, using the system
    /// clock.
    pub fn verify(&self, payload: &[u8], signature_header: &str) -> Result<(), WebhookError> {
        self.verify_at(payload, signature_header, unix_now())
    }

    /// Checks the signature header against the raw body as if the time were
    /// `now` (unix seconds), for tests and replays.
    ///
    /// The signature is checked before the timestamp, so a timestamp edited
    /// after signing is reported as [`WebhookError::NoMatch`]. Without a
    /// non-empty secret nothing is checked: the error is
    /// [`WebhookError::NoSecret`].
    pub fn verify_at(
        &self,
        payload: &[u8],
        signature_header: &str,
        now: i64,
    ) -> Result<(), WebhookError> {
        if !self.has_secret() {
            return Err(WebhookError::NoSecret);
        }
        let header = SignatureHeader::parse(signature_header)?;
        if header.signatures.is_empty() {
            return Err(WebhookError::NoV1Signature);
        }
        if !self.any_signature_matches(&header, payload) {
            return Err(WebhookError::NoMatch);
        }
        self.check_timestamp(header.timestamp, now)
    }

    /// Verifies the delivery, using the system clock, then decodes the body
    /// as `T`.
    pub fn construct<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        signature_header: &str,
    ) -> Result<T, WebhookError> {
        self.construct_at(payload, signature_header, unix_now())
    }

    /// Verifies the delivery as if the time were `now` (unix seconds), then
    /// decodes the body as `T`.
    pub fn construct_at<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        signature_header: &str,
        now: i64,
    ) -> Result<T, WebhookError> {
        self.verify_at(payload, signature_header, now)?;
        decode(payload)
    }

    /// Whether any well-formed `v1` signature is the HMAC of the signed
    /// text under any non-empty secret.
    fn any_signature_matches(&self, header: &SignatureHeader<'_>, payload: &[u8]) -> bool {
        let candidates: Vec<[u8; 32]> = header
            .signatures
            .iter()
            .filter_map(|hex| decode_signature(hex))
            .collect();
        self.secrets
            .iter()
            .filter(|secret| !secret.is_empty())
            .map(|secret| signed_text_mac(secret, header.timestamp_text, payload))
            .any(|mac| {
                candidates
                    .iter()
                    .any(|candidate| mac.clone().verify_slice(candidate).is_ok())
            })
    }

    /// Refuses a timestamp more than the tolerance away from `now`.
    fn check_timestamp(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let tolerance_secs = self.tolerance.as_secs();
        if now.abs_diff(timestamp) > tolerance_secs {
            return Err(WebhookError::Timestamp {
                timestamp,
                now,
                tolerance_secs,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets: Vec<Redacted> = self
            .secrets
            .iter()
            .map(|secret| Redacted {
                empty: secret.is_empty(),
            })
            .collect();
        f.debug_struct("Webhook")
            .field("secrets", &secrets)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Stands in for a secret in `Debug` output: whether it is empty (a
/// configuration mistake worth seeing) and nothing more.
struct Redacted {
    empty: bool,
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.empty { "[empty]" } else { REDACTED })
    }
}

/// Why a webhook delivery was refused.
///
/// Neither `Display` nor `Debug` output ever contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The `Stripe-Signature` header is not `t=<unix seconds>,v1=<hex>,…`:
    /// it is empty, an item is not `key=value`, or the timestamp is missing,
    /// repeated or not an integer.
    #[error("unreadable Stripe-Signature header: {reason}")]
    Header {
        /// What is wrong with the header.
        reason: String,
    },

    /// No secret to verify with: every secret given to the [`Webhook`] is
    /// empty, usually because the environment variable meant to hold the
    /// endpoint's signing secret is not set. Nothing about the delivery was
    /// checked; it is a configuration error, not a bad delivery.
    #[error(
        "no webhook signing secret is configured: the secret given to Webhook::new is empty \
         (is the variable holding it set?); copy the endpoint's `whsec_...` signing secret \
         from the Stripe Dashboard"
    )]
    NoSecret,

    /// The header is readable but carries no `v1` signature (for example
    /// only a `v0` one), so there is nothing this crate can check.
    #[error("the Stripe-Signature header has no v1 signature")]
    NoV1Signature,

    /// No `v1` signature in the header matches the body for any of the
    /// secrets: the body, the timestamp or the signature was changed, or the
    /// delivery was signed with another endpoint's secret.
    #[error("no v1 signature in the Stripe-Signature header matches the payload and secrets")]
    NoMatch,

    /// The signature is valid but its timestamp is too far from now, in
    /// either direction: a replayed delivery or a badly wrong clock.
    #[error("webhook timestamp {timestamp} is more than {tolerance_secs} s away from now ({now})")]
    Timestamp {
        /// The `t` of the header, in unix seconds.
        timestamp: i64,
        /// The time it was checked against, in unix seconds.
        now: i64,
        /// The allowed distance, in seconds.
        tolerance_secs: u64,
    },

    /// The signature is valid but the body is not the expected JSON.
    ///
    /// Often the endpoint sends events of another API version than this
    /// crate's (see `Event::api_version_mismatch`); then
    /// `api_version` says which, and so does the message.
    #[error(
        "webhook payload could not be decoded at `{path}`: {message}{}",
        OtherVersionNote(.api_version)
    )]
    NotAnEvent {
        /// JSON path of the value that failed to decode (for example
        /// `data.object.status`); `.` is the top level and `*` a map's key.
        path: String,
        /// What the decoder expected and the kind of value it found; never
        /// a value of the body.
        message: String,
        /// The body's `api_version`, when it has one and it is not
        /// [`API_VERSION`](crate::API_VERSION).
        api_version: Option<String>,
    },
}

impl WebhookError {
    fn header(reason: impl Into<String>) -> Self {
        WebhookError::Header {
            reason: reason.into(),
        }
    }
}

/// The parts of a `Stripe-Signature` header this crate uses.
struct SignatureHeader<'a> {
    /// The timestamp as written, because that exact text is signed.
    timestamp_text: &'a str,
    timestamp: i64,
    /// Every `v1` value, well-formed or not.
    signatures: Vec<&'a str>,
}

impl<'a> SignatureHeader<'a> {
    /// Splits the header into `key=value` items (at each item's first `=`,
    /// trimming ASCII whitespace) and keeps `t` and the `v1` values.
    fn parse(header: &'a str) -> Result<Self, WebhookError> {
        if header.trim_ascii().is_empty() {
            return Err(WebhookError::header("it is empty"));
        }
        let mut timestamp_text = None;
        let mut signatures = Vec::new();
        for (index, item) in header.split(',').enumerate() {
            let Some((key, value)) = item.split_once('=') else {
                return Err(WebhookError::header(format!(
                    "item {} ({}) is not `key=value`",
                    index + 1,
                    described(item)
                )));
            };
            match key.trim_ascii() {
                "t" if timestamp_text.is_some() => {
                    return Err(WebhookError::header("it has more than one `t=` timestamp"));
                }
                "t" => timestamp_text = Some(value.trim_ascii()),
                SCHEME => signatures.push(value.trim_ascii()),
                _ => {}
            }
        }
        let timestamp_text =
            timestamp_text.ok_or_else(|| WebhookError::header("it has no `t=` timestamp"))?;
        Ok(SignatureHeader {
            timestamp_text,
            timestamp: parse_timestamp(timestamp_text)?,
            signatures,
        })
    }
}

/// Parses unix seconds written as plain decimal digits (no sign, no
/// fraction), the only form Stripe sends.
fn parse_timestamp(text: &str) -> Result<i64, WebhookError> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse() {
        Ok(seconds) if digits_only => Ok(seconds),
        _ => Err(WebhookError::header(format!(
            "the `t=` timestamp ({}) is not unix seconds (plain decimal digits)",
            described(text)
        ))),
    }
}

/// What an error message says of a piece of the header: its length, never
/// its text. A header that is not Stripe's (a framework handing over the
/// wrong one, `Authorization: Bearer sk_live_...`, or a cookie) can hold a
/// secret or personal data, and these messages end up in logs.
fn described(text: &str) -> String {
    match text.chars().count() {
        1 => "1 character".to_owned(),
        count => format!("{count} characters"),
    }
}

/// A signature as bytes, if it is exactly 64 lowercase hex digits.
///
/// Stripe's own libraries compare the lowercase hex text, so uppercase or
/// truncated hex never matches there; refusing it here keeps the verdicts
/// the same.
fn decode_signature(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != SIGNATURE_HEX_LEN {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        *byte = (lower_hex_digit(pair[0])? << 4) | lower_hex_digit(pair[1])?;
    }
    Some(bytes)
}

/// The value of one lowercase hex digit.
fn lower_hex_digit(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// The HMAC state after `"<t>.<payload>"`, keyed with `secret`; clone it to
/// check each candidate, since verifying consumes it.
fn signed_text_mac(secret: &str, timestamp_text: &str, payload: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp_text.as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// Decodes a verified body, reporting the path of the value that failed
/// and the body's API version if it is not the crate's.
fn decode<T: DeserializeOwned>(payload: &[u8]) -> Result<T, WebhookError> {
    crate::json::from_slice(payload).map_err(|e| WebhookError::NotAnEvent {
        path: e.path,
        message: e.message,
        api_version: crate::json::api_version(payload)
            .filter(|version| version != crate::API_VERSION),
    })
}

/// Displays why a body of another API version may not decode, or nothing.
struct OtherVersionNote<'a>(&'a Option<String>);

impl fmt::Display for OtherVersionNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(version) => write!(
                f,
                " (the event is API version {version}, this crate decodes {}: \
                 create the webhook endpoint with that version)",
                crate::API_VERSION
            ),
            None => Ok(()),
        }
    }
}

/// The system clock in unix seconds (negative before 1970).
fn unix_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(err) => -i64::try_from(err.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_items_are_split_at_the_first_equals_and_trimmed() {
        let header = SignatureHeader::parse(" t = 0012 , v1= a=b ,v0=x, v1 =c").unwrap();
        assert_eq!(header.timestamp_text, "0012");
        assert_eq!(header.timestamp, 12);
        assert_eq!(header.signatures, ["a=b", "c"]);
    }

    #[test]
    fn timestamps_are_plain_digits() {
        for bad in ["", "-1", "+1", "1.5", "1e3", "99999999999999999999"] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_timestamp("1700000000").unwrap(), 1_700_000_000);
    }

    #[test]
    fn only_64_lowercase_hex_digits_decode() {
        let good = "0f".repeat(32);
        assert_eq!(decode_signature(&good), Some([0x0f; 32]));
        assert_eq!(decode_signature(&good.to_uppercase()), None);
        assert_eq!(decode_signature(&good[..62]), None);
        assert_eq!(decode_signature(&format!("{good}00")), None);
        assert_eq!(decode_signature(&"g0".repeat(32)), None);
    }

    #[test]
    fn header_errors_give_lengths_not_text() {
        let reason = |header: &str| match SignatureHeader::parse(header) {
            Err(WebhookError::Header { reason }) => reason,
            other => panic!("{header:?} parsed: {:?}", other.is_ok()),
        };
        assert_eq!(
            reason("t=1,Bearer sk_live_abc"),
            "item 2 (18 characters) is not `key=value`"
        );
        assert_eq!(
            reason("t=é1"),
            "the `t=` timestamp (2 characters) is not unix seconds (plain decimal digits)"
        );
        assert_eq!(
            reason("t=,v1=00"),
            "the `t=` timestamp (0 characters) is not unix seconds (plain decimal digits)"
        );
        assert!(reason("x").contains("(1 character)"));
    }
}
