//! `cargo xtask codegen`: find the spec, generate, write or check. The
//! crate's version comes from `spec/pin.toml` and its changelog from
//! `spec/CHANGELOG.md` ([`crate::changelog`]); codegen never changes either.

use crate::lock::{self, Mode};
use crate::source::{self, Pin, SpecFile};
use crate::{changelog, fetch, transaction};
use anyhow::Context;
use generator::output::{Change, Drift};
use generator::{CrateRelease, Generated, Portion};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Regenerate in memory and fail, naming each file, if `generated/` differs. Writes nothing.
    #[arg(long)]
    check: bool,
    /// A spec file to use instead of the pinned release (any release; the run says which).
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The Stripe namespace to generate.
    #[arg(long, default_value = "identity")]
    portion: String,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mode = if args.check { Mode::Read } else { Mode::Write };
    let _lock = lock::acquire(root, mode)?;
    if args.check {
        anyhow::ensure!(
            !transaction::pending(root),
            "an update was interrupted after its commit point; \
             `cargo xtask codegen` (without --check) finishes it"
        );
    } else if transaction::recover(root)? == transaction::Recovery::Finished {
        eprintln!("finished an update that was interrupted after its commit point");
    }
    let spec = locate_spec(root, args.spec.as_deref())?;
    eprintln!("spec: {} ({})", spec.path.display(), describe(&spec));
    let portion = Portion::by_name(&args.portion);
    let generated = generate(root, &spec, &portion)?;
    eprintln!("api version: {}", generated.ir.api_version);
    for warning in &generated.ir.warnings {
        eprintln!("warning: fell back to serde_json::Value: {warning}");
    }
    let out = root.join("generated");
    if args.check {
        return Ok(report_check(&generated.files.check(&out)?));
    }
    // Bytes only: a plain run says which files changed, not how, so it
    // never pays for a diff.
    let changes = generated.files.changes(&out)?;
    if !changes.is_empty() {
        generated
            .files
            .write(&out)
            .with_context(|| format!("writing {}", out.display()))?;
    }
    report_changes(&changes, generated.files.files.len());
    // Repeated after the list, so the last line of a run says what it was built from.
    let from = match &spec.release {
        Some(release) => format!("release {release}"),
        None => format!("{} (unpinned, sha256 {})", spec.path.display(), spec.sha256),
    };
    eprintln!(
        "generated from {from}, API version {}",
        generated.ir.api_version
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates the crate from `spec` with the templates, version and
/// changelog of the workspace at `root`: the one entry point shared by
/// `cargo xtask codegen` and the drift test, so both produce the same bytes.
pub fn generate(root: &Path, spec: &SpecFile, portion: &Portion) -> anyhow::Result<Generated> {
    let release = crate_release(root)?;
    Ok(generate_release(root, spec, &release, portion)?)
}

/// Generates the crate as [`generate`] does, for the given release of it:
/// what an update writes once it has computed the next version and entry.
pub fn generate_release(
    root: &Path,
    spec: &SpecFile,
    release: &CrateRelease,
    portion: &Portion,
) -> Result<Generated, generator::Error> {
    generator::codegen(root, &spec.text, &spec.provenance(), release, portion)
}

/// The crate's release as the workspace records it: the version in
/// `spec/pin.toml`, which must be the changelog's newest entry.
pub fn crate_release(root: &Path) -> anyhow::Result<CrateRelease> {
    let pin = Pin::load(&root.join("spec/pin.toml"))?;
    let source = changelog::read(root)?;
    changelog::check_matches(&source, &pin.version)?;
    Ok(CrateRelease {
        version: pin.version.to_string(),
        changelog: Some(changelog::generated(&source)),
    })
}

/// `--spec`, `STRIPE_OPENAPI_SPEC`, the cache, then a download into the cache.
pub fn locate_spec(root: &Path, explicit: Option<&Path>) -> anyhow::Result<SpecFile> {
    let spec_dir = root.join("spec");
    let pin = Pin::load(&spec_dir.join("pin.toml"))?;
    let env = std::env::var_os(source::SPEC_ENV).map(PathBuf::from);
    if let Some(found) = source::find(&pin, &spec_dir, explicit, env.as_deref())? {
        return Ok(found);
    }
    let cache = pin.cache_path(&spec_dir);
    fetch::download_pinned(&pin, &cache)?;
    Ok(source::read_checked(&pin, &cache, source::Origin::Cache)?)
}

fn describe(spec: &SpecFile) -> String {
    match &spec.release {
        Some(release) => format!("pinned release {release}"),
        None => format!("not the pinned release: sha256 {}", spec.sha256),
    }
}

fn report_check(drift: &[Drift]) -> ExitCode {
    if drift.is_empty() {
        eprintln!("generated/ is up to date");
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "generated/ is out of date ({} files); run `cargo xtask codegen`:",
        drift.len()
    );
    for d in drift {
        eprintln!("  {d}");
    }
    ExitCode::FAILURE
}

/// What a plain run did. Nothing is written when nothing changed, so the
/// generated crate's files keep their times and cargo does not rebuild it.
pub(crate) fn report_changes(changes: &[Change], total: usize) {
    if changes.is_empty() {
        eprintln!("generated/ unchanged ({total} files); nothing written");
        return;
    }
    eprintln!("generated/: {} of {total} files changed", changes.len());
    for change in changes {
        match change {
            Change::Changed { path } => eprintln!("  changed {path}"),
            Change::Missing { path } => eprintln!("  added   {path}"),
            Change::Extra { path } => eprintln!("  removed {path}"),
        }
    }
}
