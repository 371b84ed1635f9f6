//! How long generation takes, beside the floor set by parsing the spec.
//!
//! `cargo bench -p stripe-identity-generator` reads the pinned spec from
//! `STRIPE_OPENAPI_SPEC`, the cache, or `../shared` like the tests do, and
//! measures, in one run:
//! * `parse`: serde_yaml parsing the spec into `openapiv3::OpenAPI`, the
//!   cost no generator built on these crates can avoid;
//! * `build_ir`: parse, select and convert;
//! * `codegen`: the whole in-memory run, emission and rustfmt included.

use criterion::{criterion_group, criterion_main, Criterion};
use generator::source::{self, Origin, Pin};
use generator::Portion;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn spec() -> source::SpecFile {
    let spec_dir = root().join("spec");
    let pin = Pin::load(&spec_dir.join("pin.toml")).unwrap();
    let env = std::env::var_os(source::SPEC_ENV).map(PathBuf::from);
    if let Some(found) = source::find(&pin, &spec_dir, None, env.as_deref()).unwrap() {
        return found;
    }
    let shared = root().join(format!(
        "../shared/stripe-openapi/spec3.{}.yaml",
        pin.release
    ));
    source::read_checked(&pin, &shared, Origin::Cache).unwrap()
}

fn bench(c: &mut Criterion) {
    let spec = spec();
    let mut group = c.benchmark_group("v524");
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| serde_yaml::from_str::<openapiv3::OpenAPI>(&spec.text).unwrap())
    });
    group.bench_function("build_ir", |b| {
        b.iter(|| generator::build_ir(&spec.text, "spec", &Portion::identity()).unwrap())
    });
    group.bench_function("codegen", |b| {
        b.iter(|| generator::codegen(&root(), &spec, &Portion::identity()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
