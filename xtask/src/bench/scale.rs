//! The scale series' inputs: the spec with its Identity portion copied so
//! that the selected portion grows N-fold while the rest of the spec stays.
//!
//! Copy `k` (1 to N-1) of the portion lives in a scope of its own inside the
//! Identity namespace, the way Stripe nests scoped APIs (`test_helpers/issuing/...`):
//!
//! * component `identity.X` becomes `identity.cK.X`, codename `gelato_X`
//!   becomes `gelato_cK_X`, and every `$ref` inside a copy points at the copy;
//! * every string starting with `identity.` inside a copy (`x-resourceId`,
//!   the `object` enums) moves to `identity.cK.`, so the copies are resources
//!   of their own (`CK VerificationSession`, with ids, requests and events);
//! * path `/v1/identity/REST` becomes `/v1/identity/cK/REST`, and its
//!   `operationId` gains a `CK` suffix;
//! * every `identity.` value of an `enum` outside the portion (the webhook
//!   endpoints' `enabled_events`) gains its copies, so each copy has events.
//!
//! Schemas the portion shares with the rest of the API (`address`, `error`,
//! `event`) are not copied: every copy refers to the one original, as a
//! second Stripe namespace would.

use anyhow::{bail, Context};
use serde_yaml::{Mapping, Value};

const NAMESPACE: &str = "identity.";
const CODENAME: &str = "gelato_";
const PATH_PREFIX: &str = "/v1/identity/";
const SCHEMA_REF: &str = "#/components/schemas/";

/// The spec text with the Identity portion present `copies` times in all
/// (1 is the spec itself, re-serialized).
pub fn copied_spec(text: &str, copies: usize) -> anyhow::Result<String> {
    let mut doc: Value = serde_yaml::from_str(text).context("parsing the spec as YAML")?;
    let schemas = mapping_at(&mut doc, &["components", "schemas"])?;
    let originals = portion_entries(schemas, |name| schema_name(name, 0).is_some());
    for k in 1..copies {
        schemas.extend(originals.iter().filter_map(|(name, schema)| {
            Some((Value::from(schema_name(name, k)?), rewrite(schema, k)))
        }));
    }
    let paths = mapping_at(&mut doc, &["paths"])?;
    let originals = portion_entries(paths, |path| path.starts_with(PATH_PREFIX));
    for (path, item) in paths.iter_mut() {
        if !path.as_str().is_some_and(|p| p.starts_with(PATH_PREFIX)) {
            add_enum_copies(item, copies);
        }
    }
    for k in 1..copies {
        paths.extend(originals.iter().map(|(path, item)| {
            let mut item = rewrite(item, k);
            suffix_operation_ids(&mut item, k);
            let rest = &path[PATH_PREFIX.len()..];
            (Value::from(format!("{PATH_PREFIX}c{k}/{rest}")), item)
        }));
    }
    serde_yaml::to_string(&doc).context("writing the copied spec")
}

/// The entries of `map` whose key `is_portion` says belong to the portion, copied.
fn portion_entries(map: &Mapping, is_portion: impl Fn(&str) -> bool) -> Vec<(String, Value)> {
    map.iter()
        .filter_map(|(key, value)| {
            let key = key.as_str()?;
            is_portion(key).then(|| (key.to_owned(), value.clone()))
        })
        .collect()
}

fn mapping_at<'v>(doc: &'v mut Value, keys: &[&str]) -> anyhow::Result<&'v mut Mapping> {
    let mut here = doc;
    for key in keys {
        here = match here.get_mut(*key) {
            Some(next) => next,
            None => bail!("the spec has no `{}`", keys.join(".")),
        };
    }
    match here.as_mapping_mut() {
        Some(mapping) => Ok(mapping),
        None => bail!("`{}` is not a mapping", keys.join(".")),
    }
}

