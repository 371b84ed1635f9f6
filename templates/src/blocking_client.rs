//! The blocking client (the `blocking` feature): the async client run on a
//! thread of its own.
//!
//! A blocking wrapper that calls `Runtime::block_on` on the caller's thread
//! panics when it is used or dropped inside an async runtime ("Cannot
//! start a runtime from within a runtime", "Cannot drop a runtime in a
//! context where blocking is not allowed"). Like `reqwest::blocking`, this
//! client instead starts one thread with a single-threaded tokio runtime
//! when it is built. Each call is sent there as a task, and the caller
//! waits on a plain channel, which is allowed anywhere; the runtime is
//! created, used and dropped on its own thread only. Its tasks run the
//! async client's own code path (`Client::execute`), so retries,
//! idempotency keys, limits, hooks and tracing are the same code, not a
//! copy.
//!
//! Generated request types implement [`ApiRequest`] (and list requests
//! [`ListRequest`]) when the feature is on: one short trait impl per
//! request type, so the blocking client sends any of them with generic
//! methods instead of the generator emitting a blocking twin of every
//! `send` method, and a default build compiles none of it.

#![cfg(feature = "blocking")]

use std::fmt;
use std::future::Future;
use std::iter::FusedIterator;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{mpsc as std_mpsc, Arc};
use std::thread;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use crate::builder::ClientBuilder;
use crate::client::{Request, RequestOptions};
use crate::error::Error;
use crate::expandable::Object;
use crate::pagination::ListStream;
use crate::raw::RawRequest;
use crate::response::Response;

/// A request the blocking [`Client`] can send: implemented by every request
/// type of this crate (with the `blocking` feature), not meant to be
/// implemented elsewhere.
pub trait ApiRequest {
    /// What a successful response decodes into.
    type Output: DeserializeOwned + Send + 'static;

    /// The request as the client sends it, or why it cannot be sent.
    #[doc(hidden)]
    fn to_request(&self) -> Result<Request, Error>;
}

/// A list request whose items can be paginated: see [`Client::paginate`].
pub trait ListRequest: ApiRequest {
    /// One item of the list.
    type Item: Object + DeserializeOwned + Send + 'static;
}

/// A task sent to the runtime thread.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What a job hands back: its output, or the panic it ended with.
type Outcome<T> = Result<T, Box<dyn std::any::Any + Send>>;

/// A Stripe client whose calls block the calling thread, for synchronous
/// workers, command-line tools and tests; the same requests, options,
/// errors, retries and limits as the async [`crate::Client`].
///
/// ```rust,no_run
/// use stripe_identity::blocking::Client;
/// use stripe_identity::VerificationSession;
///
/// # fn run() -> Result<(), stripe_identity::Error> {
/// let client = Client::new("sk_test_...");
/// let session = client.send(&VerificationSession::retrieve(&"vs_123".parse()?))?;
/// for session in client.paginate(&VerificationSession::list().limit(100)) {
///     println!("{}", session?.id);
/// }
/// # let _ = session;
/// # Ok(())
/// # }
/// ```
///
/// Build one from [`ClientBuilder::build_blocking`] to configure it. It
/// owns a thread running a small tokio runtime, where its requests go;
/// clones share that thread, which ends when the last clone (and the last
/// [`Iter`]) is dropped. It can be created, used and dropped anywhere: on a
/// plain thread, in `tokio::task::spawn_blocking`, or even inside an async
/// task without panicking, though a call there blocks the task's thread
/// until it completes, so async code should use the async client.
///
/// Hooks given to [`ClientBuilder::on_attempt`] run on the client's thread,
/// so a hook must not call the same blocking client: it would wait for
/// itself.
/// With the `tracing` feature, a call's span is a child of the caller's
/// current span and goes to the caller's subscriber.
#[derive(Clone)]
pub struct Client {
    client: crate::Client,
    worker: Arc<Worker>,
}

impl Client {
    /// A blocking client with the default settings for the given secret key.
    ///
    /// # Panics
    ///
    /// Where [`crate::Client::new`] panics, and if the client's thread
    /// cannot be started. Use [`crate::Client::builder`] and
    /// [`ClientBuilder::build_blocking`] to handle those as errors instead.
    pub fn new(secret_key: impl Into<String>) -> Client {
        match crate::Client::builder(secret_key).build_blocking() {
            Ok(client) => client,
            // The error message never contains the key.
            Err(err) => panic!("cannot create Stripe client: {err}"),
        }
    }

    /// Sends a request, as its async `send` does.
    pub fn send<R: ApiRequest>(&self, request: &R) -> Result<R::Output, Error> {
        self.send_with(request, &RequestOptions::default())
    }

    /// Sends a request with per-request options, as its async `send_with`
    /// does.
    pub fn send_with<R: ApiRequest>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<R::Output, Error> {
        self.execute(request.to_request()?, options)
    }

    /// Like [`send`](Self::send), also returning the response's HTTP
    /// status, `Request-Id` and headers.
    pub fn send_response<R: ApiRequest>(&self, request: &R) -> Result<Response<R::Output>, Error> {
        self.send_response_with(request, &RequestOptions::default())
    }

    /// Like [`send_with`](Self::send_with), also returning the response's
    /// HTTP status, `Request-Id` and headers.
    pub fn send_response_with<R: ApiRequest>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<Response<R::Output>, Error> {
        let (request, options) = (request.to_request()?, options.clone());
        let client = self.client.clone();
        self.worker
            .run(async move { client.execute_with_response(&request, &options).await })?
    }

