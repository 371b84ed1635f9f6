//! What an object looks like in a response: `expand` replaces an id with
//! its object, and fields Stripe only includes on request are left out
//! unless expanded.
//!
//! Which fields are expandable comes from the spec (an id-or-object field,
//! `last_verification_report`). Which fields are only included on request
//! comes from Stripe's API reference, which marks them "Expandable"
//! (`../shared/api-docs/003_f86b805f3c86ec20.txt`: a session's
//! `verified_outputs`; `000_de3a62af83df24f6.txt`: a report's
//! `document.dob`, `document.number`, `id_number.dob` and
//! `id_number.id_number`) while the pinned spec does
//! not. (The reference also marks `document.expiration_date`, but Stripe's
//! example report of the pinned release, in `fixtures3.v524.json`, has it
//! unexpanded, so at this API version it is always sent.) A path that is
//! neither is refused as Stripe refuses it:
//! `This property cannot be expanded (foo).`

use serde_json::Value;

use super::errors::ApiFailure;
use super::schema;
use super::shape::{Shape, StructShape};
use super::store::Store;

/// Fields Stripe sends only when expanded, by object.
const INCLUDED_ON_REQUEST: &[(&str, &[&str])] = &[
    ("identity.verification_session", &["verified_outputs"]),
    (
        "identity.verification_report",
        &[
            "document.dob",
            "document.number",
            "id_number.dob",
            "id_number.id_number",
        ],
    ),
];

/// How deep `expand` may reach, as on Stripe (`a.b.c.d`).
const MAX_EXPAND_DEPTH: usize = 4;

/// The stored object `json` of shape `def` as a response, with the
/// `expand` paths applied (already without a list's `data.` prefix).
pub(crate) fn render(
    store: &Store,
    def: &'static StructShape,
    json: &Value,
    expand: &[&str],
) -> Result<Value, ApiFailure> {
    for path in expand {
        check(def, path)?;
    }
    let mut out = json.clone();
    apply(store, def, &mut out, expand);
    Ok(out)
}

/// Refuses a path that names no expandable or on-request field. Paths
/// run through nested objects and expanded resources; on-request paths are
/// read from the last resource on the way.
fn check(def: &'static StructShape, path: &str) -> Result<(), ApiFailure> {
    let refuse = || ApiFailure::invalid(format!("This property cannot be expanded ({path})."));
    let segments: Vec<&str> = path.split('.').collect();
    if segments.len() > MAX_EXPAND_DEPTH {
        return Err(ApiFailure::invalid(format!(
            "You cannot expand more than {MAX_EXPAND_DEPTH} levels of a property ({path})."
        )));
    }
    let (mut current, mut root) = (def, def);
    let mut from_root: Vec<&str> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let field = current.field(segment).ok_or_else(refuse)?;
        from_root.push(segment);
        if i + 1 == segments.len() {
            let on_request = included_on_request(root).contains(&from_root.join(".").as_str());
            return match field.shape {
                Shape::Expandable(_) => Ok(()),
                _ if on_request => Ok(()),
                _ => Err(refuse()),
            };
        }
        current = schema::as_struct(field.shape).ok_or_else(refuse)?;
        if matches!(field.shape, Shape::Expandable(_)) {
            root = current;
            from_root.clear();
        }
    }
    Err(refuse())
}

/// The on-request paths of a struct, when it is a resource listed above.
fn included_on_request(def: &StructShape) -> &'static [&'static str] {
    INCLUDED_ON_REQUEST
        .iter()
        .find(|(object, _)| def.object == Some(object))
        .map_or(&[], |(_, paths)| paths)
}

/// Leaves out what was not requested and expands what was.
fn apply(store: &Store, def: &'static StructShape, json: &mut Value, expand: &[&str]) {
    for path in included_on_request(def) {
        if !expand
            .iter()
            .any(|e| e == path || e.starts_with(&format!("{path}.")))
        {
            remove(json, path);
        }
    }
    for field in def.fields {
        let below: Vec<&str> = expand
            .iter()
            .filter_map(|e| {
                if *e == field.name {
                    Some("")
                } else {
                    e.strip_prefix(field.name)?.strip_prefix('.')
                }
            })
            .collect();
        if below.is_empty() {
            continue;
        }
        let Some(value) = json.get_mut(field.name) else {
            continue;
        };
        let nested: Vec<&str> = below.iter().copied().filter(|p| !p.is_empty()).collect();
        match field.shape {
            Shape::Expandable(inner) => {
                let Some(inner) = schema::as_struct(inner) else {
                    continue;
                };
                if let (Some(id), Some(object)) = (value.as_str(), inner.object) {
                    if let Some(found) = store.get(object, id) {
                        *value = found.clone();
                    }
                }
                if value.is_object() {
                    apply(store, inner, value, &nested);
                }
            }
            shape => {
                if let (Some(inner), true) = (schema::as_struct(shape), value.is_object()) {
                    apply(store, inner, value, &nested);
                }
            }
        }
    }
}

/// Removes the field at a dotted path, if present.
fn remove(json: &mut Value, path: &str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else {
        return;
    };
    let mut current = json;
    for segment in segments {
        match current.get_mut(segment) {
            Some(next) => current = next,
            None => return,
        }
    }
    if let Some(object) = current.as_object_mut() {
        object.remove(last);
    }
}
