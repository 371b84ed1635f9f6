//! Webhook events: the payload type that decodes an event's `data.object`
//! by the event's `type`, and the enum of the event types.
//!
//! The envelope (`Event`) and its `data` struct are converted like any
//! other schema. Their `data.object` is free-form in the spec; here it
//! becomes an [`EventPayloadDef`] with a variant per event type of the
//! portion, each carrying the resource named by the event type without its
//! last segment (`identity.verification_session.verified` carries an
//! `identity.verification_session`). The event types also make a string
//! enum (`EventType`), which the events API's `type` and `types` filters
//! and the envelope's own `type` take instead of strings, so a misspelt
//! type does not compile.
//!
//! The envelope and its `data` are decoded together (the payload needs the
//! envelope's `type`), so the `data` struct cannot also be decoded on its
//! own. When any other type or operation uses the `data` schema, the
//! envelope gets a copy of it (`EventData`) and the schema stays a plain
//! struct whose `object` is raw JSON.

use super::{Converter, Shape};
use crate::ir::{
    Edge, EnumDef, EventPayloadDef, EventVariant, Events, Operation, Primitive, Response, TypeId,
    TypeKind, Variant,
};
use crate::naming;
use crate::spec::Pointer;
use crate::Error;

/// The envelope's field naming the event type, and the field holding the object.
const TYPE_FIELD: &str = "type";
const DATA_FIELD: &str = "data";
const OBJECT_FIELD: &str = "object";

/// The events API's filters by event type: one type (or a wildcard), and a list of types.
const TYPE_FILTER: &str = "type";
const TYPES_FILTER: &str = "types";

