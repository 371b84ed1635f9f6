//! Loading a spec file: YAML or JSON text into an `openapiv3::OpenAPI`, with
//! parse errors that carry the file, line and column.

use crate::Error;
use openapiv3::OpenAPI;
use scan::Problem;

mod scan;
mod yaml_flow;

pub use scan::{MAX_DEPTH, MIN_NODE_BUDGET};
pub use yaml_flow::MAX_FLOW_DEPTH;

/// Parses spec text. `file` only names the input in error messages.
///
/// JSON is detected by its first non-blank character and parsed with
/// serde_json, whose errors carry exact positions; everything else goes
/// through serde_yaml, which accepts JSON too but reports it less precisely.
///
/// Each parser reads the text twice: a first pass (`scan`) refuses
/// duplicate keys, nesting deeper than [`MAX_DEPTH`] and YAML aliases that
/// expand past one node per byte of text (or [`MIN_NODE_BUDGET`]), then the
/// second pass builds the `OpenAPI` value. The first pass keeps only the
/// keys of the mappings it is inside, so memory stays that of the parser.
/// YAML is first checked for flow collections nested deeper than
/// [`MAX_FLOW_DEPTH`], which would make libyaml itself quadratic.
pub fn parse_spec(text: &str, file: &str) -> Result<OpenAPI, Error> {
    crate::stack::on_large_stack(|| parse_on_this_stack(text, file))
}

/// [`parse_spec`] for a caller already on the generator's own stack.
pub(crate) fn parse_on_this_stack(text: &str, file: &str) -> Result<OpenAPI, Error> {
    if text.trim_start().starts_with('{') {
        parse_json(text, file)
    } else {
        parse_yaml(text, file)
    }
}

fn parse_json(text: &str, file: &str) -> Result<OpenAPI, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    if let Err((e, problem)) = scan::scan(&mut de, text.len()) {
        return Err(json_error(text, file, &e, problem));
    }
    serde_json::from_str(text).map_err(|e| json_error(text, file, &e, None))
}

fn json_error(text: &str, file: &str, e: &serde_json::Error, problem: Option<Problem>) -> Error {
    let (line, column) = match problem {
        Some(Problem::DuplicateKey(_)) => json_key_start(text, e.line(), e.column()),
        _ => None,
    }
    .unwrap_or((e.line(), e.column()));
    Error::Parse {
        file: file.to_owned(),
        line,
        column,
        message: problem.map_or_else(|| strip_position(&e.to_string()), |p| p.to_string()),
    }
}

fn parse_yaml(text: &str, file: &str) -> Result<OpenAPI, Error> {
    if let Some(offset) = yaml_flow::too_deep(text) {
        let (line, column) = line_col(text, offset);
        return Err(Error::Parse {
            file: file.to_owned(),
            line,
            column,
            message: Problem::TooDeep(MAX_FLOW_DEPTH).to_string(),
        });
    }
    let de = serde_yaml::Deserializer::from_str(text);
    if let Err((e, problem)) = scan::scan(de, text.len()) {
        return Err(yaml_error(file, &e, problem));
    }
    serde_yaml::from_str(text).map_err(|e| yaml_error(file, &e, None))
}

fn yaml_error(file: &str, e: &serde_yaml::Error, problem: Option<Problem>) -> Error {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let message = match problem {
        Some(problem) => problem.to_string(),
        None => yaml_message(e),
    };
    Error::Parse {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// serde_yaml's own alias limit has no position and a terse message; the
/// scan's node budget normally stops an alias bomb first.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let message = strip_position(&e.to_string());
    if message == "repetition limit exceeded" {
        "YAML aliases are expanded too many times (serde_yaml's repetition limit)".to_owned()
    } else {
        message
    }
}

/// serde_json reports an error raised while reading a key just past the
/// key; the duplicate is reported where the key starts, at its opening
/// quote. `None` if the text around the position is not a key after all.
fn json_key_start(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let after = line_start(text, line)? + column;
    let close = bytes
        .get(..after)?
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())?;
    if bytes[close] != b'"' {
        return None;
    }
    // JSON strings hold no raw quote: the first unescaped one before the
    // closing quote opens the key.
    let open = (0..close)
        .rev()
        .find(|&i| bytes[i] == b'"' && !escaped(&bytes[..i]))?;
    Some(line_col(text, open))
}

/// Whether what follows `bytes` is escaped: they end in an odd number of
/// backslashes.
fn escaped(bytes: &[u8]) -> bool {
    let backslashes = bytes.iter().rev().take_while(|&&b| b == b'\\');
    backslashes.fold(false, |odd, _| !odd)
}

/// Byte offset of the first byte of 1-based `line`.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// 1-based line and column of the byte `offset`. The column counts
/// characters, as libyaml does; serde_json counts bytes, which differs only
/// after non-ASCII text on the same line.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = 1 + before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
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
    fn a_json_duplicate_key_is_reported_at_its_opening_quote() {
        let text = "{\"openapi\": \"3.0.0\",\n  \"a\\\"b\" : 1,\n  \"a\\\"b\"  :2}";
        let err = parse_spec(text, "d.json").unwrap_err();
        assert_eq!(err.to_string(), "d.json:3:3: duplicate key \"a\\\"b\"");
    }

    #[test]
    fn positions_are_lines_and_character_columns() {
        let text = "ab\né€x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 3));
        assert_eq!(line_start(text, 2), Some(3));
        assert_eq!(line_start(text, 9), None);
        // Not after a key: the reported position is kept.
        assert_eq!(json_key_start("{\"a\": 1}", 1, 7), None);
    }

    /// The refusals do not depend on the generator's own stack: on a thread with the
    /// default 2 MiB stack, `parse_on_this_stack` refuses 100,000 levels at once.
    #[test]
    fn deep_input_is_refused_on_a_small_stack_without_the_parser_thread() {
        let n = 100_000;
        let cases = [
            (format!("{}{}", "[".repeat(n), "]".repeat(n)), "d.yaml"),
            (format!("x:\n  {}", "- ".repeat(n)), "d.yaml"),
            (
                format!("x: {}1{}", "{a: ".repeat(n), "}".repeat(n)),
                "d.yaml",
            ),
            (
                format!("{{\"x\": {}{}}}", "[".repeat(n), "]".repeat(n)),
                "d.json",
            ),
        ];
        for (text, file) in cases {
            let parse = move || {
                parse_on_this_stack(&text, file)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            let thread = std::thread::Builder::new().stack_size(2 << 20).spawn(parse);
            let message = thread.unwrap().join().unwrap().unwrap_err();
            assert!(message.contains("levels deep"), "{message}");
        }
    }

    #[test]
    fn not_an_openapi_document_is_a_parse_error() {
        let err = parse_spec("just: a map\n", "x.yaml").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
}
