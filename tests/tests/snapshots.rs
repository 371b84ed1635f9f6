//! One tiny spec per emitter behaviour, its generated code pinned as an insta
//! snapshot (`cargo insta review` after an intended change).

use codegen_tests::{root, with_error_schemas};
use generator::emit::Provenance;
use generator::Portion;

/// A portion over the test specs' `test.` namespace, with a codename
/// prefix and an id prefix, so every naming rule is exercised.
fn portion() -> Portion {
    Portion {
        name: "test".into(),
        path_prefix: "/v1/test/".into(),
        schema_namespace: "test.".into(),
        error_schema: "error".into(),
        codename_prefixes: vec!["internal_".into()],
        id_prefixes: vec![("test.widget".into(), "wid_".into())],
    }
}

/// The generated files of one spec under `tests/specs/`, without the
/// runtime files copied from templates (those are not generated).
fn generate(spec: &str) -> String {
    let path = root().join("tests/specs").join(spec);
    let text = with_error_schemas(&std::fs::read_to_string(&path).unwrap());
    let provenance = Provenance {
        file: spec.into(),
        release: Some("test".into()),
        sha256: String::new(),
    };
    let generated =
        generator::generate(&text, &provenance, &portion(), &root().join("templates")).unwrap();
    let mut out = String::new();
    for (name, contents) in &generated.files.files {
        let template = root().join("templates").join(name).exists();
        if name.ends_with(".rs") && !template && name != "src/lib.rs" {
            out.push_str(&format!("==> {name}\n{contents}\n"));
        }
    }
    out
}

macro_rules! snapshot_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(generate(concat!(stringify!($name), ".yaml")));
            }
        )*
    };
}

snapshot_tests!(
    expandable,
    nullable_ref,
    emptyable,
    odd_enums,
    keywords,
    nested_inline,
    maps,
    recursive,
    operations,
    name_clashes,
    events,
    paths,
    extra_params,
    doc_text,
    reserved_params,
    digit_names,
    case_enums,
    union_titles,
    prelude_names,
    runtime_names,
    event_names,
    cycle_map,
    cycle_nullable,
    cycle_any_of,
    cycle_all_of,
    cycle_emptyable,
    cycle_alias,
    cycle_through_alias,
    escaped_refs,
);
