//! Loading a spec file: YAML or JSON text into a [`Document`], JSON text
//! whose parts `spec::Spec` types into `openapiv3` only when they are first
//! used, with parse errors that carry the file, line and column. This
//! module names nothing of `spec`, which builds on it.

use crate::pointer::Pointer;
use crate::Error;
use indexmap::IndexMap;
use scan::Problem;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::ops::Range;

mod libyaml;
mod locate;
mod long_descriptions;
mod scan;
mod yaml_flow;
mod yaml_json;
mod yaml_scalar;

pub use scan::{MAX_DEPTH, MIN_NODE_BUDGET};
pub use yaml_flow::MAX_FLOW_DEPTH;

/// Reads spec text into a [`Document`]. `file` only names the input in
/// error messages.
///
/// JSON is detected by its first non-blank character; everything else is
/// YAML. A first pass refuses duplicate keys, nesting deeper than
/// [`MAX_DEPTH`] and YAML aliases that expand past one node per byte of
/// text (or [`MIN_NODE_BUDGET`]): `scan` for JSON, and for YAML
/// `yaml_json`, which writes the document out as compact JSON as libyaml
/// parses it. YAML is first checked for flow collections nested deeper than
/// [`MAX_FLOW_DEPTH`], which would make libyaml itself quadratic. The
/// caller is on the generator's own stack (`crate::stack`).
pub(crate) fn document<'t>(text: &'t str, file: &str) -> Result<Document<'t>, Error> {
    if text.trim_start().starts_with('{') {
        parse_json(text, file)
    } else {
        parse_yaml(text, file)
    }
}

fn parse_json<'t>(text: &'t str, file: &str) -> Result<Document<'t>, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    if let Err((e, problem)) = scan::scan(&mut de, text.len()) {
        return Err(json_error(text, file, &e, problem));
    }
    Ok(Document {
        json: Cow::Borrowed(text),
        yaml: None,
        file: file.to_owned(),
    })
}

fn parse_yaml<'t>(text: &'t str, file: &str) -> Result<Document<'t>, Error> {
    if let Some(offset) = yaml_flow::too_deep(text) {
        let (line, column) = line_col(text, offset);
        return Err(Error::Parse {
            file: file.to_owned(),
            line,
            column,
            message: Problem::TooDeep(MAX_FLOW_DEPTH).to_string(),
        });
    }
    let json = yaml_json::transcode(text).map_err(|refusal| Error::Parse {
        file: file.to_owned(),
        line: refusal.line,
        column: refusal.column,
        message: refusal.message,
    })?;
    Ok(Document {
        json: Cow::Owned(json),
        yaml: Some(text),
        file: file.to_owned(),
    })
}

/// A spec as JSON text: the input itself, or the JSON its YAML was
/// transcoded to, which is then kept beside it to locate errors.
pub(crate) struct Document<'t> {
    json: Cow<'t, str>,
    yaml: Option<&'t str>,
    file: String,
}

/// The top of an OpenAPI document: what [`Spec`] indexes, each value left
/// as text (`V` = `&RawValue`) or skipped (`V` = `IgnoredAny`, to locate an
/// error in YAML). Keys openapiv3 reads as extensions (`x-...`) are dropped
/// from `paths` by the caller.
#[derive(Deserialize)]
#[serde(bound(deserialize = "V: Deserialize<'de>"))]
pub(crate) struct Skeleton<V> {
    pub openapi: V,
    pub info: V,
    pub paths: IndexMap<String, V>,
    pub components: Option<Components<V>>,
}

/// The component sections the generator looks up.
#[derive(Deserialize)]
#[serde(bound(deserialize = "V: Deserialize<'de>"))]
pub(crate) struct Components<V> {
    #[serde(default = "IndexMap::new")]
    pub schemas: IndexMap<String, V>,
    #[serde(default = "IndexMap::new")]
    pub parameters: IndexMap<String, V>,
    #[serde(default = "IndexMap::new", rename = "requestBodies")]
    pub request_bodies: IndexMap<String, V>,
}

