//! Writing a release all at once. An update changes several things that
//! must agree: `spec/pin.toml` (spec release and crate version),
//! `spec/CHANGELOG.md`, a spec file in the cache and the whole of
//! `generated/`. They change together or not at all:
//!
//! 1. [`Transaction::stage`] writes every new file under the staging
//!    directory [`STAGING`] at the workspace root (same filesystem, so
//!    renames are atomic). Nothing the project reads has changed: a run
//!    stopped here, or failing here, leaves every file byte-identical, and
//!    the next run removes the staging directory.
//! 2. [`Staged::mark_committed`] is the commit point: it writes the list
//!    of targets to [`STAGING`]`/COMMITTED`, through a temporary file
//!    renamed into place.
//! 3. [`Committed::finish`] renames each staged file over its target (a
//!    directory is swapped: the old one is moved aside first), then
//!    removes the staging directory. A run stopped after the commit point
//!    is finished by the next one: [`recover`] redoes the renames still
//!    to do, in the same order.
//!
//! Every command that writes the release's files (`update-spec`, `release`,
//! `codegen`) calls [`recover`] first; `codegen --check`, which writes
//! nothing, refuses to run while a committed transaction waits.

use anyhow::Context;
use generator::output::Files;
use std::fs;
use std::path::{Path, PathBuf};

/// The staging directory, relative to the workspace root (git-ignored).
pub const STAGING: &str = ".release.staging";
/// The commit mark inside it, listing the targets.
const COMMITTED: &str = "COMMITTED";
/// Under the staging directory: the new files, at their relative paths.
const NEW: &str = "new";
/// Under the staging directory: replaced directories, moved aside.
const OLD: &str = "old";

/// What to write, in memory: whole files, and directories replaced by
/// exactly a set of files. Paths are relative to the workspace root.
#[derive(Debug)]
pub struct Transaction {
    root: PathBuf,
    files: Vec<(String, Vec<u8>)>,
    trees: Vec<(String, Files)>,
}

/// A transaction whose files are all staged; nothing has changed yet.
#[derive(Debug)]
#[must_use = "nothing is written until the transaction is committed"]
pub struct Staged {
    root: PathBuf,
    targets: Vec<Target>,
}

/// A transaction past its commit point: finishing it is only renames.
#[derive(Debug)]
#[must_use = "the renames are done by finish (or by the next run's recover)"]
pub struct Committed {
    root: PathBuf,
}

/// One path a transaction replaces. Written in the commit mark one per
/// line, a directory with a trailing `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    File(String),
    Dir(String),
}

/// What [`recover`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// No transaction was left behind.
    Clean,
    /// A run stopped before its commit point: its staging was removed and
    /// nothing else had changed.
    Discarded,
    /// A run stopped after its commit point: its renames were finished.
    Finished,
}

impl Transaction {
    pub fn new(root: &Path) -> Self {
        Transaction {
            root: root.to_owned(),
            files: Vec::new(),
            trees: Vec::new(),
        }
    }

    /// Replaces (or creates) the file at `relative` with `bytes`.
    pub fn file(&mut self, relative: &str, bytes: Vec<u8>) {
        self.files.push((relative.to_owned(), bytes));
    }

    /// Replaces the file at `path` (under the root) with `bytes`, unless
    /// it already holds exactly them.
    pub fn file_if_changed(&mut self, path: &Path, bytes: Vec<u8>) {
        if fs::read(path).ok().as_ref() == Some(&bytes) {
            return;
        }
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        self.file(&relative.to_string_lossy().replace('\\', "/"), bytes);
    }

    /// Replaces the directory at `relative` with exactly `files`.
    pub fn tree(&mut self, relative: &str, files: Files) {
        self.trees.push((relative.to_owned(), files));
    }

    /// The relative paths this transaction writes, directories with a `/`.
    pub fn paths(&self) -> Vec<String> {
        self.targets().iter().map(Target::line).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.trees.is_empty()
    }

    fn targets(&self) -> Vec<Target> {
        let trees = self.trees.iter().map(|(p, _)| Target::Dir(p.clone()));
        let files = self.files.iter().map(|(p, _)| Target::File(p.clone()));
        trees.chain(files).collect()
    }

