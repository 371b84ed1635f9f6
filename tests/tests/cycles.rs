//! Recursive schemas: a `Box` exactly where a type would otherwise be
//! infinite (a cycle of by-value fields), none where a `Vec` or map already
//! allocates, and opaque JSON with a warning for the cycles Rust cannot name
//! or serde could not decode. `compile_specs` compiles the same specs.

use codegen_tests::generate_test_spec;
use generator::Generated;

fn generate(spec: &str) -> Generated {
    generate_test_spec(spec).unwrap()
}

/// The generated models, with every run of whitespace made one space.
fn models(generated: &Generated) -> String {
    let text = &generated.files.files["src/models.rs"];
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn warned(generated: &Generated) -> Vec<&str> {
    let warnings = generated.ir.warnings.iter();
    warnings.map(|w| w.pointer.as_str()).collect()
}

#[test]
fn a_cycle_through_maps_and_arrays_needs_no_box() {
    let generated = generate("cycle_map.yaml");
    let models = models(&generated);
    assert!(models.contains("pub children: std::collections::BTreeMap<String, TestTree>,"));
    assert!(
        models.contains("pub groups: Option<std::collections::BTreeMap<String, Vec<TestTree>>>,")
    );
    assert!(!models.contains("Box<"), "{models}");
    assert!(warned(&generated).is_empty());
}

#[test]
fn a_cycle_through_nullable_references_is_boxed() {
    let models = models(&generate("cycle_nullable.yaml"));
    assert!(
        models.contains("pub parent: Option<Box<TestPerson>>,"),
        "{models}"
    );
    assert!(
        models.contains("pub owner: Option<Box<TestPerson>>,"),
        "{models}"
    );
    assert!(models.contains("pub name: Option<String>,"), "{models}");
}

#[test]
fn a_cycle_through_a_single_all_of_is_boxed() {
    let models = models(&generate("cycle_all_of.yaml"));
    assert!(
        models.contains("pub next: Option<Box<TestChain>>,"),
        "{models}"
    );
    // Several `allOf` members are JSON, which closes no cycle.
    assert!(
        models.contains("pub merged: Option<serde_json::Value>,"),
        "{models}"
    );
}

#[test]
fn a_cycle_through_an_emptyable_is_boxed() {
    let models = models(&generate("cycle_emptyable.yaml"));
    assert!(
        models.contains("pub and: Option<Box<crate::Emptyable<TestFilter>>>,"),
        "{models}"
    );
}

#[test]
fn a_cycle_through_a_union_boxes_the_struct_fields_only() {
    let generated = generate("cycle_any_of.yaml");
    let models = models(&generated);
    assert!(models.contains("pub left: Box<TestExpr>,"), "{models}");
    assert!(models.contains("TestSum(TestSum),"), "{models}");
    assert!(models.contains("Array(Vec<TestJsonLike>),"), "{models}");
    // Two unions that only contain each other: JSON, not a type that
    // would try one member after the other forever.
    assert!(!models.contains("enum TestValue"), "{models}");
    assert_eq!(
        warned(&generated),
        [
            "#/components/schemas/test.value",
            "#/components/schemas/test.values"
        ]
    );
}

#[test]
fn a_schema_that_is_only_itself_wrapped_is_json_with_a_warning() {
    let generated = generate("cycle_alias.yaml");
    let models = models(&generated);
    for field in ["list", "dict", "clearable", "either", "same"] {
        let expected = format!("pub {field}: Option<serde_json::Value>,");
        assert!(models.contains(&expected), "{expected} in {models}");
    }
    let schema = |name: &str| format!("#/components/schemas/test.{name}");
    let expected: Vec<String> = ["clearable", "dict", "either", "list", "same"]
        .iter()
        .map(|n| schema(n))
        .collect();
    assert_eq!(warned(&generated), expected);
}

#[test]
fn a_cycle_through_a_schema_that_is_another_is_boxed() {
    let models = models(&generate("cycle_through_alias.yaml"));
    assert_eq!(
        models.matches("pub struct TestNode {").count(),
        1,
        "{models}"
    );
    assert!(models.contains("pub next: Box<TestNode>,"), "{models}");
}
