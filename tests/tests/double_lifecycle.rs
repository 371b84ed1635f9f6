//! The Identity lifecycle on the test double, as Stripe's API reference
//! (`../shared/api-docs/`) describes it: statuses, reports, redaction, the
//! refusals of each state, and the event of every change with its
//! `previous_attributes`.

mod double;

use std::collections::BTreeMap;
use std::time::Duration;

use codegen_tests::pinned_spec;
use double::{call, session};
use generator::ir::TypeKind;
use generator::Portion;
use serde_json::{json, Value};
use stripe_identity::models::{
    CreateVerificationSessionOptions, CreateVerificationSessionOptionsDocument,
    CreateVerificationSessionType, ListVerificationSessionsStatus,
    VerificationSessionLastErrorCode,
};
use stripe_identity::testing::{ControlError, StripeDouble, VerifiedPerson};
use stripe_identity::{
    Emptyable, Error, Event, EventPayload, Expandable, VerificationReport, VerificationSession,
};

const SESSIONS: &str = "/v1/identity/verification_sessions";

/// A `document` session that also asks for a selfie and an id number, so
/// that every check is performed.
async fn full_session(stripe: &StripeDouble) -> VerificationSession {
    let options = CreateVerificationSessionOptions {
        document: Some(Emptyable::Set(CreateVerificationSessionOptionsDocument {
            require_id_number: Some(true),
            require_matching_selfie: Some(true),
            ..Default::default()
        })),
    };
    VerificationSession::create(CreateVerificationSessionType::Document)
        .options(options)
        .metadata("order", "42")
        .send(stripe.client())
        .await
        .unwrap()
}

/// The events about one object, oldest first, as (type, previous_attributes).
fn events_of(stripe: &StripeDouble, id: &str) -> Vec<(String, Option<BTreeMap<String, Value>>)> {
    stripe
        .events()
        .into_iter()
        .filter(|event| object_id(event) == id)
        .map(|event| (event.type_.to_string(), event.data.previous_attributes))
        .collect()
}

fn object_id(event: &Event) -> String {
    let object = serde_json::to_value(&event.data.object).unwrap();
    object["id"].as_str().unwrap_or_default().to_owned()
}

fn attributes(value: Value) -> Option<BTreeMap<String, Value>> {
    Some(serde_json::from_value(value).unwrap())
}

