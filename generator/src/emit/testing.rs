//! The test double's spec-derived data (`stripe_identity::testing`, behind
//! the crate's `testing` feature): what each operation accepts and returns,
//! written out as plain static data for the hand-written double under
//! `templates/src/testing/` to check requests against and to build objects
//! from, and a `fake()` constructor per response struct.
//!
//! Nothing here is per operation by hand: the double's request checking is
//! generic over [`shape`] tables made from the IR, so a new parameter, enum
//! value or operation in a later spec is checked after regeneration.
//!
//! The double itself drives the Identity lifecycle and names the Identity
//! types in its typed control API, so the feature is emitted only for a
//! portion that has them ([`supported`]); other portions get neither the
//! module nor the feature (the templates' `Cargo.toml` block between
//! [`FEATURE_BEGIN`] and [`FEATURE_END`] is cut).

use super::tokens::{doc, ident};
use super::Piece;
use crate::ir::{
    EventPayloadDef, Events, Field, Ir, Operation, Param, Primitive, Response, StructDef, TypeId,
    TypeKind,
};
use proc_macro2::TokenStream;
use quote::quote;

/// First line of the `testing` feature's block in `templates/Cargo.toml`.
pub const FEATURE_BEGIN: &str = "# begin feature testing";
/// Last line of that block.
pub const FEATURE_END: &str = "# end feature testing";
/// The directory of the double's hand-written modules in `templates/`.
pub const TEMPLATE_DIR: &str = "src/testing/";

/// Stripe's documented range for a list's `limit` ("Limit can range between
/// 1 and 100", in the spec's own description of the parameter); the schema
/// itself carries no bounds.
const LIST_LIMIT: (i64, i64) = (1, 100);

/// The named items of the generated crate that the hand-written double in
/// `templates/src/testing/` uses by name (its typed control API and event
/// decoding), with the kind each must be. The feature is emitted only when
/// every one exists, so the double always compiles.
const REQUIRED: [(&str, Kind); 8] = [
    (
        "VerificationSession",
        Kind::Resource("identity.verification_session"),
    ),
    (
        "VerificationReport",
        Kind::Resource("identity.verification_report"),
    ),
    ("Event", Kind::Resource("event")),
    ("VerificationSessionId", Kind::Id),
    ("VerificationReportId", Kind::Id),
    ("EventId", Kind::Id),
    ("VerificationSessionLastErrorCode", Kind::Enum),
    ("EventPayload", Kind::Payload),
];

#[derive(Clone, Copy)]
enum Kind {
    Resource(&'static str),
    Id,
    Enum,
    Payload,
}

/// Whether the portion has what the double drives: the Identity resources,
/// their ids, the session's error codes and the event payload.
pub fn supported(ir: &Ir) -> bool {
    REQUIRED.iter().all(|(name, kind)| {
        ir.ids().any(|id| match (&ir.get(id).kind, kind) {
            (TypeKind::Struct(s), Kind::Resource(object)) => {
                s.name == *name && s.resource.as_ref().is_some_and(|r| r.object == *object)
            }
            (TypeKind::Id(def), Kind::Id) => def.name == *name,
            (TypeKind::Enum(def), Kind::Enum) => def.name == *name,
            (TypeKind::EventPayload(def), Kind::Payload) => def.name == *name,
            _ => false,
        })
    })
}

/// The generated files of the double: the spec table and the fakes.
pub fn files(ir: &Ir) -> Vec<(String, Vec<Piece<'_>>)> {
    let shapes = shaped_types(ir);
    let fakes = fake_structs(ir);
    let spec_head: Piece<'_> = Box::new(|| {
        quote! {
            //! What every operation of the API accepts and returns, and every
            //! event type, as plain data made from Stripe's OpenAPI spec by the
            //! generator: the test double checks requests and builds objects
            //! from it. A static per named type of the spec, by its Rust name.
            #![allow(non_upper_case_globals)]
            use super::shape::{
                EventType, FieldShape, Method, OperationSpec, PathParam, ResponseShape, Shape,
                StructShape,
            };
        }
    });
    let mut spec: Vec<Piece<'_>> = vec![spec_head];
    spec.push(Box::new(move || operations(ir)));
    spec.push(Box::new(move || event_types(ir)));
    for id in shapes {
        spec.push(Box::new(move || shape_static(ir, id)));
    }
    let fakes_head: Piece<'_> = Box::new(|| {
        quote! {
            //! A `fake()` constructor for every object the API returns: valid
            //! defaults made from the spec (see `testing::objects`), every
            //! field public to change afterwards.
        }
    });
    let mut fake_pieces: Vec<Piece<'_>> = vec![fakes_head];
    for &id in &fakes {
        fake_pieces.push(Box::new(move || fake(ir, id)));
    }
    let fakes_for_test = fakes.clone();
    fake_pieces.push(Box::new(move || fakes_test(ir, &fakes_for_test)));
    vec![
        ("src/testing/spec.rs".to_owned(), spec),
        ("src/testing/fakes.rs".to_owned(), fake_pieces),
    ]
}

