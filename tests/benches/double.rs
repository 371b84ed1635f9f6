//! The test double's cost to a test suite.
//!
//! `cargo bench -p codegen-tests --bench double` measures, on one core (a
//! current-thread Tokio runtime):
//! * `double/start_and_drop`: `StripeDouble::start()` (bind a port, spawn
//!   the server and delivery tasks, build the client), dropping it, and one
//!   yield for the runtime to close the port;
//! * `double/retrieve`: one `VerificationSession::retrieve` through the
//!   generated client (HTTP on 127.0.0.1, auth, routing, parameter checks,
//!   rendering, decoding); requests per second is one over its time;
//! * `double/create`: one `VerificationSession::create` (validation, a
//!   stored session and its event, an idempotency record);
//! * `double/list`: one page of 10 from 100 sessions.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::testing::StripeDouble;
use stripe_identity::VerificationSession;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn create() -> stripe_identity::verification_session::CreateVerificationSession {
    VerificationSession::create(CreateVerificationSessionType::Document)
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("double");
    group.bench_function("start_and_drop", |b| {
        b.iter(|| {
            rt.block_on(async {
                drop(black_box(StripeDouble::start().await));
                // Let the runtime drop the aborted server task, and with it
                // the listener, as a test's next `.await` would.
                tokio::task::yield_now().await;
            })
        })
    });
    // A double large enough for every create the benchmark makes; the
    // idempotency log is kept small so memory stays flat.
    let stripe = rt.block_on(
        StripeDouble::builder()
            .max_objects(usize::MAX)
            .max_log(1_000)
            .start(),
    );
    let session = rt.block_on(create().send(stripe.client())).unwrap();
    group.bench_function("retrieve", |b| {
        b.iter(|| {
            rt.block_on(VerificationSession::retrieve(&session.id).send(stripe.client()))
                .unwrap()
        })
    });
    group.bench_function("create", |b| {
        b.iter(|| rt.block_on(create().send(stripe.client())).unwrap())
    });
    let listing = rt.block_on(StripeDouble::start());
    for _ in 0..100 {
        rt.block_on(create().send(listing.client())).unwrap();
    }
    group.bench_function("list", |b| {
        b.iter(|| {
            rt.block_on(VerificationSession::list().send(listing.client()))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
