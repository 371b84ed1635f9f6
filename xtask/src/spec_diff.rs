//! `cargo xtask spec-diff OLD NEW`: what changed in a portion of Stripe's
//! API between two spec files, classed by what it does to users of the
//! generated Rust crate.
//!
//! Both specs go through the generator's IR. Operations are matched by
//! method and path, parameters and fields by wire name along the path from
//! a resource or operation (`VerificationSession.last_error.code`), enum
//! values by their wire value. Rust names of inline types are never
//! compared: they derive from the path where a type is first met, so they
//! move when the spec is reordered.
//!
//! # Rules
//!
//! A change is *breaking* when code that compiled against the crate
//! generated from OLD may stop compiling against the one generated from NEW.
//! The rules are one table, [`Rule`] (in `spec_diff/rules.rs`); the README
//! shows it, and a test keeps the two equal.
//!
//! Below an item that was added or removed, nothing more is listed: a
//! removed operation is one change, not one per parameter.
//!
//! A spec in which the portion does not exist (an API older than the
//! product) is an empty portion: everything in the other spec is added or
//! removed.

mod flatten;
mod render;
mod rules;

pub use flatten::{Key, Kind, Scope, Side};
pub use rules::{rules_markdown, Rule, RuleDoc};

use crate::source::Pin;
use anyhow::Context;
use flatten::Item;
use generator::ir::Ir;
use generator::{Error, Portion};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The older spec: a file, or a release (`v524`) meaning its file in `spec/cache/`.
    old: String,
    /// The newer spec, in the same form.
    new: String,
    /// `markdown` (for a CHANGELOG) or `json`.
    #[arg(long, value_enum, default_value = "markdown")]
    format: Format,
    /// The Stripe namespace to compare.
    #[arg(long, default_value = "identity")]
    portion: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

pub fn run(root: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let portion = Portion::by_name(&args.portion);
    let old = Snapshot::load(root, &args.old, &portion)?;
    let new = Snapshot::load(root, &args.new, &portion)?;
    let changelog = diff(&old, &new);
    let text = match args.format {
        Format::Markdown => changelog.markdown(),
        Format::Json => changelog.json() + "\n",
    };
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        result => result.context("writing the changelog to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A spec argument as a file: a release name (`v524`) means that release's
/// file in the spec cache, anything else is a path.
pub fn resolve(root: &Path, spec: &str) -> anyhow::Result<PathBuf> {
    if !is_release(spec) {
        return Ok(PathBuf::from(spec));
    }
    let spec_dir = root.join("spec");
    let pin = Pin::load(&spec_dir.join("pin.toml"))?;
    let path = Pin {
        release: spec.to_owned(),
        ..pin
    }
    .cache_path(&spec_dir);
    if !path.exists() {
        anyhow::bail!(
            "no cached spec for release {spec}: {} does not exist\n  \
             give the file's path instead (`cargo xtask update-spec --release {spec}` would fetch it, but also pin it)",
            path.display()
        );
    }
    Ok(path)
}

/// `v` followed by digits, like Stripe's release tags.
fn is_release(spec: &str) -> bool {
    spec.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One spec's portion, flattened for comparison.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub portion: String,
    pub info: SpecInfo,
    items: BTreeMap<Key, Item>,
}

/// Which spec a side of the diff is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecInfo {
    /// The spec as named on the command line.
    pub spec: String,
    /// Stripe API version (`info.version`).
    pub api_version: String,
    /// False when the spec has nothing of the portion.
    pub portion_present: bool,
}

impl Snapshot {
    /// Reads the spec a command-line argument names.
    pub fn load(root: &Path, spec: &str, portion: &Portion) -> anyhow::Result<Snapshot> {
        let path = resolve(root, spec)?;
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(Snapshot::from_text(
            spec,
            &text,
            &path.display().to_string(),
            portion,
        )?)
    }

    /// The snapshot of a portion's IR, built from the spec named `spec`.
    pub fn from_ir(spec: &str, ir: &Ir, portion: &Portion) -> Snapshot {
        Snapshot {
            portion: portion.name.clone(),
            items: flatten::flatten(ir),
            info: SpecInfo {
                spec: spec.to_owned(),
                api_version: ir.api_version.clone(),
                portion_present: true,
            },
        }
    }

    /// Builds the snapshot of spec text; `file` names it in errors.
    pub fn from_text(
        spec: &str,
        text: &str,
        file: &str,
        portion: &Portion,
    ) -> Result<Snapshot, Error> {
        let info = |api_version: String, portion_present| SpecInfo {
            spec: spec.to_owned(),
            api_version,
            portion_present,
        };
        match generator::build_ir(text, file, portion) {
            Ok(ir) => Ok(Snapshot::from_ir(spec, &ir, portion)),
            // An API older than the product has no portion: compare as empty.
            Err(Error::EmptyPortion { api_version, .. }) => Ok(Snapshot {
                portion: portion.name.clone(),
                items: BTreeMap::new(),
                info: info(api_version, false),
            }),
            Err(e) => Err(e),
        }
    }
}

/// The changes between two snapshots, classed and sorted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Changelog {
    /// The portion compared (`identity`).
    pub portion: String,
    pub old: SpecInfo,
    pub new: SpecInfo,
    pub breaking: Vec<Change>,
    pub non_breaking: Vec<Change>,
    /// Items whose description changed and nothing else.
    pub description_only: usize,
}

