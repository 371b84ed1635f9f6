//! Which values must never be shown: secrets and personal data, decided by
//! one rule over wire names, so a field a new spec adds is covered without
//! anyone listing it.
//!
//! This file is the rule for both sides. The generator includes it
//! (`generator/src/sensitivity.rs`) to decide which fields `Debug` redacts;
//! codegen copies it into the generated crate, whose errors use it to
//! decide whether Stripe's error message may quote a personal value (see
//! `error.rs`).
//!
//! # Rule
//!
//! A field is sensitive when its wire name is one of these words, or ends in
//! `_` and one of them (`first_name` ends in `_name`), and its value is of
//! the kind the word applies to:
//!
//! * any value but a boolean: `secret` (`client_secret`), `ephemeral_key`,
//!   `dob`, `date_of_birth`, `address` (also `ip_address`),
//!   `expiration_date`, `issued_date`, `files` (document file ids);
//! * a string: `name`, `id_number`, `number` (a document's number),
//!   `email`, `phone`, and the file ids `document` and `selfie`. As objects,
//!   fields with these names are reports or options (`options.id_number`,
//!   a report's `document`), whose own fields get the rule instead;
//! * a string called exactly `url`: a session's `url` lets whoever has it
//!   verify as the user (`doc_url`, `return_url` are not secret).
//!
//! A boolean is never sensitive: `require_id_number` says what a session
//! checks, not who the user is. A sensitive field prints as `[redacted]` in
//! `Debug`; serialization and field access give the real value. Fields the
//! spec does not know are never shown by value at all (see the runtime's
//! `ExtraFields`).

/// What kind of value a field holds, as far as the rule cares.
// The runtime asks only about strings and objects (a form parameter and
// its parents); booleans are the generator's case.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Boolean,
    /// Numbers, objects, arrays, maps, unions.
    Other,
}

/// Words that make any non-boolean value sensitive.
const ANY_VALUE: &[&str] = &[
    "secret",
    "ephemeral_key",
    "dob",
    "date_of_birth",
    "address",
    "expiration_date",
    "issued_date",
    "files",
];

/// Words that make a string sensitive.
const STRING_VALUE: &[&str] = &[
    "name",
    "id_number",
    "number",
    "email",
    "phone",
    "document",
    "selfie",
];

/// Whole names that make a string sensitive.
const WHOLE_STRING_NAMES: &[&str] = &["url"];

/// Whether `Debug` must hide the field `wire` holding a value of `kind`.
pub fn is_sensitive(wire: &str, kind: ValueKind) -> bool {
    let named = |words: &[&str]| {
        words
            .iter()
            .any(|w| wire == *w || wire.strip_suffix(w).is_some_and(|head| head.ends_with('_')))
    };
    match kind {
        ValueKind::Boolean => false,
        ValueKind::Other => named(ANY_VALUE),
        ValueKind::String => {
            named(ANY_VALUE) || named(STRING_VALUE) || WHOLE_STRING_NAMES.contains(&wire)
        }
    }
}
