//! Stripe's form encoding of request parameters.
//!
//! Stripe takes parameters as `application/x-www-form-urlencoded` pairs with
//! nested values written in bracket notation:
//!
//! ```text
//! metadata[order]=42
//! options[document][allowed_types][0]=passport
//! expand[0]=last_verification_report
//! ```
//!
//! Parameter structs are first serialized to a [`serde_json::Value`] (so their
//! serde attributes — renames, `skip_serializing_if` — apply), then flattened.
//!
//! Nested keys come from field names and from the keys of maps such as
//! `metadata`, which the caller chooses. A map key that is empty or holds
//! `[` or `]` is refused ([`Error::InvalidRequest`] naming its parameter, not
//! the key, which is data) before anything is sent: Stripe refuses such keys,
//! and a bracket would change the shape of the form (`metadata[a][b]` for the
//! key `a][b`).

use crate::error::Error;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// Flattens a parameter struct into `(key, value)` pairs in bracket notation.
///
/// - nested objects become `parent[child]`, arrays `parent[0]`, `parent[1]`;
/// - booleans are `true`/`false`, numbers are written as JSON writes them;
/// - JSON `null` (an absent optional field) is left out, and so are empty
///   objects and arrays, which would carry no pair at all;
/// - an empty string is kept: `field=` is how Stripe clears a field (see
///   [`Emptyable`](crate::emptyable::Emptyable));
/// - a nested key (a map key, such as a `metadata` key) that is empty or
///   holds `[` or `]` is an [`Error::InvalidRequest`] naming its parameter.
///
/// Keys come out in a fixed order (serde_json sorts object keys), so the same
/// parameters always encode to the same body.
pub(crate) fn to_pairs<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(value)
        .map_err(|e| Error::InvalidRequest(format!("cannot encode parameters: {e}")))?;
    let Value::Object(fields) = value else {
        return Err(Error::InvalidRequest(format!(
            "parameters must serialize to an object, not {}",
            kind(&value)
        )));
    };
    let mut pairs = Vec::new();
    // Top-level keys are the request type's field names, never the caller's.
    for (key, value) in &fields {
        flatten(key.clone(), value, &mut pairs)?;
    }
    Ok(pairs)
}

/// Appends the pairs for `value` found under `key` to `out`.
fn flatten(key: String, value: &Value, out: &mut Vec<(String, String)>) -> Result<(), Error> {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key, b.to_string())),
        Value::Number(n) => out.push((key, n.to_string())),
        Value::String(s) => out.push((key, s.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{key}[{index}]"), item, out)?;
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                check_nested_key(&key, name)?;
                flatten(format!("{key}[{name}]"), item, out)?;
            }
        }
    }
    Ok(())
}

/// Refuses a key under `parent` that Stripe would refuse or that would
/// change the nesting of the form. The error names the parameter, not the
/// key: a struct's field names never fail this check, so the key is a map's
/// (`metadata`), which is data.
fn check_nested_key(parent: &str, name: &str) -> Result<(), Error> {
    let parent = shown_key(parent);
    if name.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "parameter {parent:?} has an empty key, which Stripe refuses"
        )));
    }
    if name.contains(['[', ']']) {
        return Err(Error::InvalidRequest(format!(
            "a key of parameter {parent:?} holds `[` or `]`, which Stripe refuses in keys"
        )));
    }
    Ok(())
}

/// A parameter key as error messages show it: Stripe's own parameter names
/// (lowercase ASCII letters, digits and `_`) and the brackets between them
/// as they are, any other text between brackets as `…`, since only a map's
/// keys (`metadata[...]`), which are data, hold other text.
pub(crate) fn shown_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    while !rest.is_empty() {
        let end = rest.find(['[', ']']).unwrap_or(rest.len());
        let (part, after) = rest.split_at(end);
        let plain = part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        out.push_str(if plain { part } else { "…" });
        // The bracket itself, if any, is ASCII: one byte.
        let (bracket, after) = after.split_at(after.len().min(1));
        out.push_str(bracket);
        rest = after;
    }
    out
}

/// Names a JSON value's kind for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Bytes left as they are in values: ASCII letters, digits and `-._~`
/// (RFC 3986 "unreserved"), as Go's `url.QueryEscape` does. Space is handled
/// separately (written as `+`).
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Keys additionally keep `[` and `]` literal. This matches what Stripe's
/// official SDKs send (stripe-go and stripe-ruby percent-encode the key, then
/// turn `%5B`/`%5D` back into brackets) and keeps bodies and query strings
/// readable in logs; Stripe decodes both forms identically.
const KEY: &AsciiSet = &VALUE.remove(b'[').remove(b']');

/// Encodes pairs as `application/x-www-form-urlencoded` (`a=1&b[c]=2`), used
/// both for POST bodies and for GET/DELETE query strings.
pub(crate) fn encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        escape(key, KEY, &mut out);
        out.push('=');
        escape(value, VALUE, &mut out);
    }
    out
}

/// Percent-encodes `text` into `out`, writing spaces as `+`.
fn escape(text: &str, set: &'static AsciiSet, out: &mut String) {
    for (i, part) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(part, set));
    }
}

#[cfg(test)]
mod tests {
    use super::{encode, shown_key, to_pairs};
    use crate::emptyable::Emptyable;
    use crate::Error;
    use serde_json::json;

    fn pairs(value: serde_json::Value) -> Vec<(String, String)> {
        to_pairs(&value).expect("encodable")
    }