impl Changelog {
    pub fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.non_breaking.is_empty() && self.description_only == 0
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// One listed change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub key: Key,
    pub item: Kind,
    pub side: Side,
    pub change: ChangeKind,
    /// The old type or presence (`string`, `required`); `None` when added.
    pub old: Option<String>,
    /// The new one; `None` when removed.
    pub new: Option<String>,
    pub rule: Rule,
    pub breaking: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// The type changed.
    Type,
    /// Requiredness or nullability changed.
    Presence,
}

/// Compares two snapshots.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Changelog {
    let mut changes = Vec::new();
    let mut description_only = 0;
    for (key, item) in &new.items {
        match old.items.get(key) {
            None if listed(key, &old.items) => {
                changes.push(added_or_removed(key, item, ChangeKind::Added))
            }
            None => {}
            Some(before) => {
                let changed = changed(key, before, item);
                if changed.is_empty() && before.docs != item.docs {
                    description_only += 1;
                }
                changes.extend(changed);
            }
        }
    }
    for (key, item) in &old.items {
        if !new.items.contains_key(key) && listed(key, &new.items) {
            changes.push(added_or_removed(key, item, ChangeKind::Removed));
        }
    }
    changes.sort_by(|a, b| (&a.key, a.change).cmp(&(&b.key, b.change)));
    let (breaking, non_breaking) = changes.into_iter().partition(|c| c.breaking);
    Changelog {
        portion: new.portion.clone(),
        old: old.info.clone(),
        new: new.info.clone(),
        breaking,
        non_breaking,
        description_only,
    }
}

/// An item missing on the other side is listed only if its parent is
/// there: below a new or removed item, the item itself says it all.
fn listed(key: &Key, other: &BTreeMap<Key, Item>) -> bool {
    match key.parent() {
        Some(parent) => other.contains_key(&parent),
        None => true,
    }
}

fn added_or_removed(key: &Key, item: &Item, change: ChangeKind) -> Change {
    let rule = if change == ChangeKind::Added {
        Rule::added(item)
    } else {
        Rule::Removed
    };
    let summary = Some(summary(item));
    let (old, new) = if change == ChangeKind::Added {
        (None, summary)
    } else {
        (summary, None)
    };
    Change {
        key: key.clone(),
        item: item.kind,
        side: item.side,
        change,
        old,
        new,
        rule,
        breaking: rule.breaking(),
    }
}

/// The type and presence of an item in a few words, for added and removed items.
fn summary(item: &Item) -> String {
    match item.kind {
        Kind::Value | Kind::Operation | Kind::Resource | Kind::Type => String::new(),
        Kind::Response | Kind::Variant => item.ty.clone(),
        Kind::EventType => format!("carries {}", item.ty),
        Kind::Parameter | Kind::PathParameter | Kind::Field => {
            format!("{}, {}", item.ty, item.presence())
        }
    }
}

/// The type and presence changes of an item present on both sides.
fn changed(key: &Key, old: &Item, new: &Item) -> Vec<Change> {
    let change = |change, rule: Rule, before: String, after: String| Change {
        key: key.clone(),
        item: new.kind,
        side: new.side,
        change,
        old: Some(before),
        new: Some(after),
        rule,
        breaking: rule.breaking(),
    };
    let mut out = Vec::new();
    if old.ty != new.ty {
        out.push(change(
            ChangeKind::Type,
            Rule::TypeChanged,
            old.ty.clone(),
            new.ty.clone(),
        ));
    }
    if (old.required, old.nullable) != (new.required, new.nullable) {
        out.push(change(
            ChangeKind::Presence,
            Rule::presence(old, new),
            old.presence(),
            new.presence(),
        ));
    }
    out
}
