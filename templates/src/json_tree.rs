//! A JSON document as a tree, read back through a `Deserializer` whose
//! errors are [`Failure`]s: how a body that failed to decode is decoded once
//! more to say why, without quoting its values (see [`crate::json`]).
//!
//! serde_json builds its error messages itself, value included, before any
//! other code sees them. Decoding the same bytes again from this tree makes
//! every error go through [`Failure`]'s structured constructors instead.
//! The tree keeps what serde_json's streaming decoder would see: every key
//! in order, repeated keys included (a repeated field is an error there
//! too), and numbers as serde_json reads them.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::decode_failure::{Failure, Segment};

/// The name under which serde_json's `RawValue` asks a deserializer for the
/// raw text of a value. serde_json's own `Value` deserializer answers it the
/// same way; the event envelope keeps `data.object` as a `RawValue`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// One JSON value.
#[derive(Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    /// Every key in order, repeated keys included.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// Parses a JSON text; the error is serde_json's syntax error, which
    /// names a line and column, never content.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Node, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// Decodes `T` from this tree.
    pub(crate) fn decode<'de, T: de::Deserialize<'de>>(&'de self) -> Result<T, Failure> {
        T::deserialize(NodeDeserializer(self))
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Node::Null => Unexpected::Unit,
            Node::Bool(b) => Unexpected::Bool(*b),
            // As serde_json's visitors would report the number: the value
            // is carried only for `Failure` to name its kind.
            Node::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Unexpected::Unsigned(u),
                (None, Some(i), _) => Unexpected::Signed(i),
                (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
            },
            Node::String(s) => Unexpected::Str(s),
            Node::Array(_) => Unexpected::Seq,
            Node::Object(_) => Unexpected::Map,
        }
    }
}

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Node, E> {
        // JSON text has no NaN or infinity, so this always succeeds.
        Ok(serde_json::Number::from_f64(value).map_or(Node::Null, Node::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}

/// Writes the tree back as JSON text, repeated keys included: the raw text
/// a `RawValue` asks for.
impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => n.serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => serializer.collect_seq(items),
            Node::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Reads a [`Node`] as serde_json's streaming decoder reads the same text.
struct NodeDeserializer<'de>(&'de Node);

impl<'de> NodeDeserializer<'de> {
    /// A value of another kind than `visitor` asked for.
    fn invalid<V: Visitor<'de>>(self, visitor: &V) -> Failure {
        de::Error::invalid_type(self.0.unexpected(), visitor)
    }

    fn number<V: Visitor<'de>>(n: &serde_json::Number, visitor: V) -> Result<V::Value, Failure> {
        match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => visitor.visit_u64(u),
            (None, Some(i), _) => visitor.visit_i64(i),
            (None, None, f) => visitor.visit_f64(f.unwrap_or(f64::NAN)),
        }
    }

    fn seq<V: Visitor<'de>>(items: &'de [Node], visitor: V) -> Result<V::Value, Failure> {
        let mut seq = Seq {
            items: items.iter(),
            index: 0,
        };
        let value = visitor.visit_seq(&mut seq)?;
        seq.finished(items.len(), &"fewer elements in array")?;
        Ok(value)
    }

    fn map<V: Visitor<'de>>(
        entries: &'de [(String, Node)],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let mut map = Map {
            entries: entries.iter(),
            pending: None,
        };
        let value = visitor.visit_map(&mut map)?;
        map.finished(entries.len())?;
        Ok(value)
    }
}

