//! One writer at a time. `update-spec`, `release` and `codegen` each read
//! the pin, stage files under fixed directories (`.release.staging/`,
//! `.generated.staging/`) and rename them into place; two of them at once
//! in one workspace would remove each other's staging or interleave their
//! renames. Each takes an exclusive lock on [`LOCK_FILE`] for its whole
//! run; `codegen --check`, which writes nothing, takes a shared one so that
//! it never reads a half-renamed `generated/`. A second run waits, saying
//! so, instead of failing: the first one is usually seconds from done.
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix,
//! `LockFileEx` on Windows), so it is released when the process ends,
//! however it ends: a killed run never leaves a stale lock behind. (What a
//! killed run leaves in its staging is cleaned up by
//! [`crate::transaction::recover`].)

use anyhow::Context;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// The lock file, at the workspace root (git-ignored). Its content is
/// never read; only the lock on it matters.
pub const LOCK_FILE: &str = ".xtask.lock";

/// Whether a run writes the workspace or only reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `update-spec`, `release`, `codegen`: no other run at the same time.
    Write,
    /// `codegen --check`: other readers may run, writers wait.
    Read,
}

/// Held for the whole run; dropping it releases the lock.
#[derive(Debug)]
#[must_use = "the lock is released when this is dropped"]
pub struct WorkspaceLock {
    _file: File,
}

/// Takes the workspace's lock, waiting (and saying so on stderr) while
/// another run holds it.
pub fn acquire(root: &Path, mode: Mode) -> anyhow::Result<WorkspaceLock> {
    acquire_with(root, mode, || {
        eprintln!(
            "waiting for another `cargo xtask` run in this workspace to finish \
             (it holds {LOCK_FILE})"
        );
    })
}

/// [`acquire`], calling `on_wait` once if the lock is busy, before waiting.
pub fn acquire_with(
    root: &Path,
    mode: Mode,
    on_wait: impl FnOnce(),
) -> anyhow::Result<WorkspaceLock> {
    let path = root.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    let attempt = match mode {
        Mode::Write => file.try_lock(),
        Mode::Read => file.try_lock_shared(),
    };
    match attempt {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            on_wait();
            let locked = match mode {
                Mode::Write => file.lock(),
                Mode::Read => file.lock_shared(),
            };
            locked.with_context(|| format!("locking {}", path.display()))?;
        }
        Err(TryLockError::Error(err)) => {
            return Err(err).with_context(|| format!("locking {}", path.display()));
        }
    }
    Ok(WorkspaceLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Arc};

    /// Starts a thread that takes the lock in `mode` while this thread
    /// holds it in `held`; returns whether that thread had to wait, and
    /// whether it got the lock before this one was released.
    fn contend(held: Mode, mode: Mode) -> (bool, bool) {
        let dir = temp_dir();
        let lock = acquire(&dir, held).unwrap();
        let (waiting_tx, waiting_rx) = mpsc::channel();
        let acquired = Arc::new(AtomicBool::new(false));
        let thread = {
            let (dir, acquired) = (dir.clone(), Arc::clone(&acquired));
            std::thread::spawn(move || {
                let second = acquire_with(&dir, mode, || waiting_tx.send(()).unwrap()).unwrap();
                acquired.store(true, Ordering::SeqCst);
                drop(second);
            })
        };
        // Either the thread reports that it waits, or it finishes (and its
        // sender is dropped unused): both end this receive.
        let waited = waiting_rx.recv().is_ok();
        let before_release = acquired.load(Ordering::SeqCst);
        drop(lock);
        thread.join().unwrap();
        assert!(acquired.load(Ordering::SeqCst));
        std::fs::remove_dir_all(&dir).unwrap();
        (waited, before_release)
    }

    fn temp_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-lock-{}-{}",
            std::process::id(),
            next_suffix()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Distinct per call within this process: tests run in parallel.
    fn next_suffix() -> u64 {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        NEXT.fetch_add(1, Ordering::SeqCst)
    }

    #[test]
    fn a_writer_waits_for_a_writer() {
        assert_eq!(contend(Mode::Write, Mode::Write), (true, false));
    }

    #[test]
    fn a_check_waits_for_a_writer_and_a_writer_for_a_check() {
        assert_eq!(contend(Mode::Write, Mode::Read), (true, false));
        assert_eq!(contend(Mode::Read, Mode::Write), (true, false));
    }

    #[test]
    fn checks_run_together() {
        assert_eq!(contend(Mode::Read, Mode::Read), (false, true));
    }

    #[test]
    fn the_lock_file_is_not_a_stale_lock() {
        // A lock file left by an earlier run (as after a kill) is just a
        // file: only a live process's lock makes a run wait.
        let dir = temp_dir();
        std::fs::write(dir.join(LOCK_FILE), "").unwrap();
        let lock = acquire_with(&dir, Mode::Write, || panic!("waited on a stale lock file"));
        drop(lock.unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
