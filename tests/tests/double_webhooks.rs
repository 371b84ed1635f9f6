//! Webhook deliveries of the test double: signed like Stripe's (checked
//! against HMAC-SHA256 values computed once with Python's `hmac` and
//! pasted here, and by the crate's `Webhook`), sent to the endpoints whose
//! `enabled_events` match, retried on a non-2xx answer, every attempt
//! observable.

mod double;

use double::{session, Receiver};
use stripe_identity::testing::{generate_test_header, StripeDouble, VerifiedPerson};
use stripe_identity::{Event, EventPayload, Webhook};

/// `generate_test_header` against Python's `hmac`, run once:
///
/// ```python
/// import hmac, hashlib
/// for payload, secret, t in [
///     (b'{"id":"evt_test_webhook","object":"event"}', 'whsec_test_secret', 1700000000),
///     (b'', 'whsec_test_secret', 0),
///     ('{"name":"José"}'.encode(), 'whsec_é', 1234567890),
/// ]:
///     print(t, hmac.new(secret.encode(), str(t).encode() + b'.' + payload, hashlib.sha256).hexdigest())
/// ```
#[test]
fn test_headers_match_python_hmac() {
    let cases: [(&[u8], &str, i64, &str); 3] = [
        (
            br#"{"id":"evt_test_webhook","object":"event"}"#,
            "whsec_test_secret",
            1_700_000_000,
            "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990",
        ),
        (
            b"",
            "whsec_test_secret",
            0,
            "e359a4b07054a77815d22548b11f4936e8b16e4160347fcbc7fbeac890d07c42",
        ),
        (
            "{\"name\":\"José\"}".as_bytes(),
            "whsec_é",
            1_234_567_890,
            "7b90cff198c6431ced9c638be37d7ed3957ea58c79d052a2e6b262d90df65c46",
        ),
    ];
    for (payload, secret, t, hex) in cases {
        let header = generate_test_header(payload, secret, t);
        assert_eq!(header, format!("t={t},v1={hex}"));
        Webhook::new(secret).verify_at(payload, &header, t).unwrap();
    }
}

#[tokio::test]
async fn every_event_is_delivered_signed_to_matching_endpoints() {
    let stripe = StripeDouble::start().await;
    let everything = Receiver::start(&[]).await;
    let verified_only = Receiver::start(&[]).await;
    stripe
        .add_webhook_endpoint(&everything.url, &["*"])
        .unwrap();
    stripe
        .add_webhook_endpoint(
            &verified_only.url,
            &["identity.verification_session.verified"],
        )
        .unwrap();
    let created = session(&stripe).await;
    stripe
        .verify(&created.id, &VerifiedPerson::default())
        .await
        .unwrap();

    let webhook = Webhook::new(stripe.webhook_secret());
    let received: Vec<Event> = everything
        .received()
        .iter()
        .map(|r| {
            assert_eq!(r.content_type, "application/json; charset=utf-8");
            webhook.construct_event(&r.body, &r.signature).unwrap()
        })
        .collect();
    let types: Vec<&str> = received.iter().map(|e| e.type_.as_str()).collect();
    assert_eq!(
        types,
        [
            "identity.verification_session.created",
            "identity.verification_session.processing",
            "identity.verification_session.verified",
        ]
    );
    // What was delivered is what the events API serves.
    for event in &received {
        let served = Event::retrieve(&event.id)
            .send(stripe.client())
            .await
            .unwrap();
        assert_eq!(served.data, event.data);
    }
    let only = verified_only.received();
    assert_eq!(only.len(), 1);
    let event = webhook
        .construct_event(&only[0].body, &only[0].signature)
        .unwrap();
    let EventPayload::VerificationSessionVerified(session) = event.data.object else {
        panic!("a verified event");
    };
    assert_eq!(session.id, created.id);
    assert_eq!(session.status.as_str(), "verified");
    // Every delivery is recorded, each a first attempt that succeeded.
    let deliveries = stripe.deliveries();
    assert_eq!(deliveries.len(), 4);
    assert!(deliveries
        .iter()
        .all(|d| d.attempt == 1 && d.status == Some(200)));
    // Its Debug shows no personal data.
    let debug = format!("{deliveries:?}");
    assert!(!debug.contains("Jenny") && !debug.contains("t="), "{debug}");
}

#[tokio::test]
async fn a_failed_delivery_is_retried_until_it_succeeds() {
    let stripe = StripeDouble::start().await;
    let flaky = Receiver::start(&[500, 503]).await;
    stripe.add_webhook_endpoint(&flaky.url, &["*"]).unwrap();
    let created = session(&stripe).await;
    stripe.settled().await;
    let attempts: Vec<(u32, Option<u16>)> = stripe
        .deliveries()
        .iter()
        .map(|d| (d.attempt, d.status))
        .collect();
    assert_eq!(attempts, [(1, Some(500)), (2, Some(503)), (3, Some(200))]);
    // The three attempts carried the same body, each validly signed.
    let received = flaky.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.body == received[0].body));
    for r in &received {
        Webhook::new(stripe.webhook_secret())
            .verify(&r.body, &r.signature)
            .unwrap();
    }
    let event = &stripe.events()[0];
    let served = Event::retrieve(&event.id)
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(served.pending_webhooks, 0, "delivered in the end");
    assert_eq!(object_id(&served), created.id.as_str());
}

