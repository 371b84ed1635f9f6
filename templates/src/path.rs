//! Safe interpolation of ids into URL paths.
//!
//! Ids come from callers and end up inside paths such as
//! `/v1/identity/verification_sessions/{session}`. An id containing `/`, `?`
//! or `#` must not be able to point the request at another endpoint, so every
//! interpolated value goes through [`segment`].

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes left as they are in a path segment: ASCII letters, digits and `-_~`.
///
/// `.` is encoded too, although it is unreserved: Stripe ids never contain it,
/// and encoding it keeps the rule simple ("only these bytes are literal").
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// Percent-encodes `value` for use as one URL path segment.
///
/// Fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest) —
/// before any request is sent — for an empty value and for `.` and `..`,
/// including their percent-encoded spellings (`%2e`, `.%2E`, ...). Encoding
/// alone is not enough for those: URL parsers treat `%2e%2e` as `..` and
/// would drop the segment before it, silently calling another endpoint.
pub(crate) fn segment(value: &str) -> Result<String, crate::Error> {
    if value.is_empty() {
        return Err(crate::Error::InvalidRequest(
            "path segment (an id) must not be empty".to_owned(),
        ));
    }
    if is_dot_segment(value) {
        return Err(crate::Error::InvalidRequest(format!(
            "path segment {value:?} is not a valid id: it would be read as a relative path"
        )));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Whether `value`, as written or once percent-decoded, is `.` or `..`.
pub(crate) fn is_dot_segment(value: &str) -> bool {
    let decoded = percent_decode_str(value).decode_utf8_lossy();
    matches!(value, "." | "..") || matches!(&*decoded, "." | "..")
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn plain_ids_are_unchanged() {
        assert_eq!(
            segment("vs_1NuN4zLkdIwHu7ixfZD1Xh2x").unwrap(),
            "vs_1NuN4zLkdIwHu7ixfZD1Xh2x"
        );
        assert_eq!(segment("a-b~c").unwrap(), "a-b~c");
    }

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(segment("a/b").unwrap(), "a%2Fb");
        assert_eq!(segment("a?b#c").unwrap(), "a%3Fb%23c");
        assert_eq!(segment("50%").unwrap(), "50%25");
        assert_eq!(segment("a b").unwrap(), "a%20b");
        assert_eq!(segment("v1.2").unwrap(), "v1%2E2");
        assert_eq!(segment("../x").unwrap(), "%2E%2E%2Fx");
        assert_eq!(segment("é").unwrap(), "%C3%A9");
    }

    #[test]
    fn empty_is_rejected() {
        assert!(matches!(segment(""), Err(crate::Error::InvalidRequest(_))));
    }

    #[test]
    fn dot_segments_are_rejected() {
        for value in [".", "..", "%2e", "%2E", "%2e%2e", ".%2e", "%2E.", "%2E%2e"] {
            let result = segment(value);
            assert!(
                matches!(result, Err(crate::Error::InvalidRequest(_))),
                "{value:?} gave {result:?}"
            );
        }
    }

    #[test]
    fn dots_inside_a_value_are_fine() {
        assert_eq!(segment("...").unwrap(), "%2E%2E%2E");
        assert_eq!(segment(".a").unwrap(), "%2Ea");
    }
}
