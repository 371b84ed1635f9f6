//! The one place Rust names are made from wire names.
//!
//! # Naming rule
//!
//! * A resource (a schema with `x-resourceId`) is named after its object
//!   name without the portion's namespace: `identity.verification_session`
//!   becomes `VerificationSession`.
//! * A schema whose name starts with a Stripe-internal codename (the
//!   portion's `codename_prefixes`, `gelato_` for Identity), and every inline
//!   object or enum, is named after the field path where a user first meets it
//!   in Stripe's API reference: the owning type's name followed by the field
//!   name, `VerificationReport.document.dob` becomes `VerificationReportDocumentDob`.
//!   "First" is the order of a depth-first walk from the resources (sorted by
//!   object name), then the operations (sorted by path and method), with
//!   fields in spec order, so the rule gives the same name on every run.
//! * Any other schema keeps its own name in UpperCamelCase (`address` is `Address`).
//! * Names of schemas with names of their own are fixed before anything else,
//!   so they never move. A resource whose short name (or its id type's
//!   name) another schema already has, or that is reserved (below), keeps
//!   its namespace: in the Issuing portion `card` is `Card` and
//!   `issuing.card` is `IssuingCard`; a resource `test.client` is `TestClient`.
//! * An inline type whose field-path name is already a schema's gives way by
//!   adding what it is: `Object`, `Enum` or `Union`. Any other clash (two
//!   schemas, two request types, an inline type whose name with its kind
//!   added is also taken) is an error naming both spec pointers, never a
//!   silently renamed type.
//! * Reserved type names are never used: a type that would take one adds
//!   what it is (`Object`, `Enum`, `Union`, or `Type` for anything else), so
//!   a schema `string` is `StringObject`. Reserved for every type are the
//!   names of Rust's prelude ([`PRELUDE`]: `String`, `Option`, `Vec`, `Box`,
//!   `Result`, `From`, `Default`...), which generated code writes
//!   unqualified, and the emitters' local helper types (`ObjectVisitor`,
//!   `Wire`, `WireData`). Reserved also for the types re-exported at the
//!   crate root (resources, their ids, the event payload) are the runtime's
//!   types ([`RUNTIME_TYPES`]: `Client`, `Error`, `RequestOptions`...).
//!   Other types live only in `models`, where the runtime's names do not
//!   clash (the runtime reads the error envelope as `models::Error`).
//! * Request types are the verb and the resource (`CreateVerificationSession`),
//!   their inline parameter types the request type plus the parameter path.
//!   Verbs follow the route: `list`, `create`, `retrieve`, `update`, `delete`,
//!   an action's own name (`cancel`), and `retrieve_<action>` or
//!   `list_<action>` for an action read with GET. A verb that is a method
//!   every resource has (`extra_fields`) gets a trailing underscore.
//! * Operation modules are the resource's scoped name in snake_case; one
//!   the crate root already has ([`ROOT_MODULES`]: a runtime module such as
//!   `client` or `form`, `ids`, `models`, or a crate such as `serde`) gets a
//!   trailing underscore (`client_`).
//! * Fields and parameters are snake_case; a Rust keyword gets a trailing
//!   underscore (`type_`), a leading digit a leading one (`_3d`).
//!   A map parameter's other setters are `unset_` and `clear_` and its name
//!   (`unset_metadata`, `clear_metadata`).
//! * Non-ASCII letters are transliterated to ASCII before any of this
//!   (`café` is `cafe`, `Straße` is `strasse`); a name of which nothing
//!   survives is `field`, `Empty` (a variant) or `Unnamed` (a type).
//! * Members of one scope never share a name. Fields of a struct, or the
//!   parameters of a request (path parameters first, then the others by wire
//!   name): a field whose wire name already is its Rust name (`_3d`) keeps
//!   it, the others in order take theirs or, if it is taken, add
//!   underscores until it is free (`3d` beside `_3d` is `_3d_`). Enum
//!   variants: values already in snake_case (`a`, `foo_bar`) first, then the
//!   others in spec order, the same way (`A` beside `a` is `A_`). Union
//!   variants, named after each member's schema name, title or type: in spec
//!   order the same way (two members titled `card` are `Card` and `Card_`),
//!   each member's inline type named after its variant. Trailing
//!   underscores keep every name clear of rustc's case lints.
//!   An inline type of a field that got underscores gets them too
//!   (`WidgetV3d_`), so it stays apart from its neighbour's.
//! * A request type's methods are `new`, `send`, `send_with`,
//!   `send_response`, `send_response_with`, `paginate`, `paginate_with`,
//!   `request`, then a setter per
//!   optional parameter named like it, an `unset_` and a `clear_` setter
//!   per map parameter, and the escape hatch for parameters the spec does not know:
//!   the method `extra_param` storing them in the field `extra_params`. In
//!   that order, a name already taken (by an earlier method or another
//!   parameter) gets underscores until it is free (`send_`, `unset_metadata_`,
//!   `extra_param_`), so no spec can make two items share a name.
//! * A request model struct (one users build, such as an `options`
//!   parameter) has a setter per optional field, named like the field; one
//!   that would shadow a method the struct has from its derives (`clone`,
//!   `default`, `eq`...) gets underscores until it is free (`clone_`).
//! * Enum variants are UpperCamelCase; a value with no letters becomes `Empty`,
//!   a value starting with a digit gets a `V` in front. The catch-all
//!   variant is `Unknown`, or `UnknownValue` (`UnknownType` for events)
//!   when a value takes `Unknown`. Event payload variants are the event
//!   type without the namespace (`VerificationSessionVerified`), made
//!   unique like enum variants.
//!
//! Every item keeps its wire name beside its Rust name, and emitters add a
//! `serde(rename)` only where the two differ. No other module builds an
//! identifier: emitters only turn names made here into tokens.

