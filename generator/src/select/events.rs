//! Webhook events: which event types belong to a portion, and which
//! operations serve the event resource.
//!
//! Stripe's spec has no schema per event type. The one complete list is the
//! `enabled_events` enum of the webhook endpoint operations (a webhook
//! endpoint subscribes to event types by name), so the portion's event types
//! are the values of that enum under the portion's namespace
//! (`identity.verification_session.verified`). The envelope is the schema
//! whose `x-resourceId` is `event`, and the events API is every operation that
//! returns it or a list of it (`GET /v1/events`, `GET /v1/events/{id}`).

use super::Method;
use crate::spec::{list_item, Pointer, Spec};
use crate::Error;
use openapiv3::{Operation, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use std::collections::BTreeSet;

/// The object name of Stripe's event envelope.
pub const EVENT_OBJECT: &str = "event";

/// The name of the form parameter that lists event types.
const ENABLED_EVENTS: &str = "enabled_events";

/// What a portion selects for its events.
#[derive(Debug, Default)]
pub struct Events<'a> {
    /// Event types under the portion's namespace, sorted.
    pub types: Vec<String>,
    /// The component schema of the event envelope.
    pub schema: Option<String>,
    /// Operations returning the envelope or a list of it, sorted by path and method.
    pub operations: Vec<(String, Method, &'a Operation)>,
}

/// The events a portion selects. A portion with no event type under its
/// namespace selects nothing, not even the envelope.
pub fn select<'a>(
    spec: &'a Spec<'_>,
    all: &[super::Operation<'a>],
    namespace: &str,
) -> Result<Events<'a>, Error> {
    let types: Vec<String> = event_types(spec, all)?
        .into_iter()
        .filter(|t| t.starts_with(namespace))
        .collect();
    if types.is_empty() {
        return Ok(Events::default());
    }
    let Some(schema) = envelope_schema(spec)? else {
        return Ok(Events::default());
    };
    let operations = event_operations(all, &schema);
    Ok(Events {
        types,
        schema: Some(schema),
        operations,
    })
}

/// Every value of every `enabled_events` enum in an operation's form body.
fn event_types(spec: &Spec<'_>, all: &[super::Operation<'_>]) -> Result<BTreeSet<String>, Error> {
    let mut out = BTreeSet::new();
    for &(path, method, op) in all {
        let Some(body) = &op.request_body else {
            continue;
        };
        let at = Pointer::path(path)
            .push(method.as_str())
            .push("requestBody");
        for (mime, media) in &spec.request_body(body, &at)?.content {
            let Some(schema) = &media.schema else {
                continue;
            };
            let here = at.push("content").push(mime).push("schema");
            let body = spec.schema(schema, &here)?.schema;
            let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else {
                continue;
            };
            let Some(property) = object.properties.get(ENABLED_EVENTS) else {
                continue;
            };
            let here = here.push("properties").push(ENABLED_EVENTS);
            let property = spec.schema(property, &here)?.schema;
            if let SchemaKind::Type(Type::Array(array)) = &property.schema_kind {
                if let Some(items) = &array.items {
                    let items = spec.schema(items, &here.push("items"))?.schema;
                    out.extend(string_values(items));
                }
            }
        }
    }
    Ok(out)
}

/// The values of a string enum.
fn string_values(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The component schema that is the event resource, first by name.
fn envelope_schema(spec: &Spec<'_>) -> Result<Option<String>, Error> {
    let mut found: Option<&str> = None;
    for name in spec.component_names() {
        if found.is_some_and(|f| f <= name) {
            continue;
        }
        if spec
            .resource_id(name)?
            .is_some_and(|object| object == EVENT_OBJECT)
        {
            found = Some(name);
        }
    }
    Ok(found.map(str::to_owned))
}

/// GET operations whose 200 response is the envelope, or a list page of it.
fn event_operations<'a>(
    all: &[super::Operation<'a>],
    schema: &str,
) -> Vec<(String, Method, &'a Operation)> {
    let target = format!("#/components/schemas/{schema}");
    all.iter()
        .filter(|(_, method, op)| *method == Method::Get && returns(op, &target))
        .map(|&(path, method, op)| (path.to_owned(), method, op))
        .collect()
}

/// Whether the 200 JSON response is `$ref: target` or Stripe's list
/// envelope of it.
fn returns(op: &Operation, target: &str) -> bool {
    let is_target = |s: &ReferenceOr<Box<Schema>>| matches!(s, ReferenceOr::Reference { reference } if reference == target);
    let Some(ReferenceOr::Item(response)) = op.responses.responses.get(&StatusCode::Code(200))
    else {
        return false;
    };
    match response
        .content
        .get("application/json")
        .and_then(|m| m.schema.as_ref())
    {
        Some(ReferenceOr::Reference { reference }) => reference == target,
        Some(schema) => list_item(schema).is_some_and(is_target),
        None => false,
    }
}
