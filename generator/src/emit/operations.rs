//! Request types, one per operation, grouped by resource module.
//!
//! A request type holds its path parameters and its query or body
//! parameters. Required ones go in `new`, optional ones get builder methods,
//! and `send` returns the typed response (`send_response` with its
//! status, request id and headers; each has a `_with` form taking
//! `&RequestOptions`). List operations whose items carry an id (`Object`s)
//! also get `paginate` (and `paginate_with`), a stream over every item of
//! every page.
//! `extra_param` adds parameters the spec does not know, sent after the
//! typed ones.

use super::models;
use super::tokens::{doc, ident, inner_doc, rust_type, Module};
use super::Piece;
use crate::ir::{Ir, Operation, Param, PathSegment, Response, TypeId, TypeKind};
use crate::naming::{self, ExtraParamNames, MapSetterNames, RequestNames, RequestParam};
use crate::select::Method;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// One file per resource module: its doc, the resource's shortcuts, then
/// one request type per operation, each a piece of its own.
pub fn modules(ir: &Ir) -> BTreeMap<String, Vec<Piece<'_>>> {
    let mut grouped: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in &ir.operations {
        grouped.entry(op.module.clone()).or_default().push(op);
    }
    grouped
        .into_iter()
        .map(|(module, ops)| {
            let text =
                format!("Operations on `{module}` objects: one request type per API operation.");
            let requests: Vec<Piece<'_>> = ops
                .iter()
                .map(|&op| -> Piece<'_> { Box::new(move || request(ir, op)) })
                .collect();
            let mut pieces: Vec<Piece<'_>> = vec![
                Box::new(move || inner_doc(&text)),
                Box::new(move || resource_methods(ir, &ops).unwrap_or_default()),
            ];
            pieces.extend(requests);
            (module, pieces)
        })
        .collect()
}

/// Associated functions on the resource (`VerificationSession::create(...)`)
/// that start each request, so the verb is where a user looks for it.
fn resource_methods(ir: &Ir, ops: &[&Operation]) -> Option<TokenStream> {
    let resource = ops.iter().find_map(|op| op.resource)?;
    let name = rust_type(ir, resource, Module::Operations);
    let methods = ops.iter().map(|op| {
        let verb = ident(&op.verb);
        let request = ident(&op.request_type);
        let (args, values) = constructor_args(ir, op);
        let docs = doc(&format!("Starts a [`{}`] request.", op.request_type));
        quote! {
            #docs
            pub fn #verb(#(#args),*) -> #request {
                #request::new(#(#values),*)
            }
        }
    });
    Some(quote!(impl #name { #(#methods)* }))
}

fn required(op: &Operation) -> impl Iterator<Item = &Param> {
    op.path_params
        .iter()
        .chain(op.params.iter().filter(|p| p.required))
}

/// `new`'s arguments and the expressions that pass them on.
fn constructor_args(ir: &Ir, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    required(op)
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = rust_type(ir, p.ty, Module::Operations);
            match setter_kind(ir, p.ty) {
                Setter::Id => (quote!(#name: &#ty), quote!(#name)),
                Setter::String => (quote!(#name: impl Into<String>), quote!(#name)),
                _ => (quote!(#name: #ty), quote!(#name)),
            }
        })
        .unzip()
}

fn request(ir: &Ir, op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let method = op.method.as_str().to_uppercase();
    let mut text = op.docs.clone().unwrap_or_default();
    text.push_str(&format!("\n\n`{method} {}`", op.path));
    let docs = doc(text.trim_start());
    let names = request_names(ir, op);
    let extra = &names.extra;
    let extra_field = ident(&extra.field);
    let fields = op
        .path_params
        .iter()
        .map(|p| field(ir, p, true))
        .chain(op.params.iter().map(|p| field(ir, p, false)));
    let constructor = constructor(ir, op, extra);
    let setters = op
        .path_params
        .iter()
        .chain(&op.params)
        .zip(names.setters.iter().zip(&names.maps))
        .filter_map(|(p, (method, map))| Some(setter(ir, p, method.as_deref()?, map.as_ref())));
    let extra_setter = extra_param_setter(extra);
    let send = send(ir, op, extra);
    let blocking = blocking_impls(ir, op);
    let default = required(op).next().is_none().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, serde::Serialize)]
        #[must_use = "a request does nothing until you `send` it"]
        pub struct #name {
            #(#fields)*
            #[serde(skip)]
            #extra_field: crate::extra_params::ExtraParams,
        }

        impl #name {
            #constructor
            #(#setters)*
            #extra_setter
            #send
        }
        #default
        #blocking
    }
}

