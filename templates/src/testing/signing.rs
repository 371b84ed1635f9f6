//! Signing webhook payloads as Stripe does, for tests: the counterpart of
//! [`Webhook`](crate::Webhook)'s check, like `generate_test_header` in
//! Stripe's own libraries. The double signs its deliveries with it, and a
//! test can sign a payload of its own to unit-test a webhook handler
//! without any server.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `Stripe-Signature` header Stripe would send with `payload` at
/// `timestamp` (unix seconds) for an endpoint whose signing secret is
/// `secret` (the whole `whsec_…` string): `t=<timestamp>,v1=<hex>`, where
/// `<hex>` is the HMAC-SHA256 of `"<timestamp>.<payload>"` keyed with the
/// secret.
///
/// ```
/// use stripe_identity::testing::generate_test_header;
/// use stripe_identity::Webhook;
///
/// let payload = br#"{"id":"evt_123","object":"event"}"#;
/// let header = generate_test_header(payload, "whsec_test", 1_700_000_000);
/// assert!(header.starts_with("t=1700000000,v1="));
/// Webhook::new("whsec_test")
///     .verify_at(payload, &header, 1_700_000_000)
///     .unwrap();
/// ```
pub fn generate_test_header(payload: &[u8], secret: &str, timestamp: i64) -> String {
    signature_header(payload, secret, timestamp)
}

/// See [`generate_test_header`].
pub(crate) fn signature_header(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}
