//! Parameters the spec does not know: the extra parameters of generated
//! requests (`extra_param`) and the parameters of a
//! [`RawRequest`](crate::RawRequest).
//!
//! They are written in Stripe's bracket form
//! (`options[email][require_verification]`), sent after the typed
//! parameters in the order given, and percent-encoded exactly like them when
//! the request is sent, so no key or value can add a parameter or a header.
//!
//! A key ending in `[]`, as Stripe's curl examples write lists
//! (`expand[]=last_verification_report`), appends to that list: it is sent
//! as `expand[N]`, numbered after the items the list already has, typed or
//! extra, so `extra_param("expand[]", "x")` next to a typed
//! `.expand(["a"])` sends `expand[0]=a&expand[1]=x`.
//!
//! Before anything is sent, each key is checked:
//!
//! - it is a name followed by any number of `[segment]`s, none empty and
//!   none holding a bracket: `a`, `a[b]`, `a[b][0]`, but not an empty key,
//!   `a[`, `a]`, `[a]`, `a[b]c`, or `[]` anywhere but at the end
//!   (`a[][b]`);
//! - it neither equals nor is a bracket-prefix of another parameter's key,
//!   typed or extra, nor has one as its own bracket-prefix: `options[document]`
//!   and `options[document][allowed_types][0]` cannot both be sent. Stripe
//!   would read such a pair as one parameter given twice, so this is an
//!   error rather than a silent duplicate.
//!
//! A failed check is an [`Error::InvalidRequest`] naming the key, its text
//! between brackets shown only where it looks like Stripe's parameter names
//! (`metadata[…]` for any other, which would be a map's key: data). Values
//! never appear in errors or `Debug` output: they may hold personal data.

use std::fmt;

use crate::error::Error;
use crate::form::shown_key;

/// What `Debug` shows instead of a value.
const REDACTED: &str = "[redacted]";

/// Extra `(key, value)` pairs in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct ExtraParams {
    pairs: Vec<(String, String)>,
}

impl ExtraParams {
    /// Adds a pair; it is checked when the request is built.
    pub(crate) fn push(&mut self, key: String, value: String) {
        self.pairs.push((key, value));
    }

    /// `typed` followed by the extra pairs, once every extra key is checked
    /// against the keys before it.
    pub(crate) fn after(
        &self,
        mut typed: Vec<(String, String)>,
    ) -> Result<Vec<(String, String)>, Error> {
        for (key, value) in &self.pairs {
            let key = numbered(key, &typed);
            check_shape(&key)?;
            if let Some((other, _)) = typed.iter().find(|(k, _)| overlaps(k, &key)) {
                return Err(Error::InvalidRequest(overlap_message(&key, other)));
            }
            typed.push((key, value.clone()));
        }
        Ok(typed)
    }
}

impl fmt::Debug for ExtraParams {
    /// The keys, each with a placeholder for its value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.pairs.iter().map(|(key, _)| (key, REDACTED)))
            .finish()
    }
}

/// `list[]` as `list[N]`, `N` one more than the highest index the list
/// already has in `pairs` (`0` for a new list); any other key as it is.
fn numbered(key: &str, pairs: &[(String, String)]) -> String {
    let Some(list) = key.strip_suffix("[]") else {
        return key.to_owned();
    };
    let used = pairs.iter().filter_map(|(k, _)| {
        let rest = k.strip_prefix(list)?.strip_prefix('[')?;
        let (index, _) = rest.split_once(']')?;
        index.parse::<usize>().ok()
    });
    let next = used.max().map_or(0, |highest| highest + 1);
    format!("{list}[{next}]")
}

/// Refuses a key that is not a name followed by `[segment]`s.
fn check_shape(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::InvalidRequest(
            "an extra parameter's key is empty".to_owned(),
        ));
    }
    if !is_bracket_form(key) {
        let key = shown_key(key);
        return Err(Error::InvalidRequest(format!(
            "extra parameter {key:?} is not in Stripe's bracket form \
             (a name, then non-empty `[segment]`s, as in `options[email][require_verification]`)"
        )));
    }
    Ok(())
}

fn is_bracket_form(key: &str) -> bool {
    let (name, mut rest) = key.split_at(key.find('[').unwrap_or(key.len()));
    if name.is_empty() || name.contains(']') {
        return false;
    }
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return false;
        };
        let Some((segment, after)) = inner.split_once(']') else {
            return false;
        };
        if segment.is_empty() || segment.contains('[') {
            return false;
        }
        rest = after;
    }
    true
}

/// Whether two keys name the same parameter or one lies inside the other.
fn overlaps(a: &str, b: &str) -> bool {
    a == b || is_bracket_prefix(a, b) || is_bracket_prefix(b, a)
}