/// The message of a refused API call.
fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String) {
    match result {
        Err(Error::Api(error)) => (error.status, error.error.message.unwrap_or_default()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn created_processing_verified_with_events_and_reports() {
    let stripe = StripeDouble::start().await;
    let created = full_session(&stripe).await;
    assert_eq!(created.status.as_str(), "requires_input");
    let (secret, url) = (
        created.client_secret.clone().unwrap(),
        created.url.clone().unwrap(),
    );
    assert!(
        secret.starts_with(&format!("{}_secret_", created.id)),
        "{secret}"
    );
    assert!(
        url.starts_with("https://verify.stripe.com/start/test_"),
        "{url}"
    );
    assert!(created.last_verification_report.is_none() && created.last_error.is_none());

    let processing = stripe.submit(&created.id).await.unwrap();
    assert_eq!(processing.status.as_str(), "processing");
    assert!(processing.client_secret.is_none() && processing.url.is_none());

    let verified = stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    assert_eq!(verified.status.as_str(), "verified");
    // Stripe sends verified outputs only when they are expanded.
    assert!(verified.verified_outputs.is_none());
    let Some(Expandable::Id(report_id)) = verified.last_verification_report.clone() else {
        panic!(
            "the report is an id unless expanded: {:?}",
            verified.last_verification_report
        );
    };

    let expanded = VerificationSession::retrieve(&created.id)
        .expand(["verified_outputs", "last_verification_report"])
        .send(stripe.client())
        .await
        .unwrap();
    let outputs = expanded.verified_outputs.as_ref().unwrap();
    assert_eq!(outputs.first_name.as_deref(), Some("Jenny"));
    assert_eq!(outputs.last_name.as_deref(), Some("Rosen"));
    assert_eq!(outputs.id_number.as_deref(), Some("000000000"));
    let dob = outputs.dob.as_ref().unwrap();
    assert_eq!(
        (dob.day, dob.month, dob.year),
        (Some(1), Some(1), Some(1901))
    );
    assert_eq!(
        outputs.address.as_ref().unwrap().city.as_deref(),
        Some("San Francisco")
    );
    let Some(Expandable::Object(report)) = &expanded.last_verification_report else {
        panic!("expanded report");
    };
    assert_eq!(report.id, report_id);
    assert_eq!(report.verification_session.as_ref(), Some(&created.id));
    assert_eq!(report.type_.as_ref().unwrap().as_str(), "document");
    for status in [
        report.document.as_ref().unwrap().status.as_str(),
        report.selfie.as_ref().unwrap().status.as_str(),
        report.id_number.as_ref().unwrap().status.as_str(),
    ] {
        assert_eq!(status, "verified");
    }
    // A report's dates of birth and numbers are sent only when expanded too.
    let document = report.document.as_ref().unwrap();
    assert!(document.dob.is_none() && document.number.is_none());
    assert_eq!(document.first_name.as_deref(), Some("Jenny"));
    let full = VerificationReport::retrieve(&report_id)
        .expand(["document.dob", "document.number", "id_number.id_number"])
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(full.document.unwrap().number.as_deref(), Some("123456789"));
    assert_eq!(
        full.id_number.unwrap().id_number.as_deref(),
        Some("000000000")
    );

    let events = events_of(&stripe, created.id.as_str());
    assert_eq!(
        events,
        vec![
            ("identity.verification_session.created".to_owned(), None),
            (
                "identity.verification_session.processing".to_owned(),
                attributes(
                    json!({"status": "requires_input", "client_secret": secret, "url": url})
                ),
            ),
            (
                "identity.verification_session.verified".to_owned(),
                attributes(json!({"status": "processing", "last_verification_report": null})),
            ),
        ]
    );
    let verified_event = stripe.events().pop().unwrap();
    let EventPayload::VerificationSessionVerified(in_event) = &verified_event.data.object else {
        panic!("typed payload: {verified_event:?}");
    };
    assert!(
        in_event.verified_outputs.is_none(),
        "events never carry verified outputs"
    );
}

#[tokio::test]
async fn an_id_number_session_gets_an_id_number_check_only() {
    let stripe = StripeDouble::start().await;
    let created = VerificationSession::create(CreateVerificationSessionType::IdNumber)
        .send(stripe.client())
        .await
        .unwrap();
    stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let reports = VerificationReport::list()
        .send(stripe.client())
        .await
        .unwrap();
    let report = &reports.data[0];
    assert!(report.document.is_none() && report.selfie.is_none());
    assert_eq!(
        report
            .id_number
            .as_ref()
            .unwrap()
            .id_number_type
            .as_ref()
            .unwrap()
            .as_str(),
        "us_ssn"
    );
    // A document session without options gets a document check only.
    let plain = session(&stripe).await;
    let outcome = stripe
        .fail(
            &plain.id,
            VerificationSessionLastErrorCode::SelfieFaceMismatch,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            outcome,
            ControlError::CheckNotPerformed {
                check: "selfie",
                ..
            }
        ),
        "{outcome}"
    );
}

/// Every `last_error.code` of the pinned spec, from the spec itself.
fn last_error_codes() -> Vec<String> {
    let spec = pinned_spec();
    let ir = generator::build_ir(&spec.text, "spec", &Portion::identity()).unwrap();
    let codes = ir.ids().find_map(|id| match &ir.get(id).kind {
        TypeKind::Enum(def) if def.name == "VerificationSessionLastErrorCode" => {
            Some(def.variants.iter().map(|v| v.wire_name.clone()).collect())
        }
        _ => None,
    });
    codes.unwrap()
}

#[tokio::test]
async fn every_last_error_code_fails_the_session() {
    let stripe = StripeDouble::start().await;
    let codes = last_error_codes();
    assert_eq!(codes.len(), 15, "{codes:?}");
    for code in codes {
        let created = full_session(&stripe).await;
        let failed = stripe
            .fail(
                &created.id,
                VerificationSessionLastErrorCode::from(code.as_str()),
            )
            .await
            .unwrap();
        assert_eq!(failed.status.as_str(), "requires_input", "{code}");
        let last_error = failed.last_error.as_ref().unwrap();
        assert_eq!(last_error.code.as_ref().unwrap().as_str(), code);
        assert!(last_error.reason.as_ref().is_some_and(|r| !r.is_empty()));
        // A fresh url and secret to try again with.
        assert!(failed.url.is_some() && failed.url != created.url, "{code}");
        let check = ["document", "id_number", "selfie"]
            .into_iter()
            .find(|check| code.starts_with(check));
        let types: Vec<String> = events_of(&stripe, created.id.as_str())
            .into_iter()
            .map(|(t, _)| t.rsplit('.').next().unwrap().to_owned())
            .collect();
        match check {
            Some(check) => {
                // A failed submission: processing, a report, requires_input.
                assert_eq!(types, ["created", "processing", "requires_input"], "{code}");
                let Some(Expandable::Id(report)) = &failed.last_verification_report else {
                    panic!("{code}: no report");
                };
                let report = VerificationReport::retrieve(report)
                    .send(stripe.client())
                    .await
                    .unwrap();
                let report = serde_json::to_value(&report).unwrap();
                assert_eq!(report[check]["status"], "unverified", "{code}");
                assert_eq!(report[check]["error"]["code"], code.as_str());
                for other in ["document", "id_number", "selfie"]
                    .into_iter()
                    .filter(|c| *c != check)
                {
                    assert_eq!(report[other]["status"], "verified", "{code}: {other}");
                }
            }
            None => {
                // The session failed before any check ran.
                assert_eq!(types, ["created", "requires_input"], "{code}");
                assert!(failed.last_verification_report.is_none(), "{code}");
            }
        }
    }
}

#[tokio::test]
async fn a_failed_session_can_be_retried_and_verified() {
    let stripe = StripeDouble::start().await;
    let created = session(&stripe).await;
    stripe
        .fail(
            &created.id,
            VerificationSessionLastErrorCode::DocumentExpired,
        )
        .await
        .unwrap();
    let verified = stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    assert_eq!(verified.status.as_str(), "verified");
    assert!(verified.last_error.is_none());
    let reports = VerificationReport::list()
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(reports.data.len(), 2, "one report per submission");
    let (_, previous) = events_of(&stripe, created.id.as_str()).pop().unwrap();
    let previous = previous.unwrap();
    assert_eq!(previous["status"], "processing");
    assert_eq!(previous["last_error"]["code"], "document_expired");
}

#[tokio::test]
async fn cancel_works_only_in_requires_input() {
    let stripe = StripeDouble::start().await;
    let created = session(&stripe).await;
    let canceled = VerificationSession::cancel(&created.id)
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(canceled.status.as_str(), "canceled");
    assert!(canceled.client_secret.is_none() && canceled.url.is_none());
    stripe.settled().await;
    let (kind, previous) = events_of(&stripe, created.id.as_str()).pop().unwrap();
    assert_eq!(kind, "identity.verification_session.canceled");
    let previous = previous.unwrap();
    assert_eq!(previous["status"], "requires_input");
    assert_eq!(previous["url"], created.url.clone().unwrap().as_str());

    let (status, message) = refusal(
        VerificationSession::cancel(&created.id)
            .send(stripe.client())
            .await,
    );
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "This VerificationSession cannot be canceled because it has a status of canceled. Only a \
         VerificationSession with a status of requires_input can be canceled."
    );
    let verified = session(&stripe).await;
    stripe
        .verify(&verified.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let (status, message) = refusal(
        VerificationSession::cancel(&verified.id)
            .send(stripe.client())
            .await,
    );
    assert_eq!(status, 400);
    assert!(message.contains("a status of verified"), "{message}");
    // The control API refuses what the state does not allow too.
    let refused = stripe.submit(&verified.id).await.unwrap_err();
    assert!(
        refused.to_string().contains("a status of verified"),
        "{refused}"
    );
}

#[tokio::test]
async fn update_works_only_in_requires_input_and_records_no_event() {
    let stripe = StripeDouble::start().await;
    let created = session(&stripe).await;
    let updated = VerificationSession::update(&created.id)
        .metadata("order", "43")
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(updated.metadata["order"], "43");
    let cleared = call(
        &stripe,
        "POST",
        &format!("{SESSIONS}/{}", created.id),
        "metadata[order]=",
    )
    .await;
    assert_eq!(cleared.body["metadata"], json!({}), "{}", cleared.body);
    // The spec has no `identity.verification_session.updated` event type.
    assert_eq!(events_of(&stripe, created.id.as_str()).len(), 1);
    stripe.submit(&created.id).await.unwrap();
    let (status, message) = refusal(
        VerificationSession::update(&created.id)
            .metadata("order", "44")
            .send(stripe.client())
            .await,
    );
    assert_eq!(status, 400);
    assert!(
        message.starts_with(
            "This VerificationSession cannot be updated because it has a status of processing."
        ),
        "{message}"
    );
}

#[tokio::test]
async fn redaction_of_a_verified_session_replaces_personal_data() {
    let stripe = StripeDouble::start().await;
    let created = full_session(&stripe).await;
    stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let redacting = VerificationSession::redact(&created.id)
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(redacting.status.as_str(), "verified");
    assert_eq!(redacting.redaction.unwrap().status.as_str(), "processing");
    stripe.settled().await;
    assert_eq!(
        events_of(&stripe, created.id.as_str()).len(),
        3,
        "no event until redacted"
    );

    let redacted = stripe.finish_redaction(&created.id).await.unwrap();
    assert_eq!(redacted.redaction.unwrap().status.as_str(), "redacted");
    assert!(redacted.metadata.is_empty(), "metadata is erased");
    let (kind, previous) = events_of(&stripe, created.id.as_str()).pop().unwrap();
    assert_eq!(kind, "identity.verification_session.redacted");
    assert_eq!(
        previous,
        attributes(json!({"redaction": {"status": "processing"}}))
    );

    let expanded = VerificationSession::retrieve(&created.id)
        .expand(["verified_outputs", "last_verification_report"])
        .send(stripe.client())
        .await
        .unwrap();
    let outputs = expanded.verified_outputs.unwrap();
    assert_eq!(outputs.first_name.as_deref(), Some("[redacted]"));
    assert_eq!(outputs.id_number.as_deref(), Some("[redacted]"));
    let dob = outputs.dob.unwrap();
    assert_eq!(
        (dob.day, dob.month, dob.year),
        (Some(1), Some(1), Some(1900))
    );
    let Some(Expandable::Object(report)) = expanded.last_verification_report else {
        panic!("expanded report");
    };
    let document = report.document.unwrap();
    assert_eq!(document.last_name.as_deref(), Some("[redacted]"));
    assert!(document.files.unwrap().iter().all(|f| f == "[redacted]"));
    assert_eq!(report.selfie.unwrap().selfie.as_deref(), Some("[redacted]"));
    // The events that carried the session are redacted too.
    for event in stripe.events() {
        let text = serde_json::to_string(&event).unwrap();
        assert!(!text.contains("\"42\""), "metadata left in {}", event.type_);
    }
    let (status, message) = refusal(
        VerificationSession::update(&created.id)
            .metadata("a", "b")
            .send(stripe.client())
            .await,
    );
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "This VerificationSession has been redacted and cannot be updated."
    );
}

#[tokio::test]
async fn redaction_in_requires_input_cancels_and_elsewhere_is_refused() {
    let stripe = StripeDouble::start().await;
    let created = session(&stripe).await;
    let redacting = VerificationSession::redact(&created.id)
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(redacting.status.as_str(), "canceled");
    stripe.settled().await;
    let (kind, previous) = events_of(&stripe, created.id.as_str()).pop().unwrap();
    assert_eq!(kind, "identity.verification_session.canceled");
    let previous = previous.unwrap();
    assert_eq!(
        (previous["status"].clone(), previous["redaction"].clone()),
        (json!("requires_input"), Value::Null)
    );

    let processing = session(&stripe).await;
    stripe.submit(&processing.id).await.unwrap();
    let (status, message) = refusal(
        VerificationSession::redact(&processing.id)
            .send(stripe.client())
            .await,
    );
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "This VerificationSession cannot be redacted because it has a status of processing. Only a \
         VerificationSession with one of the following statuses can be redacted: requires_input, verified."
    );
    let refused = stripe.finish_redaction(&processing.id).await.unwrap_err();
    assert!(
        refused.to_string().contains("no redaction in progress"),
        "{refused}"
    );
}

