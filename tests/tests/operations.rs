//! Every Identity operation against a local mock server: the method, path,
//! headers and exact form body or query string Stripe's API expects.

use stripe_identity::models::{
    CreateVerificationSessionOptions, CreateVerificationSessionOptionsDocument,
    CreateVerificationSessionOptionsDocumentAllowedTypes, CreateVerificationSessionType,
    ListVerificationReportsType, ListVerificationSessionsCreatedRangeQuerySpecs,
    ListVerificationSessionsStatus, UpdateVerificationSessionOptions,
};
use stripe_identity::{
    Client, Emptyable, Error, RequestOptions, VerificationReport, VerificationReportId,
    VerificationSession, VerificationSessionId,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_123";

fn session_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "identity.verification_session", "created": 1690000000,
        "livemode": false, "metadata": {}, "status": "requires_input",
        "client_secret": "vs_123_secret_abc", "url": "https://verify.stripe.com/start/abc"
    })
}

fn report_json(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "object": "identity.verification_report", "created": 1690000000, "livemode": false})
}

fn list_json(url: &str, data: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"object": "list", "url": url, "has_more": false, "data": data})
}

/// A server answering `verb path` with `body`, and a client pointed at it.
async fn serve(verb: &str, at: &str, body: serde_json::Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn body(request: &Request) -> &str {
    std::str::from_utf8(&request.body).unwrap()
}

fn session_id(id: &str) -> VerificationSessionId {
    id.parse().unwrap()
}

#[tokio::test]
async fn create_posts_the_form_body_in_bracket_notation() {
    let (server, client) = serve(
        "POST",
        "/v1/identity/verification_sessions",
        session_json("vs_123"),
    )
    .await;
    let document = CreateVerificationSessionOptionsDocument {
        allowed_types: Some(vec![
            CreateVerificationSessionOptionsDocumentAllowedTypes::Passport,
        ]),
        require_matching_selfie: Some(true),
        ..Default::default()
    };
    let options = CreateVerificationSessionOptions {
        document: Some(Emptyable::Set(document)),
    };
    let session = VerificationSession::create(CreateVerificationSessionType::Document)
        .metadata("order", "42")
        .options(options)
        .expand(["last_verification_report"])
        .return_url("https://example.com/done?x=1")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(session.id.as_str(), "vs_123");
    let request = only_request(&server).await;
    assert_eq!(
        body(&request),
        "expand[0]=last_verification_report&metadata[order]=42\
         &options[document][allowed_types][0]=passport&options[document][require_matching_selfie]=true\
         &return_url=https%3A%2F%2Fexample.com%2Fdone%3Fx%3D1&type=document"
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer sk_test_123")
    );
    assert_eq!(
        header(&request, "stripe-version"),
        Some(stripe_identity::API_VERSION)
    );
    assert!(header(&request, "idempotency-key").is_some_and(|k| k.len() >= 32));
    assert!(header(&request, "user-agent")
        .is_some_and(|ua| ua.starts_with("Stripe/v1 stripe-identity/")));
}

#[tokio::test]
async fn update_clears_document_options_and_unsets_a_metadata_key() {
    let at = "/v1/identity/verification_sessions/vs_123";
    let (server, client) = serve("POST", at, session_json("vs_123")).await;
    VerificationSession::update(&session_id("vs_123"))
        .options(UpdateVerificationSessionOptions {
            document: Some(Emptyable::Empty),
        })
        .unset_metadata("order")
        .metadata("step", "2")
        .send(&client)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        body(&request),
        "metadata[order]=&metadata[step]=2&options[document]="
    );
}

#[tokio::test]
async fn retrieve_sends_expand_in_the_query_string() {
    let at = "/v1/identity/verification_sessions/vs_123";
    let (server, client) = serve("GET", at, session_json("vs_123")).await;
    VerificationSession::retrieve(&session_id("vs_123"))
        .expand(["last_verification_report", "verified_outputs"])
        .send(&client)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("expand[0]=last_verification_report&expand[1]=verified_outputs")
    );
    assert!(
        header(&request, "idempotency-key").is_none(),
        "GET carries no idempotency key"
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_sessions_sends_range_and_status_filters() {
    let at = "/v1/identity/verification_sessions";
    let (server, client) = serve("GET", at, list_json(at, vec![session_json("vs_1")])).await;
    let range = ListVerificationSessionsCreatedRangeQuerySpecs {
        gte: Some(1690000000),
        ..Default::default()
    };
    let page = VerificationSession::list()
        .created(range)
        .status(ListVerificationSessionsStatus::Verified)
        .limit(3)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert!(!page.has_more);
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("created[gte]=1690000000&limit=3&status=verified")
    );
}

