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
use generator::{Portion, Provenance};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The release `spec/pin.toml` names.
#[derive(serde::Deserialize)]
struct Pin {
    release: String,
}

/// The pinned spec's text and how the headers name it. Finding and checking
/// the spec is xtask's job; the bench only reads the first file that exists
/// and does not check its checksum.
fn spec() -> (String, Provenance) {
    let pin_text = std::fs::read_to_string(root().join("spec/pin.toml")).unwrap();
    let pin: Pin = toml::from_str(&pin_text).unwrap();
    let name = format!("spec3.{}.yaml", pin.release);
    let candidates = [
        std::env::var_os("STRIPE_OPENAPI_SPEC").map(PathBuf::from),
        Some(root().join("spec/cache").join(&name)),
        Some(root().join("../shared/stripe-openapi").join(&name)),
    ];
    let path = candidates
        .into_iter()
        .flatten()
        .find(|p| p.exists())
        .unwrap();
    let provenance = Provenance {
        file: path.display().to_string(),
        release: Some(pin.release),
        sha256: String::new(),
    };
    (std::fs::read_to_string(&path).unwrap(), provenance)
}

fn bench(c: &mut Criterion) {
    let (text, provenance) = spec();
    let mut group = c.benchmark_group("v524");
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| serde_yaml::from_str::<openapiv3::OpenAPI>(&text).unwrap())
    });
    group.bench_function("build_ir", |b| {
        b.iter(|| generator::build_ir(&text, "spec", &Portion::identity()).unwrap())
    });
    group.bench_function("codegen", |b| {
        b.iter(|| generator::codegen(&root(), &text, &provenance, &Portion::identity()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
