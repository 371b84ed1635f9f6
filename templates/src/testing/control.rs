//! The typed control API: what a person would do on Stripe's hosted
//! verification page, and what Stripe would do next, driven by the test.
//!
//! Each method changes the state as Stripe would (see [`super::lifecycle`]),
//! records the events, delivers them to the registered webhook endpoints,
//! and returns once they are delivered (or have run out of attempts), with
//! the session as the API shows it.

use std::fmt;

use serde_json::Value;

use super::errors::ApiFailure;
use super::events::Cause;
use super::lifecycle::{self, Change, SESSION};
use super::reports::{self, Failure, Outcome};
use super::schema;
use super::StripeDouble;
use crate::models::{VerificationSession, VerificationSessionLastErrorCode};
use crate::VerificationSessionId;

/// The person a verification finds: what the checks read from their
/// document and id number, and what `verified_outputs` then holds.
///
/// `VerifiedPerson::default()` is the person of Stripe's own examples
/// (Jenny Rosen, 1234 Main St., San Francisco), with Stripe's test-mode
/// date of birth (1 January 1901) and US SSN `000000000`. `id_number_type`
/// and `document_type` must be values the spec lists.
///
/// Its `Debug` output shows no field's value: it is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedPerson {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Date of birth.
    pub dob: Date,
    /// Address, as on the document.
    pub address: Address,
    /// The id number (`document` sessions with `require_id_number`, and
    /// `id_number` sessions).
    pub id_number: String,
    /// `br_cpf`, `sg_nric` or `us_ssn`.
    pub id_number_type: String,
    /// `driving_license`, `id_card` or `passport`.
    pub document_type: String,
    /// The document's number.
    pub document_number: String,
    /// Two-letter country code.
    pub document_issuing_country: String,
    /// When the document was issued.
    pub document_issued_date: Date,
    /// When the document expires.
    pub document_expiration_date: Date,
}

/// A calendar date as Stripe writes it (`{day, month, year}`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// 1 to 31.
    pub day: u32,
    /// 1 to 12.
    pub month: u32,
    /// Four digits.
    pub year: u32,
}

/// A postal address as Stripe writes it.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    /// Street address.
    pub line1: String,
    /// Apartment, suite, unit or building.
    pub line2: Option<String>,
    /// City, district, suburb, town or village.
    pub city: String,
    /// State, county, province or region.
    pub state: String,
    /// ZIP or postal code.
    pub postal_code: String,
    /// Two-letter country code.
    pub country: String,
}

impl Default for VerifiedPerson {
    fn default() -> Self {
        let s = |text: &str| text.to_owned();
        VerifiedPerson {
            first_name: s("Jenny"),
            last_name: s("Rosen"),
            dob: Date {
                day: 1,
                month: 1,
                year: 1901,
            },
            address: Address {
                line1: s("1234 Main St."),
                line2: None,
                city: s("San Francisco"),
                state: s("CA"),
                postal_code: s("94111"),
                country: s("US"),
            },
            id_number: s("000000000"),
            id_number_type: s("us_ssn"),
            document_type: s("driving_license"),
            document_number: s("123456789"),
            document_issuing_country: s("US"),
            document_issued_date: Date {
                day: 1,
                month: 12,
                year: 2020,
            },
            document_expiration_date: Date {
                day: 1,
                month: 12,
                year: 2030,
            },
        }
    }
}

impl fmt::Debug for VerifiedPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerifiedPerson { [redacted] }")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Date([redacted])")
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Address([redacted])")
    }
}

/// Why the double refused a control call. Messages name sessions, states
/// and codes, never personal data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// The state does not allow it: no such session, a session in another
    /// status or redacted, or the double is full. The message is the one
    /// the API would answer.
    #[error("{0}")]
    Refused(String),
    /// The code is not a `last_error.code` the spec lists.
    #[error("`{0}` is not a last_error.code of this spec")]
    UnknownCode(String),
    /// The code fails a check the session does not perform.
    #[error("`{code}` fails the {check} check, which session {session} does not perform (its type and options do not ask for it)")]
    CheckNotPerformed {
        /// The code asked for.
        code: String,
        /// The check it fails (`selfie`).
        check: &'static str,
        /// The session.
        session: String,
    },
    /// A value is not one the spec lists, or a webhook URL is not local.
    #[error("{0}")]
    Invalid(String),
    /// The session does not decode as the generated type (a spec whose
    /// session shape the double cannot fill).
    #[error("the session does not decode as VerificationSession at `{0}`")]
    Decode(String),
}

impl From<ApiFailure> for ControlError {
    fn from(failure: ApiFailure) -> Self {
        ControlError::Refused(failure.message)
    }
}

impl StripeDouble {
    /// The person submits their data: `requires_input` to `processing`
    /// (the `processing` event). Conclude with [`verify`](Self::verify) or
    /// [`fail`](Self::fail).
    pub async fn submit(
        &self,
        session: &VerificationSessionId,
    ) -> Result<VerificationSession, ControlError> {
        self.control(|change| lifecycle::submit(change, session.as_str()))
            .await
    }

