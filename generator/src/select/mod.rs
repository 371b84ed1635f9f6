//! Selection: which operations and schemas of the whole spec form a portion.

pub mod events;

use crate::spec::{direct_refs, Pointer, Spec};
use crate::{Error, Portion};
use openapiv3::{ReferenceOr, StatusCode};
use std::collections::{BTreeMap, BTreeSet};

/// An HTTP method the generator knows how to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Delete => "delete",
        }
    }
}

/// The selected part of a spec.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// Selected operations, sorted by path and method.
    pub operations: Vec<(String, Method, &'a openapiv3::Operation)>,
    /// Component schemas that become Rust types.
    pub schemas: BTreeSet<String>,
    /// The portion's webhook event types, sorted (empty when it has none).
    pub event_types: Vec<String>,
    /// The component schema of the event envelope, when there are event types.
    pub event_schema: Option<String>,
}

impl Selection<'_> {
    /// True when a reference to `name` should become a Rust type; false
    /// means the reference was cut and becomes opaque JSON.
    pub fn contains(&self, name: &str) -> bool {
        self.schemas.contains(name)
    }
}

/// Selects the portion: its operations, its namespace's schemas, everything
/// they reach, and the error envelope (whose outward references are cut).
pub fn select<'a>(spec: &'a Spec<'_>, portion: &Portion) -> Result<Selection<'a>, Error> {
    let all = all_operations(spec)?;
    let events = events::select(spec, &all, &portion.schema_namespace)?;
    let mut operations = operations(&all, portion);
    operations.extend(events.operations.iter().cloned());
    operations.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    operations.dedup_by(|a, b| (&a.0, a.1) == (&b.0, b.1));
    let mut roots: Vec<(String, Pointer)> = spec
        .component_names()
        .filter(|n| n.starts_with(&portion.schema_namespace))
        .map(|n| (format!("#/components/schemas/{n}"), Pointer::schema(n)))
        .collect();
    for (path, method, op) in &operations {
        operation_refs(
            spec,
            op,
            &Pointer::path(path).push(method.as_str()),
            &mut roots,
        )?;
    }
    // The envelope is selected with the event types even where no
    // operation returns it: webhooks deliver it all the same.
    if let Some(event) = &events.schema {
        roots.push((
            format!("#/components/schemas/{event}"),
            Pointer::schema(event),
        ));
    }
    if roots.is_empty() && operations.is_empty() {
        return Err(Error::EmptyPortion {
            portion: portion.name.clone(),
            api_version: spec.api_version().to_owned(),
        });
    }
    let mut schemas = closure(spec, roots)?;
    add_error_envelope(spec, portion, &mut schemas)?;
    Ok(Selection {
        operations,
        schemas,
        event_types: events.types,
        event_schema: events.schema,
    })
}

/// The portion's operations: those under its path prefix, sorted by path and method.
fn operations<'a>(
    all: &[Operation<'a>],
    portion: &Portion,
) -> Vec<(String, Method, &'a openapiv3::Operation)> {
    let mut out: Vec<_> = all
        .iter()
        .filter(|(path, _, _)| path.starts_with(&portion.path_prefix))
        .map(|&(path, method, op)| (path.to_owned(), method, op))
        .collect();
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    out
}

/// An operation of the spec: its path, method and definition.
type Operation<'a> = (&'a str, Method, &'a openapiv3::Operation);

/// Every operation of the spec with a method the generator calls, in spec
/// order. Every path item is typed: events are found among all of them.
fn all_operations<'a>(spec: &'a Spec<'_>) -> Result<Vec<Operation<'a>>, Error> {
    let mut out = Vec::new();
    for path in spec.path_names() {
        let Some(ReferenceOr::Item(item)) = spec.path_item(path)? else {
            continue;
        };
        // Only the methods Stripe's API uses; it has no PUT, PATCH or HEAD.
        let methods = [
            (Method::Get, &item.get),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
        ];
        for (method, op) in methods {
            if let Some(op) = op {
                out.push((path, method, op));
            }
        }
    }
    Ok(out)
}

/// References from an operation's parameters, body and success responses.
/// Error responses are left out on purpose: they are the envelope, added
/// separately with its outward references cut.
fn operation_refs(
    spec: &Spec<'_>,
    op: &openapiv3::Operation,
    at: &Pointer,
    out: &mut Vec<(String, Pointer)>,
) -> Result<(), Error> {
    let mut schemas = Vec::new();
    for (i, p) in op.parameters.iter().enumerate() {
        let here = at.push("parameters").push(i);
        if let openapiv3::ParameterSchemaOrContent::Schema(s) =
            &spec.parameter(p, &here)?.parameter_data_ref().format
        {
            schemas.push((s, here.push("schema")));
        }
    }
    if let Some(body) = &op.request_body {
        let here = at.push("requestBody");
        for (mime, media) in &spec.request_body(body, &here)?.content {
            if let Some(s) = &media.schema {
                schemas.push((s, here.push("content").push(mime).push("schema")));
            }
        }
    }
    for (status, response) in &op.responses.responses {
        let (StatusCode::Code(200..=299), ReferenceOr::Item(response)) = (status, response) else {
            continue;
        };
        let here = at.push("responses").push(status);
        for (mime, media) in &response.content {
            if let Some(s) = &media.schema {
                schemas.push((s, here.push("content").push(mime).push("schema")));
            }
        }
    }
    for (schema, here) in schemas {
        match schema {
            ReferenceOr::Reference { reference } => out.push((reference.clone(), here)),
            ReferenceOr::Item(s) => direct_refs(s, &here, out),
        }
    }
    Ok(())
}

/// Every component reachable from `roots`. A reference that does not
/// resolve is an error naming the pointer that made it.
fn closure(
    spec: &Spec<'_>,
    mut pending: Vec<(String, Pointer)>,
) -> Result<BTreeSet<String>, Error> {
    let mut seen = BTreeSet::new();
    while let Some((reference, at)) = pending.pop() {
        let name = Spec::ref_name(&reference, &at)?;
        if seen.contains(&*name) {
            continue;
        }
        let resolved = spec.named_schema(&reference, &at)?;
        seen.insert(name.to_string());
        let name = resolved.name.unwrap_or(&name);
        seen.insert(name.to_owned());
        direct_refs(resolved.schema, &Pointer::schema(name), &mut pending);
    }
    Ok(seen)
}

/// Adds the error schema and the schemas it references directly.
fn add_error_envelope(
    spec: &Spec<'_>,
    portion: &Portion,
    schemas: &mut BTreeSet<String>,
) -> Result<(), Error> {
    let at = Pointer::schema(&portion.error_schema);
    let Some(error) = spec.component(&portion.error_schema)? else {
        // A spec without an error schema still converts, so a changelog
        // can compare it; `generate` refuses it, because the client
        // runtime decodes every error response as `models::Error`.
        return Ok(());
    };
    let error = spec.schema(error, &at)?;
    schemas.insert(portion.error_schema.clone());
    let mut direct = Vec::new();
    direct_refs(error.schema, &at, &mut direct);
    let mut named = BTreeMap::new();
    for (reference, here) in direct {
        let name = Spec::ref_name(&reference, &here)?;
        spec.named_schema(&reference, &here)?;
        named.insert(name.into_owned(), here);
    }
    schemas.extend(named.into_keys());
    Ok(())
}
