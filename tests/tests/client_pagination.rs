//! Auto-pagination over list endpoints.
#[path = "client/mod.rs"]
mod common;

use common::{client, list, received, session, SESSIONS};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::Value;
use stripe_identity::models::ListVerificationSessionsStatus;
use stripe_identity::{Error, RequestOptions, VerificationSession};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A list page holding sessions with the given ids.
fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| session(id)).collect();
    ResponseTemplate::new(200).set_body_json(list(data, has_more))
}

/// Serves `response` to list requests whose `starting_after` is `after`
/// (`None`: absent) and that carry the filters and account used by
/// `follows_has_more_across_three_pages`; each page must be fetched once.
async fn mount_page(server: &MockServer, after: Option<&str>, response: ResponseTemplate) {
    let mock = Mock::given(method("GET"))
        .and(path(SESSIONS))
        .and(query_param("status", "verified"))
        .and(query_param("expand[0]", "data.last_verification_report"))
        .and(header("stripe-account", "acct_1"));
    let mock = match after {
        Some(id) => mock.and(query_param("starting_after", id)),
        None => mock.and(query_param_is_missing("starting_after")),
    };
    mock.respond_with(response).expect(1).mount(server).await;
}

fn ids(sessions: &[VerificationSession]) -> Vec<&str> {
    sessions.iter().map(|s| s.id.as_str()).collect()
}

#[tokio::test]
async fn follows_has_more_across_three_pages() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["vs_1", "vs_2"], true)).await;
    mount_page(&server, Some("vs_2"), page(&["vs_3"], true)).await;
    mount_page(&server, Some("vs_3"), page(&["vs_4"], false)).await;

    let options = RequestOptions::new().stripe_account("acct_1");
    let sessions: Vec<VerificationSession> = VerificationSession::list()
        .status(ListVerificationSessionsStatus::Verified)
        .expand(["data.last_verification_report"])
        .paginate_with(&client(&server), &options)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids(&sessions), ["vs_1", "vs_2", "vs_3", "vs_4"]);
}

#[tokio::test]
async fn replaces_the_callers_starting_after() {
    let server = MockServer::start().await;
    Mock::given(query_param("starting_after", "vs_0"))
        .respond_with(page(&["vs_1"], true))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("starting_after", "vs_1"))
        .respond_with(page(&["vs_2"], false))
        .expect(1)
        .mount(&server)
        .await;

    let sessions: Vec<VerificationSession> = VerificationSession::list()
        .starting_after(&"vs_0".parse().unwrap())
        .paginate(&client(&server))
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids(&sessions), ["vs_1", "vs_2"]);
    let second = &received(&server).await[1];
    assert_eq!(second.url.query(), Some("starting_after=vs_1"));
}

#[tokio::test]
async fn pages_backwards_with_ending_before() {
    let server = MockServer::start().await;
    Mock::given(query_param("ending_before", "vs_9"))
        .respond_with(page(&["vs_7", "vs_8"], true))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("ending_before", "vs_7"))
        .respond_with(page(&["vs_6"], false))
        .expect(1)
        .mount(&server)
        .await;

    let sessions: Vec<VerificationSession> = VerificationSession::list()
        .ending_before(&"vs_9".parse().unwrap())
        .paginate(&client(&server))
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids(&sessions), ["vs_7", "vs_8", "vs_6"]);
    let second = &received(&server).await[1];
    assert_eq!(second.url.query(), Some("ending_before=vs_7"));
}

#[tokio::test]
async fn stops_after_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("starting_after"))
        .respond_with(page(&["vs_1"], true))
        .mount(&server)
        .await;
    Mock::given(query_param("starting_after", "vs_1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(common::missing_error()))
        .expect(1)
        .mount(&server)
        .await;

    let items: Vec<Result<VerificationSession, Error>> = VerificationSession::list()
        .paginate(&client(&server))
        .collect()
        .await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id.as_str(), "vs_1");
    assert_eq!(items[1].as_ref().unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn empty_page_claiming_more_ends_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&[], true))
        .expect(1)
        .mount(&server)
        .await;

    let items: Vec<Result<VerificationSession, Error>> = VerificationSession::list()
        .paginate(&client(&server))
        .collect()
        .await;

    // More cases in `client_pagination_limits.rs`.
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        matches!(items[0], Err(Error::Pagination { .. })),
        "{items:?}"
    );
}

#[tokio::test]
async fn nothing_is_fetched_until_polled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&["vs_1", "vs_2"], true))
        .expect(1)
        .mount(&server)
        .await;

    let stream = VerificationSession::list().paginate(&client(&server));
    assert!(received(&server).await.is_empty());

    // Taking only the first page's items must not fetch the second page.
    let first_two: Vec<_> = stream.take(2).try_collect().await.unwrap();
    assert_eq!(ids(&first_two), ["vs_1", "vs_2"]);
}

#[tokio::test]
async fn stream_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&["vs_1"], false))
        .mount(&server)
        .await;

    let stream = VerificationSession::list().paginate(&client(&server));
    // `Send + 'static`: the stream can move to another task.
    let handle = tokio::spawn(async move { stream.try_collect::<Vec<_>>().await });
    let sessions = handle.await.unwrap().unwrap();

    assert_eq!(ids(&sessions), ["vs_1"]);
}

/// The loop of the crate's README, as written there: no pinning, no import
/// of `StreamExt`, no options.
#[tokio::test]
async fn the_readme_loop_reads_every_item_without_pinning() {
    let server = MockServer::start().await;
    Mock::given(path(SESSIONS))
        .and(query_param_is_missing("starting_after"))
        .respond_with(page(&["vs_1", "vs_2"], true))
        .mount(&server)
        .await;
    Mock::given(path(SESSIONS))
        .and(query_param("starting_after", "vs_2"))
        .respond_with(page(&["vs_3"], false))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut seen = Vec::new();

    let mut sessions = VerificationSession::list()
        .status(ListVerificationSessionsStatus::Verified)
        .paginate(&client);
    while let Some(session) = sessions.next().await {
        let session = session.unwrap();
        seen.push(session.id.to_string());
    }

    assert_eq!(seen, ["vs_1", "vs_2", "vs_3"]);
    // A `ListStream` is `Unpin`, so it can be stored and polled anywhere.
    fn unpin<T: Unpin>(_: &T) {}
    unpin(&sessions);
}
