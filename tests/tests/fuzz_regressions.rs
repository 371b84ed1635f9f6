//! Bugs `fuzz_spec` and its compiled mutations found, each pinned by a
//! one-construct spec under `tests/specs/` (which `compile_specs` also
//! compiles) or `tests/specs/bad/`.

use codegen_tests::root;
use generator::emit::Provenance;
use generator::{Error, Generated, Portion};

fn generate(spec: &str) -> Result<Generated, Error> {
    let text = std::fs::read_to_string(root().join("tests/specs").join(spec)).unwrap();
    let provenance = Provenance {
        file: spec.into(),
        release: Some("test".into()),
        sha256: String::new(),
    };
    let portion = Portion::namespace("test");
    generator::generate(&text, &provenance, &portion, &root().join("templates"))
}

#[test]
fn a_list_of_items_without_a_required_id_has_no_paginate() {
    let generated = generate("list_without_id.yaml").unwrap();
    let notes = &generated.files.files["src/note.rs"];
    assert!(notes.contains("pub async fn send("), "{notes}");
    assert!(!notes.contains("paginate"), "{notes}");
}

#[test]
fn a_schema_both_sent_and_received_decodes() {
    let generated = generate("request_and_response.yaml").unwrap();
    let models = &generated.files.files["src/models.rs"];
    assert!(
        models.contains("impl<'de> serde::Deserialize<'de> for TestSettings {"),
        "{models}"
    );
}

#[test]
fn an_error_envelope_of_another_shape_is_refused_with_its_pointer() {
    let err = generate("bad/error_envelope.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/components/schemas/error/properties/error: unsupported: \
         the error envelope's `error` must be required and not nullable"
    );
}

#[test]
fn the_error_object_in_a_request_still_decodes() {
    let generated = generate("error_in_request.yaml").unwrap();
    let models = &generated.files.files["src/models.rs"];
    assert!(
        models.contains("impl<'de> serde::Deserialize<'de> for ApiErrors {"),
        "{models}"
    );
}

#[test]
fn union_members_of_one_rust_type_get_no_from() {
    let generated = generate("union_same_rust_type.yaml").unwrap();
    let models = &generated.files.files["src/models.rs"];
    let froms: Vec<&str> = models
        .lines()
        .filter(|l| l.starts_with("impl From<"))
        .collect();
    assert_eq!(
        froms,
        ["impl From<String> for TestHolderEither {"],
        "{models}"
    );
}
