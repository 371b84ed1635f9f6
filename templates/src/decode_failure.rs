//! Why a JSON body did not decode, said without the values it holds.
//!
//! serde's own messages quote the offending value (`invalid type: string
//! "1990-01-01", expected ...`), and a Stripe body holds names, birth dates
//! and id numbers. [`Failure`] is a `serde::de::Error` that builds its
//! message from serde's structured parts instead: the kind of value found
//! (`string`), never the value, and what was expected. It also records the
//! path of the value that failed, naming object keys only when the type
//! being decoded knows them as field names; a key of a map (`metadata`) is
//! data and shows as `*`.
//!
//! Errors are made of these by decoding once more, on the failure path only,
//! from [`crate::json_tree`]: see [`crate::json`].

use std::fmt;

use serde::de::{Expected, Unexpected};

/// One step of the path from the body's root to the value that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A field the decoded type names (`verified_outputs`).
    Field(String),
    /// An element of an array.
    Index(usize),
    /// A key of a map: data, so never shown.
    Key,
}

/// A decoding failure: where, and what was expected, without the value.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// The path, innermost segment first (errors gain segments on their
    /// way out of the nested values).
    reversed_path: Vec<Segment>,
    message: String,
}

impl Failure {
    fn new(message: String) -> Self {
        Failure {
            reversed_path: Vec::new(),
            message,
        }
    }

    /// The same failure seen from one level further out.
    pub(crate) fn at(mut self, segment: Segment) -> Self {
        self.reversed_path.push(segment);
        self
    }

    /// The path from the root, as in `data[0].verified_outputs.dob`; `.` is
    /// the root itself and `*` a map key.
    pub(crate) fn path(&self) -> String {
        if self.reversed_path.is_empty() {
            return ".".to_owned();
        }
        let mut out = String::new();
        for segment in self.reversed_path.iter().rev() {
            match segment {
                Segment::Index(index) => out.push_str(&format!("[{index}]")),
                Segment::Field(name) => push_name(&mut out, name),
                Segment::Key => push_name(&mut out, "*"),
            }
        }
        out
    }