fn object_id(event: &Event) -> String {
    serde_json::to_value(&event.data.object).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn attempts_stop_at_the_limit_and_the_event_stays_pending() {
    let stripe = StripeDouble::builder().delivery_attempts(2).start().await;
    let down = Receiver::start(&[500, 500, 500]).await;
    // A port nobody listens on: the connection is refused.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/webhook", listener.local_addr().unwrap())
    };
    stripe.add_webhook_endpoint(&down.url, &["*"]).unwrap();
    stripe.add_webhook_endpoint(&closed, &["*"]).unwrap();
    session(&stripe).await;
    stripe.settled().await;
    let attempts: Vec<(String, u32, Option<u16>)> = stripe
        .deliveries()
        .iter()
        .map(|d| (d.url.clone(), d.attempt, d.status))
        .collect();
    assert_eq!(
        attempts,
        [
            (down.url.clone(), 1, Some(500)),
            (down.url.clone(), 2, Some(500)),
            (closed.clone(), 1, None),
            (closed.clone(), 2, None),
        ]
    );
    let event = &stripe.events()[0];
    assert_eq!(event.pending_webhooks, 2);
    let failing = double::call(&stripe, "GET", "/v1/events?delivery_success=false", "").await;
    assert_eq!(failing.body["data"][0]["id"], event.id.as_str());
}

#[tokio::test]
async fn only_local_urls_and_known_event_types_are_accepted() {
    let stripe = StripeDouble::start().await;
    for url in [
        "https://example.com/hook",
        "http://10.0.0.1/hook",
        "not a url",
    ] {
        assert!(stripe.add_webhook_endpoint(url, &["*"]).is_err(), "{url}");
    }
    let err = stripe
        .add_webhook_endpoint(
            "http://127.0.0.1:9/hook",
            &["identity.verification_session.updated"],
        )
        .unwrap_err();
    assert!(err.to_string().contains("not an event type"), "{err}");
    let id = stripe
        .add_webhook_endpoint("http://localhost:9/hook", &["*"])
        .unwrap();
    assert!(id.starts_with("we_"));
    stripe.remove_webhook_endpoint(&id);
    session(&stripe).await;
    stripe.settled().await;
    assert!(stripe.deliveries().is_empty());
}

/// The same double, seed and clock make the same delivery, byte for byte;
/// its signature is the HMAC Python computes for that body:
///
/// ```python
/// import hmac, hashlib
/// body = open('payload.json', 'rb').read()  # the text of PAYLOAD below
/// print(hmac.new(b'whsec_double_test', b'1700000000.' + body, hashlib.sha256).hexdigest())
/// ```
#[tokio::test]
async fn a_delivery_is_deterministic_and_signed_as_python_computes() {
    let stripe = StripeDouble::builder()
        .seed(16)
        .start_time(1_700_000_000)
        .webhook_secret("whsec_double_test")
        .start()
        .await;
    let receiver = Receiver::start(&[]).await;
    stripe.add_webhook_endpoint(&receiver.url, &["*"]).unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client
        .post(format!(
            "{}/v1/identity/verification_sessions",
            stripe.url()
        ))
        .bearer_auth("sk_test_123")
        .header("idempotency-key", "order-42")
        .form(&[("type", "document"), ("metadata[order]", "42")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    stripe.settled().await;
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let body = String::from_utf8(received[0].body.clone()).unwrap();
    assert_eq!(body, PAYLOAD);
    assert_eq!(
        received[0].signature,
        format!("t=1700000000,v1={PYTHON_SIGNATURE}")
    );
    Webhook::new("whsec_double_test")
        .construct_event_at(body.as_bytes(), &received[0].signature, 1_700_000_000)
        .unwrap();
}

/// The `created` event of the session above, as first delivered (pinned:
/// a change to what the double sends shows up here).
const PAYLOAD: &str = r#"{"api_version":"2023-08-16","created":1700000000,"data":{"object":{"client_secret":"vs_UEXeN3Fp7eKMQFaarzO20kvp_secret_test_HmgYYzfJ8Ekszs8z5yy1aGGj","created":1700000000,"id":"vs_UEXeN3Fp7eKMQFaarzO20kvp","last_error":null,"last_verification_report":null,"livemode":false,"metadata":{"order":"42"},"object":"identity.verification_session","options":{},"redaction":null,"status":"requires_input","type":"document","url":"https://verify.stripe.com/start/test_9Zk6QHMnyj7etdB4BdYNIHWfVQ9ggJCPaauXVCUjx7Lbdxar"}},"id":"evt_i80J26pxYslnXgBdqXAbYAvn","livemode":false,"object":"event","pending_webhooks":1,"request":{"id":"req_59Q3dx8r4A78WL","idempotency_key":"order-42"},"type":"identity.verification_session.created"}"#;
/// HMAC-SHA256 of `1700000000.` + `PAYLOAD` under `whsec_double_test`,
/// from the Python lines above.
const PYTHON_SIGNATURE: &str = "00f7fe2159acad5c23f6e578a3d19c52bb9f5884ffb4a6df61218cc8da2515d4";
