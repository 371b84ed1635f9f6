//! Mutations of an OpenAPI document held as a `serde_yaml::Value`: the
//! shapes a valid but unusual spec can take (renamed, retyped, nested,
//! cyclic, duplicated or deleted schemas), for the fuzz test and for the
//! mutated specs whose crates `compile_specs` compiles.
//!
//! A mutation names what it changes by index into the document's current
//! lists (schemas, schema nodes, paths), taken modulo their length, so any
//! index is valid for any document and proptest can shrink a failing list.

use crate::identity_portion::SCHEMA_REF;
use crate::schema_nodes::{get, get_mut, node_at, nodes, operations, Node};
use serde_yaml::{Mapping, Value};

/// Names a spec may give schemas, properties or enum values that are
/// awkward in Rust: digit-leading, keywords, prelude and runtime names,
/// non-ASCII, empty, punctuation.
pub const ODD_NAMES: &[&str] = &[
    "3d",
    "_3d",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "r#type",
    "String",
    "Option",
    "Vec",
    "Box",
    "Result",
    "Client",
    "Error",
    "RequestOptions",
    "send",
    "é",
    "名前",
    "",
    " ",
    "a-b",
    "a.b",
    "_",
    "__",
    "a",
    "A",
    "a2",
    "{x}",
    "data",
    "object",
    "id",
];

/// A wrapper around a schema: how a cycle or a nested schema reaches its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// The schema itself.
    Plain,
    /// `{type: array, items: X}`.
    Array,
    /// `{type: object, additionalProperties: X}`.
    Map,
    /// `{anyOf: [X], nullable: true}`, Stripe's nullable reference.
    Nullable,
    /// `{anyOf: [X, {type: string, enum: ['']}]}`, Stripe's emptyable.
    Emptyable,
    /// `{anyOf: [X, {type: string}]}`: a union.
    AnyOf,
    /// `{oneOf: [X, {type: integer}]}`.
    OneOf,
    /// `{allOf: [X]}`.
    AllOf,
    /// `{allOf: [X, {type: object}]}`.
    AllOfTwo,
}

/// A new type for a schema node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retype {
    String,
    Integer,
    Number,
    Boolean,
    /// An object with no properties.
    Object,
    /// An array of strings.
    Array,
    /// A string enum of [`ODD_NAMES`].
    Enum,
}

/// Which schema a cycle points back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The component schema the node is written in.
    Ancestor,
    /// The n-th component schema.
    Component(usize),
}

/// One change to a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// Renames a component schema and every `$ref` to it.
    RenameSchema { schema: usize, to: String },
    /// Renames a property of an object node (and its `required` entry).
    RenameProperty {
        node: usize,
        property: usize,
        to: String,
    },
    /// Replaces a node with a schema of another type (keeping its description).
    Retype { node: usize, to: Retype },
    /// Replaces the values of an enum node.
    ChangeEnum { node: usize, values: Vec<String> },
    /// Wraps a node.
    Nest { node: usize, wrapper: Wrapper },
    /// Adds a property to an object node that refers back to a component.
    Cycle {
        node: usize,
        via: Wrapper,
        target: Target,
        required: bool,
    },
    /// Replaces a component schema with a reference to a component (itself
    /// by default) in a wrapper: `A = [A]`, `A = {string: A}`, `A = A | string`.
    Alias {
        schema: usize,
        via: Wrapper,
        target: Target,
    },
    /// Copies a component schema under a new name; `redirect` points the
    /// first reference to the original at the copy.
    DuplicateSchema {
        schema: usize,
        to: String,
        redirect: bool,
    },
    /// Repeats the first value of an enum node.
    DuplicateEnumValue { node: usize },
    /// Removes a component schema, leaving references to it dangling.
    DeleteSchema { schema: usize },
    /// Removes the `required` list of an object node.
    DeleteRequired { node: usize },
    /// Removes a property of an object node.
    DeleteProperty { node: usize, property: usize },
    /// Removes a path item.
    DeletePath { path: usize },
    /// Removes a parameter of an operation.
    DeleteParameter { operation: usize, parameter: usize },
}