use crate::Error;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type, trait and constructor names of Rust's prelude. Generated code
/// writes `String`, `Option`, `Vec`, `Box`, `Result`, `From`, `Default`...
/// unqualified, so no generated type may take one.
pub const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The visitor type a generated `Deserialize` declares in its body.
pub const VISITOR: &str = "ObjectVisitor";
/// The private mirror of the event envelope its `Deserialize` declares.
pub const WIRE_ENVELOPE: &str = "Wire";
/// The private mirror of the envelope's `data` its `Deserialize` declares.
pub const WIRE_DATA: &str = "WireData";

/// Local helper types the emitters declare inside generated function
/// bodies, where they would shadow a generated type of the same name.
const EMITTER_LOCALS: &[&str] = &[VISITOR, WIRE_ENVELOPE, WIRE_DATA];

/// The types the runtime re-exports at the crate root
/// (`templates/src/runtime.rs`). Generated types re-exported beside them
/// (resources, their ids, the event payload) may not take one.
pub const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "AppInfo",
    "AttemptError",
    "AttemptInfo",
    "Client",
    "ClientBuilder",
    "Emptyable",
    "Error",
    "Expandable",
    "ExtraFields",
    "InvalidId",
    "List",
    "ListStream",
    "Method",
    "Object",
    "RawRequest",
    "RequestOptions",
    "Response",
    "ResponseBody",
    "ResponseHeaders",
    "StreamExt",
    "Webhook",
    "WebhookError",
];

/// Names at the crate root that are not operation modules: the runtime's
/// modules (the files of `templates/src`), the generated `ids` and
/// `models`, and the crates generated code names by path.
pub const ROOT_MODULES: &[&str] = &[
    // templates/src
    "blocking_client",
    "body_limit",
    "builder",
    "client",
    "decode_failure",
    "emptyable",
    "error",
    "expandable",
    "extra_fields",
    "extra_params",
    "form",
    "id",
    "json",
    "json_tree",
    "list",
    "not_json",
    "observe",
    "options",
    "pagination",
    "path",
    "raw",
    "response",
    "retry",
    "runtime",
    "sensitivity",
    "telemetry",
    "trace",
    "webhook",
    // the runtime's public module (`runtime.rs`, the `blocking` feature)
    "blocking",
    // the test double (`templates/src/testing/`, the `testing` feature)
    "testing",
    // generated
    "ids",
    "models",
    // crates
    "alloc",
    "base64",
    "core",
    "fastrand",
    "futures_util",
    "hmac",
    "http_body_util",
    "hyper",
    "hyper_util",
    "percent_encoding",
    "reqwest",
    "serde",
    "serde_json",
    "sha2",
    "std",
    "thiserror",
    "tokio",
    "tracing",
    "uuid",
];

/// Methods the runtime gives every resource struct that keeps unknown fields.
const RESOURCE_METHODS: &[&str] = &["extra_field", "extra_fields"];

