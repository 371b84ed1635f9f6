//! Typed Stripe object ids.
//!
//! Each kind of object gets its own id newtype (for example
//! `VerificationSessionId`), declared with the crate-internal `stripe_id!`
//! macro, so that an id of one kind cannot be passed where another is
//! expected.
//!
//! Parsing an id from user input ([`FromStr`](std::str::FromStr), `TryFrom`)
//! checks its prefix. Deserializing one from a Stripe response does not: the
//! response is trusted, and Stripe may send values that are not well-formed ids
//! (for example `[redacted]` on redacted objects), which must not make the
//! whole response fail to decode.

/// Checks that `value` is `prefix` followed by at least one character.
///
/// With an empty `prefix` any non-empty value is accepted.
pub(crate) fn check(prefix: &'static str, value: &str) -> Result<(), crate::error::InvalidId> {
    match value.strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() => Ok(()),
        _ => Err(crate::error::InvalidId {
            expected_prefix: prefix,
            value: value.to_owned(),
        }),
    }
}

/// Declares a Stripe id newtype.
///
/// ```text
/// crate::stripe_id! {
///     /// The id of a verification session.
///     VerificationSessionId, "vs_"
/// }
/// ```
///
/// The prefix may be omitted for ids without a fixed prefix; any non-empty
/// string is then accepted when parsing.
macro_rules! stripe_id {
    ($(#[$meta:meta])* $name:ident) => {
        $crate::id::stripe_id! { $(#[$meta])* $name, "" }
    };
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this kind starts with (empty if ids of
            /// this kind have no fixed prefix).
            pub const PREFIX: &'static str = $prefix;

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::InvalidId;

            /// Parses an id, checking its prefix.
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::id::check(Self::PREFIX, value)?;
                Ok(Self(value.to_owned()))
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::error::InvalidId;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::error::InvalidId;

            fn try_from(value: String) -> ::std::result::Result<Self, Self::Error> {
                $crate::id::check(Self::PREFIX, &value)?;
                Ok(Self(value))
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        /// Accepts any string without checking the prefix: responses are
        /// trusted, and Stripe may send placeholders such as `[redacted]`.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }
    };
}

pub(crate) use stripe_id;

#[cfg(test)]
mod tests {
    stripe_id! {
        /// An id kind without a fixed prefix.
        UnprefixedId
    }

    #[test]
    fn without_prefix_any_non_empty_value_parses() {
        assert_eq!(UnprefixedId::PREFIX, "");
        assert_eq!("x".parse::<UnprefixedId>().unwrap().as_str(), "x");
        let err = "".parse::<UnprefixedId>().unwrap_err();
        assert_eq!(err.expected_prefix, "");
        assert!(err.to_string().contains("non-empty"), "{err}");
    }
}
