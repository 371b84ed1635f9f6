//! Errors the generator reports. Every variant names where the problem is: a
//! file position for unparseable input, a JSON pointer into the spec for
//! schema problems, a path for I/O (templates and output).

use std::path::PathBuf;

/// Everything that can stop a generator run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is not valid YAML/JSON, or not an OpenAPI 3.0 document.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A `$ref` points at something the spec does not define.
    #[error("{pointer}: $ref `{target}` does not resolve to anything in the spec")]
    MissingRef { pointer: String, target: String },
    /// The spec has no error envelope. The client runtime is written against
    /// Stripe's (`templates/src/client.rs` decodes every error response as
    /// `models::Error`), so a crate without one would not compile.
    #[error("{pointer}: missing: the client decodes every error response as this schema (Stripe's error envelope), and the spec does not define it")]
    MissingErrorEnvelope { pointer: String },
    /// A schema or operation the generator cannot turn into Rust.
    #[error("{pointer}: unsupported: {reason}")]
    Unsupported { pointer: String, reason: String },
    /// Schemas nest deeper than the converter follows.
    #[error(
        "{pointer}: schemas nest more than {limit} levels deep here (a long chain of `$ref`s or deeply nested inline schemas)"
    )]
    Depth { pointer: String, limit: usize },
    /// Two different schemas would produce the same Rust name.
    #[error("two types would both be named `{name}`: {first} and {second}")]
    NameCollision {
        name: String,
        first: String,
        second: String,
    },
    /// The portion selects nothing from the spec. The spec's API version
    /// (`info.version`) comes with it, so a caller that treats an absent
    /// portion as empty (spec-diff) need not parse the spec again.
    #[error("the portion `{portion}` selects no operations and no schemas from the spec")]
    EmptyPortion {
        portion: String,
        api_version: String,
    },
    /// Emitted code failed to parse as Rust: a generator bug, reported with the file.
    #[error("internal error: generated {file} is not valid Rust: {message}")]
    Emit { file: String, message: String },
    /// A hand-written template is not in the form the generator expects.
    #[error("{path}: {message}")]
    Template { path: PathBuf, message: String },
    /// Reading templates or writing the output failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn unsupported(
        pointer: &crate::pointer::Pointer,
        reason: impl Into<String>,
    ) -> Self {
        Error::Unsupported {
            pointer: pointer.to_string(),
            reason: reason.into(),
        }
    }
}

/// A schema the generator replaced by opaque JSON (`serde_json::Value`) on
/// purpose, reported so that a fallback is never silent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// Why it became JSON.
    pub reason: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.reason)
    }
}