#[tokio::test]
async fn list_sessions_with_an_exact_created_timestamp() {
    let at = "/v1/identity/verification_sessions";
    let (server, client) = serve("GET", at, list_json(at, vec![])).await;
    VerificationSession::list()
        .created(1690000000)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("created=1690000000")
    );
}

#[tokio::test]
async fn cancel_posts_to_the_action_path() {
    let at = "/v1/identity/verification_sessions/vs_123/cancel";
    let (server, client) = serve("POST", at, session_json("vs_123")).await;
    let options = RequestOptions::new()
        .stripe_account("acct_1")
        .idempotency_key("cancel-vs_123");
    VerificationSession::cancel(&session_id("vs_123"))
        .send_with(&client, &options)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(body(&request), "");
    assert_eq!(header(&request, "idempotency-key"), Some("cancel-vs_123"));
    assert_eq!(header(&request, "stripe-account"), Some("acct_1"));
}

#[tokio::test]
async fn redact_posts_expand_in_the_body() {
    let at = "/v1/identity/verification_sessions/vs_123/redact";
    let (server, client) = serve("POST", at, session_json("vs_123")).await;
    VerificationSession::redact(&session_id("vs_123"))
        .expand(["verified_outputs"])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        body(&only_request(&server).await),
        "expand[0]=verified_outputs"
    );
}

#[tokio::test]
async fn list_reports_filters_by_type_and_typed_session_id() {
    let at = "/v1/identity/verification_reports";
    let (server, client) = serve("GET", at, list_json(at, vec![report_json("vr_1")])).await;
    let page = VerificationReport::list()
        .type_(ListVerificationReportsType::Document)
        .verification_session(&session_id("vs_123"))
        .send(&client)
        .await
        .unwrap();
    assert_eq!(page.data[0].id.as_str(), "vr_1");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("type=document&verification_session=vs_123")
    );
}

#[tokio::test]
async fn retrieve_report_by_typed_id() {
    let at = "/v1/identity/verification_reports/vr_123";
    let (server, client) = serve("GET", at, report_json("vr_123")).await;
    let id: VerificationReportId = "vr_123".parse().unwrap();
    let report = VerificationReport::retrieve(&id)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(report.id, id);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn an_id_with_url_syntax_cannot_change_the_url() {
    // Ids from responses are not prefix-checked, so an id may hold anything.
    let hostile: VerificationSessionId =
        serde_json::from_value("vs_a/../../b?c=1#d%".into()).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json("vs_1")))
        .mount(&server)
        .await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    VerificationSession::retrieve(&hostile)
        .send(&client)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v1/identity/verification_sessions/vs_a%2F%2E%2E%2F%2E%2E%2Fb%3Fc%3D1%23d%25"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn a_dot_dot_id_is_rejected_before_any_request() {
    let server = MockServer::start().await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let dots: VerificationSessionId = serde_json::from_value("..".into()).unwrap();
    let err = VerificationSession::retrieve(&dots)
        .send(&client)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn an_id_with_the_wrong_prefix_does_not_parse() {
    let err = "vr_123".parse::<VerificationSessionId>().unwrap_err();
    let message = err.to_string();
    // The expected prefix and the id's own, never the rest of the value.
    assert!(
        message.contains("`vs_`") && message.contains("`vr_`") && !message.contains("vr_123"),
        "{message}"
    );
    assert!("vs_".parse::<VerificationSessionId>().is_err());
    assert!("vs_123".parse::<VerificationSessionId>().is_ok());
}

#[test]
fn debug_of_a_session_redacts_the_client_secret_and_url() {
    let session: VerificationSession = serde_json::from_value(session_json("vs_123")).unwrap();
    let debug = format!("{session:?}");
    assert!(!debug.contains("vs_123_secret_abc"), "{debug}");
    assert!(!debug.contains("verify.stripe.com"), "{debug}");
    assert!(
        debug.contains("[redacted]") && debug.contains("vs_123"),
        "{debug}"
    );
    // The values are still there for the code that needs them.
    assert_eq!(session.client_secret.as_deref(), Some("vs_123_secret_abc"));
}
