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

/// A resource holding the event's data schema used to generate a crate
/// that did not compile: that struct's `Deserialize` was made inside the
/// envelope's, so the resource's own `Deserialize` had none to call. The
/// schema (here a resource too, `Delivery`, which an event type carries) now
/// decodes like any struct (`compile_specs` compiles the crate), and the
/// envelope has a copy of its own.
#[test]
fn the_event_data_schema_used_elsewhere_decodes_like_any_struct() {
    let generated = generate("event_data_resource.yaml").unwrap();
    let models = &generated.files.files["src/models.rs"];
    for decoded in [
        "impl<'de> serde::Deserialize<'de> for Delivery {",
        "impl<'de> serde::Deserialize<'de> for Widget {",
        "impl<'de> serde::Deserialize<'de> for Event {",
    ] {
        assert!(models.contains(decoded), "no `{decoded}` in {models}");
    }
    // The envelope's `data` is its own copy, which only the envelope decodes.
    assert!(models.contains("    pub data: EventData,\n"), "{models}");
    assert!(
        !models.contains("impl<'de> serde::Deserialize<'de> for EventData {"),
        "{models}"
    );
    for field in [
        "    pub last_event_data: Option<Delivery>,\n",
        "    pub event_data_history: Option<Vec<Delivery>>,\n",
        "    DeliveryCreated(Delivery),\n",
    ] {
        assert!(models.contains(field), "no `{field}` in {models}");
    }
    let ir = &generated.ir;
    assert_eq!(ir.name(ir.events.unwrap().data), Some("EventData"));
}