impl Converter<'_> {
    /// Adds the payload type and the event-type enum, points the envelope's
    /// `data.object` at the payload and its `type` and the events API's type
    /// filters at the enum, and returns where the events are. `None` for a
    /// portion without event types.
    pub(super) fn events(&mut self, operations: &mut [Operation]) -> Result<Option<Events>, Error> {
        let Some(schema) = self.selection.event_schema.clone() else {
            return Ok(None);
        };
        let at = Pointer::schema(&schema);
        let envelope = self.named(&schema, None)?;
        let (envelope_name, data) = self.envelope_data(envelope, &at)?;
        let origin = at.push("properties").push(DATA_FIELD).push(OBJECT_FIELD);
        let name = naming::event_payload(&envelope_name);
        let name = self.claim_root(&name, &origin.to_string(), naming::Kind::Enum)?;
        let variants = self.event_variants(&origin)?;
        let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        let catch_all = naming::catch_all(&names, "Type");
        let event_type = self.event_type_enum(&envelope_name, &name, &variants, &catch_all, &at)?;
        let data = self.own_data(envelope, data, &envelope_name, &variants, operations, &at)?;
        let payload = self.push(
            origin.to_string(),
            TypeKind::EventPayload(EventPayloadDef {
                name,
                variants,
                catch_all,
            }),
        );
        self.set_field_type(data, OBJECT_FIELD, payload);
        // The envelope's own `type` takes the enum too, so a handler matches
        // `event.type_` against variants instead of strings it could misspell.
        self.set_field_type(envelope, TYPE_FIELD, event_type);
        self.redact_raw_attributes(data, payload);
        self.type_filters(operations, envelope, event_type);
        Ok(Some(Events {
            envelope,
            data,
            payload,
            event_type,
        }))
    }

    /// The string enum of the event types (`EventType`), with the payload's
    /// variant names. Its origin is the envelope's `type`, whose values it lists.
    fn event_type_enum(
        &mut self,
        envelope: &str,
        payload: &str,
        variants: &[EventVariant],
        catch_all: &str,
        at: &Pointer,
    ) -> Result<TypeId, Error> {
        let origin = at.push("properties").push(TYPE_FIELD).to_string();
        let name = naming::event_type(envelope);
        let name = self.claim_root(&name, &origin, naming::Kind::Enum)?;
        let docs = format!(
            "The type of an [`{envelope}`]: one variant per event type this crate knows, as \
             [`{payload}::event_type`] returns it and the events API filters by it.\n\n\
             Any other type (a newer one, or one of another part of Stripe's API) is \
             `{name}::{catch_all}`, made by `{name}::from(\"...\")`, as is a wildcard \
             for the `type` filter{}.",
            wildcard_example(&name, variants)
        );
        let variants = variants
            .iter()
            .map(|v| Variant {
                wire_name: v.wire_name.clone(),
                rust_name: v.rust_name.clone(),
            })
            .collect();
        let kind = TypeKind::Enum(EnumDef {
            name,
            docs: Some(docs),
            variants,
            catch_all: catch_all.to_owned(),
        });
        Ok(self.push(origin, kind))
    }

    /// The `data` struct the envelope decodes: `data` itself, or a copy of
    /// it (`EventData`) for the envelope alone when anything else uses
    /// `data`, which then decodes like any struct, its `object` raw JSON.
    fn own_data(
        &mut self,
        envelope: TypeId,
        data: TypeId,
        envelope_name: &str,
        variants: &[EventVariant],
        operations: &[Operation],
        at: &Pointer,
    ) -> Result<TypeId, Error> {
        let by_variant = variants.iter().any(|v| v.object == data);
        if !(by_variant || self.used_elsewhere(envelope, data, operations)) {
            return Ok(data);
        }
        let Some(TypeKind::Struct(def)) = self.kind(data) else {
            return Ok(data);
        };
        let mut def = def.clone();
        let origin = at.push("properties").push(DATA_FIELD).to_string();
        let name = naming::event_data(envelope_name);
        // A name of the generator's making: it steps aside (`EventDataObject`).
        def.name = self.claim(&name, &origin, naming::Kind::Object, true)?;
        let copy = self.push(origin, TypeKind::Struct(def));
        self.set_field_type(envelope, DATA_FIELD, copy);
        Ok(copy)
    }

    /// Whether anything but the envelope's `data` field refers to `data`:
    /// another field or type (an array of it, a union member, an alias of
    /// its schema), the envelope being `data` itself, or an operation.
    fn used_elsewhere(&self, envelope: TypeId, data: TypeId, operations: &[Operation]) -> bool {
        let in_types = self.types.iter().enumerate().any(|(index, draft)| {
            let Some(kind) = &draft.kind else {
                return false;
            };
            kind.children().any(|child| {
                let the_data_field = TypeId(index) == envelope
                    && matches!(child.edge, Edge::Field(f) if f.wire_name == DATA_FIELD);
                child.ty == data && !the_data_field
            })
        });
        let aliased = self.aliases.iter().any(|&(_, target)| target == data);
        let in_operations = operations.iter().any(|op| {
            let params = op.params.iter().chain(&op.path_params);
            let response = match op.response {
                Response::Object(ty) | Response::List(ty) => ty,
            };
            params.map(|p| p.ty).chain([response]).any(|ty| ty == data)
        });
        envelope == data || in_types || aliased || in_operations
    }

    /// Makes the events API's `type` filter (a string) and `types` filter
    /// (an array of strings) take the event-type enum. The events API is
    /// every operation returning the envelope or a list of it.
    fn type_filters(&mut self, operations: &mut [Operation], envelope: TypeId, event_type: TypeId) {
        let events_api = |op: &Operation| match op.response {
            Response::Object(ty) | Response::List(ty) => ty == envelope,
        };
        let string = TypeKind::Primitive(Primitive::String);
        for op in operations.iter_mut().filter(|op| events_api(op)) {
            let at = Pointer::path(&op.path).push(op.method.as_str());
            for param in &mut op.params {
                match (param.wire_name.as_str(), self.kind(param.ty)) {
                    (TYPE_FILTER, Some(kind)) if *kind == string => param.ty = event_type,
                    (TYPES_FILTER, Some(&TypeKind::Array(item)))
                        if self.kind(item) == Some(&string) =>
                    {
                        param.ty = self.shape(Shape::Array(event_type), &at);
                    }
                    _ => {}
                }
            }
        }
    }

    /// The other fields of `data` (`previous_attributes`) hold raw JSON of
    /// the object's earlier values, which no schema describes and which can
    /// hold anything the object holds: `Debug` redacts them.
    fn redact_raw_attributes(&mut self, data: TypeId, payload: TypeId) {
        if let Some(TypeKind::Struct(def)) = self.kind_mut(data) {
            for f in def.fields.iter_mut().filter(|f| f.ty != payload) {
                f.sensitive = true;
            }
        }
    }

    /// Checks the envelope's shape (a string `type`, a struct `data` with an
    /// `object`) and returns its name and the `data` struct.
    fn envelope_data(&self, envelope: TypeId, at: &Pointer) -> Result<(String, TypeId), Error> {
        let shape_error = |what: &str| Error::unsupported(at, format!("event envelope {what}"));
        let Some(TypeKind::Struct(def)) = self.kind(envelope) else {
            return Err(shape_error("is not an object"));
        };
        let field = |name: &str| {
            def.fields
                .iter()
                .find(|f| f.wire_name == name && !f.optional())
        };
        let type_is_string = field(TYPE_FIELD)
            .is_some_and(|f| self.kind(f.ty) == Some(&TypeKind::Primitive(Primitive::String)));
        if !type_is_string {
            return Err(shape_error("has no required string `type`"));
        }
        let data = field(DATA_FIELD).ok_or_else(|| shape_error("has no required `data`"))?;
        match self.kind(data.ty) {
            Some(TypeKind::Struct(d))
                if d.fields
                    .iter()
                    .any(|f| f.wire_name == OBJECT_FIELD && !f.optional()) =>
            {
                Ok((def.name.clone(), data.ty))
            }
            _ => Err(shape_error("has no `data` object with a required `object`")),
        }
    }

    /// A variant per event type, carrying the longest resource its type starts with.
    fn event_variants(&mut self, at: &Pointer) -> Result<Vec<EventVariant>, Error> {
        let events = self.selection.event_types.clone();
        let wires: Vec<&str> = events.iter().map(String::as_str).collect();
        let names = naming::event_variant_names(&wires, &self.portion.schema_namespace);
        let mut variants: Vec<EventVariant> = Vec::new();
        for (event, rust_name) in events.iter().zip(names) {
            variants.push(EventVariant {
                wire_name: event.clone(),
                rust_name,
                object: self.event_object(event, at)?,
            });
        }
        Ok(variants)
    }

    /// The resource an event type carries: `a.b.c` is `a.b` if that is a
    /// resource, else `a`. A type naming no selected resource carries opaque
    /// JSON, with a warning.
    fn event_object(&mut self, event: &str, at: &Pointer) -> Result<TypeId, Error> {
        let mut prefix = event;
        while let Some((head, _)) = prefix.rsplit_once('.') {
            prefix = head;
            if let Some(schema) = self.resource_schema(prefix).map(str::to_owned) {
                return self.named(&schema, None);
            }
        }
        let reason = format!("event type `{event}` names no resource of the portion");
        Ok(self.json_fallback(at, reason))
    }

    fn set_field_type(&mut self, id: TypeId, field: &str, ty: TypeId) {
        if let Some(TypeKind::Struct(def)) = self.kind_mut(id) {
            for f in def.fields.iter_mut().filter(|f| f.wire_name == field) {
                f.ty = ty;
            }
        }
    }
}

/// An example wildcard for the `type` filter, from the first event type
/// with its last segment a `*`: ` (`EventType::from("test.widget.*")`)`.
/// None when the event type holds anything but plain name characters,
/// which could end the code span.
fn wildcard_example(name: &str, variants: &[EventVariant]) -> String {
    let Some(first) = variants.first().map(|v| v.wire_name.as_str()) else {
        return String::new();
    };
    let prefix = first.rsplit_once('.').map_or(first, |(head, _)| head);
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    match prefix.chars().all(plain) {
        true => format!(" (`{name}::from(\"{prefix}.*\")`)"),
        false => String::new(),
    }
}
