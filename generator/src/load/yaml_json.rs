//! YAML to compact JSON, written event by event as libyaml parses them, so
//! that no more than the JSON is ever held (serde_yaml's deserializer
//! first loads every event of the document, several times the text).
//!
//! The JSON is the one serde_yaml's `deserialize_any` resolves
//! ([`yaml_scalar`](super::yaml_scalar)), with keys read as written text,
//! and the scan's checks apply: duplicate keys, nesting deeper than
//! [`MAX_DEPTH`], and the node budget, which an alias spends by as many
//! nodes as its anchor holds. An alias of a sequence or mapping copies the
//! JSON its anchor produced, which is why the output is never more than
//! the node budget allows and never quadratic to write.

use super::libyaml::{Event, Mark, Parser, Scalar, Start};
use super::scan::{Problem, JSON_PER_BYTE, MAX_DEPTH, MIN_NODE_BUDGET};
use super::yaml_scalar::{local_tag, resolve, Resolved};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Why the YAML was refused, at its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The document in `text` as compact JSON.
pub fn transcode(text: &str) -> Result<String, Refusal> {
    let budget = text.len().max(MIN_NODE_BUDGET);
    let transcoder = Transcoder {
        parser: Parser::new(text),
        // Compact JSON is about as long as the YAML it comes from.
        out: Vec::with_capacity(text.len()),
        budget,
        nodes_left: budget,
        out_limit: budget.saturating_mul(JSON_PER_BYTE),
        stack: Vec::new(),
        anchors: HashMap::new(),
    };
    let out = transcoder.run().map_err(|(mark, message)| Refusal {
        line: mark.line + 1,
        column: mark.column + 1,
        message,
    })?;
    // Every byte written is ASCII punctuation, serde_json's output or a
    // copy of earlier output, so the text is UTF-8.
    Ok(String::from_utf8(out).expect("the transcoder writes UTF-8"))
}

/// A refusal while transcoding: where, and the message.
type Stop = (Mark, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Seq => "sequence",
            Kind::Map => "map",
        }
    }
}

/// What an anchor names.
enum Anchored {
    /// A scalar, resolved again where an alias uses it (as a key it is its
    /// text, as a value what it means). `mark` is where it is written.
    Scalar { scalar: Scalar, mark: Mark },
    /// A finished sequence or mapping: its JSON, the nodes it counted and
    /// how many levels deep it nests.
    Node {
        kind: Kind,
        span: Range<usize>,
        nodes: usize,
        height: usize,
        mark: Mark,
    },
    /// A sequence or mapping still open: an alias to it would expand
    /// without end.
    Open { kind: Kind, mark: Mark },
}

/// An open sequence or mapping.
struct Frame {
    kind: Kind,
    /// Elements, or entries, written so far.
    len: usize,
    /// In a mapping, whether its key has been written and its value not.
    want_value: bool,
    /// The current key's text when it was written as a scalar (the path
    /// serde_yaml names in messages; `?` after an alias).
    key: Option<String>,
    seen: HashSet<String>,
    /// How deep the deepest container finished inside this one nests.
    inner: usize,
    /// Its anchor, with where its JSON starts and the nodes left then.
    anchor: Option<(Vec<u8>, usize, usize, Mark)>,
}

struct Transcoder<'t> {
    parser: Parser<'t>,
    out: Vec<u8>,
    budget: usize,
    nodes_left: usize,
    /// How long the JSON may grow.
    out_limit: usize,
    stack: Vec<Frame>,
    anchors: HashMap<Vec<u8>, Anchored>,
}

