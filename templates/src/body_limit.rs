//! Reading a response body with a size limit.
//!
//! A body is read chunk by chunk and refused with
//! [`Error::ResponseTooLarge`] as soon as it is known to exceed the limit:
//! up front when its `Content-Length` says so, otherwise when the bytes read
//! so far do. The rest is never read, so a misbehaving server or proxy
//! cannot make the client buffer more than the limit plus one chunk.

use reqwest::StatusCode;

use crate::error::Error;

/// The limit unless
/// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
/// sets another: far above any Identity object or list page (a page of 100
/// expanded sessions is well under 1 MiB), far below what hurts a server.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The response a body belongs to, for the error naming it.
pub(crate) struct BodyContext<'a> {
    pub(crate) limit: usize,
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<&'a str>,
}

impl BodyContext<'_> {
    fn too_large(&self) -> Error {
        Error::ResponseTooLarge {
            limit: self.limit,
            status: self.status.as_u16(),
            request_id: self.request_id.map(str::to_owned),
        }
    }
}

/// Reads the whole body of `response`, refusing it once it exceeds
/// `context.limit` bytes. A failure to read is a [`Error::Network`].
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    context: &BodyContext<'_>,
) -> Result<Vec<u8>, Error> {
    let declared = response.content_length();
    if declared.is_some_and(|length| exceeds(length, context.limit)) {
        return Err(context.too_large());
    }
    // Trust a declared length only as far as the limit for preallocation.
    let capacity = declared.map_or(0, |length| length.min(context.limit as u64) as usize);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(Error::network)? {
        let total = (body.len() as u64).saturating_add(chunk.len() as u64);
        if exceeds(total, context.limit) {
            return Err(context.too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Whether `length` bytes are more than `limit`.
fn exceeds(length: u64, limit: usize) -> bool {
    // `usize` fits in `u64` on every platform Rust supports.
    length > limit as u64
}
