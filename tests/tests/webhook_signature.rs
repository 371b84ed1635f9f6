//! Webhook signature verification against test vectors computed by an
//! independent HMAC implementation (OpenSSL), never by the code under test.
//!
//! Every expected signature below was computed once with OpenSSL 3.0 and
//! pasted in, with `t=1700000000`:
//!
//! ```sh
//! printf '%s' "1700000000.$body" | openssl dgst -sha256 -hmac "$secret"
//! ```
//!
//! where `$body` and `$secret` are the constants named next to each vector.

use std::time::Duration;

use stripe_identity::{Webhook, WebhookError};

/// The endpoint secret the vectors are signed with.
const SECRET: &str = "whsec_test_secret_1";
/// Another endpoint's secret (or the secret before a rotation).
const OLD_SECRET: &str = "whsec_old_secret_0";

/// The signed timestamp, exactly as it appears in every header.
const T: i64 = 1_700_000_000;

const BODY: &str =
    r#"{"id":"evt_1","object":"event","type":"identity.verification_session.verified"}"#;
/// A body with multibyte UTF-8 characters (2-, 3- and 3-byte sequences).
const BODY_UTF8: &str = r#"{"id":"evt_2","object":"event","data":{"object":{"last_error":{"reason":"Größe ungültig — 身份证"}}}}"#;
const BODY_NOT_JSON: &str = "not json";
const BODY_BAD_ID: &str = r#"{"id":1}"#;

/// `printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac "whsec_test_secret_1"`
const SIG: &str = "e21d7bdd565721e0442da60b29dbf6d4b918b03ba39cf41b9286508fff483952";
/// `printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac "whsec_old_secret_0"`
const SIG_OLD_SECRET: &str = "6ee3f591066ba35c78d4ebeb92f3232226b0c34e6030ae26a321decf0e51084a";
/// `printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac ""` (empty key)
const SIG_EMPTY_KEY: &str = "696aa491fafa94e7c6620cb553d852dfccbc5475122b99b183b3170a6ca63974";
/// `printf '%s' "1700000000.$BODY_UTF8" | openssl dgst -sha256 -hmac "whsec_test_secret_1"`
const SIG_UTF8: &str = "412b2663a7767cb1f3e8cc8a9b0089c5d0bdb00be06e54bd0f5a867f574e3fab";
/// `printf '%s' "1700000000.not json" | openssl dgst -sha256 -hmac "whsec_test_secret_1"`
const SIG_NOT_JSON: &str = "44c6399491a4664ffbe1bb2d364c217a1963f10f3773255be39ec267d74fc84f";
/// `printf '%s' '1700000000.{"id":1}' | openssl dgst -sha256 -hmac "whsec_test_secret_1"`
const SIG_BAD_ID: &str = "62ea1bba8ffa2d0da19d7620fae43d139fcc61af299522d29e5cb86dbd3bccc1";

/// A header for the signed timestamp with the given signatures.
fn header(signatures: &str) -> String {
    format!("t={T},{signatures}")
}

/// Verifies `body` against `header` 10 seconds after it was signed.
fn verify(webhook: &Webhook, body: &str, header: &str) -> Result<(), WebhookError> {
    webhook.verify_at(body.as_bytes(), header, T + 10)
}

fn webhook() -> Webhook {
    Webhook::new(SECRET)
}

#[test]
fn valid_signature_is_accepted() {
    assert!(verify(&webhook(), BODY, &header(&format!("v1={SIG}"))).is_ok());
}

#[test]
fn any_matching_v1_is_enough() {
    let two = header(&format!("v1={SIG_OLD_SECRET},v1={SIG}"));
    assert!(verify(&webhook(), BODY, &two).is_ok());
}

#[test]
fn v0_and_unknown_schemes_are_ignored() {
    let result = verify(&webhook(), BODY, &header(&format!("v0={SIG}")));
    assert!(
        matches!(result, Err(WebhookError::NoV1Signature)),
        "{result:?}"
    );
    let result = verify(&webhook(), BODY, &header(&format!("v2={SIG},v0={SIG}")));
    assert!(
        matches!(result, Err(WebhookError::NoV1Signature)),
        "{result:?}"
    );
    // Next to a valid v1 they change nothing.
    let mixed = header(&format!("v0=00,v1={SIG},v9=zz"));
    assert!(verify(&webhook(), BODY, &mixed).is_ok());
}

