//! Support for the generated `Deserialize` of response objects, which keep
//! the fields their spec does not know instead of dropping them.
//!
//! Stripe adds fields to its objects without changing the API version, so a
//! response often carries more than the spec this crate was generated from
//! describes. Each response struct reads its known fields into their typed
//! form and every other field, as JSON, into a map of extras that
//! `extra_field` reads and serialization writes back. The generated code
//! walks the object's keys once, like serde's derive does; `serde(flatten)`
//! would buffer every object into an intermediate tree first and cost a
//! large part of the speed of typed decoding.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The fields of an object that its spec does not know, by wire name, as
/// JSON.
///
/// Read them with `get` (or the object's own `extra_field`), or walk them
/// with `iter`. Serializing the object writes them back beside the known
/// fields. `Debug` shows their names only, never their values: a field the
/// spec does not know may hold anything, a secret or personal data included.
#[derive(Clone, Default, PartialEq)]
pub struct ExtraFields(
    // Boxed and absent while empty, which it nearly always is: an object
    // then carries one pointer, and decoding it allocates and frees nothing.
    Option<Box<serde_json::Map<String, serde_json::Value>>>,
);

impl ExtraFields {
    pub(crate) const fn new() -> Self {
        ExtraFields(None)
    }

    pub(crate) fn insert(&mut self, name: String, value: serde_json::Value) {
        self.0
            .get_or_insert_with(Default::default)
            .insert(name, value);
    }

    /// The field called `name`, if Stripe sent one the spec does not know.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.as_ref()?.get(name)
    }

    /// Every such field, by wire name in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0
            .iter()
            .flat_map(|map| map.iter())
            .map(|(name, value)| (name.as_str(), value))
    }

    /// The names of every such field, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(name, _)| name)
    }

    /// How many such fields there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    /// Whether Stripe sent only fields the spec knows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl serde::Serialize for ExtraFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// An object key, borrowed from the input where the input allows it, so
/// matching known keys allocates nothing. Read as an identifier (a field
/// name).
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }
            fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        // An identifier, not a string: serde_json reads both alike, and
        // the tree that describes decoding failures (`json_tree`) shows a
        // key read as an identifier in an error's path, since it is a field
        // name, while it hides a map's keys, which are data.
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads the value of a known field into its slot. A field sent twice is an
/// error, as it is for serde's derive.
#[inline]
pub(crate) fn read<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field, or serde's "missing field" error.
pub(crate) fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}
