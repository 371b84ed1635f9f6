//! Every one-construct spec under `tests/specs/`, and the `apps` and
//! `test_helpers` namespaces of the pinned spec (as `--portion` makes them),
//! must generate a crate that compiles with warnings denied, not only text
//! that matches its snapshot.
//!
//! So must the pinned spec's Identity portion after a few fixed mutations
//! of the kinds `fuzz_spec` makes at random (cycles, retyped and wrapped
//! fields, copies and deletions), cut from the spec in memory.
//!
//! The mutated Identity crates are also checked with the `testing` feature
//! (the test double), which must compile for any spec it is emitted for;
//! the other namespaces are generated without it.
//!
//! The crates are checked together as one throwaway workspace under
//! `target/spec-check/`, with its own target directory so this test never
//! waits on the lock of the build that runs it.

use codegen_tests::identity_portion::identity_document;
use codegen_tests::mutation::{self, apply_at, schema_at, Mutation, Retype, Target, Wrapper};
use codegen_tests::{pinned_spec, root, with_error_schemas};
use generator::docs::MAX_DOC;
use generator::emit::Provenance;
use generator::Portion;
use std::path::Path;
use std::process::Command;

/// Generates one spec's crate into `dir`, renamed so the crates can share a workspace.
fn generate_into(spec: &Path, dir: &Path) -> String {
    let stem = spec
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .replace('_', "-");
    let text = with_error_schemas(&std::fs::read_to_string(spec).unwrap());
    write_crate(&text, &Portion::namespace("test"), &stem, dir);
    stem
}

/// Generates `portion` of `text` as the crate `spec-{stem}` under `dir`.
fn write_crate(text: &str, portion: &Portion, stem: &str, dir: &Path) {
    let provenance = Provenance {
        file: stem.to_owned(),
        release: Some("test".into()),
        sha256: String::new(),
    };
    let templates = root().join("templates");
    let mut generated = generator::generate(text, &provenance, portion, &templates).unwrap();
    let manifest = generated.files.files.get_mut("Cargo.toml").unwrap();
    *manifest = manifest.replace(
        "name = \"stripe-identity\"",
        &format!("name = \"spec-{stem}\""),
    );
    generated.files.write(&dir.join(stem)).unwrap();
}

