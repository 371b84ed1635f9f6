//! A release of the generated crate: the next version, a changelog entry
//! and the regenerated `generated/`, computed in memory from a spec and
//! written all at once ([`crate::transaction`]).
//!
//! `cargo xtask update-spec` releases a new spec: the version follows from
//! `spec-diff`'s classification of the old and new pins ([`crate::bump`]).
//! `cargo xtask release --bump patch|minor|major` releases hand-written
//! changes under `templates/` with the pinned spec. Either takes `--bump`,
//! which raises the computed bump and never lowers it.

use crate::bump::{self, Bump, Impact};
use crate::changelog::{self, Entry};
use crate::source::{sha256_hex, Pin, SpecFile};
use crate::spec_diff::{self, Changelog, Snapshot};
use crate::transaction::{self, Transaction};
use crate::{codegen, lock};
use anyhow::Context;
use generator::ir::Ir;
use generator::output::Change;
use generator::{CrateRelease, Portion};
use semver::Version;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::Date;

/// `cargo xtask release`.
#[derive(clap::Args)]
pub struct Args {
    /// The version component to raise.
    #[arg(long, value_enum)]
    bump: Bump,
    #[command(flatten)]
    entry: EntryArgs,
    /// The Stripe namespace `generated/` holds.
    #[arg(long, default_value = "identity")]
    portion: String,
}

/// What the changelog entry says besides the changes: shared by
/// `release` and `update-spec`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct EntryArgs {
    /// The release date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// A line for the entry's "Changed" list; repeat for more.
    #[arg(long, value_name = "TEXT")]
    note: Vec<String>,
}

impl EntryArgs {
    pub fn options(self, bump: Option<Bump>) -> anyhow::Result<Options> {
        Ok(Options {
            bump,
            date: changelog::release_date(self.date.as_deref())?,
            notes: self.note,
        })
    }
}

/// How to release, besides the spec.
#[derive(Clone, Debug)]
pub struct Options {
    /// A bump asked for on the command line; raises the computed one.
    pub bump: Option<Bump>,
    pub date: Date,
    pub notes: Vec<String>,
}

/// The step of a release that failed, named in its error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Reading `spec/pin.toml` and `spec/CHANGELOG.md`.
    ReadState,
    /// Downloading the new spec or reading its file.
    Fetch,
    /// Parsing it as an OpenAPI document.
    Parse,
    /// Building the portion's IR from it.
    Portion,
    /// Finding the spec of the current pin.
    PreviousSpec,
    /// Comparing the two.
    Diff,
    /// Generating the crate.
    Generate,
    /// Staging and committing the files.
    Write,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::ReadState => "read the pin and changelog",
            Step::Fetch => "fetch",
            Step::Parse => "parse",
            Step::Portion => "portion",
            Step::PreviousSpec => "previous spec",
            Step::Diff => "diff",
            Step::Generate => "generate",
            Step::Write => "write",
        })
    }
}

/// What stays as it was when a release fails.
pub const UNCHANGED: &str =
    "spec/pin.toml, spec/CHANGELOG.md, the spec cache and generated/ are unchanged";

impl Step {
    /// The context of this step's errors: which step, and that nothing changed.
    pub fn failed(self) -> String {
        format!("step `{self}` failed; {UNCHANGED}")
    }
}

/// Runs `result` as `step`: its error says which step failed.
pub fn at<T, E>(step: Step, result: Result<T, E>) -> anyhow::Result<T>
where
    Result<T, E>: Context<T, E>,
{
    result.with_context(|| step.failed())
}

/// The spec a release is generated from.
pub struct NewSpec {
    /// The release it is pinned as (`v99`).
    pub release: String,
    pub bytes: Vec<u8>,
    /// The file or URL it came from, for messages.
    pub label: String,
}

/// A release computed in memory: nothing is written until [`Prepared::write`].
#[derive(Debug)]
pub struct Prepared {
    pub previous: Pin,
    pub pin: Pin,
    pub api_version: String,
    /// The API changes, when the spec changed.
    pub diff: Option<Changelog>,
    pub impact: Impact,
    /// The new changelog entry, when the version changes.
    pub entry: Option<String>,
    /// The files of `generated/` that change.
    pub changes: Vec<Change>,
    /// How many files `generated/` holds.
    pub files: usize,
    /// Where the new spec is cached.
    pub cache: PathBuf,
    pub transaction: Transaction,
}

impl Prepared {
    /// Stages and commits every file; a failure leaves them all as they were.
    pub fn write(self) -> anyhow::Result<Released> {
        let written = self.transaction.paths();
        if !self.transaction.is_empty() {
            let staged = at(Step::Write, self.transaction.stage())?;
            // From the commit point on, an error means the next run finishes the job.
            staged
                .commit()
                .context("committing the release; the next `cargo xtask` run finishes it")?;
        }
        Ok(Released {
            previous: self.previous,
            pin: self.pin,
            api_version: self.api_version,
            diff: self.diff,
            impact: self.impact,
            entry: self.entry,
            changes: self.changes,
            files: self.files,
            cache: self.cache,
            written,
        })
    }
}

