//! Redaction placeholders. Stripe's API reference
//! (`../shared/api-docs/003_f86b805f3c86ec20.txt`, "Redact a
//! VerificationSession"): "all the fields that contain personal data will
//! be replaced by the string [redacted] or a similar placeholder. The
//! metadata field will also be erased."
//!
//! Which fields hold personal data is the crate's privacy rule (the same
//! one that makes `Debug` print `[redacted]`), carried by the spec table as
//! each field's `sensitive` flag. Strings, enums and ids under such a field
//! become `[redacted]`, dates become 1 January 1900, other numbers 0;
//! `null` stays `null`.

use serde_json::{Map, Value};

use super::shape::{Shape, StructShape};

/// The placeholder Stripe writes over personal data.
pub(crate) const PLACEHOLDER: &str = "[redacted]";

/// Replaces the personal data of an object of shape `def`, and erases its
/// `metadata`, in place. Works on partial objects too (an event's
/// `previous_attributes`).
pub(crate) fn redact(def: &StructShape, json: &mut Value) {
    let Some(object) = json.as_object_mut() else {
        return;
    };
    for field in def.fields {
        let Some(value) = object.get_mut(field.name) else {
            continue;
        };
        if field.name == "metadata" && value.is_object() {
            *value = Value::Object(Map::new());
        } else if field.sensitive {
            placeholder(value);
        } else {
            redact_within(field.shape, value);
        }
    }
}

/// Follows a field that is not itself personal data into nested objects.
fn redact_within(shape: &Shape, value: &mut Value) {
    match shape {
        Shape::Struct(def) => redact(def, value),
        Shape::Expandable(inner) | Shape::Emptyable(inner) if value.is_object() => {
            redact_within(inner, value)
        }
        Shape::Array(item) => {
            if let Some(items) = value.as_array_mut() {
                items.iter_mut().for_each(|v| redact_within(item, v));
            }
        }
        _ => {}
    }
}

/// Replaces a personal value, keeping its JSON kind.
fn placeholder(value: &mut Value) {
    match value {
        Value::String(text) => *text = PLACEHOLDER.to_owned(),
        Value::Number(_) => *value = Value::from(0),
        Value::Array(items) => items.iter_mut().for_each(placeholder),
        Value::Object(fields) if is_date(fields) => {
            for (key, day) in [("day", 1), ("month", 1), ("year", 1900)] {
                fields.insert(key.to_owned(), Value::from(day));
            }
        }
        Value::Object(fields) => fields.values_mut().for_each(placeholder),
        Value::Null | Value::Bool(_) => {}
    }
}

/// A `{day, month, year}` object.
fn is_date(fields: &Map<String, Value>) -> bool {
    fields
        .keys()
        .all(|k| matches!(k.as_str(), "day" | "month" | "year"))
        && !fields.is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::shape::FieldShape;
    use super::*;
    use serde_json::json;

    static OUTPUTS: StructShape = StructShape {
        name: "Outputs",
        object: None,
        fields: &[
            FieldShape {
                name: "dob",
                required: false,
                nullable: true,
                sensitive: true,
                shape: &Shape::Json,
            },
            FieldShape {
                name: "first_name",
                required: false,
                nullable: true,
                sensitive: true,
                shape: &Shape::String,
            },
            FieldShape {
                name: "id_number_type",
                required: false,
                nullable: true,
                sensitive: false,
                shape: &Shape::Enum(&["us_ssn"]),
            },
        ],
    };
    static SESSION: StructShape = StructShape {
        name: "Session",
        object: Some("s"),
        fields: &[
            FieldShape {
                name: "metadata",
                required: true,
                nullable: false,
                sensitive: false,
                shape: &Shape::Map(&Shape::String),
            },
            FieldShape {
                name: "verified_outputs",
                required: false,
                nullable: true,
                sensitive: false,
                shape: &Shape::Struct(&OUTPUTS),
            },
        ],
    };

    #[test]
    fn personal_data_becomes_placeholders() {
        let mut session = json!({
            "metadata": {"order": "42"},
            "verified_outputs": {
                "dob": {"day": 5, "month": 7, "year": 1990},
                "first_name": "Jenny",
                "id_number_type": "us_ssn",
            },
        });
        redact(&SESSION, &mut session);
        assert_eq!(
            session,
            json!({
                "metadata": {},
                "verified_outputs": {
                    "dob": {"day": 1, "month": 1, "year": 1900},
                    "first_name": "[redacted]",
                    "id_number_type": "us_ssn",
                },
            })
        );
    }
}
