//! `cargo xtask update-spec --release vNNN [--file PATH | --url URL]
//! [--portion NAME]`: pins a release of Stripe's spec.
//!
//! The new file is checked before anything changes: it must be UTF-8, parse
//! as an OpenAPI document, and the portion (Identity unless `--portion`
//! names another) must build into the generator's IR. Only then is the cache file written, and the pin last,
//! each through a temporary file renamed into place. So a failed download,
//! a file that is not a spec, or a run interrupted before the last rename
//! leaves the pin in force and its cache file as they were; interrupted
//! between the two renames, the only trace is a cache file for the new
//! release that nothing pins yet.

use crate::fetch;
use crate::source::{sha256_hex, Pin};
use anyhow::{bail, Context};
use generator::ir::Ir;
use generator::Portion;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the spec lives inside a release of github.com/stripe/openapi.
pub const SPEC_FILE: &str = "openapi/spec3.yaml";

/// The upstream address of a release's spec, which the pin records.
pub fn upstream_url(release: &str) -> String {
    format!("https://raw.githubusercontent.com/stripe/openapi/{release}/{SPEC_FILE}")
}

#[derive(clap::Args)]
pub struct Args {
    /// The release tag to pin (`v524`). Names the release even with --file or --url.
    #[arg(long)]
    release: String,
    /// Take the spec from this local file instead of downloading it.
    #[arg(long, value_name = "PATH", conflicts_with = "url")]
    file: Option<PathBuf>,
    /// Download the spec from this address (a mirror) instead of upstream.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The Stripe namespace the new spec must be able to generate.
    #[arg(long, default_value = "identity")]
    portion: String,
}

/// Where the new spec's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    File(PathBuf),
    Url(String),
}

/// What an update did.
#[derive(Clone, Debug)]
pub struct Updated {
    /// The pin before, when it could be read.
    pub previous: Option<Pin>,
    pub pin: Pin,
    pub cache: PathBuf,
    pub api_version: String,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let source = match (args.file, args.url) {
        (Some(file), _) => Source::File(file),
        (None, Some(url)) => Source::Url(url),
        (None, None) => Source::Url(upstream_url(&args.release)),
    };
    let portion = Portion::by_name(&args.portion);
    let updated = update_spec(root, &args.release, &source, &portion)?;
    report(root, &updated);
    Ok(ExitCode::SUCCESS)
}

/// Fetches the spec of `release` and checks that `portion` builds from it,
/// then fills the cache and rewrites the pin of the workspace at `root`.
pub fn update_spec(
    root: &Path,
    release: &str,
    source: &Source,
    portion: &Portion,
) -> anyhow::Result<Updated> {
    check_release_name(release)?;
    let spec_dir = root.join("spec");
    let pin_path = spec_dir.join("pin.toml");
    // A missing or broken pin is what this command replaces, so it does not stop it.
    let previous = Pin::load(&pin_path).ok();
    let unchanged = || format!("{} and the spec cache are unchanged", pin_path.display());
    let (bytes, label) = read_source(source).with_context(unchanged)?;
    let ir = check_spec(&bytes, &label, portion).with_context(unchanged)?;
    let pin = Pin {
        release: release.to_owned(),
        file: SPEC_FILE.to_owned(),
        sha256: sha256_hex(&bytes),
        url: upstream_url(release),
    };
    let cache = pin.cache_path(&spec_dir);
    fetch::write_atomically(&cache, &bytes).with_context(unchanged)?;
    fetch::write_atomically(&pin_path, pin.to_toml().as_bytes())
        .with_context(|| format!("{} is unchanged", pin_path.display()))?;
    Ok(Updated {
        previous,
        pin,
        cache,
        api_version: ir.api_version,
    })
}

/// The release becomes part of a file name and a URL: keep it to the
/// characters Stripe's tags use.
fn check_release_name(release: &str) -> anyhow::Result<()> {
    let ok = !release.is_empty()
        && !release.starts_with('.')
        && release
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !ok {
        bail!("`{release}` is not a release tag (expected something like `v524`)");
    }
    Ok(())
}

/// The bytes of the new spec, and how to name them in messages.
fn read_source(source: &Source) -> anyhow::Result<(Vec<u8>, String)> {
    match source {
        Source::File(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Ok((bytes, path.display().to_string()))
        }
        Source::Url(url) => {
            eprintln!("downloading {url}");
            let bytes =
                fetch::download(url).with_context(|| format!("downloading {url} failed"))?;
            Ok((bytes, url.clone()))
        }
    }
}

/// The spec must be text, parse, and hold a usable `portion`.
fn check_spec(bytes: &[u8], label: &str, portion: &Portion) -> anyhow::Result<Ir> {
    let text = std::str::from_utf8(bytes)
        .with_context(|| format!("{label} is not a spec: not UTF-8 text"))?;
    generator::build_ir(text, label, portion).with_context(|| {
        format!(
            "{label} is not a spec the generator can use for the `{}` portion ({} bytes)",
            portion.name,
            bytes.len()
        )
    })
}

fn report(root: &Path, updated: &Updated) {
    let pin = &updated.pin;
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    eprintln!(
        "pinned release {} (API version {}), sha256 {}",
        pin.release, updated.api_version, pin.sha256
    );
    match &updated.previous {
        Some(old) => eprintln!("  was release {}, sha256 {}", old.release, old.sha256),
        None => eprintln!("  (there was no readable pin before)"),
    }
    eprintln!(
        "  cached at {}; spec/pin.toml rewritten",
        shown(&updated.cache)
    );
    eprintln!("next:");
    if let Some(old) = &updated.previous {
        eprintln!(
            "  cargo xtask spec-diff {} {}   # what changed in the API",
            old.release, pin.release
        );
    }
    eprintln!("  cargo xtask codegen   # regenerate generated/ from the new pin");
}
