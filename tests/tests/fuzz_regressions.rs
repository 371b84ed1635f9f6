//! Bugs `fuzz_spec` and its compiled mutations found, each pinned by a
//! one-construct spec under `tests/specs/` (which `compile_specs` also
//! compiles) or `tests/specs/bad/`.

use codegen_tests::{generate_test_spec as generate, root};
use generator::emit::Provenance;
use generator::{Error, Portion};

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
        .filter(|l| l.starts_with("impl From<") && l.contains(" for TestHolderEither "))
        .collect();
    assert_eq!(
        froms,
        ["impl From<String> for TestHolderEither {"],
        "{models}"
    );
}

/// A spec without the error envelope (the fuzz test deleted it) used to
/// generate a crate whose client did not compile; it is now refused,
/// naming the schema the client needs.
#[test]
fn a_spec_without_the_error_envelope_is_refused_naming_it() {
    let text = std::fs::read_to_string(root().join("tests/specs/maps.yaml")).unwrap();
    let provenance = Provenance {
        file: "maps.yaml".into(),
        release: Some("test".into()),
        sha256: String::new(),
    };
    let portion = Portion::namespace("test");
    let templates = root().join("templates");
    let err = generator::generate(&text, &provenance, &portion, &templates).unwrap_err();
    assert!(matches!(err, Error::MissingErrorEnvelope { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "#/components/schemas/error: missing: the client decodes every error response as this schema (Stripe's error envelope), and the spec does not define it"
    );
    // The IR alone, for a changelog, still builds.
    assert!(generator::build_ir(&text, "maps.yaml", &portion).is_ok());
}