/// What a release did.
#[derive(Clone, Debug)]
pub struct Released {
    pub previous: Pin,
    pub pin: Pin,
    pub api_version: String,
    pub diff: Option<Changelog>,
    pub impact: Impact,
    pub entry: Option<String>,
    pub changes: Vec<Change>,
    pub files: usize,
    pub cache: PathBuf,
    /// The paths written, relative to the root (directories end in `/`).
    pub written: Vec<String>,
}

/// `cargo xtask release --bump ...`: releases the pinned spec again.
pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let options = args.entry.options(Some(args.bump))?;
    let released = release(root, &Portion::by_name(&args.portion), &options)?;
    report(root, &released);
    Ok(ExitCode::SUCCESS)
}

/// Releases the pinned spec with `options.bump` (required here: with the
/// spec unchanged, nothing else asks for a release).
pub fn release(root: &Path, portion: &Portion, options: &Options) -> anyhow::Result<Released> {
    anyhow::ensure!(
        options.bump.is_some(),
        "a release of the pinned spec needs --bump patch|minor|major"
    );
    let _lock = at(Step::ReadState, lock::acquire(root, lock::Mode::Write))?;
    at(Step::ReadState, transaction::recover(root))?;
    let previous = at(Step::ReadState, Pin::load(&root.join("spec/pin.toml")))?;
    let spec = at(Step::PreviousSpec, codegen::locate_spec(root, None))?;
    let new = NewSpec {
        release: previous.release.clone(),
        bytes: spec.text.into_bytes(),
        label: spec.path.display().to_string(),
    };
    prepare(root, previous, new, portion, options)?.write()
}

/// Computes a release of `new` after the pin `previous`, writing nothing.
/// Each step's error names the step.
pub fn prepare(
    root: &Path,
    previous: Pin,
    new: NewSpec,
    portion: &Portion,
    options: &Options,
) -> anyhow::Result<Prepared> {
    let source = at(Step::ReadState, changelog::read(root))?;
    at(
        Step::ReadState,
        changelog::check_matches(&source, &previous.version),
    )?;
    let sha256 = sha256_hex(&new.bytes);
    let text = at(
        Step::Parse,
        String::from_utf8(new.bytes)
            .with_context(|| format!("{} is not a spec: not UTF-8 text", new.label)),
    )?;
    let ir = build_ir(&text, &new.label, portion)?;
    // The same spec again (a `release`) has no API changes to compare.
    let diff = if sha256 == previous.sha256 {
        None
    } else {
        Some(diff(root, &previous, &new.release, &ir, portion)?)
    };
    let plan = Plan::new(previous, &new.release, sha256, &ir, diff, options, source);
    let spec = SpecFile {
        path: plan.pin.cache_path(&root.join("spec")),
        text,
        sha256: plan.pin.sha256.clone(),
        release: Some(plan.pin.release.clone()),
    };
    stage(root, plan, spec, ir.api_version, portion, &new.label)
}

/// What a release says, decided before anything is generated: the API
/// changes since the pin, the next version and pin, and the changelog
/// with its new entry.
struct Plan {
    previous: Pin,
    pin: Pin,
    diff: Option<Changelog>,
    impact: Impact,
    entry: Option<String>,
    changelog: String,
}

impl Plan {
    fn new(
        previous: Pin,
        release: &str,
        sha256: String,
        ir: &Ir,
        diff: Option<Changelog>,
        options: &Options,
        changelog: String,
    ) -> Plan {
        let impact = diff.as_ref().map_or(Impact::Nothing, Impact::of);
        let next = bump::next(&previous.version, impact, options.bump);
        let entry = next.as_ref().map(|version| {
            changelog::entry(&Entry {
                version,
                date: options.date,
                spec_release: release,
                api_version: &ir.api_version,
                changes: diff.as_ref(),
                notes: &options.notes,
            })
        });
        let changelog = match &entry {
            Some(entry) => changelog::insert(&changelog, entry),
            None => changelog,
        };
        Plan {
            pin: next_pin(&previous, next, release, sha256),
            previous,
            diff,
            impact,
            entry,
            changelog,
        }
    }
}

