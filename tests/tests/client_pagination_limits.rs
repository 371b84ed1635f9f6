//! Auto-pagination always ends: pages that would make it loop end the
//! stream with `Error::Pagination` after a bounded number of requests.
#[path = "client/mod.rs"]
mod common;

use common::{client, list, received, session, SECRET};
use futures_util::StreamExt;
use serde_json::Value;
use stripe_identity::{Error, VerificationSession};
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A list page holding sessions with the given ids, with a request id.
fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| session(id)).collect();
    ResponseTemplate::new(200)
        .insert_header("Request-Id", "req_page")
        .set_body_json(list(data, has_more))
}

const AFTER: &str = "starting_after";
const BEFORE: &str = "ending_before";

/// Serves `response` exactly `times` times to requests with the cursor
/// parameter `(key, id)`, or with neither cursor if `None`.
async fn mount(
    server: &MockServer,
    cursor: Option<(&str, &str)>,
    response: ResponseTemplate,
    times: u64,
) {
    let mock = match cursor {
        Some((key, id)) => Mock::given(query_param(key, id)),
        None => Mock::given(query_param_is_missing("starting_after"))
            .and(query_param_is_missing("ending_before")),
    };
    mock.respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

type Items = Vec<Result<VerificationSession, Error>>;

/// Walks `VerificationSession::list()`, starting from `cursor` if given.
async fn walk(server: &MockServer, cursor: Option<(&str, &str)>) -> Items {
    let mut request = VerificationSession::list();
    match cursor {
        Some((AFTER, id)) => request = request.starting_after(&id.parse().unwrap()),
        Some((_, id)) => request = request.ending_before(&id.parse().unwrap()),
        None => {}
    }
    request.paginate(&client(server)).collect().await
}

/// The ids of the leading `Ok` items, and the final error's reason.
fn split(items: &Items) -> (Vec<&str>, &str) {
    let (last, oks) = items.split_last().expect("at least the error");
    let ids = oks
        .iter()
        .map(|item| item.as_ref().expect("only the last item fails").id.as_str())
        .collect();
    let Err(Error::Pagination { reason, request_id }) = last else {
        panic!("expected Error::Pagination last, got {last:?}")
    };
    assert_eq!(request_id.as_deref(), Some("req_page"));
    (ids, reason)
}

async fn request_count(server: &MockServer) -> usize {
    received(server).await.len()
}

#[tokio::test]
async fn a_cursor_that_does_not_advance_ends_the_stream() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["vs_1", "vs_2"], true), 1).await;
    // Page 2 ends with page 1's last id again.
    let again = page(&["vs_3", "vs_2"], true);
    mount(&server, Some((AFTER, "vs_2")), again, 1).await;

    let items = walk(&server, None).await;

    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_1", "vs_2", "vs_3"]);
    assert!(reason.contains("would not advance"), "{reason}");
    assert!(reason.contains("starting_after=vs_2"), "{reason}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_page_ending_with_the_callers_cursor_ends_the_stream() {
    let server = MockServer::start().await;
    let same = page(&["vs_0"], true);
    mount(&server, Some((AFTER, "vs_0")), same, 1).await;

    let items = walk(&server, Some((AFTER, "vs_0"))).await;

    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_0"]);
    assert!(reason.contains("starting_after=vs_0"), "{reason}");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn ids_coming_back_end_the_stream() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["vs_a", "vs_b"], true), 1).await;
    let cycle = page(&["vs_c", "vs_a"], true);
    mount(&server, Some((AFTER, "vs_b")), cycle, 1).await;
    // Where the cycle would lead next: never fetched.
    let next = page(&["vs_b", "vs_c"], true);
    mount(&server, Some((AFTER, "vs_a")), next, 0).await;

    let items = walk(&server, None).await;

    let (ids, reason) = split(&items);
    // The new item of the bad page still comes before the error.
    assert_eq!(ids, ["vs_a", "vs_b", "vs_c"]);
    assert!(reason.contains("vs_a again"), "{reason}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_repeated_id_on_the_last_page_is_reported_too() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["vs_1", "vs_2"], true), 1).await;
    let last = page(&["vs_3", "vs_1"], false);
    mount(&server, Some((AFTER, "vs_2")), last, 1).await;

    let items = walk(&server, None).await;

    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_1", "vs_2", "vs_3"]);
    assert!(reason.contains("vs_1 again"), "{reason}");
}

#[tokio::test]
async fn has_more_with_an_empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["vs_1"], true), 1).await;
    let empty = page(&[], true);
    mount(&server, Some((AFTER, "vs_1")), empty, 1).await;

    let items = walk(&server, None).await;

    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_1"]);
    assert_eq!(reason, "Stripe returned has_more with an empty page");
    assert_eq!(request_count(&server).await, 2);
    let text = items[1].as_ref().unwrap_err().to_string();
    assert_eq!(
        text,
        "pagination stopped: Stripe returned has_more with an empty page (request id req_page)"
    );
}

#[tokio::test]
async fn paging_backwards_has_the_same_checks() {
    let server = MockServer::start().await;
    let first = page(&["vs_7", "vs_8"], true);
    mount(&server, Some((BEFORE, "vs_9")), first, 1).await;
    // Backwards the cursor is the first id: vs_7 again does not advance.
    let stuck = page(&["vs_7", "vs_6"], true);
    mount(&server, Some((BEFORE, "vs_7")), stuck, 1).await;

    let items = walk(&server, Some((BEFORE, "vs_9"))).await;

    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_7", "vs_8", "vs_6"]);
    assert!(reason.contains("ending_before=vs_7"), "{reason}");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn paging_backwards_detects_cycles_and_empty_pages() {
    let server = MockServer::start().await;
    let first = page(&["vs_7", "vs_8"], true);
    mount(&server, Some((BEFORE, "vs_9")), first, 1).await;
    let cycle = page(&["vs_5", "vs_8"], true);
    mount(&server, Some((BEFORE, "vs_7")), cycle, 1).await;
    let items = walk(&server, Some((BEFORE, "vs_9"))).await;
    let (ids, reason) = split(&items);
    assert_eq!(ids, ["vs_7", "vs_8", "vs_5"]);
    assert!(reason.contains("vs_8 again"), "{reason}");

    let server = MockServer::start().await;
    mount(&server, Some((BEFORE, "vs_9")), page(&[], true), 1).await;
    let items = walk(&server, Some((BEFORE, "vs_9"))).await;
    let (ids, reason) = split(&items);
    assert!(ids.is_empty());
    assert!(reason.contains("empty page"), "{reason}");
}

#[tokio::test]
async fn pagination_error_shows_no_body_and_no_key() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["vs_1", "vs_1"], false), 1).await;

    let items = walk(&server, None).await;

    let err = items.last().unwrap().as_ref().unwrap_err();
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(text.contains("vs_1"), "{text}");
        for leak in [SECRET, "identity.verification_session", "\"object\"", "{\""] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }
    assert_eq!(err.request_id(), Some("req_page"));
    assert_eq!(err.status(), None);
}
