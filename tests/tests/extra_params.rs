//! `extra_param` on generated requests: parameters the spec does not know,
//! sent after the typed ones, encoded like them, and never able to add a
//! parameter or a header or to silently duplicate a typed one.
#[path = "client/mod.rs"]
mod common;

use std::time::Duration;

use common::{header, received, session, SESSIONS};
use stripe_identity::models::{
    CreateVerificationSessionOptions, CreateVerificationSessionOptionsDocument,
    CreateVerificationSessionOptionsDocumentAllowedTypes, CreateVerificationSessionType,
};
use stripe_identity::{Client, Emptyable, Error, VerificationSession};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering a list on GET and a session on any other request,
/// and a client for it that gives up within seconds.
async fn serve() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SESSIONS))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::list(vec![], false)))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(session("vs_1")))
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    (server, client)
}

fn create() -> stripe_identity::verification_session::CreateVerificationSession {
    VerificationSession::create(CreateVerificationSessionType::Document)
}

fn only_body(requests: &[wiremock::Request]) -> String {
    assert_eq!(requests.len(), 1);
    String::from_utf8(requests[0].body.clone()).unwrap()
}

/// The pairs as the server decodes them (WHATWG form decoding).
fn decoded(form: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn create_sends_typed_params_then_extras_in_the_order_given() {
    let (server, client) = serve().await;
    create()
        .extra_param("options[email][require_verification]", "true")
        .extra_param("provided_details[email]", "jenny@example.com")
        .extra_param("provided_details[phone]", "+15555555555")
        .extra_param("client_reference_id", "ref_123")
        .extra_param("related_customer", "cus_123")
        .send(&client)
        .await
        .unwrap();
    // `@` and `+` are not RFC 3986 unreserved, so they are escaped as Go's
    // url.QueryEscape (what stripe-go sends) escapes them:
    // python3 -c "import urllib.parse; print(urllib.parse.quote('jenny@example.com', safe='-._~'))"
    // prints jenny%40example.com, and '+15555555555' gives %2B15555555555.
    assert_eq!(
        only_body(&received(&server).await),
        "type=document&options[email][require_verification]=true\
         &provided_details[email]=jenny%40example.com&provided_details[phone]=%2B15555555555\
         &client_reference_id=ref_123&related_customer=cus_123"
    );
}

#[tokio::test]
async fn extras_on_a_list_go_to_the_query_string() {
    let (server, client) = serve().await;
    VerificationSession::list()
        .limit(3)
        .extra_param("client_reference_id", "ref 123")
        .extra_param("related_customer", "cus_123")
        .send(&client)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("limit=3&client_reference_id=ref+123&related_customer=cus_123")
    );
    assert!(requests[0].body.is_empty());
}

/// Header names our client sends on a POST, and nothing else.
const POST_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "idempotency-key",
    "stripe-version",
    "user-agent",
    "x-stripe-client-user-agent",
];

fn header_names(request: &wiremock::Request) -> Vec<String> {
    let mut names: Vec<String> = request.headers.keys().map(|n| n.to_string()).collect();
    names.sort();
    names
}

/// Keys and values that would split a naively built form or header.
const HOSTILE: &[(&str, &str)] = &[
    ("metadata[a&type=id_number]", "1"),
    ("metadata[b=c]", "x&type=id_number"),
    ("metadata[c#d]", "y#z=1"),
    ("metadata[e\r\nX-Injected: 1]", "v\r\nX-Injected: 2"),
    ("metadata[f]", "[g]=h"),
];

#[tokio::test]
async fn hostile_keys_and_values_stay_one_body_parameter_each() {
    let (server, client) = serve().await;
    let request = HOSTILE
        .iter()
        .fold(create(), |r, (k, v)| r.extra_param(*k, *v));
    request.send(&client).await.unwrap();
    let requests = received(&server).await;
    let mut expected = vec![("type", "document")];
    expected.extend_from_slice(HOSTILE);
    assert_eq!(decoded(&only_body(&requests)), pairs(&expected));
    assert_eq!(header_names(&requests[0]), POST_HEADERS);
    assert_eq!(header(&requests[0], "x-injected"), None);
}

