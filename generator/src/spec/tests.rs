//! Typing a schema on first use: errors carry the position in the file and
//! the schema's pointer, whichever format the spec was in.

use super::parse_spec;
use crate::Error;

/// The body of a small spec whose one schema is `schema`, in YAML.
fn yaml_spec(version: &str, schema: &str) -> String {
    format!(
        "openapi: 3.0.0\ninfo:\n  title: t\n  version: {version}\npaths: {{}}\ncomponents:\n  schemas:\n    ok:\n      type: string\n    bad:\n{schema}"
    )
}

#[test]
fn a_schema_that_does_not_type_names_its_yaml_position_and_pointer() {
    let text = yaml_spec("'1'", "      type: object\n      properties: [1, 2]\n");
    let spec = parse_spec(&text, "s.yaml").unwrap();
    assert!(spec.component("ok").unwrap().is_some());
    let err = spec.component("bad").unwrap_err();
    // serde_yaml places errors inside untagged enums (openapiv3's
    // `ReferenceOr`) at the enclosing mapping, as it always did.
    let Error::Parse { line: 8.., .. } = err else {
        panic!("{err}")
    };
    let err = err.to_string();
    assert!(err.starts_with("s.yaml:"), "{err}");
    assert!(err.ends_with("(in #/components/schemas/bad)"), "{err}");
}

#[test]
fn a_schema_that_does_not_type_names_its_json_position_and_pointer() {
    let text = "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n\"paths\": {},\n\"components\": {\"schemas\": {\n  \"a/b\": {\"type\": \"object\", \"required\": 7}}}}";
    let spec = parse_spec(text, "s.json").unwrap();
    let err = spec.component("a/b").unwrap_err().to_string();
    assert!(err.starts_with("s.json:4:"), "{err}");
    assert!(err.ends_with("(in #/components/schemas/a~1b)"), "{err}");
}

/// serde_yaml reads any scalar where a string is expected; JSON does
/// not, so such an item is read from the YAML as it always was.
#[test]
fn a_yaml_number_where_a_string_is_expected_reads_as_its_text() {
    let text = yaml_spec("1.10", "      type: string\n");
    let spec = parse_spec(&text, "s.yaml").unwrap();
    assert_eq!(spec.api_version(), "1.10");
}
