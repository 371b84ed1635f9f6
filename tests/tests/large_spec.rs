//! Memory for a ~100 MB spec: the peak RSS of `parse_spec`, read from
//! `/proc/self/status` after resetting the high-water mark.
//!
//! Ignored by default: it needs 1 GB and, in a debug build, half a
//! minute. Each format is measured in a child process of its own:
//!
//! ```text
//! cargo test -p codegen-tests --test large_spec -- --ignored --nocapture
//! ```
//!
//! Measured (Stripe spec v524, its 21 Identity schemas copied 4,400 times
//! in YAML, 5,300 in compact JSON; debug build), with `parse_spec`
//! indexing the text and typing nothing but `info`: compact JSON, 100 MB,
//! peaks 25 MB above the text (0.3x), the index of ~111,000 schemas;
//! YAML, 100 MB, 105 MB (1.1x): the compact JSON it is transcoded to
//! (83 MB) and the index of ~92,000 schemas. The transcoder writes JSON as
//! libyaml parses each event. Before, serde_yaml's loader held every event
//! of the document while the JSON was written (8.0x), and each index entry
//! held an unboxed `openapiv3::Schema` slot of 944 bytes (JSON 1.2x);
//! before `Spec` typed schemas lazily, when `parse_spec` built the whole
//! `openapiv3::OpenAPI`, the peaks were 7.9x (JSON) and 13.6x (YAML).

use codegen_tests::pinned_spec;
use std::fmt::Write;
use std::process::Command;

/// Target size of each synthetic spec.
const SIZE: usize = 100 << 20;

/// Set in the child processes: which format this one measures.
const FORMAT_ENV: &str = "LARGE_SPEC_FORMAT";

/// Each format is measured in a process of its own: memory freed by one
/// parse stays in the allocator and would hide the other's peak.
#[test]
#[ignore = "needs 1 GB and half a minute; run with --ignored"]
fn a_100_mb_spec_parses_in_bounded_memory() {
    if let Ok(format) = std::env::var(FORMAT_ENV) {
        let text = synthetic_spec(&format);
        println!("ratio={}", peak_over_text(&text, &format!("big.{format}")));
        return;
    }
    let yaml = measure_in_child("yaml");
    let json = measure_in_child("json");
    // Regression bounds above what was measured (see the module docs).
    assert!(yaml < 1.5, "YAML peak {yaml:.1}x the text");
    assert!(json < 0.5, "JSON peak {json:.1}x the text");
}

/// Runs this test again in a child process measuring `format`, and returns
/// the ratio it printed.
fn measure_in_child(format: &str) -> f64 {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "a_100_mb_spec_parses_in_bounded_memory",
            "--nocapture",
        ])
        .env(FORMAT_ENV, format)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ratio = stdout.lines().find_map(|l| l.strip_prefix("ratio="));
    ratio.expect("the child prints its ratio").parse().unwrap()
}

/// Parses `text` and returns the peak memory it took, as a multiple of its size.
fn peak_over_text(text: &str, file: &str) -> f64 {
    reset_peak();
    let before = status_kib("VmRSS");
    let spec = generator::spec::parse_spec(text, file).unwrap();
    let peak = status_kib("VmHWM");
    let schemas = spec.component_names().count();
    let ratio = (peak - before) as f64 * 1024.0 / text.len() as f64;
    println!(
        "{file}: {} MB, {schemas} schemas, peak {} MB above the text ({ratio:.1}x)",
        text.len() >> 20,
        (peak - before) >> 10
    );
    ratio
}

/// Copies of the Identity schemas (`identity.*` and the `gelato_*` they
/// use) under new names, as YAML or JSON, about [`SIZE`] long.
fn synthetic_spec(format: &str) -> String {
    let spec: serde_yaml::Value = serde_yaml::from_str(&pinned_spec().text).unwrap();
    let schemas = spec["components"]["schemas"].as_mapping().unwrap();
    let identity: Vec<(String, serde_yaml::Value)> = schemas
        .iter()
        .map(|(name, schema)| (name.as_str().unwrap().to_owned(), schema.clone()))
        .filter(|(name, _)| name.starts_with("identity.") || name.starts_with("gelato_"))
        .collect();
    if format == "yaml" {
        let head = "openapi: 3.0.0\ninfo: {title: big, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
        build(&identity, yaml_schema, head, "")
    } else {
        let head = r#"{"openapi": "3.0.0", "info": {"title": "big", "version": "1"}, "paths": {}, "components": {"schemas": {"#;
        build(&identity, json_schema, head, "}}}")
    }
}

/// `head`, then copies of every schema rendered by `render` until the text
/// is [`SIZE`] long, then `tail`. The capacity is reserved up front so that
/// building the text never holds two copies of it.
fn build(
    schemas: &[(String, serde_yaml::Value)],
    render: fn(&str, &serde_yaml::Value, bool) -> String,
    head: &str,
    tail: &str,
) -> String {
    let mut text = String::with_capacity(SIZE + (1 << 20));
    text.push_str(head);
    let mut copy = 0;
    while text.len() < SIZE {
        for (index, (name, schema)) in schemas.iter().enumerate() {
            let first = copy == 0 && index == 0;
            text.push_str(&render(&format!("{name}_copy{copy}"), schema, first));
        }
        copy += 1;
    }
    text.push_str(tail);
    text
}

fn yaml_schema(name: &str, schema: &serde_yaml::Value, _: bool) -> String {
    let mut out = format!("    {name}:\n");
    for line in serde_yaml::to_string(schema).unwrap().lines() {
        writeln!(out, "      {line}").unwrap();
    }
    out
}

fn json_schema(name: &str, schema: &serde_yaml::Value, first: bool) -> String {
    let separator = if first { "" } else { ",\n" };
    format!(
        "{separator}{name:?}: {}",
        serde_json::to_string(schema).unwrap()
    )
}

/// Makes VmHWM start again from the current RSS (Linux).
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs is writable");
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}