/// The wire name with every non-ASCII character transliterated
/// (`Straße` -> `Strasse`, `名前` -> `Ming Qian`), so Rust names are ASCII.
fn ascii(wire: &str) -> std::borrow::Cow<'_, str> {
    if wire.is_ascii() {
        return wire.into();
    }
    deunicode::deunicode_with_tofu(wire, " ").into()
}

/// A type name from any wire string (`gelato_document_report`, `identity.verification_session`).
pub fn type_name(wire: &str) -> String {
    upper_camel(wire, "Unnamed")
}

/// A struct field, function or module name from a wire name.
pub fn field_name(wire: &str) -> String {
    let name = ascii(wire).to_snake_case();
    match name.chars().next() {
        None => "field".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{name}"),
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// An enum variant name from a wire value (`requires_input`, `[redacted]`, `""`).
pub fn variant_name(wire: &str) -> String {
    upper_camel(wire, "Empty")
}

/// UpperCamelCase that is always an identifier: `empty` when nothing of the
/// wire string survives, a `V` before a leading digit, `Self` escaped.
fn upper_camel(wire: &str, empty: &str) -> String {
    let name = ascii(wire).to_upper_camel_case();
    match name.chars().next() {
        None => empty.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        Some(_) if name == "Self" => "Self_".to_owned(),
        Some(_) => name,
    }
}

/// A resource's type name: its object name without the portion namespace.
pub fn resource_name(resource_id: &str, namespace: &str) -> String {
    type_name(resource_id.strip_prefix(namespace).unwrap_or(resource_id))
}

/// Joins a parent type name and a field to name an inline type.
pub fn nested(parent: &str, field: &str) -> String {
    format!("{parent}{}", type_name(field))
}

/// Joins a parent type name and a property to name the property's inline
/// type: [`nested`], plus the underscores its field name got to stay
/// unique (`3d` beside `_3d` is the field `_3d_` of type `WidgetV3d_`), so
/// fields that are told apart have types that are too.
pub fn nested_field(parent: &str, wire: &str, field: &str) -> String {
    let added = field.strip_prefix(&field_name(wire)).unwrap_or_default();
    format!("{}{added}", nested(parent, wire))
}

/// The type of one member of a union: the union's name and the member's
/// variant name (already unique in the union).
pub fn union_member(union: &str, variant: &str) -> String {
    format!("{union}{variant}")
}

/// The typed id of a resource type (`VerificationSessionId`).
pub fn id_type(resource: &str) -> String {
    format!("{resource}Id")
}

/// The event payload type of an event envelope (`EventPayload`).
pub fn event_payload(envelope: &str) -> String {
    format!("{envelope}Payload")
}

/// The enum of the event types of an event envelope (`EventType`).
pub fn event_type(envelope: &str) -> String {
    format!("{envelope}Type")
}

/// The envelope's own copy of its `data` struct, made when the spec uses
/// the `data` schema elsewhere too (`EventData`).
pub fn event_data(envelope: &str) -> String {
    format!("{envelope}Data")
}

/// A request type: its verb and its noun (`CreateVerificationSession`).
pub fn request_type(verb: &str, noun: &str) -> String {
    format!("{}{}", type_name(verb), type_name(noun))
}

/// The type of an inline 200 response of a request type.
pub fn response_type(request_type: &str) -> String {
    format!("{request_type}Response")
}

/// The type of an inline item of a list a request type returns.
pub fn list_item_type(request_type: &str) -> String {
    format!("{request_type}Item")
}

/// A resource method for an action read with GET: `retrieve_<action>`, or
/// `list_<action>` when it returns a list.
pub fn get_action_verb(action: &str, returns_list: bool) -> String {
    match returns_list {
        true => format!("list_{action}"),
        false => format!("retrieve_{action}"),
    }
}

/// The module an operation's request types live in, from the resource's
/// scoped name (`issuing_card`). A name the crate root already has (a
/// runtime module, `ids`, `models`, a crate) gets underscores until free.
pub fn operation_module(scoped: &str) -> String {
    first_free(&field_name(scoped), |name| ROOT_MODULES.contains(&name))
}

/// The name of a resource's associated function starting a request: the
/// verb, with underscores added if the resource already has the method
/// (`extra_fields`).
pub fn resource_method(verb: String) -> String {
    first_free(&verb, |name| RESOURCE_METHODS.contains(&name))
}

/// Whether no generated type may be called `name`: a prelude name, a local
/// helper of the emitters, or, for a type re-exported at the crate root
/// (`root`), a type of the runtime.
pub fn is_reserved_type(name: &str, root: bool) -> bool {
    PRELUDE.contains(&name)
        || EMITTER_LOCALS.contains(&name)
        || (root && RUNTIME_TYPES.contains(&name))
}

/// What a named type is; its word is what a type adds to its name when
/// the name is taken (`StringObject`, `WidgetColorEnum`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Enum,
    Union,
    /// A schema that makes no item of its own (a plain string, an array).
    Other,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Object => "Object",
            Kind::Enum => "Enum",
            Kind::Union => "Union",
            Kind::Other => "Type",
        }
    }
}

