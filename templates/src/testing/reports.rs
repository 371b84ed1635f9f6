//! VerificationReports: one per submission, with the checks the session's
//! `type` and `options` ask for. Stripe's API reference
//! (`../shared/api-docs/000_de3a62af83df24f6.txt`): "The collection of
//! verification checks performed is determined from the type and options
//! parameters used" — a `document` session gets a `document` check, plus a
//! `selfie` check with `options.document.require_matching_selfie` and an
//! `id_number` check with `options.document.require_id_number`; an
//! `id_number` session gets an `id_number` check.
//!
//! A failed check has status `unverified` and an `error` with the code and
//! reason; the spec's error codes of each check (`document.error.code`,
//! ...) say which check a session's `last_error.code` belongs to.

use serde_json::{json, Value};

use super::control::{Date, VerifiedPerson};
use super::errors::ApiFailure;
use super::lifecycle::REPORT;
use super::objects;
use super::schema;
use super::shape::StructShape;
use super::state::Shared;

/// The checks a report can hold, as fields of the report.
pub(crate) const CHECKS: [&str; 3] = ["document", "id_number", "selfie"];

/// How a submission ends.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Whose data the checks found.
    pub(crate) person: VerifiedPerson,
    /// The check that failed, if one did.
    pub(crate) failure: Option<Failure>,
}

/// A failed check.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The report field of the check (`document`).
    pub(crate) check: &'static str,
    pub(crate) code: String,
    pub(crate) reason: String,
}

/// The checks a session performs, from its `type` and `options`.
pub(crate) fn checks(session: &Value) -> Vec<&'static str> {
    let document = &session["options"]["document"];
    match session["type"].as_str() {
        Some("id_number") => vec!["id_number"],
        _ => {
            let mut checks = vec!["document"];
            if document["require_matching_selfie"] == true {
                checks.push("selfie");
            }
            if document["require_id_number"] == true {
                checks.push("id_number");
            }
            checks
        }
    }
}

/// The check whose spec-listed error codes include `code`, if any.
pub(crate) fn check_of_code(code: &str) -> Option<&'static str> {
    let report = schema::resource(REPORT)?;
    CHECKS.into_iter().find(|check| {
        schema::field_struct(report, check)
            .and_then(|def| schema::field_struct(def, "error"))
            .is_some_and(|error| schema::enum_values(error, "code").contains(&code))
    })
}

/// The report of a submission of `session`.
pub(crate) fn build(
    shared: &Shared,
    session: &Value,
    outcome: &Outcome,
) -> Result<Value, ApiFailure> {
    let def =
        schema::resource(REPORT).ok_or_else(|| ApiFailure::invalid("no reports in this spec"))?;
    let now = shared.clock.now();
    let mut id = |prefix: &str| shared.ids.next(prefix);
    let mut report = objects::skeleton(def, now, &mut id);
    set(def, &mut report, "type", session["type"].clone());
    set(
        def,
        &mut report,
        "verification_session",
        session["id"].clone(),
    );
    let checks = checks(session);
    if let Some(options_def) = schema::field_struct(def, "options") {
        let mut options = json!({});
        for check in checks.iter().filter(|c| options_def.field(c).is_some()) {
            if let Some(given) = session["options"].get(*check).filter(|v| v.is_object()) {
                options[*check] = given.clone();
            } else if *check != "selfie" {
                options[*check] = json!({});
            }
        }
        set(def, &mut report, "options", options);
    }
    for check in checks {
        let Some(check_def) = schema::field_struct(def, check) else {
            continue;
        };
        let mut result = objects::skeleton(check_def, now, &mut id);
        let failure = outcome.failure.as_ref().filter(|f| f.check == check);
        match failure {
            Some(failure) => {
                set(check_def, &mut result, "status", json!("unverified"));
                set(
                    check_def,
                    &mut result,
                    "error",
                    json!({"code": failure.code, "reason": failure.reason}),
                );
            }
            None => {
                set(check_def, &mut result, "status", json!("verified"));
                person_data(check_def, &mut result, check, &outcome.person);
            }
        }
        captured_files(shared, check_def, &mut result, check);
        set(def, &mut report, check, result);
    }
    Ok(report)
}