/// Generates the crate `plan` describes and puts every file that changes
/// in one transaction, still in memory.
fn stage(
    root: &Path,
    plan: Plan,
    spec: SpecFile,
    api_version: String,
    portion: &Portion,
    label: &str,
) -> anyhow::Result<Prepared> {
    let crate_release = CrateRelease {
        version: plan.pin.version.to_string(),
        changelog: Some(changelog::generated(&plan.changelog)),
    };
    let generated = at(
        Step::Generate,
        codegen::generate_release(root, &spec, &crate_release, portion)
            .with_context(|| format!("generating the crate from {label}")),
    )?;
    let changes = at(
        Step::Generate,
        generated.files.changes(&root.join("generated")),
    )?;
    let files = generated.files.files.len();
    let mut transaction = Transaction::new(root);
    if !changes.is_empty() {
        transaction.tree("generated", generated.files);
    }
    transaction.file_if_changed(&spec.path, spec.text.into_bytes());
    let changelog_path = changelog::source_path(root);
    transaction.file_if_changed(&changelog_path, plan.changelog.into_bytes());
    // The pin last: in the commit's renames, and in a reader's mind.
    let pin_path = root.join("spec/pin.toml");
    transaction.file_if_changed(&pin_path, plan.pin.to_toml().into_bytes());
    Ok(Prepared {
        previous: plan.previous,
        pin: plan.pin,
        api_version,
        diff: plan.diff,
        impact: plan.impact,
        entry: plan.entry,
        changes,
        files,
        cache: spec.path,
        transaction,
    })
}

/// The pin of the release: the next version, if any, and the new spec. A
/// new release lives at its upstream address; the same release keeps the
/// pin's (a `release` of the pinned spec rewrites only the version).
fn next_pin(previous: &Pin, next: Option<Version>, release: &str, sha256: String) -> Pin {
    let (file, url) = if release == previous.release {
        (previous.file.clone(), previous.url.clone())
    } else {
        let url = crate::update_spec::upstream_url(release);
        (crate::update_spec::SPEC_FILE.to_owned(), url)
    };
    Pin {
        version: next.unwrap_or_else(|| previous.version.clone()),
        release: release.to_owned(),
        file,
        sha256,
        url,
    }
}

/// The portion's IR: a spec that does not parse fails at `parse`, one
/// whose portion does not build at `portion`.
fn build_ir(text: &str, label: &str, portion: &Portion) -> anyhow::Result<Ir> {
    let built = generator::build_ir(text, label, portion);
    let step = match &built {
        Err(generator::Error::Parse { .. }) => Step::Parse,
        _ => Step::Portion,
    };
    at(
        step,
        built.with_context(|| {
            format!(
                "{label} is not a spec the generator can use for the `{}` portion ({} bytes)",
                portion.name,
                text.len()
            )
        }),
    )
}

/// `spec-diff PREVIOUS NEW` of the portion, as `cargo xtask spec-diff`
/// computes it with both releases in the cache.
fn diff(
    root: &Path,
    previous: &Pin,
    release: &str,
    ir: &Ir,
    portion: &Portion,
) -> anyhow::Result<Changelog> {
    let old_spec = at(Step::PreviousSpec, codegen::locate_spec(root, None))?;
    let old = at(
        Step::Diff,
        Snapshot::from_text(
            &previous.release,
            &old_spec.text,
            &old_spec.path.display().to_string(),
            portion,
        ),
    )?;
    let new = Snapshot::from_ir(release, ir, portion);
    Ok(spec_diff::diff(&old, &new))
}

/// Prints what a release did and what to do next.
pub fn report(root: &Path, released: &Released) {
    let (old, pin) = (&released.previous, &released.pin);
    if old.release != pin.release || old.sha256 != pin.sha256 {
        eprintln!(
            "pinned release {} (API version {}), sha256 {}",
            pin.release, released.api_version, pin.sha256
        );
        eprintln!("  was release {}, sha256 {}", old.release, old.sha256);
    }
    let why = match released.impact {
        Impact::Breaking => "breaking changes to the API",
        Impact::Compatible => "compatible changes to the API",
        Impact::Descriptions => "documentation changes only",
        Impact::Nothing => "no API changes",
    };
    match &released.entry {
        Some(_) => eprintln!("version {} -> {} ({why})", old.version, pin.version),
        None => eprintln!("version stays {} ({why}): no changelog entry", pin.version),
    }
    if released.written.is_empty() {
        eprintln!("nothing to write: the pin, changelog and generated/ are already this release");
        return;
    }
    codegen::report_changes(&released.changes, released.files);
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    eprintln!("wrote {}", released.written.join(", "));
    eprintln!("  (spec cached at {})", shown(&released.cache));
    if let Some(entry) = &released.entry {
        eprintln!(
            "\nnew entry of generated/CHANGELOG.md:\n\n{}",
            entry.trim_end()
        );
    }
    eprintln!(
        "\nnext: review `git diff`, run `cargo test --workspace` and \
         `cargo package -p stripe-identity`, then commit spec/ and generated/ together"
    );
}
