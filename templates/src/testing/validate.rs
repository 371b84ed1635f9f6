//! Checking a request's parameters against the spec-derived table, the way
//! Stripe's server does, and turning them into JSON for the handlers.
//!
//! Each refusal is Stripe's: an unknown parameter is
//! `Received unknown parameter: options[foo]` (`parameter_unknown`), a
//! missing one `Missing required param: type.` (`parameter_missing`), a
//! value of the wrong kind `Invalid integer: abc`, `Invalid boolean: yes`,
//! `Invalid type: must be one of document or id_number`, an out-of-range
//! `limit` `This value must be less than or equal to 100.`, an empty value
//! that cannot be unset Stripe's `parameter_invalid_empty` sentence, and an
//! id of another kind `No such verification_session: 'vr_…'`
//! (`resource_missing`). `param` is always the bracket path.

use serde_json::{Map, Number, Value};

use super::errors::{one_of, ApiFailure};
use super::params::Node;
use super::shape::{FieldShape, Shape, StructShape};

/// Checks `params` against an operation's parameters; returns them as a
/// JSON object of typed values (`""` where a value is cleared).
pub(crate) fn params(
    declared: &[FieldShape],
    params: &[(String, Node)],
) -> Result<Map<String, Value>, ApiFailure> {
    fields(declared, params, None)
}

/// Checks the fields of an object (or the top-level parameters, when
/// `parent` is `None`).
fn fields(
    declared: &[FieldShape],
    given: &[(String, Node)],
    parent: Option<&str>,
) -> Result<Map<String, Value>, ApiFailure> {
    let path = |name: &str| match parent {
        Some(parent) => format!("{parent}[{name}]"),
        None => name.to_owned(),
    };
    // Unknown parameters are reported first, as Stripe does.
    if let Some((name, _)) = given
        .iter()
        .find(|(name, _)| !declared.iter().any(|f| f.name == name))
    {
        return Err(ApiFailure::unknown_parameter(&path(name)));
    }
    let mut out = Map::new();
    for field in declared {
        match given.iter().find(|(name, _)| name == field.name) {
            Some((_, node)) => {
                let value = value(field.shape, node, &path(field.name))?;
                out.insert(field.name.to_owned(), value);
            }
            None if field.required => return Err(ApiFailure::missing_parameter(&path(field.name))),
            None => {}
        }
    }
    Ok(out)
}

/// Checks one value against its shape.
fn value(shape: &Shape, node: &Node, param: &str) -> Result<Value, ApiFailure> {
    let invalid = |kind: &str| ApiFailure::invalid(format!("Invalid {kind}")).param(param);
    match shape {
        Shape::Emptyable(_) | Shape::Map(_) if is_empty(node) => Ok(Value::String(String::new())),
        Shape::Emptyable(inner) => value(inner, node, param),
        _ if is_empty(node) => Err(cannot_unset(param)),
        Shape::String => match node {
            Node::Value(text) => Ok(Value::String(text.clone())),
            _ => Err(invalid("string")),
        },
        Shape::Integer { min, max } => integer(node, param, *min, *max),
        Shape::Timestamp => integer(node, param, None, None),
        Shape::Number => {
            let text = scalar(node, param, "decimal")?;
            match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(number) => Ok(Value::Number(number)),
                None => Err(ApiFailure::invalid(format!("Invalid decimal: {text}")).param(param)),
            }
        }
        Shape::Boolean => match scalar(node, param, "boolean")? {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Err(ApiFailure::invalid(format!("Invalid boolean: {other}")).param(param)),
        },
        Shape::Enum(values) => {
            let text = scalar(node, param, "string")?;
            if values.contains(&text) {
                Ok(Value::String(text.to_owned()))
            } else {
                let message = format!("Invalid {param}: must be one of {}", one_of(values));
                Err(ApiFailure::invalid(message).param(param))
            }
        }
        Shape::Id { prefix, object } => {
            let text = scalar(node, param, "string")?;
            if text.len() > prefix.len() && text.starts_with(prefix) {
                Ok(Value::String(text.to_owned()))
            } else {
                Err(ApiFailure::no_such(object, text, param, false))
            }
        }
        Shape::Struct(def) => structure(def, node, param),
        Shape::Array(item) => {
            let items = list_items(node).ok_or_else(|| invalid("array"))?;
            let checked: Result<Vec<Value>, ApiFailure> = items
                .iter()
                .enumerate()
                .map(|(i, node)| value(item, node, &format!("{param}[{i}]")))
                .collect();
            Ok(Value::Array(checked?))
        }
        Shape::Map(item) => {
            let Node::Object(entries) = node else {
                return Err(invalid("hash"));
            };
            let mut out = Map::new();
            for (key, node) in entries {
                // An empty value unsets one key (`metadata[key]=`).
                let entry = match node {
                    Node::Value(text) if text.is_empty() => Value::String(String::new()),
                    _ => value(item, node, &format!("{param}[{key}]"))?,
                };
                out.insert(key.clone(), entry);
            }
            Ok(Value::Object(out))
        }
        Shape::Union(members) => union(members, node, param),
        Shape::Json | Shape::Expandable(_) | Shape::EventObject => Ok(raw(node)),
    }
}

