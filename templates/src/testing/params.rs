//! Reading Stripe's form encoding back into a tree: `a[b][0]=x&a[c]=y`
//! becomes `{a: {b: {0: x}, c: y}}`, the way Stripe's server reads it.
//!
//! Bracketed keys are kept as object keys: whether `[0]` is an array index
//! or a map key (a `metadata` key may well be `0`) is only known against
//! the parameter's shape, so [`super::validate`] reads an object with
//! integer keys as an array where the spec expects one. `a[]=x` appends.

use percent_encoding::percent_decode;

/// How deep brackets may nest; Stripe's parameters nest four levels.
const MAX_DEPTH: usize = 16;
/// How many `key=value` pairs one request may carry.
const MAX_PAIRS: usize = 10_000;

/// A parsed parameter value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Value(String),
    /// Bracketed keys in the order first sent.
    Object(Vec<(String, Node)>),
    /// Values sent with `[]`.
    List(Vec<Node>),
}

impl Node {
    /// The value, if this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Value(value) => Some(value),
            _ => None,
        }
    }
}

/// A body or query string that cannot be read as Stripe's form encoding.
#[derive(Debug, PartialEq)]
pub(crate) struct FormError {
    pub(crate) message: String,
    /// The parameter, in bracket form, when one is to blame.
    pub(crate) param: Option<String>,
}

impl FormError {
    fn new(message: impl Into<String>, param: Option<&str>) -> Self {
        FormError {
            message: message.into(),
            param: param.map(str::to_owned),
        }
    }
}

/// Parses `application/x-www-form-urlencoded` text into the top-level
/// parameters, in the order first sent.
pub(crate) fn parse(text: &str) -> Result<Vec<(String, Node)>, FormError> {
    let mut root = Node::Object(Vec::new());
    for (count, pair) in text.split('&').filter(|p| !p.is_empty()).enumerate() {
        if count >= MAX_PAIRS {
            return Err(FormError::new(
                format!("The request has more than {MAX_PAIRS} parameters."),
                None,
            ));
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key)?, decode(value)?);
        let path = key_path(&key)?;
        insert(&mut root, &key, &path, value)?;
    }
    match root {
        Node::Object(fields) => Ok(fields),
        _ => Ok(Vec::new()),
    }
}

/// One `+`-for-space, percent-encoded component, as UTF-8.
fn decode(text: &str) -> Result<String, FormError> {
    let spaced = text.replace('+', " ");
    percent_decode(spaced.as_bytes())
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| FormError::new("Invalid request: parameters must be valid UTF-8.", None))
}

/// A key's segments: `a[b][]` is `["a", "b", ""]`.
fn key_path(key: &str) -> Result<Vec<&str>, FormError> {
    let unknown = || FormError::new(format!("Received unknown parameter: {key}"), Some(key));
    let (name, mut rest) = match key.find('[') {
        Some(at) => (&key[..at], &key[at..]),
        None => (key, ""),
    };
    if name.is_empty() {
        return Err(unknown());
    }
    let mut path = vec![name];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(unknown)?;
        let end = inner.find(']').ok_or_else(unknown)?;
        path.push(&inner[..end]);
        rest = &inner[end + 1..];
        if path.len() > MAX_DEPTH {
            return Err(FormError::new(
                format!("Invalid parameter {key}: brackets nest more than {MAX_DEPTH} levels."),
                Some(key),
            ));
        }
    }
    Ok(path)
}

