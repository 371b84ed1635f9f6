//! The intermediate representation: plain data between the spec and the
//! emitters. Types live in an arena and refer to each other by [`TypeId`];
//! names are strings. Emission reads a finished `Ir` and never changes it.

mod children;
mod usage;

pub use children::{Child, Children, Edge};
pub use usage::Usage;

use crate::select::Method;
use crate::Warning;

/// Index of a type in [`Ir::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole portion, ready to emit.
#[derive(Clone, Debug)]
pub struct Ir {
    /// Stripe API version of the spec (`info.version`).
    pub api_version: String,
    /// The type arena.
    pub types: Vec<TypeEntry>,
    /// Operations sorted by path and method.
    pub operations: Vec<Operation>,
    /// Schemas that fell back to opaque JSON, sorted.
    pub warnings: Vec<Warning>,
    /// The error envelope every error response decodes as (the portion's
    /// error schema, its shape checked), if the spec has one.
    pub error_envelope: Option<TypeId>,
    /// The portion's webhook events, if it has event types and the spec an
    /// event envelope.
    pub events: Option<Events>,
    /// The usage of every type, by index; computed once by [`Ir::new`].
    usage: Vec<Usage>,
}

impl Ir {
    /// A finished IR. Which side of the API each type is on is worked out
    /// here, once, so emission and the changelog agree on it.
    pub fn new(
        api_version: String,
        types: Vec<TypeEntry>,
        operations: Vec<Operation>,
        warnings: Vec<Warning>,
        error_envelope: Option<TypeId>,
        events: Option<Events>,
    ) -> Ir {
        let mut ir = Ir {
            api_version,
            types,
            operations,
            warnings,
            error_envelope,
            events,
            usage: Vec::new(),
        };
        ir.usage = usage::compute(&ir);
        ir
    }

    /// Whether users build values of the type, receive them, or both.
    pub fn usage(&self, id: TypeId) -> Usage {
        self.usage[id.0]
    }

    /// The types a value of `id` holds, each with how it holds it.
    pub fn children(&self, id: TypeId) -> Children<'_> {
        self.get(id).kind.children()
    }

    /// The type inside arrays, maps and the expandable and emptyable
    /// wrappers: `id` itself when it is none of them. A schema that is an
    /// array of itself makes wrappers around nothing else; the walk stops
    /// after visiting every type once rather than going round for ever.
    pub fn unwrap(&self, mut id: TypeId) -> TypeId {
        for _ in 0..self.types.len() {
            match self.children(id).find(|c| c.edge.is_wrapper()) {
                Some(inner) => id = inner.ty,
                None => break,
            }
        }
        id
    }

    /// Every type id of the arena, in order.
    pub fn ids(&self) -> impl Iterator<Item = TypeId> {
        (0..self.types.len()).map(TypeId)
    }

    /// The entry behind an id.
    pub fn get(&self, id: TypeId) -> &TypeEntry {
        &self.types[id.0]
    }

    /// Each event type of the portion with the object it carries, sorted by
    /// event type; empty for a portion without events.
    pub fn event_types(&self) -> &[EventVariant] {
        let payload = self.events.as_ref().map(|e| &self.get(e.payload).kind);
        match payload {
            Some(TypeKind::EventPayload(p)) => &p.variants,
            _ => &[],
        }
    }

    /// The Rust name of a named type, `None` for anonymous shapes.
    pub fn name(&self, id: TypeId) -> Option<&str> {
        match &self.get(id).kind {
            TypeKind::Struct(s) => Some(&s.name),
            TypeKind::Enum(e) => Some(&e.name),
            TypeKind::Union(u) => Some(&u.name),
            TypeKind::Id(i) => Some(&i.name),
            TypeKind::EventPayload(p) => Some(&p.name),
            _ => None,
        }
    }
}

/// One type and where it came from.
#[derive(Clone, Debug)]
pub struct TypeEntry {
    /// JSON pointer of the schema this type was made from.
    pub origin: String,
    pub kind: TypeKind,
}

