//! The generated files as one in-memory set: written all at once (staged
//! beside the target, then swapped in) or compared with what is on disk.

use crate::Error;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Relative path (with `/`) to file contents, sorted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Files {
    pub files: BTreeMap<String, String>,
}

/// Which files on disk differ from what the generator produces, found by
/// comparing bytes: no diff is computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Both exist and their bytes differ.
    Changed { path: String },
    /// The generator produces the file but it is not on disk.
    Missing { path: String },
    /// On disk but not produced by the generator.
    Extra { path: String },
}

/// How a file on disk differs from what the generator produces.
#[derive(Clone, Debug, PartialEq)]
pub enum Drift {
    /// Contents differ; `diff` is a unified diff (committed -> generated),
    /// trimmed. `added` and `removed` count the lines of that diff: exact
    /// for an ordinary edit, an upper bound when the diff hit [`DIFF_TIME`]
    /// and settled for a coarser one.
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

/// A change, with the file's bytes on disk when it is [`Change::Changed`].
type Compared = (Change, Option<Vec<u8>>);

/// Hunks of diff shown per file, and lines of diff at most: enough to see
/// what moved, short enough for CI logs.
pub const DIFF_HUNKS: usize = 3;
const DIFF_LINES: usize = 30;

/// How long the diff of one file may search for the smallest diff before
/// it settles for a coarser one. Myers' algorithm takes time proportional
/// to the file's length times the size of the change, so without a limit a
/// file rewritten throughout (another spec, another portion) takes minutes.
pub const DIFF_TIME: Duration = Duration::from_millis(200);

impl Files {
    pub fn insert(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_owned(), contents);
    }

    /// The files that differ from the directory on disk, by comparing
    /// bytes. Reads `dir` and nothing more: the cost is one pass over both.
    pub fn changes(&self, dir: &Path) -> Result<Vec<Change>, Error> {
        Ok(self
            .compare(dir)?
            .into_iter()
            .map(|(change, _)| change)
            .collect())
    }

    /// Compares with the directory on disk without writing anything, with a
    /// bounded diff of each changed file: the first [`DIFF_HUNKS`] hunks,
    /// searched for at most [`DIFF_TIME`]. Identical files cost one byte
    /// comparison.
    pub fn check(&self, dir: &Path) -> Result<Vec<Drift>, Error> {
        let drift = self
            .compare(dir)?
            .into_iter()
            .map(|(change, on_disk)| match change {
                Change::Changed { path } => {
                    let current =
                        String::from_utf8_lossy(&on_disk.unwrap_or_default()).into_owned();
                    changed(&path, &current, &self.files[&path])
                }
                Change::Missing { path } => Drift::Missing { path },
                Change::Extra { path } => Drift::Extra { path },
            });
        Ok(drift.collect())
    }

    /// Every change, with the bytes on disk of each changed file.
    fn compare(&self, dir: &Path) -> Result<Vec<Compared>, Error> {
        let mut on_disk = read_bytes(dir)?;
        let mut out = Vec::new();
        for (path, generated) in &self.files {
            let path = path.clone();
            match on_disk.remove(&path) {
                None => out.push((Change::Missing { path }, None)),
                Some(current) if current != generated.as_bytes() => {
                    out.push((Change::Changed { path }, Some(current)))
                }
                Some(_) => {}
            }
        }
        out.extend(
            on_disk
                .into_keys()
                .map(|path| (Change::Extra { path }, None)),
        );
        Ok(out)
    }

    /// Replaces `dir` with exactly these files. Everything is written to a
    /// staging directory first; `dir` changes only by two renames at the
    /// end, so a failed run leaves it as it was.
    pub fn write(&self, dir: &Path) -> Result<(), Error> {
        let (staging, backup) = siblings(dir);
        recover(dir, &backup)?;
        remove_dir(&staging)?;
        self.write_under(&staging)?;
        remove_dir(&backup)?;
        if dir.exists() {
            fs::rename(dir, &backup).map_err(|e| Error::io(dir, e))?;
        }
        fs::rename(&staging, dir).map_err(|e| Error::io(&staging, e))?;
        remove_dir(&backup)
    }

    /// Writes every file under `dir`, creating directories as needed and
    /// leaving other files there alone: for a directory about to be
    /// swapped in, such as a staging directory.
    pub fn write_under(&self, dir: &Path) -> Result<(), Error> {
        for (path, contents) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::write(&target, contents).map_err(|e| Error::io(&target, e))?;
        }
        Ok(())
    }
}

