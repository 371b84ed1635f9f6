//! The committed `generated/` crate must be exactly what the generator makes
//! from the pinned spec: `cargo test` fails the moment either drifts.

use codegen_tests::{pinned_spec, root};
use generator::output::Drift;
use generator::Portion;

#[test]
fn committed_crate_matches_the_generator() {
    let generated =
        xtask::codegen::generate(&root(), &pinned_spec(), &Portion::identity()).unwrap();
    let drift = generated.files.check(&root().join("generated")).unwrap();
    let report: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated/ is out of date; run `cargo xtask codegen`:\n{}",
        report.join("\n")
    );
}

#[test]
fn an_edited_file_is_reported_with_a_diff() {
    let generated =
        xtask::codegen::generate(&root(), &pinned_spec(), &Portion::identity()).unwrap();
    let dir = std::env::temp_dir().join(format!("drift-edit-{}", std::process::id()));
    generated.files.write(&dir).unwrap();
    let models = dir.join("src/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        text.replacen(
            "pub struct VerificationSession {",
            "pub struct VerificationSession {\n    pub extra: u8,",
            1,
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/stray.rs"), "// not generated\n").unwrap();
    let drift = generated.files.check(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(drift.len(), 2, "{drift:?}");
    let Drift::Changed {
        path,
        diff,
        removed,
        ..
    } = &drift[0]
    else {
        panic!("{drift:?}")
    };
    assert_eq!(path, "src/models.rs");
    assert_eq!(*removed, 1);
    assert!(diff.contains("-    pub extra: u8,"), "{diff}");
    assert_eq!(
        drift[1],
        Drift::Extra {
            path: "src/stray.rs".into()
        }
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = pinned_spec();
    let first = xtask::codegen::generate(&root(), &spec, &Portion::identity()).unwrap();
    let second = xtask::codegen::generate(&root(), &spec, &Portion::identity()).unwrap();
    assert_eq!(first.files, second.files);
}

#[test]
fn a_json_spec_with_other_key_order_generates_the_same_crate() {
    let yaml = pinned_spec();
    // serde_json's map sorts keys, so the JSON has a different key order
    // from the YAML file: the output must not depend on it.
    let value: serde_json::Value = serde_yaml::from_str(&yaml.text).unwrap();
    let json = xtask::source::SpecFile {
        text: serde_json::to_string(&value).unwrap(),
        ..yaml.clone()
    };
    let from_yaml = xtask::codegen::generate(&root(), &yaml, &Portion::identity()).unwrap();
    let from_json = xtask::codegen::generate(&root(), &json, &Portion::identity()).unwrap();
    assert_eq!(from_yaml.files, from_json.files);
}
