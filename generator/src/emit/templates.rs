//! Hand-written files under `templates/`, copied into the generated crate
//! with a `@generated` header, so the crate stands alone. In `Cargo.toml`
//! and Markdown templates, `{{version}}`, `{{spec_release}}` and
//! `{{api_version}}` are replaced by the crate's version, the spec release
//! (`v524`, or `unpinned` like `SPEC_RELEASE`) and the Stripe API version.
//! Rust templates are copied as they are: `{{` is Rust's escaped brace.
//!
//! The test double's files (`src/testing/`) and the manifest's `testing`
//! feature block are copied only for a portion the double supports (see
//! [`super::testing::supported`]).

use super::testing::{FEATURE_BEGIN, FEATURE_END, TEMPLATE_DIR};
use super::{Comment, CrateRelease, Provenance};
use crate::ir::Ir;
use crate::output::Files;
use crate::Error;
use std::path::Path;

/// Copies every file under `dir`, the test double's only when `double`.
/// Returns the runtime module names (the `.rs` files directly under
/// `templates/src`), sorted, for `lib.rs`.
pub fn copy(
    dir: &Path,
    provenance: &Provenance,
    release: &CrateRelease,
    ir: &Ir,
    double: bool,
    files: &mut Files,
) -> Result<Vec<String>, Error> {
    let values = placeholders(provenance, release, ir);
    let mut paths = Vec::new();
    walk(dir, dir, &mut paths)?;
    paths.sort();
    let mut modules = Vec::new();
    for relative in paths {
        if !double && relative.starts_with(TEMPLATE_DIR) {
            continue;
        }
        let full = dir.join(&relative);
        let mut text = std::fs::read_to_string(&full).map_err(|e| Error::io(&full, e))?;
        if relative == "Cargo.toml" && !double {
            text = without_feature_block(&text).map_err(|message| Error::Template {
                path: full.clone(),
                message,
            })?;
        }
        let comment = match Path::new(&relative).extension().and_then(|e| e.to_str()) {
            Some("rs") => Comment::Line("//"),
            Some("toml") => {
                text = stamp(&text, &values);
                Comment::Line("#")
            }
            Some("md") => {
                text = stamp(&text, &values);
                Comment::Html
            }
            _ => {
                files.insert(&relative, text);
                continue;
            }
        };
        if let Some(module) = relative
            .strip_prefix("src/")
            .and_then(|m| m.strip_suffix(".rs"))
        {
            if !module.contains('/') && module != "lib" {
                modules.push(module.to_owned());
            }
        }
        files.insert(
            &relative,
            format!("{}\n{text}", provenance.header(ir, comment)),
        );
    }
    Ok(modules)
}

/// The `{{name}}` placeholders of `Cargo.toml` and Markdown templates, with their values.
fn placeholders(provenance: &Provenance, release: &CrateRelease, ir: &Ir) -> [(String, String); 3] {
    let spec_release = provenance.release.as_deref().unwrap_or("unpinned");
    [
        ("version", release.version.as_str()),
        ("spec_release", spec_release),
        ("api_version", ir.api_version.as_str()),
    ]
    .map(|(name, value)| (format!("{{{{{name}}}}}"), value.to_owned()))
}

fn stamp(text: &str, values: &[(String, String)]) -> String {
    values
        .iter()
        .fold(text.to_owned(), |text, (placeholder, value)| {
            text.replace(placeholder, value)
        })
}

/// The manifest without the lines from [`FEATURE_BEGIN`] to [`FEATURE_END`],
/// both included: the `testing` feature and its optional dependencies.
fn without_feature_block(manifest: &str) -> Result<String, String> {
    let lines: Vec<&str> = manifest.split_inclusive('\n').collect();
    let at = |marker: &str| lines.iter().position(|l| l.trim_end() == marker);
    match (at(FEATURE_BEGIN), at(FEATURE_END)) {
        (Some(begin), Some(end)) if begin < end => Ok(lines[..begin]
            .iter()
            .chain(&lines[end + 1..])
            .copied()
            .collect()),
        _ => Err(format!(
            "the `testing` feature must sit between the lines `{FEATURE_BEGIN}` and \
             `{FEATURE_END}`, in that order"
        )),
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_block_is_cut_with_its_markers() {
        let manifest =
            format!("[package]\n{FEATURE_BEGIN}\n[features]\nt = []\n{FEATURE_END}\n[x]\n");
        assert_eq!(
            without_feature_block(&manifest).unwrap(),
            "[package]\n[x]\n"
        );
    }

    #[test]
    fn a_missing_or_reversed_marker_is_an_error() {
        for manifest in [
            format!("{FEATURE_BEGIN}\n"),
            format!("{FEATURE_END}\n{FEATURE_BEGIN}\n"),
            "[package]\n".to_owned(),
        ] {
            let err = without_feature_block(&manifest).unwrap_err();
            assert!(err.contains(FEATURE_BEGIN), "{err}");
        }
    }
}
