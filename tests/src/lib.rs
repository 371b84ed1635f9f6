//! Shared helpers for the tests: where the workspace, the pinned spec and
//! Stripe's example data are.

pub mod identity_portion;
pub mod mutation;
pub mod schema_nodes;

use std::path::{Path, PathBuf};
use xtask::source::{self, Origin, Pin, SpecFile};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared/stripe-openapi`, beside the workspace (as CI lays it out).
pub fn shared_openapi() -> PathBuf {
    root().join("../shared/stripe-openapi")
}

/// `../shared/api-docs`.
pub fn shared_api_docs() -> PathBuf {
    root().join("../shared/api-docs")
}

/// The pinned spec, found the way `cargo xtask codegen` finds it
/// (`STRIPE_OPENAPI_SPEC`, then the cache), with `../shared` as the last
/// place a test may look. Panics with instructions when none exists, so a
/// missing spec fails the test instead of skipping it.
pub fn pinned_spec() -> SpecFile {
    let spec_dir = root().join("spec");
    let pin = Pin::load(&spec_dir.join("pin.toml")).expect("spec/pin.toml loads");
    let env = std::env::var_os(source::SPEC_ENV).map(PathBuf::from);
    if let Some(found) = source::find(&pin, &spec_dir, None, env.as_deref())
        .expect("spec file is readable and matches the pin")
    {
        return found;
    }
    let shared = shared_openapi().join(format!("spec3.{}.yaml", pin.release));
    source::read_checked(&pin, &shared, Origin::Cache).unwrap_or_else(|e| {
        panic!(
            "no spec for the tests: set {} or fill spec/cache/ ({e})",
            source::SPEC_ENV
        )
    })
}

/// A spec file read without checking it against the pin (older releases).
pub fn spec_file(path: &Path) -> SpecFile {
    let pin = Pin::load(&root().join("spec/pin.toml")).expect("spec/pin.toml loads");
    source::read_checked(&pin, path, Origin::Explicit).unwrap_or_else(|e| panic!("{e}"))
}

/// Every JSON object embedded in a text page (Stripe's API reference), in order.
pub fn json_objects(text: &str) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = text[i..].find('{') {
        let start = i + offset;
        let mut stream =
            serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(value)) => {
                found.push(value);
                i = start + stream.byte_offset();
            }
            _ => i = start + 1,
        }
    }
    found
}

/// `value` without `null` object members: the crate writes an absent
/// optional field it knows as absent, where Stripe writes `null`.
pub fn without_nulls(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The error envelope every real Stripe spec has, in the shape the client
/// runtime decodes. A crate cannot be generated without it, so it is added
/// to each one-construct spec under `tests/specs/` before generating.
pub const ERROR_SCHEMAS: &str = r#"
error:
  type: object
  required: [error]
  properties:
    error: {$ref: '#/components/schemas/api_errors'}
api_errors:
  type: object
  required: [type]
  properties:
    type: {type: string, enum: [api_error, card_error, idempotency_error, invalid_request_error]}
    charge: {type: string}
    code: {type: string}
    decline_code: {type: string}
    doc_url: {type: string}
    message: {type: string}
    param: {type: string}
    payment_intent: {type: object, additionalProperties: true}
    payment_method: {type: object, additionalProperties: true}
    payment_method_type: {type: string}
    request_log_url: {type: string}
    setup_intent: {type: object, additionalProperties: true}
    source: {type: object, additionalProperties: true}
"#;

pub fn with_error_schemas(text: &str) -> String {
    let mut spec: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    let extra: serde_yaml::Mapping = serde_yaml::from_str(ERROR_SCHEMAS).unwrap();
    let components = spec
        .as_mapping_mut()
        .unwrap()
        .entry("components".into())
        .or_insert_with(|| serde_yaml::Mapping::new().into());
    let schemas = components
        .as_mapping_mut()
        .unwrap()
        .entry("schemas".into())
        .or_insert_with(|| serde_yaml::Mapping::new().into());
    // A spec's own envelope (one of another shape, say) stays as it is.
    let schemas = schemas.as_mapping_mut().unwrap();
    for (name, schema) in extra {
        schemas.entry(name).or_insert(schema);
    }
    serde_yaml::to_string(&spec).unwrap()
}

/// Generates the crate of one spec under `tests/specs/`, with the error
/// envelope added ([`with_error_schemas`]), over the `test` namespace.
pub fn generate_test_spec(spec: &str) -> Result<generator::Generated, generator::Error> {
    let text = with_error_schemas(
        &std::fs::read_to_string(root().join("tests/specs").join(spec)).unwrap(),
    );
    let provenance = generator::Provenance {
        file: spec.into(),
        release: Some("test".into()),
        sha256: String::new(),
    };
    let portion = generator::Portion::namespace("test");
    generator::generate(&text, &provenance, &portion, &root().join("templates"))
}
