//! Telling a response that is not Stripe's JSON from one that is.
//!
//! Stripe answers every request with a JSON body (`application/json`). Other
//! answers come from elsewhere: a redirect (the client follows none, so a
//! base URL such as `http://api.stripe.com` ends here), an HTML error page
//! from a proxy or load balancer (a 502), an empty body. Reporting those as
//! a JSON decoding error at `.` hides what happened, so they get their own
//! error, [`Error::NotJson`], with the status and the content type.

use reqwest::header::CONTENT_TYPE;

use crate::error::{Error, ResponseBody};
use crate::retry::RawResponse;

/// The longest content type an error quotes.
const MAX_CONTENT_TYPE: usize = 64;

/// Refuses a response that is not a Stripe JSON body: a redirect or other
/// non-final status, a content type other than JSON, or, without a content
/// type, a body that does not start like a JSON object or array.
pub(crate) fn check(response: &RawResponse) -> Result<(), Error> {
    let content_type = media_type(response);
    let declared_json = content_type.as_deref().map(is_json);
    let is_json = match declared_json {
        Some(declared) => declared,
        None => starts_like_json(&response.body),
    };
    let final_status = !(response.status.is_redirection() || response.status.is_informational());
    if is_json && final_status {
        return Ok(());
    }
    Err(Error::NotJson {
        status: response.status.as_u16(),
        content_type,
        request_id: response.request_id.clone(),
        body: ResponseBody::new(response.body.clone()),
    })
}

/// The media type of the `Content-Type` header (`text/html`), without its
/// parameters, lowercased and cut short, if the header is there and text.
fn media_type(response: &RawResponse) -> Option<String> {
    let value = response.headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let media = value.split(';').next().unwrap_or_default().trim();
    let cut: String = media.chars().take(MAX_CONTENT_TYPE).collect();
    Some(cut.to_ascii_lowercase())
}

/// `application/json`, or a `+json` type such as `application/problem+json`.
fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// Whether a body without a content type starts like a JSON object or
/// array, the only bodies Stripe sends.
fn starts_like_json(body: &[u8]) -> bool {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'{' | b'['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        for json in ["application/json", "application/problem+json"] {
            assert!(is_json(json), "{json}");
        }
        for other in ["text/html", "text/plain", "application/jsonp", ""] {
            assert!(!is_json(other), "{other}");
        }
    }

    #[test]
    fn bodies_that_start_like_json() {
        assert!(starts_like_json(b" \n{\"a\":1}"));
        assert!(starts_like_json(b"[]"));
        for other in [&b""[..], b"<html>", b"Bad Gateway", b"\"text\""] {
            assert!(!starts_like_json(other), "{other:?}");
        }
    }
}
