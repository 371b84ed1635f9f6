//! Bad input gets an error that names where it is, never a panic, and never
//! a half-written output directory.

use codegen_tests::root;
use generator::output::Files;
use generator::{Error, Portion};
use xtask::source::{self, Origin, Pin};

fn build(spec: &str) -> Result<generator::ir::Ir, Error> {
    let path = root().join("tests/specs").join(spec);
    let text = std::fs::read_to_string(&path).unwrap();
    generator::build_ir(&text, spec, &Portion::namespace("test"))
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let err = build("bad/malformed.yaml").unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Parse { line: 8.., .. }), "{message}");
    assert!(message.starts_with("bad/malformed.yaml:"), "{message}");
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let err = generator::build_ir(
        "{\n  \"openapi\": \"3.0.0\",\n  \"info\": }",
        "spec.json",
        &Portion::identity(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("spec.json:3:"), "{err}");
}

#[test]
fn a_missing_ref_names_the_pointer_that_made_it() {
    let err = build("bad/missing_ref.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/components/schemas/test.widget/properties/part: $ref `#/components/schemas/test.part` does not resolve to anything in the spec"
    );
}

#[test]
fn a_stray_brace_in_a_path_names_the_operation() {
    let err = build("bad/unsupported_path.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/paths/~1v1~1test~1widgets~1w{widget}/get: unsupported: path segment `w{widget}` is neither a literal nor a `{parameter}`"
    );
}

#[test]
fn a_path_parameter_never_declared_is_an_error() {
    let err = build("bad/undeclared_path_param.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/paths/~1v1~1test~1widgets~1{widget}~1parts~1{part}/get: unsupported: path parameter `part` is in the path but not declared"
    );
}

#[test]
fn a_declared_path_parameter_missing_from_the_path_is_an_error() {
    let err = build("bad/unused_path_param.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/paths/~1v1~1test~1widgets~1{widget}/get: unsupported: path parameter `part` is declared but not in the path"
    );
}

#[test]
fn unsupported_schemas_fall_back_to_json_with_a_warning() {
    let ir = build("bad/fallback.yaml").unwrap();
    let pointers: Vec<&str> = ir.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/test.widget/properties/mixed",
            "#/components/schemas/test.widget/properties/negated",
        ]
    );
}

#[test]
fn two_schemas_with_one_rust_name_are_an_error_naming_both() {
    let err = build("bad/name_collision.yaml").unwrap_err();
    let Error::NameCollision {
        name,
        first,
        second,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(name, "TestAB");
    assert_eq!(first, "#/components/schemas/test.a-b");
    assert_eq!(second, "#/components/schemas/test.a_b");
}

#[test]
fn two_operations_with_one_request_type_are_an_error_naming_both() {
    let err = build("bad/request_type_collision.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "two types would both be named `CreateAB`: #/paths/~1v1~1test~1a-bs/post and #/paths/~1v1~1test~1a_bs/post"
    );
}

#[test]
fn an_inline_type_with_no_free_name_is_an_error_naming_both() {
    let err = build("bad/inline_collision.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "two types would both be named `TestWidgetColor`: #/components/schemas/test.widget_color and #/components/schemas/test.widget/properties/color"
    );
}

#[test]
fn a_portion_that_selects_nothing_is_an_error() {
    let err = build("expandable.yaml").map(|_| ()).and_then(|_| {
        let text = std::fs::read_to_string(root().join("tests/specs/expandable.yaml")).unwrap();
        generator::build_ir(&text, "expandable.yaml", &Portion::namespace("billing")).map(|_| ())
    });
    // The error carries the spec's `info.version`, so spec-diff can compare
    // a spec without the portion without parsing it a second time.
    match err {
        Err(Error::EmptyPortion {
            portion,
            api_version,
        }) => assert_eq!(
            (portion.as_str(), api_version.as_str()),
            ("billing", "2099-01-01")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_prefix_of_a_spec_panics() {
    // Every truncation of a valid spec is some kind of bad input: each must
    // come back as Ok or a typed error.
    let text = std::fs::read_to_string(root().join("tests/specs/emptyable.yaml")).unwrap();
    for end in (0..text.len()).filter(|i| text.is_char_boundary(*i)) {
        let _ = generator::build_ir(&text[..end], "cut.yaml", &Portion::namespace("test"));
    }
}

#[test]
fn a_checksum_mismatch_shows_both_hashes() {
    let pin = Pin::load(&root().join("spec/pin.toml")).unwrap();
    let path = root().join("tests/specs/expandable.yaml");
    let err = source::read_checked(&pin, &path, Origin::Cache).unwrap_err();
    let message = err.to_string();
    let actual = source::sha256_hex(&std::fs::read(&path).unwrap());
    assert!(
        message.contains(&pin.sha256) && message.contains(&actual),
        "{message}"
    );
    // An explicit --spec file of another release is allowed, and says so.
    let explicit = source::read_checked(&pin, &path, Origin::Explicit).unwrap();
    assert_eq!(explicit.release, None);
}

#[test]
fn a_failed_write_leaves_the_directory_as_it_was() {
    let dir = std::env::temp_dir().join(format!("write-fail-{}", std::process::id()));
    let mut good = Files::default();
    good.insert("src/lib.rs", "// old\n".into());
    good.write(&dir).unwrap();
    // `src/lib.rs/inner` cannot be created under the file `src/lib.rs`.
    let mut bad = Files::default();
    bad.insert("src/lib.rs", "// new\n".into());
    bad.insert("src/lib.rs/inner", "// impossible\n".into());
    assert!(bad.write(&dir).is_err());
    let after = generator::output::read_tree(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(after, good.files);
}
