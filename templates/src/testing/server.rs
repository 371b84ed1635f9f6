//! The double's HTTP server: HTTP/1.1 on a port of 127.0.0.1, one task per
//! connection, all of them owned by the accept task, so that aborting that
//! task (when the double is dropped) closes the port and every connection.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming as Body};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::api::{self, Answer, Incoming};
use super::errors::ApiFailure;
use super::faults::Fault;
use super::state::Shared;
use super::RecordedRequest;

/// Characters after `req_` in request ids, as in Stripe's (`req_AvOLrDeRTNVyva`).
const REQUEST_ID_CHARS: usize = 14;

/// Accepts connections until the task is aborted.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, for example: wait, then go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        connections.spawn(async move {
            let service = service_fn(move |request| respond(Arc::clone(&shared), request));
            let io = TokioIo::new(stream);
            // A connection that ends badly (a client gone, a dropped-connection
            // fault) concerns only itself.
            let _ = http1::Builder::new().serve_connection(io, service).await;
        });
        while connections.try_join_next().is_some() {}
    }
}

/// Makes hyper close the connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the test double dropped the connection, as asked")
    }
}

impl std::error::Error for DropConnection {}

/// Answers one request: a pending fault, or the API's answer.
async fn respond(
    shared: Arc<Shared>,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let (parts, body) = request.into_parts();
    let limit = shared.limits.max_body_bytes;
    let body = Limited::new(body, limit)
        .collect()
        .await
        .map(|c| c.to_bytes());
    let mut request_id = "req_".to_owned();
    shared.ids.push_random(&mut request_id, REQUEST_ID_CHARS);
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let incoming = Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        body: body.as_deref().unwrap_or_default(),
    };
    let (answer, fault) = {
        let mut state = shared.lock();
        let fault = state.faults.next();
        let answer = match (fault, &body) {
            (Some(fault), _) => fault_answer(fault, request_id),
            (None, Err(_)) => too_large(limit, request_id),
            (None, Ok(_)) => api::answer(&shared, &mut state, &incoming, request_id),
        };
        state.requests.push(RecordedRequest {
            method: incoming.method.to_owned(),
            path: incoming.path.to_owned(),
            status: (fault != Some(Fault::DropConnection)).then_some(answer.status),
            request_id: answer.request_id.clone(),
            idempotency_key: incoming.idempotency_key.map(str::to_owned),
            replayed: answer.replayed,
        });
        (answer, fault)
    };
    if fault == Some(Fault::DropConnection) {
        return Err(DropConnection);
    }
    let version = header("stripe-version").unwrap_or(crate::API_VERSION);
    let response = response(&answer, version, incoming.idempotency_key, fault);
    shared.queue.push(answer.events);
    Ok(response)
}

/// The answer a fault stands for.
fn fault_answer(fault: Fault, request_id: String) -> Answer {
    let failure = match fault {
        Fault::RateLimited => ApiFailure::invalid(
            "Too many requests hit the API too quickly. We recommend an exponential backoff of \
             your requests.",
        )
        .code("rate_limit")
        .status(429),
        Fault::ServerError | Fault::DropConnection => ApiFailure::server_error(),
    };
    failure_answer(&failure, request_id)
}

/// A body over the limit, refused before it is parsed.
fn too_large(limit: usize, request_id: String) -> Answer {
    let failure = ApiFailure::invalid(format!(
        "The request body is larger than this Stripe test double accepts ({limit} bytes)."
    ))
    .status(413);
    failure_answer(&failure, request_id)
}

fn failure_answer(failure: &ApiFailure, request_id: String) -> Answer {
    Answer {
        status: failure.status,
        body: failure.body().to_string(),
        request_id,
        replayed: false,
        events: Vec::new(),
    }
}

/// The HTTP response with Stripe's headers.
fn response(
    answer: &Answer,
    version: &str,
    key: Option<&str>,
    fault: Option<Fault>,
) -> Response<Full<Bytes>> {
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set("content-type", "application/json");
    set("request-id", &answer.request_id);
    set("stripe-version", version);
    if let Some(key) = key {
        set("idempotency-key", key);
    }
    if answer.replayed {
        set("idempotent-replayed", "true");
    }
    if fault == Some(Fault::RateLimited) {
        set("stripe-should-retry", "true");
    }
    let mut response = Response::new(Full::new(Bytes::from(answer.body.clone())));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    *response.headers_mut() = headers;
    response
}
