//! The types of the generated table in `spec.rs`: what each operation
//! accepts and returns, as plain static data. The generator writes the
//! table from Stripe's OpenAPI spec; the double reads it to check requests
//! ([`super::validate`]), to find the handler of a request
//! ([`super::routes`]) and to build objects ([`super::objects`]).

/// The shape of a parameter or field value. (A spec need not use every
/// kind: Identity's has no numbers.)
#[derive(Debug)]
#[allow(dead_code)]
pub(crate) enum Shape {
    String,
    /// An integer, with the bounds Stripe documents (a list's `limit`).
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Number,
    Boolean,
    /// Unix seconds.
    Timestamp,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An id of the resource `object`, starting with `prefix` (empty when the
    /// spec's resource has no known prefix).
    Id {
        prefix: &'static str,
        object: &'static str,
    },
    Struct(&'static StructShape),
    Array(&'static Shape),
    /// Any keys, each with a value of this shape (`metadata`).
    Map(&'static Shape),
    /// An id, or the object itself when expanded.
    Expandable(&'static Shape),
    /// The inner shape, or `""` to clear it.
    Emptyable(&'static Shape),
    /// Any one of these shapes.
    Union(&'static [&'static Shape]),
    /// Any JSON; nothing is checked.
    Json,
    /// An event's `data.object`: the resource its event type carries.
    EventObject,
}

/// An object with known fields.
#[derive(Debug)]
pub(crate) struct StructShape {
    /// The Rust name of the generated type.
    pub(crate) name: &'static str,
    /// For resources, the object name (`identity.verification_session`).
    pub(crate) object: Option<&'static str>,
    pub(crate) fields: &'static [FieldShape],
}

impl StructShape {
    /// The field with this wire name.
    pub(crate) fn field(&self, name: &str) -> Option<&'static FieldShape> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A field of an object, or a parameter of an operation.
#[derive(Debug)]
pub(crate) struct FieldShape {
    /// The wire name.
    pub(crate) name: &'static str,
    pub(crate) required: bool,
    pub(crate) nullable: bool,
    /// Personal data or a secret, by the crate's privacy rule: redaction
    /// replaces it with a placeholder.
    pub(crate) sensitive: bool,
    pub(crate) shape: &'static Shape,
}

/// HTTP method of an operation. (Identity has no DELETE.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)]
pub(crate) enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One operation of the API.
#[derive(Debug)]
pub(crate) struct OperationSpec {
    /// The spec's `operationId` (`PostIdentityVerificationSessions`).
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    /// The path template (`/v1/identity/verification_sessions/{session}`).
    pub(crate) path: &'static str,
    /// What it does to its resource (`create`, `list`, `retrieve`, `cancel`, ...).
    pub(crate) verb: &'static str,
    /// The resource it serves (`identity.verification_session`), if any.
    pub(crate) object: Option<&'static str>,
    pub(crate) path_params: &'static [PathParam],
    /// Query (GET, DELETE) or form body (POST) parameters.
    pub(crate) params: &'static [FieldShape],
    pub(crate) response: ResponseShape,
}

/// A `{name}` segment of a path template.
#[derive(Debug)]
pub(crate) struct PathParam {
    pub(crate) name: &'static str,
    pub(crate) shape: &'static Shape,
}

/// What a successful call returns.
#[derive(Debug)]
pub(crate) enum ResponseShape {
    Object(&'static Shape),
    /// A page of a list of this item shape.
    List(&'static Shape),
}

/// An event type and the resource it carries.
#[derive(Debug)]
pub(crate) struct EventType {
    /// The type (`identity.verification_session.verified`).
    pub(crate) name: &'static str,
    /// The resource's object name (`identity.verification_session`).
    pub(crate) object: &'static str,
    pub(crate) shape: &'static Shape,
}
