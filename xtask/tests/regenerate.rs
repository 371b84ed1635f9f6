//! Regenerating from another release changes the generated crate, and the
//! drift check (`cargo xtask codegen --check`) names what changed. Nothing
//! is written: the check compares in memory with the committed generated/.

mod common;

use common::{shared_spec, workspace_root};
use generator::output::Drift;
use generator::Portion;
use xtask::source::{read_checked, Origin, Pin};

#[test]
fn regenerating_from_v99_changes_the_crate_and_the_drift_check_reports_it() {
    let root = workspace_root();
    let pin = Pin::load(&root.join("spec/pin.toml")).unwrap();
    let spec = read_checked(&pin, &shared_spec("spec3.v99.yaml"), Origin::Explicit).unwrap();
    assert_eq!(spec.release, None, "v99 is not the pinned release");
    let generated = xtask::codegen::generate(&root, &spec, &Portion::identity()).unwrap();
    assert_eq!(generated.ir.api_version, "2020-08-27");
    let drift = generated.files.check(&root.join("generated")).unwrap();
    assert!(!drift.is_empty(), "v99 generated the same crate as the pin");
    let models = drift.iter().find_map(|d| match d {
        Drift::Changed {
            path,
            added,
            removed,
            ..
        } if path == "src/models.rs" => Some((*added, *removed)),
        _ => None,
    });
    let (added, removed) =
        models.unwrap_or_else(|| panic!("src/models.rs not reported: {drift:#?}"));
    assert!(added > 0 && removed > 0, "+{added} -{removed}");
}
