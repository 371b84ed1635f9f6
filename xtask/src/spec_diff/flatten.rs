//! Flattening an IR into the things a changelog talks about, each keyed by
//! where a user meets it: a resource or an operation, then a field path,
//! then an enum value. Keys use wire names only, because Rust names of
//! inline types derive from the path where they are first met and would
//! make one moved schema look like many changes.

use generator::ir::{Edge, Field, Ir, Operation, Primitive, Response, TypeId, TypeKind, Usage};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The path segment under which an operation's response is walked. Form
/// and query parameter names never contain parentheses, so it cannot
/// collide with a parameter.
pub const RESPONSE: &str = "(response)";

/// Where an item sits. Sorting keys sorts the changelog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Key {
    pub scope: Scope,
    /// The resource (`VerificationSession`), type (`Error`) or operation
    /// (`POST /v1/identity/verification_sessions`).
    pub root: String,
    /// Wire names from the root down (`last_error`, `code`).
    pub path: Vec<String>,
    /// An enum value at that path.
    pub value: Option<String>,
}

impl Key {
    fn root(scope: Scope, root: &str) -> Key {
        Key {
            scope,
            root: root.to_owned(),
            path: Vec::new(),
            value: None,
        }
    }

    fn child(&self, segment: &str) -> Key {
        let mut path = self.path.clone();
        path.push(segment.to_owned());
        Key {
            path,
            ..self.clone()
        }
    }

    fn value(&self, value: &str) -> Key {
        Key {
            value: Some(value.to_owned()),
            ..self.clone()
        }
    }

    /// The key this one hangs under; `None` for a root.
    pub fn parent(&self) -> Option<Key> {
        if self.value.is_some() {
            return Some(Key {
                value: None,
                ..self.clone()
            });
        }
        let mut path = self.path.clone();
        path.pop()?;
        Some(Key {
            path,
            ..self.clone()
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A resource and the fields under it.
    Resource,
    /// A component schema no resource or operation reaches (the error envelope).
    Type,
    /// An operation, its parameters and its response.
    Operation,
}

/// What an item is, which decides how its changes are classed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Resource,
    Type,
    Operation,
    PathParameter,
    /// A top-level query or form parameter: a setter or a `new()` argument.
    Parameter,
    Response,
    /// A field of an object, in a request or a response.
    Field,
    /// A member of an untagged union.
    Variant,
    /// A string enum value.
    Value,
    /// A webhook event type, with the object it carries.
    EventType,
}

/// Whether users build the item (request), receive it (response), or
/// both: a type used on both sides is emitted as a request type, and a
/// change to it reaches users on either side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Request,
    Response,
    Both,
}

impl Side {
    /// The side of the items inside a type, from the IR's usage of it.
    fn of(usage: Usage) -> Side {
        match (usage.request, usage.response) {
            (true, true) => Side::Both,
            (true, false) => Side::Request,
            (false, _) => Side::Response,
        }
    }

    /// Whether users build items on this side.
    pub fn built(self) -> bool {
        matches!(self, Side::Request | Side::Both)
    }

    /// Whether users receive items on this side.
    pub fn received(self) -> bool {
        matches!(self, Side::Response | Side::Both)
    }
}

/// One item and the facts about it that can change.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub kind: Kind,
    pub side: Side,
    /// The shape, described without Rust names of inline types (`array of enum`).
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
    pub docs: Option<String>,
}

impl Item {
    /// Whether the Rust field or parameter is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Requiredness and nullability in words (`required`, `optional, nullable`).
    pub fn presence(&self) -> String {
        let base = if self.required {
            "required"
        } else {
            "optional"
        };
        if self.nullable {
            format!("{base}, nullable")
        } else {
            base.to_owned()
        }
    }
}