    /// What was expected and what kind of value was found.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

fn push_name(out: &mut String, name: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(name);
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl serde::de::Error for Failure {
    /// A message a `Deserialize` impl wrote itself. This crate's own impls
    /// never put a value in one; a message in serde's value-quoting shapes
    /// (a decoder's error turned into text by someone else's impl) is
    /// rewritten by [`scrub`].
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Failure::new(scrub(&msg.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Failure::new(format!(
            "invalid type: {}, expected {expected}",
            kind(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Failure::new(format!(
            "invalid value: {}, expected {expected}",
            kind(&unexpected)
        ))
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Failure::new(format!("invalid length {len}, expected {expected}"))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Failure::new(format!("unknown variant, {}", one_of(expected, "variants")))
    }

    fn unknown_field(_field: &str, expected: &'static [&'static str]) -> Self {
        Failure::new(format!("unknown field, {}", one_of(expected, "fields")))
    }

    fn missing_field(field: &'static str) -> Self {
        Failure::new(format!("missing field `{field}`"))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Failure::new(format!("duplicate field `{field}`"))
    }
}

/// The kind of an unexpected value in JSON's words, without the value.
fn kind(unexpected: &Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "integer",
        Unexpected::Float(_) => "floating point number",
        Unexpected::Char(_) => "character",
        Unexpected::Str(_) => "string",
        Unexpected::Bytes(_) => "byte array",
        Unexpected::Unit => "null",
        Unexpected::Option => "optional value",
        Unexpected::NewtypeStruct => "newtype struct",
        Unexpected::Seq => "array",
        Unexpected::Map => "object",
        Unexpected::Enum => "enum",
        Unexpected::UnitVariant => "unit variant",
        Unexpected::NewtypeVariant => "newtype variant",
        Unexpected::TupleVariant => "tuple variant",
        Unexpected::StructVariant => "struct variant",
        // Free text chosen by whoever raised the error: it could say anything.
        Unexpected::Other(_) => "value of another kind",
    }
}

/// `expected one of `a`, `b``, in serde's words; the names are the decoded
/// type's own, not data.
fn one_of(names: &[&str], what: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [] => format!("there are no {what}"),
        [one] => format!("expected {one}"),
        [a, b] => format!("expected {a} or {b}"),
        all => format!("expected one of {}", all.join(", ")),
    }
}

/// The shapes in which serde and serde_json quote a value, each with the
/// words it ends with: the value sits between the two.
const QUOTING: &[(&str, &[&str])] = &[
    ("invalid type: ", &[", expected "]),
    ("invalid value: ", &[", expected "]),
    (
        "unknown variant ",
        &[", expected ", ", there are no variants"],
    ),
    ("unknown field ", &[", expected ", ", there are no fields"]),
];

/// A message as it is unless it starts like one of serde's value-quoting
/// messages: then the value is cut out, keeping the kind of value where the
/// message says it, and what was expected.
///
/// This is a safety net for text that reached a `custom` error (the only
/// way a `Deserialize` impl can pass on another decoder's error); the
/// errors of this crate are built from structured parts instead.
pub(crate) fn scrub(message: &str) -> String {
    for (start, ends) in QUOTING {
        let Some(rest) = message.strip_prefix(start) else {
            continue;
        };
        // The expected part is the decoded type's own description; the value
        // comes before it and may itself hold anything, so search from the
        // end.
        let head = start.trim_end_matches([':', ' ']);
        let found = ends.iter().filter_map(|end| rest.rfind(end)).max();
        let Some(at) = found else {
            return format!("{head} (value withheld)");
        };
        return match start.ends_with(": ") {
            true => format!("{head}: {}{}", quoted_kind(&rest[..at]), &rest[at..]),
            false => format!("{head}{}", &rest[at..]),
        };
    }
    message.to_owned()
}

/// The kind word at the start of serde's text for an unexpected value
/// (`string "…"`, `integer `5``, `floating point `1.5``), or a neutral word.
fn quoted_kind(text: &str) -> &'static str {
    const KINDS: &[(&str, &str)] = &[
        ("string", "string"),
        ("integer", "integer"),
        ("floating point", "floating point number"),
        ("boolean", "boolean"),
        ("character", "character"),
        ("null", "null"),
        ("unit value", "null"),
        ("map", "object"),
        ("sequence", "array"),
        ("byte array", "byte array"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map_or("value", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::Error as _;

    #[test]
    fn structured_messages_name_the_kind_not_the_value() {
        let err = Failure::invalid_type(Unexpected::Str("Jenny Rosen"), &"a date");
        assert_eq!(err.message(), "invalid type: string, expected a date");
        let err = Failure::invalid_value(Unexpected::Signed(-1937), &"a month");
        assert_eq!(err.message(), "invalid value: integer, expected a month");
        let err = Failure::unknown_variant("Jenny", &["a", "b", "c"]);
        assert_eq!(
            err.message(),
            "unknown variant, expected one of `a`, `b`, `c`"
        );
        let err = Failure::unknown_field("jenny@example.com", &[]);
        assert_eq!(err.message(), "unknown field, there are no fields");
    }

    #[test]
    fn paths_show_fields_and_indices_but_not_map_keys() {
        let err = Failure::custom("x")
            .at(Segment::Key)
            .at(Segment::Field("metadata".to_owned()))
            .at(Segment::Index(2))
            .at(Segment::Field("data".to_owned()));
        assert_eq!(err.path(), "data[2].metadata.*");
        assert_eq!(Failure::custom("x").path(), ".");
    }

    #[test]
    fn scrub_cuts_values_out_of_serde_messages() {
        // Each message as serde_json 1.0 writes it, the value included.
        let cases = [
            (
                r#"invalid type: string "Jenny, expected x", expected a `Dob` object at line 1 column 9"#,
                "invalid type: string, expected a `Dob` object at line 1 column 9",
            ),
            (
                "invalid value: integer `1937`, expected u8",
                "invalid value: integer, expected u8",
            ),
            (
                "invalid type: floating point `12.5`, expected i64",
                "invalid type: floating point number, expected i64",
            ),
            (
                "unknown variant `Jenny`, expected `a` or `b`",
                "unknown variant, expected `a` or `b`",
            ),
            (
                "unknown field `jenny@example.com`, there are no fields",
                "unknown field, there are no fields",
            ),
            (
                "invalid type: string \"Jenny\"",
                "invalid type (value withheld)",
            ),
            ("missing field `id`", "missing field `id`"),
        ];
        for (before, after) in cases {
            assert_eq!(scrub(before), after, "{before}");
        }
    }
}
