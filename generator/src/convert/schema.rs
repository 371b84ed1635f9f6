//! Schema conversion. Each recognizer looks for one of Stripe's idioms and
//! returns `None` when the schema is not that idiom; `inline` chains them
//! and ends in an explicit fallback.

use super::{Converter, Shape};
use crate::ir::{
    EnumDef, Field, Primitive, ResourceDef, StructDef, TypeId, TypeKind, UnionDef, Variant,
};
use crate::naming;
use crate::sensitivity::{self, ValueKind};
use crate::spec::{Pointer, StripeExt};
use crate::Error;
use openapiv3::{
    AdditionalProperties, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind, StringType, Type,
};

/// How deep conversion may recurse: schemas inside schemas, and references
/// converted at their first use. Stripe's own spec nests far less; past
/// this a chain of `$ref`s or nested inline schemas would exhaust the stack.
pub(super) const MAX_DEPTH: usize = 256;

/// A converted schema: its type and whether the schema allows `null`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    pub ty: TypeId,
    pub nullable: bool,
}

/// Where a schema is being converted: its pointer, and the name an inline
/// named type (struct, enum, union) made here would get.
#[derive(Clone, Debug)]
pub(super) struct Ctx {
    pub at: Pointer,
    pub name: String,
    /// The reserved id a named type made here must take (set only at the
    /// top of a component schema).
    pub slot: Option<TypeId>,
}

impl Ctx {
    pub fn new(at: Pointer, name: String) -> Ctx {
        Ctx {
            at,
            name,
            slot: None,
        }
    }

    /// The context of the property `wire` whose field is named `field`.
    fn property(&self, wire: &str, field: &str) -> Ctx {
        Ctx::new(
            self.at.push("properties").push(wire),
            naming::nested_field(&self.name, wire, field),
        )
    }

    /// A schema nested without a name of its own (array items, the one
    /// member of `anyOf: [$ref]`): same name, new pointer, no reserved slot.
    fn inner(&self, at: Pointer) -> Ctx {
        Ctx::new(at, self.name.clone())
    }
}

