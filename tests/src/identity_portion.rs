//! The Identity portion of a full Stripe spec as a small document, built in
//! memory for the fuzz test and the mutated-spec compile check (the spec
//! itself is never committed, not even cut down).
//!
//! The document keeps what `generator::select` reads for `Portion::identity()`:
//! the `/v1/identity/` and `/v1/events` paths, the `identity.*` schemas, the
//! event envelope (`x-resourceId: event`) and every schema those reach; the
//! `error` envelope and the schemas it names directly, whose own references
//! the selection cuts to opaque JSON, so their targets are kept only as
//! empty objects; and the `enabled_events` form parameter of the webhook
//! endpoint operation, the one place the spec lists event types.

use serde_yaml::{Mapping, Value};
use std::collections::BTreeSet;

/// Where a `$ref` to a component schema starts.
pub const SCHEMA_REF: &str = "#/components/schemas/";

const ERROR_SCHEMA: &str = "error";
const WEBHOOK_ENDPOINTS: &str = "/v1/webhook_endpoints";
const FORM: &str = "application/x-www-form-urlencoded";

/// The Identity portion of the spec `text` (YAML or JSON).
pub fn identity_document(text: &str) -> Value {
    let full: Value = serde_yaml::from_str(text).expect("the spec parses as YAML");
    let all = full["components"]["schemas"]
        .as_mapping()
        .expect("the spec has component schemas");
    let mut paths = selected_paths(&full);
    let mut roots = Vec::new();
    for item in paths.values() {
        operation_refs(item, &mut roots);
    }
    paths.insert(WEBHOOK_ENDPOINTS.into(), webhook_endpoints(&full));
    for (name, schema) in all {
        let name = name.as_str().unwrap_or_default();
        if name.starts_with("identity.") || schema["x-resourceId"].as_str() == Some("event") {
            roots.push(name.to_owned());
        }
    }
    let mut kept = closure(all, roots);
    let envelope = [ERROR_SCHEMA.to_owned()];
    let direct = envelope.iter().flat_map(|e| refs_of(&all[e.as_str()]));
    let direct: BTreeSet<String> = direct.collect();
    kept.extend(envelope.iter().cloned().chain(direct.iter().cloned()));
    let mut schemas = Mapping::new();
    for (name, schema) in all {
        if kept.contains(name.as_str().unwrap_or_default()) {
            schemas.insert(name.clone(), schema.clone());
        }
    }
    for cut in direct.iter().flat_map(|d| refs_of(&all[d.as_str()])) {
        if !kept.contains(&cut) {
            // Cut by the selection: only its existence matters.
            schemas.insert(cut.into(), serde_yaml::from_str("{type: object}").unwrap());
        }
    }
    document(&full, paths, schemas)
}

/// The document around `paths` and `schemas`: `full`'s other top-level
/// members (`openapi`, `info`, servers, security) and other components.
fn document(full: &Value, paths: Mapping, schemas: Mapping) -> Value {
    let mut doc = full.as_mapping().unwrap().clone();
    let mut components = full["components"].as_mapping().unwrap().clone();
    components.insert("schemas".into(), schemas.into());
    doc.insert("components".into(), components.into());
    doc.insert("paths".into(), paths.into());
    doc.into()
}

/// The Identity and events paths, in spec order.
fn selected_paths(full: &Value) -> Mapping {
    let all = full["paths"].as_mapping().expect("the spec has paths");
    all.iter()
        .filter(|(path, _)| {
            let path = path.as_str().unwrap_or_default();
            path.starts_with("/v1/identity/") || path.starts_with("/v1/events")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `POST /v1/webhook_endpoints` reduced to its `enabled_events` parameter.
fn webhook_endpoints(full: &Value) -> Value {
    let body = &full["paths"][WEBHOOK_ENDPOINTS]["post"]["requestBody"]["content"][FORM];
    let events = body["schema"]["properties"]["enabled_events"].clone();
    assert!(events.is_mapping(), "the spec lists enabled_events");
    let mut item: Value = serde_yaml::from_str(
        "post: {operationId: PostWebhookEndpoints, responses: {'200': {description: ok}}}",
    )
    .unwrap();
    let schema: Value = serde_yaml::from_str("{type: object, properties: {}}").unwrap();
    item["post"]["requestBody"]["content"][FORM]["schema"] = schema;
    item["post"]["requestBody"]["content"][FORM]["schema"]["properties"]["enabled_events"] = events;
    item
}

/// References from the operations of a path item that the selection
/// follows: parameters, request bodies and success responses (error
/// responses are the envelope, added on its own).
fn operation_refs(item: &Value, out: &mut Vec<String>) {
    for method in ["get", "post", "delete"] {
        let op = &item[method];
        out.extend(refs_of(&op["parameters"]));
        out.extend(refs_of(&op["requestBody"]));
        for (status, response) in op["responses"].as_mapping().into_iter().flatten() {
            let status = match status {
                Value::Number(n) => n.to_string(),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            if status.starts_with('2') {
                out.extend(refs_of(response));
            }
        }
    }
}

/// Every schema reachable from `roots` through `$ref`s.
fn closure(all: &Mapping, mut pending: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            pending.extend(refs_of(&all[name.as_str()]));
        }
    }
    seen
}

/// The component names of every `$ref` inside `value`.
pub fn refs_of(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Mapping(map) => {
                for (key, v) in map {
                    match (key.as_str(), v.as_str()) {
                        (Some("$ref"), Some(r)) => {
                            out.extend(r.strip_prefix(SCHEMA_REF).map(str::to_owned))
                        }
                        _ => pending.push(v),
                    }
                }
            }
            Value::Sequence(items) => pending.extend(items),
            Value::Tagged(t) => pending.push(&t.value),
            _ => {}
        }
    }
    out
}
