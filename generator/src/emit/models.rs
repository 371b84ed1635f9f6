//! Structs, unions and typed ids.

use super::tokens::{doc, doc_or, ident, rust_type, Module};
use crate::ir::{Field, IdDef, Ir, StructDef, TypeId, UnionDef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// How a struct is used, which decides what users may do with it.
#[derive(Clone, Copy)]
pub struct Usage {
    /// Sent in requests: users build it, so it stays open (no
    /// `non_exhaustive`) and derives `Default` when every field is optional.
    pub request: bool,
    /// Decoded by a hand-made `Deserialize` (the event envelope and its
    /// `data`), so it must not derive one.
    pub custom_deserialize: bool,
}

pub fn structure(ir: &Ir, def: &StructDef, usage: Usage) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(def.docs.as_deref(), &format!("The `{}` object.", def.name));
    let fields = def.fields.iter().map(|f| field(ir, f));
    let redacts = def.fields.iter().any(|f| f.secret);
    let all_optional = def.fields.iter().all(Field::optional);
    let mut derives = vec![quote!(Clone)];
    if !redacts {
        derives.push(quote!(Debug));
    }
    if usage.request && all_optional {
        derives.push(quote!(Default));
    }
    derives.extend([quote!(PartialEq), quote!(serde::Serialize)]);
    // Request types are only ever sent; Stripe never returns them.
    if !usage.request && !usage.custom_deserialize {
        derives.push(quote!(serde::Deserialize));
    }
    // Response structs are non-exhaustive: Stripe adds fields, and a new
    // field must not break users who match on or build the struct.
    let exhaustive = (!usage.request).then(|| quote!(#[non_exhaustive]));
    let debug = redacts.then(|| redacted_debug(def));
    let object = object_impl(ir, def);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #exhaustive
        pub struct #name {
            #(#fields)*
        }
        #debug
        #object
    }
}

fn field(ir: &Ir, f: &Field) -> TokenStream {
    let docs = doc_or(f.docs.as_deref(), &format!("The `{}` field.", f.wire_name));
    field_tokens(f, rust_type(ir, f.ty, Module::Models), docs)
}

/// A struct field of type `ty` (boxed and made optional as the field says),
/// with its serde attributes and `docs`.
pub fn field_tokens(f: &Field, mut ty: TokenStream, docs: TokenStream) -> TokenStream {
    let name = ident(&f.rust_name);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let rename = (f.rust_name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    if f.optional() {
        quote! {
            #docs
            #rename
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        }
    } else {
        quote!(#docs #rename pub #name: #ty,)
    }
}

/// `Debug` that prints `[redacted]` for fields Stripe says never to log.
fn redacted_debug(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let entries = def.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.rust_name), &f.rust_name);
        match (f.secret, f.optional()) {
            (false, _) => quote!(.field(#wire, &self.#fname)),
            (true, true) => quote!(.field(#wire, &self.#fname.as_ref().map(|_| "[redacted]"))),
            (true, false) => quote!(.field(#wire, &"[redacted]")),
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// `Object` for resources whose `id` is a required typed id.
fn object_impl(ir: &Ir, def: &StructDef) -> Option<TokenStream> {
    let resource = def.resource.as_ref()?;
    let id_field = def.fields.iter().find(|f| f.wire_name == "id")?;
    if id_field.ty != resource.id_type || id_field.optional() {
        return None;
    }
    let name = ident(&def.name);
    let id_type = rust_type(ir, resource.id_type, Module::Models);
    let object = &resource.object;
    let field = ident(&id_field.rust_name);
    Some(quote! {
        impl crate::Object for #name {
            type Id = #id_type;
            const OBJECT: &'static str = #object;
            fn id(&self) -> &Self::Id {
                &self.#field
            }
        }
    })
}

/// An untagged enum; `From` for each variant whose type no other variant shares.
pub fn union(ir: &Ir, def: &UnionDef, usage: Usage) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(
        def.docs.as_deref(),
        &format!("One of the shapes `{}` can take.", def.name),
    );
    let variants = def.variants.iter().map(|(v, ty)| {
        let (vname, ty) = (ident(v), rust_type(ir, *ty, Module::Models));
        let vdoc = doc(&format!("The `{v}` form."));
        quote!(#vdoc #vname(#ty),)
    });
    let mut seen = BTreeSet::new();
    let distinct: Vec<&(String, TypeId)> = def
        .variants
        .iter()
        .filter(|(_, ty)| {
            def.variants.iter().filter(|(_, t)| t == ty).count() == 1 && seen.insert(*ty)
        })
        .collect();
    let froms = distinct.iter().map(|(v, ty)| {
        let (vname, ty) = (ident(v), rust_type(ir, *ty, Module::Models));
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#vname(value)
                }
            }
        }
    });
    let deserialize = (!usage.request).then(|| quote!(serde::Deserialize));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, serde::Serialize, #deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
        #(#froms)*
    }
}

pub fn id(def: &IdDef) -> TokenStream {
    let name = ident(&def.name);
    let prefix = &def.prefix;
    let docs = doc(&format!(
        "The id of a `{}` object{}.",
        def.object,
        if prefix.is_empty() {
            String::new()
        } else {
            format!(", which starts with `{prefix}`")
        }
    ));
    quote! {
        stripe_id! {
            #docs
            #name, #prefix
        }
    }
}
