//! Webhook events: the payload enum, and the envelope's `Deserialize`.
//!
//! An event's `type` selects the Rust type of its `data.object`, but Stripe
//! writes `type` after `data`. The envelope is therefore read in one pass
//! into a private mirror whose `data.object` is borrowed raw JSON
//! (`RawValue`: scanned, not built into a tree), and the object is then
//! decoded once, straight into its typed struct. This keeps event decoding
//! close to the speed of decoding the object alone, where going through
//! `serde_json::Value` would build the whole tree first.

use super::keep_extras::{self, Slot};
use super::models;
use super::tokens::{doc, ident, rust_type, Module};
use crate::ir::{EventPayloadDef, Events, Field, Ir, StructDef, TypeId, TypeKind};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// The payload enum with its decoding, `Serialize` and redacting `Debug`,
/// the envelope's `Deserialize`, and `Webhook::construct_event`.
pub fn payload(ir: &Ir, def: &EventPayloadDef) -> TokenStream {
    let Some(events) = ir.events else {
        return TokenStream::new();
    };
    let (Some(envelope), Some(data)) =
        (struct_def(ir, events.envelope), struct_def(ir, events.data))
    else {
        // The converter only makes a payload for a struct envelope with a
        // struct `data`; anything else has no envelope to decode into.
        return TokenStream::new();
    };
    let definition = definition(ir, def, &envelope.name);
    let methods = methods(ir, events, def);
    let traits = traits(def);
    let deserialize = envelope_deserialize(ir, events, def, envelope, data);
    let construct = construct_event(&envelope.name);
    let version = api_version_check(ir, envelope);
    quote! {
        #definition
        #methods
        #traits
        #deserialize
        #construct
        #version
    }
}

fn struct_def(ir: &Ir, id: TypeId) -> Option<&StructDef> {
    match &ir.get(id).kind {
        TypeKind::Struct(def) => Some(def),
        _ => None,
    }
}

fn definition(ir: &Ir, def: &EventPayloadDef, envelope: &str) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let docs = doc(&format!(
        "The object an [`{envelope}`] carries in `data.object`, decoded by the event's `type`.\n\n\
         Each event type this crate knows has a variant holding its object; any other\n\
         type (a newer one, or another part of Stripe's API) lands in\n\
         [`{}::{}`] with its raw JSON, so a new event type never fails to decode.",
        def.name, def.catch_all
    ));
    let variants = def.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let ty = rust_type(ir, v.object, Module::Models);
        let vdoc = doc(&format!("`{}`", v.wire_name));
        quote!(#vdoc #vname(#ty),)
    });
    quote! {
        #docs
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An event type this version of the crate does not know, with its object as sent.
            #catch_all {
                /// The event's `type`, as sent.
                type_: String,
                /// The event's `data.object`, as sent.
                object: serde_json::Value,
            },
        }
    }
}

fn methods(ir: &Ir, events: Events, def: &EventPayloadDef) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let event_type = rust_type(ir, events.event_type, Module::Models);
    // The enum's variants are named like the payload's.
    let to_type = def.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        quote!(Self::#vname(_) => #event_type::#vname,)
    });
    // The envelope has already read its `type` into the enum, so `decode`
    // matches the enum's variants rather than the wire strings a second time.
    let decode = def.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let ty = rust_type(ir, v.object, Module::Models);
        quote!(#event_type::#vname => Self::#vname(crate::json::from_raw::<#ty>(object, "data.object")?),)
    });
    quote! {
        impl #name {
            /// The event type this object was delivered with
            /// (`identity.verification_session.verified`); its `as_str` is the type as sent.
            pub fn event_type(&self) -> #event_type {
                match self {
                    #(#to_type)*
                    Self::#catch_all { type_, .. } => #event_type::from(type_.as_str()),
                }
            }

            /// Decodes `data.object` as the type `event_type` carries.
            fn decode(
                event_type: &#event_type,
                object: &serde_json::value::RawValue,
            ) -> Result<Self, String> {
                Ok(match event_type {
                    #(#decode)*
                    _ => Self::#catch_all {
                        type_: event_type.as_str().to_owned(),
                        object: crate::json::from_raw(object, "data.object")?,
                    },
                })
            }
        }

    }
}