/// Response structs, which get a `fake()`: every struct users receive,
/// but the event's `data`, which only decodes inside its envelope (make it
/// with `Event::fake_for`).
fn fake_structs(ir: &Ir) -> Vec<TypeId> {
    let data = ir.events.map(|e| e.data);
    let mut named: Vec<(&str, TypeId)> = ir
        .ids()
        .filter(|id| !ir.usage(*id).request_only() && Some(*id) != data)
        .filter_map(|id| match &ir.get(id).kind {
            TypeKind::Struct(s) => Some((s.name.as_str(), id)),
            _ => None,
        })
        .collect();
    named.sort();
    named.into_iter().map(|(_, id)| id).collect()
}

/// Named types that get a static: every one reachable from the operations
/// and the fakes, in name order.
fn shaped_types(ir: &Ir) -> Vec<TypeId> {
    let mut pending: Vec<TypeId> = fake_structs(ir);
    for op in &ir.operations {
        pending.extend(op.params.iter().chain(&op.path_params).map(|p| p.ty));
        pending.push(match op.response {
            Response::Object(ty) | Response::List(ty) => ty,
        });
    }
    let mut seen = vec![false; ir.types.len()];
    while let Some(id) = pending.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        pending.extend(ir.children(id).map(|c| c.ty));
    }
    let mut named: Vec<(&str, TypeId)> = ir
        .ids()
        .filter(|id| seen[id.0] && has_static(ir, *id))
        .filter_map(|id| ir.name(id).map(|name| (name, id)))
        .collect();
    named.sort();
    named.into_iter().map(|(_, id)| id).collect()
}

/// Named shapes get a static of their own (so recursive types close on
/// themselves); anonymous ones are written inline.
fn has_static(ir: &Ir, id: TypeId) -> bool {
    matches!(
        ir.get(id).kind,
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Id(_)
    )
}