/// Puts `value` at `path` under `node`.
fn insert(node: &mut Node, key: &str, path: &[&str], value: String) -> Result<(), FormError> {
    let conflict = || {
        FormError::new(
            format!("Invalid {key}: it was sent both as a value and with brackets."),
            Some(key),
        )
    };
    let Some((first, rest)) = path.split_first() else {
        return Ok(());
    };
    if first.is_empty() {
        // `a[]=x`: append to a list.
        let Node::List(items) = node else {
            return Err(conflict());
        };
        items.push(build(rest, value));
        return Ok(());
    }
    let Node::Object(fields) = node else {
        return Err(conflict());
    };
    match fields.iter_mut().find(|(k, _)| k == first) {
        // A repeated plain value: the last one wins, as on Stripe's server.
        Some((_, slot @ Node::Value(_))) if rest.is_empty() => *slot = Node::Value(value),
        Some((_, Node::Value(_))) => return Err(conflict()),
        Some(_) if rest.is_empty() => return Err(conflict()),
        Some((_, child)) => insert(child, key, rest, value)?,
        None => fields.push(((*first).to_owned(), build(rest, value))),
    }
    Ok(())
}

/// A new node holding `value` at `path`.
fn build(path: &[&str], value: String) -> Node {
    match path.split_first() {
        None => Node::Value(value),
        Some((&"", rest)) => Node::List(vec![build(rest, value)]),
        Some((first, rest)) => Node::Object(vec![((*first).to_owned(), build(rest, value))]),
    }
}

/// The parameters as sorted `(key, value)` pairs in bracket form, for
/// comparing two requests regardless of parameter order.
pub(crate) fn fingerprint(params: &[(String, Node)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, node) in params {
        flatten(key.clone(), node, &mut out);
    }
    out.sort();
    out
}

fn flatten(key: String, node: &Node, out: &mut Vec<(String, String)>) {
    match node {
        Node::Value(value) => out.push((key, value.clone())),
        Node::Object(fields) => {
            for (name, child) in fields {
                flatten(format!("{key}[{name}]"), child, out);
            }
        }
        Node::List(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{key}[{index}]"), item, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Node {
        Node::Value(text.to_owned())
    }

    #[test]
    fn brackets_nest_and_lists_append() {
        let params = parse("a[b][0]=x&a[c]=y+z&e[]=1&e[]=2&m%5Bk%5D=%C3%A9").unwrap();
        assert_eq!(
            params,
            vec![
                (
                    "a".to_owned(),
                    Node::Object(vec![
                        (
                            "b".to_owned(),
                            Node::Object(vec![("0".to_owned(), value("x"))])
                        ),
                        ("c".to_owned(), value("y z")),
                    ])
                ),
                ("e".to_owned(), Node::List(vec![value("1"), value("2")])),
                (
                    "m".to_owned(),
                    Node::Object(vec![("k".to_owned(), value("é"))])
                ),
            ]
        );
    }

    #[test]
    fn a_key_used_as_value_and_object_is_refused() {
        let err = parse("a=1&a[b]=2").unwrap_err();
        assert_eq!(err.param.as_deref(), Some("a[b]"));
        assert!(parse("a[b]=2&a=1").is_err());
    }

    #[test]
    fn a_repeated_value_keeps_the_last() {
        assert_eq!(
            parse("a=1&a=2").unwrap(),
            vec![("a".to_owned(), value("2"))]
        );
    }

    #[test]
    fn malformed_keys_are_unknown_parameters() {
        for key in ["[a]=1", "a[b=1", "a[b]c=1"] {
            let err = parse(key).unwrap_err();
            assert!(
                err.message.starts_with("Received unknown parameter"),
                "{key}"
            );
        }
    }

    #[test]
    fn depth_and_invalid_utf8_are_refused() {
        let deep = format!("a{}=1", "[b]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().message.contains("nest"));
        assert!(parse("a=%FF").unwrap_err().message.contains("UTF-8"));
    }

    #[test]
    fn fingerprints_ignore_order() {
        let one = parse("b=2&a[x]=1").unwrap();
        let two = parse("a[x]=1&b=2").unwrap();
        assert_eq!(fingerprint(&one), fingerprint(&two));
        assert_ne!(
            fingerprint(&one),
            fingerprint(&parse("b=3&a[x]=1").unwrap())
        );
    }
}
