//! Memory for a spec whose one description is 100 MB (Stripe's spec as
//! JSON, the description of `identity.verification_session` replaced; the
//! same spec `cargo xtask bench` times, `xtask::bench::hostile`): the peak
//! of live heap bytes while generating the Identity crate, counted by the
//! benchmark's allocator, above what was live before (the spec's text).
//!
//! Ignored by default: it holds a 100 MB text and its copies. Run it with
//!
//! ```text
//! cargo test -p codegen-tests --test large_description -- --ignored --nocapture
//! ```

use codegen_tests::{pinned_spec, root};
use generator::emit::Provenance;
use generator::Portion;
use xtask::bench::alloc::{self, Counting};
use xtask::bench::hostile::long_description;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The description's length.
const SIZE: usize = 100 << 20;

#[test]
#[ignore = "holds a 100 MB spec and its copies; run with --ignored"]
fn a_100_mb_description_generates_within_3x_the_spec() {
    let text = long_description(&pinned_spec().text, SIZE).unwrap();
    let provenance = Provenance {
        file: "long_description.json".into(),
        release: None,
        sha256: String::new(),
    };
    let templates = root().join("templates");
    let (generated, counted) = alloc::measure(|| {
        generator::generate(&text, &provenance, &Portion::identity(), &templates)
    });
    assert!(counted.installed);
    let ratio = counted.peak as f64 / text.len() as f64;
    println!(
        "spec {} MiB, peak {} MiB above it ({ratio:.2}x)",
        text.len() >> 20,
        counted.peak >> 20
    );
    let generated = generated.unwrap();
    assert!(ratio < 3.0, "peak {ratio:.2}x the spec");
    drop(generated);
}