/// The copy's name of a component schema of the portion, `None` for the
/// schemas it shares with the rest of the API.
fn schema_name(name: &str, k: usize) -> Option<String> {
    if let Some(rest) = name.strip_prefix(NAMESPACE) {
        return Some(format!("{NAMESPACE}c{k}.{rest}"));
    }
    name.strip_prefix(CODENAME)
        .map(|rest| format!("{CODENAME}c{k}_{rest}"))
}

/// `value` with its references and object names moved to copy `k`.
fn rewrite(value: &Value, k: usize) -> Value {
    match value {
        Value::String(s) => Value::String(rewrite_string(s, k)),
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| rewrite(v, k)).collect()),
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(key, v)| (key.clone(), rewrite(v, k)))
                .collect(),
        ),
        Value::Tagged(tagged) => rewrite(&tagged.value, k),
        other => other.clone(),
    }
}

fn rewrite_string(s: &str, k: usize) -> String {
    if let Some(name) = s.strip_prefix(SCHEMA_REF) {
        if let Some(copy) = schema_name(name, k) {
            return format!("{SCHEMA_REF}{copy}");
        }
    }
    match s.strip_prefix(NAMESPACE) {
        Some(rest) if !rest.contains(char::is_whitespace) => format!("{NAMESPACE}c{k}.{rest}"),
        _ => s.to_owned(),
    }
}

fn suffix_operation_ids(item: &mut Value, k: usize) {
    let Some(item) = item.as_mapping_mut() else {
        return;
    };
    for (_, operation) in item.iter_mut() {
        if let Some(Value::String(id)) = operation.get_mut("operationId") {
            id.push_str(&format!("C{k}"));
        }
    }
}

/// Adds copies 1 to `copies - 1` of every `identity.` value to the `enum`s
/// under `value`.
fn add_enum_copies(value: &mut Value, copies: usize) {
    match value {
        Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                if let (Some("enum"), Value::Sequence(values)) = (key.as_str(), &mut *v) {
                    let originals: Vec<String> = values
                        .iter()
                        .filter_map(Value::as_str)
                        .filter(|s| s.starts_with(NAMESPACE))
                        .map(str::to_owned)
                        .collect();
                    for k in 1..copies {
                        values.extend(originals.iter().map(|s| Value::from(rewrite_string(s, k))));
                    }
                } else {
                    add_enum_copies(v, copies);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| add_enum_copies(v, copies)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::ir::Ir;
    use generator::Portion;

    fn ir_of(copies: usize) -> Ir {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/stripe-openapi/spec3.v524.yaml"
        );
        let text = std::fs::read_to_string(spec).expect("../shared holds Stripe's spec");
        let copied = copied_spec(&text, copies).unwrap();
        generator::build_ir(&copied, "copied", &Portion::identity()).unwrap()
    }

    fn identity_operations(ir: &Ir) -> usize {
        ir.operations
            .iter()
            .filter(|o| o.path.starts_with(PATH_PREFIX))
            .count()
    }

    fn event_types(ir: &Ir) -> usize {
        ir.event_types().len()
    }

    #[test]
    fn each_copy_adds_the_portion_once_more_as_a_scope_of_its_own() {
        let (one, three) = (ir_of(1), ir_of(3));
        assert!(identity_operations(&one) > 0 && event_types(&one) > 0);
        assert_eq!(identity_operations(&three), 3 * identity_operations(&one));
        assert_eq!(event_types(&three), 3 * event_types(&one));
        let names: Vec<&str> = (0..three.types.len())
            .filter_map(|i| three.name(generator::ir::TypeId(i)))
            .collect();
        for name in [
            "VerificationSession",
            "C1VerificationSession",
            "C2VerificationSessionId",
        ] {
            assert!(names.contains(&name), "{name} missing");
        }
        let modules: Vec<&str> = three.operations.iter().map(|o| o.module.as_str()).collect();
        assert!(modules.contains(&"c2_verification_report"), "{modules:?}");
    }
}