fn field(ir: &Ir, p: &Param, in_path: bool) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = rust_type(ir, p.ty, Module::Operations);
    let rename = (p.rust_name != p.wire_name).then(|| {
        let wire = &p.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    match (in_path, p.required) {
        // Path parameters go into the URL, never into the query or body.
        (true, _) => quote!(#[serde(skip)] #name: #ty,),
        (false, true) => quote!(#rename #name: #ty,),
        // A map can be cleared as a whole (`metadata=`), so it is emptyable.
        (false, false) if matches!(setter_kind(ir, p.ty), Setter::StringMap) => {
            quote!(#rename #[serde(skip_serializing_if = "Option::is_none")] #name: Option<crate::Emptyable<#ty>>,)
        }
        (false, false) => {
            quote!(#rename #[serde(skip_serializing_if = "Option::is_none")] #name: Option<#ty>,)
        }
    }
}

/// The request type's method names, clear of each other (see
/// [`naming::request_names`]): path parameters, then the others.
fn request_names(ir: &Ir, op: &Operation) -> RequestNames {
    let params: Vec<RequestParam<'_>> = op
        .path_params
        .iter()
        .map(|p| (p, false))
        .chain(op.params.iter().map(|p| (p, !p.required)))
        .map(|(p, setter)| RequestParam {
            name: &p.rust_name,
            setter,
            map: matches!(setter_kind(ir, p.ty), Setter::StringMap),
        })
        .collect();
    naming::request_names(&params)
}

/// `extra_param(key, value)`: a parameter the spec does not know.
fn extra_param_setter(names: &ExtraParamNames) -> TokenStream {
    let method = ident(&names.method);
    let field = ident(&names.field);
    let docs = doc(
        "Adds a parameter this crate does not know, in Stripe's bracket form \
         (`options[email][require_verification]`), for fields of newer API versions.\n\n\
         A key ending in `[]`, as Stripe's curl examples write lists (`expand[]`), \
         adds to that list: it is sent as `expand[N]`, numbered after the list's items.\n\n\
         Extra parameters are sent after the typed ones, in the order added, and \
         percent-encoded like them. Sending fails with \
         [`Error::InvalidRequest`](crate::Error::InvalidRequest), before anything is \
         sent, if a key is empty, not in bracket form, or equals or overlaps another \
         parameter's key (`options[document]` and `options[document][allowed_types][0]`).",
    );
    quote! {
        #docs
        pub fn #method(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            self.#field.push(key.into(), value.into());
            self
        }
    }
}

fn constructor(ir: &Ir, op: &Operation, extra: &ExtraParamNames) -> TokenStream {
    let (args, _) = constructor_args(ir, op);
    let extra_field = ident(&extra.field);
    let inits = op.path_params.iter().chain(&op.params).map(|p| {
        let name = ident(&p.rust_name);
        match (p.required, setter_kind(ir, p.ty)) {
            (false, _) => quote!(#name: None),
            (true, Setter::Id) => quote!(#name: #name.clone()),
            (true, Setter::String) => quote!(#name: #name.into()),
            (true, _) => quote!(#name),
        }
    });
    let docs = doc(&format!(
        "A `{}` request with its required parameters.",
        op.request_type
    ));
    quote! {
        #docs
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #extra_field: Default::default() }
        }
    }
}

/// How a builder method takes its value, by parameter type.
enum Setter {
    Id,
    String,
    /// A list of strings (`expand`): any iterator of string-likes.
    Strings,
    /// A list of enum values (`types`, of event types): any iterator of them.
    Values(TypeId),
    /// A map of strings (`metadata`): set one key at a time, unset one, or
    /// clear them all.
    StringMap,
    /// A type with `From` impls for its variants.
    Into,
    Plain,
}

fn setter_kind(ir: &Ir, ty: TypeId) -> Setter {
    let is_string = |t: TypeId| {
        matches!(
            ir.get(t).kind,
            TypeKind::Primitive(crate::ir::Primitive::String)
        )
    };
    match &ir.get(ty).kind {
        TypeKind::Id(_) => Setter::Id,
        _ if is_string(ty) => Setter::String,
        TypeKind::Array(t) if is_string(*t) => Setter::Strings,
        TypeKind::Array(t) if matches!(ir.get(*t).kind, TypeKind::Enum(_)) => Setter::Values(*t),
        TypeKind::Map(t) if is_string(*t) => Setter::StringMap,
        TypeKind::Union(_) | TypeKind::Emptyable(_) => Setter::Into,
        _ => Setter::Plain,
    }
}

fn setter(ir: &Ir, p: &Param, method: &str, map: Option<&MapSetterNames>) -> TokenStream {
    let name = ident(&p.rust_name);
    let method = ident(method);
    let ty = rust_type(ir, p.ty, Module::Operations);
    let docs = doc(p
        .docs
        .as_deref()
        .unwrap_or(&format!("Sets `{}`.", p.wire_name)));
    match setter_kind(ir, p.ty) {
        Setter::Id => {
            quote!(#docs pub fn #method(mut self, value: &#ty) -> Self { self.#name = Some(value.clone()); self })
        }
        Setter::String => {
            quote!(#docs pub fn #method(mut self, value: impl Into<String>) -> Self { self.#name = Some(value.into()); self })
        }
        Setter::Strings => quote! {
            #docs
            pub fn #method<I: IntoIterator<Item = S>, S: Into<String>>(mut self, values: I) -> Self {
                self.#name.get_or_insert_with(Vec::new).extend(values.into_iter().map(Into::into));
                self
            }
        },
        Setter::Values(item) => {
            let item = rust_type(ir, item, Module::Operations);
            quote! {
                #docs
                pub fn #method<I: IntoIterator<Item = #item>>(mut self, values: I) -> Self {
                    self.#name.get_or_insert_with(Vec::new).extend(values);
                    self
                }
            }
        }
        Setter::StringMap if map.is_some() => map_setters(&name, &method, map, &p.wire_name, docs),
        Setter::Into => {
            quote!(#docs pub fn #method(mut self, value: impl Into<#ty>) -> Self { self.#name = Some(value.into()); self })
        }
        // A map parameter without an unset setter never comes from
        // `naming::request_names`; it would take the whole map.
        Setter::Plain | Setter::StringMap => {
            quote!(#docs pub fn #method(mut self, value: #ty) -> Self { self.#name = Some(value); self })
        }
    }
}

/// `metadata(key, value)` sets a key; `unset_metadata(key)` sends the empty
/// value that makes Stripe delete it; `clear_metadata()` sends `metadata=`,
/// which deletes every key.
fn map_setters(
    name: &proc_macro2::Ident,
    method: &proc_macro2::Ident,
    map: Option<&MapSetterNames>,
    wire: &str,
    docs: TokenStream,
) -> TokenStream {
    let Some(map) = map else {
        return TokenStream::new();
    };
    let (unset, clear) = (ident(&map.unset), ident(&map.clear));
    let unset_doc = doc(&format!(
        "Deletes one key of `{wire}` by sending it with an empty value."
    ));
    let clear_doc = doc(&format!(
        "Deletes every key of `{wire}` by sending `{wire}=` (empty). Keys set or unset \
         before on this request are dropped, and a key set after it replaces the \
         clearing: to replace every key, clear them in one request and set the new ones \
         in the next."
    ));
    quote! {
        #docs
        pub fn #method(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            crate::emptyable::insert(&mut self.#name, key.into(), value.into());
            self
        }
        #unset_doc
        pub fn #unset(mut self, key: impl Into<String>) -> Self {
            crate::emptyable::insert(&mut self.#name, key.into(), String::new());
            self
        }
        #clear_doc
        pub fn #clear(mut self) -> Self {
            self.#name = Some(crate::Emptyable::Empty);
            self
        }
    }
}

/// What `send` returns, and the item type if the operation paginates.
fn output(ir: &Ir, op: &Operation) -> (TokenStream, Option<TokenStream>) {
    match op.response {
        Response::Object(t) => (rust_type(ir, t, Module::Operations), None),
        Response::List(t) => {
            // Pagination's cursor is the last item's id, so only items
            // that are `Object`s can be paginated.
            let paged = models::is_object(ir, t);
            let t = rust_type(ir, t, Module::Operations);
            (quote!(crate::List<#t>), paged.then(|| t.clone()))
        }
    }
}

/// With the `blocking` feature, the traits the blocking client sends
/// requests through: one impl per request type (and one more for a list
/// that paginates) instead of a blocking copy of every `send` method, and
/// nothing at all in a default build.
fn blocking_impls(ir: &Ir, op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let (output, item) = output(ir, op);
    let list = item.map(|item| {
        quote! {
            #[cfg(feature = "blocking")]
            impl crate::blocking::ListRequest for #name {
                type Item = #item;
            }
        }
    });
    quote! {
        #[cfg(feature = "blocking")]
        impl crate::blocking::ApiRequest for #name {
            type Output = #output;
            fn to_request(&self) -> Result<crate::client::Request, crate::Error> {
                self.request()
            }
        }
        #list
    }
}

/// `send`, `send_with`, the request builder and, for lists, `paginate`.
fn send(ir: &Ir, op: &Operation, extra: &ExtraParamNames) -> TokenStream {
    let (output, item) = output(ir, op);
    let request = build_request(op, extra);
    let paginate = item.map(|item| paginate(&item));
    quote! {
        /// Sends the request.
        pub async fn send(&self, client: &crate::Client) -> Result<#output, crate::Error> {
            self.send_with(client, &crate::RequestOptions::default()).await
        }

        /// Sends the request with per-request options (connected account, idempotency key, API version).
        pub async fn send_with(&self, client: &crate::Client, options: &crate::RequestOptions) -> Result<#output, crate::Error> {
            client.execute(&self.request()?, options).await
        }

        /// Like [`send`](Self::send), also returning the response's HTTP status, `Request-Id` and headers.
        pub async fn send_response(&self, client: &crate::Client) -> Result<crate::Response<#output>, crate::Error> {
            self.send_response_with(client, &crate::RequestOptions::default()).await
        }

        /// Like [`send_with`](Self::send_with), also returning the response's HTTP status, `Request-Id` and headers.
        pub async fn send_response_with(&self, client: &crate::Client, options: &crate::RequestOptions) -> Result<crate::Response<#output>, crate::Error> {
            client.execute_with_response(&self.request()?, options).await
        }

        #paginate
        #request
    }
}

fn paginate(item: &TokenStream) -> TokenStream {
    quote! {
        /// Every item of every page, fetched lazily page by page: read it with
        /// `while let Some(item) = stream.next().await`. Filters and `expand`
        /// apply to every page.
        pub fn paginate(&self, client: &crate::Client) -> crate::ListStream<#item> {
            self.paginate_with(client, &crate::RequestOptions::default())
        }

        /// Like [`paginate`](Self::paginate), with per-request options for every page.
        pub fn paginate_with(&self, client: &crate::Client, options: &crate::RequestOptions) -> crate::ListStream<#item> {
            client.paginate(self.request(), options)
        }
    }
}

/// The path with each parameter percent-encoded, and the parameters in
/// Stripe's bracket notation: the typed ones, then the extra ones. The path
/// is built from the parsed template, so no `{parameter}` can be left in it;
/// the template itself goes along for hooks and traces, which must never
/// see the ids filled in.
fn build_request(op: &Operation, extra: &ExtraParamNames) -> TokenStream {
    let extra_field = ident(&extra.field);
    let path = path_expression(op);
    let template = &op.path;
    let method = ident(match op.method {
        Method::Get => "Get",
        Method::Post => "Post",
        Method::Delete => "Delete",
    });
    quote! {
        fn request(&self) -> Result<crate::client::Request, crate::Error> {
            let path = #path;
            let params = self.#extra_field.after(crate::form::to_pairs(self)?)?;
            let request = crate::client::Request::new(crate::client::Method::#method, path, params);
            Ok(request.with_template(#template))
        }
    }
}

/// The expression building an operation's path: one string for a path
/// without parameters, else the literal runs and the percent-encoded
/// parameters concatenated.
fn path_expression(op: &Operation) -> TokenStream {
    let mut parts: Vec<TokenStream> = Vec::new();
    let mut literal = String::new();
    for segment in &op.path_segments {
        literal.push('/');
        match segment {
            PathSegment::Literal(text) => literal.push_str(text),
            PathSegment::Param(wire) => {
                let Some(param) = op.path_params.iter().find(|p| p.wire_name == *wire) else {
                    // The converter checked every template parameter is declared.
                    continue;
                };
                let name = ident(&param.rust_name);
                parts.push(quote!(#literal));
                parts.push(quote!(&crate::path::segment(self.#name.as_ref())?));
                literal.clear();
            }
        }
    }
    if parts.is_empty() {
        return quote!(#literal.to_owned());
    }
    if !literal.is_empty() {
        parts.push(quote!(#literal));
    }
    quote!([#(#parts),*].concat())
}
