//! A first pass over the document that builds nothing and checks what the
//! typed deserialization into `openapiv3` cannot:
//!
//! * duplicate keys: `IndexMap` silently keeps the last one, and a
//!   duplicated schema keyword makes `openapiv3` panic;
//! * nesting depth: both parsers stop at 128 levels, but the generator's
//!   later stages recurse too, so a tighter limit is enforced here, with
//!   one message for YAML and JSON;
//! * size after YAML alias expansion: serde_yaml's own repetition limit
//!   (100 jumps per event) still lets a 100 KB document expand
//!   quadratically, for longer than 30 seconds.
//!
//! The problem is recorded in [`Scan`] and the walk is stopped with a
//! custom serde error raised while the offending node is being read, so the
//! parser attaches that node's position.
//!
//! [`transcode`] is the same walk writing the document out as compact JSON,
//! so YAML is read once: what the walk sees is what serde_yaml's
//! `deserialize_any` resolves (`200` a number, `'200'` and `yes` strings),
//! and keys are read as text, as a typed map of strings reads them.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

/// Containers (mappings and sequences) nested deeper than this are refused.
/// Stripe's spec nests 25 deep; 64 leaves room, and keeps `build_ir` within
/// a 2 MiB stack in a debug build (the parser itself runs on a thread with
/// a larger one, see the `stack` module).
pub const MAX_DEPTH: usize = 64;

/// A document smaller than this many bytes may still expand to this many
/// nodes through aliases; larger ones may expand to one node per byte,
/// which no alias-free document exceeds.
pub const MIN_NODE_BUDGET: usize = 50_000;

/// How many bytes of JSON a transcoded document may take per byte of its
/// node budget. Without aliases JSON is at most 6 bytes per byte of YAML
/// (a control character escaped as `\u0001`); aliases of long strings
/// stay within the node budget but could otherwise repeat each string
/// thousands of times.
const JSON_PER_BYTE: usize = 8;

/// What the scan refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    DuplicateKey(String),
    TooDeep(usize),
    TooManyNodes(usize),
    TooLong(usize),
    Tag(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DuplicateKey(key) => write!(f, "duplicate key {key:?}"),
            Problem::TooDeep(limit) => write!(f, "nested more than {limit} levels deep"),
            Problem::TooManyNodes(budget) => write!(
                f,
                "YAML aliases expand the document past {budget} nodes (an alias bomb?)"
            ),
            Problem::TooLong(limit) => write!(
                f,
                "YAML aliases expand the document past {limit} bytes of JSON (an alias bomb?)"
            ),
            Problem::Tag(tag) => write!(f, "the YAML tag `!{tag}` is not supported"),
        }
    }
}

/// A refusal: the parser's error, which carries the position, and the
/// problem when the scan raised it.
pub type Refusal<E> = (E, Option<Problem>);

/// Walks the whole document from `de`, whose text is `text_len` bytes
/// long. On failure returns the parser's error, which carries the
/// position, and why the scan refused the input when it was the scan.
pub fn scan<'de, D: Deserializer<'de>>(de: D, text_len: usize) -> Result<(), Refusal<D::Error>> {
    walk(de, text_len, None).map(drop)
}

