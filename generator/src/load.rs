//! Loading a spec file: YAML or JSON text into an `openapiv3::OpenAPI`, with
//! parse errors that carry the file, line and column.

use crate::Error;
use openapiv3::OpenAPI;

/// Parses spec text. `file` only names the input in error messages.
///
/// JSON is detected by its first non-blank character and parsed with
/// serde_json, whose errors carry exact positions; everything else goes
/// through serde_yaml, which accepts JSON too but reports it less precisely.
pub fn parse_spec(text: &str, file: &str) -> Result<OpenAPI, Error> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| Error::Parse {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            Error::Parse {
                file: file.to_owned(),
                line,
                column,
                message: strip_position(&e.to_string()),
            }
        })
    }
}

/// Both parsers append their own " at line X column Y"; the position is
/// already in the error's prefix, so the duplicate is dropped.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let err = parse_spec("openapi: 3.0.0\ninfo: [\n", "bad.yaml").unwrap_err();
        let Error::Parse { file, line, .. } = &err else {
            panic!("expected a parse error, got {err}")
        };
        assert_eq!(file, "bad.yaml");
        assert!(*line >= 2, "{err}");
    }

    #[test]
    fn json_error_has_line_and_column() {
        let err = parse_spec("{\n  \"openapi\": 3,,\n}", "bad.json").unwrap_err();
        assert!(err.to_string().starts_with("bad.json:2:"), "{err}");
    }

    #[test]
    fn not_an_openapi_document_is_a_parse_error() {
        let err = parse_spec("just: a map\n", "x.yaml").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
}
