//! Small token helpers shared by the emitters.

use crate::ir::{Ir, Primitive, TypeId, TypeKind};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier; names come from `naming`, so they are always valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes, one per line, so prettyplease prints `/// line` comments.
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc attributes (`//!`), for a module's own documentation.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Each line with the leading space rustc puts after `///`.
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// A doc attribute from the spec's text, or from a fallback sentence.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc(text.unwrap_or(fallback))
}

/// Which generated module a type expression is written in, so names from
/// the same module stay short.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Models,
    Ids,
    Operations,
}

/// The module a named type lives in.
pub fn home(ir: &Ir, id: TypeId) -> Module {
    match ir.get(id).kind {
        TypeKind::Id(_) => Module::Ids,
        _ => Module::Models,
    }
}

/// The Rust type expression of a type id, as seen from `here`.
pub fn rust_type(ir: &Ir, id: TypeId, here: Module) -> TokenStream {
    match &ir.get(id).kind {
        TypeKind::Primitive(p) => primitive(*p),
        TypeKind::Array(t) => {
            let t = rust_type(ir, *t, here);
            quote!(Vec<#t>)
        }
        TypeKind::Map(t) => {
            let t = rust_type(ir, *t, here);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        TypeKind::Expandable(t) => {
            let t = rust_type(ir, *t, here);
            quote!(crate::Expandable<#t>)
        }
        TypeKind::Emptyable(t) => {
            let t = rust_type(ir, *t, here);
            quote!(crate::Emptyable<#t>)
        }
        TypeKind::Json => quote!(serde_json::Value),
        TypeKind::Struct(_)
        | TypeKind::Enum(_)
        | TypeKind::Union(_)
        | TypeKind::Id(_)
        | TypeKind::EventPayload(_) => {
            let name = ident(ir.name(id).unwrap_or_default());
            match (home(ir, id), here) {
                (a, b) if a == b => quote!(#name),
                (Module::Ids, _) => quote!(crate::ids::#name),
                _ => quote!(crate::models::#name),
            }
        }
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Integer | Primitive::Timestamp => quote!(i64),
        Primitive::Number => quote!(f64),
        Primitive::Boolean => quote!(bool),
    }
}
