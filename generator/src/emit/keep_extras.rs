//! `Deserialize` for response structs that keeps the fields the spec does
//! not know (see the runtime's `extra_fields` module for why).
//!
//! The impl is what serde's derive would write, less the field-identifier
//! enum: a visitor walks the object's keys once, reads each known field into
//! a slot, and collects every other key with its JSON value. Optional fields
//! are `Option<Option<T>>` slots, so an absent field and `null` both end as
//! `None`, as with `#[serde(default)]`.

use super::tokens::ident;
use crate::ir::Field;
use crate::naming;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// One field to read: its IR field and its Rust type before `Box` and `Option`.
pub struct Slot<'a> {
    pub field: &'a Field,
    pub ty: TokenStream,
}

/// `impl Deserialize for #name`, storing unknown fields in `#extra`.
pub fn deserialize(name: &Ident, label: &str, slots: &[Slot<'_>], extra: &Ident) -> TokenStream {
    let declarations = slots.iter().map(declaration);
    let reads = slots.iter().map(|s| {
        let (var, wire) = (var(s.field), &s.field.wire_name);
        quote!(#wire => crate::extra_fields::read(&mut map, &mut #var, #wire)?,)
    });
    let values = slots.iter().map(value);
    let expecting = format!("a `{label}` object");
    let visitor = ident(naming::VISITOR);
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct #visitor;
                impl<'de> serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#declarations)*
                        let mut #extra = crate::ExtraFields::new();
                        while let Some(key) = map.next_key::<crate::extra_fields::Key<'de>>()? {
                            match key.as_str() {
                                #(#reads)*
                                _ => {
                                    let value = map.next_value()?;
                                    #extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        Ok(#name { #(#values)* #extra })
                    }
                }
                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

/// The local variable holding a field's slot (see [`naming::slot_variable`]),
/// prefixed so it can clash neither with the visitor's own names nor with
/// a keyword-escaped field.
fn var(f: &Field) -> Ident {
    ident(&naming::slot_variable(&f.rust_name))
}

fn declaration(slot: &Slot<'_>) -> TokenStream {
    let var = var(slot.field);
    let mut ty = slot.ty.clone();
    if slot.field.boxed {
        ty = quote!(Box<#ty>);
    }
    if slot.field.optional() {
        ty = quote!(Option<#ty>);
    }
    quote!(let mut #var: Option<#ty> = None;)
}

fn value(slot: &Slot<'_>) -> TokenStream {
    let (var, name, wire) = (
        var(slot.field),
        ident(&slot.field.rust_name),
        &slot.field.wire_name,
    );
    if slot.field.optional() {
        quote!(#name: #var.flatten(),)
    } else {
        quote!(#name: crate::extra_fields::required(#var, #wire)?,)
    }
}
