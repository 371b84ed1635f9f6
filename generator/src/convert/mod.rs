//! Conversion from the selected spec to the IR.
//!
//! References resolve in two phases: every selected component schema first
//! gets a reserved [`TypeId`], then schemas are converted depth-first from
//! the resources and operations, so a reference always has an id to point
//! at, even inside a cycle. Cycles get their `Box` afterwards (`cycles.rs`).

mod cycles;
mod error_envelope;
mod events;
mod operation;
mod route;
mod schema;

use crate::docs;
use crate::ir::{IdDef, Ir, Primitive, TypeEntry, TypeId, TypeKind};
use crate::naming;
use crate::select::Selection;
use crate::spec::{Pointer, Spec, StripeExt};
use crate::{Error, Portion, Warning};
use std::collections::{BTreeMap, BTreeSet};

/// Builds the IR of a selection.
pub fn convert(spec: &Spec, portion: &Portion, selection: &Selection<'_>) -> Result<Ir, Error> {
    let mut cx = Converter::new(spec, portion, selection);
    for name in &selection.schemas {
        cx.reserve(name);
    }
    cx.fix_component_names()?;
    for name in cx.resource_schemas() {
        cx.named(&name, None)?;
    }
    let mut operations = selection
        .operations
        .iter()
        .map(|(path, method, op)| cx.operation(path, *method, op))
        .collect::<Result<Vec<_>, _>>()?;
    for name in &selection.schemas {
        cx.named(name, None)?;
    }
    let events = cx.events(&mut operations)?;
    let mut warnings = cx.warnings;
    let targets = cycles::alias_targets(cx.types.len(), &cx.aliases);
    let mut types = finish(cx.types, &targets, &mut warnings)?;
    warnings.extend(cycles::break_cycles(&mut types, &targets));
    let error_envelope = cx.by_schema.get(&portion.error_schema).copied();
    if let Some(id) = error_envelope {
        error_envelope::check(&types, &portion.error_schema, id)?;
    }
    warnings.sort();
    warnings.dedup();
    Ok(Ir::new(
        spec.api_version().to_owned(),
        types,
        operations,
        warnings,
        error_envelope,
        events,
    ))
}

/// A type under construction. `kind` is `None` while its schema is being
/// converted: a reserved component, or an object whose fields are not done.
struct Draft {
    origin: String,
    kind: Option<TypeKind>,
}

/// The finished arena. A component that only copies another type (an
/// alias, see `Converter::named`) may have been converted while that type
/// was still in progress; it takes the kind at the end of its chain of
/// aliases. A chain that never reaches a converted type is a schema that is
/// only a reference to itself, with no shape at all: opaque JSON with a
/// warning. Any other draft left unconverted is an error naming its schema
/// rather than a silent hole in the IR.
fn finish(
    drafts: Vec<Draft>,
    targets: &[(TypeId, TypeId)],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<TypeEntry>, Error> {
    // For each alias: the kind at the end of its chain, if that end was converted.
    let mut alias_end: Vec<Option<Option<TypeKind>>> = vec![None; drafts.len()];
    for &(alias, end) in targets {
        alias_end[alias.0] = Some(drafts[end.0].kind.clone());
    }
    drafts
        .into_iter()
        .zip(alias_end)
        .map(
            |(Draft { origin, kind }, alias_end)| match (kind, alias_end) {
                (Some(kind), _) | (None, Some(Some(kind))) => Ok(TypeEntry { origin, kind }),
                (None, Some(None)) => {
                    warnings.push(Warning {
                        pointer: origin.clone(),
                        reason: "schema that is only a reference to itself".to_owned(),
                    });
                    Ok(TypeEntry {
                        origin,
                        kind: TypeKind::Json,
                    })
                }
                (None, None) => Err(Error::Unsupported {
                    pointer: origin,
                    reason: "internal error: the schema was never converted".to_owned(),
                }),
            },
        )
        .collect()
}

/// Anonymous shapes are interned, so equal shapes share one id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Primitive(Primitive),
    Array(TypeId),
    Map(TypeId),
    Expandable(TypeId),
    Emptyable(TypeId),
    Json,
}

pub(crate) struct Converter<'a> {
    spec: &'a Spec<'a>,
    portion: &'a Portion,
    selection: &'a Selection<'a>,
    types: Vec<Draft>,
    /// Reserved id of every selected component schema.
    by_schema: BTreeMap<String, TypeId>,
    /// Schemas whose conversion has started, so cycles stop recursing.
    started: BTreeSet<String>,
    /// Every type name handed out, with the origin that claimed it.
    names: naming::TypeNames,
    /// Names of component schemas, fixed before conversion.
    fixed: BTreeMap<String, String>,
    shapes: BTreeMap<Shape, TypeId>,
    /// Id types by resource object name.
    ids: BTreeMap<String, TypeId>,
    /// Selected resource schemas by object name (`x-resourceId`).
    resources: BTreeMap<String, String>,
    warnings: Vec<Warning>,
    /// Component schemas that are only another type's shape (`allOf: [$ref]`,
    /// an array): the reserved id and the type whose kind it copies.
    aliases: Vec<(TypeId, TypeId)>,
    /// How many schema conversions are in progress, one inside the other.
    depth: usize,
}

