//! A first pass over the document that builds nothing and checks what the
//! typed deserialization into `openapiv3` cannot:
//!
//! * duplicate keys: `IndexMap` silently keeps the last one, and a
//!   duplicated schema keyword makes `openapiv3` panic;
//! * nesting depth: serde_json stops at 128 levels, but the generator's
//!   later stages recurse too, so a tighter limit is enforced here (and
//!   by `yaml_json`), with one message for YAML and JSON;
//! * size after YAML alias expansion (checked by `yaml_json`, since JSON
//!   has no aliases): serde_yaml's own repetition limit (100 jumps per
//!   event) still let a 100 KB document expand quadratically, for longer
//!   than 30 seconds.
//!
//! The problem is recorded in [`Scan`] and the walk is stopped with a
//! custom serde error raised while the offending node is being read, so the
//! parser attaches that node's position.
//!
//! This walk reads JSON through serde_json; YAML gets the same checks
//! event by event in `yaml_json`, which shares the limits and
//! [`Problem`]s defined here.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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
pub(super) const JSON_PER_BYTE: usize = 8;

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
    walk(de, text_len)
}

fn walk<'de, D: Deserializer<'de>>(de: D, text_len: usize) -> Result<(), Refusal<D::Error>> {
    let budget = text_len.max(MIN_NODE_BUDGET);
    let mut state = Scan {
        budget,
        nodes_left: budget,
        problem: None,
    };
    let root = Node {
        state: &mut state,
        depth: 0,
    };
    match root.deserialize(de) {
        Ok(()) => Ok(()),
        Err(e) => Err((e, state.problem.take())),
    }
}

struct Scan {
    budget: usize,
    nodes_left: usize,
    problem: Option<Problem>,
}

impl Scan {
    /// Records `problem` and returns the error that stops the walk.
    fn fail<E: de::Error>(&mut self, problem: Problem) -> E {
        let error = E::custom(&problem);
        self.problem = Some(problem);
        error
    }

    fn count<E: de::Error>(&mut self) -> Result<(), E> {
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

    fn scalar<E: de::Error>(self) -> Result<(), E> {
        self.state.count()
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

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.deserialize(de)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut child = self.enter()?;
        while seq.next_element_seed(child.reborrow())?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut child = self.enter()?;
        let mut seen = HashSet::new();
        loop {
            let key = Key {
                node: child.reborrow(),
                seen: &mut seen,
            };
            if map.next_key_seed(key)?.is_none() {
                break;
            }
            map.next_value_seed(child.reborrow())?;
        }
        Ok(())
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
