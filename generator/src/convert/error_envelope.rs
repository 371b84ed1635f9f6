//! The error envelope the client runtime decodes.
//!
//! `templates/src/client.rs` decodes every error response as
//! `models::Error` and moves its `error` into `ApiError`, whose `Display`
//! (`templates/src/error.rs`) writes the `type`, `code`, `decline_code`,
//! `param` and `message` of `models::ApiErrors`. Those files are written by
//! hand against Stripe's envelope, so a spec whose envelope has another shape
//! (a field renamed, retyped, made required or optional) is refused here with
//! the pointer of what differs, instead of generating a crate that does not
//! compile.

use crate::ir::{Field, Primitive, StructDef, TypeEntry, TypeId, TypeKind};
use crate::spec::Pointer;
use crate::Error;

/// The Rust names the runtime uses for the envelope and its `error` object.
const ENVELOPE: &str = "Error";
const ERROR_OBJECT: &str = "ApiErrors";

/// Optional string fields of the error object that the runtime prints.
const PRINTED: [&str; 4] = ["code", "decline_code", "param", "message"];

/// Checks that the component schema `schema`, converted to `id`, has the
/// shape the runtime decodes.
pub(super) fn check(types: &[TypeEntry], schema: &str, id: TypeId) -> Result<(), Error> {
    let at = Pointer::schema(schema);
    let envelope = named_struct(types, id, ENVELOPE, &at)?;
    let error = field(envelope, "error", &at)?;
    if error.optional() || error.boxed {
        return Err(Error::unsupported(
            &at.push("properties").push("error"),
            "the error envelope's `error` must be required and not nullable",
        ));
    }
    let object = named_struct(
        types,
        error.ty,
        ERROR_OBJECT,
        &at.push("properties").push("error"),
    )?;
    let here = |name: &str| {
        Pointer::schema(schema)
            .push("properties")
            .push("error")
            .push(name)
    };
    let kind = field(object, "type", &here("type"))?;
    if kind.optional() || !matches!(types[kind.ty.0].kind, TypeKind::Enum(_)) {
        return Err(Error::unsupported(
            &here("type"),
            "the error object's `type` must be a required string enum",
        ));
    }
    for name in PRINTED {
        let f = field(object, name, &here(name))?;
        let is_string = matches!(types[f.ty.0].kind, TypeKind::Primitive(Primitive::String));
        if !f.optional() || f.boxed || !is_string || f.rust_name != name {
            return Err(Error::unsupported(
                &here(name),
                format!("the error object's `{name}` must be an optional string"),
            ));
        }
    }
    Ok(())
}

/// The struct `id`, which must be named `name`.
fn named_struct<'a>(
    types: &'a [TypeEntry],
    id: TypeId,
    name: &str,
    at: &Pointer,
) -> Result<&'a StructDef, Error> {
    match &types[id.0].kind {
        TypeKind::Struct(s) if s.name == name => Ok(s),
        _ => Err(Error::unsupported(
            at,
            format!("the error envelope must be an object the client decodes as `{name}`"),
        )),
    }
}

/// The field of `def` with the wire name `wire`.
fn field<'a>(def: &'a StructDef, wire: &str, at: &Pointer) -> Result<&'a Field, Error> {
    let found = def.fields.iter().find(|f| f.wire_name == wire);
    found.ok_or_else(|| {
        Error::unsupported(
            at,
            format!("the error envelope has no `{wire}` property, which the client reads"),
        )
    })
}
