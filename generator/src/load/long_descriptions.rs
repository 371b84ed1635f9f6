//! Descriptions too long to keep, cut before a part of the spec is typed.
//!
//! A description becomes at most [`crate::docs::MAX_DOC`] bytes of rustdoc
//! (see `docs::render`). Typing the part of the spec that holds a longer one
//! would still copy all of it several times (serde_json's buffer for a
//! string with escapes, then `openapiv3`'s untagged and flattened types,
//! which buffer every value before choosing a variant), so a spec with one
//! 100 MB description needed half a gigabyte to type one schema. The JSON
//! text of each part is therefore read first by a small lexer (the text is
//! valid JSON: loading has parsed it), and every string value of a
//! `description` key longer than [`MAX_JSON`] bytes of JSON is cut to about
//! that before typing.

use std::borrow::Cow;

/// The most JSON text of a `description` string kept when typing. An
/// escape is at most 6 bytes of JSON for a character of at least one byte
/// (`\u0001`), so a cut string still holds more than `docs::MAX_DOC` bytes
/// of text, and `docs` sees that it is too long, cuts it and says so.
pub(crate) const MAX_JSON: usize = 6 * (crate::docs::MAX_DOC + 1);

/// The JSON value `json` with every `description` string longer than
/// [`MAX_JSON`] bytes of JSON cut to at most that, at a character or escape
/// boundary, so each stays a valid string. Borrowed when nothing is cut,
/// which is always the case for a value no longer than the limit.
pub(crate) fn cut(json: &str) -> Cow<'_, str> {
    cut_at(json, MAX_JSON)
}

/// [`cut`] with `max` in place of [`MAX_JSON`].
fn cut_at(json: &str, max: usize) -> Cow<'_, str> {
    if json.len() <= max {
        return Cow::Borrowed(json);
    }
    let drops = long_descriptions(json.as_bytes(), max);
    if drops.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out =
        String::with_capacity(json.len() - drops.iter().map(|(a, b)| b - a).sum::<usize>());
    let mut kept = 0;
    for (from, to) in drops {
        out.push_str(&json[kept..from]);
        kept = to;
    }
    out.push_str(&json[kept..]);
    Cow::Owned(out)
}

/// The byte ranges to drop: the end of each `description` string value
/// past its first `max` bytes (up to, not including, its closing quote).
fn long_descriptions(bytes: &[u8], max: usize) -> Vec<(usize, usize)> {
    let mut drops = Vec::new();
    // Whether the previous token was the key `description` and its colon.
    let mut after_description = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let (start, end) = (i + 1, string_end(bytes, i + 1));
                let next = skip_blanks(bytes, end + 1);
                if bytes.get(next) == Some(&b':') {
                    after_description = &bytes[start..end] == b"description";
                    i = next + 1;
                    continue;
                }
                if after_description && end - start > max {
                    drops.push((boundary(bytes, start, start + max), end));
                }
                after_description = false;
                i = end + 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            _ => {
                after_description = false;
                i += 1;
            }
        }
    }
    drops
}

/// The index of the quote closing the string whose text starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// The last place at or before `limit` in the string text from `start`
/// that is between two characters or escapes (`\n`, `\u00e9`, and the two
/// escapes of a surrogate pair together).
fn boundary(bytes: &[u8], start: usize, limit: usize) -> usize {
    let mut at = start;
    let mut i = start;
    while i <= limit {
        at = i;
        i += match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'u') => unicode_escape_len(&bytes[i..]),
            b'\\' => 2,
            b if b < 0x80 => 1,
            b if b >= 0xf0 => 4,
            b if b >= 0xe0 => 3,
            _ => 2,
        };
    }
    at
}

/// The length of the `\uXXXX` escape that `escape` starts with: 12 for a
/// surrogate pair, which only decodes as a whole, else 6.
fn unicode_escape_len(escape: &[u8]) -> usize {
    let code = |at: usize| {
        let hex = escape.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let high = code(2).is_some_and(|c| (0xd800..0xdc00).contains(&c));
    let low =
        escape.get(6..8) == Some(b"\\u") && code(8).is_some_and(|c| (0xdc00..0xe000).contains(&c));
    if high && low {
        12
    } else {
        6
    }
}

#[cfg(test)]
mod tests {
    use super::cut_at;

    /// What `json` holds as a JSON value, for comparing cut and uncut text.
    fn read(json: &str) -> serde_json::Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn only_long_description_strings_are_cut_and_stay_valid_json() {
        let json = r#"{"description": "0123456789", "title": "0123456789",
            "properties": {"description": {"type": "string", "description": "abcdefghijkl"}},
            "x": ["description", "0123456789"], "y": {"description": 12345678901234}}"#;
        let cut = cut_at(json, 8);
        let value = read(&cut);
        assert_eq!(value["description"], "01234567");
        assert_eq!(value["title"], "0123456789");
        assert_eq!(
            value["properties"]["description"]["description"],
            "abcdefgh"
        );
        assert_eq!(value["x"], read(r#"["description", "0123456789"]"#));
        assert_eq!(value["y"]["description"], 12345678901234u64);
    }

    /// A cut never splits an escape or a character, whatever the limit.
    #[test]
    fn cuts_fall_between_escapes_and_characters() {
        let text = r#"a\"é\u00e9\n😀\\\ud83d\ude00b"#;
        let full = read(&format!(r#""{text}""#));
        let full = full.as_str().unwrap();
        for max in 0..text.len() {
            let json = format!(r#"{{"description": "{text}", "k": 1}}"#);
            let value = read(&cut_at(&json, max));
            let kept = value["description"].as_str().unwrap();
            assert!(full.starts_with(kept), "{max}: {kept:?}");
            assert_eq!(value["k"], 1);
        }
    }

    #[test]
    fn text_with_nothing_to_cut_is_borrowed() {
        let json = r#"{"description": "short", "summary": "0123456789abcdef"}"#;
        assert!(matches!(cut_at(json, 8), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(cut_at(json, 1000), std::borrow::Cow::Borrowed(_)));
    }
}