impl Transcoder<'_> {
    fn run(mut self) -> Result<Vec<u8>, Stop> {
        loop {
            match self.next()? {
                (Event::StreamStart | Event::DocumentStart, _) => {}
                // No document at all: serde_yaml reads null.
                (Event::StreamEnd, _) => return Ok(b"null".to_vec()),
                (event, mark) => break self.value(event, mark)?,
            }
        }
        while !self.stack.is_empty() {
            let (event, mark) = self.next()?;
            self.inside(event, mark)?;
        }
        // The document's end (or the syntax error before it), then the
        // stream's: anything else is a second document, which serde_yaml
        // refuses.
        let _document_end = self.next()?;
        match self.parser.next_event() {
            Ok((Event::StreamEnd, _)) => Ok(self.out),
            Ok((_, mark)) => Err((mark, MORE_THAN_ONE.to_owned())),
            Err(e) => Err((e.mark(), MORE_THAN_ONE.to_owned())),
        }
    }

    fn next(&mut self) -> Result<(Event, Mark), Stop> {
        self.parser.next_event().map_err(|e| {
            // serde_yaml's message without the position it appends.
            let message = e.to_string();
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            (e.mark(), message)
        })
    }

    /// An event inside the innermost open sequence or mapping.
    fn inside(&mut self, event: Event, mark: Mark) -> Result<(), Stop> {
        let Some(top) = self.stack.last_mut() else {
            return Ok(());
        };
        match (top.kind, top.want_value, event) {
            (Kind::Seq, _, Event::SequenceEnd) | (Kind::Map, false, Event::MappingEnd) => {
                self.close();
                Ok(())
            }
            (Kind::Map, false, event) => {
                if top.len > 0 {
                    self.out.push(b',');
                }
                self.key(event, mark)?;
                self.out.push(b':');
                if let Some(top) = self.stack.last_mut() {
                    top.want_value = true;
                }
                Ok(())
            }
            (Kind::Seq, _, event) => {
                if top.len > 0 {
                    self.out.push(b',');
                }
                self.value(event, mark)
            }
            (Kind::Map, true, event) => self.value(event, mark),
        }
    }

    /// A node where a value stands.
    fn value(&mut self, event: Event, mark: Mark) -> Result<(), Stop> {
        match event {
            Event::Scalar(mut scalar) => {
                self.write_scalar(&scalar, mark, mark)?;
                if let Some(name) = scalar.anchor.take() {
                    self.anchors.insert(name, Anchored::Scalar { scalar, mark });
                }
                self.finished();
                Ok(())
            }
            Event::SequenceStart(start) => self.open(Kind::Seq, start, mark),
            Event::MappingStart(start) => self.open(Kind::Map, start, mark),
            Event::Alias(name) => self.alias(&name, mark),
            // libyaml produces no other event where a node is expected.
            _ => Err((mark, "unexpected YAML event".to_owned())),
        }
    }

    /// Resolves and writes a scalar written at `at`, used (itself or
    /// through an alias) at `used`.
    fn write_scalar(&mut self, scalar: &Scalar, at: Mark, used: Mark) -> Result<(), Stop> {
        if let Some(tag) = local_tag(scalar.tag.as_deref()) {
            return Err(self.problem(Problem::Tag(tag.to_owned()), at));
        }
        let Ok(text) = std::str::from_utf8(&scalar.value) else {
            return Err(self.message(
                "invalid type: byte array, expected any YAML or JSON value",
                at,
            ));
        };
        let resolved = resolve(text, scalar.tag.as_deref(), scalar.style);
        let resolved = resolved.map_err(|message| self.message(&message, at))?;
        self.count(used)?;
        let out = &mut self.out;
        match resolved {
            Resolved::Null => out.extend_from_slice(b"null"),
            Resolved::Bool(v) => json(out, &v),
            Resolved::U64(v) => json(out, &v),
            Resolved::I64(v) => json(out, &v),
            Resolved::U128(v) => json(out, &v),
            Resolved::I128(v) => json(out, &v),
            Resolved::Str(v) => json(out, v),
            // JSON has no infinity or NaN: they are written as the YAML
            // text, a string, which a typed `f64` refuses (and the loader
            // then reads that item with serde_yaml).
            Resolved::F64(v) if v.is_finite() => json(out, &v),
            Resolved::F64(v) if v.is_nan() => json(out, ".nan"),
            Resolved::F64(v) => json(out, if v > 0.0 { ".inf" } else { "-.inf" }),
        }
        Ok(())
    }

    /// Opens a sequence or mapping.
    fn open(&mut self, kind: Kind, start: Start, mark: Mark) -> Result<(), Stop> {
        if let Some(tag) = local_tag(start.tag.as_deref()) {
            return Err(self.problem(Problem::Tag(tag.to_owned()), mark));
        }
        let nodes_before = self.nodes_left;
        self.count(mark)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.problem(Problem::TooDeep(MAX_DEPTH), mark));
        }
        let anchor = start.anchor.map(|name| {
            self.anchors
                .insert(name.clone(), Anchored::Open { kind, mark });
            (name, self.out.len(), nodes_before, mark)
        });
        self.out.push(if kind == Kind::Seq { b'[' } else { b'{' });
        self.stack.push(Frame {
            kind,
            len: 0,
            want_value: false,
            key: None,
            seen: HashSet::new(),
            inner: 0,
            anchor,
        });
        Ok(())
    }

    /// Closes the innermost sequence or mapping.
    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.out
            .push(if frame.kind == Kind::Seq { b']' } else { b'}' });
        let height = frame.inner + 1;
        if let Some(parent) = self.stack.last_mut() {
            parent.inner = parent.inner.max(height);
        }
        // An anchor redefined inside its own node names the inner node
        // (serde_yaml binds a name when a node starts).
        let anchor = frame
            .anchor
            .filter(|(name, ..)| matches!(self.anchors.get(name), Some(Anchored::Open { .. })));
        if let Some((name, start, nodes_before, mark)) = anchor {
            let node = Anchored::Node {
                kind: frame.kind,
                span: start..self.out.len(),
                nodes: nodes_before - self.nodes_left,
                height,
                mark,
            };
            self.anchors.insert(name, node);
        }
        self.finished();
    }

    /// Records that a value of the innermost container was written.
    fn finished(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.len += 1;
            top.want_value = false;
        }
    }

    /// An alias where a value stands: its anchor's node again, counted
    /// node by node as if it were written out.
    fn alias(&mut self, name: &[u8], mark: Mark) -> Result<(), Stop> {
        let (span, nodes, height) = match self.anchors.get(name) {
            None => return Err((mark, "unknown anchor".to_owned())),
            Some(Anchored::Scalar { scalar, mark: at }) => {
                let (scalar, at) = (scalar.clone(), *at);
                self.write_scalar(&scalar, at, mark)?;
                self.finished();
                return Ok(());
            }
            // serde_yaml would follow it until the depth limit.
            Some(Anchored::Open { .. }) => {
                return Err(self.problem(Problem::TooDeep(MAX_DEPTH), mark))
            }
            Some(Anchored::Node {
                span,
                nodes,
                height,
                ..
            }) => (span.clone(), *nodes, *height),
        };
        if nodes > self.nodes_left {
            return Err(self.problem(Problem::TooManyNodes(self.budget), mark));
        }
        if self.stack.len() + height > MAX_DEPTH {
            return Err(self.problem(Problem::TooDeep(MAX_DEPTH), mark));
        }
        if self.out.len() + span.len() > self.out_limit {
            return Err(self.problem(Problem::TooLong(self.out_limit), mark));
        }
        self.nodes_left -= nodes;
        self.out.extend_from_within(span);
        if let Some(parent) = self.stack.last_mut() {
            parent.inner = parent.inner.max(height);
        }
        self.finished();
        Ok(())
    }

    /// A mapping key: its text, refused if its mapping already had it.
    fn key(&mut self, event: Event, mark: Mark) -> Result<(), Stop> {
        let (text, through_alias) = match event {
            Event::Scalar(mut scalar) => {
                let value = match scalar.anchor.take() {
                    Some(name) => {
                        let value = scalar.value.clone();
                        self.anchors.insert(name, Anchored::Scalar { scalar, mark });
                        value
                    }
                    None => scalar.value,
                };
                (self.key_text(value, mark)?, false)
            }
            Event::Alias(name) => match self.anchors.get(&name) {
                None => return Err((mark, "unknown anchor".to_owned())),
                Some(Anchored::Scalar { scalar, mark: at }) => {
                    let (value, at) = (scalar.value.clone(), *at);
                    (self.key_text(value, at)?, true)
                }
                Some(Anchored::Node { kind, mark: at, .. } | Anchored::Open { kind, mark: at }) => {
                    let (kind, at) = (*kind, *at);
                    return Err(self.not_a_key(kind, at));
                }
            },
            Event::SequenceStart(_) => return Err(self.not_a_key(Kind::Seq, mark)),
            Event::MappingStart(_) => return Err(self.not_a_key(Kind::Map, mark)),
            _ => return Err((mark, "unexpected YAML event".to_owned())),
        };
        self.count(mark)?;
        let Some(top) = self.stack.last_mut() else {
            return Ok(());
        };
        if top.seen.contains(&text) {
            return Err(self.problem(Problem::DuplicateKey(text), mark));
        }
        json(&mut self.out, &text);
        // The key's text is kept for messages; its buffer is reused.
        match (&mut top.key, through_alias) {
            (_, true) => top.key = None,
            (Some(key), false) => {
                key.clear();
                key.push_str(&text);
            }
            (None, false) => top.key = Some(text.clone()),
        }
        top.seen.insert(text);
        Ok(())
    }

    fn key_text(&self, value: Vec<u8>, at: Mark) -> Result<String, Stop> {
        String::from_utf8(value)
            .map_err(|_| self.key_message("invalid type: byte array, expected a mapping key", at))
    }

    /// A sequence or mapping where a key stands: no OpenAPI map accepts
    /// one.
    fn not_a_key(&self, kind: Kind, at: Mark) -> Stop {
        let message = format!("invalid type: {}, expected a mapping key", kind.name());
        self.key_message(&message, at)
    }

    /// Counts one node against the budget, and the JSON against its limit.
    fn count(&mut self, mark: Mark) -> Result<(), Stop> {
        if self.out.len() > self.out_limit {
            return Err(self.problem(Problem::TooLong(self.out_limit), mark));
        }
        match self.nodes_left.checked_sub(1) {
            Some(left) => {
                self.nodes_left = left;
                Ok(())
            }
            None => Err(self.problem(Problem::TooManyNodes(self.budget), mark)),
        }
    }

    fn problem(&self, problem: Problem, mark: Mark) -> Stop {
        (mark, problem.to_string())
    }

    /// serde's message about the value being read, prefixed with its path
    /// as serde_yaml names it (`components.schemas.a: ...`).
    fn message(&self, message: &str, mark: Mark) -> Stop {
        (mark, with_path(&path(&self.stack), message))
    }

    /// [`Self::message`] about a key: the path is its mapping's.
    fn key_message(&self, message: &str, mark: Mark) -> Stop {
        let outer = &self.stack[..self.stack.len().saturating_sub(1)];
        (mark, with_path(&path(outer), message))
    }
}

