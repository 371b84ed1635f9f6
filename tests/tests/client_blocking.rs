//! The blocking client (`blocking` feature): the async client's scenarios
//! from a plain thread, from `spawn_blocking`, and created, used and
//! dropped inside a runtime without a panic (stripe-rs #153).
#[path = "client/mod.rs"]
mod common;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{header, list, missing_error, session, unchecked_id, SECRET, SESSIONS};
use serde_json::Value;
use stripe_identity::models::CreateVerificationSessionType;
use stripe_identity::{blocking, Error, Method, RawRequest, RequestOptions, VerificationSession};
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A mock server started from synchronous code. wiremock serves on a
/// thread of its own; the runtime here only drives its async set-up calls.
struct Server {
    runtime: tokio::runtime::Runtime,
    mock: MockServer,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mock = runtime.block_on(MockServer::start());
        Server { runtime, mock }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.mock));
    }

    fn received(&self) -> Vec<wiremock::Request> {
        self.runtime.block_on(common::received(&self.mock))
    }

    fn client(&self) -> blocking::Client {
        common::builder(&self.mock).build_blocking().unwrap()
    }
}

fn retrieve(client: &blocking::Client) -> Result<VerificationSession, Error> {
    client.send(&VerificationSession::retrieve(&unchecked_id("vs_1")))
}

fn create(client: &blocking::Client) -> Result<VerificationSession, Error> {
    client.send(&VerificationSession::create(
        CreateVerificationSessionType::Document,
    ))
}

fn ok_session() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Request-Id", "req_ok")
        .set_body_json(session("vs_1"))
}

#[test]
fn success_from_a_plain_thread() {
    let server = Server::start();
    server.mount(Mock::given(any()).respond_with(ok_session()));

    let session = retrieve(&server.client()).unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
    let requests = server.received();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/v1/identity/verification_sessions/vs_1"
    );
    let bearer = format!("Bearer {SECRET}");
    assert_eq!(header(&requests[0], "authorization"), Some(bearer.as_str()));
}

#[test]
fn api_error_is_the_same_error() {
    let server = Server::start();
    let missing = ResponseTemplate::new(404)
        .insert_header("Request-Id", "req_missing")
        .set_body_json(missing_error());
    server.mount(Mock::given(any()).respond_with(missing));

    let err = retrieve(&server.client()).unwrap_err();

    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(err.request_id(), Some("req_missing"));
    assert_eq!(api.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(server.received().len(), 1, "a 404 is not retried");
}

#[test]
fn retry_then_success_keeps_the_idempotency_key() {
    let server = Server::start();
    server.mount(
        Mock::given(any())
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(1),
    );
    server.mount(Mock::given(any()).respond_with(ok_session()));

    let session = create(&server.client()).unwrap();

    assert_eq!(session.id.as_str(), "vs_1");
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let key = header(&requests[0], "idempotency-key").expect("a key on POST");
    assert_eq!(header(&requests[1], "idempotency-key"), Some(key));
}

#[test]
fn request_options_and_limits_apply() {
    let server = Server::start();
    let unavailable = Mock::given(path(format!("{SESSIONS}/vs_1")));
    server.mount(unavailable.respond_with(ResponseTemplate::new(503)));
    server.mount(Mock::given(any()).respond_with(ok_session()));
    let client = common::builder(&server.mock)
        .max_response_bytes(64)
        .build_blocking()
        .unwrap();

    let options = RequestOptions::new()
        .stripe_account("acct_1")
        .max_retries(1);
    let err = client
        .send_with(
            &VerificationSession::retrieve(&unchecked_id("vs_1")),
            &options,
        )
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    let requests = server.received();
    assert_eq!(requests.len(), 2, "one attempt and the one retry allowed");
    assert_eq!(header(&requests[1], "stripe-account"), Some("acct_1"));

    // A session is well over 64 bytes.
    let err = client
        .send(&VerificationSession::retrieve(&unchecked_id("vs_2")))
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 64, .. }),
        "{err:?}"
    );
}

#[test]
fn send_with_response_and_raw_requests() {
    let server = Server::start();
    server.mount(Mock::given(any()).respond_with(ok_session()));
    let client = server.client();

    let response = client
        .send_response_with(
            &VerificationSession::retrieve(&unchecked_id("vs_1")),
            &RequestOptions::new(),
        )
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_ok"));

    let raw = RawRequest::new(Method::Post, SESSIONS).param("type", "document");
    let value: Value = client.send_raw(&raw, &RequestOptions::new()).unwrap();
    assert_eq!(value["id"], "vs_1");
    let requests = server.received();
    assert_eq!(requests[1].body, b"type=document");
}

/// Serves the page of sessions `ids` to list requests whose
/// `starting_after` is `after` (absent for `None`), once.
fn mount_page(server: &Server, after: Option<&str>, ids: &[&str], has_more: bool) {
    let data: Vec<Value> = ids.iter().map(|id| session(id)).collect();
    let mock = Mock::given(method("GET")).and(path(SESSIONS));
    let mock = match after {
        Some(id) => mock.and(query_param("starting_after", id)),
        None => mock.and(query_param_is_missing("starting_after")),
    };
    let page = ResponseTemplate::new(200).set_body_json(list(data, has_more));
    server.mount(
        mock.and(query_param("limit", "2"))
            .respond_with(page)
            .expect(1),
    );
}

