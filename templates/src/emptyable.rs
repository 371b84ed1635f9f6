//! Request parameters that can be explicitly cleared.
//!
//! Stripe clears an optional field when it is sent as an empty string
//! (`options[document]=`). Leaving a parameter out (`None`) means "do not
//! change it", so "clear it" needs its own value: [`Emptyable::Empty`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer,
};
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request parameter that is either set to a value or explicitly cleared.
///
/// Usually wrapped in an `Option`: `None` leaves the field unchanged,
/// `Some(Emptyable::Empty)` clears it, `Some(Emptyable::Set(v))` sets it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Emptyable<T> {
    /// Set the parameter to this value.
    Set(T),
    /// Clear the parameter (sent as an empty string).
    Empty,
}

impl<T: Serialize> Serialize for Emptyable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Emptyable::Set(value) => value.serialize(serializer),
            Emptyable::Empty => serializer.serialize_str(""),
        }
    }
}

/// The inverse of `Serialize`: an empty string is [`Emptyable::Empty`],
/// anything else is decoded as `T`.
///
/// The input says which it is (`deserialize_any`), and anything but an
/// empty string is handed to `T` as it came, so an error inside `T` keeps
/// its path and is the decoder's own structured error (no value is turned
/// into text here).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Emptyable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EmptyableVisitor(PhantomData))
    }
}

/// Dispatches an empty string to [`Emptyable::Empty`] and any other value
/// to `T`.
struct EmptyableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EmptyableVisitor<T> {
    type Value = Emptyable<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an empty string or a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        set(v.into_deserializer())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        set(v.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        set(v.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        set(v.into_deserializer())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v {
            "" => Ok(Emptyable::Empty),
            _ => set(StrDeserializer::new(v)),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        match v {
            "" => Ok(Emptyable::Empty),
            _ => set(BorrowedStrDeserializer::new(v)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        set(().into_deserializer())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        set(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        set(MapAccessDeserializer::new(map))
    }
}

/// `T` decoded from the value as given.
fn set<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Emptyable<T>, D::Error> {
    T::deserialize(deserializer).map(Emptyable::Set)
}

impl<T> From<T> for Emptyable<T> {
    fn from(value: T) -> Self {
        Emptyable::Set(value)
    }
}

/// Sets `key` in an emptyable map parameter, starting a new map if the
/// parameter was unset or cleared: a key set after clearing replaces the
/// clearing, as the generated `clear_` setters document.
#[allow(dead_code)] // called by generated setters, which only specs with map parameters have
pub(crate) fn insert<M, K, V>(slot: &mut Option<Emptyable<M>>, key: K, value: V)
where
    M: Default + Extend<(K, V)>,
{
    let mut map = match slot.take() {
        Some(Emptyable::Set(map)) => map,
        Some(Emptyable::Empty) | None => M::default(),
    };
    map.extend([(key, value)]);
    *slot = Some(Emptyable::Set(map));
}