/// What a passed check read from the person.
fn person_data(def: &StructShape, result: &mut Value, check: &str, person: &VerifiedPerson) {
    set(def, result, "first_name", json!(person.first_name));
    set(def, result, "last_name", json!(person.last_name));
    set(def, result, "dob", date(&person.dob));
    match check {
        "document" => {
            set(def, result, "address", address(person));
            set(
                def,
                result,
                "expiration_date",
                date(&person.document_expiration_date),
            );
            set(
                def,
                result,
                "issued_date",
                date(&person.document_issued_date),
            );
            set(
                def,
                result,
                "issuing_country",
                json!(person.document_issuing_country),
            );
            set(def, result, "number", json!(person.document_number));
            set(def, result, "type", json!(person.document_type));
        }
        "id_number" => {
            set(def, result, "id_number", json!(person.id_number));
            set(def, result, "id_number_type", json!(person.id_number_type));
        }
        _ => {}
    }
}

/// File ids of the images a check captured, passed or not.
fn captured_files(shared: &Shared, def: &StructShape, result: &mut Value, check: &str) {
    match check {
        "document" => {
            let files = json!([shared.ids.next("file_"), shared.ids.next("file_")]);
            set(def, result, "files", files);
        }
        "selfie" => {
            set(def, result, "document", json!(shared.ids.next("file_")));
            set(def, result, "selfie", json!(shared.ids.next("file_")));
        }
        _ => {}
    }
}

/// The session's `verified_outputs` once verified: what the checks read.
pub(crate) fn verified_outputs(
    session_def: &StructShape,
    session: &Value,
    person: &VerifiedPerson,
) -> Option<Value> {
    let def = schema::field_struct(session_def, "verified_outputs")?;
    let mut outputs = objects::skeleton(def, 0, &mut |prefix| prefix.to_owned());
    let checks = checks(session);
    set(def, &mut outputs, "first_name", json!(person.first_name));
    set(def, &mut outputs, "last_name", json!(person.last_name));
    set(def, &mut outputs, "dob", date(&person.dob));
    if checks.contains(&"document") {
        set(def, &mut outputs, "address", address(person));
    }
    if checks.contains(&"id_number") {
        set(def, &mut outputs, "id_number", json!(person.id_number));
        set(
            def,
            &mut outputs,
            "id_number_type",
            json!(person.id_number_type),
        );
    }
    Some(outputs)
}

/// Writes a field the shape has; a field it lacks is never invented.
fn set(def: &StructShape, object: &mut Value, field: &str, value: Value) {
    if def.field(field).is_some() {
        object[field] = value;
    }
}

fn date(date: &Date) -> Value {
    json!({"day": date.day, "month": date.month, "year": date.year})
}

fn address(person: &VerifiedPerson) -> Value {
    let a = &person.address;
    json!({
        "city": a.city,
        "country": a.country,
        "line1": a.line1,
        "line2": a.line2,
        "postal_code": a.postal_code,
        "state": a.state,
    })
}

/// The reason Stripe gives for a code, from the code descriptions of its
/// API reference (`../shared/api-docs/000_de3a62af83df24f6.txt`), or a
/// generic sentence.
pub(crate) fn reason(code: &str) -> String {
    let known = match code {
        "document_expired" => "The provided identity document has expired.",
        "document_type_not_supported" => {
            "The provided identity document isn't one of the session's allowed document types."
        }
        "document_unverified_other" => "Stripe couldn't verify the provided identity document.",
        "id_number_insufficient_document_data" => {
            "The provided document didn't contain enough data to match against the ID number."
        }
        "id_number_mismatch" => {
            "The information provided couldn't be matched against global databases."
        }
        "id_number_unverified_other" => "The information provided couldn't be verified.",
        "selfie_document_missing_photo" => {
            "The provided identity document didn't contain a picture of a face."
        }
        "selfie_face_mismatch" => "The captured face image didn't match with the document's face.",
        "selfie_manipulated" => "The captured face image was manipulated.",
        "selfie_unverified_other" => "Stripe couldn't verify the provided selfie.",
        other => return format!("The verification failed ({other})."),
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_follow_type_and_options() {
        assert_eq!(checks(&json!({"type": "id_number"})), ["id_number"]);
        assert_eq!(
            checks(&json!({"type": "document", "options": {}})),
            ["document"]
        );
        let both = json!({"type": "document", "options": {"document": {
            "require_matching_selfie": true, "require_id_number": true}}});
        assert_eq!(checks(&both), ["document", "selfie", "id_number"]);
    }
}