impl<'a> Converter<'a> {
    fn new(spec: &'a Spec<'a>, portion: &'a Portion, selection: &'a Selection<'a>) -> Self {
        Converter {
            spec,
            portion,
            selection,
            types: Vec::new(),
            by_schema: BTreeMap::new(),
            started: BTreeSet::new(),
            names: naming::TypeNames::default(),
            fixed: BTreeMap::new(),
            shapes: BTreeMap::new(),
            ids: BTreeMap::new(),
            resources: resource_index(spec, selection),
            warnings: Vec::new(),
            aliases: Vec::new(),
            depth: 0,
        }
    }

    fn reserve(&mut self, schema: &str) {
        let id = self.draft(Pointer::schema(schema).to_string());
        self.by_schema.insert(schema.to_owned(), id);
    }

    fn push(&mut self, origin: String, kind: TypeKind) -> TypeId {
        let id = self.draft(origin);
        self.types[id.0].kind = Some(kind);
        id
    }

    /// An id for a type whose kind is not known yet.
    fn draft(&mut self, origin: String) -> TypeId {
        self.types.push(Draft { origin, kind: None });
        TypeId(self.types.len() - 1)
    }

    /// The kind of a type, `None` while it is still being converted.
    fn kind(&self, id: TypeId) -> Option<&TypeKind> {
        self.types[id.0].kind.as_ref()
    }

    /// The kind of a type, to finish or adjust it.
    fn kind_mut(&mut self, id: TypeId) -> Option<&mut TypeKind> {
        self.types[id.0].kind.as_mut()
    }

    /// Selected schemas that are resources in the portion's namespace,
    /// sorted by name: the roots the naming walk starts from.
    fn resource_schemas(&self) -> Vec<String> {
        self.selection
            .schemas
            .iter()
            .filter(|n| n.starts_with(&self.portion.schema_namespace))
            .cloned()
            .collect()
    }

    /// Records the type name `name` for `origin` (see [`naming::TypeNames::claim`]).
    fn claim(
        &mut self,
        name: &str,
        origin: &str,
        kind: naming::Kind,
        yields: bool,
    ) -> Result<String, Error> {
        let claim = naming::Claim {
            origin,
            kind,
            root: false,
            yields,
        };
        self.names.claim(name, claim)
    }

    /// Records the name of a type re-exported at the crate root (a
    /// resource, an id, the event payload), which may not be a runtime type's.
    fn claim_root(
        &mut self,
        name: &str,
        origin: &str,
        kind: naming::Kind,
    ) -> Result<String, Error> {
        let claim = naming::Claim {
            origin,
            kind,
            root: true,
            yields: false,
        };
        self.names.claim(name, claim)
    }

    /// Fixes the names of component schemas that have names of their own
    /// before anything is converted, so an inline type can never take one.
    /// Plain schemas go first; then the portion's resources take their short
    /// name (`issuing.card` -> `Card`), or keep their namespace
    /// (`IssuingCard`) when another schema already has the short one, or it
    /// or its id's name is reserved (`Client`, `InvalidId`).
    /// Codename schemas are named later, at their first use.
    fn fix_component_names(&mut self) -> Result<(), Error> {
        let mut resources = Vec::new();
        for schema in &self.selection.schemas {
            let Some(item) = self
                .spec
                .selected_component(schema)
                .and_then(|c| c.as_item())
            else {
                continue;
            };
            let origin = Pointer::schema(schema).to_string();
            let kind = item_kind(item);
            let name = match StripeExt::of(&item.schema_data).resource_id {
                Some(object) if object.starts_with(&self.portion.schema_namespace) => {
                    resources.push((schema.clone(), object, origin, kind));
                    continue;
                }
                Some(object) => self.claim_root(&naming::type_name(&object), &origin, kind)?,
                None if naming::is_codename(schema, &self.portion.codename_prefixes) => continue,
                None => self.claim(&naming::type_name(schema), &origin, kind, false)?,
            };
            self.fixed.insert(schema.clone(), name);
        }
        for (schema, object, origin, kind) in resources {
            let short = naming::resource_name(&object, &self.portion.schema_namespace);
            let free =
                |name: &str| !self.names.is_taken(name) && !naming::is_reserved_type(name, true);
            let name = match free(&short) && free(&naming::id_type(&short)) {
                true => short,
                false => naming::type_name(&object),
            };
            let name = self.claim_root(&name, &origin, kind)?;
            self.fixed.insert(schema, name);
        }
        Ok(())
    }

