//! What the client reports about its calls: the `on_attempt` hook after
//! every attempt, and with the `tracing` feature a span per call and an
//! event per attempt; none of it holds a parameter value, a body, the key
//! or personal data.
#[path = "client/mod.rs"]
mod common;
#[path = "client/recorder.rs"]
mod recorder;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{list, received, session, unchecked_id, SECRET};
use recorder::{record_here, EventRecord, Recorder, SpanRecord};
use stripe_identity::{
    AttemptError, AttemptInfo, ClientBuilder, Method, RawRequest, RequestOptions,
    VerificationSession,
};
use tracing::Level;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEMPLATE: &str = "/v1/identity/verification_sessions/{session}";
const SESSION_ID: &str = "vs_123abc";

/// Personal data and secrets that must not appear in anything recorded:
/// parameter values (raw and form-encoded), the filled-in path's id, the
/// key, and parameter names.
const NEVER_RECORDED: &[&str] = &[
    "jenny.rosen@example.com",
    "jenny.rosen%40example.com",
    "Jenny Rosen",
    "Jenny+Rosen",
    "customer_name",
    "provided_details",
    SESSION_ID,
    SECRET,
];

/// Serves each of `answers` once, in order, as `(status, Request-Id,
/// Stripe-Should-Retry)`; the last one is served from then on.
async fn server_answering(answers: &[(u16, &str, Option<&str>)]) -> MockServer {
    let server = MockServer::start().await;
    for (index, (status, request_id, retry)) in answers.iter().enumerate() {
        let mut response = ResponseTemplate::new(*status).insert_header("Request-Id", *request_id);
        response = match status {
            200 => response.set_body_json(session(SESSION_ID)),
            _ => response.set_body_json(common::missing_error()),
        };
        if let Some(retry) = retry {
            response = response.insert_header("Stripe-Should-Retry", *retry);
        }
        let mock = Mock::given(method("POST")).respond_with(response);
        let last = index + 1 == answers.len();
        let mock = if last { mock } else { mock.up_to_n_times(1) };
        mock.mount(&server).await;
    }
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list(vec![], false)))
        .mount(&server)
        .await;
    server
}

/// An update carrying personal data in metadata and in an extra parameter.
fn update_with_personal_data() -> stripe_identity::verification_session::UpdateVerificationSession {
    VerificationSession::update(&unchecked_id(SESSION_ID))
        .metadata("customer_name", "Jenny Rosen")
        .extra_param("provided_details[email]", "jenny.rosen@example.com")
}

/// A builder whose hook collects every attempt.
fn recording_hook(builder: ClientBuilder) -> (ClientBuilder, Arc<Mutex<Vec<AttemptInfo>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let builder = builder.on_attempt(move |info| sink.lock().unwrap().push(info.clone()));
    (builder, seen)
}

fn ours(spans: &[SpanRecord]) -> Vec<&SpanRecord> {
    let ours = spans.iter().filter(|s| s.target == "stripe_identity");
    ours.collect()
}

fn events_in(events: &[EventRecord], span: u64) -> Vec<&EventRecord> {
    let inside = events.iter().filter(|e| e.parent == Some(span));
    inside.filter(|e| e.target == "stripe_identity").collect()
}

fn field<'a>(fields: &'a std::collections::BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("<absent>", String::as_str)
}

fn assert_nothing_personal(recorder: &Recorder) {
    for text in recorder.all_text() {
        for secret in NEVER_RECORDED {
            assert!(!text.contains(secret), "{secret:?} recorded in {text:?}");
        }
    }
}

#[tokio::test]
async fn one_span_per_call_and_one_event_per_attempt() {
    let server =
        server_answering(&[(500, "req_first", Some("true")), (200, "req_second", None)]).await;
    let client = common::client(&server);
    let recorder = Recorder::default();
    let _default = record_here(&recorder);

    update_with_personal_data().send(&client).await.unwrap();
    VerificationSession::list()
        .extra_param("provided_details[email]", "jenny.rosen@example.com")
        .send(&client)
        .await
        .unwrap();

    let spans = recorder.spans();
    let ours = ours(&spans);
    assert_eq!(ours.len(), 2, "{spans:#?}");
    let update = &ours[0];
    assert_eq!(update.name, "stripe_request");
    assert_eq!(field(&update.fields, "method"), "POST");
    assert_eq!(field(&update.fields, "path"), TEMPLATE);
    assert_eq!(field(&update.fields, "attempts"), "2");
    assert_eq!(field(&update.fields, "status"), "200");
    assert_eq!(field(&update.fields, "request_id"), "req_second");
    let elapsed: f64 = field(&update.fields, "elapsed_ms").parse().unwrap();
    assert!(elapsed >= 0.0);

    let events = recorder.events();
    let attempts = events_in(&events, update.id);
    assert_eq!(attempts.len(), 2, "{events:#?}");
    let (first, second) = (&attempts[0], &attempts[1]);
    assert_eq!(first.level, Level::WARN);
    assert_eq!(field(&first.fields, "attempt"), "1");
    assert_eq!(field(&first.fields, "status"), "500");
    assert_eq!(field(&first.fields, "request_id"), "req_first");
    assert_eq!(field(&first.fields, "stripe_should_retry"), "true");
    assert_eq!(field(&first.fields, "will_retry"), "true");
    assert!(field(&first.fields, "elapsed_ms").parse::<f64>().is_ok());
    assert_eq!(field(&first.fields, "error"), "<absent>");
    assert_eq!(second.level, Level::DEBUG);
    assert_eq!(field(&second.fields, "attempt"), "2");
    assert_eq!(field(&second.fields, "status"), "200");
    assert_eq!(field(&second.fields, "request_id"), "req_second");
    assert_eq!(field(&second.fields, "stripe_should_retry"), "<absent>");
    assert_eq!(field(&second.fields, "will_retry"), "false");

    let listing = &ours[1];
    assert_eq!(field(&listing.fields, "method"), "GET");
    assert_eq!(
        field(&listing.fields, "path"),
        "/v1/identity/verification_sessions"
    );
    assert_eq!(events_in(&events, listing.id).len(), 1);
    assert_nothing_personal(&recorder);
}

