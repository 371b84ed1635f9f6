//! Hostile input: duplicate keys, YAML alias bombs and deep nesting are
//! refused with an error naming where they are, never a panic, a hang or a
//! stack overflow. How quickly is measured by `cargo xtask bench` (its
//! hostile-input table builds the same specs, `xtask::bench::hostile`). Everything runs on a thread with a 2 MiB
//! stack, the default for spawned threads, not an enlarged one. (The
//! parser inside `build_ir` runs on a thread of its own with a larger
//! stack; `load`'s unit tests check the refusals without it.)

use codegen_tests::{root, with_error_schemas};
use generator::emit::Provenance;
use generator::load::{MAX_DEPTH, MAX_FLOW_DEPTH};
use generator::{Error, Portion};
use std::collections::HashMap;
use xtask::bench::hostile::{flow_mappings_in_a_block, quadratic_alias_bomb, widget};

/// Runs `f` on a thread with a 2 MiB stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap();
    thread.join().expect("no panic and no stack overflow")
}

/// Builds the IR of `text` on a small stack, with the error as text.
fn build(text: String, file: &'static str) -> Result<generator::ir::Ir, String> {
    on_small_stack(move || {
        generator::build_ir(&text, file, &Portion::namespace("test")).map_err(|e| e.to_string())
    })
}

/// Builds a spec file under `tests/specs/` and expects it to be refused.
fn refused_file(spec: &'static str) -> String {
    let text = std::fs::read_to_string(root().join("tests/specs").join(spec)).unwrap();
    refused(text, spec)
}

fn refused(text: String, file: &'static str) -> String {
    build(text, file).expect_err("hostile input must be refused")
}

// ---- duplicate keys ----

