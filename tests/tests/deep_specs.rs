//! Specs whose depth grows with their size: a long chain of `$ref`s and
//! deeply nested inline objects end with a result or an error naming where,
//! called from a thread with a small stack, never with a stack overflow.
//! (Deep YAML nesting is a parser limit, tested with the other input limits.)
//!
//! How long each answer takes is measured by `cargo xtask bench`, which
//! builds the same specs (`xtask::bench::hostile`).

use generator::{Error, Portion};
use xtask::bench::hostile::{nested_json, nested_objects, ref_chain, tail_first_chain};

/// Builds the IR on a thread with a 2 MiB stack (the default for spawned
/// threads, and smaller than a main thread's).
fn build_on_small_stack(text: String) -> Result<generator::ir::Ir, Error> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || generator::build_ir(&text, "deep.yaml", &Portion::namespace("test")))
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
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
    let spec = tail_first_chain(10_000);
    let ir = build_on_small_stack(spec).unwrap();
    assert!(ir.types.len() >= 10_000);
}