#[tokio::test]
async fn lists_page_by_cursor_and_filter_by_created_and_status() {
    let stripe = StripeDouble::builder()
        .start_time(1_700_000_000)
        .start()
        .await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(session(&stripe).await.id);
        stripe.clock().advance(Duration::from_secs(10));
    }
    stripe
        .verify(&ids[1], &VerifiedPerson::default())
        .await
        .unwrap();
    let client = stripe.client();
    let first = VerificationSession::list()
        .limit(2)
        .send(client)
        .await
        .unwrap();
    let page_ids = |page: &stripe_identity::List<VerificationSession>| {
        page.data.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(page_ids(&first), [ids[4].clone(), ids[3].clone()]);
    assert!(first.has_more);
    assert_eq!(first.data[0].created, 1_700_000_040);
    let second = VerificationSession::list()
        .limit(2)
        .starting_after(&ids[3])
        .send(client)
        .await
        .unwrap();
    assert_eq!(page_ids(&second), [ids[2].clone(), ids[1].clone()]);
    assert!(second.has_more);
    let last = VerificationSession::list()
        .limit(2)
        .starting_after(&ids[1])
        .send(client)
        .await
        .unwrap();
    assert_eq!(
        (page_ids(&last), last.has_more),
        (vec![ids[0].clone()], false)
    );
    let back = VerificationSession::list()
        .limit(2)
        .ending_before(&ids[1])
        .send(client)
        .await
        .unwrap();
    assert_eq!(
        (page_ids(&back), back.has_more),
        (vec![ids[3].clone(), ids[2].clone()], true)
    );

    let recent = call(
        &stripe,
        "GET",
        &format!("{SESSIONS}?created[gte]=1700000020"),
        "",
    )
    .await;
    assert_eq!(
        recent.body["data"].as_array().unwrap().len(),
        3,
        "{}",
        recent.body
    );
    let exact = call(
        &stripe,
        "GET",
        &format!("{SESSIONS}?created=1700000010"),
        "",
    )
    .await;
    assert_eq!(exact.body["data"][0]["id"], ids[1].as_str());
    let verified = VerificationSession::list()
        .status(ListVerificationSessionsStatus::Verified)
        .expand(["data.last_verification_report"])
        .send(client)
        .await
        .unwrap();
    assert_eq!(page_ids(&verified), [ids[1].clone()]);
    assert!(matches!(
        verified.data[0].last_verification_report,
        Some(Expandable::Object(_))
    ));

    // The client's own pagination walks the real cursors.
    use futures_util::TryStreamExt;
    let all: Vec<VerificationSession> = VerificationSession::list()
        .limit(2)
        .paginate(client)
        .try_collect()
        .await
        .unwrap();
    let mut walked: Vec<_> = all.into_iter().map(|s| s.id).collect();
    walked.reverse();
    assert_eq!(walked, ids);
}

