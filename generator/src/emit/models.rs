//! Structs, unions and typed ids.

use super::keep_extras;
use super::tokens::{doc, doc_or, ident, rust_type, Module};
use crate::ir::{Field, IdDef, Ir, StructDef, TypeId, TypeKind, UnionDef};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// What emission makes of a struct or union: its side of the API (from
/// [`crate::ir::Ir::usage`]) and whether another item decodes it.
#[derive(Clone, Copy)]
pub struct Role {
    /// Sent in requests: users build it, so it stays open (no
    /// `non_exhaustive`) and derives `Default` when every field is optional.
    pub request: bool,
    /// Decoded by a hand-made `Deserialize` (the event envelope and its
    /// `data`), so it must not derive one.
    pub custom_deserialize: bool,
}

pub fn structure(ir: &Ir, def: &StructDef, role: Role) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(def.docs.as_deref(), &format!("The `{}` object.", def.name));
    let fields = def.fields.iter().map(|f| field(ir, f));
    // Response structs keep the fields their spec does not know.
    let extra = (!role.request).then(|| extra_ident(def));
    let extra_field = extra
        .as_ref()
        .map(|e| quote!(#[serde(flatten)] #e: crate::ExtraFields,));
    let redacts = def.fields.iter().any(|f| f.sensitive);
    let all_optional = def.fields.iter().all(Field::optional);
    let mut derives = vec![quote!(Clone)];
    let debug = match &extra {
        Some(extra) => Some(debug_impl(def, Some(extra))),
        None if redacts => Some(debug_impl(def, None)),
        None => {
            derives.push(quote!(Debug));
            None
        }
    };
    if role.request && all_optional {
        derives.push(quote!(Default));
    }
    derives.extend([quote!(PartialEq), quote!(serde::Serialize)]);
    // Request types are only ever sent; Stripe never returns them. The event
    // envelope and its `data` get theirs from the event payload's emitter.
    let deserialize = match &extra {
        Some(extra) if !role.custom_deserialize => Some(keep_extras::deserialize(
            &name,
            &def.name,
            &slots(ir, def),
            extra,
        )),
        _ => None,
    };
    let accessors = extra.as_ref().map(|e| extra_accessors(&name, e));
    let setters = role.request.then(|| setters(ir, def));
    // Response structs are non-exhaustive: Stripe adds fields, and a new
    // field must not break users who match on or build the struct.
    let exhaustive = (!role.request).then(|| quote!(#[non_exhaustive]));
    let object = object_impl(ir, def);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #exhaustive
        pub struct #name {
            #(#fields)*
            #extra_field
        }
        #deserialize
        #accessors
        #setters
        #debug
        #object
    }
}

/// Builder setters for the optional fields of a struct users build, each
/// taking anything that converts into the field's type: the plain value
/// for an `Emptyable` field (or `Emptyable::Empty` to clear it), a string
/// slice for a `String`, an array for a `Vec`. Start from `Default` (every
/// field optional) or a struct literal.
fn setters(ir: &Ir, def: &StructDef) -> Option<TokenStream> {
    let optional: Vec<&Field> = def.fields.iter().filter(|f| f.optional()).collect();
    if optional.is_empty() {
        return None;
    }
    let names: Vec<&str> = optional.iter().map(|f| f.rust_name.as_str()).collect();
    let methods = optional
        .iter()
        .zip(naming::model_setters(&names))
        .map(|(f, method)| {
            let (field, method) = (ident(&f.rust_name), ident(&method));
            let ty = rust_type(ir, f.ty, Module::Models);
            let value = match f.boxed {
                true => quote!(Box::new(value.into())),
                false => quote!(value.into()),
            };
            let text = match &ir.get(f.ty).kind {
                TypeKind::Emptyable(_) => format!(
                    "Sets `{}`: the value itself, or [`Emptyable::Empty`](crate::Emptyable::Empty) to clear it.",
                    f.wire_name
                ),
                _ => format!("Sets `{}`.", f.wire_name),
            };
            let docs = doc(&text);
            quote! {
                #docs
                pub fn #method(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(#value);
                    self
                }
            }
        });
    let name = ident(&def.name);
    Some(quote!(impl #name { #(#methods)* }))
}

/// The private field holding a response struct's unknown fields, named so
/// it cannot clash with a field of the spec.
pub fn extra_ident(def: &StructDef) -> proc_macro2::Ident {
    ident(&naming::extra_fields_field(|name| {
        def.fields.iter().any(|f| f.rust_name == name)
    }))
}

/// Every field of `def` as a slot of its own Rust type.
pub fn slots<'a>(ir: &Ir, def: &'a StructDef) -> Vec<keep_extras::Slot<'a>> {
    def.fields
        .iter()
        .map(|field| keep_extras::Slot {
            field,
            ty: rust_type(ir, field.ty, Module::Models),
        })
        .collect()
}