/// Applies `mutations` in order.
pub fn apply_all(doc: &mut Value, mutations: &[Mutation]) {
    for m in mutations {
        apply(doc, m);
    }
}

/// Applies one mutation; one whose target list is empty changes nothing.
pub fn apply(doc: &mut Value, mutation: &Mutation) {
    use Mutation::*;
    match mutation {
        RenameSchema { schema, to } => rename_schema(doc, *schema, to),
        RenameProperty { node, property, to } => rename_property(doc, *node, *property, to),
        Retype { node, to } => with_node(doc, *node, |n| retype(n, *to)),
        ChangeEnum { node, values } => change_enum(doc, *node, values),
        Nest { node, wrapper } => with_node(doc, *node, |n| *n = wrap(n.clone(), *wrapper)),
        Cycle {
            node,
            via,
            target,
            required,
        } => cycle(doc, *node, *via, *target, *required),
        Alias {
            schema,
            via,
            target,
        } => alias(doc, *schema, *via, *target),
        DuplicateSchema {
            schema,
            to,
            redirect,
        } => duplicate_schema(doc, *schema, to, *redirect),
        DuplicateEnumValue { node } => duplicate_enum_value(doc, *node),
        DeleteSchema { schema } => {
            if let Some(name) = schema_name(doc, *schema) {
                schemas(doc).remove(name.as_str());
            }
        }
        DeleteRequired { node } => with_object(doc, *node, |n| {
            n.as_mapping_mut().unwrap().remove("required");
        }),
        DeleteProperty { node, property } => delete_property(doc, *node, *property),
        DeletePath { path } => delete_path(doc, *path),
        DeleteParameter {
            operation,
            parameter,
        } => delete_parameter(doc, *operation, *parameter),
    }
}

/// The component schemas of `doc`.
fn schemas(doc: &mut Value) -> &mut Mapping {
    let components = doc["components"].as_mapping_mut().expect("components");
    let schemas = components
        .entry("schemas".into())
        .or_insert_with(|| Mapping::new().into());
    schemas.as_mapping_mut().expect("schemas is a mapping")
}

/// The name of the `index`-th component schema (modulo their number).
pub fn schema_name(doc: &Value, index: usize) -> Option<String> {
    let all = doc["components"]["schemas"].as_mapping()?;
    let (name, _) = all.iter().nth(index.checked_rem(all.len())?)?;
    Some(name.as_str()?.to_owned())
}

/// A `$ref` to the component `name`.
pub fn reference(name: &str) -> Value {
    let mut map = Mapping::new();
    map.insert("$ref".into(), format!("{SCHEMA_REF}{name}").into());
    map.into()
}

/// The index of the component schema `name`, for fixed mutation lists.
pub fn schema_at(doc: &Value, name: &str) -> usize {
    let all = doc["components"]["schemas"].as_mapping().unwrap();
    all.keys()
        .position(|k| k.as_str() == Some(name))
        .unwrap_or_else(|| panic!("no schema {name}"))
}

/// Runs `f` on the `index`-th node, or the first after it (wrapping round)
/// that `filter` accepts, so an index from [`node_at`] means the same node
/// to every mutation.
fn with_filtered(
    doc: &mut Value,
    index: usize,
    filter: impl Fn(&Value) -> bool,
    f: impl FnOnce(&mut Value, &Node),
) {
    let all = nodes(doc);
    let Some(start) = index.checked_rem(all.len()) else {
        return;
    };
    let accepted = |n: &&Node| get(doc, &n.path).is_some_and(&filter);
    let Some(node) = all[start..]
        .iter()
        .chain(&all[..start])
        .find(accepted)
        .cloned()
    else {
        return;
    };
    f(get_mut(doc, &node.path).unwrap(), &node);
}

/// Applies the mutation `make` builds from the index of the node at
/// `pointer` in `doc` as it is now (see [`node_at`]).
pub fn apply_at(doc: &mut Value, pointer: &str, make: impl FnOnce(usize) -> Mutation) {
    let mutation = make(node_at(doc, pointer));
    apply(doc, &mutation);
}

fn with_node(doc: &mut Value, index: usize, f: impl FnOnce(&mut Value)) {
    with_filtered(doc, index, |_| true, |v, _| f(v));
}