#[test]
fn changed_body_does_not_match() {
    let good = header(&format!("v1={SIG}"));
    let one_byte = BODY.replace("evt_1", "evt_2");
    assert_eq!(one_byte.len(), BODY.len());
    for body in [one_byte, format!("{BODY}\n")] {
        let result = verify(&webhook(), &body, &good);
        assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
    }
}

#[test]
fn wrong_secret_does_not_match() {
    let result = verify(
        &Webhook::new(OLD_SECRET),
        BODY,
        &header(&format!("v1={SIG}")),
    );
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
}

#[test]
fn default_tolerance_is_five_minutes_in_both_directions() {
    let good = header(&format!("v1={SIG}"));
    let at = |now| webhook().verify_at(BODY.as_bytes(), &good, now);
    assert_eq!(Webhook::DEFAULT_TOLERANCE, Duration::from_secs(300));

    assert!(at(T + 200).is_ok());
    assert!(at(T + 300).is_ok());
    let result = at(T + 400);
    assert!(
        matches!(
            result,
            Err(WebhookError::Timestamp {
                timestamp: T,
                now,
                tolerance_secs: 300
            }) if now == T + 400
        ),
        "{result:?}"
    );
    // Signed an hour "in the future" (the receiver's clock is behind).
    let result = at(T - 3_600);
    assert!(
        matches!(result, Err(WebhookError::Timestamp { timestamp: T, .. })),
        "{result:?}"
    );
}

#[test]
fn custom_tolerance() {
    let good = header(&format!("v1={SIG}"));
    let strict = webhook().tolerance(Duration::from_secs(60));
    assert!(strict.verify_at(BODY.as_bytes(), &good, T + 60).is_ok());
    let result = strict.verify_at(BODY.as_bytes(), &good, T + 61);
    assert!(
        matches!(
            result,
            Err(WebhookError::Timestamp {
                tolerance_secs: 60,
                ..
            })
        ),
        "{result:?}"
    );
    let lenient = webhook().tolerance(Duration::from_secs(3_600));
    assert!(lenient.verify_at(BODY.as_bytes(), &good, T + 400).is_ok());
}

#[test]
fn system_clock_refuses_an_old_delivery() {
    // Signed in November 2023, so far outside the tolerance today.
    let result = webhook().verify(BODY.as_bytes(), &header(&format!("v1={SIG}")));
    assert!(
        matches!(result, Err(WebhookError::Timestamp { timestamp: T, .. })),
        "{result:?}"
    );
}

#[test]
fn timestamp_changed_after_signing_does_not_match() {
    let moved = format!("t={},v1={SIG}", T + 5);
    // Within the tolerance either way: the signature is what fails.
    let result = webhook().verify_at(BODY.as_bytes(), &moved, T + 5);
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
    // The signature is checked first: a stale, tampered delivery is NoMatch.
    let result = webhook().verify_at(BODY.as_bytes(), &moved, T + 10_000);
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
    // A re-written timestamp with the same value (leading zero) is other text.
    let padded = format!("t=0{T},v1={SIG}");
    let result = verify(&webhook(), BODY, &padded);
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
}

#[test]
fn unreadable_headers_are_refused() {
    let sig = format!("v1={SIG}");
    for bad in [
        String::new(),
        "   ".to_owned(),
        "garbage".to_owned(),
        ",,,".to_owned(),
        sig.clone(),
        format!("t=abc,{sig}"),
        format!("t=,{sig}"),
        format!("t=-{T},{sig}"),
        format!("t={T},t={T},{sig}"),
        format!("t={T},{sig},"),
        format!("t={T};{sig}"),
    ] {
        let result = verify(&webhook(), BODY, &bad);
        assert!(
            matches!(result, Err(WebhookError::Header { .. })),
            "{bad:?}: {result:?}"
        );
    }
}

/// A web framework handed over the wrong header (the API key of an
/// `Authorization` header, a cookie holding an email): the error says what is
/// wrong with it, and logging that error leaks none of it.
#[test]
fn header_errors_never_repeat_the_header() {
    let secrets = ["sk_live_51Hx9Zq", "jenny.rosen@example.com", "1990-01-01"];
    for bad in [
        format!("Bearer {}", secrets[0]),
        format!("t={T},session={};{}", secrets[1], secrets[2]),
        format!("t={T},v1={}", secrets[1]),
        format!("t={}", secrets[2]),
        format!("{},t={T}", secrets[1]),
    ] {
        let error = verify(&webhook(), BODY, &bad).unwrap_err();
        let shown = format!("{error} {error:?} {error:#?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret:?} in {shown}");
        }
        if let WebhookError::Header { reason } = &error {
            assert!(reason.contains("characters)"), "{reason}");
        }
    }
    // The unreadable item and the timestamp are named by position and length.
    let error = verify(&webhook(), BODY, &format!("Bearer {}", secrets[0])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unreadable Stripe-Signature header: item 1 (22 characters) is not `key=value`"
    );
}

