//! The test double as a server: a one-line start, a client pointed at it,
//! nothing left running after drop, authentication as Stripe does it, and
//! forty doubles in parallel that never see each other's objects.

mod double;

use std::time::Duration;

use double::{raw, session};
use stripe_identity::testing::StripeDouble;
use stripe_identity::VerificationSession;

#[tokio::test]
async fn start_gives_a_url_a_client_and_a_secret() {
    let stripe = StripeDouble::start().await;
    assert!(
        stripe.url().starts_with("http://127.0.0.1:"),
        "{}",
        stripe.url()
    );
    assert!(stripe.webhook_secret().starts_with("whsec_"));
    let created = session(&stripe).await;
    let fetched = VerificationSession::retrieve(&created.id)
        .send(stripe.client())
        .await
        .unwrap();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn dropping_the_double_closes_its_port() {
    let stripe = StripeDouble::start().await;
    let address = stripe.url().trim_start_matches("http://").to_owned();
    tokio::net::TcpStream::connect(&address).await.unwrap();
    drop(stripe);
    // The server task is aborted at once; the runtime drops its listener the
    // next time it runs, within a few polls.
    let mut refused = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(&address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(refused, "{address} still accepts connections after drop");
}

#[tokio::test]
async fn missing_malformed_and_live_keys_are_refused_with_401() {
    let stripe = StripeDouble::start().await;
    let path = "/v1/identity/verification_sessions";
    for (authorization, message) in [
        (None, "You did not provide an API key."),
        (Some("Bearer sk_test"), "Invalid API Key provided"),
        (Some("Bearer pk_test_123"), "Invalid API Key provided"),
        (Some("Token sk_test_123"), "Invalid API Key provided"),
        (
            Some("Bearer sk_live_0123456789abcdef"),
            "only accepts test mode keys",
        ),
        (
            Some("Bearer rk_live_0123456789abcdef"),
            "only accepts test mode keys",
        ),
    ] {
        let response = raw(&stripe, "GET", path, "", authorization).await;
        assert_eq!(response.status, 401, "{authorization:?}");
        assert_eq!(response.body["error"]["type"], "invalid_request_error");
        let text = response.body["error"]["message"].as_str().unwrap();
        assert!(
            text.starts_with(message) || text.contains(message),
            "{authorization:?}: {text}"
        );
        assert!(!text.contains("0123456789"), "a key leaked: {text}");
        assert!(response.request_id.starts_with("req_"));
    }
    for key in [
        "Bearer sk_test_123",
        "Bearer rk_test_123",
        "Basic c2tfdGVzdF8xMjM6",
    ] {
        let response = raw(&stripe, "GET", path, "", Some(key)).await;
        assert_eq!(response.status, 200, "{key}: {}", response.body);
    }
}

/// Forty tests' worth of doubles at once, each creating and listing its own
/// sessions: every double sees exactly its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_doubles_in_parallel_do_not_interfere() {
    let tasks = (0..40).map(|i| {
        tokio::spawn(async move {
            let stripe = StripeDouble::builder().seed(i).start().await;
            let mut ids = Vec::new();
            for _ in 0..(i % 3 + 1) {
                ids.push(session(&stripe).await.id);
            }
            let listed = VerificationSession::list()
                .send(stripe.client())
                .await
                .unwrap();
            let mut listed: Vec<_> = listed.data.into_iter().map(|s| s.id).collect();
            listed.reverse();
            assert_eq!(listed, ids, "double {i}");
            // Kept alive to the end, so no port is freed and reused.
            stripe
        })
    });
    let mut doubles = Vec::new();
    for task in tasks {
        doubles.push(task.await.unwrap());
    }
    let mut urls: Vec<&str> = doubles.iter().map(StripeDouble::url).collect();
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), 40);
}