#[tokio::test]
async fn a_network_failure_is_recorded_by_kind_only() {
    let client = common::builder_for(&common::closed_port_url())
        .max_retries(1)
        .build()
        .unwrap();
    let recorder = Recorder::default();
    let _default = record_here(&recorder);

    update_with_personal_data().send(&client).await.unwrap_err();

    let spans = recorder.spans();
    let span = ours(&spans)[0];
    assert_eq!(field(&span.fields, "attempts"), "2");
    assert_eq!(field(&span.fields, "status"), "<absent>");
    let events = recorder.events();
    let attempts = events_in(&events, span.id);
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0].level, Level::WARN);
    assert_eq!(field(&attempts[0].fields, "error"), "connect");
    assert_eq!(attempts[1].level, Level::INFO);
    assert_eq!(field(&attempts[1].fields, "will_retry"), "false");
    assert_nothing_personal(&recorder);
}

#[tokio::test]
async fn the_hook_sees_every_attempt_with_its_request_id() {
    let server = server_answering(&[
        (503, "req_1", None),
        (500, "req_2", Some("true")),
        (200, "req_3", None),
    ])
    .await;
    let (builder, seen) = recording_hook(common::builder(&server));
    let client = builder.build().unwrap();

    update_with_personal_data().send(&client).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(received(&server).await.len(), 3);
    let summary: Vec<_> = seen
        .iter()
        .map(|i| (i.attempt, i.status, i.request_id.as_deref(), i.will_retry))
        .collect();
    assert_eq!(
        summary,
        [
            (1, Some(503), Some("req_1"), true),
            (2, Some(500), Some("req_2"), true),
            (3, Some(200), Some("req_3"), false),
        ]
    );
    assert_eq!(seen[0].stripe_should_retry, None);
    assert_eq!(seen[1].stripe_should_retry, Some(true));
    for info in &seen {
        assert_eq!(info.method, Method::Post);
        assert_eq!(info.path, TEMPLATE);
        assert_eq!(info.error, None);
        let debug = format!("{info:?}");
        for secret in NEVER_RECORDED {
            assert!(!debug.contains(secret), "{secret:?} in {debug}");
        }
    }
}

#[tokio::test]
async fn the_hook_sees_failures_by_kind() {
    let (builder, seen) = recording_hook(common::builder_for(&common::closed_port_url()));
    let client = builder.max_retries(1).build().unwrap();
    common::retrieve(&client).await.unwrap_err();

    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(session("vs_1"))
        .set_delay(Duration::from_millis(300));
    Mock::given(any()).respond_with(slow).mount(&server).await;
    let (builder, timed) = recording_hook(common::builder(&server));
    let client = builder.build().unwrap();
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(20))
        .max_retries(0);
    common::retrieve_with(&client, &options).await.unwrap_err();

    let seen = seen.lock().unwrap().clone();
    let kinds: Vec<_> = seen
        .iter()
        .map(|i| (i.status, i.error, i.will_retry))
        .collect();
    assert_eq!(
        kinds,
        [
            (None, Some(AttemptError::Connect), true),
            (None, Some(AttemptError::Connect), false),
        ]
    );
    let timed = timed.lock().unwrap().clone();
    assert_eq!(timed.len(), 1);
    assert_eq!(timed[0].error, Some(AttemptError::Timeout));
    assert_eq!(timed[0].error.map(AttemptError::as_str), Some("timeout"));
}

#[tokio::test]
async fn a_raw_request_reports_its_path_as_given() {
    let server = common::session_server().await;
    let (builder, seen) = recording_hook(common::builder(&server));
    let client = builder.build().unwrap();

    let path = "/v1/identity/verification_sessions/vs_9";
    let _: serde_json::Value = RawRequest::new(Method::Get, path)
        .param("expand[0]", "last_verification_report")
        .send(&client)
        .await
        .unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, path);
}

/// The blocking client runs calls on its own thread; the caller's span and
/// subscriber follow them there.
#[test]
fn blocking_calls_are_traced_under_the_callers_span() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(server_answering(&[(200, "req_blocking", None)]));
    let (builder, seen) = recording_hook(common::builder(&server));
    let client = builder.build_blocking().unwrap();
    let recorder = Recorder::default();
    {
        let _default = record_here(&recorder);
        let outer = tracing::info_span!("nightly_job");
        let _entered = outer.enter();
        client.send(&update_with_personal_data()).unwrap();
    }

    let spans = recorder.spans();
    let job = spans.iter().find(|s| s.name == "nightly_job").unwrap();
    let call = ours(&spans)[0];
    assert_eq!(call.parent, Some(job.id));
    assert_eq!(field(&call.fields, "request_id"), "req_blocking");
    let events = recorder.events();
    assert_eq!(events_in(&events, call.id).len(), 1);
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_nothing_personal(&recorder);
}
