//! Metadata keys Stripe refuses (empty, or holding `[` or `]`) are refused
//! before anything is sent, so a key cannot change the shape of the form.
//! The error names the parameter; the key is data and stays out of it.
#[path = "client/mod.rs"]
mod common;

use common::{client, received, session_server as server, unchecked_id, SECRET};
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::{Error, VerificationSession};

/// A value that must not show up in any error.
const VALUE: &str = "jenny@example.com";

const BAD_KEYS: [&str; 6] = ["Jenny[b]", "Rosen]", "[", "a][b", "x]&y=1&z[", ""];

/// Personal text in the keys above, which must not show up either.
const IN_KEYS: [&str; 3] = ["Jenny", "Rosen", "&y=1"];

/// Checks a refusal: `InvalidRequest` naming the parameter, not the key,
/// the value or the API key.
fn assert_refused(result: Result<VerificationSession, Error>, key: &str) {
    let err = result.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let text = err.to_string();
    if key.is_empty() {
        assert!(text.contains("empty key"), "{text}");
    } else {
        assert!(text.contains("holds `[` or `]`"), "{text}");
    }
    assert!(text.contains("\"metadata\""), "{text}");
    for output in [text, format!("{err:?}")] {
        assert!(!output.contains(VALUE), "{output}");
        assert!(!output.contains(SECRET), "{output}");
        for personal in IN_KEYS {
            assert!(!output.contains(personal), "{output}");
        }
    }
}

#[tokio::test]
async fn create_refuses_bad_keys_before_sending() {
    let server = server().await;
    let client = client(&server);
    for key in BAD_KEYS {
        let result = VerificationSession::create(CreateVerificationSessionType::Document)
            .metadata("order", "42")
            .metadata(key, VALUE)
            .send(&client)
            .await;
        assert_refused(result, key);
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn update_refuses_bad_keys_set_or_unset_before_sending() {
    let server = server().await;
    let client = client(&server);
    let id = unchecked_id("vs_1");
    for key in BAD_KEYS {
        let set = VerificationSession::update(&id)
            .metadata(key, VALUE)
            .send(&client)
            .await;
        assert_refused(set, key);
        let unset = VerificationSession::update(&id)
            .unset_metadata(key)
            .send(&client)
            .await;
        assert_refused(unset, key);
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn other_keys_are_sent_percent_encoded() {
    let server = server().await;

    VerificationSession::update(&unchecked_id("vs_1"))
        .metadata("order id", "42")
        .metadata("a&b=c", "d")
        .unset_metadata("old")
        .send(&client(&server))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(
        body,
        "metadata[a%26b%3Dc]=d&metadata[old]=&metadata[order+id]=42"
    );
}