fn structure(def: &StructShape, node: &Node, param: &str) -> Result<Value, ApiFailure> {
    match node {
        Node::Object(given) => Ok(Value::Object(fields(def.fields, given, Some(param))?)),
        _ => Err(ApiFailure::invalid("Invalid hash").param(param)),
    }
}

/// The first member the value fits; else the refusal of the first member
/// of the value's kind (a plain value or brackets).
fn union(members: &[&Shape], node: &Node, param: &str) -> Result<Value, ApiFailure> {
    let mut first_error = None;
    for member in members {
        if takes_brackets(member) != matches!(node, Node::Object(_) | Node::List(_)) {
            continue;
        }
        match value(member, node, param) {
            Ok(value) => return Ok(value),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| ApiFailure::invalid("Invalid value").param(param)))
}

/// Whether a shape is sent with brackets (an object, array or map).
fn takes_brackets(shape: &Shape) -> bool {
    match shape {
        Shape::Struct(_) | Shape::Array(_) | Shape::Map(_) => true,
        Shape::Emptyable(inner) => takes_brackets(inner),
        _ => false,
    }
}

fn is_empty(node: &Node) -> bool {
    matches!(node, Node::Value(text) if text.is_empty())
}

/// The value of a plain parameter, or Stripe's `Invalid <kind>`.
fn scalar<'a>(node: &'a Node, param: &str, kind: &str) -> Result<&'a str, ApiFailure> {
    node.as_str()
        .ok_or_else(|| ApiFailure::invalid(format!("Invalid {kind}")).param(param))
}

