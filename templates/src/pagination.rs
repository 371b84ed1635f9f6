//! Auto-pagination: walking a list endpoint page after page.
//!
//! The walk follows `has_more` with `starting_after` (or `ending_before`
//! when the caller pages backwards) and always ends. Pages that could make
//! it loop end the stream with [`Error::Pagination`] instead:
//!
//! - a page claims `has_more` but holds no item, so there is no id to
//!   continue from;
//! - the next cursor is the one just used (the page ends with the very item
//!   it was asked to start after, or starts with the one it was asked to end
//!   before);
//! - a page holds an id the walk already yielded (the pages run in a cycle,
//!   or the same item came twice).
//!
//! The items of such a page that were not yielded before still come first,
//! then the error. To tell repeats, the walk remembers the id of every item
//! it yielded: memory grows with the number of items walked (one id string
//! each), which stays small next to the items themselves.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::{decode, Client, Request, RequestOptions};
use crate::error::Error;
use crate::expandable::Object;
use crate::list::List;

const STARTING_AFTER: &str = "starting_after";
const ENDING_BEFORE: &str = "ending_before";

// Lives here rather than in `client.rs` with `execute`: everything about
// walking pages is in this module.
impl Client {
    /// Lists every object of a list endpoint, page after page.
    ///
    /// Fetches a page with `request` (a GET returning a [`List`]), yields its
    /// items one by one, and while `has_more` is true fetches the next page
    /// with the same parameters and `options` plus `starting_after` set to the
    /// last item's id (or, if the request pages backwards with
    /// `ending_before`, that set to the first item's id). Ends after the
    /// first error; pages that would make it loop end it with
    /// [`Error::Pagination`] (see the module docs). A request that could not
    /// be built (`Err`) is the stream's only item.
    #[doc(hidden)]
    pub fn paginate<T>(
        &self,
        request: Result<Request, Error>,
        options: &RequestOptions,
    ) -> ListStream<T>
    where
        T: Object + DeserializeOwned + Send + 'static,
    {
        let request = match request {
            Ok(request) => request,
            Err(err) => return ListStream::new(stream::iter([Err(err)]).boxed()),
        };
        let first = Cursor::new(self.clone(), request, options.clone());
        let items = stream::unfold(Some(first), |state| async move {
            let mut cursor = state?;
            let (items, more) = cursor.next_page::<T>().await;
            Some((items, more.then_some(cursor)))
        })
        .flat_map(stream::iter);
        ListStream::new(items.boxed())
    }
}

/// Every item of a list endpoint, page after page, fetched lazily: what a
/// list request's `paginate` returns.
///
/// Read it with its own [`next`](ListStream::next), no import or pinning
/// needed:
///
/// ```no_run
/// # async fn run(client: &stripe_identity::Client) -> Result<(), stripe_identity::Error> {
/// use stripe_identity::VerificationSession;
///
/// let mut sessions = VerificationSession::list().limit(100).paginate(client);
/// while let Some(session) = sessions.next().await {
///     println!("{}", session?.id);
/// }
/// # Ok(())
/// # }
/// ```
///
/// It is also a [`Stream`] (and `Unpin`), for the combinators of
/// [`StreamExt`](crate::StreamExt), re-exported by this crate. A page that
/// fails to load ends the stream with its error, after the items before it.
#[must_use = "a stream does nothing until it is read"]
pub struct ListStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> ListStream<T> {
    fn new(inner: BoxStream<'static, Result<T, Error>>) -> Self {
        ListStream { inner }
    }

    /// The next item, fetching the next page when this one is used up;
    /// `None` once the listing is over (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }
}

impl<T> Stream for ListStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListStream").finish_non_exhaustive()
    }
}

/// Where [`Client::paginate`] is: the request for the next page, and what
/// the walk has yielded so far.
struct Cursor {
    client: Client,
    request: Request,
    options: RequestOptions,
    /// The cursor parameter: `ending_before` if the caller pages backwards,
    /// else `starting_after`.
    key: &'static str,
    /// The id of every item yielded so far.
    seen: HashSet<String>,
}