#[test]
fn pagination_iterates_over_several_pages() {
    let server = Server::start();
    mount_page(&server, None, &["vs_1", "vs_2"], true);
    mount_page(&server, Some("vs_2"), &["vs_3", "vs_4"], true);
    mount_page(&server, Some("vs_4"), &["vs_5"], false);

    let client = server.client();
    let pages = client.paginate(&VerificationSession::list().limit(2));
    let ids: Vec<String> = pages
        .map(|session| session.unwrap().id.as_str().to_owned())
        .collect();

    assert_eq!(ids, ["vs_1", "vs_2", "vs_3", "vs_4", "vs_5"]);
    assert_eq!(server.received().len(), 3);
}

#[test]
fn pagination_ends_after_an_error() {
    let server = Server::start();
    mount_page(&server, None, &["vs_1", "vs_2"], true);
    server.mount(
        Mock::given(any()).respond_with(ResponseTemplate::new(404).set_body_json(missing_error())),
    );

    let client = server.client();
    let mut pages = client.paginate(&VerificationSession::list().limit(2));

    assert_eq!(pages.next().unwrap().unwrap().id.as_str(), "vs_1");
    assert_eq!(pages.next().unwrap().unwrap().id.as_str(), "vs_2");
    assert_eq!(pages.next().unwrap().unwrap_err().status(), Some(404));
    assert!(pages.next().is_none());
    assert!(pages.next().is_none());
}

#[test]
fn an_invalid_request_fails_before_anything_is_sent() {
    let server = Server::start();
    let client = server.client();

    let bad = VerificationSession::retrieve(&unchecked_id(".."));
    assert!(matches!(client.send(&bad), Err(Error::InvalidRequest(_))));
    let list = VerificationSession::list().extra_param("", "x");
    let mut pages = client.paginate(&list);
    assert!(matches!(pages.next(), Some(Err(Error::InvalidRequest(_)))));
    assert!(pages.next().is_none());
    assert!(server.received().is_empty());
}

/// The naive wrapper panics here: it would create, block on and drop a
/// runtime inside the test's runtime.
#[tokio::test]
async fn created_used_and_dropped_inside_a_current_thread_runtime() {
    let server = common::session_server().await;

    let client = common::builder(&server).build_blocking().unwrap();
    let session = retrieve(&client).unwrap();
    let clone = client.clone();
    drop(client);
    assert_eq!(retrieve(&clone).unwrap().id, session.id);
    drop(clone);

    assert_eq!(common::received(&server).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_used_and_dropped_inside_a_multi_thread_runtime() {
    let server = common::session_server().await;

    let client = blocking::Client::new(SECRET);
    drop(client);
    let client = common::builder(&server).build_blocking().unwrap();
    let pages = client.paginate(&VerificationSession::list());
    retrieve(&client).unwrap();
    // An iterator keeps the client's thread alive; drop it last.
    drop(client);
    drop(pages);
}

#[tokio::test]
async fn created_on_a_plain_thread_and_dropped_inside_a_runtime() {
    let server = common::session_server().await;
    let base_url = server.uri();

    let client = std::thread::spawn(move || {
        let client = common::builder_for(&base_url).build_blocking().unwrap();
        retrieve(&client).unwrap();
        client
    })
    .join()
    .unwrap();
    drop(client);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_spawn_blocking() {
    let server = common::session_server().await;
    let client = common::builder(&server).build_blocking().unwrap();

    let clone = client.clone();
    let session = tokio::task::spawn_blocking(move || retrieve(&clone))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.id.as_str(), "vs_1");

    // Created, used and dropped inside `spawn_blocking` as well.
    let base_url = server.uri();
    tokio::task::spawn_blocking(move || {
        let inner = common::builder_for(&base_url).build_blocking().unwrap();
        retrieve(&inner).unwrap();
    })
    .await
    .unwrap();
    assert_eq!(common::received(&server).await.len(), 2);
}

#[test]
fn clones_send_from_several_threads() {
    let server = Server::start();
    // Slow enough for the calls to overlap.
    let slow = ok_session().set_delay(Duration::from_millis(50));
    server.mount(Mock::given(any()).respond_with(slow));
    let client = server.client();

    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || retrieve(&client).map(|s| s.id))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap().as_str(), "vs_1");
    }
    assert_eq!(server.received().len(), 4);
}

#[test]
fn a_panicking_hook_reaches_the_caller_and_the_client_still_works() {
    let server = Server::start();
    server.mount(Mock::given(any()).respond_with(ok_session()));
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = common::builder(&server.mock)
        .on_attempt(move |_| {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("hook failed");
            }
        })
        .build_blocking()
        .unwrap();

    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| retrieve(&client)));
    let panic = caught.expect_err("the hook's panic reaches the caller");
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"hook failed"));

    assert_eq!(retrieve(&client).unwrap().id.as_str(), "vs_1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
