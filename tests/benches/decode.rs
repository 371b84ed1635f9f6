//! Typed decoding against `serde_json::Value` on the same bytes.
//!
//! `cargo bench -p codegen-tests --bench decode` measures, in one run:
//! * `session/typed` and `session/value`: a verified VerificationSession
//!   (Stripe's example object with verified outputs) as `VerificationSession`
//!   and as `Value`;
//! * `event/typed` and `event/value`: the same session delivered as an
//!   `identity.verification_session.verified` event, as `Event` (envelope,
//!   raw `data.object`, then the typed payload) and as `Value`.
//!
//! The ratio value/typed of each pair is the lead typed decoding keeps.

use codegen_tests::shared_openapi;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;
use stripe_identity::{Event, VerificationSession};

/// Stripe's example session, verified, with the outputs a verified
/// document check returns.
fn session() -> Value {
    let path = shared_openapi().join("fixtures3.v524.json");
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut session = fixtures["resources"]["identity.verification_session"].clone();
    session["verified_outputs"] = json!({
        "address": {"city": "San Francisco", "country": "US", "line1": "1234 Main St.",
                    "line2": null, "postal_code": "94111", "state": "CA"},
        "dob": {"day": 1, "month": 1, "year": 1901},
        "first_name": "Jenny", "last_name": "Rosen",
        "id_number": null, "id_number_type": null
    });
    session
}

fn event(session: &Value) -> Value {
    json!({
        "id": "evt_1NnmXEGPxmnHQRkJO3bak93X", "object": "event", "api_version": "2023-08-16",
        "created": 1694107045, "livemode": false, "pending_webhooks": 1,
        "request": {"id": "req_1", "idempotency_key": null},
        "type": "identity.verification_session.verified",
        "data": {"object": session}
    })
}

fn bench(c: &mut Criterion) {
    let session = session();
    let session_bytes = serde_json::to_vec(&session).unwrap();
    let event_bytes = serde_json::to_vec(&event(&session)).unwrap();
    // Both decodes must succeed, or the benchmark would time an error path.
    serde_json::from_slice::<VerificationSession>(&session_bytes).unwrap();
    serde_json::from_slice::<Event>(&event_bytes).unwrap();

    let mut group = c.benchmark_group("decode");
    group.bench_function("session/typed", |b| {
        b.iter(|| serde_json::from_slice::<VerificationSession>(black_box(&session_bytes)).unwrap())
    });
    group.bench_function("session/value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&session_bytes)).unwrap())
    });
    group.bench_function("event/typed", |b| {
        b.iter(|| serde_json::from_slice::<Event>(black_box(&event_bytes)).unwrap())
    });
    group.bench_function("event/value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&event_bytes)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