impl Cursor {
    fn new(client: Client, request: Request, options: RequestOptions) -> Self {
        let backwards = request.params.iter().any(|(k, _)| k == ENDING_BEFORE);
        Cursor {
            client,
            request,
            options,
            key: if backwards {
                ENDING_BEFORE
            } else {
                STARTING_AFTER
            },
            seen: HashSet::new(),
        }
    }

    /// Fetches the page this cursor points at and turns it into stream
    /// items; moves the cursor on and returns `true` if another page should
    /// be fetched.
    async fn next_page<T>(&mut self) -> (Vec<Result<T, Error>>, bool)
    where
        T: Object + DeserializeOwned,
    {
        let (page, request_id) = match self.fetch::<T>().await {
            Ok(fetched) => fetched,
            Err(err) => return (vec![Err(err)], false),
        };
        let boundary = self.boundary(&page.data);
        let (new, repeated) = self.keep_new(page.data);
        let mut items: Vec<Result<T, Error>> = new.into_iter().map(Ok).collect();
        match self.next_cursor(page.has_more, boundary, repeated) {
            Ok(Some(next)) => {
                self.point_at(next);
                (items, true)
            }
            Ok(None) => (items, false),
            Err(reason) => {
                items.push(Err(Error::Pagination { reason, request_id }));
                (items, false)
            }
        }
    }

    /// The page and the `Request-Id` it came with.
    async fn fetch<T: DeserializeOwned>(&self) -> Result<(List<T>, Option<String>), Error> {
        let response = self
            .client
            .send_request(&self.request, &self.options)
            .await?;
        let page = decode(&response)?;
        Ok((page, response.request_id))
    }

    /// The id the next page would continue from: the last item's, or the
    /// first's when paging backwards.
    fn boundary<T: Object>(&self, data: &[T]) -> Option<String> {
        let item = if self.key == ENDING_BEFORE {
            data.first()
        } else {
            data.last()
        };
        item.map(|item| item.id().as_ref().to_owned())
    }

    /// The items not yielded before, in order (now remembered as yielded),
    /// and the first id that was.
    fn keep_new<T: Object>(&mut self, data: Vec<T>) -> (Vec<T>, Option<String>) {
        let mut repeated = None;
        let mut new = Vec::with_capacity(data.len());
        for item in data {
            let id = item.id().as_ref();
            if self.seen.insert(id.to_owned()) {
                new.push(item);
            } else if repeated.is_none() {
                repeated = Some(id.to_owned());
            }
        }
        (new, repeated)
    }

    /// The next cursor (`None` after the last page), or why the walk must
    /// stop. Reasons name ids only, never other content of the page.
    fn next_cursor(
        &self,
        has_more: bool,
        boundary: Option<String>,
        repeated: Option<String>,
    ) -> Result<Option<String>, String> {
        if has_more {
            match &boundary {
                None => return Err("Stripe returned has_more with an empty page".to_owned()),
                Some(id) if Some(id.as_str()) == self.current() => {
                    return Err(format!(
                        "the next cursor would not advance: {}={id} was just used",
                        self.key
                    ))
                }
                Some(_) => {}
            }
        }
        if let Some(id) = repeated {
            return Err(format!(
                "Stripe returned {id} again, an item this listing already yielded \
                 (the pages run in a cycle)"
            ));
        }
        Ok(if has_more { boundary } else { None })
    }

    /// The cursor value of the request this cursor points at, if any.
    fn current(&self) -> Option<&str> {
        let found = self.request.params.iter().find(|(k, _)| k == self.key);
        found.map(|(_, v)| v.as_str())
    }

    /// Points the request at the page continuing from `id`, replacing any
    /// cursor the caller gave.
    fn point_at(&mut self, id: String) {
        let key = self.key;
        self.request.params.retain(|(k, _)| k != key);
        self.request.params.push((key.to_owned(), id));
    }
}
