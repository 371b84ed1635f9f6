//! `cargo xtask update-spec --release vNNN [--file PATH | --url URL]
//! [--portion NAME] [--bump LEVEL] [--date YYYY-MM-DD] [--note TEXT]`:
//! pins a release of Stripe's spec, and releases the crate built from it.
//!
//! One step does it all, in memory first ([`crate::release::prepare`]):
//! fetch the spec, parse it, build the portion (Identity unless `--portion`
//! names another), diff it against the current pin's spec, compute the next
//! version from the diff ([`crate::bump`]), add the changelog entry and
//! regenerate `generated/`. Only then are the spec cache file,
//! `spec/CHANGELOG.md`, `spec/pin.toml` and `generated/` written, all at
//! once ([`crate::transaction`]). A failed step (its error names it) or an
//! interrupted run leaves every one of them as it was.
//!
//! An update to the spec already pinned, byte for byte, writes nothing.

use crate::release::{self, at, EntryArgs, NewSpec, Options, Released, Step};
use crate::source::{sha256_hex, Pin};
use crate::{bump::Bump, transaction};
use crate::{fetch, lock};
use anyhow::{bail, Context};
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
    /// The Stripe namespace to compare and generate.
    #[arg(long, default_value = "identity")]
    portion: String,
    /// Raise the version at least this much (never less than the API changes require).
    #[arg(long, value_enum)]
    bump: Option<Bump>,
    #[command(flatten)]
    entry: EntryArgs,
}

/// Where the new spec's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    File(PathBuf),
    Url(String),
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let source = match (args.file, args.url) {
        (Some(file), _) => Source::File(file),
        (None, Some(url)) => Source::Url(url),
        (None, None) => Source::Url(upstream_url(&args.release)),
    };
    let portion = Portion::by_name(&args.portion);
    let options = args.entry.options(args.bump)?;
    match update_spec(root, &args.release, &source, &portion, &options)? {
        Some(released) => release::report(root, &released),
        None => eprintln!(
            "release {} is already pinned with this sha256: nothing written \
             (`cargo xtask codegen` regenerates after template changes, \
             `cargo xtask release --bump ...` releases them)",
            args.release
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches the spec of `release`, and releases the crate built from it
/// after the current pin of the workspace at `root`. `None` when that is
/// the pinned spec already, byte for byte, and no bump is asked for:
/// nothing is written.
pub fn update_spec(
    root: &Path,
    release: &str,
    source: &Source,
    portion: &Portion,
    options: &Options,
) -> anyhow::Result<Option<Released>> {
    check_release_name(release)?;
    let _lock = at(Step::ReadState, lock::acquire(root, lock::Mode::Write))?;
    at(Step::ReadState, transaction::recover(root))?;
    // The version and changelog follow from the diff against the pin.
    let previous = at(Step::ReadState, Pin::load(&root.join("spec/pin.toml")))?;
    let (bytes, label) = at(Step::Fetch, read_source(source))?;
    let already_pinned = release == previous.release && sha256_hex(&bytes) == previous.sha256;
    if already_pinned && options.bump.is_none() {
        return Ok(None);
    }
    let new = NewSpec {
        release: release.to_owned(),
        bytes,
        label,
    };
    let prepared = release::prepare(root, previous, new, portion, options)?;
    prepared.write().map(Some)
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