    /// Writes every new file under the staging directory. On error the
    /// staging directory is removed again, and nothing else was touched.
    pub fn stage(self) -> anyhow::Result<Staged> {
        let staging = self.root.join(STAGING);
        remove_dir(&staging)?;
        let new = staging.join(NEW);
        let written = self.write_new(&new);
        if let Err(err) = written {
            let _ = remove_dir(&staging);
            return Err(err);
        }
        Ok(Staged {
            targets: self.targets(),
            root: self.root,
        })
    }

    fn write_new(&self, new: &Path) -> anyhow::Result<()> {
        for (relative, files) in &self.trees {
            let dir = new.join(relative);
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            files
                .write_under(&dir)
                .with_context(|| format!("staging {relative}/"))?;
        }
        for (relative, bytes) in &self.files {
            let path = new.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::write(&path, bytes).with_context(|| format!("staging {relative}"))?;
        }
        Ok(())
    }
}

impl Staged {
    /// Stages are done; commit: mark, then rename everything into place.
    pub fn commit(self) -> anyhow::Result<()> {
        self.mark_committed()?.finish()
    }

    /// The commit point: from here on the transaction is finished, by this
    /// run or the next one.
    pub fn mark_committed(self) -> anyhow::Result<Committed> {
        let staging = self.root.join(STAGING);
        let list: String = self.targets.iter().map(|t| t.line() + "\n").collect();
        let partial = staging.join(format!("{COMMITTED}.partial"));
        fs::write(&partial, list).with_context(|| format!("writing {}", partial.display()))?;
        fs::rename(&partial, staging.join(COMMITTED))
            .with_context(|| format!("committing {}", staging.display()))?;
        Ok(Committed { root: self.root })
    }
}

impl Committed {
    /// Renames every staged file into place and removes the staging directory.
    pub fn finish(self) -> anyhow::Result<()> {
        finish(&self.root)
    }
}

impl Target {
    fn line(&self) -> String {
        match self {
            Target::File(p) => p.clone(),
            Target::Dir(p) => format!("{p}/"),
        }
    }

    fn parse(line: &str) -> Target {
        match line.strip_suffix('/') {
            Some(dir) => Target::Dir(dir.to_owned()),
            None => Target::File(line.to_owned()),
        }
    }
}

/// Finishes or discards a transaction a previous run left behind.
pub fn recover(root: &Path) -> anyhow::Result<Recovery> {
    let staging = root.join(STAGING);
    if staging.join(COMMITTED).exists() {
        finish(root).context("finishing an update that was interrupted after its commit point")?;
        return Ok(Recovery::Finished);
    }
    if staging.exists() {
        remove_dir(&staging)?;
        return Ok(Recovery::Discarded);
    }
    Ok(Recovery::Clean)
}

/// Whether a committed transaction waits for its renames.
pub fn pending(root: &Path) -> bool {
    root.join(STAGING).join(COMMITTED).exists()
}

/// The renames of a committed transaction. Each step checks what is still
/// to do, so running it again after an interruption completes it.
fn finish(root: &Path) -> anyhow::Result<()> {
    let staging = root.join(STAGING);
    let mark = staging.join(COMMITTED);
    let list = fs::read_to_string(&mark).with_context(|| format!("reading {}", mark.display()))?;
    for target in list.lines().filter(|l| !l.is_empty()).map(Target::parse) {
        match &target {
            Target::File(relative) => move_file(&staging, root, relative)?,
            Target::Dir(relative) => swap_dir(&staging, root, relative)?,
        }
    }
    fs::remove_file(&mark).with_context(|| format!("removing {}", mark.display()))?;
    remove_dir(&staging)
}

fn move_file(staging: &Path, root: &Path, relative: &str) -> anyhow::Result<()> {
    let new = staging.join(NEW).join(relative);
    if !new.exists() {
        return Ok(()); // moved before the interruption
    }
    let target = root.join(relative);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::rename(&new, &target).with_context(|| format!("moving {relative} into place"))
}