impl Converter<'_> {
    /// Converts a selected component schema (once) and returns its id.
    /// `hint` is the field-path name a codename schema should take.
    pub(super) fn named(&mut self, schema: &str, hint: Option<&str>) -> Result<TypeId, Error> {
        let id = self.by_schema[schema];
        if !self.started.insert(schema.to_owned()) {
            return Ok(id);
        }
        let at = Pointer::schema(schema);
        let item = self
            .spec
            .component(schema)?
            .ok_or_else(|| Error::MissingRef {
                pointer: at.to_string(),
                target: schema.to_owned(),
            })?;
        let resolved = self.spec.schema(item, &at)?;
        let name = self.component_name(schema, hint);
        let ctx = Ctx {
            at,
            name,
            slot: Some(id),
        };
        let slot = self.inline(resolved.schema, &ctx)?;
        if slot.ty != id {
            // Not a named type of its own (a schema that is just a string, an
            // array, a reference to another component): the reserved id
            // takes a copy of the shape, which emits no item. A copy of a
            // named type is one more item of the same name, made equal to
            // it again once conversion is done (`cycles::break_cycles`).
            let kind = self.types[slot.ty.0].kind.clone();
            self.types[id.0].kind = kind;
            self.aliases.push((id, slot.ty));
        } else if self.types[id.0].kind.is_none() {
            // `allOf: [$ref itself]` and the like: only a reference to
            // itself, with no shape at all.
            let json = self.json_fallback(&ctx.at, "schema that is only a reference to itself");
            self.types[id.0].kind = self.types[json.0].kind.clone();
        }
        Ok(id)
    }

    /// The fixed name of a schema with a name of its own, or the field-path
    /// name (`hint`) a codename schema takes at its first use.
    fn component_name(&self, schema: &str, hint: Option<&str>) -> String {
        if let Some(fixed) = self.fixed.get(schema) {
            return fixed.clone();
        }
        if let Some(hint) = hint {
            return hint.to_owned();
        }
        // A codename schema nothing refers to: its name without the codename.
        let bare = self
            .portion
            .codename_prefixes
            .iter()
            .find_map(|p| schema.strip_prefix(p.as_str()))
            .unwrap_or(schema);
        naming::type_name(bare)
    }

    /// Converts a schema or a reference to one.
    pub(super) fn schema<S: std::borrow::Borrow<Schema>>(
        &mut self,
        item: &ReferenceOr<S>,
        ctx: &Ctx,
    ) -> Result<Slot, Error> {
        match item {
            ReferenceOr::Reference { reference } => {
                let resolved = self.spec.schema(item, &ctx.at)?;
                let name = resolved.name.unwrap_or(reference);
                let ty = if self.selection.contains(name) {
                    self.named(name, Some(&ctx.name))?
                } else {
                    // Cut on purpose by selection (the error envelope's
                    // links into payments): opaque JSON, not a warning.
                    self.shape(Shape::Json, &ctx.at)
                };
                Ok(Slot {
                    ty,
                    nullable: resolved.schema.schema_data.nullable,
                })
            }
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), ctx),
        }
    }

    /// Converts a schema written in place, refusing nesting deeper than
    /// [`MAX_DEPTH`] (conversion recurses into what a schema contains).
    pub(super) fn inline(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Slot, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::Depth {
                pointer: ctx.at.to_string(),
                limit: MAX_DEPTH,
            });
        }
        self.depth += 1;
        let slot = self.recognize(schema, ctx);
        self.depth -= 1;
        slot
    }

    /// The recognizer chain for a schema written in place.
    fn recognize(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Slot, Error> {
        let SchemaData {
            nullable,
            // Stripe marks no schema read- or write-only; request and
            // response types are told apart by where they are used instead.
            read_only: _,
            write_only: _,
            // Deprecation is prose in Stripe's descriptions, not this flag.
            deprecated: _,
            // Documentation only: examples and links do not shape the type.
            external_docs: _,
            example: _,
            // Titles only label union members (`member_label`).
            title: _,
            // Read where the struct, enum or field is made.
            description: _,
            // Stripe's spec has no discriminated unions.
            discriminator: _,
            // Defaults are applied by Stripe's servers; the client never
            // fills them in, so an absent field stays absent.
            default: _,
            // Read once, by `StripeExt`.
            extensions: _,
        } = &schema.schema_data;
        let plain = |ty| Slot {
            ty,
            nullable: false,
        };
        let slot = match &schema.schema_kind {
            SchemaKind::AnyOf { any_of: list } | SchemaKind::OneOf { one_of: list } => {
                self.any_of(&schema.schema_data, list, ctx)?
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.schema(&all_of[0], &ctx.inner(ctx.at.push("allOf").push(0)))?
            }
            SchemaKind::AllOf { .. } => {
                plain(self.json_fallback(&ctx.at, "allOf with several schemas"))
            }
            SchemaKind::Not { .. } => plain(self.json_fallback(&ctx.at, "`not` schema")),
            SchemaKind::Any(_) => {
                plain(self.json_fallback(&ctx.at, "schema without a single `type`"))
            }
            SchemaKind::Type(t) => plain(self.typed(t, &schema.schema_data, ctx)?),
        };
        Ok(Slot {
            ty: slot.ty,
            nullable: *nullable || slot.nullable,
        })
    }

    /// A schema with a single `type`.
    fn typed(&mut self, t: &Type, data: &SchemaData, ctx: &Ctx) -> Result<TypeId, Error> {
        let primitive = |p| Shape::Primitive(p);
        Ok(match t {
            Type::String(s) => self.string(s, data, ctx)?,
            Type::Integer(i) => {
                let unix_time = matches!(&i.format, openapiv3::VariantOrUnknownOrEmpty::Unknown(f) if f == "unix-time");
                let p = if unix_time {
                    Primitive::Timestamp
                } else {
                    Primitive::Integer
                };
                self.shape(primitive(p), &ctx.at)
            }
            Type::Number(_) => self.shape(primitive(Primitive::Number), &ctx.at),
            Type::Boolean(_) => self.shape(primitive(Primitive::Boolean), &ctx.at),
            Type::Array(a) => {
                let items = match &a.items {
                    Some(items) => self.schema(items, &ctx.inner(ctx.at.push("items")))?.ty,
                    None => self.shape(Shape::Json, &ctx.at),
                };
                self.shape(Shape::Array(items), &ctx.at)
            }
            Type::Object(o) => self.object(o, data, ctx)?,
        })
    }

    /// `anyOf`/`oneOf`: Stripe's idioms first, a union as the fallback.
    fn any_of(
        &mut self,
        data: &SchemaData,
        list: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Slot, Error> {
        if let Some(slot) = self.maybe_single(list, ctx)? {
            return Ok(slot);
        }
        if let Some(ty) = self.maybe_expandable(data, list, ctx)? {
            return Ok(Slot {
                ty,
                nullable: false,
            });
        }
        if let Some(slot) = self.maybe_emptyable(list, ctx)? {
            return Ok(slot);
        }
        let ty = self.union(list, data, ctx)?;
        Ok(Slot {
            ty,
            nullable: false,
        })
    }

    /// `anyOf: [$ref]`, Stripe's way to make a reference nullable.
    fn maybe_single(
        &mut self,
        list: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Option<Slot>, Error> {
        match list {
            [only] => Ok(Some(
                self.schema(only, &ctx.inner(ctx.at.push("anyOf").push(0)))?,
            )),
            _ => Ok(None),
        }
    }

    /// `anyOf: [string, $ref]` with `x-expansionResources`: an id or the object.
    fn maybe_expandable(
        &mut self,
        data: &SchemaData,
        list: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Option<TypeId>, Error> {
        let ext = StripeExt::of(data);
        let [target] = ext.expansion_resources.as_slice() else {
            if ext.expansion_resources.len() > 1 {
                return Ok(Some(
                    self.json_fallback(&ctx.at, "expandable to several resources"),
                ));
            }
            return Ok(None);
        };
        let has_string = list.iter().any(|s| {
            matches!(s, ReferenceOr::Item(s) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_))))
        });
        if list.len() != 2 || !has_string {
            return Ok(None);
        }
        if !self.selection.contains(target) {
            return Ok(Some(self.shape(Shape::Json, &ctx.at)));
        }
        if !self.is_identified_resource(target) {
            let reason =
                format!("expandable to `{target}`, which has no required `id` and `x-resourceId`");
            return Ok(Some(self.json_fallback(&ctx.at, reason)));
        }
        let object = self.named(target, Some(&ctx.name))?;
        Ok(Some(self.shape(Shape::Expandable(object), &ctx.at)))
    }

    /// Whether a component is a resource that always carries its id, which
    /// `Expandable` needs to give the id of an expanded object.
    fn is_identified_resource(&self, schema: &str) -> bool {
        let Some(item) = self
            .spec
            .selected_component(schema)
            .and_then(|c| c.as_item())
        else {
            return false;
        };
        let SchemaKind::Type(Type::Object(object)) = &item.schema_kind else {
            return false;
        };
        let id_is_string = match object.properties.get("id") {
            Some(ReferenceOr::Item(id)) => {
                !id.schema_data.nullable
                    && matches!(id.schema_kind, SchemaKind::Type(Type::String(_)))
            }
            _ => false,
        };
        StripeExt::of(&item.schema_data).resource_id.is_some()
            && object.required.iter().any(|r| r == "id")
            && id_is_string
    }

    /// `anyOf: [X, enum: [""]]`: a parameter that can be cleared with `""`.
    fn maybe_emptyable(
        &mut self,
        list: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Option<Slot>, Error> {
        let is_empty_enum = |s: &ReferenceOr<Schema>| match s {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(st)),
                ..
            }) => st.enumeration == [Some(String::new())],
            _ => false,
        };
        let [a, b] = list else { return Ok(None) };
        let (value, index) = match (is_empty_enum(a), is_empty_enum(b)) {
            (false, true) => (a, 0),
            (true, false) => (b, 1),
            _ => return Ok(None),
        };
        let inner = self.schema(value, &ctx.inner(ctx.at.push("anyOf").push(index)))?;
        let ty = self.shape(Shape::Emptyable(inner.ty), &ctx.at);
        Ok(Some(Slot {
            ty,
            nullable: inner.nullable,
        }))
    }

    /// Any other `anyOf`/`oneOf`: an untagged enum with a variant per member.
    fn union(
        &mut self,
        list: &[ReferenceOr<Schema>],
        data: &SchemaData,
        ctx: &Ctx,
    ) -> Result<TypeId, Error> {
        if let Some(json) = self.maybe_all_cut(list, &ctx.at)? {
            return Ok(json);
        }
        let origin = ctx.at.to_string();
        let name = self.claim(&ctx.name, &origin, naming::Kind::Union, true)?;
        let labels = list
            .iter()
            .map(|member| self.member_label(member, &ctx.at))
            .collect::<Result<Vec<_>, _>>()?;
        let mut variants: Vec<(String, TypeId)> = Vec::new();
        for (i, (member, variant)) in list
            .iter()
            .zip(naming::union_variant_names(&labels))
            .enumerate()
        {
            let child = Ctx::new(
                ctx.at.push("anyOf").push(i),
                naming::union_member(&name, &variant),
            );
            let ty = self.schema(member, &child)?.ty;
            variants.push((variant, ty));
        }
        let docs = self.docs(data.description.as_deref(), &ctx.at.push("description"));
        let def = UnionDef {
            name,
            docs,
            variants,
        };
        Ok(self.place(ctx, origin, TypeKind::Union(def)))
    }

    /// A union whose every member is a reference the selection cut (the
    /// error's `source`: bank account, card or source) is opaque JSON as a
    /// whole; variants that all hold JSON could never be told apart.
    fn maybe_all_cut(
        &mut self,
        list: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<TypeId>, Error> {
        for member in list {
            match self.spec.schema(member, at)?.name {
                Some(name) if !self.selection.contains(name) => {}
                _ => return Ok(None),
            }
        }
        Ok(Some(self.shape(Shape::Json, at)))
    }

    /// A word for one union member: its schema name, its title, or its type.
    fn member_label(&self, member: &ReferenceOr<Schema>, at: &Pointer) -> Result<String, Error> {
        let resolved = self.spec.schema(member, at)?;
        if let Some(name) = resolved.name {
            return Ok(name.to_owned());
        }
        if let Some(title) = &resolved.schema.schema_data.title {
            return Ok(title.clone());
        }
        Ok(match &resolved.schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => "string",
            SchemaKind::Type(Type::Integer(_)) => "integer",
            SchemaKind::Type(Type::Number(_)) => "number",
            SchemaKind::Type(Type::Boolean(_)) => "boolean",
            SchemaKind::Type(Type::Array(_)) => "array",
            SchemaKind::Type(Type::Object(_)) => "object",
            _ => "value",
        }
        .to_owned())
    }

    fn string(&mut self, s: &StringType, data: &SchemaData, ctx: &Ctx) -> Result<TypeId, Error> {
        // format, pattern and the length limits constrain values Stripe
        // validates server-side; they do not change the Rust type.
        let StringType {
            format: _,
            pattern: _,
            enumeration,
            min_length: _,
            max_length: _,
        } = s;
        let values: Vec<&str> = enumeration.iter().flatten().map(String::as_str).collect();
        if values.is_empty() {
            return Ok(self.shape(Shape::Primitive(Primitive::String), &ctx.at));
        }
        let origin = ctx.at.to_string();
        let name = self.claim(&ctx.name, &origin, naming::Kind::Enum, true)?;
        let docs = self.docs(data.description.as_deref(), &ctx.at.push("description"));
        let def = string_enum(&name, docs, &values);
        Ok(self.place(ctx, origin, TypeKind::Enum(def)))
    }

    fn object(&mut self, o: &ObjectType, data: &SchemaData, ctx: &Ctx) -> Result<TypeId, Error> {
        // minProperties/maxProperties are server-side validation only.
        let ObjectType {
            properties,
            required,
            additional_properties,
            min_properties: _,
            max_properties: _,
        } = o;
        if properties.is_empty() {
            if let Some(value) = self.maybe_map(additional_properties.as_ref(), ctx)? {
                return Ok(self.shape(Shape::Map(value), &ctx.at));
            }
        }
        let origin = ctx.at.to_string();
        let claim = naming::Claim {
            origin: &origin,
            kind: naming::Kind::Object,
            // A resource is re-exported at the crate root beside the runtime's types.
            root: StripeExt::of(data).resource_id.is_some(),
            yields: true,
        };
        let name = self.names.claim(&ctx.name, claim)?;
        let ctx = &Ctx {
            name,
            ..ctx.clone()
        };
        // Reserve the struct's id before its fields, so nested names and
        // cycles through inline objects find it.
        let id = match ctx.slot {
            Some(id) => id,
            None => self.draft(origin),
        };
        let resource = self.resource_of(data)?;
        let mut fields = Vec::with_capacity(properties.len());
        // Sorted by wire name (as Stripe writes them anyway), so neither the
        // fields nor the names handed out below depend on key order in the file.
        let mut sorted: Vec<_> = properties.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let wires: Vec<&str> = sorted.iter().map(|(wire, _)| wire.as_str()).collect();
        let names = naming::field_names(&wires);
        for ((wire, prop), name) in sorted.into_iter().zip(names) {
            let here = ctx.property(wire, &name);
            let slot = self.schema(prop, &here)?;
            // A `$ref` property has no description of its own.
            let description = prop
                .as_item()
                .and_then(|s| s.schema_data.description.as_deref());
            let docs = self.docs(description, &here.at.push("description"));
            let object = resource.as_ref().map(|r| r.object.as_str());
            let required = required.contains(wire);
            fields.push(self.field(wire, &name, docs, slot, required, object)?);
        }
        let docs = self.docs(data.description.as_deref(), &ctx.at.push("description"));
        let def = StructDef {
            name: ctx.name.clone(),
            docs,
            fields,
            resource,
        };
        self.types[id.0].kind = Some(TypeKind::Struct(def));
        Ok(id)
    }

    /// `additionalProperties` with no fixed properties: a map.
    fn maybe_map(
        &mut self,
        extra: Option<&AdditionalProperties>,
        ctx: &Ctx,
    ) -> Result<Option<TypeId>, Error> {
        match extra {
            Some(AdditionalProperties::Schema(value)) => {
                let child = ctx.inner(ctx.at.push("additionalProperties"));
                Ok(Some(self.schema(value.as_ref(), &child)?.ty))
            }
            // Without `additionalProperties` an object with no properties is
            // free-form (`data.object`, `previous_attributes` of an event):
            // a map keeps every key, where an empty struct would drop them.
            Some(AdditionalProperties::Any(true)) | None => {
                Ok(Some(self.shape(Shape::Json, &ctx.at)))
            }
            Some(AdditionalProperties::Any(false)) => Ok(None),
        }
    }

    fn resource_of(&mut self, data: &SchemaData) -> Result<Option<ResourceDef>, Error> {
        match StripeExt::of(data).resource_id {
            Some(object) => {
                let id_type = self.id_type(&object)?;
                Ok(Some(ResourceDef { object, id_type }))
            }
            None => Ok(None),
        }
    }

    /// One struct field. A string that holds a resource's id gets the typed
    /// id: a resource's own `id`, and fields named after a resource.
    fn field(
        &mut self,
        wire: &str,
        rust_name: &str,
        docs: Option<String>,
        slot: Slot,
        required: bool,
        resource: Option<&str>,
    ) -> Result<Field, Error> {
        let ty = self.maybe_id(wire, slot.ty, resource)?;
        let kind = match self.kind(slot.ty) {
            Some(TypeKind::Primitive(Primitive::String)) => ValueKind::String,
            Some(TypeKind::Primitive(Primitive::Boolean)) => ValueKind::Boolean,
            _ => ValueKind::Other,
        };
        let sensitive = sensitivity::is_sensitive(wire, kind);
        Ok(Field {
            wire_name: wire.to_owned(),
            rust_name: rust_name.to_owned(),
            docs,
            ty,
            required,
            nullable: slot.nullable,
            boxed: false,
            sensitive,
        })
    }

    /// Puts a named type in the context's reserved slot, or in a new one.
    fn place(&mut self, ctx: &Ctx, origin: String, kind: TypeKind) -> TypeId {
        match ctx.slot {
            Some(id) => {
                self.types[id.0].kind = Some(kind);
                id
            }
            None => self.push(origin, kind),
        }
    }

    /// Swaps a plain string for a typed id where the name says which resource it identifies.
    pub(super) fn maybe_id(
        &mut self,
        wire: &str,
        ty: TypeId,
        owner: Option<&str>,
    ) -> Result<TypeId, Error> {
        if self.kind(ty) != Some(&TypeKind::Primitive(Primitive::String)) {
            return Ok(ty);
        }
        let object = match (wire, owner) {
            ("id", Some(owner)) => Some(owner.to_owned()),
            _ => self.referenced_resource(wire),
        };
        match object {
            Some(object) => self.id_type(&object),
            None => Ok(ty),
        }
    }
}

/// A string enum with a catch-all variant for values the spec does not list.
pub(crate) fn string_enum(name: &str, docs: Option<String>, values: &[&str]) -> EnumDef {
    let mut distinct: Vec<&str> = Vec::new();
    for value in values {
        if !distinct.contains(value) {
            distinct.push(value);
        }
    }
    let variants: Vec<Variant> = distinct
        .iter()
        .zip(naming::variant_names(&distinct))
        .map(|(wire, rust_name)| Variant {
            wire_name: (*wire).to_owned(),
            rust_name,
        })
        .collect();
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    let catch_all = naming::catch_all(&names, "Value");
    EnumDef {
        name: name.to_owned(),
        docs,
        variants,
        catch_all,
    }
}