#[tokio::test]
async fn hostile_keys_and_values_stay_one_query_parameter_each() {
    let (server, client) = serve().await;
    let request = HOSTILE
        .iter()
        .fold(VerificationSession::list(), |r, (k, v)| {
            r.extra_param(*k, *v)
        });
    request.send(&client).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(decoded(requests[0].url.query().unwrap()), pairs(HOSTILE));
    assert_eq!(header(&requests[0], "x-injected"), None);
    assert!(!header_names(&requests[0]).contains(&"idempotency-key".to_owned()));
}

/// Sends `request`, expects `InvalidRequest` naming `key`, and checks that
/// nothing reached the server.
async fn assert_refused(
    request: stripe_identity::verification_session::CreateVerificationSession,
    key: &str,
) {
    let (server, client) = serve().await;
    let err = request.send(&client).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains(&format!("{key:?}")), "{err}");
    assert_eq!(received(&server).await.len(), 0, "nothing may be sent");
}

#[tokio::test]
async fn an_extra_with_a_typed_key_is_refused() {
    assert_refused(create().extra_param("type", "id_number"), "type").await;
    assert_refused(
        create()
            .return_url("https://example.com")
            .extra_param("return_url", "https://evil.example"),
        "return_url",
    )
    .await;
}

#[tokio::test]
async fn an_extra_overlapping_a_typed_key_is_refused() {
    let document = CreateVerificationSessionOptionsDocument {
        allowed_types: Some(vec![
            CreateVerificationSessionOptionsDocumentAllowedTypes::Passport,
        ]),
        ..Default::default()
    };
    let typed = create().options(CreateVerificationSessionOptions {
        document: Some(Emptyable::Set(document)),
    });
    // The extra key holds the typed `options[document][allowed_types][0]`.
    assert_refused(
        typed.extra_param("options[document]", ""),
        "options[document]",
    )
    .await;
    // The typed `options[document]=` holds the extra key.
    let cleared = create().options(CreateVerificationSessionOptions {
        document: Some(Emptyable::Empty),
    });
    let key = "options[document][require_id_number]";
    assert_refused(cleared.extra_param(key, "true"), key).await;
}

#[tokio::test]
async fn an_extra_repeating_or_overlapping_another_extra_is_refused() {
    assert_refused(
        create()
            .extra_param("client_reference_id", "a")
            .extra_param("client_reference_id", "b"),
        "client_reference_id",
    )
    .await;
    assert_refused(
        create()
            .extra_param("provided_details[email]", "jenny@example.com")
            .extra_param("provided_details", ""),
        "provided_details",
    )
    .await;
}

#[tokio::test]
async fn empty_and_malformed_keys_are_refused() {
    let (server, client) = serve().await;
    let err = create()
        .extra_param("", "x")
        .send(&client)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    for key in [
        "options[email",
        "options]",
        "[email]",
        "options[][email]",
        "a[b]c",
        "a[[b]]",
    ] {
        assert_refused(create().extra_param(key, "x"), key).await;
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn extras_beside_a_typed_map_key_are_siblings() {
    let (server, client) = serve().await;
    create()
        .metadata("order", "42")
        .extra_param("metadata[step]", "2")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        only_body(&received(&server).await),
        "metadata[order]=42&type=document&metadata[step]=2"
    );
}

#[test]
fn debug_of_a_request_shows_extra_keys_not_values() {
    let debug = format!(
        "{:?}",
        create().extra_param("provided_details[email]", "jenny@example.com")
    );
    assert!(debug.contains("provided_details[email]"), "{debug}");
    assert!(!debug.contains("jenny"), "{debug}");
}

/// Stripe's curl examples write lists as `expand[]=...`; such a key adds to
/// the list the typed setter started, numbered after its items, on a POST
/// body and a GET query alike.
#[tokio::test]
async fn list_keys_as_in_stripes_curl_examples_extend_the_typed_list() {
    let (server, client) = serve().await;
    create()
        .expand(["last_verification_report"])
        .extra_param("expand[]", "verified_outputs")
        .extra_param("expand[]", "last_error")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        decoded(&only_body(&received(&server).await)),
        pairs(&[
            ("expand[0]", "last_verification_report"),
            ("type", "document"),
            ("expand[1]", "verified_outputs"),
            ("expand[2]", "last_error"),
        ])
    );

    let (server, client) = serve().await;
    VerificationSession::list()
        .extra_param("expand[]", "data.verified_outputs")
        .send(&client)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("expand[0]=data.verified_outputs")
    );
}