#[tokio::test]
async fn the_events_api_serves_the_recorded_events() {
    let stripe = StripeDouble::start().await;
    let created = session(&stripe).await;
    stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    let all = Event::list().send(stripe.client()).await.unwrap();
    let types: Vec<&str> = all.data.iter().map(|e| e.type_.as_str()).collect();
    assert_eq!(
        types,
        [
            "identity.verification_session.verified",
            "identity.verification_session.processing",
            "identity.verification_session.created",
        ]
    );
    let created_event = &all.data[2];
    let request = created_event.request.as_ref().unwrap();
    assert!(
        request.id.as_ref().is_some_and(|id| id.starts_with("req_")),
        "an API call caused it"
    );
    assert!(
        all.data[0].request.as_ref().unwrap().id.is_none(),
        "the person caused it"
    );
    for (filter, count) in [
        ("type=identity.verification_session.verified", 1),
        ("type=identity.verification_session.*", 3),
        ("types[0]=identity.verification_session.created&types[1]=identity.verification_session.processing", 2),
        ("delivery_success=true", 3),
    ] {
        let page = call(&stripe, "GET", &format!("/v1/events?{filter}"), "").await;
        assert!(page.body["data"].is_array(), "{filter}: {}", page.body);
        assert_eq!(page.body["data"].as_array().unwrap().len(), count, "{filter}: {}", page.body);
    }
}
