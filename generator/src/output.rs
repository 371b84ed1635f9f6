//! The generated files as one in-memory set: written all at once (staged
//! beside the target, then swapped in) or compared with what is on disk.

use crate::Error;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Relative path (with `/`) to file contents, sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Files {
    pub files: BTreeMap<String, String>,
}

/// How a file on disk differs from what the generator produces.
#[derive(Clone, Debug, PartialEq)]
pub enum Drift {
    /// Contents differ; `diff` is a unified diff (committed -> generated), trimmed.
    Changed {
        path: String,
        diff: String,
        added: usize,
        removed: usize,
    },
    /// The generator produces the file but it is not on disk.
    Missing { path: String },
    /// On disk but not produced by the generator.
    Extra { path: String },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Changed {
                path,
                diff,
                added,
                removed,
            } => {
                write!(f, "{path}: differs (+{added} -{removed} lines)\n{diff}")
            }
            Drift::Missing { path } => write!(f, "{path}: missing (the generator produces it)"),
            Drift::Extra { path } => write!(f, "{path}: not produced by the generator"),
        }
    }
}

/// Lines of diff shown per file: enough to see what moved, short enough for CI logs.
const DIFF_LINES: usize = 30;

impl Files {
    pub fn insert(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_owned(), contents);
    }

    /// Compares with the directory on disk without writing anything.
    pub fn check(&self, dir: &Path) -> Result<Vec<Drift>, Error> {
        let on_disk = read_tree(dir)?;
        let mut drift = Vec::new();
        for (path, generated) in &self.files {
            match on_disk.get(path) {
                None => drift.push(Drift::Missing { path: path.clone() }),
                Some(current) if current != generated => {
                    drift.push(changed(path, current, generated))
                }
                Some(_) => {}
            }
        }
        for path in on_disk.keys().filter(|p| !self.files.contains_key(*p)) {
            drift.push(Drift::Extra { path: path.clone() });
        }
        Ok(drift)
    }

    /// Replaces `dir` with exactly these files. Everything is written to a
    /// staging directory first; `dir` changes only by two renames at the
    /// end, so a failed run leaves it as it was.
    pub fn write(&self, dir: &Path) -> Result<(), Error> {
        let (staging, backup) = siblings(dir);
        recover(dir, &backup)?;
        remove_dir(&staging)?;
        for (path, contents) in &self.files {
            let target = staging.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::write(&target, contents).map_err(|e| Error::io(&target, e))?;
        }
        remove_dir(&backup)?;
        if dir.exists() {
            fs::rename(dir, &backup).map_err(|e| Error::io(dir, e))?;
        }
        fs::rename(&staging, dir).map_err(|e| Error::io(&staging, e))?;
        remove_dir(&backup)
    }
}

fn changed(path: &str, current: &str, generated: &str) -> Drift {
    let diff = similar::TextDiff::from_lines(current, generated);
    let mut added = 0;
    let mut removed = 0;
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("committed/{path}"), &format!("generated/{path}"))
        .to_string();
    let mut lines: Vec<&str> = unified.lines().take(DIFF_LINES).collect();
    let total = unified.lines().count();
    let more = (total > DIFF_LINES).then(|| format!("... {} more diff lines", total - DIFF_LINES));
    lines.extend(more.as_deref());
    Drift::Changed {
        path: path.to_owned(),
        diff: lines.join("\n"),
        added,
        removed,
    }
}

/// The staging and backup directories beside `dir` (same filesystem, so renames are atomic).
fn siblings(dir: &Path) -> (PathBuf, PathBuf) {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = dir.parent().unwrap_or(Path::new("."));
    (
        parent.join(format!(".{name}.staging")),
        parent.join(format!(".{name}.backup")),
    )
}

/// A run interrupted between the two renames left the old tree in the
/// backup and no `dir`: put it back before anything else.
fn recover(dir: &Path, backup: &Path) -> Result<(), Error> {
    if !dir.exists() && backup.exists() {
        fs::rename(backup, dir).map_err(|e| Error::io(backup, e))?;
    }
    Ok(())
}

fn remove_dir(dir: &Path) -> Result<(), Error> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

/// Every file under `dir` by relative path. A missing directory is empty.
pub fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    if dir.exists() {
        read_into(dir, dir, &mut out)?;
    }
    Ok(out)
}

fn read_into(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            read_into(root, &path, out)?;
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(())
}