/// The shapes a type can have.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enum with a catch-all variant.
    Enum(EnumDef),
    /// A value that is one of several shapes (`anyOf` that is not one of
    /// Stripe's idioms), serialized untagged.
    Union(UnionDef),
    /// A typed resource id (`VerificationSessionId`).
    Id(IdDef),
    Primitive(Primitive),
    Array(TypeId),
    /// An object with arbitrary keys (`additionalProperties`).
    Map(TypeId),
    /// `anyOf: [string, $ref]` with `x-expansionResources`: an id or the object.
    Expandable(TypeId),
    /// A request parameter Stripe lets you clear by sending `""`.
    Emptyable(TypeId),
    /// Opaque JSON, for references cut from the portion or shapes reported
    /// in [`Ir::warnings`].
    Json,
    /// The object a webhook event carries, chosen by the event's type.
    EventPayload(EventPayloadDef),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    String,
    Integer,
    Number,
    Boolean,
    /// `format: unix-time` integers.
    Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub docs: Option<String>,
    pub fields: Vec<Field>,
    /// Set for resources: the object name (`x-resourceId`) and its id type.
    pub resource: Option<ResourceDef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDef {
    pub object: String,
    pub id_type: TypeId,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub docs: Option<String>,
    pub ty: TypeId,
    pub required: bool,
    pub nullable: bool,
    /// Set by cycle breaking: the field is stored behind a `Box`.
    pub boxed: bool,
    /// A secret or personal data (see [`crate::sensitivity`]): `Debug`
    /// redacts it.
    pub sensitive: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub docs: Option<String>,
    pub variants: Vec<Variant>,
    /// Name of the variant that keeps values the spec does not list.
    pub catch_all: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub wire_name: String,
    pub rust_name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionDef {
    pub name: String,
    pub docs: Option<String>,
    pub variants: Vec<(String, TypeId)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdDef {
    pub name: String,
    /// The resource's object name.
    pub object: String,
    /// The prefix every id of this resource starts with (`vs_`).
    pub prefix: String,
}

/// Where a portion's webhook events are in the arena, set by `convert`
/// (`convert/events.rs`). An event is the envelope (`Event`), whose `data`
/// struct holds in `object` the payload, which the envelope's `type`
/// decides. Both structs are decoded together by a `Deserialize` of their
/// own (the envelope's), so `data` is used nowhere else: `convert` gives
/// the envelope its own copy of a data schema that other types also use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Events {
    /// The envelope struct (`Event`), whose `type` field selects the payload's variant.
    pub envelope: TypeId,
    /// The struct of the envelope's `data` field, whose `object` field holds the payload.
    pub data: TypeId,
    /// The payload ([`TypeKind::EventPayload`], `EventPayload`): a variant
    /// per event type, each with the object it carries (see [`Ir::event_types`]).
    pub payload: TypeId,
    /// The string enum of the event types ([`TypeKind::Enum`], `EventType`),
    /// its variants named like the payload's. The events API's `type` and
    /// `types` filters take it.
    pub event_type: TypeId,
}

impl Events {
    /// Whether `id` is one of the two structs the envelope's own
    /// `Deserialize` decodes (the envelope and its `data`).
    pub fn decodes_together(&self, id: TypeId) -> bool {
        id == self.envelope || id == self.data
    }
}

/// The object of a webhook event (`data.object`), decoded by the event's
/// `type`: a variant per event type of the portion, and a catch-all that
/// keeps any other type with its raw JSON. Where its envelope is, is in
/// [`Ir::events`].
#[derive(Clone, Debug, PartialEq)]
pub struct EventPayloadDef {
    pub name: String,
    /// One per event type, sorted by event type.
    pub variants: Vec<EventVariant>,
    /// Name of the variant that keeps event types the spec does not list.
    pub catch_all: String,
}

/// One event type and the resource it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct EventVariant {
    /// The event type (`identity.verification_session.verified`).
    pub wire_name: String,
    pub rust_name: String,
    /// The object the event carries (`VerificationSession`).
    pub object: TypeId,
}

/// One API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    pub method: Method,
    /// The URL path template (`/v1/identity/verification_sessions/{session}`).
    pub path: String,
    /// The template parsed: literals, and parameters by wire name, each of
    /// which is one of `path_params`.
    pub path_segments: Vec<PathSegment>,
    /// Module the operation lives in (`verification_session`).
    pub module: String,
    /// The resource type of that module, which gets a method per operation.
    pub resource: Option<TypeId>,
    /// Method-like verb (`create`, `list`, `retrieve`, `cancel`, ...).
    pub verb: String,
    /// Name of the request type (`CreateVerificationSession`).
    pub request_type: String,
    pub docs: Option<String>,
    pub path_params: Vec<Param>,
    /// Query parameters (GET) or form body parameters (POST), sorted by wire name.
    pub params: Vec<Param>,
    pub response: Response,
}

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A `{name}` segment, filled with a percent-encoded value.
    Param(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub docs: Option<String>,
    pub ty: TypeId,
    pub required: bool,
}

/// What a successful call returns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Response {
    /// One object.
    Object(TypeId),
    /// A page of a list of this item type.
    List(TypeId),
}

#[cfg(test)]
mod tests;
