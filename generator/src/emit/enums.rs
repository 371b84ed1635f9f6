//! String enums. Stripe adds enum values without notice, so every enum has a
//! catch-all variant and its serde impls are written by hand: a value the
//! spec did not list deserializes into the catch-all instead of failing.

use super::tokens::{doc, doc_or, ident};
use crate::ir::EnumDef;
use proc_macro2::TokenStream;
use quote::quote;

pub fn string_enum(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(&def.catch_all);
    let docs = doc_or(
        def.docs.as_deref(),
        &format!("The values of `{}`.", def.name),
    );
    let variants = def.variants.iter().map(|v| {
        let vdoc = doc(&format!("`{}`", v.wire_name));
        let vname = ident(&v.rust_name);
        quote!(#vdoc #vname,)
    });
    let to_wire = def.variants.iter().map(|v| {
        let (vname, wire) = (ident(&v.rust_name), &v.wire_name);
        quote!(Self::#vname => #wire,)
    });
    let from_wire = def.variants.iter().map(|v| {
        let (vname, wire) = (ident(&v.rust_name), &v.wire_name);
        quote!(#wire => Self::#vname,)
    });
    let wire_impls = wire_impls(&name);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; the string is kept as sent.
            #catch_all(String),
        }

        impl #name {
            /// The value as Stripe writes it on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#catch_all(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#catch_all(other.to_owned()),
                }
            }
        }

        #wire_impls
    }
}

/// The impls that only go through `as_str` and `From<&str>`, the same for
/// every enum: parsing, `Display` and serde, which read and write the
/// wire string.
fn wire_impls(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}
