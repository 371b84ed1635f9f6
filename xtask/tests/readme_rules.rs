//! The README's table of breaking-change rules is the one in code
//! (`xtask/src/spec_diff/rules.rs`): this test fails when they drift.

mod common;

use common::workspace_root;
use xtask::spec_diff::{rules_markdown, Rule};

const START: &str = "<!-- rules: ";
const END: &str = "<!-- end of rules -->";

/// The lines between the README's markers.
fn readme_table() -> String {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let start = readme
        .find(START)
        .expect("README marks the start of the rules table");
    let after_marker = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme
        .find(END)
        .expect("README marks the end of the rules table");
    readme[after_marker..end].to_owned()
}

#[test]
fn readme_rules_table_is_the_table_in_code() {
    let expected = rules_markdown();
    assert!(
        readme_table() == expected,
        "README.md's rules table differs from xtask/src/spec_diff/rules.rs; \
         put this between its markers:\n{expected}"
    );
}

/// The rows a reader relies on most, written out independently of the table.
#[test]
fn the_table_classes_the_common_changes() {
    let table = rules_markdown();
    for row in [
        "| required parameter added | breaking |",
        "| optional parameter added | non-breaking |",
        "| field added to an object users only receive | non-breaking |",
        "| type changed | breaking |",
        "| description changed | counted, not listed |",
    ] {
        assert!(table.contains(row), "{row} missing from:\n{table}");
    }
    assert_eq!(table.lines().count(), 2 + Rule::ALL.len() + 1);
    assert!(Rule::NewRequestField.breaking() && !Rule::NewResponseField.breaking());
    assert!(Rule::NewResponseVariant.breaking() && !Rule::NewRequestVariant.breaking());
}
