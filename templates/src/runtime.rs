//! The hand-written runtime's public surface, re-exported at the crate root.

pub use crate::client::{Client, ClientBuilder, Method, RequestOptions};
pub use crate::emptyable::Emptyable;
pub use crate::error::{ApiError, Error, InvalidId, ResponseBody};
pub use crate::expandable::{Expandable, Object};
pub use crate::extra_fields::ExtraFields;
pub use crate::list::List;
pub use crate::observe::{AttemptError, AttemptInfo};
pub use crate::pagination::ListStream;
pub use crate::raw::RawRequest;
pub use crate::response::{Response, ResponseHeaders};
pub use crate::telemetry::AppInfo;
pub use crate::webhook::{Webhook, WebhookError};
/// The combinators of a [`ListStream`] (`take`, `filter`, `collect`, ...),
/// re-exported so that using them needs no dependency of your own. Reading
/// one item at a time needs nothing: [`ListStream::next`].
pub use futures_util::stream::StreamExt;

/// A client whose calls block the calling thread, for synchronous code
/// (the `blocking` feature); see [`blocking::Client`].
#[cfg(feature = "blocking")]
pub mod blocking {
    pub use crate::blocking_client::{ApiRequest, Client, Iter, ListRequest};
}
