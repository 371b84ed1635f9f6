//! Stripe's error answers: the status and the envelope
//! `{"error": {"type", "code", "param", "message", "doc_url"}}`, worded as
//! Stripe words them.

use serde_json::{json, Map, Value};

/// Where Stripe documents each error code.
const DOC_URL: &str = "https://stripe.com/docs/error-codes/";

/// An error the double answers instead of a result.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiFailure {
    pub(crate) status: u16,
    /// `invalid_request_error`, `api_error`, `idempotency_error`.
    pub(crate) kind: &'static str,
    pub(crate) code: Option<&'static str>,
    /// The parameter to blame, in bracket form (`options[document]`).
    pub(crate) param: Option<String>,
    pub(crate) message: String,
}

impl ApiFailure {
    /// A 400 `invalid_request_error`.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ApiFailure {
            status: 400,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: message.into(),
        }
    }

    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// `Received unknown parameter: foo`.
    pub(crate) fn unknown_parameter(param: &str) -> Self {
        ApiFailure::invalid(format!("Received unknown parameter: {param}"))
            .code("parameter_unknown")
            .param(param)
    }

    /// `Missing required param: type.`
    pub(crate) fn missing_parameter(param: &str) -> Self {
        ApiFailure::invalid(format!("Missing required param: {param}."))
            .code("parameter_missing")
            .param(param)
    }

    /// `No such verification_session: 'vs_123'`: a 404 for an id in the
    /// path, a 400 for an id in a parameter.
    pub(crate) fn no_such(object: &str, id: &str, param: &str, in_path: bool) -> Self {
        let short = object.rsplit('.').next().unwrap_or(object);
        ApiFailure::invalid(format!("No such {short}: '{id}'"))
            .code("resource_missing")
            .param(param)
            .status(if in_path { 404 } else { 400 })
    }

    /// A 500 `api_error`, as Stripe answers when something failed on its side.
    pub(crate) fn server_error() -> Self {
        ApiFailure {
            status: 500,
            kind: "api_error",
            code: None,
            param: None,
            message: "An unknown error occurred".to_owned(),
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> Value {
        let mut error = Map::new();
        if let Some(code) = self.code {
            error.insert("code".into(), json!(code));
            error.insert(
                "doc_url".into(),
                json!(format!("{DOC_URL}{}", code.replace('_', "-"))),
            );
        }
        error.insert("message".into(), json!(self.message));
        if let Some(param) = &self.param {
            error.insert("param".into(), json!(param));
        }
        error.insert("type".into(), json!(self.kind));
        json!({ "error": error })
    }
}

/// Stripe's way of listing allowed values: `a or b`, `a, b, or c`.
pub(crate) fn one_of(values: &[&str]) -> String {
    match values {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a} or {b}"),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_stripe_fields() {
        let body = ApiFailure::unknown_parameter("options[foo]").body();
        assert_eq!(
            body,
            json!({"error": {
                "code": "parameter_unknown",
                "doc_url": "https://stripe.com/docs/error-codes/parameter-unknown",
                "message": "Received unknown parameter: options[foo]",
                "param": "options[foo]",
                "type": "invalid_request_error",
            }})
        );
    }

    #[test]
    fn lists_read_like_stripe_messages() {
        assert_eq!(one_of(&["document"]), "document");
        assert_eq!(one_of(&["document", "id_number"]), "document or id_number");
        assert_eq!(one_of(&["a", "b", "c"]), "a, b, or c");
    }

    #[test]
    fn missing_resources_name_the_short_object() {
        let failure = ApiFailure::no_such("identity.verification_session", "vs_1", "session", true);
        assert_eq!(failure.status, 404);
        assert_eq!(failure.message, "No such verification_session: 'vs_1'");
    }
}