/// Whether a node is an object schema written in place.
fn is_object(v: &Value) -> bool {
    v["properties"].is_mapping() || v["type"].as_str() == Some("object")
}

fn with_object(doc: &mut Value, index: usize, f: impl FnOnce(&mut Value)) {
    with_filtered(doc, index, is_object, |v, _| f(v));
}

fn rename_schema(doc: &mut Value, index: usize, to: &str) {
    let Some(from) = schema_name(doc, index) else {
        return;
    };
    let all = schemas(doc);
    if from == to || all.contains_key(to) {
        return;
    }
    rename_key(all, &from, to);
    retarget(doc, &from, to, usize::MAX);
}

/// Renames the key `from` of `map` to `to` in its place, so only the
/// name changes, not the order.
fn rename_key(map: &mut Mapping, from: &str, to: &str) {
    *map = std::mem::take(map)
        .into_iter()
        .map(|(k, v)| match k.as_str() == Some(from) {
            true => (to.into(), v),
            false => (k, v),
        })
        .collect();
}

/// Points up to `limit` `$ref`s to `from` at `to` instead, in document order.
fn retarget(doc: &mut Value, from: &str, to: &str, mut limit: usize) {
    let (old, new) = (format!("{SCHEMA_REF}{from}"), format!("{SCHEMA_REF}{to}"));
    let mut pending = vec![doc];
    while let Some(value) = pending.pop() {
        match value {
            Value::Mapping(map) => {
                for (k, v) in map.iter_mut() {
                    if k.as_str() == Some("$ref") && v.as_str() == Some(&old) {
                        if limit == 0 {
                            return;
                        }
                        limit -= 1;
                        *v = new.clone().into();
                    } else {
                        pending.push(v);
                    }
                }
            }
            Value::Sequence(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn rename_property(doc: &mut Value, node: usize, property: usize, to: &str) {
    with_filtered(
        doc,
        node,
        |v| v["properties"].is_mapping(),
        |v, _| {
            let props = v["properties"].as_mapping_mut().unwrap();
            let Some(i) = property.checked_rem(props.len()) else {
                return;
            };
            let from = props
                .keys()
                .nth(i)
                .unwrap()
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if from == to || props.contains_key(to) {
                return;
            }
            rename_key(props, &from, to);
            for r in v
                .get_mut("required")
                .and_then(Value::as_sequence_mut)
                .into_iter()
                .flatten()
            {
                if r.as_str() == Some(&from) {
                    *r = to.into();
                }
            }
        },
    );
}

fn retype(node: &mut Value, to: Retype) {
    let mut new = Mapping::new();
    if let Some(d) = node.get("description") {
        new.insert("description".into(), d.clone());
    }
    let (ty, extra): (&str, Option<(&str, Value)>) = match to {
        Retype::String => ("string", None),
        Retype::Integer => ("integer", None),
        Retype::Number => ("number", None),
        Retype::Boolean => ("boolean", None),
        Retype::Object => ("object", Some(("properties", Mapping::new().into()))),
        Retype::Array => ("array", Some(("items", yaml("{type: string}")))),
        Retype::Enum => ("string", Some(("enum", odd_values()))),
    };
    new.insert("type".into(), ty.into());
    if let Some((k, v)) = extra {
        new.insert(k.into(), v);
    }
    *node = new.into();
}

fn odd_values() -> Value {
    let mut values: Vec<&str> = ODD_NAMES.to_vec();
    values.dedup();
    Value::Sequence(values.into_iter().map(Value::from).collect())
}

/// Parses a YAML snippet written in this file.
fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn has_enum(v: &Value) -> bool {
    v["enum"].is_sequence()
}

fn change_enum(doc: &mut Value, node: usize, values: &[String]) {
    with_filtered(doc, node, has_enum, |v, _| {
        v["enum"] = Value::Sequence(values.iter().map(|s| s.as_str().into()).collect());
    });
}

fn duplicate_enum_value(doc: &mut Value, node: usize) {
    with_filtered(doc, node, has_enum, |v, _| {
        let values = v["enum"].as_sequence_mut().unwrap();
        if let Some(first) = values.first().cloned() {
            values.push(first);
        }
    });
}

/// `inner` wrapped as `wrapper` says.
pub fn wrap(inner: Value, wrapper: Wrapper) -> Value {
    let (template, slot): (&str, &[&str]) = match wrapper {
        Wrapper::Plain => return inner,
        Wrapper::Array => ("{type: array, items: X}", &["items"]),
        Wrapper::Map => (
            "{type: object, additionalProperties: X}",
            &["additionalProperties"],
        ),
        Wrapper::Nullable => ("{anyOf: [X], nullable: true}", &["anyOf"]),
        Wrapper::Emptyable => ("{anyOf: [X, {type: string, enum: ['']}]}", &["anyOf"]),
        Wrapper::AnyOf => ("{anyOf: [X, {type: string}]}", &["anyOf"]),
        Wrapper::OneOf => ("{oneOf: [X, {type: integer}]}", &["oneOf"]),
        Wrapper::AllOf => ("{allOf: [X]}", &["allOf"]),
        Wrapper::AllOfTwo => ("{allOf: [X, {type: object}]}", &["allOf"]),
    };
    let mut out = yaml(template);
    match &mut out[slot[0]] {
        Value::Sequence(items) => items[0] = inner,
        slot => *slot = inner,
    }
    out
}

fn cycle(doc: &mut Value, node: usize, via: Wrapper, target: Target, required: bool) {
    let component = match target {
        Target::Ancestor => None,
        Target::Component(i) => schema_name(doc, i),
    };
    with_filtered(doc, node, is_object, |v, n| {
        let Some(target) = component.or_else(|| n.component.clone()) else {
            return;
        };
        let name = "cycle_back";
        let map = v.as_mapping_mut().unwrap();
        let props = map
            .entry("properties".into())
            .or_insert_with(|| Mapping::new().into());
        if let Some(props) = props.as_mapping_mut() {
            props.insert(name.into(), wrap(reference(&target), via));
        }
        if required {
            let list = map
                .entry("required".into())
                .or_insert_with(|| Value::Sequence(vec![]));
            if let Some(list) = list.as_sequence_mut() {
                list.push(name.into());
            }
        }
    });
}

fn alias(doc: &mut Value, index: usize, via: Wrapper, target: Target) {
    let Some(name) = schema_name(doc, index) else {
        return;
    };
    let target = match target {
        Target::Ancestor => Some(name.clone()),
        Target::Component(i) => schema_name(doc, i),
    };
    if let Some(target) = target {
        schemas(doc)[name.as_str()] = wrap(reference(&target), via);
    }
}

fn duplicate_schema(doc: &mut Value, index: usize, to: &str, redirect: bool) {
    let Some(from) = schema_name(doc, index) else {
        return;
    };
    let all = schemas(doc);
    if all.contains_key(to) {
        return;
    }
    let copy = all[from.as_str()].clone();
    all.insert(to.into(), copy);
    if redirect {
        retarget(doc, &from, to, 1);
    }
}

fn delete_property(doc: &mut Value, node: usize, property: usize) {
    with_filtered(
        doc,
        node,
        |v| v["properties"].is_mapping(),
        |v, _| {
            let props = v["properties"].as_mapping_mut().unwrap();
            remove_nth(props, property);
        },
    );
}

/// Removes the `index`-th entry of `map` (modulo its length), keeping the order.
fn remove_nth(map: &mut Mapping, index: usize) {
    let Some(i) = index.checked_rem(map.len()) else {
        return;
    };
    let key = map.keys().nth(i).cloned().unwrap();
    map.shift_remove(&key);
}

fn delete_path(doc: &mut Value, index: usize) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) {
        remove_nth(paths, index);
    }
}

fn delete_parameter(doc: &mut Value, operation: usize, parameter: usize) {
    let ops = operations(doc);
    let Some(i) = operation.checked_rem(ops.len()) else {
        return;
    };
    let op = get_mut(doc, &ops[i]).unwrap();
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_sequence_mut) {
        if let Some(p) = parameter.checked_rem(params.len()) {
            params.remove(p);
        }
    }
}
