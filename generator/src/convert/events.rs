//! Webhook events: the payload type that decodes an event's `data.object`
//! by the event's `type`.
//!
//! The envelope (`Event`) and its `data` struct are converted like any
//! other schema. Their `data.object` is free-form in the spec; here it
//! becomes an [`EventPayloadDef`] with a variant per event type of the
//! portion, each carrying the resource named by the event type without its
//! last segment (`identity.verification_session.verified` carries an
//! `identity.verification_session`).

use super::Converter;
use crate::ir::{EventPayloadDef, EventVariant, Primitive, TypeId, TypeKind};
use crate::naming;
use crate::spec::Pointer;
use crate::Error;

/// The envelope's field naming the event type, and the field holding the object.
const TYPE_FIELD: &str = "type";
const DATA_FIELD: &str = "data";
const OBJECT_FIELD: &str = "object";

impl Converter<'_> {
    /// Adds the payload type and points the envelope's `data.object` at it.
    /// Does nothing for a portion without event types.
    pub(super) fn events(&mut self) -> Result<(), Error> {
        let Some(schema) = self.selection.event_schema.clone() else {
            return Ok(());
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
        let payload = self.push(
            origin.to_string(),
            TypeKind::EventPayload(EventPayloadDef {
                name,
                variants,
                catch_all,
                envelope,
                data,
            }),
        );
        self.set_field_type(data, OBJECT_FIELD, payload);
        self.redact_raw_attributes(data, payload);
        Ok(())
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