/// Why the scan exists: neither parser refuses a duplicate key when it
/// fills a map (the last one silently wins), and a schema keyword given
/// twice makes openapiv3's untagged `ReferenceOr` panic.
#[test]
fn the_parsers_alone_keep_the_last_duplicate() {
    let yaml: HashMap<String, u32> = serde_yaml::from_str("a: 1\na: 2\n").unwrap();
    assert_eq!(yaml["a"], 2);
    let json: HashMap<String, u32> = serde_json::from_str(r#"{"a": 1, "a": 2}"#).unwrap();
    assert_eq!(json["a"], 2);
    // serde_yaml's own `Value` does refuse them, but the spec is not read into one.
    assert!(serde_yaml::from_str::<serde_yaml::Value>("a: 1\na: 2\n").is_err());
}

#[test]
fn a_duplicate_yaml_key_names_the_second_one() {
    assert_eq!(
        refused_file("bad/duplicate_key.yaml"),
        "bad/duplicate_key.yaml:11:9: duplicate key \"id\""
    );
}

#[test]
fn a_duplicate_json_key_names_the_second_one() {
    assert_eq!(
        refused_file("bad/duplicate_key.json"),
        "bad/duplicate_key.json:11:9: duplicate key \"type\""
    );
}

#[test]
fn a_duplicate_schema_keyword_is_an_error_not_a_panic() {
    let text = widget("      type: object\n      description: x\n      type: string\n");
    assert_eq!(
        refused(text, "spec.yaml"),
        "spec.yaml:9:7: duplicate key \"type\""
    );
    let json = r#"{"openapi": "3.0.0", "components": {"schemas": {"test.widget": {"type": "object", "type": "string"}}}}"#;
    assert_eq!(
        refused(json.to_owned(), "spec.json"),
        "spec.json:1:83: duplicate key \"type\""
    );
}

#[test]
fn a_number_and_a_string_naming_the_same_response_code_are_duplicates() {
    let text = format!(
        "{}components: {{}}\npaths:\n  /v1/test/widgets:\n    get:\n      responses:\n        200: {{description: a}}\n        \"200\": {{description: b}}\n",
        "openapi: 3.0.0\ninfo: {title: test, version: \"2099-01-01\"}\n"
    );
    assert_eq!(
        refused(text, "spec.yaml"),
        "spec.yaml:9:9: duplicate key \"200\""
    );
}

#[test]
fn the_same_key_in_different_mappings_is_fine() {
    let text = widget(
        "      type: object\n      properties:\n        a: {type: string, description: a}\n        b: {type: string, description: b}\n",
    );
    let result = build(text, "spec.yaml");
    result.unwrap();
}

// ---- YAML aliases ----

/// The error names the alias that expands the document past the budget:
/// the sixth `*l3` in `x-l4` (each `*l3` is 7,381 nodes).
#[test]
fn a_billion_laughs_alias_bomb_is_refused() {
    assert_eq!(
        refused_file("bad/alias_bomb.yaml"),
        "bad/alias_bomb.yaml:13:43: YAML aliases expand the document past 50000 nodes (an alias bomb?)"
    );
}

/// Few aliases, each expanding to a long sequence of aliases: serde_yaml's
/// own repetition limit (100 alias jumps per event) let this run for over
/// 30 seconds; the scan's node budget stops it.
#[test]
fn a_quadratic_alias_bomb_is_refused() {
    let message = refused(quadratic_alias_bomb(20_000), "spec.yaml");
    // The fifth `*a` in `x-b` passes the budget of about 100,000 nodes.
    assert!(message.starts_with("spec.yaml:8:28: "), "{message}");
    assert!(
        message.contains("YAML aliases expand the document past"),
        "{message}"
    );
}

#[test]
fn ordinary_aliases_are_expanded() {
    let text = widget(
        "      type: object\n      properties:\n        a: &size {type: object, properties: {w: {type: integer}}}\n        b: *size\n",
    );
    let result = build(text, "spec.yaml");
    let ir = result.unwrap();
    let debug = format!("{ir:?}");
    assert!(
        debug.contains("TestWidgetA") && debug.contains("TestWidgetB"),
        "{debug}"
    );
}

// ---- nesting depth ----

const DEEP: usize = 100_000;

#[test]
fn deep_yaml_flow_sequences_are_refused() {
    let text = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    assert_eq!(
        refused(text, "deep.yaml"),
        format!(
            "deep.yaml:1:{}: nested more than {MAX_FLOW_DEPTH} levels deep",
            MAX_FLOW_DEPTH + 1
        )
    );
}

/// libyaml is quadratic in flow depth when the flow collection is a value
/// in a block mapping: 100,000 levels took half a minute before the
/// lexical check.
#[test]
fn deep_yaml_flow_mappings_in_a_block_mapping_are_refused() {
    let text = flow_mappings_in_a_block(DEEP);
    assert_eq!(
        refused(text, "deep.yaml"),
        format!(
            "deep.yaml:7:{}: nested more than {MAX_FLOW_DEPTH} levels deep",
            15 + 4 * MAX_FLOW_DEPTH
        )
    );
}

#[test]
fn deep_yaml_block_sequences_are_refused() {
    let text = widget(&format!("      x-deep:\n        {}1\n", "- ".repeat(DEEP)));
    let message = refused(text, "deep.yaml");
    assert!(message.starts_with("deep.yaml:8:"), "{message}");
    assert!(
        message.ends_with(&format!(": nested more than {MAX_DEPTH} levels deep")),
        "{message}"
    );
}

#[test]
fn deep_yaml_block_mappings_are_refused() {
    // Indentation makes each level longer; 1,000 levels are 1 MB of text.
    let mut body = String::new();
    for level in 0..1_000 {
        body.push_str(&format!("{}a:\n", " ".repeat(6 + level)));
    }
    let message = refused(widget(&body), "deep.yaml");
    assert!(
        message.ends_with(&format!(": nested more than {MAX_DEPTH} levels deep")),
        "{message}"
    );
}

#[test]
fn deep_json_objects_are_refused() {
    let text = format!(
        "{{\"openapi\": \"3.0.0\", \"x-deep\": {}1{}}}",
        "{\"a\": ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    let message = refused(text, "deep.json");
    assert!(message.starts_with("deep.json:1:"), "{message}");
    assert!(
        message.ends_with(&format!(": nested more than {MAX_DEPTH} levels deep")),
        "{message}"
    );
}

#[test]
fn deep_json_arrays_are_refused() {
    let text = format!("{{\"x-deep\": {}{}}}", "[".repeat(DEEP), "]".repeat(DEEP));
    let message = refused(text, "deep.json");
    assert_eq!(
        message,
        format!(
            "deep.json:1:{}: nested more than {MAX_DEPTH} levels deep",
            // `{"x-deep": ` then the `[` that makes 65 levels with the root.
            11 + MAX_DEPTH
        )
    );
}

/// `levels` inline objects, each the only property of the one above.
/// The `test.widget` mapping is at depth 4 and each object adds two
/// levels (`properties` and the property).
fn nested_objects(levels: usize) -> String {
    let mut body = String::new();
    for level in 0..levels {
        let indent = " ".repeat(6 + 4 * level);
        body.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent}  inner{level}:\n"
        ));
    }
    body.push_str(&format!("{}type: string\n", " ".repeat(6 + 4 * levels)));
    widget(&body)
}

