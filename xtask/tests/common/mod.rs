//! Helpers shared by xtask's tests: where the real specs are, temporary
//! workspaces, and a one-shot HTTP server on 127.0.0.1.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A spec of Stripe's from `../shared/stripe-openapi/` beside the workspace.
/// They are never copied into the repository.
pub fn shared_spec(name: &str) -> PathBuf {
    workspace_root().join("../shared/stripe-openapi").join(name)
}

/// A hand-written spec from `xtask/tests/specs/`.
pub fn test_spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(name)
}

pub const V524_SHA256: &str = "eed9ac08a03a5374caa994362bfa080ae87ee75f0a3dc76f9d48b19c705b50bb";
pub const V99_SHA256: &str = "8fcb5057ec4fb47da9681b477aaf9a0ee68fb9c7ba9e27b58d058c1c13af3383";

/// The version and changelog every temporary workspace starts from, as
/// the project's own did when releases began: 0.1.0 from v524.
pub const CHANGELOG: &str = "# Changelog\n\
\n\
Newest first.\n\
\n\
## [0.1.0] - 2026-11-22\n\
\n\
Generated from release v524 of Stripe's OpenAPI spec (Stripe API version 2023-08-16).\n";

/// A temporary copy of the workspace, removed on drop: `spec/pin.toml`
/// (v524, version 0.1.0), `spec/CHANGELOG.md` ([`CHANGELOG`]), the v524
/// spec in `spec/cache/`, and the project's own `templates/` and
/// `generated/`. Tests never touch the real spec/ or generated/.
pub struct TempRoot {
    pub path: PathBuf,
}

impl TempRoot {
    /// A fresh copy under cargo's per-target temp dir, pinned to v524.
    pub fn new(name: &str) -> TempRoot {
        let pin = xtask::source::Pin {
            version: semver::Version::new(0, 1, 0),
            release: "v524".to_owned(),
            file: "openapi/spec3.yaml".to_owned(),
            sha256: V524_SHA256.to_owned(),
            url: "https://raw.githubusercontent.com/stripe/openapi/v524/openapi/spec3.yaml"
                .to_owned(),
        };
        TempRoot::pinned(name, pin, &shared_spec("spec3.v524.yaml"), CHANGELOG)
    }

    /// A fresh copy pinned to `pin`, with `spec` as its cached file and
    /// `changelog` as spec/CHANGELOG.md.
    pub fn pinned(name: &str, pin: xtask::source::Pin, spec: &Path, changelog: &str) -> TempRoot {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.join("spec/cache")).unwrap();
        std::fs::write(path.join("spec/pin.toml"), pin.to_toml()).unwrap();
        std::fs::write(path.join("spec/CHANGELOG.md"), changelog).unwrap();
        std::fs::copy(spec, pin.cache_path(&path.join("spec"))).unwrap();
        // As after any earlier run: the lock file is created once, empty,
        // and never written, so it is part of the layout the tests compare.
        std::fs::write(path.join(xtask::lock::LOCK_FILE), "").unwrap();
        for dir in ["templates", "generated"] {
            copy_dir(&workspace_root().join(dir), &path.join(dir));
        }
        TempRoot { path }
    }

    pub fn pin_text(&self) -> String {
        std::fs::read_to_string(self.path.join("spec/pin.toml")).unwrap()
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path.join(relative)).unwrap()
    }

    /// Every file under `spec/`, by relative path, with its bytes.
    pub fn spec_tree(&self) -> Vec<(String, Vec<u8>)> {
        self.files_under("spec")
    }

    /// Every file of the copy, by relative path, with its bytes.
    pub fn all_files(&self) -> Vec<(String, Vec<u8>)> {
        self.files_under("")
    }

    fn files_under(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut dirs = vec![self.path.join(dir)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let rel = path.strip_prefix(&self.path).unwrap().display().to_string();
                    out.push((rel, std::fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// What the test server answers.
#[derive(Clone)]
pub enum Reply {
    /// 200 with the whole body.
    Full(Vec<u8>),
    /// A well-formed 200 whose body is only the first `n` bytes.
    Truncated(Vec<u8>, usize),
    /// Promises the whole body in Content-Length, sends `n` bytes, closes.
    ClosesEarly(Vec<u8>, usize),
    /// An error status with a short body.
    Status(u16),
}

/// Serves `reply` to one connection on 127.0.0.1 and stops. Returns the
/// URL and the thread (join it to be sure the server is done).
pub fn serve_once(reply: Reply) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/openapi/spec3.yaml",
        listener.local_addr().unwrap()
    );
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        // Read the request head; the body (there is none for GET) is ignored.
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
            line.clear();
        }
        let mut stream = stream;
        let (status, length, body): (u16, usize, &[u8]) = match &reply {
            Reply::Full(b) => (200, b.len(), b),
            Reply::Truncated(b, n) => (200, *n, &b[..*n]),
            Reply::ClosesEarly(b, n) => (200, b.len(), &b[..*n]),
            Reply::Status(code) => (*code, 9, b"not found"),
        };
        let head =
            format!("HTTP/1.1 {status} X\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
        // The client may hang up first when it sees an error; that is fine.
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(body));
        let _ = stream.flush();
    });
    (url, handle)
}