/// [`scan`], writing the document out as compact JSON text.
pub fn transcode<'de, D: Deserializer<'de>>(
    de: D,
    text_len: usize,
) -> Result<String, Refusal<D::Error>> {
    // Compact JSON is about as long as the YAML it comes from.
    let out = walk(de, text_len, Some(Vec::with_capacity(text_len)))?;
    let out = out.unwrap_or_default();
    // Every byte written is either ASCII punctuation or serde_json's
    // output for a `&str`, so the text is UTF-8.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

fn walk<'de, D: Deserializer<'de>>(
    de: D,
    text_len: usize,
    out: Option<Vec<u8>>,
) -> Result<Option<Vec<u8>>, Refusal<D::Error>> {
    let budget = text_len.max(MIN_NODE_BUDGET);
    let mut state = Scan {
        budget,
        nodes_left: budget,
        problem: None,
        out,
        out_limit: budget.saturating_mul(JSON_PER_BYTE),
    };
    let root = Node {
        state: &mut state,
        depth: 0,
    };
    match root.deserialize(de) {
        Ok(()) => Ok(state.out),
        Err(e) => Err((e, state.problem.take())),
    }
}

struct Scan {
    budget: usize,
    nodes_left: usize,
    problem: Option<Problem>,
    /// The JSON written so far, when transcoding.
    out: Option<Vec<u8>>,
    /// How long the JSON may grow.
    out_limit: usize,
}

impl Scan {
    /// Writes punctuation.
    fn punct(&mut self, byte: u8) {
        if let Some(out) = &mut self.out {
            out.push(byte);
        }
    }

    /// Writes the comma before an element or key, unless it is the first.
    fn separate(&mut self) {
        if let Some(out) = &mut self.out {
            if !matches!(out.last(), Some(b'[' | b'{')) {
                out.push(b',');
            }
        }
    }

    /// Writes one scalar as JSON.
    fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        if let Some(out) = &mut self.out {
            serde_json::to_writer(out, value).expect("writing to a Vec cannot fail");
        }
    }

    /// Writes the end of a container, dropping the comma [`Scan::separate`]
    /// wrote before the element that did not come.
    fn close(&mut self, byte: u8) {
        if let Some(out) = &mut self.out {
            if out.last() == Some(&b',') {
                out.pop();
            }
            out.push(byte);
        }
    }

    /// Writes a float. JSON has no infinity or NaN: they are written as the
    /// YAML text, a string, which a typed `f64` refuses (and the loader
    /// then reads that item with serde_yaml, as before).
    fn float(&mut self, v: f64) {
        if v.is_finite() {
            self.json(&v);
        } else if v.is_nan() {
            self.json(".nan");
        } else if v > 0.0 {
            self.json(".inf");
        } else {
            self.json("-.inf");
        }
    }

    /// Records `problem` and returns the error that stops the walk.
    fn fail<E: de::Error>(&mut self, problem: Problem) -> E {
        let error = E::custom(&problem);
        self.problem = Some(problem);
        error
    }

    fn count<E: de::Error>(&mut self) -> Result<(), E> {
        if self.out.as_ref().is_some_and(|o| o.len() > self.out_limit) {
            return Err(self.fail(Problem::TooLong(self.out_limit)));
        }
        match self.nodes_left.checked_sub(1) {
            Some(left) => {
                self.nodes_left = left;
                Ok(())
            }
            None => Err(self.fail(Problem::TooManyNodes(self.budget))),
        }
    }
}

/// Any value: counted, and walked into if it is a container.
struct Node<'s> {
    state: &'s mut Scan,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl Node<'_> {
    fn reborrow(&mut self) -> Node<'_> {
        Node {
            state: self.state,
            depth: self.depth,
        }
    }

    fn scalar<E: de::Error>(self, write: impl FnOnce(&mut Scan)) -> Result<(), E> {
        self.state.count()?;
        write(self.state);
        Ok(())
    }

    /// Counts this container and returns the seed for its children, one
    /// level deeper.
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        self.state.count()?;
        if self.depth >= MAX_DEPTH {
            return Err(self.state.fail(Problem::TooDeep(MAX_DEPTH)));
        }
        Ok(Node {
            state: self.state,
            depth: self.depth + 1,
        })
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(|s| s.json(&v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(|s| s.json(&v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.scalar(|s| s.json(&v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(|s| s.json(&v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.scalar(|s| s.json(&v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(|s| s.float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(|s| s.json(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.scalar(|s| s.json(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(|s| s.json(&()))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar(|s| s.json(&()))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.deserialize(de)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut child = self.enter()?;
        child.state.punct(b'[');
        loop {
            child.state.separate();
            if seq.next_element_seed(child.reborrow())?.is_none() {
                break;
            }
        }
        child.state.close(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut child = self.enter()?;
        child.state.punct(b'{');
        let mut seen = HashSet::new();
        loop {
            child.state.separate();
            let key = Key {
                node: child.reborrow(),
                seen: &mut seen,
            };
            if map.next_key_seed(key)?.is_none() {
                break;
            }
            child.state.punct(b':');
            map.next_value_seed(child.reborrow())?;
        }
        child.state.close(b'}');
        Ok(())
    }

    /// A YAML tag other than the core schema's (`!name value`) arrives as
    /// an enum. No OpenAPI field takes one, and JSON has no way to carry
    /// it, so it is refused where it stands.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (tag, _) = data.variant::<String>()?;
        Err(self.state.fail(Problem::Tag(tag)))
    }
}

/// A mapping key: refused if its mapping already had it. The error is
/// raised while the key is read, so the parser reports the key's position.
struct Key<'s> {
    node: Node<'s>,
    seen: &'s mut HashSet<String>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    /// Keys are read as text: a typed map of strings reads YAML's `200`
    /// and `0x10` as written, not as numbers.
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_str(self)
    }
}

impl Key<'_> {
    fn check<E: de::Error>(self, key: &str) -> Result<(), E> {
        self.node.state.count()?;
        if self.seen.contains(key) {
            return Err(self.node.state.fail(Problem::DuplicateKey(key.to_owned())));
        }
        self.node.state.json(key);
        self.seen.insert(key.to_owned());
        Ok(())
    }
}

/// Scalar keys are compared by their text (YAML's `200` and `"200"` are
/// the same response code). A sequence or mapping used as a key (YAML
/// `? [a, b]`) is refused by the parser: no OpenAPI map accepts one.
impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.check(v)
    }
}