/// How a type claims its name.
#[derive(Clone, Copy, Debug)]
pub struct Claim<'a> {
    /// The spec pointer of what the type is made from.
    pub origin: &'a str,
    pub kind: Kind,
    /// Whether the type is re-exported at the crate root.
    pub root: bool,
    /// Whether the type gives way to a name already taken by adding its
    /// kind (inline types); a schema's own name does not, so two schemas
    /// with one name are an error.
    pub yields: bool,
}

/// Every type name of the generated crate, with the origin holding it.
/// Types are one scope: `models`, `ids` and the operation modules are
/// re-exported together or refer to each other by short name.
#[derive(Debug, Default)]
pub struct TypeNames {
    holders: BTreeMap<String, String>,
}

impl TypeNames {
    /// Whether a type holds `name`.
    pub fn is_taken(&self, name: &str) -> bool {
        self.holders.contains_key(name)
    }

    /// Records `name` for the type `claim` describes and returns the name it
    /// gets. A reserved name (see [`is_reserved_type`]) is never used: the
    /// type adds its kind (`StringObject`). A name held by another origin is
    /// an error naming both origins, unless the type yields, when it tries
    /// once more with its kind added.
    pub fn claim(&mut self, name: &str, claim: Claim<'_>) -> Result<String, Error> {
        let with_kind = format!("{name}{}", claim.kind.word());
        let reserved = is_reserved_type(name, claim.root);
        let candidates: &[&str] = match (reserved, claim.yields) {
            (true, _) => &[&with_kind],
            (false, true) => &[name, &with_kind],
            (false, false) => &[name],
        };
        for candidate in candidates {
            match self.holders.get(*candidate) {
                Some(holder) if holder != claim.origin => continue,
                _ => {
                    self.holders
                        .insert((*candidate).to_owned(), claim.origin.to_owned());
                    return Ok((*candidate).to_owned());
                }
            }
        }
        let taken = candidates[0];
        Err(Error::NameCollision {
            name: taken.to_owned(),
            first: self.holders.get(taken).cloned().unwrap_or_default(),
            second: claim.origin.to_owned(),
        })
    }
}

/// Rust names for the fields of one struct, or the parameters of one
/// request (path parameters first), from their wire names, in the same
/// order and each unique. Fields whose wire name already is their Rust
/// name (`_3d`, `type_`) keep it; the others (`3d`, `type`, `café`), in
/// order, take [`field_name`] or, when that is taken, add underscores
/// until it is free (`_3d_`).
pub fn field_names(wires: &[&str]) -> Vec<String> {
    let proposed: Vec<String> = wires.iter().map(|w| field_name(w)).collect();
    let verbatim: Vec<bool> = wires.iter().zip(&proposed).map(|(w, p)| w == p).collect();
    unique(proposed, &verbatim)
}

/// Variant names for a string enum's values (distinct wire values), in the
/// same order and each unique. Values already written in snake_case (`a`,
/// `foo_bar`) come first and take [`variant_name`]; the others (`A`,
/// `foo-bar`), in order, take it or, when taken, add underscores (`A_`).
pub fn variant_names(values: &[&str]) -> Vec<String> {
    let proposed: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
    let plain: Vec<bool> = values
        .iter()
        .map(|v| ascii(v).to_snake_case() == *v)
        .collect();
    unique(proposed, &plain)
}

/// Variant names for a union's members from their labels (schema name,
/// title or type), in order, each unique: a label's [`type_name`], with
/// underscores added when an earlier member has it (`Card`, `Card_`).
pub fn union_variant_names(labels: &[String]) -> Vec<String> {
    let proposed: Vec<String> = labels.iter().map(|l| type_name(l)).collect();
    unique(proposed, &vec![false; labels.len()])
}

