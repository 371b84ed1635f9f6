//! Decoding JSON bodies, responses and webhook deliveries alike, so that a
//! failure names the path of the value that failed (`data[0].status`) and
//! never the value itself.
//!
//! A body is decoded by serde_json directly. Only when that fails is it
//! decoded once more, from a tree ([`crate::json_tree`]), to describe the
//! failure: serde_json's own message quotes the offending value, which in a
//! Stripe body can be a name or a birth date, while the second decode builds
//! its message from the kind of value found and what was expected
//! ([`crate::decode_failure`]). Successful decodes pay nothing for this.

use serde::de::DeserializeOwned;

use crate::decode_failure::scrub;
use crate::json_tree::Node;

/// A body that did not decode: where, and what the decoder said, without
/// any value from the body.
pub(crate) struct JsonError {
    /// JSON path of the value that failed; `.` is the top level, `*` a key
    /// of a map (`metadata.*`).
    pub path: String,
    /// What was expected and the kind of value found.
    pub message: String,
}

/// How an error inside a separately decoded value (an event's
/// `data.object`) starts its message: serde carries only a message out of
/// a `Deserialize` impl, so the inner path travels at its front.
const NESTED: &str = "at `";

/// Decodes one JSON value, with nothing after it.
///
/// The bytes are read as text: serde_json reads a `&str` faster than bytes
/// (it need not check each string's UTF-8 again), and event objects, cut out
/// of a body as text, use the same reader, so each type's `Deserialize` is
/// compiled for one reader only.
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        // serde_json's syntax error names where the bytes stop being UTF-8.
        let message = match Node::parse(bytes) {
            Err(syntax) => scrub(&syntax.to_string()),
            Ok(_) => "the body is not UTF-8".to_owned(),
        };
        return Err(JsonError {
            path: ".".to_owned(),
            message,
        });
    };
    serde_json::from_str(text).map_err(|plain| {
        let (path, message) = describe::<T>(bytes, &plain);
        located(path, message)
    })
}

/// Decodes a value cut out of a larger body at `at` (`data.object`). A
/// failure names its path from the body's root.
#[allow(dead_code)] // called by generated event decoding, which only portions with events have
pub(crate) fn from_raw<T: DeserializeOwned>(
    raw: &serde_json::value::RawValue,
    at: &str,
) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|plain| {
        let (path, message) = describe::<T>(raw.get().as_bytes(), &plain);
        let path = if path == "." {
            String::new()
        } else {
            format!(".{path}")
        };
        format!("{NESTED}{at}{path}`: {message}")
    })
}

/// The top-level `api_version` of a JSON object, if it has a string one.
pub(crate) fn api_version(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Versioned {
        api_version: Option<String>,
    }
    serde_json::from_slice::<Versioned>(bytes).ok()?.api_version
}

/// Why `bytes` do not decode as `T`, given serde_json's error `plain`: the
/// path and a message without values.
fn describe<T: DeserializeOwned>(bytes: &[u8], plain: &serde_json::Error) -> (String, String) {
    // Not JSON at all (or nested past serde_json's depth limit): serde_json's
    // message names the line and column of the fault, never content.
    let node = match Node::parse(bytes) {
        Ok(node) => node,
        Err(syntax) => return (".".to_owned(), scrub(&syntax.to_string())),
    };
    match node.decode::<T>() {
        Err(failure) => (failure.path(), failure.message().to_owned()),
        // The tree decoded where serde_json did not: a type that decodes
        // differently from the two. Say what serde_json said, scrubbed.
        Ok(_) => (".".to_owned(), scrub(&plain.to_string())),
    }
}

/// The error at `path`, or, when a nested decode failed (an event's
/// `data.object`, its message starting with the nested path), at the
/// nested path under `path`.
fn located(path: String, message: String) -> JsonError {
    let Some((inner, rest)) = message
        .strip_prefix(NESTED)
        .and_then(|m| m.split_once("`: "))
    else {
        return JsonError { path, message };
    };
    let path = match path.as_str() {
        "." => inner.to_owned(),
        outer => format!("{outer}.{inner}"),
    };
    JsonError {
        path,
        message: rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_an_error_at_the_top_naming_no_content() {
        // "Jenny" with its "y" replaced by a byte no UTF-8 text holds: the
        // sixth byte of the body.
        let Err(err) = from_slice::<String>(b"\"Jenn\xff\"") else {
            panic!("decoded bytes that are not UTF-8");
        };
        assert_eq!(err.path, ".");
        assert_eq!(err.message, "invalid unicode code point at line 1 column 6");
    }

    #[test]
    fn a_utf8_body_decodes_as_text() {
        let Ok(name) = from_slice::<String>("\"Zoë\"".as_bytes()) else {
            panic!("did not decode UTF-8 text");
        };
        assert_eq!(name, "Zoë");
    }
}
