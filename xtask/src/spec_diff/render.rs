//! The changelog as Markdown, ready to paste under a CHANGELOG heading.

use super::flatten::RESPONSE;
use super::{Change, ChangeKind, Changelog, Key, Kind, Scope, SpecInfo};
use std::fmt::Write;

impl Changelog {
    /// The changelog under a level-2 heading, as `cargo xtask spec-diff` prints it.
    pub fn markdown(&self) -> String {
        self.markdown_at(2)
    }

    /// The changelog under a heading of `level` (`##` is 2), its sections one
    /// level below: a release's entry in CHANGELOG.md nests it at level 3.
    pub fn markdown_at(&self, level: usize) -> String {
        let heading = "#".repeat(level);
        let mut out = format!(
            "{heading} Changes to the `{}` API: {} to {}\n\n",
            self.portion,
            label(&self.old),
            label(&self.new)
        );
        for (title, changes) in [
            ("Breaking", &self.breaking),
            ("Non-breaking", &self.non_breaking),
        ] {
            let _ = writeln!(out, "{heading}# {title}\n");
            if changes.is_empty() {
                out.push_str("None.\n");
            }
            for change in changes {
                let _ = writeln!(out, "- {}", sentence(change));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Description-only changes (not listed): {}.",
            self.description_only
        );
        out
    }
}

fn label(info: &SpecInfo) -> String {
    let absent = if info.portion_present {
        ""
    } else {
        ", without this portion"
    };
    format!("{} (API version {}{absent})", info.spec, info.api_version)
}

/// One change as a sentence.
pub fn sentence(change: &Change) -> String {
    let noun = noun(&change.key, change.item);
    let old = change.old.as_deref().unwrap_or_default();
    let new = change.new.as_deref().unwrap_or_default();
    match change.change {
        ChangeKind::Added => format!("Added {noun}{}.", details(new)),
        ChangeKind::Removed => format!("Removed {noun}{}.", details(old)),
        ChangeKind::Type => format!("Changed the type of {noun} from `{old}` to `{new}`."),
        ChangeKind::Presence => format!("Changed {noun} from {old} to {new}."),
    }
}

fn details(summary: &str) -> String {
    if summary.is_empty() {
        String::new()
    } else {
        format!(" ({summary})")
    }
}

/// What and where, in words: ``field `VerificationSession.last_error.code` ``.
fn noun(key: &Key, kind: Kind) -> String {
    match &key.value {
        Some(value) if kind == Kind::EventType => format!("event type `{value}`"),
        Some(value) => {
            let parent = Key {
                value: None,
                ..key.clone()
            };
            format!("value `{value}` of {}", place(&parent, Kind::Field))
        }
        None => place(key, kind),
    }
}

fn place(key: &Key, kind: Kind) -> String {
    let root = &key.root;
    let word = |default: &'static str| match kind {
        Kind::PathParameter => "path parameter",
        Kind::Variant => "union member",
        _ => default,
    };
    match (key.scope, key.path.split_first()) {
        (Scope::Operation, None) => format!("operation `{root}`"),
        (Scope::Operation, Some((first, []))) if first == RESPONSE => {
            format!("the response of `{root}`")
        }
        (Scope::Operation, Some((first, rest))) if first == RESPONSE => {
            format!(
                "{} `{}` of the response of `{root}`",
                word("field"),
                rest.join(".")
            )
        }
        (Scope::Operation, Some(_)) => {
            format!("{} `{}` of `{root}`", word("parameter"), key.path.join("."))
        }
        (Scope::Resource, None) => format!("resource `{root}`"),
        (Scope::Type, None) => format!("type `{root}`"),
        (_, Some(_)) => format!("{} `{root}.{}`", word("field"), key.path.join(".")),
    }
}
