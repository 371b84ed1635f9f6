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
    let operations = selection
        .operations
        .iter()
        .map(|(path, method, op)| cx.operation(path, *method, op))
        .collect::<Result<Vec<_>, _>>()?;
    for name in &selection.schemas {
        cx.named(name, None)?;
    }
    cx.events()?;
    let mut types = cx.types;
    let mut warnings = cx.warnings;
    warnings.extend(cycles::break_cycles(&mut types, &cx.aliases));
    if let Some(&id) = cx.by_schema.get(&portion.error_schema) {
        error_envelope::check(&types, &portion.error_schema, id)?;
    }
    warnings.sort();
    warnings.dedup();
    Ok(Ir {
        api_version: spec.api_version().to_owned(),
        types,
        operations,
        warnings,
    })
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
    spec: &'a Spec,
    portion: &'a Portion,
    selection: &'a Selection<'a>,
    types: Vec<TypeEntry>,
    /// Reserved id of every selected component schema.
    by_schema: BTreeMap<String, TypeId>,
    /// Schemas whose conversion has started, so cycles stop recursing.
    started: BTreeSet<String>,
    /// Every Rust name handed out, with the origin that claimed it.
    names: BTreeMap<String, String>,
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
    fn new(spec: &'a Spec, portion: &'a Portion, selection: &'a Selection<'a>) -> Self {
        Converter {
            spec,
            portion,
            selection,
            types: Vec::new(),
            by_schema: BTreeMap::new(),
            started: BTreeSet::new(),
            names: BTreeMap::new(),
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
        let id = self.push(Pointer::schema(schema).to_string(), TypeKind::Pending);
        self.by_schema.insert(schema.to_owned(), id);
    }

    fn push(&mut self, origin: String, kind: TypeKind) -> TypeId {
        self.types.push(TypeEntry { origin, kind });
        TypeId(self.types.len() - 1)
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

    /// Records a Rust name for `origin` and returns it. A name another
    /// origin holds is tried once more with `suffix` (the kind of item:
    /// `Object`, `Enum`, `Union`), so an inline type gives way to a schema
    /// whose own name it would take; with no suffix, or on a second clash,
    /// it is an error naming both origins.
    fn claim(&mut self, name: &str, origin: &str, suffix: &str) -> Result<String, Error> {
        let mut candidates = vec![name.to_owned()];
        if !suffix.is_empty() {
            candidates.push(format!("{name}{suffix}"));
        }
        for candidate in candidates {
            match self.names.get(&candidate) {
                Some(holder) if holder != origin => continue,
                _ => {
                    self.names.insert(candidate.clone(), origin.to_owned());
                    return Ok(candidate);
                }
            }
        }
        Err(Error::NameCollision {
            name: name.to_owned(),
            first: self.names.get(name).cloned().unwrap_or_default(),
            second: origin.to_owned(),
        })
    }

    /// Fixes the names of component schemas that have names of their own
    /// before anything is converted, so an inline type can never take one.
    /// Plain schemas go first; then the portion's resources take their short
    /// name (`issuing.card` -> `Card`), or keep their namespace
    /// (`IssuingCard`) when another schema already has the short one.
    /// Codename schemas are named later, at their first use.
    fn fix_component_names(&mut self) -> Result<(), Error> {
        let mut resources = Vec::new();
        for schema in &self.selection.schemas {
            let Some(item) = self.spec.component(schema).and_then(|c| c.as_item()) else {
                continue;
            };
            let origin = Pointer::schema(schema).to_string();
            let name = match StripeExt::of(&item.schema_data).resource_id {
                Some(object) if object.starts_with(&self.portion.schema_namespace) => {
                    resources.push((schema.clone(), object, origin));
                    continue;
                }
                Some(object) => naming::type_name(&object),
                None if naming::is_codename(schema, &self.portion.codename_prefixes) => continue,
                None => naming::type_name(schema),
            };
            let name = self.claim(&name, &origin, "")?;
            self.fixed.insert(schema.clone(), name);
        }
        for (schema, object, origin) in resources {
            let short = naming::resource_name(&object, &self.portion.schema_namespace);
            let name = match self.names.contains_key(&short) {
                false => self.claim(&short, &origin, "")?,
                true => self.claim(&naming::type_name(&object), &origin, "")?,
            };
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
        let name = self.claim(&format!("{resource}Id"), &origin, "")?;
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

/// Selected schemas that are resources, by object name. Should two schemas
/// claim one object, the first in name order is the resource.
fn resource_index(spec: &Spec, selection: &Selection<'_>) -> BTreeMap<String, String> {
    let mut index = BTreeMap::new();
    for name in &selection.schemas {
        let Some(schema) = spec.component(name).and_then(|c| c.as_item()) else {
            continue;
        };
        if let Some(object) = StripeExt::of(&schema.schema_data).resource_id {
            index.entry(object).or_insert_with(|| name.clone());
        }
    }
    index
}
