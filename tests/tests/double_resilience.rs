//! Idempotency and faults on the test double, as Stripe has them: a POST
//! repeated with its `Idempotency-Key` replays the first response, the key
//! reused with other parameters is a 400 `idempotency_error`, and injected
//! failures followed by the client's retries create the object exactly once.

mod double;

use double::call;
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::testing::{Fault, StripeDouble};
use stripe_identity::{Error, RequestOptions, VerificationSession};

const SESSIONS: &str = "/v1/identity/verification_sessions";

fn create() -> stripe_identity::verification_session::CreateVerificationSession {
    VerificationSession::create(CreateVerificationSessionType::Document)
}

async fn session_count(stripe: &StripeDouble) -> usize {
    VerificationSession::list()
        .send(stripe.client())
        .await
        .unwrap()
        .data
        .len()
}

#[tokio::test]
async fn a_repeated_key_replays_the_first_response() {
    let stripe = StripeDouble::start().await;
    let options = RequestOptions::new().idempotency_key("order-42");
    let first = create()
        .send_response_with(stripe.client(), &options)
        .await
        .unwrap();
    let again = create()
        .send_response_with(stripe.client(), &options)
        .await
        .unwrap();
    assert!(first.headers().get("idempotent-replayed").is_none());
    assert_eq!(again.headers().get("idempotent-replayed"), Some("true"));
    assert_eq!(again.request_id(), first.request_id());
    assert_eq!(again.value(), first.value());
    assert_eq!(session_count(&stripe).await, 1);
    stripe.settled().await;
    assert_eq!(stripe.events().len(), 1, "one created event");
    let replayed: Vec<bool> = stripe.requests().iter().map(|r| r.replayed).collect();
    assert_eq!(replayed[..2], [false, true]);
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let stripe = StripeDouble::start().await;
    let options = RequestOptions::new().idempotency_key("order-43");
    create().send_with(stripe.client(), &options).await.unwrap();
    let other = VerificationSession::create(CreateVerificationSessionType::IdNumber)
        .send_with(stripe.client(), &options)
        .await;
    let Err(Error::Api(error)) = other else {
        panic!("expected a refusal: {other:?}");
    };
    assert_eq!(error.status, 400);
    assert_eq!(error.error.type_.as_str(), "idempotency_error");
    assert_eq!(
        error.error.message.as_deref(),
        Some(
            "Keys for idempotent requests can only be used with the same parameters they were \
             first used with. Try using a key other than 'order-43' if you meant to execute a \
             different request."
        )
    );
    // Another endpoint with the same key.
    let created = VerificationSession::list()
        .send(stripe.client())
        .await
        .unwrap()
        .data[0]
        .id
        .clone();
    let canceled = VerificationSession::cancel(&created)
        .send_with(stripe.client(), &options)
        .await;
    let Err(Error::Api(error)) = canceled else {
        panic!("expected a refusal: {canceled:?}");
    };
    assert_eq!(error.error.type_.as_str(), "idempotency_error");
    assert!(error.error.message.unwrap().contains("same endpoint"));
    assert_eq!(session_count(&stripe).await, 1);
}

#[tokio::test]
async fn a_refusal_before_the_handler_is_not_saved() {
    let stripe = StripeDouble::start().await;
    let key = "Bearer sk_test_123";
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let post = |body: &'static str| {
        client
            .post(format!("{}{SESSIONS}", stripe.url()))
            .header("authorization", key)
            .header("idempotency-key", "retry-me")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // An invalid request, then the same key with the request fixed: Stripe
    // saves no result for a request that failed validation.
    assert_eq!(post("type=passport").await.unwrap().status(), 400);
    assert_eq!(post("type=document").await.unwrap().status(), 200);
    assert_eq!(session_count(&stripe).await, 1);
}

#[tokio::test]
async fn server_errors_then_retries_create_exactly_once() {
    let stripe = StripeDouble::start().await;
    stripe.fail_next(2, Fault::ServerError);
    let created = create().send(stripe.client()).await.unwrap();
    let requests = stripe.requests();
    let statuses: Vec<Option<u16>> = requests.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    // Every attempt carried the one key the client made for the call.
    assert!(requests
        .iter()
        .all(|r| r.idempotency_key == requests[0].idempotency_key));
    assert_eq!(session_count(&stripe).await, 1);
    stripe.settled().await;
    assert_eq!(stripe.events().len(), 1);
    assert_eq!(
        VerificationSession::retrieve(&created.id)
            .send(stripe.client())
            .await
            .unwrap(),
        created
    );
}

#[tokio::test]
async fn rate_limits_say_retry_and_retries_create_exactly_once() {
    let stripe = StripeDouble::start().await;
    stripe.fail_next(1, Fault::RateLimited);
    let response = call(&stripe, "GET", SESSIONS, "").await;
    assert_eq!(response.status, 429);
    assert_eq!(response.headers["stripe-should-retry"], "true");
    assert_eq!(response.body["error"]["code"], "rate_limit");
    assert_eq!(response.body["error"]["type"], "invalid_request_error");
    stripe.fail_next(2, Fault::RateLimited);
    create().send(stripe.client()).await.unwrap();
    assert_eq!(session_count(&stripe).await, 1);
}

#[tokio::test]
async fn dropped_connections_then_retries_create_exactly_once() {
    let stripe = StripeDouble::start().await;
    stripe.fail_next(2, Fault::DropConnection);
    create().send(stripe.client()).await.unwrap();
    let statuses: Vec<Option<u16>> = stripe.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [None, None, Some(200)]);
    assert_eq!(session_count(&stripe).await, 1);
}

#[tokio::test]
async fn faults_past_the_retries_reach_the_caller_and_create_nothing() {
    let stripe = StripeDouble::start().await;
    stripe.fail_next(3, Fault::ServerError);
    let failed = create().send(stripe.client()).await;
    let Err(Error::Api(error)) = failed else {
        panic!("expected the last 500: {failed:?}");
    };
    assert_eq!(
        (error.status, error.error.type_.as_str()),
        (500, "api_error")
    );
    assert_eq!(session_count(&stripe).await, 0);
    stripe.fail_next(5, Fault::ServerError);
    stripe.clear_faults();
    create().send(stripe.client()).await.unwrap();
}