/// Moves the directory at `relative` aside and the staged one in its place.
fn swap_dir(staging: &Path, root: &Path, relative: &str) -> anyhow::Result<()> {
    let new = staging.join(NEW).join(relative);
    if !new.exists() {
        return Ok(()); // swapped before the interruption
    }
    let target = root.join(relative);
    let old = staging.join(OLD).join(relative);
    if target.exists() {
        remove_dir(&old)?;
        if let Some(parent) = old.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::rename(&target, &old).with_context(|| format!("moving {relative}/ aside"))?;
    }
    fs::rename(&new, &target).with_context(|| format!("moving the new {relative}/ into place"))
}

fn remove_dir(dir: &Path) -> anyhow::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", dir.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A fresh root with `spec/pin.toml` and `generated/` holding two files.
    fn root(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("tx-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("spec")).unwrap();
        fs::create_dir_all(root.join("generated/src")).unwrap();
        fs::write(root.join("spec/pin.toml"), "old pin\n").unwrap();
        fs::write(root.join("generated/a.txt"), "old a\n").unwrap();
        fs::write(root.join("generated/src/b.txt"), "old b\n").unwrap();
        root
    }

    /// Every file under `root` with its text.
    fn tree(root: &Path) -> BTreeMap<String, String> {
        generator::output::read_tree(root).unwrap()
    }

    fn transaction(root: &Path) -> Transaction {
        let mut files = Files::default();
        files.insert("a.txt", "new a\n".to_owned());
        files.insert("src/c.txt", "new c\n".to_owned());
        let mut tx = Transaction::new(root);
        tx.file("spec/pin.toml", b"new pin\n".to_vec());
        tx.file("spec/cache/new.yaml", b"spec\n".to_vec());
        tx.tree("generated", files);
        tx
    }

    fn expected_after() -> BTreeMap<String, String> {
        [
            ("generated/a.txt", "new a\n"),
            ("generated/src/c.txt", "new c\n"),
            ("spec/cache/new.yaml", "spec\n"),
            ("spec/pin.toml", "new pin\n"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.to_owned()))
        .collect()
    }

    #[test]
    fn a_commit_replaces_files_and_directories_and_leaves_no_staging() {
        let root = root("commit");
        let tx = transaction(&root);
        assert_eq!(
            tx.paths(),
            ["generated/", "spec/pin.toml", "spec/cache/new.yaml"]
        );
        tx.stage().unwrap().commit().unwrap();
        let after = tree(&root);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(after, expected_after());
    }

    #[test]
    fn a_run_stopped_before_the_commit_point_changes_nothing() {
        let root = root("stopped");
        let before = tree(&root);
        let staged = transaction(&root).stage().unwrap();
        drop(staged); // the process is killed here
        let mut visible = tree(&root);
        visible.retain(|path, _| !path.starts_with(STAGING));
        assert_eq!(visible, before);
        assert!(!pending(&root));
        assert_eq!(recover(&root).unwrap(), Recovery::Discarded);
        let after = tree(&root);
        assert_eq!(recover(&root).unwrap(), Recovery::Clean);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(after, before);
    }

    #[test]
    fn a_run_stopped_after_the_commit_point_is_finished_by_the_next() {
        for renames_done in [0, 1, 2] {
            let root = root(&format!("finish{renames_done}"));
            let committed = transaction(&root)
                .stage()
                .unwrap()
                .mark_committed()
                .unwrap();
            assert!(pending(&root));
            // Some of the renames happened before the process was killed.
            let staging = root.join(STAGING);
            if renames_done >= 1 {
                swap_dir(&staging, &root, "generated").unwrap();
            }
            if renames_done >= 2 {
                move_file(&staging, &root, "spec/pin.toml").unwrap();
            }
            drop(committed);
            assert_eq!(recover(&root).unwrap(), Recovery::Finished);
            assert!(!pending(&root));
            let after = tree(&root);
            fs::remove_dir_all(&root).unwrap();
            assert_eq!(after, expected_after(), "after {renames_done} renames");
        }
    }
}
