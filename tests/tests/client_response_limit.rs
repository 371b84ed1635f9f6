//! Response bodies over the client's limit are refused while reading,
//! without reading the rest, and are not retried.
#[path = "client/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use common::{builder, builder_for, raw_server, received, retrieve, session, SECRET};
use stripe_identity::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MIB: usize = 1024 * 1024;

/// What the streaming server sends: 50 MB.
const HUGE: usize = 50 * 1000 * 1000;

/// Bytes of a body the kernel's socket buffers and the HTTP stack may hold
/// beyond what the client read, on loopback. Generous: the point is that
/// the server could not write anywhere near all of a huge body.
const IN_FLIGHT: usize = 16 * MIB;

/// How long the test waits for the server to report what it wrote: a
/// bound on a hung test, not a measurement (the written byte count is
/// the check).
const SERVER_REPORT: Duration = Duration::from_secs(30);

/// A body chunk of the streaming server.
const CHUNK: usize = 64 * 1024;

/// A server on 127.0.0.1 that answers each connection with `200`, a
/// `Request-Id` and a chunked body (no `Content-Length`) of `total` bytes:
/// `prefix`, then spaces (valid trailing JSON whitespace). Reports, for each
/// connection, how many body bytes it wrote before the client hung up or the
/// body ended, and counts connections.
fn streaming_server(
    prefix: Vec<u8>,
    total: usize,
) -> (String, mpsc::Receiver<usize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let (sender, receiver) = mpsc::channel();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let written = stream_body(stream, &prefix, total);
            if sender.send(written).is_err() {
                return;
            }
        }
    });
    (url, receiver, count)
}

/// Writes the response head and up to `total` body bytes in chunks; returns
/// how many body bytes were written.
fn stream_body(mut stream: TcpStream, prefix: &[u8], total: usize) -> usize {
    // Bounded: a client that stops reading without hanging up fails the write.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = stream.set_write_timeout(Some(SERVER_REPORT));
    let mut head = [0u8; 4096];
    let _ = stream.read(&mut head);
    let start = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Request-Id: req_big\r\nTransfer-Encoding: chunked\r\n\r\n";
    if stream.write_all(start.as_bytes()).is_err() {
        return 0;
    }
    let spaces = vec![b' '; CHUNK];
    let mut first = Some(prefix).filter(|prefix| !prefix.is_empty());
    let mut written = 0;
    while written < total {
        let data = match first.take() {
            Some(prefix) => &prefix[..prefix.len().min(total)],
            None => &spaces[..CHUNK.min(total - written)],
        };
        let frame = [format!("{:x}\r\n", data.len()).as_bytes(), data, b"\r\n"].concat();
        if stream.write_all(&frame).is_err() {
            return written;
        }
        written += data.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    written
}

/// The JSON of a session, to start a body that decodes.
fn session_json() -> Vec<u8> {
    serde_json::to_vec(&session("vs_big")).expect("serializable")
}

/// Checks the error of a refused body, and that it shows no body and no key.
fn assert_too_large(err: &Error, limit: usize, status: u16, request_id: Option<&str>) {
    let Error::ResponseTooLarge {
        limit: got,
        status: got_status,
        ..
    } = err
    else {
        panic!("expected Error::ResponseTooLarge, got {err:?}")
    };
    assert_eq!((*got, *got_status), (limit, status));
    assert_eq!(err.request_id(), request_id);
    assert_eq!(err.status(), Some(status));
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(text.contains(&limit.to_string()), "{text}");
        for leak in [SECRET, "vs_big", "verification_session", "    "] {
            assert!(!text.contains(leak), "{leak:?} in {text}");
        }
    }
}

/// Requests a session from a 50 MB streamed body and checks it is refused
/// early: after one attempt, with the server far from done.
async fn refuses_huge_stream(client_limit: Option<usize>) {
    let (url, written, connections) = streaming_server(session_json(), HUGE);
    let mut builder = builder_for(&url).timeout(Duration::from_secs(30));
    if let Some(limit) = client_limit {
        builder = builder.max_response_bytes(limit);
    }
    let client = builder.build().unwrap();
    let limit = client_limit.unwrap_or(16 * MIB);

    let err = retrieve(&client).await.unwrap_err();
    assert_too_large(&err, limit, 200, Some("req_big"));
    // Waited for off the runtime, which must keep running to close the
    // connection the client gave up on.
    let waited = tokio::task::spawn_blocking(move || written.recv_timeout(SERVER_REPORT));
    let written = waited.await.unwrap().expect("the server finished");
    assert!(
        written <= limit + IN_FLIGHT && written < HUGE,
        "server wrote {written} bytes for a limit of {limit}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not retried");
}

#[tokio::test]
async fn a_huge_stream_is_refused_at_a_one_mib_limit() {
    refuses_huge_stream(Some(MIB)).await;
}

#[tokio::test]
async fn a_huge_stream_is_refused_at_the_default_limit() {
    refuses_huge_stream(None).await;
}

#[tokio::test]
async fn a_streamed_body_up_to_the_limit_is_accepted() {
    let (url, written, _) = streaming_server(session_json(), MIB);
    let client = builder_for(&url).max_response_bytes(MIB).build().unwrap();

    let session = retrieve(&client).await.unwrap();

    assert_eq!(session.id.as_str(), "vs_big");
    let waited = tokio::task::spawn_blocking(move || written.recv_timeout(SERVER_REPORT));
    assert_eq!(waited.await.unwrap().unwrap(), MIB);
}

#[tokio::test]
async fn a_streamed_body_one_byte_over_the_limit_is_refused() {
    let (url, _, _) = streaming_server(session_json(), MIB + 1);
    let client = builder_for(&url).max_response_bytes(MIB).build().unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert_too_large(&err, MIB, 200, Some("req_big"));
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    // The server hangs up right after the head: reading the body would fail
    // as a (retried) network error, so `ResponseTooLarge` after one
    // connection shows the body was never read.
    let (url, connections) =
        raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 50000000\r\nRequest-Id: req_cl\r\n\r\n");
    let client = builder_for(&url).build().unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert_too_large(&err, 16 * MIB, 200, Some("req_cl"));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_too_large_server_error_is_not_retried() {
    let (url, connections) =
        raw_server(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2000\r\n\r\n");
    let client = builder_for(&url).max_response_bytes(1000).build().unwrap();

    let err = retrieve(&client).await.unwrap_err();

    assert_too_large(&err, 1000, 503, None);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

/// A session padded with spaces to exactly `len` bytes.
fn padded_session(len: usize) -> Vec<u8> {
    let mut body = session_json();
    body.resize(len, b' ');
    body
}

async fn server_with_body(body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_declared_length_at_the_limit_is_accepted_and_one_more_refused() {
    let server = server_with_body(padded_session(4096)).await;

    let at_limit = builder(&server).max_response_bytes(4096).build().unwrap();
    assert_eq!(retrieve(&at_limit).await.unwrap().id.as_str(), "vs_big");

    let below = builder(&server).max_response_bytes(4095).build().unwrap();
    let err = retrieve(&below).await.unwrap_err();
    assert_too_large(&err, 4095, 200, None);
    assert_eq!(received(&server).await.len(), 2, "not retried");
}

#[test]
fn the_limit_shows_in_the_client_debug() {
    let client = Client::builder(SECRET)
        .max_response_bytes(1234)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("max_response_bytes: 1234"), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
}