    fn pair(key: &str, value: &str) -> (String, String) {
        (key.to_owned(), value.to_owned())
    }

    #[test]
    fn scalars_at_top_level() {
        let got = pairs(json!({"limit": 3, "livemode": false, "email": "a@b.c"}));
        assert_eq!(
            got,
            [
                pair("email", "a@b.c"),
                pair("limit", "3"),
                pair("livemode", "false")
            ]
        );
    }

    #[test]
    fn nested_objects_use_brackets() {
        let got = pairs(json!({"metadata": {"order": "42", "user": "u_1"}}));
        assert_eq!(
            got,
            [pair("metadata[order]", "42"), pair("metadata[user]", "u_1")]
        );
    }

    #[test]
    fn arrays_are_indexed() {
        let got = pairs(json!({
            "expand": ["last_verification_report", "last_error"],
            "options": {"document": {"allowed_types": ["passport", "id_card"]}}
        }));
        assert_eq!(
            got,
            [
                pair("expand[0]", "last_verification_report"),
                pair("expand[1]", "last_error"),
                pair("options[document][allowed_types][0]", "passport"),
                pair("options[document][allowed_types][1]", "id_card"),
            ]
        );
    }

    #[test]
    fn range_filters() {
        let got = pairs(json!({"created": {"gte": 1_690_000_000, "lt": 1_700_000_000}}));
        assert_eq!(
            got,
            [
                pair("created[gte]", "1690000000"),
                pair("created[lt]", "1700000000")
            ]
        );
    }

    #[test]
    fn null_and_empty_containers_are_omitted() {
        let got = pairs(json!({"a": null, "b": {}, "c": [], "d": {"e": null}, "f": "x"}));
        assert_eq!(got, [pair("f", "x")]);
    }

    #[test]
    fn empty_string_is_kept() {
        let got = pairs(json!({"options": {"document": ""}}));
        assert_eq!(got, [pair("options[document]", "")]);
    }

    #[test]
    fn emptyable_clears_or_sets() {
        #[derive(serde::Serialize)]
        struct Params {
            cleared: Option<Emptyable<Vec<String>>>,
            set: Option<Emptyable<u32>>,
            untouched: Option<Emptyable<u32>>,
        }
        let params = Params {
            cleared: Some(Emptyable::Empty),
            set: Some(7.into()),
            untouched: None,
        };
        let got = to_pairs(&params).expect("encodable");
        assert_eq!(got, [pair("cleared", ""), pair("set", "7")]);
    }

    #[test]
    fn top_level_must_be_an_object() {
        let err = to_pairs(&json!(["a"])).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("an array"), "{err}");
    }

    #[test]
    fn unserializable_value_is_an_error() {
        use std::collections::BTreeMap;
        // JSON object keys must be strings.
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        let wrapped = BTreeMap::from([("m", map)]);
        assert!(matches!(to_pairs(&wrapped), Err(Error::InvalidRequest(_))));
    }

    #[test]
    fn map_keys_with_brackets_or_empty_are_refused_naming_the_parameter_only() {
        for key in ["a[b]", "Jenny]", "[", "", "x][y"] {
            let err = to_pairs(&json!({"metadata": {"ok": "1", key: "secret value"}})).unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
            assert!(text.contains("\"metadata\""), "{text}");
            assert!(!text.contains("secret value"), "{text}");
            assert!(!text.contains("Jenny"), "{text}");
        }
    }

    #[test]
    fn shown_keys_keep_parameter_names_and_hide_other_text() {
        let cases = [
            (
                "options[document][allowed_types][0]",
                "options[document][allowed_types][0]",
            ),
            ("metadata[Jenny Rosen]", "metadata[…]"),
            ("metadata[jenny@example.com][x", "metadata[…][x"),
            ("a]b[", "a]b["),
            ("", ""),
        ];
        for (key, shown) in cases {
            assert_eq!(shown_key(key), shown, "{key}");
        }
    }

    #[test]
    fn keys_are_checked_at_every_depth() {
        let nested = json!({"options": {"document": {"a[b": "1"}}});
        let err = to_pairs(&nested).unwrap_err();
        assert!(err.to_string().contains("\"options[document]\""), "{err}");
        let in_array = json!({"items": [{"": "1"}]});
        assert!(to_pairs(&in_array).is_err());
    }

    #[test]
    fn other_characters_in_map_keys_are_kept() {
        let got = pairs(json!({"metadata": {"a b&c=d/é": "1"}}));
        assert_eq!(got, [pair("metadata[a b&c=d/é]", "1")]);
    }

    #[test]
    fn encode_keeps_brackets_in_keys_and_escapes_values() {
        let body = encode(&[
            pair("metadata[note]", "a b&c=d/é[x]"),
            pair("options[document]", ""),
            pair("email", "x+y@example.com"),
        ]);
        assert_eq!(
            body,
            "metadata[note]=a+b%26c%3Dd%2F%C3%A9%5Bx%5D&options[document]=&email=x%2By%40example.com"
        );
    }

    #[test]
    fn encode_escapes_special_characters_in_keys() {
        let body = encode(&[pair("metadata[a&b=c d]", "1")]);
        assert_eq!(body, "metadata[a%26b%3Dc+d]=1");
    }

    #[test]
    fn encode_of_nothing_is_empty() {
        assert_eq!(encode(&[]), "");
    }
}