/// `extra_field(name)` and `extra_fields()`: the fields the spec did not know.
fn extra_accessors(name: &proc_macro2::Ident, extra: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl #name {
            /// A field Stripe sent that this crate's spec does not describe,
            /// as JSON, by its wire name (`"provided_details"`): how to read
            /// fields newer than the API version this crate was generated for.
            pub fn extra_field(&self, name: &str) -> Option<&serde_json::Value> {
                self.#extra.get(name)
            }

            /// Every field Stripe sent that this crate's spec does not
            /// describe, by wire name. They are written back on serialization.
            pub fn extra_fields(&self) -> &crate::ExtraFields {
                &self.#extra
            }
        }
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

/// `Debug` that prints `[redacted]` for fields Stripe says never to log and,
/// when the struct keeps unknown fields, only their names.
fn debug_impl(def: &StructDef, extra: Option<&proc_macro2::Ident>) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let entries = def.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.rust_name), &f.rust_name);
        match (f.sensitive, f.optional()) {
            (false, _) => quote!(out.field(#wire, &self.#fname);),
            (true, true) => quote!(out.field(#wire, &self.#fname.as_ref().map(|_| "[redacted]"));),
            (true, false) => quote!(out.field(#wire, &"[redacted]");),
        }
    });
    let extra = extra.map(|extra| {
        quote! {
            if !self.#extra.is_empty() {
                out.field("extra_fields", &self.#extra);
            }
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut out = f.debug_struct(#label);
                #(#entries)*
                #extra
                out.finish()
            }
        }
    }
}

/// `Object` for resources whose `id` is a required typed id.
/// The field that makes a struct a `crate::Object`: a resource's required
/// `id` of the resource's id type. A spec may leave it optional or untyped,
/// and then the struct is no `Object`.
fn object_id(def: &StructDef) -> Option<&Field> {
    let resource = def.resource.as_ref()?;
    let id_field = def.fields.iter().find(|f| f.wire_name == "id")?;
    (id_field.ty == resource.id_type && !id_field.optional()).then_some(id_field)
}

/// Whether the type `id` implements `crate::Object`, as pagination's
/// cursor needs.
pub fn is_object(ir: &Ir, id: TypeId) -> bool {
    matches!(&ir.get(id).kind, TypeKind::Struct(s) if object_id(s).is_some())
}

fn object_impl(ir: &Ir, def: &StructDef) -> Option<TokenStream> {
    let resource = def.resource.as_ref()?;
    let id_field = object_id(def)?;
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
pub fn union(ir: &Ir, def: &UnionDef, role: Role) -> TokenStream {
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
    // Two type ids can be one Rust type (a schema that is only another's
    // shape, `{type: object}` twice), so `From` goes by the Rust type.
    let types: Vec<String> = def
        .variants
        .iter()
        .map(|(_, ty)| rust_type(ir, *ty, Module::Models).to_string())
        .collect();
    let distinct = def
        .variants
        .iter()
        .zip(&types)
        .filter(|(_, ty)| types.iter().filter(|t| t == ty).count() == 1);
    let froms = distinct.map(|((v, ty), _)| {
        let (vname, ty) = (ident(v), rust_type(ir, *ty, Module::Models));
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#vname(value)
                }
            }
        }
    });
    let deserialize = (!role.request).then(|| quote!(serde::Deserialize));
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