const MORE_THAN_ONE: &str =
    "deserializing from YAML containing more than one document is not supported";

/// Writes one scalar as JSON.
fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    serde_json::to_writer(out, value).expect("writing to a Vec cannot fail");
}

/// serde_yaml's path to the value the innermost of `stack` is reading:
/// `.` at the root, `a.b[2].c` below.
fn path(stack: &[Frame]) -> String {
    let mut path: Option<String> = None;
    for frame in stack {
        path = Some(match frame.kind {
            Kind::Seq => format!("{}[{}]", path.as_deref().unwrap_or("."), frame.len),
            Kind::Map => {
                let parent = path.map(|p| p + ".").unwrap_or_default();
                parent + frame.key.as_deref().unwrap_or("?")
            }
        });
    }
    path.unwrap_or_else(|| ".".to_owned())
}

fn with_path(path: &str, message: &str) -> String {
    if path == "." {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// The reference: serde_yaml's own deserializer reading the text into
    /// a `serde_json::Value` (keys as text, scalars as `deserialize_any`
    /// resolves them, last duplicate wins).
    fn reference(text: &str) -> Option<Value> {
        serde_yaml::from_str::<Value>(text).ok()
    }

    /// Whether the transcoder's JSON reads as serde_yaml's: equal, except
    /// that a non-finite float, which the transcoder writes as its YAML text
    /// (`.inf`, `-.inf`, `.nan`), is `null` in serde_json's reading of
    /// serde_yaml (a JSON number cannot hold it).
    fn same_reading(ours: &Value, reference: &Value) -> bool {
        match (ours, reference) {
            (Value::String(s), Value::Null) => matches!(s.as_str(), ".inf" | "-.inf" | ".nan"),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_reading(x, y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((k, x), (l, y))| k == l && same_reading(x, y))
            }
            _ => ours == reference,
        }
    }

    fn transcoded(text: &str) -> Option<Value> {
        let json = transcode(text).ok()?;
        Some(serde_json::from_str(&json).expect("the transcoder writes JSON"))
    }

    fn refusal(text: &str) -> String {
        let r = transcode(text).unwrap_err();
        format!("{}:{}: {}", r.line, r.column, r.message)
    }

    #[test]
    fn documents_read_as_serde_yaml_reads_them() {
        let docs = [
            "a: 1\nb: [x, 'y', \"z\\t\\u00e9\"]\n'200': {c: ~, d: null, e: }\n",
            "- |\n  two\n  lines\n- >\n  folded\n  text\n- !!str 12\n- !!int '7'\n- !!float 2\n",
            "top:\n  - a: 1\n    b: [1, 2]\n  - &anchor {k: v, n: [0x1F, 0o17, -0b11, 007]}\n  - *anchor\n  - x: *anchor\n",
            "k: &s 0x10\n*s : text\nv: *s\nw: [*s, *s]\n",
            "e1: 1e3\ne2: -.5\ne3: 1_000\ne4: 12:30\ne5: 2001-12-14\ne6: +7\ne7: 18446744073709551615\n",
            "é ü: 'it''s'\n? complex key written explicitly\n: value\n",
            "",
            "# only a comment\n",
            "--- plain document\n...\n",
            "seq:\n- - - deep\n",
        ];
        for text in docs {
            assert_eq!(transcoded(text), reference(text), "{text:?}");
            assert!(reference(text).is_some(), "{text:?}");
        }
    }

    /// An alias names the latest node with its anchor, as the YAML spec
    /// says. (serde_yaml 0.9 numbers anchors by how many names it has seen,
    /// so after a name is reused a later anchor can take its number: in
    /// the second document it reads `*x` as `3`.)
    #[test]
    fn a_redefined_anchor_is_its_latest_node() {
        let text = "a: &x [1]\nb: &x {c: 2}\nd: *x\n";
        assert_eq!(
            transcode(text).unwrap(),
            r#"{"a":[1],"b":{"c":2},"d":{"c":2}}"#
        );
        let text = "a: &x {b: &x 2}\nc: &y 3\nd: *x\n";
        assert_eq!(transcode(text).unwrap(), r#"{"a":{"b":2},"c":3,"d":2}"#);
    }

    #[test]
    fn refusals_name_the_node_they_are_about() {
        assert_eq!(
            refusal("a: 1\nb:\n  c: 2\n  c: 3\n"),
            "4:3: duplicate key \"c\""
        );
        assert_eq!(refusal("a: 1\n'a': 2\n"), "2:1: duplicate key \"a\"");
        assert_eq!(refusal("a: [*nope]\n"), "1:5: unknown anchor");
        assert_eq!(
            refusal("a: &x [1, *x]\n"),
            format!("1:11: nested more than {MAX_DEPTH} levels deep")
        );
        assert_eq!(
            refusal("a: !thing x\n"),
            "1:4: the YAML tag `!thing` is not supported"
        );
        assert_eq!(
            refusal("a:\n  b: !!bool maybe\n"),
            "2:6: a.b: invalid value: string \"maybe\", expected a boolean"
        );
        assert_eq!(
            refusal("a: [1, {? [k] : v}]\n"),
            "1:11: a[1]: invalid type: sequence, expected a mapping key"
        );
        assert_eq!(
            refusal("a: &m {k: v}\nb: {*m : v}\n"),
            "1:4: b: invalid type: map, expected a mapping key"
        );
        assert_eq!(
            refusal("a: 1\n--- b\n"),
            "2:1: deserializing from YAML containing more than one document is not supported"
        );
        assert_eq!(refusal("a: [1\n"), "2:1: did not find expected ',' or ']'");
    }

    /// An alias is as deep as its anchor's node, wherever it stands.
    #[test]
    fn an_alias_nests_as_deep_as_its_anchor() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let ok = format!("a: &d {}\nb: *d\n", deep(MAX_DEPTH - 1));
        assert!(transcode(&ok).is_ok());
        let text = format!("a: &d {}\nb: [*d]\n", deep(MAX_DEPTH - 1));
        let message = format!("2:5: nested more than {MAX_DEPTH} levels deep");
        assert_eq!(refusal(&text), message);
    }

    /// Every alias spends its anchor's nodes: a billion laughs stops at
    /// the alias that passes the budget.
    #[test]
    fn aliases_spend_the_node_budget() {
        let mut text = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n".to_owned();
        for level in 1..9 {
            let refs = vec![format!("*l{}", level - 1); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        let message = refusal(&text);
        assert!(message.starts_with("5:"), "{message}");
        assert!(message.ends_with(&format!("past {MIN_NODE_BUDGET} nodes (an alias bomb?)")));
    }

    /// Scalars, keys and collections that serde_yaml resolves differently.
    fn scalar() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "1",
            "-2",
            "+3",
            "0x1F",
            "-0x1F",
            "0o17",
            "0b101",
            "007",
            "-0",
            "1.5",
            "-0.25",
            "1e3",
            ".5",
            "1_000",
            "true",
            "True",
            "FALSE",
            "yes",
            "no",
            "null",
            "~",
            "Null",
            "''",
            "'quoted'",
            "\"dq \\t \\u00e9\"",
            "\"200\"",
            "plain text",
            "é ü",
            "'it''s'",
            "!!str 12",
            "!!int '7'",
            "!!float 2",
            "!!null ~",
            "12:30",
            "2001-12-14",
            "'#'",
            "a#b",
        ])
    }

    /// Keys and their text.
    fn key() -> impl Strategy<Value = (&'static str, &'static str)> {
        prop::sample::select(vec![
            ("a", "a"),
            ("b", "b"),
            ("200", "200"),
            ("'200'", "200"),
            ("0x10", "0x10"),
            ("yes", "yes"),
            ("~", "~"),
            ("\"k q\"", "k q"),
            ("x-y", "x-y"),
            ("é", "é"),
            ("!!int 3", "3"),
        ])
    }

    #[derive(Debug, Clone)]
    enum Node {
        Scalar(&'static str),
        Seq(Vec<Node>),
        Map(Vec<((&'static str, &'static str), Node)>),
        /// An anchor on the node.
        Anchored(Box<Node>),
        /// An alias of an earlier anchor, picked by this number.
        Alias(usize),
    }

    fn node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            4 => scalar().prop_map(Node::Scalar),
            1 => any::<usize>().prop_map(Node::Alias),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Node::Seq),
                prop::collection::vec((key(), inner.clone()), 0..5).prop_map(Node::Map),
                inner.prop_map(|n| Node::Anchored(Box::new(n))),
            ]
        })
    }

    /// Renders nodes as YAML: mappings in block style at `indent`,
    /// everything inside a sequence in flow style.
    struct Render {
        text: String,
        /// Anchors named so far, and those whose nodes are finished.
        named: usize,
        finished: Vec<usize>,
    }

    impl Render {
        fn node(&mut self, node: &Node, indent: Option<usize>) {
            match node {
                Node::Scalar(s) => self.text.push_str(s),
                Node::Alias(pick) if !self.finished.is_empty() => {
                    let name = self.finished[pick % self.finished.len()];
                    self.text.push_str(&format!("*a{name}"));
                }
                Node::Alias(_) => self.text.push('1'),
                // A node has one anchor at most, and an alias none.
                Node::Anchored(inner) if matches!(**inner, Node::Anchored(_) | Node::Alias(_)) => {
                    self.node(inner, indent);
                }
                Node::Anchored(inner) => {
                    let name = self.named;
                    self.named += 1;
                    self.text.push_str(&format!("&a{name} "));
                    self.node(inner, indent);
                    self.finished.push(name);
                }
                Node::Seq(items) => {
                    self.text.push('[');
                    for (i, item) in items.iter().enumerate() {
                        self.text.push_str(if i > 0 { ", " } else { "" });
                        self.node(item, None);
                    }
                    self.text.push(']');
                }
                Node::Map(entries) => {
                    let mut seen = HashSet::new();
                    let entries: Vec<_> = entries
                        .iter()
                        .filter(|((_, t), _)| seen.insert(*t))
                        .collect();
                    match indent {
                        Some(indent) if !entries.is_empty() => {
                            for ((key, _), value) in entries {
                                self.text
                                    .push_str(&format!("\n{}{key}: ", " ".repeat(indent)));
                                self.node(value, Some(indent + 2));
                            }
                        }
                        _ => {
                            self.text.push('{');
                            for (i, ((key, _), value)) in entries.into_iter().enumerate() {
                                self.text.push_str(if i > 0 { ", " } else { "" });
                                self.text.push_str(&format!("{key}: "));
                                self.node(value, None);
                            }
                            self.text.push('}');
                        }
                    }
                }
            }
        }
    }

    /// Pieces of YAML syntax, valid or not, for the fuzz below.
    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a",
            ": ",
            "- ",
            "\n",
            "  ",
            "[",
            "]",
            "{",
            "}",
            ", ",
            "&x ",
            "*x",
            "&y ",
            "*y",
            "!t ",
            "!!int ",
            "!!str ",
            "? ",
            "'",
            "\"",
            "|\n",
            ">-\n",
            "#c",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            "%TAG ! tag:x,2000:\n",
            "\t",
            "\u{feff}",
            "é",
            "~",
            "0x",
            "1",
            ".inf",
            "\\",
            "\r\n",
        ])
    }

    /// Found by `any_yaml_is_json_or_a_located_refusal`: a non-finite
    /// float is written as its YAML text, where serde_json's reading of
    /// serde_yaml has `null`.
    #[test]
    fn a_non_finite_float_is_its_yaml_text() {
        let text = "!t : .inf";
        let ours = transcoded(text).unwrap();
        assert_eq!(ours, serde_json::json!({"": ".inf"}));
        assert_eq!(reference(text), Some(serde_json::json!({"": null})));
        assert!(same_reading(&ours, &reference(text).unwrap()));
        assert!(!same_reading(
            &serde_json::json!({"": "inf"}),
            &reference(text).unwrap()
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text is JSON or a refusal, never a panic: refused only when
        /// serde_yaml refuses it too or a key repeats, and read as
        /// serde_yaml reads it when it is a mapping without anchors.
        #[test]
        fn any_yaml_is_json_or_a_located_refusal(parts in prop::collection::vec(fragment(), 0..40)) {
            let text = parts.concat();
            match transcode(&text) {
                Ok(json) => {
                    let value: Value = serde_json::from_str(&json).unwrap();
                    let plain = !text.contains('&') && !text.contains("? ");
                    if plain && value.is_object() {
                        let expected = reference(&text);
                        prop_assert!(
                            expected.as_ref().is_some_and(|r| same_reading(&value, r)),
                            "{:?}: {:?} against {:?}", text, value, expected
                        );
                    }
                }
                // serde_yaml refuses it too, unless for a key it lets
                // the last one win.
                Err(refusal) => prop_assert!(
                    reference(&text).is_none() || refusal.message.starts_with("duplicate key"),
                    "{:?}: {:?}", text, refusal
                ),
            }
        }

        #[test]
        fn transcoding_matches_serde_yaml(entries in prop::collection::vec((key(), node()), 1..5)) {
            let mut render = Render { text: String::new(), named: 0, finished: Vec::new() };
            render.node(&Node::Map(entries), Some(0));
            let text = render.text;
            let expected = reference(&text);
            prop_assert!(expected.is_some(), "serde_yaml refuses {}", text);
            prop_assert_eq!(transcoded(&text), expected, "{}", text);
        }
    }
}
