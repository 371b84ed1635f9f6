//! The one walk over a type's children. Every pass that follows types into
//! the types they hold (usage, cycle breaking, the changelog) goes through
//! [`TypeKind::children`], so a new kind of type is taught to all of them
//! in one place.

use super::{EventVariant, Field, TypeId, TypeKind};
use std::slice;

/// How a type holds one of its children.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge<'a> {
    /// A field of a struct.
    Field(&'a Field),
    /// A member of a union, by its variant name.
    Member(&'a str),
    /// The object of an event type, in the event payload.
    Event(&'a EventVariant),
    /// The element type of an array.
    Element,
    /// The value type of a map.
    Value,
    /// The object an expandable holds when expanded.
    Expanded,
    /// The value an emptyable parameter holds when not cleared.
    Emptyable,
}

impl Edge<'_> {
    /// Whether the parent is only a wrapper around the child (an array, a
    /// map, an expandable or an emptyable), with no name or item of its own.
    pub fn is_wrapper(&self) -> bool {
        matches!(
            self,
            Edge::Element | Edge::Value | Edge::Expanded | Edge::Emptyable
        )
    }

    /// Whether a value of the parent holds the child inline, so that a cycle
    /// through this edge gives a type of infinite size. Vectors, maps and
    /// expandables (whose object is boxed) already allocate.
    pub fn is_inline(&self) -> bool {
        !matches!(self, Edge::Element | Edge::Value | Edge::Expanded)
    }
}

/// One child of a type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Child<'a> {
    pub edge: Edge<'a>,
    pub ty: TypeId,
}

/// The children of one type, in the order its definition lists them.
#[derive(Clone, Debug)]
pub enum Children<'a> {
    Fields(slice::Iter<'a, Field>),
    Members(slice::Iter<'a, (String, TypeId)>),
    Events(slice::Iter<'a, EventVariant>),
    /// A wrapper's one child, or nothing for a leaf.
    One(Option<Child<'a>>),
}

impl<'a> Iterator for Children<'a> {
    type Item = Child<'a>;

    fn next(&mut self) -> Option<Child<'a>> {
        match self {
            Children::Fields(fields) => fields.next().map(|f| Child {
                edge: Edge::Field(f),
                ty: f.ty,
            }),
            Children::Members(members) => members.next().map(|(name, ty)| Child {
                edge: Edge::Member(name),
                ty: *ty,
            }),
            Children::Events(events) => events.next().map(|v| Child {
                edge: Edge::Event(v),
                ty: v.object,
            }),
            Children::One(one) => one.take(),
        }
    }
}

impl TypeKind {
    /// The types a value of this kind holds. A resource's id type is a
    /// reference, not a child, and so are the envelope and `data` of
    /// [`super::Ir::events`]: the payload is held by them, not the other
    /// way round.
    pub fn children(&self) -> Children<'_> {
        let one = |edge, ty| Children::One(Some(Child { edge, ty }));
        match self {
            TypeKind::Struct(s) => Children::Fields(s.fields.iter()),
            TypeKind::Union(u) => Children::Members(u.variants.iter()),
            TypeKind::EventPayload(p) => Children::Events(p.variants.iter()),
            TypeKind::Array(t) => one(Edge::Element, *t),
            TypeKind::Map(t) => one(Edge::Value, *t),
            TypeKind::Expandable(t) => one(Edge::Expanded, *t),
            TypeKind::Emptyable(t) => one(Edge::Emptyable, *t),
            TypeKind::Enum(_) | TypeKind::Id(_) | TypeKind::Primitive(_) | TypeKind::Json => {
                Children::One(None)
            }
        }
    }
}
