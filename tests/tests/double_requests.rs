//! Every operation of the Identity portion through the generated client
//! against the test double, and every refusal the double derives from the
//! spec, with Stripe's status, `type`, `code`, `param` and message.
//!
//! Expected messages are Stripe's, as its API answers them (and as users
//! report them in Stripe's SDKs' issue trackers):
//! `Received unknown parameter: …`, `Missing required param: ….`,
//! `Invalid integer: …`, `Invalid … : must be one of …`,
//! `This value must be less than or equal to 100.`, `No such …: '…'`.

mod double;

use double::{call, session};
use serde_json::Value;
use stripe_identity::models::{
    CreateVerificationSessionOptions, CreateVerificationSessionOptionsDocument,
    CreateVerificationSessionType, ListVerificationSessionsStatus, UpdateVerificationSessionType,
};
use stripe_identity::testing::{StripeDouble, VerifiedPerson};
use stripe_identity::{
    ApiError, Emptyable, Error, Event, VerificationReport, VerificationSession,
    VerificationSessionId,
};

const SESSIONS: &str = "/v1/identity/verification_sessions";

/// The error of a failed call, which must be Stripe's envelope.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(error)) => *error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Asserts one refusal of the double: status, type, code, param, message.
fn assert_refusal(
    body: &Value,
    status: u16,
    expected: (u16, &str, Option<&str>, Option<&str>, &str),
) {
    let (want_status, kind, code, param, message) = expected;
    let error = &body["error"];
    assert_eq!(status, want_status, "{body}");
    assert_eq!(error["type"], kind, "{body}");
    assert_eq!(error["code"].as_str(), code, "{body}");
    assert_eq!(error["param"].as_str(), param, "{body}");
    assert_eq!(error["message"], message, "{body}");
}

#[tokio::test]
async fn every_operation_works_through_the_generated_client() {
    let stripe = StripeDouble::start().await;
    let client = stripe.client();
    let options = CreateVerificationSessionOptions {
        document: Some(Emptyable::Set(CreateVerificationSessionOptionsDocument {
            require_matching_selfie: Some(true),
            ..Default::default()
        })),
    };
    // POST /v1/identity/verification_sessions
    let created = VerificationSession::create(CreateVerificationSessionType::Document)
        .options(options)
        .metadata("order", "42")
        .return_url("https://example.com/done")
        .send(client)
        .await
        .unwrap();
    assert_eq!(created.status.as_str(), "requires_input");
    assert!(created.client_secret.is_some() && created.url.is_some());
    assert_eq!(created.metadata["order"], "42");
    // GET /v1/identity/verification_sessions/{session}
    let fetched = VerificationSession::retrieve(&created.id)
        .send(client)
        .await
        .unwrap();
    assert_eq!(fetched, created);
    // POST /v1/identity/verification_sessions/{session}
    let updated = VerificationSession::update(&created.id)
        .type_(UpdateVerificationSessionType::IdNumber)
        .send(client)
        .await
        .unwrap();
    assert_eq!(updated.type_.unwrap().as_str(), "id_number");
    // GET /v1/identity/verification_sessions
    let listed = VerificationSession::list()
        .status(ListVerificationSessionsStatus::RequiresInput)
        .send(client)
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    // The person verifies: a report exists.
    stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();
    // GET /v1/identity/verification_reports
    let reports = VerificationReport::list().send(client).await.unwrap();
    assert_eq!(reports.data.len(), 1);
    // GET /v1/identity/verification_reports/{report}
    let report = VerificationReport::retrieve(&reports.data[0].id)
        .send(client)
        .await
        .unwrap();
    assert_eq!(report, reports.data[0]);
    // POST /v1/identity/verification_sessions/{session}/redact
    let redacting = VerificationSession::redact(&created.id)
        .send(client)
        .await
        .unwrap();
    assert_eq!(redacting.redaction.unwrap().status.as_str(), "processing");
    // POST /v1/identity/verification_sessions/{session}/cancel
    let other = session(&stripe).await;
    let canceled = VerificationSession::cancel(&other.id)
        .send(client)
        .await
        .unwrap();
    assert_eq!(canceled.status.as_str(), "canceled");
    // GET /v1/events and GET /v1/events/{id}
    let events = Event::list().send(client).await.unwrap();
    assert!(events.data.len() >= 4, "{}", events.data.len());
    let event = Event::retrieve(&events.data[0].id)
        .send(client)
        .await
        .unwrap();
    assert_eq!(event, events.data[0]);
}