#[test]
fn whitespace_around_items_is_ignored() {
    let spaced = format!(" t = {T} , v1 = {SIG} ");
    assert!(verify(&webhook(), BODY, &spaced).is_ok());
}

#[test]
fn only_lowercase_full_length_hex_matches() {
    for sig in [
        SIG.to_uppercase(),
        SIG[..63].to_owned(),
        SIG[..32].to_owned(),
        format!("{SIG}00"),
        String::new(),
    ] {
        let result = verify(&webhook(), BODY, &header(&format!("v1={sig}")));
        assert!(
            matches!(result, Err(WebhookError::NoMatch)),
            "{sig:?}: {result:?}"
        );
    }
}

#[test]
fn multibyte_utf8_body() {
    assert!(!BODY_UTF8.is_ascii());
    let good = header(&format!("v1={SIG_UTF8}"));
    assert!(verify(&webhook(), BODY_UTF8, &good).is_ok());
    let event: serde_json::Value = webhook()
        .construct_at(BODY_UTF8.as_bytes(), &good, T)
        .unwrap();
    assert_eq!(
        event["data"]["object"]["last_error"]["reason"],
        "Größe ungültig — 身份证"
    );
}

#[test]
fn rotation_accepts_either_secret() {
    let new_sig = header(&format!("v1={SIG}"));
    let old_sig = header(&format!("v1={SIG_OLD_SECRET}"));
    for webhook in [
        Webhook::new(OLD_SECRET).secret(SECRET),
        Webhook::new(SECRET).secret(OLD_SECRET),
    ] {
        assert!(verify(&webhook, BODY, &new_sig).is_ok(), "{webhook:?}");
        assert!(verify(&webhook, BODY, &old_sig).is_ok(), "{webhook:?}");
    }
    let result = verify(&Webhook::new(SECRET), BODY, &old_sig);
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
}

#[test]
fn empty_secret_is_a_configuration_error_not_a_mismatch() {
    // Anyone can compute an HMAC with an empty key, so an empty (unset)
    // secret must not accept one; and the error must say the secret is
    // missing, not send the user hunting for a signing bug.
    for webhook in [Webhook::new(""), Webhook::new("").secret("")] {
        assert!(!webhook.has_secret());
        let result = verify(&webhook, BODY, &header(&format!("v1={SIG_EMPTY_KEY}")));
        let err = result.expect_err("refused");
        assert!(matches!(err, WebhookError::NoSecret), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("secret"), "{text}");
        assert!(text.contains("empty"), "{text}");
        // Whatever the header holds: nothing was checked.
        assert!(matches!(
            verify(&webhook, BODY, "garbage"),
            Err(WebhookError::NoSecret)
        ));
    }
    // Next to a real secret it changes nothing, in either order.
    for both in [
        Webhook::new("").secret(SECRET),
        Webhook::new(SECRET).secret(""),
    ] {
        assert!(both.has_secret());
        assert!(verify(&both, BODY, &header(&format!("v1={SIG}"))).is_ok());
        let refused = verify(&both, BODY, &header(&format!("v1={SIG_EMPTY_KEY}")));
        assert!(matches!(refused, Err(WebhookError::NoMatch)), "{refused:?}");
        // `Debug` tells an empty secret from a set one, and shows neither.
        let debug = format!("{both:?}");
        assert!(
            debug.contains("[empty]") && debug.contains("[redacted]"),
            "{debug}"
        );
        assert!(!debug.contains(SECRET), "{debug}");
    }
}

#[derive(Debug, serde::Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    type_: String,
}

#[test]
fn construct_decodes_a_verified_body() {
    let event: Event = webhook()
        .construct_at(BODY.as_bytes(), &header(&format!("v1={SIG}")), T)
        .unwrap();
    assert_eq!(event.id, "evt_1");
    assert_eq!(
        event.type_.as_str(),
        "identity.verification_session.verified"
    );
}

#[test]
fn construct_verifies_before_decoding() {
    let result =
        webhook().construct_at::<serde_json::Value>(b"not json", &header(&format!("v1={SIG}")), T);
    assert!(matches!(result, Err(WebhookError::NoMatch)), "{result:?}");
}