    /// The person submits and every check passes: a report with the checks
    /// the session asked for, then `verified` with `verified_outputs` from
    /// `person` (shown only when expanded, as on Stripe). From
    /// `requires_input` this submits first (the `processing` event, then
    /// `verified`); from `processing` it concludes.
    pub async fn verify(
        &self,
        session: &VerificationSessionId,
        person: &VerifiedPerson,
    ) -> Result<VerificationSession, ControlError> {
        check_person(person)?;
        let outcome = Outcome {
            person: person.clone(),
            failure: None,
        };
        self.control(|change| conclude(change, session.as_str(), &outcome))
            .await
    }

    /// The verification fails with `code`, any `last_error.code` the spec
    /// lists. A code of a check (`document_expired`, `selfie_face_mismatch`,
    /// `id_number_mismatch`, ...) is a failed submission: `processing`
    /// (from `requires_input`), a report whose check is `unverified` with
    /// that error, then `requires_input` with `last_error` and a new `url`.
    /// Any other code (`abandoned`, `consent_declined`, ...) is a failure of
    /// the session itself: `requires_input` with `last_error`, no report.
    pub async fn fail(
        &self,
        session: &VerificationSessionId,
        code: VerificationSessionLastErrorCode,
    ) -> Result<VerificationSession, ControlError> {
        let code = code.as_str().to_owned();
        let listed = schema::resource(SESSION)
            .and_then(|def| schema::field_struct(def, "last_error"))
            .is_some_and(|def| schema::enum_values(def, "code").contains(&code.as_str()));
        if !listed {
            return Err(ControlError::UnknownCode(code));
        }
        let reason = reports::reason(&code);
        let id = session.as_str();
        match reports::check_of_code(&code) {
            Some(check) => {
                let outcome = Outcome {
                    person: VerifiedPerson::default(),
                    failure: Some(Failure {
                        check,
                        code: code.clone(),
                        reason,
                    }),
                };
                self.control(|change| {
                    let session = change.session(id)?;
                    if !reports::checks(&session).contains(&check) {
                        return Err(ControlError::CheckNotPerformed {
                            code: code.clone(),
                            check,
                            session: id.to_owned(),
                        });
                    }
                    conclude(change, id, &outcome)
                })
                .await
            }
            None => {
                self.control(|change| lifecycle::interrupt(change, id, &code, &reason))
                    .await
            }
        }
    }

    /// Completes a redaction started with the API's `redact`: the session,
    /// its reports and its events get Stripe's placeholders instead of
    /// personal data, `redaction.status` becomes `redacted` and the
    /// `redacted` event is sent. (Stripe takes up to four days.)
    pub async fn finish_redaction(
        &self,
        session: &VerificationSessionId,
    ) -> Result<VerificationSession, ControlError> {
        self.control(|change| lifecycle::finish_redaction(change, session.as_str()))
            .await
    }

    /// Runs one change under the state's lock, delivers its events, and
    /// returns the session as the API shows it.
    async fn control<E: Into<ControlError>>(
        &self,
        act: impl FnOnce(&mut Change<'_>) -> Result<Value, E>,
    ) -> Result<VerificationSession, ControlError> {
        let (session, events) = {
            let mut state = self.shared.lock();
            state.store.check_room(lifecycle::MAX_NEW_OBJECTS)?;
            let mut change = Change::new(&self.shared, &mut state, Cause::default());
            let session = act(&mut change).map_err(Into::into)?;
            let shown = match schema::resource(SESSION) {
                Some(def) => super::expand::render(&change.state.store, def, &session, &[])?,
                None => session,
            };
            (shown, change.events)
        };
        self.shared.queue.push(events);
        self.shared.queue.settled().await;
        decode(&session)
    }
}

/// Submits first when the session still takes input, then concludes.
fn conclude(change: &mut Change<'_>, id: &str, outcome: &Outcome) -> Result<Value, ControlError> {
    let session = change.session(id)?;
    if lifecycle::status(&session) == lifecycle::REQUIRES_INPUT {
        lifecycle::submit(change, id)?;
    }
    Ok(lifecycle::conclude(change, id, outcome)?)
}

/// Refuses enum values of the person the spec does not list.
fn check_person(person: &VerifiedPerson) -> Result<(), ControlError> {
    let Some(report) = schema::resource(lifecycle::REPORT) else {
        return Ok(());
    };
    let fields = [
        ("document", "type", &person.document_type),
        ("id_number", "id_number_type", &person.id_number_type),
    ];
    for (check, field, value) in fields {
        let Some(def) = schema::field_struct(report, check) else {
            continue;
        };
        let values = schema::enum_values(def, field);
        if !values.is_empty() && !values.contains(&value.as_str()) {
            return Err(ControlError::Invalid(format!(
                "{check}.{field} must be one of {}",
                values.join(", ")
            )));
        }
    }
    Ok(())
}

fn decode(session: &Value) -> Result<VerificationSession, ControlError> {
    let bytes = serde_json::to_vec(session).unwrap_or_default();
    crate::json::from_slice(&bytes).map_err(|e| ControlError::Decode(e.path))
}
