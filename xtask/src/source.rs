//! Where the spec comes from. Stripe's spec is never committed: `spec/pin.toml`
//! names a release and its checksum, and the file is looked up in this order:
//! an explicit path, the `STRIPE_OPENAPI_SPEC` variable, the git-ignored cache
//! under `spec/cache/`. Downloading into the cache is the caller's last resort.
//!
//! This is a command-line concern: the generator library only ever sees the
//! spec's text and a [`Provenance`] for the headers it writes.

use generator::Provenance;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Why a spec file or the pin could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec file does not have the checksum its pin promises.
    #[error(
        "{path}: sha256 mismatch\n  expected {expected} (pinned release {release})\n  found    {actual}"
    )]
    Checksum {
        path: PathBuf,
        release: String,
        expected: String,
        actual: String,
    },
    /// The pin manifest under `spec/` is malformed.
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
    /// A spec file is not UTF-8 text.
    #[error("{path}: not UTF-8 text: {source}")]
    NotText {
        path: PathBuf,
        #[source]
        source: std::string::FromUtf8Error,
    },
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// The environment variable naming a spec file.
pub const SPEC_ENV: &str = "STRIPE_OPENAPI_SPEC";

/// The pin manifest, `spec/pin.toml`: what `generated/` is built from.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The version of the generated crate, `stripe-identity`: the one place
    /// it is kept. Codegen stamps it into `generated/Cargo.toml`;
    /// `cargo xtask update-spec` and `cargo xtask release` raise it.
    pub version: semver::Version,
    /// Release tag of github.com/stripe/openapi (`v524`).
    pub release: String,
    /// Path of the spec inside that repository (`openapi/spec3.yaml`).
    pub file: String,
    /// sha256 of the file, lowercase hex.
    pub sha256: String,
    /// Where a user's machine downloads the file from.
    pub url: String,
}

impl Pin {
    /// Reads and checks `spec/pin.toml`.
    pub fn load(path: &Path) -> Result<Pin, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let pin: Pin = toml::from_str(&text).map_err(|e| Error::Manifest {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let hex = pin.sha256.len() == 64 && pin.sha256.bytes().all(|b| b.is_ascii_hexdigit());
        let problem = if !hex {
            Some(format!("sha256 `{}` is not 64 hex digits", pin.sha256))
        } else if !pin.version.pre.is_empty() || !pin.version.build.is_empty() {
            // Releases are bumped by component; a pre-release has no rule here.
            Some(format!(
                "version `{}` is not MAJOR.MINOR.PATCH (no pre-release or build part)",
                pin.version
            ))
        } else {
            None
        };
        match problem {
            Some(message) => Err(Error::Manifest {
                path: path.to_owned(),
                message,
            }),
            None => Ok(pin),
        }
    }

    /// The cache file for this pin, under `spec_dir/cache/`.
    pub fn cache_path(&self, spec_dir: &Path) -> PathBuf {
        let name = Path::new(&self.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".to_owned());
        let ext = Path::new(&self.file)
            .extension()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "yaml".to_owned());
        spec_dir
            .join("cache")
            .join(format!("{name}.{}.{ext}", self.release))
    }

    /// The pin serialized back to its TOML form, with comments.
    pub fn to_toml(&self) -> String {
        format!(
            "# What generated/ is built from. Rewritten by `cargo xtask update-spec` and\n\
             # `cargo xtask release`, never by hand; the spec itself is never committed.\n\
             \n\
             # The version of the generated crate, stripe-identity.\n\
             version = \"{}\"\n\
             \n\
             # The release of Stripe's OpenAPI spec it is generated from.\n\
             release = \"{}\"\nfile = \"{}\"\nsha256 = \"{}\"\nurl = \"{}\"\n",
            self.version, self.release, self.file, self.sha256, self.url
        )
    }
}

/// sha256 of some bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a spec file was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--spec PATH`: any release is allowed.
    Explicit,
    /// `STRIPE_OPENAPI_SPEC`: must match the pin.
    Env,
    /// `spec/cache/`: must match the pin.
    Cache,
}

/// A spec file read from disk, with its checksum.
#[derive(Clone, Debug)]
pub struct SpecFile {
    pub path: PathBuf,
    pub text: String,
    pub sha256: String,
    /// The pinned release when the checksum matches the pin, else `None`.
    pub release: Option<String>,
}

impl SpecFile {
    /// Where the spec came from, as the generated files' headers say it.
    pub fn provenance(&self) -> Provenance {
        Provenance {
            file: self.path.display().to_string(),
            release: self.release.clone(),
            sha256: self.sha256.clone(),
        }
    }
}

/// Finds the spec: `explicit`, then `env` (the value of `STRIPE_OPENAPI_SPEC`),
/// then the cache. `Ok(None)` means none of them exists and the caller may
/// download. Files from the variable or the cache must match the pin.
pub fn find(
    pin: &Pin,
    spec_dir: &Path,
    explicit: Option<&Path>,
    env: Option<&Path>,
) -> Result<Option<SpecFile>, Error> {
    let candidates = [
        (explicit.map(Path::to_path_buf), Origin::Explicit),
        (env.map(Path::to_path_buf), Origin::Env),
        (Some(pin.cache_path(spec_dir)), Origin::Cache),
    ];
    for (path, origin) in candidates {
        let Some(path) = path else { continue };
        if origin == Origin::Cache && !path.exists() {
            continue;
        }
        return read_checked(pin, &path, origin).map(Some);
    }
    Ok(None)
}

/// Reads a spec file and checks it against the pin (strictly, unless explicit).
pub fn read_checked(pin: &Pin, path: &Path, origin: Origin) -> Result<SpecFile, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = sha256_hex(&bytes);
    let pinned = sha256 == pin.sha256;
    if !pinned && origin != Origin::Explicit {
        return Err(Error::Checksum {
            path: path.to_owned(),
            release: pin.release.clone(),
            expected: pin.sha256.clone(),
            actual: sha256,
        });
    }
    let text = String::from_utf8(bytes).map_err(|source| Error::NotText {
        path: path.to_owned(),
        source,
    })?;
    Ok(SpecFile {
        path: path.to_owned(),
        text,
        sha256,
        release: pinned.then(|| pin.release.clone()),
    })
}
