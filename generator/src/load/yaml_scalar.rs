//! What a YAML scalar means, resolved exactly as serde_yaml 0.9's
//! `deserialize_any` resolves it (ported from its `de.rs`), so that the
//! JSON the transcoder writes is the JSON serde_yaml's walk wrote before:
//! plain `200` is a number, `'200'`, `yes` and `0777` are strings, `~` is
//! null, and a core-schema tag (`!!int 7`) must fit its type.

use super::libyaml::Style;
use std::num::ParseIntError;

/// A resolved scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Str(&'a str),
}

const BOOL: &[u8] = b"tag:yaml.org,2002:bool";
const INT: &[u8] = b"tag:yaml.org,2002:int";
const FLOAT: &[u8] = b"tag:yaml.org,2002:float";
const NULL: &[u8] = b"tag:yaml.org,2002:null";

/// The name serde_yaml reads as an enum variant for a local tag
/// (`!thing` -> `thing`, a bare `!` -> `!`): such a node is refused.
pub fn local_tag(tag: Option<&[u8]>) -> Option<&str> {
    let (b'!', rest) = tag?.split_first()? else {
        return None;
    };
    let name = if rest.is_empty() { tag? } else { rest };
    std::str::from_utf8(name).ok()
}

/// Resolves the scalar `v` (serde_yaml's `visit_scalar`); the error is
/// serde's message for a tagged scalar that does not fit its tag.
pub fn resolve<'a>(v: &'a str, tag: Option<&[u8]>, style: Style) -> Result<Resolved<'a>, String> {
    let invalid = |expected: &str| format!("invalid value: string {v:?}, expected {expected}");
    match tag {
        Some(BOOL) => parse_bool(v)
            .map(Resolved::Bool)
            .ok_or_else(|| invalid("a boolean")),
        Some(INT) => int(v).ok_or_else(|| invalid("an integer")),
        Some(FLOAT) => parse_f64(v)
            .map(Resolved::F64)
            .ok_or_else(|| invalid("a float")),
        Some(NULL) => parse_null(v)
            .map(|()| Resolved::Null)
            .ok_or_else(|| invalid("null")),
        Some(tag) if tag.starts_with(b"!") && style == Style::Plain => Ok(untagged(v)),
        Some(_) => Ok(Resolved::Str(v)),
        None if style == Style::Plain => Ok(untagged(v)),
        None => Ok(Resolved::Str(v)),
    }
}

/// A plain scalar without a tag (serde_yaml's `visit_untagged_scalar`).
fn untagged(v: &str) -> Resolved<'_> {
    if v.is_empty() || parse_null(v).is_some() {
        return Resolved::Null;
    }
    if let Some(b) = parse_bool(v) {
        return Resolved::Bool(b);
    }
    if let Some(int) = int(v) {
        return int;
    }
    if !digits_but_not_number(v) {
        if let Some(float) = parse_f64(v) {
            return Resolved::F64(float);
        }
    }
    Resolved::Str(v)
}

/// serde_yaml's `visit_int`: the narrowest of u64, i64, u128, i128.
fn int(v: &str) -> Option<Resolved<'_>> {
    None.or_else(|| parse_unsigned_int(v, u64::from_str_radix).map(Resolved::U64))
        .or_else(|| parse_negative_int(v, i64::from_str_radix).map(Resolved::I64))
        .or_else(|| parse_unsigned_int(v, u128::from_str_radix).map(Resolved::U128))
        .or_else(|| parse_negative_int(v, i128::from_str_radix).map(Resolved::I128))
}

fn parse_null(v: &str) -> Option<()> {
    matches!(v, "null" | "Null" | "NULL" | "~").then_some(())
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

type Radix<T> = fn(&str, u32) -> Result<T, ParseIntError>;

/// `0x`, `0o` and `0b` prefixes with the radix each means.
const PREFIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

fn parse_unsigned_int<T>(scalar: &str, from_str_radix: Radix<T>) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(scalar: &str, from_str_radix: Radix<T>) -> Option<T> {
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = scalar
            .strip_prefix('-')
            .and_then(|s| s.strip_prefix(prefix))
        {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits are a string in YAML 1.2 (`0777`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Resolved::*;

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_documents() {
        let cases = [
            ("", Null),
            ("~", Null),
            ("NULL", Null),
            ("True", Bool(true)),
            ("FALSE", Bool(false)),
            ("yes", Str("yes")),
            ("+12", U64(12)),
            ("-0x1F", I64(-31)),
            ("0o17", U64(15)),
            ("0b101", U64(5)),
            ("0777", Str("0777")),
            ("18446744073709551616", U128(1 << 64)),
            ("1e3", F64(1000.0)),
            ("-.INF", F64(f64::NEG_INFINITY)),
            ("++1", Str("++1")),
            ("0x", Str("0x")),
        ];
        for (text, expected) in cases {
            assert_eq!(resolve(text, None, Style::Plain), Ok(expected), "{text}");
        }
        assert_eq!(resolve("12", None, Style::Quoted), Ok(Str("12")));
    }

    #[test]
    fn core_tags_must_fit() {
        assert_eq!(resolve("7", Some(INT), Style::Quoted), Ok(U64(7)));
        assert_eq!(
            resolve("x", Some(BOOL), Style::Plain),
            Err("invalid value: string \"x\", expected a boolean".to_owned())
        );
        assert_eq!(resolve("", Some(NULL), Style::Plain).ok(), None);
        assert_eq!(
            resolve("7", Some(b"tag:yaml.org,2002:str"), Style::Plain),
            Ok(Str("7"))
        );
        assert_eq!(local_tag(Some(b"!thing")), Some("thing"));
        assert_eq!(local_tag(Some(b"!")), Some("!"));
        assert_eq!(local_tag(Some(INT)), None);
    }
}