/// Variant names of the event payload for event types (distinct), in
/// order, each unique: the type without the portion's namespace in
/// UpperCamelCase (`verification_session.verified` is
/// `VerificationSessionVerified`). As for enum values, types written in
/// snake_case between the dots come first; a name already taken gets
/// underscores.
pub fn event_variant_names(events: &[&str], namespace: &str) -> Vec<String> {
    let proposed: Vec<String> = events
        .iter()
        .map(|e| type_name(e.strip_prefix(namespace).unwrap_or(e)))
        .collect();
    let plain: Vec<bool> = events
        .iter()
        .map(|e| {
            let joined = e.replace('.', "_");
            ascii(&joined).to_snake_case() == joined
        })
        .collect();
    unique(proposed, &plain)
}

/// The variant of a generated enum that keeps values the spec does not
/// list: `Unknown`, with `more` added while a variant has the name.
pub fn catch_all(variants: &[&str], more: &str) -> String {
    let mut name = "Unknown".to_owned();
    while variants.contains(&name.as_str()) {
        name.push_str(more);
    }
    name
}

/// Names made unique in one scope, in the order given: names marked
/// `first` are placed before the others, and a name already taken gets
/// underscores until it is free. Underscores keep the name's case style:
/// rustc's case lints ignore trailing underscores.
fn unique(proposed: Vec<String>, first: &[bool]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<Option<String>> = vec![None; proposed.len()];
    for (i, name) in proposed.iter().enumerate() {
        if first[i] && taken.insert(name.clone()) {
            out[i] = Some(name.clone());
        }
    }
    for (i, name) in proposed.iter().enumerate() {
        if out[i].is_none() {
            let name = first_free(name, |n| taken.contains(n));
            taken.insert(name.clone());
            out[i] = Some(name);
        }
    }
    out.into_iter().flatten().collect()
}

/// The local variable the generated `Deserialize` of a struct reads one
/// field into: `field_` and the field's name, without the underscore that
/// escapes a leading digit (`_3ds` reads into `field_3ds`), so it stays
/// snake_case. Field names never start with a digit, so this is one-to-one.
pub fn slot_variable(field: &str) -> String {
    let rest = match field.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => field,
    };
    format!("field_{rest}")
}

/// The name of the private field where a response struct keeps the fields
/// its spec does not know: `extra_fields`, with underscores added while
/// `taken` says a field of the spec already has the name.
pub fn extra_fields_field(taken: impl Fn(&str) -> bool) -> String {
    first_free("extra_fields", taken)
}

/// The setter that deletes one key of a map parameter (`unset_metadata`).
fn unset_setter(field: &str) -> String {
    format!("unset_{field}")
}

/// Methods every request type has besides its setters.
const REQUEST_METHODS: &[&str] = &[
    "new",
    "send",
    "send_with",
    "send_response",
    "send_response_with",
    "paginate",
    "paginate_with",
    "request",
];

/// One parameter of a request type, as its method names depend on it.
#[derive(Clone, Copy, Debug)]
pub struct RequestParam<'a> {
    /// The parameter's Rust field name.
    pub name: &'a str,
    /// Whether it has a setter (optional parameters do).
    pub setter: bool,
    /// Whether it is a map with a second setter that deletes a key.
    pub map: bool,
}

/// The method and field names of one request type besides its parameters'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestNames {
    /// Each parameter's setter, `None` where it has none.
    pub setters: Vec<Option<String>>,
    /// Each map parameter's `unset_` and `clear_` setters, `None` for the
    /// others.
    pub maps: Vec<Option<MapSetterNames>>,
    /// The escape hatch for unknown parameters.
    pub extra: ExtraParamNames,
}

/// The setters a map parameter (`metadata`) has besides its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapSetterNames {
    /// Deletes one key (`unset_metadata`).
    pub unset: String,
    /// Deletes every key (`clear_metadata`).
    pub clear: String,
}

/// The names of a request type's escape hatch for unknown parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraParamNames {
    /// The builder method (`extra_param`).
    pub method: String,
    /// The private field holding the pairs (`extra_params`).
    pub field: String,
}

