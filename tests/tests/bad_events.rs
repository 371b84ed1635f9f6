//! Specs whose events are unusual: each gets a result or an error naming
//! where the problem is, never a panic. Each case mutates
//! `tests/specs/events.yaml`.

use codegen_tests::root;
use generator::ir::Ir;
use generator::{Error, Portion};
use serde_yaml::Value;

fn events_spec() -> Value {
    let text = std::fs::read_to_string(root().join("tests/specs/events.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn build(spec: &Value) -> Result<Ir, Error> {
    let text = serde_yaml::to_string(spec).unwrap();
    generator::build_ir(&text, "events.yaml", &Portion::namespace("test"))
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

fn enabled_events(spec: &mut Value) -> &mut Value {
    &mut spec["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"]["enabled_events"]["items"]
        ["enum"]
}

fn variants(ir: &Ir) -> Vec<(String, String)> {
    ir.event_types()
        .iter()
        .map(|v| (v.wire_name.clone(), v.rust_name.clone()))
        .collect()
}

#[test]
fn the_derivation_keeps_the_namespace_and_the_longest_resource() {
    let ir = build(&events_spec()).unwrap();
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        variants(&ir),
        [
            s("test.widget.archived", "WidgetArchived"),
            s("test.widget.created", "WidgetCreated"),
            s("test.widget.part.created", "WidgetPartCreated"),
        ]
    );
}

#[test]
fn an_envelope_whose_type_is_not_a_string_is_an_error_at_the_envelope() {
    let mut spec = events_spec();
    schema(&mut spec, "event")["properties"]["type"] =
        serde_yaml::from_str("{type: integer}").unwrap();
    let err = build(&spec).unwrap_err().to_string();
    assert_eq!(
        err,
        "#/components/schemas/event: unsupported: event envelope has no required string `type`"
    );
}

#[test]
fn an_envelope_without_data_object_is_an_error_at_the_envelope() {
    let mut spec = events_spec();
    let data = schema(&mut spec, "notification_event_data");
    data["required"] = serde_yaml::from_str("[]").unwrap();
    let err = build(&spec).unwrap_err().to_string();
    assert!(
        err.starts_with("#/components/schemas/event: unsupported: event envelope has no `data`"),
        "{err}"
    );
}

#[test]
fn an_event_type_naming_no_resource_carries_json_with_a_warning() {
    let mut spec = events_spec();
    enabled_events(&mut spec)
        .as_sequence_mut()
        .unwrap()
        .push("test.gizmo.created".into());
    let ir = build(&spec).unwrap();
    assert!(variants(&ir).contains(&("test.gizmo.created".into(), "GizmoCreated".into())));
    assert!(
        ir.warnings
            .iter()
            .any(|w| w.reason.contains("`test.gizmo.created` names no resource")),
        "{:?}",
        ir.warnings
    );
}

/// Two event types that map to one Rust name both keep a variant: the
/// snake_case one takes the plain name, the other steps aside with an
/// underscore (the rule `naming.rs` applies to enum values too).
#[test]
fn two_event_types_with_one_rust_name_get_distinct_variants() {
    let mut spec = events_spec();
    let list = enabled_events(&mut spec).as_sequence_mut().unwrap();
    list.push("test.widget.re-opened".into());
    list.push("test.widget.re_opened".into());
    let ir = build(&spec).unwrap();
    let variants = variants(&ir);
    assert!(
        variants.contains(&("test.widget.re_opened".into(), "WidgetReOpened".into())),
        "{variants:?}"
    );
    assert!(
        variants.contains(&("test.widget.re-opened".into(), "WidgetReOpened_".into())),
        "{variants:?}"
    );
}

#[test]
fn enabled_events_through_a_missing_ref_names_the_pointer() {
    let mut spec = events_spec();
    let items = &mut spec["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"]["enabled_events"]["items"];
    *items = serde_yaml::from_str("{$ref: '#/components/schemas/nowhere'}").unwrap();
    let err = build(&spec).unwrap_err().to_string();
    assert!(err.contains("properties/enabled_events/items"), "{err}");
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn a_spec_without_events_generates_no_event_types() {
    let mut spec = events_spec();
    *enabled_events(&mut spec) = serde_yaml::from_str("['*', charge.succeeded]").unwrap();
    let ir = build(&spec).unwrap();
    assert!(variants(&ir).is_empty());
}

#[test]
fn every_truncation_of_the_events_spec_is_a_result_or_an_error() {
    let text = std::fs::read_to_string(root().join("tests/specs/events.yaml")).unwrap();
    for end in (0..text.len()).filter(|i| text.is_char_boundary(*i)) {
        let _ = generator::build_ir(&text[..end], "cut.yaml", &Portion::namespace("test"));
    }
}
