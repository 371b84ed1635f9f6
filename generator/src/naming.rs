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
//!   so they never move. A resource whose short name another schema already
//!   has keeps its namespace: in the Issuing portion `card` is `Card` and
//!   `issuing.card` is `IssuingCard`.
//! * An inline type whose field-path name is already a schema's gives way by
//!   adding what it is: `Object`, `Enum` or `Union`. Any other clash is an
//!   error naming both schemas, never a silently renamed type.
//! * Request types are the verb and the resource (`CreateVerificationSession`),
//!   their inline parameter types the request type plus the parameter path.
//!   Verbs follow the route: `list`, `create`, `retrieve`, `update`, `delete`,
//!   an action's own name (`cancel`), and `retrieve_<action>` or
//!   `list_<action>` for an action read with GET.
//! * Fields are snake_case; a Rust keyword gets a trailing underscore (`type_`).
//!   A map parameter's second setter is `unset_` and its name (`unset_metadata`).
//! * Every request type has an escape hatch for parameters the spec does not
//!   know: the method `extra_param` storing them in the field `extra_params`.
//!   Where a parameter already has either name (or a setter is called
//!   `extra_param`), underscores are added until the name is free
//!   (`extra_param_`), so no spec can make two items share a name.
//!   Enum variants are UpperCamelCase; a value with no letters becomes `Empty`,
//!   a value starting with a digit gets a `V` in front.
//!
//! Every item keeps its wire name beside its Rust name, and emitters add a
//! `serde(rename)` only where the two differ.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A type name from any wire string (`gelato_document_report`, `identity.verification_session`).
pub fn type_name(wire: &str) -> String {
    upper_camel(wire, "Unnamed")
}

/// A struct field, function or module name from a wire name.
pub fn field_name(wire: &str) -> String {
    let name = wire.to_snake_case();
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
    let name = wire.to_upper_camel_case();
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

/// The name of the private field where a response struct keeps the fields
/// its spec does not know: `extra_fields`, with underscores added while
/// `taken` says a field of the spec already has the name.
pub fn extra_fields_field(taken: impl Fn(&str) -> bool) -> String {
    first_free("extra_fields", taken)
}

/// The setter that deletes one key of a map parameter (`unset_metadata`).
pub fn unset_setter(field: &str) -> String {
    format!("unset_{field}")
}

/// Methods every request type has besides its setters.
const REQUEST_METHODS: &[&str] = &[
    "new",
    "send",
    "send_with",
    "send_with_response",
    "paginate",
    "request",
];

/// The builder method that sets the parameter `param` (a Rust field name)
/// of a request type whose parameters have the Rust names `params`: the
/// parameter's own name, unless a method every request type has takes it
/// (a body parameter called `send`), then with underscores added.
pub fn setter_name(param: &str, params: &[&str]) -> String {
    if !REQUEST_METHODS.contains(&param) {
        return param.to_owned();
    }
    first_free(param, |name| {
        REQUEST_METHODS.contains(&name) || params.contains(&name)
    })
}

/// The names of a request type's escape hatch for unknown parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraParamNames {
    /// The builder method (`extra_param`).
    pub method: String,
    /// The private field holding the pairs (`extra_params`).
    pub field: String,
}

/// The escape hatch's names for a request type whose parameters (path
/// parameters included) have the Rust names `params`: `extra_param` and
/// `extra_params`, with underscores added past any name already taken.
pub fn extra_param_names(params: &[&str]) -> ExtraParamNames {
    let method_taken = |name: &str| {
        REQUEST_METHODS.contains(&name)
            || params.iter().any(|p| *p == name || unset_setter(p) == name)
    };
    ExtraParamNames {
        method: first_free("extra_param", method_taken),
        field: first_free("extra_params", |name| params.contains(&name)),
    }
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

    #[test]
    fn setters_step_aside_for_the_request_methods() {
        assert_eq!(setter_name("send", &["send"]), "send_");
        assert_eq!(setter_name("send", &["send", "send_"]), "send__");
        assert_eq!(setter_name("limit", &["limit"]), "limit");
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
        let plain = extra_param_names(&["expand", "metadata"]);
        assert_eq!(plain.method, "extra_param");
        assert_eq!(plain.field, "extra_params");
        let clash = extra_param_names(&["extra_param", "extra_params", "extra_param_"]);
        assert_eq!(clash.method, "extra_param__");
        assert_eq!(clash.field, "extra_params_");
        assert_eq!(extra_param_names(&["send"]).method, "extra_param");
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
}
