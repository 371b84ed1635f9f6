//! Which part of Stripe's API a generated crate covers.
//!
//! A portion is data, not code: the Identity crate is `Portion::identity()`,
//! and another Stripe namespace is a different value of the same struct.

/// A Stripe namespace to generate, and the facts about it the spec omits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portion {
    /// Short name, used in messages (`identity`).
    pub name: String,
    /// Every operation whose path starts with this is generated (`/v1/identity/`).
    pub path_prefix: String,
    /// Every component schema whose name starts with this is generated (`identity.`).
    pub schema_namespace: String,
    /// The generic error response. It is kept with the schemas it names
    /// directly, but references from those into the rest of the API become
    /// opaque JSON, so the error type does not drag in payments.
    pub error_schema: String,
    /// Schema-name prefixes that are Stripe-internal codenames (`gelato_`).
    /// Such schemas are named after the field path where a user meets them.
    pub codename_prefixes: Vec<String>,
    /// Id prefixes per resource (`identity.verification_session` -> `vs_`).
    /// The spec does not publish them, so they are stated here.
    pub id_prefixes: Vec<(String, String)>,
}

impl Portion {
    /// Stripe Identity: VerificationSession and VerificationReport.
    pub fn identity() -> Self {
        let s = |v: &str| v.to_owned();
        Portion {
            name: s("identity"),
            path_prefix: s("/v1/identity/"),
            schema_namespace: s("identity."),
            error_schema: s("error"),
            codename_prefixes: vec![s("gelato_")],
            id_prefixes: vec![
                (s("event"), s("evt_")),
                (s("identity.verification_report"), s("vr_")),
                (s("identity.verification_session"), s("vs_")),
            ],
        }
    }

    /// A portion for another namespace, with no id prefixes of its own known.
    pub fn namespace(name: &str) -> Self {
        let s = |v: &str| v.to_owned();
        Portion {
            name: name.to_owned(),
            path_prefix: format!("/v1/{name}/"),
            schema_namespace: format!("{name}."),
            error_schema: "error".to_owned(),
            codename_prefixes: Vec::new(),
            id_prefixes: vec![(s("event"), s("evt_"))],
        }
    }

    /// The portion a `--portion NAME` flag names.
    pub fn by_name(name: &str) -> Self {
        if name == "identity" {
            Self::identity()
        } else {
            Self::namespace(name)
        }
    }

    pub(crate) fn id_prefix(&self, resource: &str) -> Option<&str> {
        self.id_prefixes
            .iter()
            .find(|(r, _)| r == resource)
            .map(|(_, p)| p.as_str())
    }

    /// Where the route of `path` starts, and the namespace of the resource it
    /// serves: the portion's own prefix and namespace, or Stripe's top level
    /// (`/v1/`, no namespace) for the global resources a portion also uses,
    /// such as events.
    pub(crate) fn route_base(&self, path: &str) -> (&str, &str) {
        if path.starts_with(&self.path_prefix) {
            (&self.path_prefix, &self.schema_namespace)
        } else {
            ("/v1/", "")
        }
    }
}
