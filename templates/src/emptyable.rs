//! Request parameters that can be explicitly cleared.
//!
//! Stripe clears an optional field when it is sent as an empty string
//! (`options[document]=`). Leaving a parameter out (`None`) means "do not
//! change it", so "clear it" needs its own value: [`Emptyable::Empty`].

use serde::de::Error as _;
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
/// The input is buffered as a JSON value first (the only way to look at it
/// before choosing), so an error inside `T` does not carry its JSON path.
/// Parameter types are only deserialized by callers (for example from their
/// own configuration), never from Stripe responses, so that is acceptable.
impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Emptyable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.as_str() == Some("") {
            return Ok(Emptyable::Empty);
        }
        T::deserialize(value)
            .map(Emptyable::Set)
            .map_err(D::Error::custom)
    }
}

impl<T> From<T> for Emptyable<T> {
    fn from(value: T) -> Self {
        Emptyable::Set(value)
    }
}
