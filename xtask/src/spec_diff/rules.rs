//! The breaking-change rules: one table, from which the [`Rule`] enum, each
//! rule's class and the table in the README are all made. A change is
//! *breaking* when code that compiled against the crate generated from the
//! old spec may stop compiling against the one generated from the new spec.

use super::flatten::{Item, Kind};
use serde::Serialize;

/// Declares [`Rule`] and [`Rule::ALL`] from one list of rows, so a rule
/// cannot exist without its class and its reasons, nor the other way round.
macro_rules! rules {
    ($($(#[$doc:meta])* $rule:ident: $change:literal, $breaking:literal, $why:literal;)*) => {
        /// The class a change falls in.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Rule {
            $($(#[$doc])* $rule,)*
        }

        impl Rule {
            /// Every rule, in the order the README's table lists them.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule),*];

            /// The rule's row of the table.
            pub fn doc(self) -> RuleDoc {
                match self {
                    $(Rule::$rule => RuleDoc {
                        change: $change,
                        breaking: $breaking,
                        why: $why,
                    },)*
                }
            }
        }
    };
}

rules! {
    NewItem: "operation, resource or type added", false,
        "new items; nothing existing changes";
    NewRequiredParameter: "required parameter added", true,
        "it becomes an argument of the request's `new()`";
    NewOptionalParameter: "optional parameter added", false,
        "it becomes a new setter";
    /// Also when the object is received too: it is emitted as a request struct.
    NewRequestField: "field added to an object users send (in a request, even if they also receive it)", true,
        "request objects are plain structs built with literals, and a literal that lists every field stops compiling";
    NewResponseField: "field added to an object users only receive", false,
        "response structs are `#[non_exhaustive]`";
    NewEnumValue: "enum value or event type added", false,
        "enums and the event payload are `#[non_exhaustive]` and keep a catch-all variant";
    NewRequestVariant: "union member added to a union users only send", false,
        "users only build request unions";
    /// Also when the union is sent too: code receiving it matches on it.
    NewResponseVariant: "union member added to a union users receive (in a response, even if they also send it)", true,
        "unions are exhaustive enums; a `match` stops compiling";
    Removed: "anything removed (operation, parameter, field, enum value, event type)", true,
        "code naming it stops compiling";
    TypeChanged: "type changed", true,
        "the Rust type of the field or parameter changes";
    ParameterRequirednessChanged: "parameter becomes required, or optional", true,
        "`new()` gains or loses an argument";
    OptionChanged: "field gains or loses `Option` (it becomes optional or nullable, or stops being either)", true,
        "its type changes between `T` and `Option<T>`";
    PresenceOnly: "requiredness or nullability changed but the Rust type did not", false,
        "e.g. a nullable field becomes required: it stays an `Option`";
}

/// One row of the rules table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    /// The change, in words.
    pub change: &'static str,
    pub breaking: bool,
    /// Why it is breaking or not.
    pub why: &'static str,
}

/// The last row: description changes follow no rule, they are only counted.
const DESCRIPTIONS: &str = "| description changed | counted, not listed | documentation only |";

impl Rule {
    pub fn breaking(self) -> bool {
        self.doc().breaking
    }

    /// The rule for an item that is new.
    pub(super) fn added(item: &Item) -> Rule {
        match (item.kind, item.side) {
            (Kind::Parameter | Kind::PathParameter, _) if item.required => {
                Rule::NewRequiredParameter
            }
            (Kind::Parameter, _) => Rule::NewOptionalParameter,
            (Kind::Field, side) if side.built() => Rule::NewRequestField,
            (Kind::Field, _) => Rule::NewResponseField,
            (Kind::Value | Kind::EventType, _) => Rule::NewEnumValue,
            (Kind::Variant, side) if side.received() => Rule::NewResponseVariant,
            (Kind::Variant, _) => Rule::NewRequestVariant,
            _ => Rule::NewItem,
        }
    }

    /// The rule for an item whose requiredness or nullability changed.
    pub(super) fn presence(old: &Item, new: &Item) -> Rule {
        match new.kind {
            Kind::Parameter | Kind::PathParameter if old.required != new.required => {
                Rule::ParameterRequirednessChanged
            }
            _ if old.optional() != new.optional() => Rule::OptionChanged,
            _ => Rule::PresenceOnly,
        }
    }
}

/// The rules as a Markdown table, as the README shows them.
pub fn rules_markdown() -> String {
    let mut out = String::from("| change | class | why |\n| --- | --- | --- |\n");
    for rule in Rule::ALL {
        let doc = rule.doc();
        let class = if doc.breaking {
            "breaking"
        } else {
            "non-breaking"
        };
        out.push_str(&format!("| {} | {class} | {} |\n", doc.change, doc.why));
    }
    out.push_str(DESCRIPTIONS);
    out.push('\n');
    out
}
