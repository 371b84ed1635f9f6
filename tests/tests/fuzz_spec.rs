//! Fuzzes the generator with mutations of the pinned spec's Identity
//! portion (renamed, retyped, nested, cyclic, duplicated and deleted
//! schemas, properties, enum values, paths and parameters): whatever the
//! spec, the generator returns a crate or an error, never a panic, and a
//! crate it returns is Rust that parses.
//!
//! The portion is cut from the pinned spec in memory on every run
//! (`codegen_tests::identity_portion`); the first test proves the cut
//! generates exactly the committed crate, so the fuzz starts from the real
//! thing. Which mutated crates must also compile is `compile_specs`' job.

use codegen_tests::identity_portion::identity_document;
use codegen_tests::mutation::{self, Mutation, Retype, Target, Wrapper, ODD_NAMES};
use codegen_tests::{pinned_spec, root};
use generator::emit::Provenance;
use generator::{CrateRelease, Generated, Portion};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_yaml::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// The Identity portion of the pinned spec, cut once per test binary.
fn identity() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| identity_document(&pinned_spec().text))
}

fn provenance() -> Provenance {
    let spec = pinned_spec();
    Provenance {
        file: spec.path.display().to_string(),
        release: spec.release.clone(),
        sha256: spec.sha256.clone(),
    }
}

/// Runs the whole pipeline on `doc` as YAML text, as the workspace's
/// release of the crate (its version and changelog).
fn generate(doc: &Value) -> Result<Generated, generator::Error> {
    static PROVENANCE: OnceLock<Provenance> = OnceLock::new();
    static RELEASE: OnceLock<CrateRelease> = OnceLock::new();
    let text = serde_yaml::to_string(doc).unwrap();
    let provenance = PROVENANCE.get_or_init(provenance);
    let release = RELEASE.get_or_init(|| xtask::codegen::crate_release(&root()).unwrap());
    generator::generate_release(
        &text,
        provenance,
        release,
        &Portion::identity(),
        &root().join("templates"),
    )
}

#[test]
fn the_cut_portion_generates_the_committed_crate() {
    let generated = generate(identity()).unwrap();
    let drift = generated.files.check(&root().join("generated")).unwrap();
    let report: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "the Identity portion cut from the spec generates another crate:\n{}",
        report.join("\n")
    );
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(ODD_NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9_é名 -]{0,4}",
    ]
}

fn wrapper() -> impl Strategy<Value = Wrapper> {
    use Wrapper::*;
    let all = [
        Plain, Array, Map, Nullable, Emptyable, AnyOf, OneOf, AllOf, AllOfTwo,
    ];
    proptest::sample::select(all.to_vec())
}

fn retype() -> impl Strategy<Value = Retype> {
    use Retype::*;
    proptest::sample::select(vec![String, Integer, Number, Boolean, Object, Array, Enum])
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Ancestor),
        any::<usize>().prop_map(Target::Component)
    ]
}

/// One mutation, every kind equally likely; indices are taken modulo the
/// lists they index when applied.
fn one_mutation() -> impl Strategy<Value = Mutation> {
    let i = || any::<usize>();
    prop_oneof![
        (i(), name()).prop_map(|(schema, to)| Mutation::RenameSchema { schema, to }),
        (i(), i(), name()).prop_map(|(node, property, to)| Mutation::RenameProperty {
            node,
            property,
            to
        }),
        (i(), retype()).prop_map(|(node, to)| Mutation::Retype { node, to }),
        (i(), proptest::collection::vec(name(), 0..4))
            .prop_map(|(node, values)| Mutation::ChangeEnum { node, values }),
        (i(), wrapper()).prop_map(|(node, wrapper)| Mutation::Nest { node, wrapper }),
        (i(), wrapper(), target(), any::<bool>()).prop_map(|(node, via, target, required)| {
            Mutation::Cycle {
                node,
                via,
                target,
                required,
            }
        }),
        (i(), wrapper(), target()).prop_map(|(schema, via, target)| Mutation::Alias {
            schema,
            via,
            target
        }),
        (i(), name(), any::<bool>()).prop_map(|(schema, to, redirect)| {
            Mutation::DuplicateSchema {
                schema,
                to,
                redirect,
            }
        }),
        i().prop_map(|node| Mutation::DuplicateEnumValue { node }),
        i().prop_map(|schema| Mutation::DeleteSchema { schema }),
        i().prop_map(|node| Mutation::DeleteRequired { node }),
        (i(), i()).prop_map(|(node, property)| Mutation::DeleteProperty { node, property }),
        i().prop_map(|path| Mutation::DeletePath { path }),
        (i(), i()).prop_map(|(operation, parameter)| Mutation::DeleteParameter {
            operation,
            parameter
        }),
    ]
}

/// The message of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic.downcast_ref::<String>().map(String::as_str);
    let text = text.or_else(|| panic.downcast_ref::<&str>().copied());
    text.unwrap_or("(not a string)").to_owned()
}

/// Generates the portion with `mutations` applied; fails on a panic, or on
/// an emitted `.rs` file that does not parse.
fn check(mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let mut doc = identity().clone();
    mutation::apply_all(&mut doc, mutations);
    // A stack overflow aborts the whole binary before proptest can shrink
    // it; FUZZ_SPEC_TRACE prints every case first, so the last one printed
    // is the culprit.
    if std::env::var_os("FUZZ_SPEC_TRACE").is_some() {
        eprintln!("{mutations:?}");
    }
    let result = catch_unwind(AssertUnwindSafe(|| generate(&doc)));
    let generated = match result {
        Err(panic) => {
            let message = panic_message(&*panic);
            return Err(TestCaseError::fail(format!(
                "the generator panicked: {message}"
            )));
        }
        // An error is a fine answer to a broken spec; its message is checked
        // by the bad-input tests, not here.
        Ok(Err(_)) => return Ok(()),
        Ok(Ok(generated)) => generated,
    };
    for (file, text) in &generated.files.files {
        if file.ends_with(".rs") {
            if let Err(e) = syn::parse_file(text) {
                return Err(TestCaseError::fail(format!("{file} is not Rust: {e}")));
            }
        }
    }
    Ok(())
}

proptest! {
    // Each case generates the whole portion and parses its files (about
    // 0.2 s of CPU in a debug build when it was measured, most of it the
    // formatting and syn), so 96 cases take some 20 to 30 s; set PROPTEST_CASES to explore longer. Failures
    // found are kept as regression specs under tests/specs/, not in a seed
    // file, and proptest prints the shrunk list of mutations.
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    })]

    #[test]
    fn mutated_identity_specs_generate_or_fail_cleanly(
        mutations in proptest::collection::vec(one_mutation(), 1..6)
    ) {
        check(&mutations)?;
    }
}
