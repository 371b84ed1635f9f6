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

/// A temporary workspace layout (`spec/pin.toml`, `spec/cache/`), removed on drop.
pub struct TempRoot {
    pub path: PathBuf,
}

impl TempRoot {
    /// A fresh directory under cargo's per-target temp dir, pinned to v524.
    pub fn new(name: &str) -> TempRoot {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.join("spec/cache")).unwrap();
        let pin = xtask::source::Pin {
            release: "v524".to_owned(),
            file: "openapi/spec3.yaml".to_owned(),
            sha256: V524_SHA256.to_owned(),
            url: "https://raw.githubusercontent.com/stripe/openapi/v524/openapi/spec3.yaml"
                .to_owned(),
        };
        std::fs::write(path.join("spec/pin.toml"), pin.to_toml()).unwrap();
        TempRoot { path }
    }

    pub fn pin_text(&self) -> String {
        std::fs::read_to_string(self.path.join("spec/pin.toml")).unwrap()
    }

    /// Every file under `spec/`, by relative path, with its bytes.
    pub fn spec_tree(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut dirs = vec![self.path.join("spec")];
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