#[test]
fn every_test_spec_generates_a_crate_that_compiles() {
    let work = root().join("target/spec-check");
    let mut members = Vec::new();
    let mut specs: Vec<_> = std::fs::read_dir(root().join("tests/specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    for spec in &specs {
        members.push(format!("\"{}\"", generate_into(spec, &work)));
    }
    // Two more real namespaces of the pinned spec, as `--portion` makes them:
    // `apps`, and `test_helpers`, whose nested paths
    // (`issuing/cards/{card}/shipping/deliver`) and scopes exercise routing.
    let spec = pinned_spec();
    for portion in ["apps", "test_helpers"] {
        let stem = format!("portion-{}", portion.replace('_', "-"));
        write_crate(&spec.text, &Portion::namespace(portion), &stem, &work);
        members.push(format!("\"{stem}\""));
    }
    write_crate(
        &long_doc_text(),
        &Portion::namespace("test"),
        LONG_DOC_TEXT,
        &work,
    );
    members.push(format!("\"{LONG_DOC_TEXT}\""));
    let identity = identity_document(&spec.text);
    for (stem, mutate) in MUTATED {
        let mut doc = identity.clone();
        mutate(&mut doc);
        let text = serde_yaml::to_string(&doc).unwrap();
        write_crate(&text, &Portion::identity(), stem, &work);
        members.push(format!("\"{stem}\""));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(work.join("Cargo.toml"), manifest).unwrap();
    // The main workspace's lockfile pins the same dependency versions.
    std::fs::copy(root().join("Cargo.lock"), work.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        // The examples are written for the Identity API; the library and its
        // unit tests are what every portion must compile. With every
        // feature, so the `blocking` impls emitted for each request type
        // compile too (a default build only leaves them out: CI checks the
        // Identity crate both ways).
        .args([
            "check",
            "--workspace",
            "--lib",
            "--tests",
            "--all-features",
            "--quiet",
        ])
        .current_dir(&work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated crates do not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(members.len(), specs.len() + 3 + MUTATED.len());
    assert!(specs.len() >= 9);
    check_test_double(&work);
    document_doc_text(&work);
}

/// The test double is emitted for the mutated Identity portions and
/// compiles there, unit tests included (every `fake()` is called by one);
/// the other namespaces have no `testing` feature and no module.
fn check_test_double(work: &Path) {
    let mut args = vec!["check", "--lib", "--tests", "--quiet"];
    let features: Vec<String> = MUTATED
        .iter()
        .map(|(stem, _)| format!("spec-{stem}/testing"))
        .collect();
    let packages: Vec<String> = MUTATED
        .iter()
        .map(|(stem, _)| format!("spec-{stem}"))
        .collect();
    for package in &packages {
        args.extend(["-p", package]);
    }
    let features = features.join(",");
    args.extend(["--features", &features]);
    let output = Command::new(env!("CARGO"))
        .args(&args)
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the test double does not compile for the mutated portions:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (stem, _) in MUTATED {
        assert!(
            work.join(stem).join("src/testing/spec.rs").exists(),
            "{stem}"
        );
    }
    for portion in ["portion-apps", "portion-test-helpers"] {
        let manifest = std::fs::read_to_string(work.join(portion).join("Cargo.toml")).unwrap();
        assert!(!manifest.contains("testing"), "{portion}: {manifest}");
        assert!(
            !work.join(portion).join("src/testing").exists(),
            "{portion}"
        );
    }
}

/// Where the Identity resources and their nested schemas are.
const SESSION: &str = "/components/schemas/identity.verification_session";
const REPORT: &str = "/components/schemas/identity.verification_report";
const OUTPUTS: &str = "/components/schemas/gelato_verified_outputs";

/// Changes made to a document in place.
type Mutate = fn(&mut serde_yaml::Value);

/// Mutated Identity portions whose crates must compile, by crate name.
const MUTATED: [(&str, Mutate); 4] = [
    ("mutated-cycles", cycles),
    ("mutated-types", types),
    ("mutated-copies", copies),
    ("mutated-deletions", deletions),
];

/// Cycles back to a resource through a map, a nullable reference, Stripe's
/// emptyable and a union, one of them required.
fn cycles(doc: &mut serde_yaml::Value) {
    let back = |via, required| {
        move |node| Mutation::Cycle {
            node,
            via,
            target: Target::Ancestor,
            required,
        }
    };
    apply_at(doc, SESSION, back(Wrapper::Map, true));
    apply_at(doc, REPORT, back(Wrapper::Nullable, true));
    apply_at(doc, OUTPUTS, back(Wrapper::Emptyable, false));
    let address = schema_at(doc, "address");
    let to_address = move |node| Mutation::Cycle {
        node,
        via: Wrapper::AnyOf,
        target: Target::Component(address),
        required: false,
    };
    apply_at(doc, "/components/schemas/address", to_address);
}

/// Fields retyped, and wrapped in arrays, maps, unions and nullable `anyOf`.
fn types(doc: &mut serde_yaml::Value) {
    let field = |schema: &str, name: &str| format!("{schema}/properties/{name}");
    let retype = |to| move |node| Mutation::Retype { node, to };
    let nest = |wrapper| move |node| Mutation::Nest { node, wrapper };
    apply_at(doc, &field(SESSION, "status"), retype(Retype::Integer));
    apply_at(doc, &field(SESSION, "url"), retype(Retype::Object));
    apply_at(doc, &field(REPORT, "created"), retype(Retype::Array));
    apply_at(doc, &field(OUTPUTS, "first_name"), nest(Wrapper::Nullable));
    apply_at(doc, &field(OUTPUTS, "last_name"), nest(Wrapper::AnyOf));
    apply_at(doc, &field(OUTPUTS, "id_number"), nest(Wrapper::Map));
    apply_at(doc, &field(SESSION, "client_secret"), nest(Wrapper::Array));
}

/// A schema copied and its first reference moved to the copy, a schema
/// copied with nothing referring to it, and a repeated enum value.
fn copies(doc: &mut serde_yaml::Value) {
    let duplicate = |name: &str, to: &str, redirect| Mutation::DuplicateSchema {
        schema: schema_at(doc, name),
        to: to.to_owned(),
        redirect,
    };
    let first = duplicate("address", "address_copy", true);
    let second = duplicate("gelato_selfie_report", "gelato_selfie_report_2", false);
    mutation::apply_all(doc, &[first, second]);
    let status = format!("{SESSION}/properties/status");
    apply_at(doc, &status, |node| Mutation::DuplicateEnumValue { node });
}

/// Required lists, properties, a path and a query parameter removed.
fn deletions(doc: &mut serde_yaml::Value) {
    apply_at(doc, SESSION, |node| Mutation::DeleteRequired { node });
    apply_at(doc, REPORT, |node| Mutation::DeleteProperty {
        node,
        property: 0,
    });
    let paths = doc["paths"].as_mapping().unwrap();
    let cancel = "/v1/identity/verification_sessions/{session}/cancel";
    let path = paths
        .keys()
        .position(|k| k.as_str() == Some(cancel))
        .unwrap();
    let mut deletions = vec![Mutation::DeletePath { path }];
    // The first operation (`GET /v1/events`) loses its first query parameter.
    deletions.push(Mutation::DeleteParameter {
        operation: 0,
        parameter: 0,
    });
    mutation::apply_all(doc, &deletions);
}

/// The crate of `doc_text.yaml` with every description repeated past the
/// 64 KiB the generator keeps, so that each is cut, at as many places in
/// its hostile Markdown as there are descriptions.
const LONG_DOC_TEXT: &str = "long-doc-text";

fn long_doc_text() -> String {
    fn lengthen(node: &mut serde_yaml::Value) {
        match node {
            serde_yaml::Value::Mapping(map) => {
                for (key, value) in map.iter_mut() {
                    match (key.as_str(), value.as_str()) {
                        (Some("description"), Some(text)) => {
                            *value = text.repeat(MAX_DOC / text.len() + 2).into();
                        }
                        _ => lengthen(value),
                    }
                }
            }
            serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(lengthen),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(root().join("tests/specs/doc_text.yaml")).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&with_error_schemas(&text)).unwrap();
    lengthen(&mut doc);
    serde_yaml::to_string(&doc).unwrap()
}

/// rustdoc reads the crate of `doc_text.yaml`, whose descriptions are
/// hostile Markdown and HTML, without a warning: no broken intra-doc link,
/// bare URL, invalid HTML or code block; and so it reads that crate with
/// every description cut ([`long_doc_text`]). Only those crates: the others
/// are covered by their being the worst case, and each run costs seconds.
fn document_doc_text(work: &Path) {
    let long = format!("spec-{LONG_DOC_TEXT}");
    let output = Command::new(env!("CARGO"))
        .args([
            "doc",
            "--no-deps",
            "--all-features",
            "--quiet",
            "-p",
            "spec-doc-text",
            "-p",
            &long,
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        // The same flags as the check above, so its dependencies are reused.
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the doc_text crate does not document cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