impl<'t> Document<'t> {
    /// The JSON text.
    pub(crate) fn json(&self) -> &str {
        &self.json
    }

    /// The skeleton of the document, with each value's byte range in the
    /// JSON text.
    pub(crate) fn skeleton(&self) -> Result<Skeleton<Range<usize>>, Error> {
        let json: &str = &self.json;
        let skeleton: Skeleton<&RawValue> = match serde_json::from_str(json) {
            Ok(skeleton) => skeleton,
            Err(e) => return Err(self.skeleton_error(&e)),
        };
        let range = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - json.as_ptr() as usize;
            start..start + raw.get().len()
        };
        let ranges = |map: IndexMap<String, &RawValue>| {
            map.into_iter().map(|(k, v)| (k, range(v))).collect()
        };
        Ok(Skeleton {
            openapi: range(skeleton.openapi),
            info: range(skeleton.info),
            paths: ranges(skeleton.paths),
            components: skeleton.components.map(|c| Components {
                schemas: ranges(c.schemas),
                parameters: ranges(c.parameters),
                request_bodies: ranges(c.request_bodies),
            }),
        })
    }

    /// A skeleton that does not deserialize: located in the YAML when the
    /// input was YAML.
    fn skeleton_error(&self, e: &serde_json::Error) -> Error {
        let Some(yaml) = self.yaml else {
            return json_error(&self.json, &self.file, e, None);
        };
        match serde_yaml::from_str::<Skeleton<IgnoredAny>>(yaml) {
            Err(e) => yaml_error(&self.file, &e),
            Ok(_) => self.unlocated(e, &Pointer::root()),
        }
    }

    /// Deserializes the value at `range` of the JSON text, which lies at
    /// `path` (keys from the root) in the document, its descriptions too
    /// long to keep cut first (`long_descriptions`).
    pub(crate) fn typed<T: DeserializeOwned>(
        &self,
        range: Range<usize>,
        path: &[&str],
    ) -> Result<T, Error> {
        let json: &str = &self.json;
        let e = match serde_json::from_str(&long_descriptions::cut(&json[range])) {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let pointer = path.iter().fold(Pointer::root(), |p, key| p.push(key));
        let at = |mut error: Error| {
            if let Error::Parse { message, .. } = &mut error {
                *message = format!("{message} (in {pointer})");
            }
            error
        };
        match self.yaml {
            // serde_json's position is relative to the value: the document
            // is read again up to it, for a position in the file.
            None => match locate::json::<T>(json, path) {
                Err(e) => Err(at(json_error(json, &self.file, &e, None))),
                Ok(_) => Err(self.unlocated(&e, &pointer)),
            },
            // serde_yaml reads a scalar as a string wherever a string is
            // expected (`version: 1.0`), which JSON does not: the item is
            // read from the YAML, which either succeeds as it always did or
            // fails with the YAML position.
            Some(yaml) => match locate::yaml::<T>(yaml, path) {
                Ok(Some(value)) => Ok(value),
                Ok(None) => Err(self.unlocated(&e, &pointer)),
                Err(e) => Err(at(yaml_error(&self.file, &e))),
            },
        }
    }

    /// An error the located second reading did not reproduce, which would
    /// be a bug in this module: reported with its pointer and no position.
    fn unlocated(&self, e: &serde_json::Error, pointer: &Pointer) -> Error {
        Error::Parse {
            file: self.file.clone(),
            line: 0,
            column: 0,
            message: format!("{} (in {pointer})", strip_position(&e.to_string())),
        }
    }
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

fn yaml_error(file: &str, e: &serde_yaml::Error) -> Error {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    Error::Parse {
        file: file.to_owned(),
        line,
        column,
        message: yaml_message(e),
    }
}

/// serde_yaml's own alias limit has no position and a terse message. Only
/// `locate` and `skeleton_error` read YAML with serde_yaml, after the
/// transcoder's node budget has accepted the document.
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

    /// Reads `text` as far as loading goes: the document and its skeleton
    /// (the top-level keys every spec has), on the generator's own stack.
    fn load(text: &str, file: &str) -> Result<(), Error> {
        crate::stack::on_large_stack(|| load_on_this_stack(text, file))
    }

    fn load_on_this_stack(text: &str, file: &str) -> Result<(), Error> {
        document(text, file)?.skeleton().map(drop)
    }

    /// The body of a small spec whose one schema is `schema`, in YAML.
    fn yaml_spec(version: &str, schema: &str) -> String {
        format!(
            "openapi: 3.0.0\ninfo:\n  title: t\n  version: {version}\npaths: {{}}\ncomponents:\n  schemas:\n    ok:\n      type: string\n    bad:\n{schema}"
        )
    }

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let err = load("openapi: 3.0.0\ninfo: [\n", "bad.yaml").unwrap_err();
        let Error::Parse { file, line, .. } = &err else {
            panic!("expected a parse error, got {err}")
        };
        assert_eq!(file, "bad.yaml");
        assert!(*line >= 2, "{err}");
    }

    #[test]
    fn json_error_has_line_and_column() {
        let err = load("{\n  \"openapi\": 3,,\n}", "bad.json").unwrap_err();
        assert!(err.to_string().starts_with("bad.json:2:"), "{err}");
    }

    #[test]
    fn a_json_duplicate_key_is_reported_at_its_opening_quote() {
        let text = "{\"openapi\": \"3.0.0\",\n  \"a\\\"b\" : 1,\n  \"a\\\"b\"  :2}";
        let err = load(text, "d.json").unwrap_err();
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
    /// default 2 MiB stack, `load_on_this_stack` refuses 100,000 levels at once.
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
                load_on_this_stack(&text, file)
                    .map(drop)
                    .map_err(|e| e.to_string())
            };
            let thread = std::thread::Builder::new().stack_size(2 << 20).spawn(parse);
            let message = thread.unwrap().join().unwrap().unwrap_err();
            assert!(message.contains("levels deep"), "{message}");
        }
    }

    #[test]
    fn a_custom_yaml_tag_is_refused_where_it_stands() {
        let err = load(&yaml_spec("'1'", "      type: !thing string\n"), "s.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.yaml:11:13: the YAML tag `!thing` is not supported"
        );
    }

    #[test]
    fn yaml_is_transcoded_to_the_json_serde_yaml_resolves() {
        let text = "a: [1, -2, 1.5, .inf, true, null, ~, '3', yes, 0x10]\n200: {}\n";
        let json = yaml_json::transcode(text).unwrap();
        assert_eq!(
            json,
            r#"{"a":[1,-2,1.5,".inf",true,null,null,"3","yes",16],"200":{}}"#
        );
    }

    /// Few aliases, each of a long string: within the node budget, but
    /// 100 MB of text once expanded.
    #[test]
    fn aliases_of_a_long_string_are_refused_before_the_json_grows_past_bounds() {
        let mut text = format!("a: &s {}\nb: [", "x".repeat(10_000));
        text.push_str(&"*s, ".repeat(10_000));
        text.push_str("*s]\n");
        let err = load(&text, "bomb.yaml").unwrap_err().to_string();
        // The alias that would take the JSON past the limit: the 40th
        // (`b: [` is 4 characters, each `*s, ` another 4).
        assert!(err.starts_with("bomb.yaml:2:161: "), "{err}");
        assert!(err.ends_with("bytes of JSON (an alias bomb?)"), "{err}");
    }

    #[test]
    fn not_an_openapi_document_is_a_parse_error() {
        let err = load("just: a map\n", "x.yaml").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
}
