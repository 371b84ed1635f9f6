//! Fields that hold either an object's id or, when expanded, the object itself.
//!
//! Stripe returns related objects as their id unless the request asks for
//! them to be expanded (`expand[]=last_verification_report`), in which case
//! the whole object is embedded. [`Expandable`] models both forms.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A Stripe resource that has an id and an `object` type name.
pub trait Object {
    /// The typed id of this kind of object.
    type Id: Clone + fmt::Debug + Serialize + DeserializeOwned + AsRef<str>;

    /// The value of the `object` field Stripe sends for this kind of object
    /// (for example `identity.verification_session`).
    const OBJECT: &'static str;

    /// This object's id.
    fn id(&self) -> &Self::Id;
}

/// Either the id of a related object or, when it was expanded, the object.
///
/// Deserializes from a JSON string (the id) or a JSON object (the expanded
/// object); serializes back to the same form.
#[derive(Clone, Debug, PartialEq)]
pub enum Expandable<T: Object> {
    /// Not expanded: only the id is known.
    Id(T::Id),
    /// Expanded: the whole object.
    Object(Box<T>),
}

impl<T: Object> Expandable<T> {
    /// The related object's id, whichever form this is in.
    pub fn id(&self) -> &T::Id {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(object) => object.id(),
        }
    }

    /// The expanded object, or `None` if only the id is known.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// Takes the expanded object, or `None` if only the id is known.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }

    /// Whether this holds the expanded object.
    pub fn is_object(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }
}

impl<T: Object + Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => id.serialize(serializer),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: Object + Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any` lets the input say which form it is in. A
        // visitor (rather than `#[serde(untagged)]`) keeps the error from
        // inside the object, with its path, instead of a generic
        // "did not match any variant".
        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}

/// Dispatches a string to `T::Id` and a map to `T`.
struct ExpandableVisitor<T>(PhantomData<T>);

impl<'de, T: Object + Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
    type Value = Expandable<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an id string or an expanded `{}` object", T::OBJECT)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        T::Id::deserialize(de::value::StrDeserializer::new(value)).map(Expandable::Id)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|object| Expandable::Object(Box::new(object)))
    }
}
