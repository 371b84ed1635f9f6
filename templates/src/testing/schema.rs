//! Lookups in the generated table (`spec.rs`): resources by object name,
//! fields through wrappers, and the event types. Every use of the spec's
//! event types by the double goes through [`event_type`], the one place to
//! change when the event types become a typed enum.

use super::shape::{EventType, FieldShape, ResponseShape, Shape, StructShape};
use super::spec::{EVENT_TYPES, OPERATIONS};

/// The shape of the resource with this object name
/// (`identity.verification_session`), from what the operations return.
pub(crate) fn resource(object: &str) -> Option<&'static StructShape> {
    let returned = OPERATIONS.iter().map(|op| match op.response {
        ResponseShape::Object(shape) | ResponseShape::List(shape) => shape,
    });
    let carried = EVENT_TYPES.iter().map(|event| event.shape);
    returned
        .chain(carried)
        .filter_map(as_struct)
        .find(|def| def.object == Some(object))
}

/// The struct inside `shape`, through `Expandable` and `Emptyable`.
pub(crate) fn as_struct(shape: &'static Shape) -> Option<&'static StructShape> {
    match shape {
        Shape::Struct(def) => Some(def),
        Shape::Expandable(inner) | Shape::Emptyable(inner) => as_struct(inner),
        _ => None,
    }
}

/// The struct a field of `def` holds, if it holds one.
pub(crate) fn field_struct(def: &StructShape, name: &str) -> Option<&'static StructShape> {
    def.field(name).and_then(|f| as_struct(f.shape))
}

/// The values of an enum field of `def` (through `Emptyable`).
pub(crate) fn enum_values(def: &StructShape, name: &str) -> &'static [&'static str] {
    fn values(shape: &'static Shape) -> &'static [&'static str] {
        match shape {
            Shape::Enum(values) => values,
            Shape::Emptyable(inner) => values(inner),
            _ => &[],
        }
    }
    def.field(name)
        .map_or(&[], |f: &FieldShape| values(f.shape))
}

/// The event type for `action` (`created`, `verified`, ...) of an object
/// (`identity.verification_session`), if the spec lists one.
pub(crate) fn event_type(object: &str, action: &str) -> Option<&'static EventType> {
    EVENT_TYPES.iter().find(|event| {
        event.object == object && event.name.strip_prefix(object) == Some(&format!(".{action}"))
    })
}

/// Every event type the spec lists.
pub(crate) fn event_types() -> impl Iterator<Item = &'static str> {
    EVENT_TYPES.iter().map(|event| event.name)
}