/// A bounded unified diff of one file and its line counts.
fn changed(path: &str, current: &str, generated: &str) -> Drift {
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_lines(current, generated);
    let (mut added, mut removed) = (0, 0);
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            removed += old.len();
            added += new.len();
        }
    }
    let mut unified = diff.unified_diff();
    unified.context_radius(2);
    let mut lines = vec![
        format!("--- committed/{path}"),
        format!("+++ generated/{path}"),
    ];
    let mut hunks = unified.iter_hunks();
    for hunk in hunks.by_ref().take(DIFF_HUNKS) {
        lines.extend(hunk.to_string().lines().map(str::to_owned));
    }
    let more_hunks = hunks.count();
    if lines.len() > DIFF_LINES {
        let cut = lines.len() - DIFF_LINES;
        lines.truncate(DIFF_LINES);
        lines.push(format!("... {cut} more lines of these hunks"));
    }
    if more_hunks > 0 {
        lines.push(format!("... {more_hunks} more hunks"));
    }
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
    let files = read_bytes(dir)?.into_iter();
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    Ok(files.map(|(path, bytes)| (path, text(bytes))).collect())
}

/// Every file under `dir` by relative path, as bytes. A missing directory is empty.
fn read_bytes(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let mut out = BTreeMap::new();
    if dir.exists() {
        read_into(dir, dir, &mut out)?;
    }
    Ok(out)
}

fn read_into(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), Error> {
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
        out.insert(relative, bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory holding `files`.
    fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("output-{name}-{}", std::process::id()));
        remove_dir(&dir).unwrap();
        for (path, text) in files {
            let target = dir.join(path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, text).unwrap();
        }
        dir
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        let mut files = Files::default();
        for (path, text) in entries {
            files.insert(path, (*text).to_owned());
        }
        files
    }

    #[test]
    fn identical_files_are_no_change_and_others_are_named_by_kind() {
        let dir = dir_with(
            "kinds",
            &[
                ("same.rs", "a\n"),
                ("src/edited.rs", "b\n"),
                ("stray.rs", "c\n"),
            ],
        );
        let generated = files(&[
            ("same.rs", "a\n"),
            ("src/edited.rs", "B\n"),
            ("src/new.rs", "d\n"),
        ]);
        let changes = generated.changes(&dir).unwrap();
        let drift = generated.check(&dir).unwrap();
        let same = dir_with("same", &[("same.rs", "a\n")]);
        let unchanged = files(&[("same.rs", "a\n")]).check(&same);
        remove_dir(&dir).unwrap();
        remove_dir(&same).unwrap();
        assert_eq!(unchanged.unwrap(), []);
        let path = |p: &str| p.to_owned();
        assert_eq!(
            changes,
            [
                Change::Changed {
                    path: path("src/edited.rs")
                },
                Change::Missing {
                    path: path("src/new.rs")
                },
                Change::Extra {
                    path: path("stray.rs")
                },
            ]
        );
        let Drift::Changed {
            diff,
            added,
            removed,
            ..
        } = &drift[0]
        else {
            panic!("{drift:?}")
        };
        assert_eq!((*added, *removed), (1, 1));
        assert!(diff.contains("\n-b\n+B"), "{diff}");
    }

    #[test]
    fn a_file_changed_throughout_reports_a_bounded_diff() {
        // 20,000 separate one-line edits in 200,000 lines: Myers' algorithm
        // would need on the order of 10^10 steps to find the smallest diff.
        let old: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..200_000)
            .map(|i| match i % 10 {
                0 => format!("edited {i}\n"),
                _ => format!("line {i}\n"),
            })
            .collect();
        let dir = dir_with("huge", &[("big.rs", &old)]);
        let drift = files(&[("big.rs", &new)]).check(&dir).unwrap();
        remove_dir(&dir).unwrap();
        let [Drift::Changed {
            diff,
            added,
            removed,
            ..
        }] = drift.as_slice()
        else {
            panic!("{drift:?}")
        };
        let hunks = diff.lines().filter(|l| l.starts_with("@@")).count();
        assert!((1..=DIFF_HUNKS).contains(&hunks), "{diff}");
        assert!(diff.lines().count() <= DIFF_LINES + 2, "{diff}");
        assert!(
            diff.ends_with("more hunks") || diff.contains("more lines"),
            "{diff}"
        );
        // Every edit is counted (more if the diff settled for a coarse one).
        assert!(
            *added >= 20_000 && *removed >= 20_000,
            "+{added} -{removed}"
        );
    }
}