/// Whether `key` is `prefix` followed by one or more `[segment]`s.
fn is_bracket_prefix(prefix: &str, key: &str) -> bool {
    key.strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with('['))
}

fn overlap_message(key: &str, other: &str) -> String {
    let same = key == other;
    let (key, other) = (shown_key(key), shown_key(other));
    if same {
        format!("extra parameter {key:?} is already set; give each parameter once")
    } else {
        format!(
            "extra parameter {key:?} overlaps parameter {other:?}; \
             one of them would override part of the other"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(key: &str, value: &str) -> (String, String) {
        (key.to_owned(), value.to_owned())
    }

    fn extras(pairs: &[(&str, &str)]) -> ExtraParams {
        let mut extras = ExtraParams::default();
        for (key, value) in pairs {
            extras.push(key.to_string(), value.to_string());
        }
        extras
    }

    #[test]
    fn extras_follow_typed_pairs_in_the_order_given() {
        let got = extras(&[("b", "2"), ("a[x]", "1")])
            .after(vec![pair("type", "document")])
            .unwrap();
        assert_eq!(
            got,
            [pair("type", "document"), pair("b", "2"), pair("a[x]", "1")]
        );
    }

    #[test]
    fn bracket_form_keys() {
        for good in [
            "a",
            "a[b]",
            "options[document][allowed_types][0]",
            "a b[c&d=e]",
        ] {
            assert!(is_bracket_form(good), "{good}");
        }
        for bad in [
            "[a]", "a[", "a]", "a]b", "a[b", "a[]", "a[b]c", "a[[b]]", "a[b]]", "a[b[c]]", "a[][b]",
        ] {
            assert!(!is_bracket_form(bad), "{bad}");
        }
    }

    #[test]
    fn malformed_and_empty_keys_are_refused_by_name() {
        for bad in ["", "a[", "a[b]c"] {
            let err = extras(&[(bad, "v")]).after(Vec::new()).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
            if !bad.is_empty() {
                assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
            }
        }
    }

    #[test]
    fn overlapping_keys_are_refused() {
        let typed = || vec![pair("options[document][allowed_types][0]", "passport")];
        for key in [
            "options[document][allowed_types][0]",
            "options[document]",
            "options",
            "options[document][allowed_types][0][x]",
        ] {
            let err = extras(&[(key, "v")]).after(typed()).unwrap_err();
            assert!(err.to_string().contains(&format!("{key:?}")), "{err}");
        }
        assert!(extras(&[("a", "1"), ("a", "2")]).after(Vec::new()).is_err());
        assert!(extras(&[("a[b]", "1"), ("a", "2")])
            .after(Vec::new())
            .is_err());
    }

    #[test]
    fn siblings_and_lookalikes_do_not_overlap() {
        let typed = vec![pair("metadata[order]", "42"), pair("options[document]", "")];
        let got = extras(&[
            ("metadata[step]", "2"),
            ("options[documents]", "x"),
            ("option", "y"),
        ])
        .after(typed)
        .unwrap();
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn list_keys_are_numbered_after_the_items_already_there() {
        let typed = vec![pair("expand[0]", "a"), pair("expand[1]", "b")];
        let got = extras(&[("expand[]", "x"), ("expand[]", "y"), ("other[]", "z")])
            .after(typed)
            .unwrap();
        assert_eq!(
            got,
            [
                pair("expand[0]", "a"),
                pair("expand[1]", "b"),
                pair("expand[2]", "x"),
                pair("expand[3]", "y"),
                pair("other[0]", "z"),
            ]
        );
        let nested = vec![pair("options[document][allowed_types][0]", "passport")];
        let got = extras(&[("options[document][allowed_types][]", "id_card")])
            .after(nested)
            .unwrap();
        assert_eq!(
            got[1],
            pair("options[document][allowed_types][1]", "id_card")
        );
        // A list whose items are objects counts its items, not their fields.
        let objects = vec![pair("items[0][a]", "1"), pair("items[0][b]", "2")];
        let got = extras(&[("items[]", "x")]).after(objects).unwrap();
        assert_eq!(got[2].0, "items[1]");
    }

    #[test]
    fn empty_brackets_only_end_a_key() {
        for bad in ["[]", "a[][b]", "a[]x"] {
            let err = extras(&[(bad, "v")]).after(Vec::new()).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
        }
    }

    #[test]
    fn debug_hides_values() {
        let debug = format!(
            "{:?}",
            extras(&[("provided_details[email]", "jenny@example.com")])
        );
        assert_eq!(debug, r#"{"provided_details[email]": "[redacted]"}"#);
    }
}
