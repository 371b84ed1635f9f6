//! Objects made from the spec's shapes: the skeleton of every object the
//! double returns, and the `fake()` constructor of every response type.
//!
//! A skeleton has exactly the fields the spec lists, so the double cannot
//! invent one: required fields get a default (the first value the spec
//! lists for an enum, zero, `false`, an empty string, list or map, an id
//! with the resource's prefix), nullable fields are `null` as Stripe sends
//! them, and optional fields that are not nullable are left out until the
//! lifecycle sets them.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::shape::{Shape, StructShape};

/// Characters after the prefix of a fake's ids.
const FAKE_ID: &str = "000000000000000000000000";

/// The skeleton of an object of shape `def`, with ids made by `id` from
/// a prefix and `created` (and other timestamps) set to `now`.
pub(crate) fn skeleton(def: &StructShape, now: i64, id: &mut dyn FnMut(&str) -> String) -> Value {
    let mut out = Map::new();
    for field in def.fields {
        let value = if field.nullable {
            Value::Null
        } else if field.required {
            default(field.shape, now, id)
        } else {
            continue;
        };
        out.insert(field.name.to_owned(), value);
    }
    Value::Object(out)
}

/// The default value of a shape.
pub(crate) fn default(shape: &Shape, now: i64, id: &mut dyn FnMut(&str) -> String) -> Value {
    match shape {
        Shape::String => Value::String(String::new()),
        Shape::Integer { min, .. } => Value::from(min.unwrap_or(0)),
        Shape::Number => Value::from(0),
        Shape::Boolean => Value::Bool(false),
        Shape::Timestamp => Value::from(now),
        Shape::Enum(values) => values.first().map_or(Value::Null, |v| Value::from(*v)),
        Shape::Id { prefix, .. } => Value::String(id(prefix)),
        Shape::Struct(def) => skeleton(def, now, id),
        Shape::Array(_) => Value::Array(Vec::new()),
        Shape::Map(_) | Shape::Json | Shape::EventObject => Value::Object(Map::new()),
        Shape::Expandable(inner) => Value::String(id(id_prefix(inner))),
        Shape::Emptyable(inner) => default(inner, now, id),
        Shape::Union(members) => members
            .first()
            .map_or(Value::Null, |member| default(member, now, id)),
    }
}

/// The prefix of a resource's ids: its `id` field's, or none.
pub(crate) fn id_prefix(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct(def) => match def.field("id").map(|f| f.shape) {
            Some(Shape::Id { prefix, .. }) => prefix,
            _ => "",
        },
        _ => "",
    }
}

/// A value of `T` decoded from the skeleton of `shape`, with fixed ids and
/// times (every id is its prefix and zeros, every time `0`).
///
/// # Panics
///
/// If the skeleton does not decode as `T`, which would be a generator bug:
/// the generated crate's tests call every `fake()`.
pub(crate) fn fake<T: DeserializeOwned>(shape: &Shape) -> T {
    let mut id = |prefix: &str| format!("{prefix}{FAKE_ID}");
    let json = default(shape, 0, &mut id);
    match serde_json::from_value(json) {
        Ok(value) => value,
        Err(err) => panic!("the fake of {} does not decode: {err}", type_name(shape)),
    }
}

fn type_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct(def) => def.name,
        _ => "a shape",
    }
}

#[cfg(test)]
mod tests {
    use super::super::shape::FieldShape;
    use super::*;
    use serde_json::json;

    static ID: Shape = Shape::Id {
        prefix: "wid_",
        object: "test.widget",
    };
    static WIDGET: StructShape = StructShape {
        name: "Widget",
        object: Some("test.widget"),
        fields: &[
            FieldShape {
                name: "id",
                required: true,
                nullable: false,
                sensitive: false,
                shape: &ID,
            },
            FieldShape {
                name: "kind",
                required: true,
                nullable: false,
                sensitive: false,
                shape: &Shape::Enum(&["b", "a"]),
            },
            FieldShape {
                name: "note",
                required: false,
                nullable: true,
                sensitive: false,
                shape: &Shape::String,
            },
            FieldShape {
                name: "extra",
                required: false,
                nullable: false,
                sensitive: false,
                shape: &Shape::String,
            },
            FieldShape {
                name: "created",
                required: true,
                nullable: false,
                sensitive: false,
                shape: &Shape::Timestamp,
            },
        ],
    };

    #[test]
    fn skeletons_follow_required_and_nullable() {
        let mut id = |prefix: &str| format!("{prefix}1");
        assert_eq!(
            skeleton(&WIDGET, 42, &mut id),
            json!({"id": "wid_1", "kind": "b", "note": null, "created": 42})
        );
    }

    #[test]
    fn expandables_default_to_an_id_of_their_resource() {
        static SHAPE: Shape = Shape::Expandable(&Shape::Struct(&WIDGET));
        let shape = &SHAPE;
        let mut id = |prefix: &str| format!("{prefix}2");
        assert_eq!(default(shape, 0, &mut id), json!("wid_2"));
    }
}
