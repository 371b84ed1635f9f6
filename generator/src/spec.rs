//! The one adapter between openapiv3's data and the rest of the generator.
//!
//! Every `$ref` is looked up here, and Stripe's `x-` extensions are read here
//! once, so the converters never touch raw extension maps or reference strings.

use crate::load::{self, Document};
pub use crate::pointer::Pointer;
use crate::Error;
use indexmap::IndexMap;
use openapiv3::{
    Parameter, PathItem, ReferenceOr, RequestBody, Schema, SchemaData, SchemaKind, Type,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Parses spec text. `file` only names the input in error messages.
///
/// [`load`] reads the text into JSON text, refusing what no spec is; the
/// index then finds where each schema, path item,
/// parameter and request body lies in its JSON text; [`Spec`] types one
/// when it is first asked for, so a spec costs the memory of its text plus
/// that of the part a portion uses.
pub fn parse_spec<'t>(text: &'t str, file: &str) -> Result<Spec<'t>, Error> {
    crate::stack::on_large_stack(|| parse_on_this_stack(text, file))
}

/// [`parse_spec`] for a caller already on the generator's own stack.
pub(crate) fn parse_on_this_stack<'t>(text: &'t str, file: &str) -> Result<Spec<'t>, Error> {
    Spec::index(load::document(text, file)?)
}

/// Stripe's vendor extensions on a schema, read once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeExt {
    /// `x-resourceId`: the API object this schema is (`identity.verification_session`).
    pub resource_id: Option<String>,
    /// `x-expansionResources`: component schema names an expandable field can expand to.
    pub expansion_resources: Vec<String>,
}

impl StripeExt {
    /// Reads the extensions of one schema. Unknown extensions are ignored:
    /// they describe Stripe's internals (`x-stripeResource`, ...), not wire shapes.
    pub fn of(data: &SchemaData) -> Self {
        let ext = &data.extensions;
        let expansion_resources = ext
            .get("x-expansionResources")
            .and_then(|v| v.get("oneOf"))
            .and_then(|v| v.as_array())
            .map(|refs| {
                refs.iter()
                    .filter_map(|r| r.get("$ref")?.as_str())
                    .filter_map(|r| r.strip_prefix(SCHEMA_PREFIX))
                    .map(|token| unescape(token).into_owned())
                    .collect()
            })
            .unwrap_or_default();
        StripeExt {
            resource_id: ext
                .get("x-resourceId")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            expansion_resources,
        }
    }
}

/// A schema after `$ref` lookup: the schema and, when it came through a
/// reference, the component name it was found under.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'a> {
    pub name: Option<&'a str>,
    pub schema: &'a Schema,
}

/// A value of the spec, kept as the range of its JSON text until it is
/// first asked for, then typed once. Boxed: an untyped entry then costs a
/// pointer, not the 944 bytes of an `openapiv3::Schema`, which for
/// 100,000 schemas was most of the index's memory.
struct Lazy<T> {
    range: Range<usize>,
    typed: OnceLock<Box<T>>,
}

impl<T: DeserializeOwned> Lazy<T> {
    fn new(range: Range<usize>) -> Self {
        Lazy {
            range,
            typed: OnceLock::new(),
        }
    }

    /// The typed value; `path` (its keys from the root) locates errors.
    fn get(&self, doc: &Document<'_>, path: &[&str]) -> Result<&T, Error> {
        if let Some(typed) = self.typed.get() {
            return Ok(typed);
        }
        let typed = Box::new(doc.typed(self.range.clone(), path)?);
        Ok(self.typed.get_or_init(|| typed))
    }
}

/// A lazily typed section of the spec, by key in spec order.
type Section<T> = IndexMap<String, Lazy<ReferenceOr<T>>>;

/// The spec plus lookup helpers. Schemas, path items, parameters and
/// request bodies are typed into `openapiv3` on first use: a portion pays
/// for the part of the spec it selects, not for all of it.
pub struct Spec<'t> {
    doc: Document<'t>,
    version: String,
    schemas: Section<Schema>,
    paths: Section<PathItem>,
    parameters: Section<Parameter>,
    request_bodies: Section<RequestBody>,
}

/// Counts only: the spec's text is long.
impl fmt::Debug for Spec<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spec")
            .field("api_version", &self.version)
            .field("schemas", &self.schemas.len())
            .field("paths", &self.paths.len())
            .finish_non_exhaustive()
    }
}

/// What selection reads of every schema, without typing the schema.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "$ref")]
    reference: Option<serde_json::Value>,
    #[serde(rename = "x-resourceId")]
    resource_id: Option<serde_json::Value>,
}