/// The methods of a request type whose parameters (path parameters
/// included) are `params`, all distinct. Setters are named after their
/// parameter; then map parameters get `unset_` and `clear_` and their
/// name; then the
/// escape hatch gets `extra_param` (method) and `extra_params` (field).
/// A name a method every request type has (`send`, `new`...), an earlier
/// method, or another parameter already has gets underscores until it is
/// free (`send_`), so no spec can make two items share a name.
pub fn request_names(params: &[RequestParam<'_>]) -> RequestNames {
    let fields: BTreeSet<&str> = params.iter().map(|p| p.name).collect();
    let mut taken: BTreeSet<String> = REQUEST_METHODS.iter().map(|m| (*m).to_owned()).collect();
    let place = |base: &str, taken: &mut BTreeSet<String>| {
        let name = match taken.contains(base) {
            false => base.to_owned(),
            true => first_free(base, |n| taken.contains(n) || fields.contains(n)),
        };
        taken.insert(name.clone());
        name
    };
    let setters: Vec<Option<String>> = params
        .iter()
        .map(|p| p.setter.then(|| place(p.name, &mut taken)))
        .collect();
    let maps = params
        .iter()
        .map(|p| {
            (p.setter && p.map).then(|| MapSetterNames {
                unset: place(&unset_setter(p.name), &mut taken),
                clear: place(&format!("clear_{}", p.name), &mut taken),
            })
        })
        .collect();
    let method = first_free("extra_param", |n| taken.contains(n) || fields.contains(n));
    let field = first_free("extra_params", |n| fields.contains(n));
    RequestNames {
        setters,
        maps,
        extra: ExtraParamNames { method, field },
    }
}

/// Methods a request model struct has from its derives and from blanket
/// impls, which a setter of the same name would shadow (`x.clone()` would
/// call the setter).
const MODEL_TRAIT_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// The setters of a request model struct whose optional fields have the
/// Rust names `fields` (distinct): each named like its field, or, where
/// that is a method the struct already has (`clone`), with underscores added
/// until it is free of those methods and of every other setter (`clone_`,
/// or `clone__` beside a field `clone_`).
pub fn model_setters(fields: &[&str]) -> Vec<String> {
    let shadows = |name: &str| MODEL_TRAIT_METHODS.contains(&name);
    let mut taken: BTreeSet<String> = MODEL_TRAIT_METHODS
        .iter()
        .chain(fields.iter().filter(|f| !shadows(f)))
        .map(|name| (*name).to_owned())
        .collect();
    fields
        .iter()
        .map(|field| match shadows(field) {
            false => (*field).to_owned(),
            true => {
                let name = first_free(field, |n| taken.contains(n));
                taken.insert(name.clone());
                name
            }
        })
        .collect()
}

/// `base`, with underscores appended until `taken` says no.
fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_owned();
    while taken(&name) {
        name.push('_');
    }
    name
}

