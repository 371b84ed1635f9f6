//! Reading one value of a document, found by its keys from the root, with
//! the parser of the original text: everything else is skipped, so an
//! error in that value carries the parser's position in the whole file.
//!
//! Used only when typing a value from the indexed JSON text fails, to say
//! where in the file it failed (and, for YAML, to read the value the way
//! serde_yaml always did).

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The value at `path` in the JSON `text`, typed as `T`; `None` if there
/// is no such value.
pub fn json<T: DeserializeOwned>(
    text: &str,
    path: &[&str],
) -> Result<Option<T>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    At::new(path).deserialize(&mut de)
}

/// The value at `path` in the YAML `text`, typed as `T`.
pub fn yaml<T: DeserializeOwned>(
    text: &str,
    path: &[&str],
) -> Result<Option<T>, serde_yaml::Error> {
    At::new(path).deserialize(serde_yaml::Deserializer::from_str(text))
}

/// The keys still to follow down to the value wanted.
struct At<'p, T> {
    path: &'p [&'p str],
    value: PhantomData<T>,
}

impl<'p, T> At<'p, T> {
    fn new(path: &'p [&'p str]) -> Self {
        At {
            path,
            value: PhantomData,
        }
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for At<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Option<T>, D::Error> {
        if self.path.is_empty() {
            T::deserialize(de).map(Some)
        } else {
            de.deserialize_map(self)
        }
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for At<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a mapping with the key {:?}", self.path[0])
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let (first, rest) = (self.path[0], &self.path[1..]);
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if found.is_none() && key == first {
                found = map.next_value_seed(At::<T>::new(rest))?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}