    /// Sends a [`RawRequest`] and decodes the response as `T`, as
    /// [`RawRequest::send_with`] does.
    pub fn send_raw<T: DeserializeOwned + Send + 'static>(
        &self,
        request: &RawRequest,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        self.execute(request.request()?, options)
    }

    /// Every item of every page of a list request, fetched lazily page by
    /// page as the iterator advances, as the async `paginate` does:
    /// filters and `expand` apply to every page, and pages that would make
    /// the walk loop end it with [`Error::Pagination`]. The iterator ends
    /// after the first error.
    pub fn paginate<R: ListRequest>(&self, request: &R) -> Iter<R::Item> {
        self.paginate_with(request, &RequestOptions::default())
    }

    /// Like [`paginate`](Self::paginate), with per-request options applied
    /// to every page.
    pub fn paginate_with<R: ListRequest>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Iter<R::Item> {
        Iter {
            worker: Arc::clone(&self.worker),
            stream: Some(self.client.paginate(request.to_request(), options)),
        }
    }

    /// Runs the async client's `execute` on the client's thread.
    fn execute<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        let (client, options) = (self.client.clone(), options.clone());
        self.worker
            .run(async move { client.execute(&request, &options).await })?
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The async client's `Debug` never shows the key.
        f.debug_tuple("blocking::Client")
            .field(&self.client)
            .finish()
    }
}

impl ClientBuilder {
    /// Builds a [blocking client](Client) with these settings, starting its
    /// thread.
    ///
    /// Fails as [`build`](Self::build) does, and with [`Error::Config`] if
    /// the thread or its runtime cannot be started.
    pub fn build_blocking(self) -> Result<Client, Error> {
        let client = self.build()?;
        Ok(Client {
            client,
            worker: Arc::new(Worker::start()?),
        })
    }
}

/// The iterator returned by [`Client::paginate`]: every item of every page,
/// each page fetched when the iterator reaches it.
#[must_use = "an iterator does nothing until it is advanced"]
pub struct Iter<T> {
    worker: Arc<Worker>,
    /// `None` once the listing has ended.
    stream: Option<ListStream<T>>,
}

impl<T: Send + 'static> Iterator for Iter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        // The stream moves to the client's thread for one step and back:
        // its page requests run on that thread's runtime.
        let step = self.worker.run(async move {
            let item = stream.next().await;
            (stream, item)
        });
        match step {
            Ok((stream, item)) => {
                if item.is_some() {
                    self.stream = Some(stream);
                }
                item
            }
            Err(err) => Some(Err(err)),
        }
    }
}

impl<T: Send + 'static> FusedIterator for Iter<T> {}

impl<T> fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("ended", &self.stream.is_none())
            .finish()
    }
}

/// The thread running the client's runtime, and the channel to it.
struct Worker {
    /// Dropping it ends the thread's loop; `None` only while dropping.
    jobs: Option<mpsc::UnboundedSender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread and waits until its runtime runs.
    fn start() -> Result<Worker, Error> {
        let (jobs, mut receiver) = mpsc::unbounded_channel::<Job>();
        let (ready, started) = std_mpsc::channel();
        let thread = thread::Builder::new()
            .name("stripe-identity-blocking".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                let runtime = match runtime {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready.send(Err(err.to_string()));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                runtime.block_on(async move {
                    // Spawned, so calls from several threads run at once.
                    while let Some(job) = receiver.recv().await {
                        tokio::spawn(job);
                    }
                });
                // The runtime is dropped here, on its own thread, outside
                // any async context.
            })
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's thread: {e}"))
            })?;
        match started.recv() {
            Ok(Ok(())) => Ok(Worker {
                jobs: Some(jobs),
                thread: Some(thread),
            }),
            Ok(Err(message)) => Err(Error::Config(format!(
                "cannot start the blocking client's runtime: {message}"
            ))),
            Err(_) => Err(Error::Config(
                "the blocking client's thread stopped while starting".to_owned(),
            )),
        }
    }

    /// Runs `future` on the client's thread and waits for its output. A
    /// panic in it (in a hook, say) is resumed on the calling thread, as it
    /// would surface in an async caller.
    fn run<T, F>(&self, future: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
    {
        #[cfg(feature = "tracing")]
        let future = {
            use tracing::instrument::{Instrument, WithSubscriber};
            // The caller's span and subscriber follow the call across threads.
            future
                .instrument(tracing::Span::current())
                .with_current_subscriber()
        };
        let (sender, receiver) = std_mpsc::sync_channel::<Outcome<T>>(1);
        let job = async move {
            let outcome = AssertUnwindSafe(future).catch_unwind().await;
            // The caller waits for it; it cannot be gone.
            let _ = sender.send(outcome);
        };
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(Box::pin(job)));
        if !matches!(sent, Some(Ok(()))) {
            return Err(stopped());
        }
        match receiver.recv() {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => Err(stopped()),
        }
    }
}

/// The error for a call made after the client's thread ended, which only
/// its drop does: unreachable through the public API.
fn stopped() -> Error {
    Error::Config("the blocking client's thread has stopped".to_owned())
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop, then its runtime.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            // A hook holding the last clone would drop it on the thread
            // itself, which cannot wait for its own end.
            if thread.thread().id() != thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}