/// A reference to the shape of `id`: its static, or an inline value.
fn shape_ref(ir: &Ir, id: TypeId) -> TokenStream {
    if has_static(ir, id) {
        let name = ident(ir.name(id).unwrap_or_default());
        return quote!(&#name);
    }
    let inner = |ty: TypeId| shape_ref(ir, ty);
    match &ir.get(id).kind {
        TypeKind::Primitive(p) => primitive(*p, None),
        TypeKind::Array(t) => {
            let t = inner(*t);
            quote!(&Shape::Array(#t))
        }
        TypeKind::Map(t) => {
            let t = inner(*t);
            quote!(&Shape::Map(#t))
        }
        TypeKind::Expandable(t) => {
            let t = inner(*t);
            quote!(&Shape::Expandable(#t))
        }
        TypeKind::Emptyable(t) => {
            let t = inner(*t);
            quote!(&Shape::Emptyable(#t))
        }
        TypeKind::Json => quote!(&Shape::Json),
        TypeKind::EventPayload(_) => quote!(&Shape::EventObject),
        // Named kinds have statics (above).
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Id(_) => {
            quote!(&Shape::Json)
        }
    }
}

fn primitive(p: Primitive, bounds: Option<(i64, i64)>) -> TokenStream {
    match (p, bounds) {
        (Primitive::Integer, Some((min, max))) => {
            let (min, max) = (
                proc_macro2::Literal::i64_unsuffixed(min),
                proc_macro2::Literal::i64_unsuffixed(max),
            );
            quote!(&Shape::Integer { min: Some(#min), max: Some(#max) })
        }
        (Primitive::Integer, None) => quote!(&Shape::Integer {
            min: None,
            max: None
        }),
        (Primitive::String, _) => quote!(&Shape::String),
        (Primitive::Number, _) => quote!(&Shape::Number),
        (Primitive::Boolean, _) => quote!(&Shape::Boolean),
        (Primitive::Timestamp, _) => quote!(&Shape::Timestamp),
    }
}

/// The static of one named type.
fn shape_static(ir: &Ir, id: TypeId) -> TokenStream {
    let name = ident(ir.name(id).unwrap_or_default());
    let value = match &ir.get(id).kind {
        TypeKind::Struct(def) => struct_shape(ir, def),
        // The event-type filters are strings in the spec: the crate types
        // them with the event types it knows, but Stripe takes any type,
        // newer ones and `*` wildcards (`identity.verification_session.*`).
        TypeKind::Enum(_) if ir.events.is_some_and(|e| e.event_type == id) => {
            quote!(Shape::String)
        }
        TypeKind::Enum(def) => {
            let values = def.variants.iter().map(|v| &v.wire_name);
            quote!(Shape::Enum(&[#(#values),*]))
        }
        TypeKind::Union(def) => {
            let members = def.variants.iter().map(|(_, ty)| shape_ref(ir, *ty));
            quote!(Shape::Union(&[#(#members),*]))
        }
        TypeKind::Id(def) => {
            let (prefix, object) = (&def.prefix, &def.object);
            quote!(Shape::Id { prefix: #prefix, object: #object })
        }
        _ => return TokenStream::new(),
    };
    let docs = doc(&format!(
        "The shape of `{}`.",
        ir.name(id).unwrap_or_default()
    ));
    quote! {
        #docs
        pub(crate) static #name: Shape = #value;
    }
}

fn struct_shape(ir: &Ir, def: &StructDef) -> TokenStream {
    let name = &def.name;
    let object = match &def.resource {
        Some(resource) => {
            let object = &resource.object;
            quote!(Some(#object))
        }
        None => quote!(None),
    };
    let fields = def.fields.iter().map(|f| field_shape(ir, f));
    quote! {
        Shape::Struct(&StructShape {
            name: #name,
            object: #object,
            fields: &[#(#fields),*],
        })
    }
}

fn field_shape(ir: &Ir, f: &Field) -> TokenStream {
    let (name, required, nullable, sensitive) = (&f.wire_name, f.required, f.nullable, f.sensitive);
    let shape = shape_ref(ir, f.ty);
    quote! {
        FieldShape {
            name: #name,
            required: #required,
            nullable: #nullable,
            sensitive: #sensitive,
            shape: #shape,
        }
    }
}

/// `OPERATIONS`: every operation with its method, path, parameters and
/// response.
fn operations(ir: &Ir) -> TokenStream {
    let ops = ir.operations.iter().map(|op| operation(ir, op));
    quote! {
        /// Every operation of the API, sorted by path and method.
        pub(crate) static OPERATIONS: &[OperationSpec] = &[#(#ops),*];
    }
}

/// One `OperationSpec`.
fn operation(ir: &Ir, op: &Operation) -> TokenStream {
    let (operation_id, path, verb) = (&op.operation_id, &op.path, &op.verb);
    let method = ident(match op.method {
        crate::select::Method::Get => "Get",
        crate::select::Method::Post => "Post",
        crate::select::Method::Delete => "Delete",
    });
    let object = match op.resource.map(|r| &ir.get(r).kind) {
        Some(TypeKind::Struct(StructDef {
            resource: Some(resource),
            ..
        })) => {
            let object = &resource.object;
            quote!(Some(#object))
        }
        _ => quote!(None),
    };
    let path_params = op.path_params.iter().map(|p| {
        let name = &p.wire_name;
        let shape = shape_ref(ir, p.ty);
        quote!(PathParam { name: #name, shape: #shape })
    });
    let params = op.params.iter().map(|p| param(ir, op, p));
    let response = match op.response {
        Response::Object(ty) => {
            let shape = shape_ref(ir, ty);
            quote!(ResponseShape::Object(#shape))
        }
        Response::List(ty) => {
            let shape = shape_ref(ir, ty);
            quote!(ResponseShape::List(#shape))
        }
    };
    quote! {
        OperationSpec {
            operation_id: #operation_id,
            method: Method::#method,
            path: #path,
            verb: #verb,
            object: #object,
            path_params: &[#(#path_params),*],
            params: &[#(#params),*],
            response: #response,
        }
    }
}

/// The `FieldShape` of one query or form parameter. A list's integer
/// `limit` is bounded as Stripe bounds it ([`LIST_LIMIT`]).
fn param(ir: &Ir, op: &Operation, p: &Param) -> TokenStream {
    let (name, required) = (&p.wire_name, p.required);
    let is_limit = matches!(op.response, Response::List(_))
        && p.wire_name == "limit"
        && ir.get(p.ty).kind == TypeKind::Primitive(Primitive::Integer);
    let shape = if is_limit {
        primitive(Primitive::Integer, Some(LIST_LIMIT))
    } else {
        shape_ref(ir, p.ty)
    };
    quote! {
        FieldShape {
            name: #name,
            required: #required,
            nullable: false,
            sensitive: false,
            shape: #shape,
        }
    }
}

/// `EVENT_TYPES`: every event type of the portion with the object it carries.
fn event_types(ir: &Ir) -> TokenStream {
    let events = ir.event_types().iter().filter_map(|v| {
        let TypeKind::Struct(def) = &ir.get(v.object).kind else {
            return None;
        };
        let object = &def.resource.as_ref()?.object;
        let (name, shape) = (&v.wire_name, shape_ref(ir, v.object));
        Some(quote!(EventType { name: #name, object: #object, shape: #shape }))
    });
    quote! {
        /// Every event type of the portion (from the spec's list of webhook
        /// event types) with the resource it carries.
        pub(crate) static EVENT_TYPES: &[EventType] = &[#(#events),*];
    }
}

/// Where the IR's events are, with the payload's definition.
fn events(ir: &Ir) -> Option<(Events, &EventPayloadDef)> {
    let events = ir.events?;
    match &ir.get(events.payload).kind {
        TypeKind::EventPayload(def) => Some((events, def)),
        _ => None,
    }
}

/// `fake()` for one response struct; the event envelope also gets
/// `fake_for(payload)`.
fn fake(ir: &Ir, id: TypeId) -> TokenStream {
    let TypeKind::Struct(def) = &ir.get(id).kind else {
        return TokenStream::new();
    };
    let name = ident(&def.name);
    let docs = doc(&format!(
        "A `{}` with valid defaults made from the spec: required fields set (the first value \
         the spec lists for an enum, zero, an empty string, list or map, an id with the right \
         prefix), nullable ones `None`. Change its public fields to what the test needs.",
        def.name
    ));
    let envelope = events(ir).filter(|(e, _)| e.envelope == id);
    let body = match envelope.and_then(|(_, p)| p.variants.first().map(|v| (p, v))) {
        Some((p, first)) => {
            let (payload, variant) = (ident(&p.name), ident(&first.rust_name));
            let object = ir.name(first.object).map(ident);
            quote!(Self::fake_for(crate::models::#payload::#variant(crate::models::#object::fake())))
        }
        None => quote!(super::objects::fake(&super::spec::#name)),
    };
    let fake_for = envelope.and_then(|(e, p)| fake_for(ir, def, e.data, p));
    quote! {
        impl crate::models::#name {
            #docs
            pub fn fake() -> Self {
                #body
            }
            #fake_for
        }
    }
}

/// `Event::fake_for(payload)`: an event carrying `payload`, its `type` set
/// to the payload's event type.
fn fake_for(
    ir: &Ir,
    envelope: &StructDef,
    data_id: TypeId,
    p: &EventPayloadDef,
) -> Option<TokenStream> {
    let TypeKind::Struct(data) = &ir.get(data_id).kind else {
        return None;
    };
    let field = |def: &StructDef, pick: &dyn Fn(&Field) -> bool| {
        def.fields
            .iter()
            .find(|f| pick(f) && !f.optional())
            .map(|f| ident(&f.rust_name))
    };
    let type_field = field(envelope, &|f| f.wire_name == "type")?;
    let data_field = field(envelope, &|f| f.ty == data_id)?;
    let object_field = field(data, &|f| f.wire_name == "object")?;
    let (payload, envelope_name) = (ident(&p.name), &envelope.name);
    let docs = doc(&format!(
        "A fake `{envelope_name}` (see [`fake`](Self::fake)) carrying `object`, its `type` \
         set to the object's event type."
    ));
    let shape = ident(envelope_name);
    let base = quote!(super::objects::fake::<Self>(&super::spec::#shape));
    Some(quote! {
        #docs
        pub fn fake_for(object: crate::models::#payload) -> Self {
            let mut event = #base;
            event.#type_field = object.event_type();
            event.#data_field.#object_field = object;
            event
        }
    })
}

/// A unit test calling every fake: `fake()` panics when its JSON does not
/// decode, so a fake the spec's shapes cannot build fails the generated
/// crate's own tests.
fn fakes_test(ir: &Ir, fakes: &[TypeId]) -> TokenStream {
    let calls = fakes.iter().filter_map(|id| ir.name(*id)).map(|name| {
        let name = ident(name);
        quote!(let _ = crate::models::#name::fake();)
    });
    quote! {
        #[cfg(test)]
        mod tests {
            /// Every fake decodes into its type (they are built as JSON).
            #[test]
            fn every_fake_decodes() {
                #(#calls)*
            }
        }
    }
}