impl<'t> Spec<'t> {
    /// Indexes a loaded document, typing only `openapi` and `info`.
    pub(crate) fn index(doc: Document<'t>) -> Result<Self, Error> {
        let skeleton = doc.skeleton()?;
        let _: String = doc.typed(skeleton.openapi, &["openapi"])?;
        let info: openapiv3::Info = doc.typed(skeleton.info, &["info"])?;
        fn section<T: DeserializeOwned>(map: IndexMap<String, Range<usize>>) -> Section<T> {
            map.into_iter().map(|(k, r)| (k, Lazy::new(r))).collect()
        }
        // openapiv3 reads `x-` keys of `paths` as extensions, not paths.
        let mut paths = skeleton.paths;
        paths.retain(|path, _| !path.starts_with("x-"));
        let components = skeleton.components;
        let (schemas, parameters, request_bodies) = match components {
            Some(c) => (c.schemas, c.parameters, c.request_bodies),
            None => Default::default(),
        };
        Ok(Spec {
            doc,
            version: info.version,
            schemas: section(schemas),
            paths: section(paths),
            parameters: section(parameters),
            request_bodies: section(request_bodies),
        })
    }

    /// The Stripe API version the spec describes (`info.version`).
    pub fn api_version(&self) -> &str {
        &self.version
    }

    /// Looks up a component schema by name, typing it on first use.
    pub fn component(&self, name: &str) -> Result<Option<&ReferenceOr<Schema>>, Error> {
        let Some(lazy) = self.schemas.get(name) else {
            return Ok(None);
        };
        lazy.get(&self.doc, &["components", "schemas", name])
            .map(Some)
    }

    /// A component schema the selection has already typed (every schema
    /// it selected), or `None`.
    pub fn selected_component(&self, name: &str) -> Option<&ReferenceOr<Schema>> {
        self.schemas.get(name)?.typed.get().map(Box::as_ref)
    }

    /// Names of all component schemas, in spec order.
    pub fn component_names(&self) -> impl Iterator<Item = &str> {
        self.schemas.keys().map(String::as_str)
    }

    /// The `x-resourceId` of a component schema that is not a `$ref`,
    /// read without typing the whole schema.
    pub fn resource_id(&self, name: &str) -> Result<Option<String>, Error> {
        let Some(lazy) = self.schemas.get(name) else {
            return Ok(None);
        };
        if let Some(typed) = lazy.typed.get() {
            return Ok(typed
                .as_item()
                .and_then(|s| StripeExt::of(&s.schema_data).resource_id));
        }
        let Ok(head) = serde_json::from_str::<Head>(&self.doc.json()[lazy.range.clone()]) else {
            // Not even a mapping: typing it reports why, with its position.
            return Ok(self
                .component(name)?
                .and_then(ReferenceOr::as_item)
                .and_then(|s| StripeExt::of(&s.schema_data).resource_id));
        };
        // openapiv3 reads a mapping with a string `$ref` as a reference.
        if head.reference.is_some_and(|r| r.is_string()) {
            return Ok(None);
        }
        Ok(head.resource_id.and_then(|v| v.as_str().map(str::to_owned)))
    }

    /// The spec's paths, in spec order.
    pub fn path_names(&self) -> impl Iterator<Item = &str> {
        self.paths.keys().map(String::as_str)
    }

    /// A path item, typed on first use.
    pub fn path_item(&self, path: &str) -> Result<Option<&ReferenceOr<PathItem>>, Error> {
        let Some(lazy) = self.paths.get(path) else {
            return Ok(None);
        };
        lazy.get(&self.doc, &["paths", path]).map(Some)
    }

    /// The component name a `$ref` string points at (`~1` read back as
    /// `/`), or an error naming `at`.
    pub fn ref_name<'r>(reference: &'r str, at: &Pointer) -> Result<Cow<'r, str>, Error> {
        reference
            .strip_prefix(SCHEMA_PREFIX)
            .map(unescape)
            .ok_or_else(|| Error::MissingRef {
                pointer: at.to_string(),
                target: reference.to_owned(),
            })
    }

    /// Resolves a schema reference, following `$ref` chains between components.
    pub fn schema<'a, S>(
        &'a self,
        item: &'a ReferenceOr<S>,
        at: &Pointer,
    ) -> Result<Resolved<'a>, Error>
    where
        S: Borrow<Schema>,
    {
        match item {
            ReferenceOr::Item(schema) => Ok(Resolved {
                name: None,
                schema: schema.borrow(),
            }),
            ReferenceOr::Reference { reference } => self.named_schema(reference, at),
        }
    }

    /// Resolves a `$ref` string to a component schema.
    pub fn named_schema<'a>(
        &'a self,
        reference: &str,
        at: &Pointer,
    ) -> Result<Resolved<'a>, Error> {
        let mut target = reference;
        // A chain longer than the number of schemas must be a cycle of pure references.
        let limit = self.schemas.len() + 1;
        for _ in 0..limit {
            let name = Self::ref_name(target, at)?;
            let missing = || Error::MissingRef {
                pointer: at.to_string(),
                target: target.to_owned(),
            };
            let (key, _) = self.schemas.get_key_value(&*name).ok_or_else(missing)?;
            let found = self.component(key)?.ok_or_else(missing)?;
            match found {
                ReferenceOr::Item(schema) => {
                    return Ok(Resolved {
                        name: Some(key.as_str()),
                        schema,
                    })
                }
                ReferenceOr::Reference { reference } => target = reference,
            }
        }
        Err(Error::unsupported(
            at,
            format!("`{reference}` is a cycle of references"),
        ))
    }

    /// Resolves a parameter, which Stripe inlines but the format allows to reference.
    pub fn parameter<'a>(
        &'a self,
        item: &'a ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Result<&'a Parameter, Error> {
        self.resolve_in(item, "parameters", &self.parameters, at)
    }

    /// Resolves a request body the same way.
    pub fn request_body<'a>(
        &'a self,
        item: &'a ReferenceOr<RequestBody>,
        at: &Pointer,
    ) -> Result<&'a RequestBody, Error> {
        self.resolve_in(item, "requestBodies", &self.request_bodies, at)
    }

    /// Resolves an item that may be a one-level `$ref` into the components
    /// section `section`.
    fn resolve_in<'a, T: DeserializeOwned>(
        &'a self,
        item: &'a ReferenceOr<T>,
        section: &str,
        components: &'a Section<T>,
        at: &Pointer,
    ) -> Result<&'a T, Error> {
        let reference = match item {
            ReferenceOr::Item(found) => return Ok(found),
            ReferenceOr::Reference { reference } => reference,
        };
        let missing = || Error::MissingRef {
            pointer: at.to_string(),
            target: reference.clone(),
        };
        let prefix = format!("#/components/{section}/");
        let name = unescape(reference.strip_prefix(&prefix).ok_or_else(missing)?);
        let lazy = components.get(&*name).ok_or_else(missing)?;
        let found = lazy.get(&self.doc, &["components", section, &name])?;
        found.as_item().ok_or_else(missing)
    }
}

