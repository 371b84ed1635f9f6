//! Authentication as Stripe does it: a secret key in `Authorization`, as
//! `Bearer <key>` or as the user name of Basic auth (`curl -u sk_test_...:`).
//!
//! Any well-formed test key (`sk_test_…`, `rk_test_…`) is accepted, not only
//! the double's own. A missing or malformed key is a 401 with Stripe's
//! message; a live key (`sk_live_…`, `rk_live_…`) is a 401 saying the
//! double only takes test keys, so a live key in a test is caught at once.
//! No message ever contains a whole key.

use base64::Engine;

use super::errors::ApiFailure;

const TEST_PREFIXES: [&str; 2] = ["sk_test_", "rk_test_"];
const LIVE_PREFIXES: [&str; 2] = ["sk_live_", "rk_live_"];

/// Stripe's answer to a request without a key.
const NO_KEY: &str = "You did not provide an API key. You need to provide your API key in the \
    Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). \
    See https://stripe.com/docs/api#authentication for details, or we can help at \
    https://support.stripe.com/.";

/// Checks the `Authorization` header of a request.
pub(crate) fn check(authorization: Option<&str>) -> Result<(), ApiFailure> {
    let header = authorization.map(str::trim).filter(|h| !h.is_empty());
    let Some(header) = header else {
        return Err(unauthorized(NO_KEY.to_owned()));
    };
    let key = key_of(header).ok_or_else(|| {
        unauthorized(
            "Invalid API Key provided: the Authorization header is not Bearer or Basic auth."
                .to_owned(),
        )
    })?;
    if LIVE_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return Err(unauthorized(format!(
            "Invalid API Key provided: {}. This Stripe test double only accepts test mode keys \
             (sk_test_... or rk_test_...); it refuses live mode keys so that a live key never \
             ends up in a test.",
            masked(&key)
        )));
    }
    let well_formed = TEST_PREFIXES
        .iter()
        .find_map(|p| key.strip_prefix(p))
        .is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    if !well_formed {
        return Err(unauthorized(format!(
            "Invalid API Key provided: {}",
            masked(&key)
        )));
    }
    Ok(())
}

/// The key in a `Bearer` or `Basic` header.
fn key_of(header: &str) -> Option<String> {
    let (scheme, credentials) = header.split_once(' ')?;
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(credentials.to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let user = text.split_once(':').map_or(text.as_str(), |(user, _)| user);
        return Some(user.to_owned());
    }
    None
}

/// A key as Stripe shows it in errors: its mode prefix and last four
/// characters, the rest starred.
fn masked(key: &str) -> String {
    let prefix = TEST_PREFIXES
        .iter()
        .chain(&LIVE_PREFIXES)
        .find(|p| key.starts_with(**p))
        .copied()
        .unwrap_or("");
    let rest = &key[prefix.len()..];
    let chars: Vec<char> = rest.chars().collect();
    if chars.len() <= 8 {
        return format!("{prefix}{}", "*".repeat(chars.len()));
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}{}{tail}", "*".repeat(chars.len() - 4))
}

fn unauthorized(message: String) -> ApiFailure {
    ApiFailure::invalid(message).status(401)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_keys_are_accepted_in_both_forms() {
        assert!(check(Some("Bearer sk_test_123")).is_ok());
        assert!(check(Some("Bearer rk_test_abc_DEF")).is_ok());
        // `sk_test_123:` in base64, as curl -u sends it.
        assert!(check(Some("Basic c2tfdGVzdF8xMjM6")).is_ok());
    }

    #[test]
    fn missing_malformed_and_live_keys_are_401() {
        for header in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Token sk_test_1"),
            Some("Bearer sk_test_"),
            Some("Bearer pk_test_123"),
            Some("Bearer sk_test_a b"),
        ] {
            let err = check(header).unwrap_err();
            assert_eq!(
                (err.status, err.kind),
                (401, "invalid_request_error"),
                "{header:?}"
            );
        }
        let err = check(Some("Bearer sk_live_0123456789abcdef")).unwrap_err();
        assert_eq!(err.status, 401);
        assert!(
            err.message.contains("only accepts test mode keys"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("sk_live_************cdef"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("0123456789"), "{}", err.message);
    }
}