/// A property `list` (at depth 6) that is `levels` arrays of arrays
/// (`keyword` `items`) or maps of maps (`additionalProperties`): one level
/// each, the deepest schema chains the limit allows.
fn nested_containers(levels: usize, keyword: &str) -> String {
    let kind = if keyword == "items" {
        "array"
    } else {
        "object"
    };
    let mut body = String::from("      type: object\n      properties:\n        list:\n");
    for level in 0..levels {
        let indent = " ".repeat(10 + 2 * level);
        body.push_str(&format!("{indent}type: {kind}\n{indent}{keyword}:\n"));
    }
    body.push_str(&format!("{}type: string\n", " ".repeat(10 + 2 * levels)));
    widget(&body)
}

/// Specs nested as deep as the parser allows reach the later stages, which
/// recurse too: they must build (or give an error), not overflow. Parsing
/// `additionalProperties` this deep needs about 4 MiB in a debug build,
/// which is why `parse_spec` runs on a thread of its own.
#[test]
fn the_deepest_accepted_specs_build_on_a_small_stack() {
    for (name, text) in [
        ("objects", nested_objects((MAX_DEPTH - 4) / 2)),
        ("arrays", nested_containers(MAX_DEPTH - 6, "items")),
        (
            "maps",
            nested_containers(MAX_DEPTH - 6, "additionalProperties"),
        ),
    ] {
        let result = build(text, "deep.yaml");
        let ir = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        // Every level is a type of its own (a struct, a `Vec`, a map).
        assert!(ir.types.len() > 30, "{name}: {} types", ir.types.len());
    }
}

/// Inline objects become one struct each, so the emitted code stays
/// shallow. (Deeply nested arrays or maps become deeply nested generic
/// types, which syn's parser in `emit` recurses into.)
#[test]
fn the_deepest_accepted_inline_objects_generate_on_a_small_stack() {
    let text = with_error_schemas(&nested_objects((MAX_DEPTH - 4) / 2));
    let result = on_small_stack(move || {
        let provenance = Provenance {
            file: "deep.yaml".into(),
            release: Some("test".into()),
            sha256: String::new(),
        };
        let templates = root().join("templates");
        generator::generate(&text, &provenance, &Portion::namespace("test"), &templates)
            .map(|generated| generated.files.files.len())
            .map_err(|e| e.to_string())
    });
    assert!(result.unwrap() > 0);
}

#[test]
fn specs_nested_past_the_limit_are_an_error_naming_the_position() {
    for (what, text) in [
        ("objects", nested_objects(120)),
        ("arrays", nested_containers(120, "items")),
        ("maps", nested_containers(120, "additionalProperties")),
    ] {
        let message = refused(text, "deep.yaml");
        let expected = format!(": nested more than {MAX_DEPTH} levels deep");
        assert!(message.starts_with("deep.yaml:"), "{what}: {message}");
        assert!(message.ends_with(&expected), "{what}: {message}");
    }
}

/// Errors are typed, never panics: every hostile case above is an
/// `Error::Parse` carrying a line.
#[test]
fn hostile_input_is_a_parse_error_with_a_line() {
    let text = std::fs::read_to_string(root().join("tests/specs/bad/duplicate_key.yaml")).unwrap();
    let err = generator::build_ir(&text, "d.yaml", &Portion::namespace("test")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Parse {
                line: 11,
                column: 9,
                ..
            }
        ),
        "{err}"
    );
}
