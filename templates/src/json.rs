//! Decoding JSON bodies so that a failure names the path of the value that
//! failed (`data[0].status`), for responses and webhook deliveries alike.

use serde::de::DeserializeOwned;

/// A body that did not decode: where, and what the decoder said.
pub(crate) struct JsonError {
    /// JSON path of the value that failed; `.` is the top level.
    pub path: String,
    /// What the decoder expected and found.
    pub message: String,
}

/// How an error inside a separately decoded value (an event's
/// `data.object`) starts its message: serde carries only a message out of
/// a `Deserialize` impl, so the inner path travels at its front.
const NESTED: &str = "at `";

/// Decodes one JSON value, with nothing after it.
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| located(e.path().to_string(), e.inner().to_string()))?;
    // Trailing garbage after the JSON value is an error too.
    deserializer.end().map_err(|e| JsonError {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Decodes a value cut out of a larger body at `at` (`data.object`). A
/// failure names its path from the body's root.
///
/// Tracking the path costs as much as decoding, so it is only done again,
/// on the same bytes, once a plain decode has failed.
#[allow(dead_code)] // called by generated event decoding, which only portions with events have
pub(crate) fn from_raw<T: DeserializeOwned>(
    raw: &serde_json::value::RawValue,
    at: &str,
) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|plain| {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => (e.path().to_string(), e.inner().to_string()),
            Ok(_) => (".".to_owned(), plain.to_string()),
        };
        let path = if path == "." {
            String::new()
        } else {
            format!(".{path}")
        };
        format!("{NESTED}{at}{path}`: {message}")
    })
}

/// The error at `path`, or, when a nested decode failed at the top level
/// of this one, at the nested path its message starts with.
fn located(path: String, message: String) -> JsonError {
    let nested = (path == ".")
        .then(|| message.strip_prefix(NESTED)?.split_once("`: "))
        .flatten();
    match nested {
        Some((inner, rest)) => JsonError {
            path: inner.to_owned(),
            message: rest.to_owned(),
        },
        None => JsonError { path, message },
    }
}
