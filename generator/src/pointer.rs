//! JSON pointers into the spec, which every error and warning carries to
//! say where it happened. A module of its own because both loading (which
//! locates parse errors) and the typed spec use it.

use std::fmt;

/// A JSON pointer into the spec (`#/components/schemas/x/properties/y`),
/// carried through conversion so every error can say where it happened.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer of the whole document.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// The pointer of a component schema.
    pub fn schema(name: &str) -> Self {
        Pointer("#/components/schemas".to_owned()).push(name)
    }

    /// The pointer of a path item.
    pub fn path(path: &str) -> Self {
        Pointer("#/paths".to_owned()).push(path)
    }

    /// Appends one segment, escaped as RFC 6901 requires (`~` and `/`).
    pub fn push(&self, segment: impl fmt::Display) -> Self {
        let escaped = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