    fn shape(&mut self, shape: Shape, origin: &Pointer) -> TypeId {
        if let Some(id) = self.shapes.get(&shape) {
            return *id;
        }
        let kind = match shape {
            Shape::Primitive(p) => TypeKind::Primitive(p),
            Shape::Array(t) => TypeKind::Array(t),
            Shape::Map(t) => TypeKind::Map(t),
            Shape::Expandable(t) => TypeKind::Expandable(t),
            Shape::Emptyable(t) => TypeKind::Emptyable(t),
            Shape::Json => TypeKind::Json,
        };
        let id = self.push(origin.to_string(), kind);
        self.shapes.insert(shape, id);
        id
    }

    /// A description as rustdoc Markdown (see [`docs::render`]). One cut to
    /// [`docs::MAX_DOC`] is reported as a warning naming where it is
    /// (`at`, the pointer of the description itself).
    fn docs(&mut self, description: Option<&str>, at: &Pointer) -> Option<String> {
        let description = description?;
        let doc = docs::render(description);
        if doc.cut {
            self.warnings.push(Warning {
                pointer: at.to_string(),
                reason: format!(
                    "description longer than the generator keeps, cut to {} KiB of rendered Markdown",
                    docs::MAX_DOC / 1024
                ),
            });
        }
        doc.text
    }

    /// Opaque JSON, reported as a warning so the fallback is never silent.
    fn json_fallback(&mut self, at: &Pointer, reason: impl Into<String>) -> TypeId {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            reason: reason.into(),
        });
        self.shape(Shape::Json, at)
    }

    /// The typed id of a resource, made on first use. Resources with no
    /// known prefix still get a type; it just cannot check the prefix.
    fn id_type(&mut self, object: &str) -> Result<TypeId, Error> {
        if let Some(id) = self.ids.get(object) {
            return Ok(*id);
        }
        let resource = self
            .resource_schema(object)
            .and_then(|schema| self.fixed.get(schema).cloned())
            .unwrap_or_else(|| naming::resource_name(object, &self.portion.schema_namespace));
        let origin = format!("id of {object}");
        // Reported in a name collision: the resource's `x-resourceId`.
        let holder = match self.resource_schema(object) {
            Some(schema) => Pointer::schema(schema).push("x-resourceId").to_string(),
            None => origin.clone(),
        };
        let name = self.claim_root(&naming::id_type(&resource), &holder, naming::Kind::Other)?;
        let prefix = self
            .portion
            .id_prefix(object)
            .unwrap_or_default()
            .to_owned();
        let kind = TypeKind::Id(IdDef {
            name,
            object: object.to_owned(),
            prefix,
        });
        let id = self.push(origin, kind);
        self.ids.insert(object.to_owned(), id);
        Ok(id)
    }

    /// The resource object name a field or parameter called `wire_name`
    /// refers to, when it is one of the portion's resources
    /// (`verification_session` -> `identity.verification_session`).
    fn referenced_resource(&self, wire_name: &str) -> Option<String> {
        let object = format!("{}{wire_name}", self.portion.schema_namespace);
        self.resource_type(&object).map(|_| object)
    }

    /// The reserved type of the selected schema that is the resource
    /// `object` (its `x-resourceId`), if there is one.
    fn resource_type(&self, object: &str) -> Option<TypeId> {
        self.resource_schema(object)
            .map(|schema| self.by_schema[schema])
    }

    /// The name of the selected schema that is the resource `object`.
    fn resource_schema(&self, object: &str) -> Option<&str> {
        self.resources.get(object).map(String::as_str)
    }
}

/// What a component schema becomes, for the word a reserved name adds.
fn item_kind(schema: &openapiv3::Schema) -> naming::Kind {
    use openapiv3::{SchemaKind, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => naming::Kind::Object,
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => naming::Kind::Enum,
        SchemaKind::AnyOf { .. } | SchemaKind::OneOf { .. } => naming::Kind::Union,
        _ => naming::Kind::Other,
    }
}

/// Selected schemas that are resources, by object name. Should two schemas
/// claim one object, the first in name order is the resource.
fn resource_index(spec: &Spec, selection: &Selection<'_>) -> BTreeMap<String, String> {
    let mut index = BTreeMap::new();
    for name in &selection.schemas {
        let Some(schema) = spec.selected_component(name).and_then(|c| c.as_item()) else {
            continue;
        };
        if let Some(object) = StripeExt::of(&schema.schema_data).resource_id {
            index.entry(object).or_insert_with(|| name.clone());
        }
    }
    index
}

#[cfg(test)]
mod tests;