/// True when a codename prefix makes the schema's own name unfit for users.
pub fn is_codename(schema: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| schema.starts_with(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optional(name: &str) -> RequestParam<'_> {
        RequestParam {
            name,
            setter: true,
            map: false,
        }
    }

    #[test]
    fn setters_step_aside_for_the_request_methods() {
        let setters = |params: &[RequestParam<'_>]| request_names(params).setters;
        let names = setters(&[optional("send")]);
        assert_eq!(names, [Some("send_".to_owned())]);
        let names = setters(&[optional("send"), optional("send_")]);
        assert_eq!(names, [Some("send__".to_owned()), Some("send_".to_owned())]);
        assert_eq!(setters(&[optional("limit")]), [Some("limit".to_owned())]);
    }

    #[test]
    fn model_setters_step_aside_for_derived_methods() {
        let names = model_setters(&["document", "clone", "clone_", "default"]);
        assert_eq!(names, ["document", "clone__", "clone_", "default_"]);
    }

    #[test]
    fn unset_setters_step_aside_for_setters() {
        let metadata = RequestParam {
            name: "metadata",
            setter: true,
            map: true,
        };
        let names = request_names(&[
            metadata,
            optional("unset_metadata"),
            optional("clear_metadata"),
        ]);
        assert_eq!(names.setters[1].as_deref(), Some("unset_metadata"));
        assert_eq!(names.setters[2].as_deref(), Some("clear_metadata"));
        let map = names.maps[0].as_ref().expect("a map's setters");
        assert_eq!(map.unset, "unset_metadata_");
        assert_eq!(map.clear, "clear_metadata_");
        assert_eq!(names.maps[1], None);
    }

    #[test]
    fn keywords_get_an_underscore() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("id_number"), "id_number");
    }

    #[test]
    fn odd_enum_values_become_identifiers() {
        assert_eq!(variant_name("[redacted]"), "Redacted");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("3d_secure"), "V3dSecure");
        assert_eq!(variant_name("requires_input"), "RequiresInput");
    }

    #[test]
    fn extra_param_names_step_around_parameters() {
        let extra = |names: &[&str]| {
            let params: Vec<RequestParam<'_>> = names.iter().map(|n| optional(n)).collect();
            request_names(&params).extra
        };
        let plain = extra(&["expand", "metadata"]);
        assert_eq!(plain.method, "extra_param");
        assert_eq!(plain.field, "extra_params");
        let clash = extra(&["extra_param", "extra_params", "extra_param_"]);
        assert_eq!(clash.method, "extra_param__");
        assert_eq!(clash.field, "extra_params_");
        assert_eq!(extra(&["send"]).method, "extra_param");
    }

    #[test]
    fn resources_drop_the_namespace() {
        assert_eq!(
            resource_name("identity.verification_session", "identity."),
            "VerificationSession"
        );
        assert_eq!(
            nested("VerificationReport", "id_number"),
            "VerificationReportIdNumber"
        );
    }

    #[test]
    fn fields_that_map_to_one_name_stay_apart() {
        // `_3d` is already a Rust name and keeps it; `3d` steps aside.
        assert_eq!(field_names(&["3d", "_3d"]), ["_3d_", "_3d"]);
        assert_eq!(field_names(&["type", "type_"]), ["type__", "type_"]);
        // A path parameter and a body parameter with one wire name.
        assert_eq!(field_names(&["widget", "widget"]), ["widget", "widget_"]);
        assert_eq!(
            field_names(&["a-b", "a_b", "A_B"]),
            ["a_b_", "a_b", "a_b__"]
        );
    }

    #[test]
    fn inline_types_of_fields_told_apart_are_told_apart() {
        assert_eq!(nested_field("Widget", "_3d", "_3d"), "WidgetV3d");
        assert_eq!(nested_field("Widget", "3d", "_3d_"), "WidgetV3d_");
        assert_eq!(nested_field("Widget", "type", "type_"), "WidgetType");
        assert_eq!(nested_field("Widget", "dob", "dob"), "WidgetDob");
    }

    #[test]
    fn non_ascii_names_become_ascii() {
        assert_eq!(field_name("café"), "cafe");
        assert_eq!(field_name("Straße"), "strasse");
        assert_eq!(field_name("名前"), "ming_qian");
        assert_eq!(type_name("écran_total"), "EcranTotal");
        assert_eq!(variant_name("über"), "Uber");
        assert_eq!(field_names(&["cafe", "café"]), ["cafe", "cafe_"]);
        for name in [field_name("😀"), field_name("\u{0301}"), field_name("")] {
            assert!(name.is_ascii() && !name.is_empty(), "{name}");
        }
    }

    #[test]
    fn enum_values_that_map_to_one_variant_stay_apart() {
        // Values already in snake_case keep the plain name, whatever their order.
        assert_eq!(variant_names(&["a", "A", "a2"]), ["A", "A_", "A2"]);
        assert_eq!(variant_names(&["a2", "A", "a"]), ["A2", "A_", "A"]);
        assert_eq!(
            variant_names(&["foo-bar", "foo_bar"]),
            ["FooBar_", "FooBar"]
        );
        assert_eq!(variant_names(&["self", "Self"]), ["Self_", "Self__"]);
        assert_eq!(
            catch_all(&["Unknown", "UnknownValue"], "Value"),
            "UnknownValueValue"
        );
        assert_eq!(catch_all(&["A"], "Value"), "Unknown");
    }

    #[test]
    fn event_types_with_one_name_stay_apart() {
        let events = ["test.a.b-c", "test.a.b_c", "other.x"];
        assert_eq!(
            event_variant_names(&events, "test."),
            ["ABC_", "ABC", "OtherX"]
        );
    }

    #[test]
    fn union_members_with_one_label_stay_apart() {
        let labels = ["card", "card2", "card", "Card"].map(String::from);
        assert_eq!(
            union_variant_names(&labels),
            ["Card", "Card2", "Card_", "Card__"]
        );
        assert_eq!(union_member("WidgetPayment", "Card_"), "WidgetPaymentCard_");
    }

    fn claim<'a>(origin: &'a str, root: bool, yields: bool) -> Claim<'a> {
        Claim {
            origin,
            kind: Kind::Object,
            root,
            yields,
        }
    }

    #[test]
    fn prelude_names_are_never_types() {
        let mut names = TypeNames::default();
        for prelude in ["String", "Option", "Vec", "Box", "Result", "Default"] {
            let name = names.claim(prelude, claim(prelude, false, false)).unwrap();
            assert_eq!(name, format!("{prelude}Object"));
        }
    }

    #[test]
    fn runtime_names_are_reserved_at_the_crate_root_only() {
        let mut names = TypeNames::default();
        let root = names.claim("Client", claim("#/a", true, false)).unwrap();
        assert_eq!(root, "ClientObject");
        // The error envelope lives in `models` as `Error`, where the runtime reads it.
        let models = names.claim("Error", claim("#/b", false, false)).unwrap();
        assert_eq!(models, "Error");
        assert!(is_reserved_type("InvalidId", true));
        assert!(!is_reserved_type("InvalidId", false));
    }

    #[test]
    fn a_clash_names_both_origins_unless_the_newcomer_yields() {
        let mut names = TypeNames::default();
        names
            .claim("WidgetColor", claim("#/schema", false, false))
            .unwrap();
        let inline = names.claim("WidgetColor", claim("#/inline", false, true));
        assert_eq!(inline.unwrap(), "WidgetColorObject");
        let err = names
            .claim("WidgetColor", claim("#/other", false, false))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "two types would both be named `WidgetColor`: #/schema and #/other"
        );
        // The same origin claiming again gets the same name.
        let again = names.claim("WidgetColor", claim("#/schema", false, false));
        assert_eq!(again.unwrap(), "WidgetColor");
    }

    #[test]
    fn operation_modules_and_verbs_step_around_the_runtime() {
        assert_eq!(operation_module("client"), "client_");
        assert_eq!(operation_module("models"), "models_");
        assert_eq!(operation_module("serde"), "serde_");
        assert_eq!(
            operation_module("verification_session"),
            "verification_session"
        );
        assert_eq!(operation_module("type"), "type_");
        assert_eq!(resource_method("extra_fields".into()), "extra_fields_");
        assert_eq!(resource_method("cancel".into()), "cancel");
        assert_eq!(get_action_verb("lines", true), "list_lines");
    }

    #[test]
    fn slot_variables_are_distinct_snake_case() {
        assert_eq!(slot_variable("_3ds"), "field_3ds");
        assert_eq!(slot_variable("_3ds_"), "field_3ds_");
        assert_eq!(slot_variable("type_"), "field_type_");
    }

    /// The reserved lists are read from the runtime itself: every type
    /// `runtime.rs` re-exports, and every module of `templates/src`.
    #[test]
    fn reserved_lists_match_the_runtime_templates() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/src");
        let runtime = std::fs::read_to_string(src.join("runtime.rs")).unwrap();
        let mut exported: Vec<String> = Vec::new();
        for line in runtime.lines().filter(|l| l.starts_with("pub use ")) {
            let names = line.rsplit("::").next().unwrap();
            let names = names.trim_matches(|c| "{};".contains(c));
            exported.extend(names.split(',').map(|n| n.trim().to_owned()));
        }
        exported.sort();
        assert_eq!(exported, RUNTIME_TYPES);
        // Public modules of the runtime (`pub mod blocking`) are root names too.
        for line in runtime.lines().filter(|l| l.starts_with("pub mod ")) {
            let module = line["pub mod ".len()..].trim_end_matches(" {");
            assert!(ROOT_MODULES.contains(&module), "{module}");
        }
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            // A directory is a module too (`testing/`).
            if (path.is_dir() || path.extension().is_some_and(|e| e == "rs")) && stem != "lib" {
                assert!(ROOT_MODULES.contains(&stem.as_str()), "{stem}");
            }
        }
        let manifest = std::fs::read_to_string(src.join("../Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap();
        let deps = deps.split("\n[").next().unwrap();
        for line in deps.lines().filter(|l| l.contains('=')) {
            let name = line.split('=').next().unwrap().trim().replace('-', "_");
            assert!(ROOT_MODULES.contains(&name.as_str()), "{name}");
        }
        // Optional dependencies declared as tables of their own.
        for table in manifest.split("\n[dependencies.").skip(1) {
            let name = table.split(']').next().unwrap().replace('-', "_");
            assert!(ROOT_MODULES.contains(&name.as_str()), "{name}");
        }
    }
}
