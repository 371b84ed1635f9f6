//! Parameters and ids as they reach the server.
#[path = "client/mod.rs"]
mod common;

use common::{client, received, unchecked_id};
use futures_util::TryStreamExt;
use stripe_identity::models::{
    CreateVerificationSessionOptions, CreateVerificationSessionOptionsDocument,
    CreateVerificationSessionOptionsDocumentAllowedTypes as AllowedTypes,
    CreateVerificationSessionType, ListVerificationSessionsStatus,
};
use stripe_identity::verification_session::CreateVerificationSession;
use stripe_identity::{Emptyable, Error, VerificationSession};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering list requests with one session, and anything else
/// with a session.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let one = common::list(vec![common::session("vs_1")], false);
    Mock::given(method("GET"))
        .and(wiremock::matchers::path(common::SESSIONS))
        .respond_with(ResponseTemplate::new(200).set_body_json(one))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(common::session("vs_1")))
        .mount(&server)
        .await;
    server
}

/// The body the server received for `request`.
async fn body_of(request: CreateVerificationSession) -> String {
    let server = server().await;
    request.send(&client(&server)).await.unwrap();
    let requests = received(&server).await;
    String::from_utf8(requests[0].body.clone()).unwrap()
}

#[tokio::test]
async fn create_sends_nested_parameters_in_bracket_notation() {
    let document = CreateVerificationSessionOptionsDocument {
        allowed_types: Some(vec![AllowedTypes::Passport, AllowedTypes::IdCard]),
        require_matching_selfie: Some(true),
        ..Default::default()
    };
    let request = VerificationSession::create(CreateVerificationSessionType::Document)
        .metadata("order", "42")
        .options(CreateVerificationSessionOptions {
            document: Some(Emptyable::Set(document)),
        })
        .expand(["last_verification_report"])
        .return_url("https://example.com/done?a=1&b=2");

    let body = body_of(request).await;

    assert_eq!(
        body,
        "expand[0]=last_verification_report\
         &metadata[order]=42\
         &options[document][allowed_types][0]=passport\
         &options[document][allowed_types][1]=id_card\
         &options[document][require_matching_selfie]=true\
         &return_url=https%3A%2F%2Fexample.com%2Fdone%3Fa%3D1%26b%3D2\
         &type=document"
    );
}

/// The options of the test above, built with setters that take the plain
/// values: no `Some`, no `Emptyable::Set`, no `vec!`.
#[tokio::test]
async fn option_setters_take_plain_values_and_encode_the_same() {
    let options = CreateVerificationSessionOptions::default().document(
        CreateVerificationSessionOptionsDocument::default()
            .allowed_types([AllowedTypes::Passport, AllowedTypes::IdCard])
            .require_matching_selfie(true),
    );
    let request =
        VerificationSession::create(CreateVerificationSessionType::Document).options(options);

    assert_eq!(
        body_of(request).await,
        "options[document][allowed_types][0]=passport\
         &options[document][allowed_types][1]=id_card\
         &options[document][require_matching_selfie]=true\
         &type=document"
    );

    let cleared = CreateVerificationSessionOptions::default().document(Emptyable::Empty);
    let request =
        VerificationSession::create(CreateVerificationSessionType::Document).options(cleared);
    assert_eq!(body_of(request).await, "options[document]=&type=document");
}

#[tokio::test]
async fn empty_value_clears_a_field() {
    let request = VerificationSession::create(CreateVerificationSessionType::Document).options(
        CreateVerificationSessionOptions {
            document: Some(Emptyable::Empty),
        },
    );

    assert_eq!(body_of(request).await, "options[document]=&type=document");
}

/// Stripe: "All keys can be unset by posting an empty value to `metadata`."
#[tokio::test]
async fn clear_metadata_sends_an_empty_metadata() {
    let cleared = VerificationSession::create(CreateVerificationSessionType::Document)
        .metadata("order", "42")
        .unset_metadata("step")
        .clear_metadata();
    assert_eq!(body_of(cleared).await, "metadata=&type=document");

    // A key set after the clearing replaces it.
    let set_again = VerificationSession::create(CreateVerificationSessionType::Document)
        .clear_metadata()
        .metadata("order", "43");
    assert_eq!(body_of(set_again).await, "metadata[order]=43&type=document");

    let server = server().await;
    VerificationSession::update(&unchecked_id("vs_1"))
        .clear_metadata()
        .send(&client(&server))
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(String::from_utf8_lossy(&requests[0].body), "metadata=");
}

#[tokio::test]
async fn unset_metadata_sends_an_empty_value() {
    let request = VerificationSession::create(CreateVerificationSessionType::IdNumber)
        .unset_metadata("order");

    assert_eq!(body_of(request).await, "metadata[order]=&type=id_number");
}

#[tokio::test]
async fn unset_options_are_not_sent() {
    let request = VerificationSession::create(CreateVerificationSessionType::Document)
        .options(CreateVerificationSessionOptions { document: None });

    assert_eq!(body_of(request).await, "type=document");
}

#[tokio::test]
async fn list_filters_go_in_the_query() {
    let server = server().await;

    let sessions: Vec<VerificationSession> = VerificationSession::list()
        .status(ListVerificationSessionsStatus::RequiresInput)
        .limit(3)
        .expand(["data.last_verification_report"])
        .paginate(&client(&server))
        .try_collect()
        .await
        .unwrap();

    assert_eq!(sessions.len(), 1);
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("expand[0]=data.last_verification_report&limit=3&status=requires_input")
    );
}

#[tokio::test]
async fn reserved_characters_in_an_id_are_encoded() {
    let server = server().await;
    let id = unchecked_id("vs_a/b?c#d e%");

    VerificationSession::retrieve(&id)
        .send(&client(&server))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        "/v1/identity/verification_sessions/vs_a%2Fb%3Fc%23d%20e%25"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn dot_ids_are_rejected_before_sending() {
    let server = server().await;
    let client = client(&server);

    for value in ["", ".", "..", "%2e", "%2e%2e", ".%2E"] {
        let err = VerificationSession::cancel(&unchecked_id(value))
            .send(&client)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(_)),
            "{value:?}: {err:?}"
        );
    }

    assert!(received(&server).await.is_empty());
}
