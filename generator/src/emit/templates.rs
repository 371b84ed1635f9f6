//! Hand-written files under `templates/`, copied into the generated crate
//! with a `@generated` header, so the crate stands alone. In `Cargo.toml`
//! and Markdown templates, `{{version}}`, `{{spec_release}}` and
//! `{{api_version}}` are replaced by the crate's version, the spec release
//! (`v524`, or `unpinned` like `SPEC_RELEASE`) and the Stripe API version.
//! Rust templates are copied as they are: `{{` is Rust's escaped brace.

use super::{Comment, CrateRelease, Provenance};
use crate::ir::Ir;
use crate::output::Files;
use crate::Error;
use std::path::Path;

/// Copies every file under `dir`. Returns the runtime module names (the
/// `.rs` files directly under `templates/src`), sorted, for `lib.rs`.
pub fn copy(
    dir: &Path,
    provenance: &Provenance,
    release: &CrateRelease,
    ir: &Ir,
    files: &mut Files,
) -> Result<Vec<String>, Error> {
    let values = placeholders(provenance, release, ir);
    let mut paths = Vec::new();
    walk(dir, dir, &mut paths)?;
    paths.sort();
    let mut modules = Vec::new();
    for relative in paths {
        let full = dir.join(&relative);
        let mut text = std::fs::read_to_string(&full).map_err(|e| Error::io(&full, e))?;
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
