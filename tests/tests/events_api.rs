//! The events API (`GET /v1/events/{id}`, `GET /v1/events`) against a local
//! mock server: the query strings Stripe expects (arrays in bracket
//! notation with indices, as Stripe's SDKs send them), typed payloads in
//! the responses, and pagination by event id.

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use stripe_identity::models::ListEventsCreatedRangeQuerySpecs;
use stripe_identity::{Client, Event, EventId, EventPayload, EventType};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const EVENTS: &str = "/v1/events";

fn event(id: &str, event_type: &str) -> Value {
    json!({
        "id": id, "object": "event", "api_version": "2023-08-16", "created": 1690000000,
        "livemode": false, "pending_webhooks": 1, "type": event_type,
        "request": {"id": "req_1", "idempotency_key": null},
        "data": {"object": {
            "id": "vs_1", "object": "identity.verification_session", "created": 1690000000,
            "livemode": false, "metadata": {}, "status": "verified"
        }}
    })
}

fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| event(id, "identity.verification_session.verified"))
        .collect();
    ResponseTemplate::new(200)
        .set_body_json(json!({"object": "list", "url": EVENTS, "has_more": has_more, "data": data}))
}

fn client(server: &MockServer) -> Client {
    Client::builder("sk_test_123")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn event_id(id: &str) -> EventId {
    id.parse().unwrap()
}

#[tokio::test]
async fn retrieve_gets_one_event_by_id_with_its_typed_payload() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/events/evt_123"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(event("evt_123", "identity.verification_session.verified")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let event = Event::retrieve(&event_id("evt_123"))
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(event.id.as_str(), "evt_123");
    let EventPayload::VerificationSessionVerified(session) = &event.data.object else {
        panic!("decoded as {:?}", event.data.object);
    };
    assert_eq!(session.id.as_str(), "vs_1");
    let request = &requests(&server).await[0];
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
}

#[test]
fn an_event_id_must_start_with_evt() {
    assert!("vs_123".parse::<EventId>().is_err());
    assert!("evt_123".parse::<EventId>().is_ok());
}

#[tokio::test]
async fn list_filters_by_a_type_wildcard_and_creation_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(EVENTS))
        .respond_with(page(&["evt_1"], false))
        .expect(1)
        .mount(&server)
        .await;
    let range = ListEventsCreatedRangeQuerySpecs {
        gte: Some(1690000000),
        ..Default::default()
    };
    let page = Event::list()
        .type_(EventType::from("identity.verification_session.*"))
        .created(range)
        .limit(3)
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    // `*` is not unreserved in RFC 3986, so it is percent-encoded, as Go's
    // url.QueryEscape and stripe-node's qs encoding both do.
    assert_eq!(
        requests(&server).await[0].url.query(),
        Some("created[gte]=1690000000&limit=3&type=identity.verification_session.%2A")
    );
}

/// `types` takes event types: one the crate knows, and one it does not
/// (here of another part of Stripe's API), sent as Stripe's array
/// parameters are, `types[0]=...&types[1]=...`.
#[tokio::test]
async fn list_filters_by_a_known_and_an_unknown_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(EVENTS))
        .respond_with(page(&[], false))
        .expect(1)
        .mount(&server)
        .await;
    Event::list()
        .types([
            EventType::VerificationSessionVerified,
            EventType::from("charge.succeeded"),
        ])
        .delivery_success(false)
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(
        requests(&server).await[0].url.query(),
        Some(
            "delivery_success=false&types[0]=identity.verification_session.verified\
             &types[1]=charge.succeeded"
        )
    );
}

/// The event-type enum reads the strings Stripe writes: a known type is its
/// variant (so a typo is not), and every value writes back as it was read.
#[test]
fn event_types_parse_display_and_serialize_as_stripe_writes_them() {
    let known: EventType = "identity.verification_session.requires_input"
        .parse()
        .unwrap();
    assert_eq!(known, EventType::VerificationSessionRequiresInput);
    let typo = EventType::from("identity.verification_session.verifed");
    assert_eq!(
        typo,
        EventType::Unknown("identity.verification_session.verifed".to_owned())
    );
    assert_eq!(
        known.to_string(),
        "identity.verification_session.requires_input"
    );
    assert_eq!(typo.as_str(), "identity.verification_session.verifed");
    assert_eq!(
        serde_json::to_value([&known, &typo]).unwrap(),
        json!([
            "identity.verification_session.requires_input",
            "identity.verification_session.verifed"
        ])
    );
    let read: EventType =
        serde_json::from_value(json!("identity.verification_session.verified")).unwrap();
    assert_eq!(read, EventType::VerificationSessionVerified);
}

#[tokio::test]
async fn paginate_follows_has_more_with_the_last_event_id() {
    let server = MockServer::start().await;
    Mock::given(query_param("starting_after", "evt_2"))
        .respond_with(page(&["evt_3"], false))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(EVENTS))
        .respond_with(page(&["evt_1", "evt_2"], true))
        .expect(1..)
        .mount(&server)
        .await;
    let events: Vec<Event> = Event::list()
        .type_(EventType::VerificationSessionVerified)
        .paginate(&client(&server))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["evt_1", "evt_2", "evt_3"]);
    // The next page keeps the filter and adds the cursor.
    let received = requests(&server).await;
    let mut query: Vec<(String, String)> = received[1].url.query_pairs().into_owned().collect();
    query.sort();
    assert_eq!(
        query,
        [
            ("starting_after".to_owned(), "evt_2".to_owned()),
            (
                "type".to_owned(),
                "identity.verification_session.verified".to_owned()
            )
        ]
    );
}

#[tokio::test]
async fn a_listed_event_of_another_api_is_kept_raw() {
    let server = MockServer::start().await;
    let mut charge = event("evt_9", "charge.succeeded");
    charge["data"]["object"] = json!({"id": "ch_1", "object": "charge", "amount": 100});
    Mock::given(path(EVENTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"object": "list", "url": EVENTS, "has_more": false, "data": [charge]}),
        ))
        .mount(&server)
        .await;
    let page = Event::list().send(&client(&server)).await.unwrap();
    let EventPayload::Unknown { type_, object } = &page.data[0].data.object else {
        panic!("a charge event must land in the catch-all");
    };
    assert_eq!(type_, "charge.succeeded");
    assert_eq!(object["amount"], 100);
}

#[tokio::test]
async fn a_broken_event_in_a_response_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    let mut broken = event("evt_1", "identity.verification_session.verified");
    broken["data"]["object"]["status"] = json!(42);
    Mock::given(path("/v1/events/evt_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(broken))
        .mount(&server)
        .await;
    let error = Event::retrieve(&event_id("evt_1"))
        .send(&client(&server))
        .await
        .unwrap_err();
    match error {
        stripe_identity::Error::Decode { path, message, .. } => {
            assert_eq!(path, "data.object.status");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