/// `Serialize` writes the object as it would stand alone; `Debug` shows
/// known objects with their own redactions and never the raw JSON of an
/// unknown one, which may hold anything.
fn traits(def: &EventPayloadDef) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let catch_all_label = &def.catch_all;
    let serialize = def.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        quote!(Self::#vname(object) => object.serialize(serializer),)
    });
    let debug = def.variants.iter().map(|v| {
        let (vname, label) = (ident(&v.rust_name), &v.rust_name);
        quote!(Self::#vname(object) => f.debug_tuple(#label).field(object).finish(),)
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                    Self::#catch_all { object, .. } => object.serialize(serializer),
                }
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#debug)*
                    Self::#catch_all { type_, .. } => f
                        .debug_struct(#catch_all_label)
                        .field("type_", type_)
                        .field("object", &"[redacted]")
                        .finish(),
                }
            }
        }
    }
}

/// The envelope's `Deserialize`: a mirror of the envelope and its `data`
/// with `data.object` as raw JSON, then the payload decoded by `type`.
fn envelope_deserialize<'a>(
    ir: &Ir,
    events: Events,
    payload: &EventPayloadDef,
    envelope: &'a StructDef,
    data: &'a StructDef,
) -> TokenStream {
    let id = events.payload;
    let (wire_name, wire_data) = (ident(naming::WIRE_ENVELOPE), ident(naming::WIRE_DATA));
    let wire_slots = |def: &'a StructDef| -> Vec<Slot<'a>> {
        def.fields
            .iter()
            .map(|field| {
                let ty = match field.ty {
                    ty if ty == events.data => quote!(#wire_data),
                    ty if ty == id => quote!(Box<serde_json::value::RawValue>),
                    ty => rust_type(ir, ty, Module::Models),
                };
                Slot { field, ty }
            })
            .collect()
    };
    let field_named = |def: &StructDef, pick: &dyn Fn(&Field) -> bool| {
        def.fields
            .iter()
            .find(|f| pick(f))
            .map(|f| ident(&f.rust_name))
    };
    let (Some(type_field), Some(object_field)) = (
        field_named(envelope, &|f| f.wire_name == "type"),
        field_named(data, &|f| f.ty == id),
    ) else {
        return TokenStream::new();
    };
    let wire = wire_struct(&wire_name, envelope, &wire_slots(envelope));
    let wire_data_struct = wire_struct(&wire_data, data, &wire_slots(data));
    let data_name = ident(&data.name);
    // Not named like the field it fills (`object`), so that the generated
    // initializer is not `object: object`, which clippy flags.
    let data_values = moved_fields(data, quote!(wire.data), id, quote!(decoded));
    let data_value = quote!(#data_name { #(#data_values)* });
    let envelope_values = moved_fields(envelope, quote!(wire), events.data, data_value);
    let (envelope_name, payload_name) = (ident(&envelope.name), ident(&payload.name));
    quote! {
        impl<'de> serde::Deserialize<'de> for #envelope_name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #wire
                #wire_data_struct
                let wire = <#wire_name as serde::Deserialize>::deserialize(deserializer)?;
                let decoded = #payload_name::decode(&wire.#type_field, &wire.data.#object_field)
                    .map_err(serde::de::Error::custom)?;
                Ok(#envelope_name { #(#envelope_values)* })
            }
        }
    }
}

/// A private mirror of `def` with the slots' types, keeping unknown fields
/// in the same field as `def` does.
fn wire_struct(name: &proc_macro2::Ident, def: &StructDef, slots: &[Slot<'_>]) -> TokenStream {
    let extra = models::extra_ident(def);
    let fields = slots.iter().map(|s| {
        let field = ident(&s.field.rust_name);
        let mut ty = s.ty.clone();
        if s.field.boxed {
            ty = quote!(Box<#ty>);
        }
        if s.field.optional() {
            ty = quote!(Option<#ty>);
        }
        quote!(#field: #ty,)
    });
    let deserialize = keep_extras::deserialize(name, &def.name, slots, &extra);
    quote! {
        struct #name {
            #(#fields)*
            #extra: crate::ExtraFields,
        }
        #deserialize
    }
}

/// Field initializers moving each field and the unknown fields out of
/// `from`, except the field of type `special`, which takes `value`.
fn moved_fields(
    def: &StructDef,
    from: TokenStream,
    special: TypeId,
    value: TokenStream,
) -> Vec<TokenStream> {
    def.fields
        .iter()
        .map(|f| {
            let name = ident(&f.rust_name);
            if f.ty == special && f.boxed {
                quote!(#name: Box::new(#value),)
            } else if f.ty == special {
                quote!(#name: #value,)
            } else {
                quote!(#name: #from.#name,)
            }
        })
        .chain(std::iter::once({
            let extra = models::extra_ident(def);
            quote!(#extra: #from.#extra,)
        }))
        .collect()
}

/// `Webhook::construct_event` (and `_at`, with an explicit clock): verify a
/// delivery and decode its event.
fn construct_event(envelope: &str) -> TokenStream {
    let name = ident(envelope);
    let docs = doc(&format!(
        "Verifies a webhook delivery (see [`Webhook::verify`](crate::Webhook::verify)),\n\
         then decodes its body as an [`{envelope}`]."
    ));
    let docs_at = doc(
        "[`construct_event`](crate::Webhook::construct_event) as if the time were `now`\n\
         (unix seconds), for tests and replays of stored deliveries.",
    );
    quote! {
        impl crate::Webhook {
            #docs
            pub fn construct_event(
                &self,
                payload: &[u8],
                signature_header: &str,
            ) -> Result<#name, crate::WebhookError> {
                self.construct(payload, signature_header)
            }

            #docs_at
            pub fn construct_event_at(
                &self,
                payload: &[u8],
                signature_header: &str,
                now: i64,
            ) -> Result<#name, crate::WebhookError> {
                self.construct_at(payload, signature_header, now)
            }
        }
    }
}

/// `Event::api_version_mismatch`: the envelope's `api_version` when it is
/// not the crate's, for a handler to act on. Nothing for an envelope
/// without a string `api_version`.
fn api_version_check(ir: &Ir, envelope: &StructDef) -> Option<TokenStream> {
    let field = envelope.fields.iter().find(|f| {
        f.wire_name == "api_version"
            && matches!(
                ir.get(f.ty).kind,
                TypeKind::Primitive(crate::ir::Primitive::String)
            )
    })?;
    let name = ident(&envelope.name);
    let field_name = ident(&field.rust_name);
    let value = match field.optional() {
        true => quote!(self.#field_name.as_deref()),
        false => quote!(Some(self.#field_name.as_str())),
    };
    let docs = doc(
        "The API version this event's `data.object` was rendered in, when it is not \
         [`API_VERSION`](crate::API_VERSION), the version this crate decodes; `None` when \
         they match or the event does not say.\n\n\
         Stripe renders a webhook endpoint's events in the endpoint's API version (or the \
         account's default). An event of another version decodes as far as its shapes \
         allow: unknown fields and enum values are kept, but a field whose type changed \
         fails to decode. Log or alert on a mismatch, and create the endpoint with this \
         crate's version (the `api_version` parameter when creating it through the API).",
    );
    Some(quote! {
        impl #name {
            #docs
            pub fn api_version_mismatch(&self) -> Option<&str> {
                #value.filter(|version| *version != crate::API_VERSION)
            }
        }
    })
}