#[tokio::test]
async fn unknown_parameters_are_refused_with_their_bracket_path() {
    let stripe = StripeDouble::start().await;
    let response = call(&stripe, "POST", SESSIONS, "type=document&foo=1").await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            Some("parameter_unknown"),
            Some("foo"),
            "Received unknown parameter: foo",
        ),
    );
    let response = call(
        &stripe,
        "POST",
        SESSIONS,
        "type=document&options[document][colour]=red",
    )
    .await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            Some("parameter_unknown"),
            Some("options[document][colour]"),
            "Received unknown parameter: options[document][colour]",
        ),
    );
    assert_eq!(
        response.body["error"]["doc_url"],
        "https://stripe.com/docs/error-codes/parameter-unknown"
    );
    assert!(
        response.request_id.starts_with("req_"),
        "{}",
        response.request_id
    );
    // A parameter of a newer API version, sent with the crate's escape hatch.
    let error = api_error(
        VerificationSession::create(CreateVerificationSessionType::Document)
            .extra_param("provided_details[email]", "jenny@example.com")
            .send(stripe.client())
            .await,
    );
    assert_eq!(error.status, 400);
    assert_eq!(error.error.code.as_deref(), Some("parameter_unknown"));
    assert_eq!(error.error.param.as_deref(), Some("provided_details"));
    assert!(error.request_id.is_some_and(|id| id.starts_with("req_")));
}

#[tokio::test]
async fn missing_and_empty_required_parameters_are_refused() {
    let stripe = StripeDouble::start().await;
    let response = call(&stripe, "POST", SESSIONS, "").await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            Some("parameter_missing"),
            Some("type"),
            "Missing required param: type.",
        ),
    );
    let response = call(&stripe, "POST", SESSIONS, "type=document&return_url=").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.body["error"]["code"], "parameter_invalid_empty");
    assert_eq!(response.body["error"]["param"], "return_url");
    let message = response.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("You passed an empty string for 'return_url'."),
        "{message}"
    );
}

#[tokio::test]
async fn values_of_the_wrong_type_are_refused() {
    let stripe = StripeDouble::start().await;
    let cases = [
        (
            "GET",
            format!("{SESSIONS}?limit=abc"),
            "",
            (
                400,
                "invalid_request_error",
                Some("parameter_invalid_integer"),
                Some("limit"),
                "Invalid integer: abc",
            ),
        ),
        (
            "GET",
            format!("{SESSIONS}?created[gte]=yesterday"),
            "",
            (
                400,
                "invalid_request_error",
                Some("parameter_invalid_integer"),
                Some("created[gte]"),
                "Invalid integer: yesterday",
            ),
        ),
        (
            "POST",
            SESSIONS.to_owned(),
            "type=document&options[document][require_matching_selfie]=yes",
            (
                400,
                "invalid_request_error",
                None,
                Some("options[document][require_matching_selfie]"),
                "Invalid boolean: yes",
            ),
        ),
        (
            "POST",
            SESSIONS.to_owned(),
            "type=document&metadata=order",
            (
                400,
                "invalid_request_error",
                None,
                Some("metadata"),
                "Invalid hash",
            ),
        ),
        (
            "POST",
            SESSIONS.to_owned(),
            "type[0]=document",
            (
                400,
                "invalid_request_error",
                None,
                Some("type"),
                "Invalid string",
            ),
        ),
    ];
    for (method, path, body, expected) in cases {
        let response = call(&stripe, method, &path, body).await;
        assert_refusal(&response.body, response.status, expected);
    }
}

#[tokio::test]
async fn enum_values_the_spec_does_not_list_are_refused() {
    let stripe = StripeDouble::start().await;
    let response = call(&stripe, "POST", SESSIONS, "type=passport").await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            None,
            Some("type"),
            "Invalid type: must be one of document or id_number",
        ),
    );
    let response = call(
        &stripe,
        "POST",
        SESSIONS,
        "type=document&options[document][allowed_types][0]=library_card",
    )
    .await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            None,
            Some("options[document][allowed_types][0]"),
            "Invalid options[document][allowed_types][0]: must be one of driving_license, id_card, or passport",
        ),
    );
    let response = call(&stripe, "GET", &format!("{SESSIONS}?status=done"), "").await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            None,
            Some("status"),
            "Invalid status: must be one of canceled, processing, requires_input, or verified",
        ),
    );
}