/// The component names a schema refers to directly (not transitively),
/// each with the pointer of the place that refers to it.
pub fn direct_refs(schema: &Schema, at: &Pointer, out: &mut Vec<(String, Pointer)>) {
    use openapiv3::{SchemaKind, Type};
    let visit = |item: &ReferenceOr<Box<Schema>>, at: Pointer, out: &mut Vec<_>| match item {
        ReferenceOr::Reference { reference } => out.push((reference.clone(), at)),
        ReferenceOr::Item(s) => direct_refs(s, &at, out),
    };
    for name in StripeExt::of(&schema.schema_data).expansion_resources {
        out.push((
            format!("{SCHEMA_PREFIX}{}", escape(&name)),
            at.push("x-expansionResources"),
        ));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => {
            for (name, prop) in &obj.properties {
                visit(prop, at.push("properties").push(name), out);
            }
            if let Some(openapiv3::AdditionalProperties::Schema(s)) = &obj.additional_properties {
                match s.as_ref() {
                    ReferenceOr::Reference { reference } => {
                        out.push((reference.clone(), at.push("additionalProperties")))
                    }
                    ReferenceOr::Item(s) => direct_refs(s, &at.push("additionalProperties"), out),
                }
            }
        }
        SchemaKind::Type(Type::Array(arr)) => {
            if let Some(items) = &arr.items {
                visit(items, at.push("items"), out);
            }
        }
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list }
        | SchemaKind::AllOf { all_of: list } => {
            let key = match &schema.schema_kind {
                SchemaKind::OneOf { .. } => "oneOf",
                SchemaKind::AnyOf { .. } => "anyOf",
                _ => "allOf",
            };
            for (i, item) in list.iter().enumerate() {
                let here = at.push(key).push(i);
                match item {
                    ReferenceOr::Reference { reference } => out.push((reference.clone(), here)),
                    ReferenceOr::Item(s) => direct_refs(s, &here, out),
                }
            }
        }
        SchemaKind::Not { not } => {
            if let ReferenceOr::Item(s) = not.as_ref() {
                direct_refs(s, &at.push("not"), out);
            }
        }
        SchemaKind::Type(_) | SchemaKind::Any(_) => {}
    }
}

/// The item schema of Stripe's list envelope (`object: [list]`, `data: [...]`).
pub fn list_item(schema: &ReferenceOr<Schema>) -> Option<&ReferenceOr<Box<Schema>>> {
    let ReferenceOr::Item(schema) = schema else {
        return None;
    };
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    let is_list = match object.properties.get("object")? {
        ReferenceOr::Item(s) => {
            matches!(&s.schema_kind, SchemaKind::Type(Type::String(e)) if e.enumeration == [Some("list".to_owned())])
        }
        ReferenceOr::Reference { .. } => false,
    };
    let ReferenceOr::Item(data) = object.properties.get("data")? else {
        return None;
    };
    match (&data.schema_kind, is_list) {
        (SchemaKind::Type(Type::Array(array)), true) => array.items.as_ref(),
        _ => None,
    }
}

/// A JSON pointer token as a `$ref` writes it (`a~1b`), read back as the
/// name it stands for (`a/b`), as RFC 6901 says: `~1` first, then `~0`.
fn unescape(token: &str) -> Cow<'_, str> {
    match token.contains('~') {
        true => Cow::Owned(token.replace("~1", "/").replace("~0", "~")),
        false => Cow::Borrowed(token),
    }
}

/// A component name as a JSON pointer token (`a/b` as `a~1b`).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests;
