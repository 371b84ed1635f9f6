//! The generated crate's package metadata stays true: its `rust-version` is
//! what its dependencies declare, and `cargo package` ships what a user
//! needs. Both ask cargo itself (`cargo metadata`, `cargo package --list`),
//! which reads the workspace and builds nothing.

mod common;

use common::workspace_root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Runs cargo in the workspace and returns its stdout.
fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo {args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// `major.minor[.patch]` as numbers, for comparing Rust versions.
fn rust_version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap()).collect();
    parts.resize(3, 0);
    parts
}

fn manifest(path: &str) -> toml::Table {
    let text = std::fs::read_to_string(workspace_root().join(path)).unwrap();
    toml::from_str(&text).unwrap()
}

/// The rule written beside `rust-version` in templates/Cargo.toml: the
/// highest `rust_version` declared by a package in stripe-identity's
/// tree of normal and build dependencies (every target, as locked), and at
/// least the workspace's `rust-version`.
#[test]
fn rust_version_is_the_highest_any_dependency_declares() {
    let metadata: Value =
        serde_json::from_str(&cargo(&["metadata", "--format-version", "1", "--locked"])).unwrap();
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = packages
        .values()
        .find(|p| p["name"] == "stripe-identity")
        .unwrap()["id"]
        .as_str()
        .unwrap();
    // Walk the dependencies a user's build compiles: not dev-dependencies.
    let mut seen = BTreeSet::new();
    let mut todo = vec![root];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            if kinds.iter().any(|k| k["kind"] != "dev") {
                todo.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let workspace = manifest("Cargo.toml")["workspace"]["package"]["rust-version"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut highest = (rust_version(&workspace), "the workspace".to_owned());
    for id in seen.iter().filter(|&&id| id != root) {
        let package = packages[id];
        if let Some(declared) = package["rust_version"].as_str() {
            let named = format!(
                "{} {}",
                package["name"].as_str().unwrap(),
                package["version"].as_str().unwrap()
            );
            highest = highest.max((rust_version(declared), named));
        }
    }
    let crate_manifest = manifest("generated/Cargo.toml");
    let declared = crate_manifest["package"]["rust-version"].as_str().unwrap();
    assert_eq!(
        rust_version(declared),
        highest.0,
        "generated/Cargo.toml says rust-version {declared}; the highest is {:?}, from {} \
         (change templates/Cargo.toml and its comment)",
        highest.0,
        highest.1
    );
}

/// The metadata crates.io shows, and the files `cargo package` ships: the
/// README, CHANGELOG and the two license texts `license` names, sources and
/// examples, not the generator's rustfmt.toml.
#[test]
fn the_package_has_its_metadata_and_files() {
    let crate_manifest = manifest("generated/Cargo.toml");
    let package = crate_manifest["package"].as_table().unwrap();
    for key in [
        "description",
        "license",
        "readme",
        "repository",
        "documentation",
        "rust-version",
        "keywords",
        "categories",
    ] {
        assert!(
            package.contains_key(key),
            "generated/Cargo.toml lacks {key}"
        );
    }
    let pin = manifest("spec/pin.toml");
    assert_eq!(
        package["version"], pin["version"],
        "the version is the pin's"
    );
    let list = cargo(&[
        "package",
        "-p",
        "stripe-identity",
        "--allow-dirty",
        "--list",
    ]);
    let files: BTreeSet<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "src/lib.rs",
        "src/models.rs",
        "examples/create_session.rs",
    ] {
        assert!(files.contains(needed), "{needed} not packaged: {files:?}");
    }
    assert!(!files.contains("rustfmt.toml"), "{files:?}");
}