#[tokio::test]
async fn limit_must_be_between_1_and_100() {
    let stripe = StripeDouble::start().await;
    for (limit, message) in [
        ("0", "This value must be greater than or equal to 1."),
        ("101", "This value must be less than or equal to 100."),
    ] {
        let response = call(&stripe, "GET", &format!("{SESSIONS}?limit={limit}"), "").await;
        assert_refusal(
            &response.body,
            response.status,
            (400, "invalid_request_error", None, Some("limit"), message),
        );
    }
    let error = api_error(
        VerificationSession::list()
            .limit(101)
            .send(stripe.client())
            .await,
    );
    assert_eq!(
        (error.status, error.error.param.as_deref()),
        (400, Some("limit"))
    );
    for limit in [1, 100] {
        VerificationSession::list()
            .limit(limit)
            .send(stripe.client())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn malformed_foreign_and_unknown_ids_are_missing_resources() {
    let stripe = StripeDouble::start().await;
    for id in [
        "vr_1NuNAILkdIwHu7ixh7OtGMLw",
        "vs_",
        "vs_a%24b",
        "vs_1NuNAILkdIwHu7ixh7OtGMLw",
    ] {
        let shown = id.replace("%24", "$");
        let response = call(&stripe, "GET", &format!("{SESSIONS}/{id}"), "").await;
        assert_refusal(
            &response.body,
            response.status,
            (
                404,
                "invalid_request_error",
                Some("resource_missing"),
                Some("session"),
                &format!("No such verification_session: '{shown}'"),
            ),
        );
    }
    let response = call(
        &stripe,
        "GET",
        "/v1/identity/verification_reports/vs_123",
        "",
    )
    .await;
    assert_eq!(response.status, 404);
    assert_eq!(response.body["error"]["param"], "report");
    assert_eq!(
        response.body["error"]["message"],
        "No such verification_report: 'vs_123'"
    );
    // A cursor of another resource, and one that does not exist.
    for cursor in ["vr_123", "vs_123"] {
        let response = call(
            &stripe,
            "GET",
            &format!("{SESSIONS}?starting_after={cursor}"),
            "",
        )
        .await;
        assert_refusal(
            &response.body,
            response.status,
            (
                400,
                "invalid_request_error",
                Some("resource_missing"),
                Some("starting_after"),
                &format!("No such verification_session: '{cursor}'"),
            ),
        );
    }
    // Through the generated client: an unknown session.
    let missing: VerificationSessionId = "vs_missing".parse().unwrap();
    let error = api_error(
        VerificationSession::cancel(&missing)
            .send(stripe.client())
            .await,
    );
    assert_eq!(error.status, 404);
    assert_eq!(error.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(error.error.param.as_deref(), Some("session"));
    assert_eq!(error.error.type_.as_str(), "invalid_request_error");
}

#[tokio::test]
async fn unknown_urls_and_expansions_are_refused() {
    let stripe = StripeDouble::start().await;
    let response = call(&stripe, "GET", "/v1/identity/verification_flows", "").await;
    assert_eq!(response.status, 404);
    assert_eq!(response.body["error"]["type"], "invalid_request_error");
    let message = response.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Unrecognized request URL (GET: /v1/identity/verification_flows)."),
        "{message}"
    );
    let created = session(&stripe).await;
    let path = format!("{SESSIONS}/{}?expand[0]=metadata", created.id);
    let response = call(&stripe, "GET", &path, "").await;
    assert_refusal(
        &response.body,
        response.status,
        (
            400,
            "invalid_request_error",
            None,
            None,
            "This property cannot be expanded (metadata).",
        ),
    );
    // A list's expansions go through `data.`.
    let response = call(
        &stripe,
        "GET",
        &format!("{SESSIONS}?expand[0]=verified_outputs"),
        "",
    )
    .await;
    assert_eq!(response.status, 400, "{}", response.body);
    let response = call(
        &stripe,
        "GET",
        &format!("{SESSIONS}?expand[0]=data.verified_outputs"),
        "",
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.body);
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_parsing() {
    let stripe = StripeDouble::builder().max_body_bytes(64).start().await;
    let body = format!("type=document&metadata[a]={}", "x".repeat(100));
    let response = call(&stripe, "POST", SESSIONS, &body).await;
    assert_eq!(response.status, 413, "{}", response.body);
    assert_eq!(response.body["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn the_double_holds_a_bounded_number_of_objects() {
    // A session and its `created` event are two objects; a change needs
    // room for three.
    let stripe = StripeDouble::builder().max_objects(6).start().await;
    session(&stripe).await;
    session(&stripe).await;
    let error = api_error(
        VerificationSession::create(CreateVerificationSessionType::Document)
            .send(stripe.client())
            .await,
    );
    assert_eq!(error.status, 400);
    let message = error.error.message.unwrap_or_default();
    assert!(message.contains("holds at most 6 objects"), "{message}");
    let listed = VerificationSession::list()
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(
        listed.data.len(),
        2,
        "a refused creation left nothing behind"
    );
}