/// Every item of an IR by key.
pub fn flatten(ir: &Ir) -> BTreeMap<Key, Item> {
    let mut walker = Walker {
        ir,
        items: BTreeMap::new(),
        stack: Vec::new(),
        seen: BTreeSet::new(),
    };
    for (id, entry) in ir.types.iter().enumerate() {
        if let TypeKind::Struct(def) = &entry.kind {
            if def.resource.is_some() {
                walker.root(
                    Scope::Resource,
                    Kind::Resource,
                    &def.name,
                    TypeId(id),
                    def.docs.clone(),
                );
            }
        }
    }
    for op in &ir.operations {
        walker.operation(op);
    }
    walker.leftovers();
    walker.items
}

struct Walker<'a> {
    ir: &'a Ir,
    items: BTreeMap<Key, Item>,
    /// Structs on the current path, so a cycle is walked once.
    stack: Vec<TypeId>,
    /// Named types walked at least once.
    seen: BTreeSet<TypeId>,
}

impl Walker<'_> {
    fn item(
        &self,
        kind: Kind,
        side: Side,
        ty: TypeId,
        required: bool,
        nullable: bool,
        docs: Option<String>,
    ) -> Item {
        Item {
            kind,
            side,
            ty: describe(self.ir, ty),
            required,
            nullable,
            docs,
        }
    }

    fn root(&mut self, scope: Scope, kind: Kind, name: &str, id: TypeId, docs: Option<String>) {
        let key = Key::root(scope, name);
        let side = Side::of(self.ir.usage(id));
        let item = self.item(kind, side, id, true, false, docs);
        self.items.insert(key.clone(), item);
        self.children(&key, id);
    }

    fn operation(&mut self, op: &Operation) {
        let key = Key::root(
            Scope::Operation,
            &format!("{} {}", op.method.as_str().to_uppercase(), op.path),
        );
        let item = Item {
            kind: Kind::Operation,
            side: Side::Request,
            ty: String::new(),
            required: true,
            nullable: false,
            docs: op.docs.clone(),
        };
        self.items.insert(key.clone(), item);
        for (kind, params) in [
            (Kind::PathParameter, &op.path_params),
            (Kind::Parameter, &op.params),
        ] {
            for p in params {
                let child = key.child(&p.wire_name);
                let item = self.item(kind, Side::Request, p.ty, p.required, false, p.docs.clone());
                self.items.insert(child.clone(), item);
                self.children(&child, p.ty);
            }
        }
        let (ty, list) = match op.response {
            Response::Object(ty) => (ty, false),
            Response::List(ty) => (ty, true),
        };
        let child = key.child(RESPONSE);
        let mut item = self.item(Kind::Response, Side::Response, ty, true, false, None);
        if list {
            item.ty = format!("list of {}", item.ty);
        }
        self.items.insert(child.clone(), item);
        self.children(&child, ty);
    }

    /// Component schemas nothing above reached, such as the error envelope,
    /// as roots of their own, by name (component names are stable). Those
    /// another type refers to are walked under it rather than twice.
    fn leftovers(&mut self) {
        let referenced = referenced(self.ir);
        let mut roots: Vec<(bool, String, TypeId, Option<String>)> = Vec::new();
        for (id, entry) in self.ir.types.iter().enumerate() {
            if is_event_type(self.ir, TypeId(id)) {
                // Not a schema of the spec: the event types, under the payload.
                continue;
            }
            let docs = match &entry.kind {
                TypeKind::Struct(s) => s.docs.clone(),
                TypeKind::Enum(e) => e.docs.clone(),
                TypeKind::Union(u) => u.docs.clone(),
                _ => continue,
            };
            if entry.origin.starts_with("#/components/schemas/") {
                let name = self.ir.name(TypeId(id)).unwrap_or_default().to_owned();
                roots.push((referenced.contains(&TypeId(id)), name, TypeId(id), docs));
            }
        }
        // Unreferenced first; referenced ones are left only inside a cycle.
        roots.sort();
        for (_, name, id, docs) in roots {
            if !self.seen.contains(&id) {
                self.root(Scope::Type, Kind::Type, &name, id, docs);
            }
        }
    }

    /// Items below a slot of type `id`: fields of an object, values of an
    /// enum, members of a union, event types of the event payload. Resources
    /// other than the root are only named, never walked again: they have
    /// their own root. Each item's side is the usage of the type it is in.
    fn children(&mut self, key: &Key, id: TypeId) {
        let id = self.ir.unwrap(id);
        if self.stack.contains(&id) {
            return;
        }
        self.seen.insert(id);
        let side = Side::of(self.ir.usage(id));
        match &self.ir.get(id).kind {
            TypeKind::Struct(def) if def.resource.is_some() && !key.path.is_empty() => return,
            // Its values are the event types, listed once, under the payload.
            TypeKind::Enum(_) if is_event_type(self.ir, id) => return,
            TypeKind::Enum(def) => {
                for v in &def.variants {
                    let item = Item {
                        kind: Kind::Value,
                        side,
                        ty: String::new(),
                        required: true,
                        nullable: false,
                        docs: None,
                    };
                    self.items.insert(key.value(&v.wire_name), item);
                }
                return;
            }
            _ => {}
        }
        self.stack.push(id);
        for child in self.ir.children(id) {
            match child.edge {
                Edge::Field(field) => self.field(key, field, side),
                Edge::Member(name) => {
                    let child_key = key.child(name);
                    let item = self.item(Kind::Variant, side, child.ty, true, false, None);
                    self.items.insert(child_key.clone(), item);
                    self.children(&child_key, child.ty);
                }
                Edge::Event(v) => {
                    let item = self.item(Kind::EventType, side, v.object, true, false, None);
                    self.items.insert(key.value(&v.wire_name), item);
                }
                // `unwrap` above leaves no wrapper.
                Edge::Element | Edge::Value | Edge::Expanded | Edge::Emptyable => {}
            }
        }
        self.stack.pop();
    }

    fn field(&mut self, key: &Key, field: &Field, side: Side) {
        let child = key.child(&field.wire_name);
        let item = self.item(
            Kind::Field,
            side,
            field.ty,
            field.required,
            field.nullable,
            field.docs.clone(),
        );
        self.items.insert(child.clone(), item);
        self.children(&child, field.ty);
    }
}

