//! Hostile specs, built in memory: long `$ref` chains, deep nesting and
//! YAML alias bombs. The tests (`tests/tests/deep_specs.rs`,
//! `hostile_input.rs`) check what the generator answers to each; this
//! module also times the answers for `cargo xtask bench`, because how long
//! a refusal takes is a measurement, not a test assertion.

use generator::Portion;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// The start of every spec here, with no paths.
const HEADER: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// A spec whose resource starts a chain of `length` schemas, each holding
/// the next by reference; with `cycle`, the last refers back to the first.
pub fn ref_chain(length: usize, cycle: bool) -> String {
    let mut spec = format!("{HEADER}components:\n  schemas:\n");
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
        // Writing to a String cannot fail.
        let _ = writeln!(
            spec,
            "    s{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/{next}'}}"
        );
    }
    spec
}

/// A chain of `length` schemas in which each refers to the one before it,
/// so that, converted in name order, conversion never nests.
pub fn tail_first_chain(length: usize) -> String {
    let mut spec = format!("{HEADER}components:\n  schemas:\n");
    for i in 0..length {
        let next = match i {
            0 => "{type: string}".to_owned(),
            _ => format!("{{$ref: '#/components/schemas/test.s{:05}'}}", i - 1),
        };
        let _ = writeln!(
            spec,
            "    test.s{i:05}: {{type: object, properties: {{next: {next}}}}}"
        );
    }
    spec
}

/// A spec whose resource nests `depth` inline objects, one in the other,
/// as YAML flow mappings written in linear time.
pub fn nested_objects(depth: usize) -> String {
    let open = "{type: object, properties: {a: ".repeat(depth);
    let close = "}}".repeat(depth);
    format!(
        "{HEADER}components:\n  schemas:\n    test.widget: {{type: object, x-resourceId: test.widget, properties: {{a: {open}{{type: string}}{close}}}}}\n"
    )
}

/// The same nesting in JSON, on one line.
pub fn nested_json(depth: usize) -> String {
    let open = r#"{"type": "object", "properties": {"a": "#.repeat(depth);
    let close = "}}".repeat(depth);
    format!(
        r#"{{"openapi": "3.0.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"test.widget": {{"type": "object", "x-resourceId": "test.widget", "properties": {{"a": {open}{{"type": "string"}}{close}}}}}}}}}}}"#
    )
}

/// A spec whose one schema `test.widget` has the YAML `body` (indented by
/// six spaces already).
pub fn widget(body: &str) -> String {
    format!("openapi: 3.0.0\ninfo: {{title: test, version: \"2099-01-01\"}}\npaths: {{}}\ncomponents:\n  schemas:\n    test.widget:\n{body}")
}

/// Few aliases, each expanding to a long sequence of aliases: `k` items
/// aliased `k` times, that list aliased 200 times.
pub fn quadratic_alias_bomb(k: usize) -> String {
    widget(&format!(
        "      x-a: &a [{}]\n      x-b: &b [{}]\n      x-c: [{}]\n",
        vec!["x"; k].join(","),
        vec!["*a"; k].join(","),
        vec!["*b"; 200].join(","),
    ))
}

/// `depth` YAML flow mappings nested as the value of a block mapping, the
/// shape on which libyaml's scanner is quadratic.
pub fn flow_mappings_in_a_block(depth: usize) -> String {
    widget(&format!(
        "      x-deep: {}1{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    ))
}

/// One hostile input and what `build_ir` answered, with the median time.
pub struct Answer {
    pub input: &'static str,
    pub bytes: usize,
    pub outcome: String,
    pub time: Duration,
}

/// Builds the IR of each hostile input `runs` times.
pub fn answers(runs: usize, alias_bomb_file: &str) -> Vec<Answer> {
    let inputs: [(&'static str, String); 7] = [
        (
            "billion laughs (tests/specs/bad/alias_bomb.yaml)",
            alias_bomb_file.to_owned(),
        ),
        (
            "quadratic alias bomb (20,000 x 20,000 x 200)",
            quadratic_alias_bomb(20_000),
        ),
        (
            "100,000 YAML flow mappings in a block mapping",
            flow_mappings_in_a_block(100_000),
        ),
        ("100,000 nested inline objects, JSON", nested_json(100_000)),
        (
            "100,000 nested inline objects, YAML flow",
            nested_objects(100_000),
        ),
        (
            "10,000-long `$ref` chain from a resource",
            ref_chain(10_000, false),
        ),
        (
            "10,000-long chain converted tail first",
            tail_first_chain(10_000),
        ),
    ];
    inputs
        .into_iter()
        .map(|(input, text)| answer(input, &text, runs))
        .collect()
}

fn answer(input: &'static str, text: &str, runs: usize) -> Answer {
    let portion = Portion::namespace("test");
    let mut times = Vec::new();
    let mut outcome = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = generator::build_ir(text, "hostile.yaml", &portion);
        times.push(start.elapsed());
        outcome = match result {
            Ok(ir) => format!("IR of {} types", ir.types.len()),
            Err(e) => format!("error: {}", shorten(&e.to_string())),
        };
    }
    times.sort();
    Answer {
        input,
        bytes: text.len(),
        outcome,
        time: times[times.len() / 2],
    }
}

/// The start of an error message, enough to say which refusal it was.
fn shorten(message: &str) -> String {
    match message.char_indices().nth(90) {
        Some((end, _)) => format!("{}...", &message[..end]),
        None => message.to_owned(),
    }
}

/// The schema whose description [`long_description`] makes long.
pub const LONG_DESCRIPTION_SCHEMA: &str = "identity.verification_session";

/// Stripe's spec `spec_yaml` as compact JSON, with the description of
/// [`LONG_DESCRIPTION_SCHEMA`] replaced by about `bytes` of Markdown and
/// HTML of the kinds Stripe writes (code spans, site links, tags, bare
/// URLs, paragraphs), repeated: one description as long as a whole spec.
pub fn long_description(spec_yaml: &str, bytes: usize) -> anyhow::Result<String> {
    let mut spec: serde_json::Value = serde_yaml::from_str(spec_yaml)?;
    let schema = spec
        .pointer_mut(&format!("/components/schemas/{LONG_DESCRIPTION_SCHEMA}"))
        .and_then(serde_json::Value::as_object_mut)
        .ok_or_else(|| anyhow::anyhow!("the spec has no schema {LONG_DESCRIPTION_SCHEMA}"))?;
    const PARAGRAPH: &str = "A session's `status` is <code>verified</code> once the \
        [verification check](/docs/identity/verification-checks) passes; see \
        https://stripe.com/docs/identity for [redacted] details.\n\n";
    let description = PARAGRAPH.repeat(bytes.div_ceil(PARAGRAPH.len()));
    schema.insert("description".to_owned(), description.into());
    Ok(serde_json::to_string(&spec)?)
}