/// Each typed request (`deserialize_struct`, `deserialize_str`, ...) calls
/// only the visitor method its kind of value needs, and says what it found
/// otherwise, as serde_json's own decoder does: going through
/// `deserialize_any` would compile every `visit_*` method of every visitor
/// (their defaults build errors), for a decoder that only runs once a body
/// has failed.
impl<'de> Deserializer<'de> for NodeDeserializer<'de> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Number(n) => Self::number(n, visitor),
            Node::String(s) => visitor.visit_borrowed_str(s),
            Node::Array(items) => Self::seq(items, visitor),
            Node::Object(entries) => Self::map(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Number(n) => Self::number(n, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Array(items) => Self::seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Object(entries) => Self::map(entries, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    /// An object, or an array of the fields in order, as serde_json takes.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Object(entries) => Self::map(entries, visitor),
            Node::Array(items) => Self::seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.0 {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        if name == RAW_VALUE_TOKEN {
            let text = serde_json::to_string(self.0).map_err(de::Error::custom)?;
            return visitor.visit_map(RawValueAccess { text: Some(text) });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let (variant, value) = match self.0 {
            Node::String(variant) => (variant, None),
            Node::Object(entries) if entries.len() == 1 => (&entries[0].0, Some(&entries[0].1)),
            other => return Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        };
        visitor.visit_enum(Enum { variant, value })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        char bytes byte_buf
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_i64(visitor)
    }
}

/// The elements of an array; an error inside one gains its index.
struct Seq<'de> {
    items: std::slice::Iter<'de, Node>,
    index: usize,
}

impl Seq<'_> {
    /// Refuses elements the visitor left unread, as serde_json does.
    fn finished(&self, len: usize, expected: &dyn de::Expected) -> Result<(), Failure> {
        match self.items.len() {
            0 => Ok(()),
            _ => Err(de::Error::invalid_length(len, expected)),
        }
    }
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Failure;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Failure> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(NodeDeserializer(item))
            .map(Some)
            .map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object. An error inside a value gains its key when the
/// type being decoded read the key as a field name, and `*` when it read it
/// as data (a map's key).
struct Map<'de> {
    entries: std::slice::Iter<'de, (String, Node)>,
    pending: Option<(&'de Node, Segment)>,
}

impl Map<'_> {
    fn finished(&self, len: usize) -> Result<(), Failure> {
        match self.entries.len() {
            0 => Ok(()),
            _ => Err(de::Error::invalid_length(len, &"fewer elements in map")),
        }
    }
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Failure> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let named = Cell::new(false);
        let decoded = seed.deserialize(KeyDeserializer { key, named: &named })?;
        let segment = match named.get() {
            true => Segment::Field(key.clone()),
            false => Segment::Key,
        };
        self.pending = Some((value, segment));
        Ok(Some(decoded))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failure> {
        let Some((value, segment)) = self.pending.take() else {
            return Err(de::Error::custom("a map value was read before its key"));
        };
        seed.deserialize(NodeDeserializer(value))
            .map_err(|e| e.at(segment))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object key. Types read their field names with
/// `deserialize_identifier` (serde's derive, this crate's models) and map
/// keys as strings: which one was asked tells a field name from data.
struct KeyDeserializer<'de, 'b> {
    key: &'de str,
    named: &'b Cell<bool>,
}

impl<'de> Deserializer<'de> for KeyDeserializer<'de, '_> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_borrowed_str(self.key)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.named.set(true);
        visitor.visit_borrowed_str(self.key)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum ignored_any
    }
}

/// An externally tagged enum value: a string (a unit variant) or an object
/// with one key (the variant) and its content.
struct Enum<'de> {
    variant: &'de str,
    value: Option<&'de Node>,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = Failure;
    type Variant = Variant<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'de>), Failure> {
        let named = Cell::new(false);
        let variant = seed.deserialize(KeyDeserializer {
            key: self.variant,
            named: &named,
        })?;
        let segment = match named.get() {
            true => Segment::Field(self.variant.to_owned()),
            false => Segment::Key,
        };
        Ok((
            variant,
            Variant {
                value: self.value,
                segment,
            },
        ))
    }
}

struct Variant<'de> {
    value: Option<&'de Node>,
    segment: Segment,
}

impl Variant<'_> {
    fn missing(&self, expected: &str) -> Failure {
        de::Error::invalid_type(Unexpected::UnitVariant, &expected)
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Failure;

    fn unit_variant(self) -> Result<(), Failure> {
        match self.value {
            None | Some(Node::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(other.unexpected(), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Failure> {
        match self.value {
            Some(value) => seed
                .deserialize(NodeDeserializer(value))
                .map_err(|e| e.at(self.segment)),
            None => Err(self.missing("newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Failure> {
        match self.value {
            Some(value) => NodeDeserializer(value)
                .deserialize_any(visitor)
                .map_err(|e| e.at(self.segment)),
            None => Err(self.missing("tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.tuple_variant(0, visitor)
    }
}

/// What serde_json's `RawValue` reads: one entry whose key is the token and
/// whose value is the raw JSON text.
struct RawValueAccess {
    text: Option<String>,
}

impl<'de> MapAccess<'de> for RawValueAccess {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Failure> {
        if self.text.is_none() {
            return Ok(None);
        }
        let token: de::value::BorrowedStrDeserializer<'de, Failure> =
            de::value::BorrowedStrDeserializer::new(RAW_VALUE_TOKEN);
        seed.deserialize(token).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failure> {
        let text = self.text.take().unwrap_or_default();
        seed.deserialize(text.into_deserializer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, serde::Deserialize)]
    struct Person {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        tags: BTreeMap<String, u8>,
    }

    fn failure<T: for<'de> de::Deserialize<'de> + fmt::Debug>(json: &str) -> Failure {
        Node::parse(json.as_bytes())
            .expect("valid JSON")
            .decode::<T>()
            .expect_err("does not decode")
    }

    #[test]
    fn a_failure_names_field_paths_and_hides_map_keys() {
        let err =
            failure::<Vec<Person>>(r#"[{"name":"a","tags":{}},{"name":"b","tags":{"jenny":"x"}}]"#);
        assert_eq!(err.path(), "[1].tags.*");
        assert_eq!(err.message(), "invalid type: string, expected u8");
    }

    #[test]
    fn repeated_keys_are_kept_so_a_duplicate_field_fails_as_in_serde_json() {
        let json = r#"{"name":"a","name":"b","tags":{}}"#;
        assert!(serde_json::from_str::<Person>(json).is_err());
        assert_eq!(failure::<Person>(json).message(), "duplicate field `name`");
    }

    #[test]
    fn raw_values_get_their_text_back() {
        #[derive(Debug, serde::Deserialize)]
        struct Holder {
            raw: Box<serde_json::value::RawValue>,
        }
        let node = Node::parse(br#"{"raw":{"a":[1,-2,3.5,"x"],"a":null}}"#).unwrap();
        let holder: Holder = node.decode().expect("decodes");
        assert_eq!(holder.raw.get(), r#"{"a":[1,-2,3.5,"x"],"a":null}"#);
    }
}