fn integer(
    node: &Node,
    param: &str,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<Value, ApiFailure> {
    let text = scalar(node, param, "integer")?;
    let Ok(number) = text.parse::<i64>() else {
        return Err(ApiFailure::invalid(format!("Invalid integer: {text}"))
            .code("parameter_invalid_integer")
            .param(param));
    };
    if let Some(min) = min.filter(|min| number < *min) {
        let message = format!("This value must be greater than or equal to {min}.");
        return Err(ApiFailure::invalid(message).param(param));
    }
    if let Some(max) = max.filter(|max| number > *max) {
        let message = format!("This value must be less than or equal to {max}.");
        return Err(ApiFailure::invalid(message).param(param));
    }
    Ok(Value::from(number))
}

/// Stripe's refusal of `param=` for a parameter that cannot be unset.
fn cannot_unset(param: &str) -> ApiFailure {
    ApiFailure::invalid(format!(
        "You passed an empty string for '{param}'. We assume empty values are an attempt to \
         unset a parameter; however '{param}' cannot be unset. You should remove '{param}' from \
         your request or supply a non-empty value."
    ))
    .code("parameter_invalid_empty")
    .param(param)
}

/// The items of an array parameter: `a[]=` values, or `a[0]`, `a[1]`, ...
/// keys in index order (any other key makes it not an array).
fn list_items(node: &Node) -> Option<Vec<&Node>> {
    match node {
        Node::List(items) => Some(items.iter().collect()),
        Node::Object(entries) => {
            let mut indexed: Vec<(usize, &Node)> = entries
                .iter()
                .map(|(k, v)| Some((k.parse::<usize>().ok()?, v)))
                .collect::<Option<_>>()?;
            indexed.sort_by_key(|(index, _)| *index);
            Some(indexed.into_iter().map(|(_, v)| v).collect())
        }
        Node::Value(_) => None,
    }
}

/// A value nothing is known about, as JSON strings, objects and arrays.
fn raw(node: &Node) -> Value {
    match node {
        Node::Value(text) => Value::String(text.clone()),
        Node::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), raw(v))).collect())
        }
        Node::List(items) => Value::Array(items.iter().map(raw).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::params::parse;
    use super::*;

    static DOCUMENT: StructShape = StructShape {
        name: "Document",
        object: None,
        fields: &[
            FieldShape {
                name: "allowed_types",
                required: false,
                nullable: false,
                sensitive: false,
                shape: &Shape::Array(&Shape::Enum(&["driving_license", "id_card", "passport"])),
            },
            FieldShape {
                name: "require_matching_selfie",
                required: false,
                nullable: false,
                sensitive: false,
                shape: &Shape::Boolean,
            },
        ],
    };
    static PARAMS: &[FieldShape] = &[
        FieldShape {
            name: "document",
            required: false,
            nullable: false,
            sensitive: false,
            shape: &Shape::Emptyable(&Shape::Struct(&DOCUMENT)),
        },
        FieldShape {
            name: "limit",
            required: false,
            nullable: false,
            sensitive: false,
            shape: &Shape::Integer {
                min: Some(1),
                max: Some(100),
            },
        },
        FieldShape {
            name: "metadata",
            required: false,
            nullable: false,
            sensitive: false,
            shape: &Shape::Map(&Shape::String),
        },
        FieldShape {
            name: "type",
            required: true,
            nullable: false,
            sensitive: false,
            shape: &Shape::Enum(&["document", "id_number"]),
        },
    ];

    fn check(text: &str) -> Result<Value, ApiFailure> {
        params(PARAMS, &parse(text).unwrap()).map(Value::Object)
    }

    fn refusal(text: &str) -> (Option<&'static str>, Option<String>, String) {
        let err = check(text).unwrap_err();
        (err.code, err.param, err.message)
    }

    #[test]
    fn typed_values_come_out_as_json() {
        let value = check(
            "type=document&limit=5&document[allowed_types][1]=id_card&\
             document[allowed_types][0]=passport&document[require_matching_selfie]=true&\
             metadata[a]=1&metadata[b]=",
        )
        .unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "document": {"allowed_types": ["passport", "id_card"], "require_matching_selfie": true},
                "limit": 5,
                "metadata": {"a": "1", "b": ""},
                "type": "document",
            })
        );
        assert_eq!(check("type=id_number&document=").unwrap()["document"], "");
    }

    #[test]
    fn refusals_read_like_stripe() {
        assert_eq!(
            refusal("type=document&document[foo]=1"),
            (
                Some("parameter_unknown"),
                Some("document[foo]".into()),
                "Received unknown parameter: document[foo]".into()
            )
        );
        assert_eq!(
            refusal("limit=1"),
            (
                Some("parameter_missing"),
                Some("type".into()),
                "Missing required param: type.".into()
            )
        );
        assert_eq!(
            refusal("type=document&limit=abc"),
            (
                Some("parameter_invalid_integer"),
                Some("limit".into()),
                "Invalid integer: abc".into()
            )
        );
        assert_eq!(
            refusal("type=document&limit=101").2,
            "This value must be less than or equal to 100."
        );
        assert_eq!(
            refusal("type=document&limit=0").2,
            "This value must be greater than or equal to 1."
        );
        assert_eq!(
            refusal("type=passport").2,
            "Invalid type: must be one of document or id_number"
        );
        assert_eq!(
            refusal("type=document&document[require_matching_selfie]=yes").2,
            "Invalid boolean: yes"
        );
        assert_eq!(
            refusal("type=document&document[allowed_types][0]=x").1,
            Some("document[allowed_types][0]".into())
        );
        assert_eq!(refusal("type=").0, Some("parameter_invalid_empty"));
        assert_eq!(refusal("type=document&metadata=x").2, "Invalid hash");
        assert_eq!(refusal("type[a]=document").2, "Invalid string");
    }

    #[test]
    fn arrays_need_integer_keys() {
        assert_eq!(
            refusal("type=document&document[allowed_types][x]=passport").2,
            "Invalid array"
        );
    }
}