/// Named types that some other type has a field or member of.
fn referenced(ir: &Ir) -> BTreeSet<TypeId> {
    let mut out = BTreeSet::new();
    for id in ir.ids() {
        let inner = ir
            .children(id)
            .filter(|c| matches!(c.edge, Edge::Field(_) | Edge::Member(_)))
            .map(|c| ir.unwrap(c.ty))
            .filter(|t| *t != id);
        out.extend(inner);
    }
    out
}

/// Whether `id` is the enum of the event types, which the events API's
/// filters take.
fn is_event_type(ir: &Ir, id: TypeId) -> bool {
    ir.events.is_some_and(|e| e.event_type == id)
}

/// A type in words. Inline objects and enums are `object` and `enum`, not
/// their Rust names; their insides are items of their own.
pub fn describe(ir: &Ir, id: TypeId) -> String {
    if is_event_type(ir, id) {
        return "event type".to_owned();
    }
    match &ir.get(id).kind {
        TypeKind::Struct(s) if s.resource.is_some() => s.name.clone(),
        TypeKind::Struct(_) => "object".to_owned(),
        TypeKind::Enum(_) => "enum".to_owned(),
        TypeKind::Union(_) => "union".to_owned(),
        TypeKind::Id(i) => format!("id of {}", i.object),
        TypeKind::Primitive(p) => primitive(*p).to_owned(),
        TypeKind::Array(t) => format!("array of {}", describe(ir, *t)),
        TypeKind::Map(t) => format!("map of {}", describe(ir, *t)),
        TypeKind::Expandable(t) => format!("expandable {}", describe(ir, *t)),
        TypeKind::Emptyable(t) => format!("{} or \"\"", describe(ir, *t)),
        TypeKind::Json => "JSON value".to_owned(),
        TypeKind::EventPayload(_) => "event object".to_owned(),
    }
}

fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "string",
        Primitive::Integer => "integer",
        Primitive::Number => "number",
        Primitive::Boolean => "boolean",
        Primitive::Timestamp => "timestamp",
    }
}
