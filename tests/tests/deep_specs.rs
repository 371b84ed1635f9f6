//! Specs whose depth grows with their size: a long chain of `$ref`s and
//! deeply nested inline objects end with a result or an error naming where,
//! called from a thread with a small stack, never with a stack overflow.
//! (Deep YAML nesting is a parser limit, tested with the other input limits.)

use generator::{Error, Portion};
use std::fmt::Write;
use std::time::{Duration, Instant};

/// A spec whose resource starts a chain of `length` schemas, each holding
/// the next by reference; with `cycle`, the last refers back to the first.
fn ref_chain(length: usize, cycle: bool) -> String {
    let mut spec = String::from(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    spec.push_str("    test.widget:\n      type: object\n      x-resourceId: test.widget\n");
    spec.push_str("      properties:\n        link: {$ref: '#/components/schemas/s0'}\n");
    for i in 0..length {
        let next = if i + 1 < length {
            format!("s{}", i + 1)
        } else if cycle {
            "s0".to_owned()
        } else {
            "test.widget".to_owned()
        };
        writeln!(
            spec,
            "    s{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/{next}'}}"
        )
        .unwrap();
    }
    spec
}

/// A spec whose resource nests `depth` inline objects, one in the other,
/// written in linear time.
fn nested_objects(depth: usize) -> String {
    let open = "{type: object, properties: {a: ".repeat(depth);
    let close = "}}".repeat(depth);
    format!(
        "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    test.widget: {{type: object, x-resourceId: test.widget, properties: {{a: {open}{{type: string}}{close}}}}}\n"
    )
}

/// The same nesting in JSON.
fn nested_json(depth: usize) -> String {
    let open = r#"{"type": "object", "properties": {"a": "#.repeat(depth);
    let close = "}}".repeat(depth);
    format!(
        r#"{{"openapi": "3.0.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"test.widget": {{"type": "object", "x-resourceId": "test.widget", "properties": {{"a": {open}{{"type": "string"}}{close}}}}}}}}}}}"#
    )
}

/// Builds the IR on a thread with a 2 MiB stack (the default for spawned
/// threads, and smaller than a main thread's), within a time bound.
fn build_on_small_stack(text: String) -> Result<generator::ir::Ir, Error> {
    let started = Instant::now();
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || generator::build_ir(&text, "deep.yaml", &Portion::namespace("test")))
        .unwrap()
        .join()
        .expect("no stack overflow or panic");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    result
}

#[test]
fn a_ten_thousand_long_ref_chain_is_an_error_naming_where() {
    let err = build_on_small_stack(ref_chain(10_000, false)).unwrap_err();
    assert!(matches!(err, Error::Depth { .. }), "{err}");
    let message = err.to_string();
    assert!(message.starts_with("#/components/schemas/s"), "{message}");
    assert!(message.contains("more than 256 levels"), "{message}");
}

#[test]
fn a_ref_chain_within_the_limit_converts() {
    let ir = build_on_small_stack(ref_chain(200, false)).unwrap();
    assert!(ir.types.len() > 200);
}

#[test]
fn a_long_ref_cycle_converts_with_boxes() {
    let ir = build_on_small_stack(ref_chain(200, true)).unwrap();
    let boxed = ir
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            generator::ir::TypeKind::Struct(s) => Some(s.fields.iter().filter(|f| f.boxed).count()),
            _ => None,
        })
        .sum::<usize>();
    assert!(boxed >= 1, "a cycle needs at least one Box");
}

#[test]
fn deeply_nested_json_is_refused_by_the_parser_with_a_position() {
    let err = build_on_small_stack(nested_json(100_000)).unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    assert!(err.to_string().starts_with("deep.yaml:1:"), "{err}");
}

#[test]
fn nesting_within_the_parsers_limit_converts() {
    build_on_small_stack(nested_objects(25)).unwrap();
}

/// A chain whose schemas are converted tail first (by name order) never
/// nests conversion, so it converts whole; what follows (cycle breaking)
/// must then walk a 10,000-long type graph without recursing.
#[test]
fn a_ten_thousand_long_chain_converted_tail_first_is_a_result() {
    let mut spec = String::from(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..10_000 {
        let next = match i {
            0 => "{type: string}".to_owned(),
            _ => format!("{{$ref: '#/components/schemas/test.s{:05}'}}", i - 1),
        };
        writeln!(
            spec,
            "    test.s{i:05}: {{type: object, properties: {{next: {next}}}}}"
        )
        .unwrap();
    }
    let ir = build_on_small_stack(spec).unwrap();
    assert!(ir.types.len() >= 10_000);
}