#[test]
fn construct_of_a_signed_non_json_body_is_not_an_event() {
    let good = header(&format!("v1={SIG_NOT_JSON}"));
    assert!(verify(&webhook(), BODY_NOT_JSON, &good).is_ok());
    let result = webhook().construct_at::<serde_json::Value>(BODY_NOT_JSON.as_bytes(), &good, T);
    assert!(
        matches!(&result, Err(WebhookError::NotAnEvent { path, .. }) if path == "."),
        "{result:?}"
    );
}

#[test]
fn construct_names_the_path_that_failed() {
    let good = header(&format!("v1={SIG_BAD_ID}"));
    let result = webhook().construct_at::<Event>(BODY_BAD_ID.as_bytes(), &good, T);
    assert!(
        matches!(&result, Err(WebhookError::NotAnEvent { path, .. }) if path == "id"),
        "{result:?}"
    );
}

#[test]
fn secrets_never_show_up_in_output() {
    let webhook = Webhook::new(SECRET).secret(OLD_SECRET);
    let debug = format!("{webhook:?}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(
        debug.contains("300s"),
        "other settings stay visible: {debug}"
    );

    let good = header(&format!("v1={SIG}"));
    let errors = [
        webhook.verify_at(BODY.as_bytes(), "garbage", T),
        webhook.verify_at(BODY.as_bytes(), &format!("t=abc,v1={SIG}"), T),
        webhook.verify_at(BODY.as_bytes(), &header(&format!("v0={SIG}")), T),
        webhook.verify_at(b"{}", &good, T),
        webhook.verify_at(BODY.as_bytes(), &good, T + 400),
        webhook
            .construct_at::<serde_json::Value>(
                BODY_NOT_JSON.as_bytes(),
                &header(&format!("v1={SIG_NOT_JSON}")),
                T,
            )
            .map(drop),
    ];
    let mut texts = vec![debug];
    for result in errors {
        let err = result.expect_err("every case fails");
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    assert_eq!(texts.len(), 13);
    for text in texts {
        for secret in [SECRET, OLD_SECRET, "test_secret", "old_secret"] {
            assert!(!text.contains(secret), "{secret} leaks: {text}");
        }
    }
}

/// A signed Identity event whose session has a string `created`.
const BODY_BROKEN_EVENT: &str = r#"{"id":"evt_1","object":"event","created":1700000000,"livemode":false,"pending_webhooks":1,"type":"identity.verification_session.verified","data":{"object":{"id":"vs_1","object":"identity.verification_session","created":"yesterday","livemode":false,"metadata":{},"status":"verified"}}}"#;
/// `printf '%s' "1700000000.$BODY_BROKEN_EVENT" | openssl dgst -sha256 -hmac whsec_test_secret_1`
const SIG_BROKEN_EVENT: &str = "99f280a867c21b9ab9eca13d11f112215f31533081fd14b6005036506c34c288";
/// The same event with a valid session.
const BODY_EVENT: &str = r#"{"id":"evt_2","object":"event","created":1700000000,"livemode":false,"pending_webhooks":1,"type":"identity.verification_session.verified","data":{"object":{"id":"vs_1","object":"identity.verification_session","created":1700000000,"livemode":false,"metadata":{},"status":"verified"}}}"#;
/// `printf '%s' "1700000000.$BODY_EVENT" | openssl dgst -sha256 -hmac whsec_test_secret_1`
const SIG_EVENT: &str = "28affc01927e4f8fefbf942807357336a532a175d6db7494a41c8fa9815425bb";

#[test]
fn construct_event_decodes_a_signed_identity_event() {
    let event = webhook()
        .construct_event_at(
            BODY_EVENT.as_bytes(),
            &header(&format!("v1={SIG_EVENT}")),
            T,
        )
        .unwrap();
    assert_eq!(event.id.as_str(), "evt_2");
    let stripe_identity::EventPayload::VerificationSessionVerified(session) = &event.data.object
    else {
        panic!("decoded as {:?}", event.data.object);
    };
    assert_eq!(session.id.as_str(), "vs_1");
}

#[test]
fn a_signed_event_with_a_broken_object_names_the_path_inside_it() {
    let header = header(&format!("v1={SIG_BROKEN_EVENT}"));
    match webhook().construct_event_at(BODY_BROKEN_EVENT.as_bytes(), &header, T) {
        Err(WebhookError::NotAnEvent { path, message, .. }) => {
            assert_eq!(path, "data.object.created");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected NotAnEvent, got {other:?}"),
    }
}
