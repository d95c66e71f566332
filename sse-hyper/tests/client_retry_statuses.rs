//! `retry_statuses`: a 429 or 5xx that says "later" is retried like a
//! network error, waiting at least its `Retry-After`; other statuses stay final.
#![cfg(feature = "client")]
mod support;
use sse_core::ReconnectPolicy;
use sse_hyper::{Error, ErrorAction, TRANSIENT_STATUSES};
use std::time::{Duration, Instant};
use support::{
    TestServer, collect_data, data_without_error, no_content, scripted, send, sse, with_header,
};

fn fast_policy() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(20))
}

fn busy(status: u16, retry_after: Option<&str>) -> http::Response<support::Body> {
    let response = scripted(
        status,
        "application/json",
        vec![send(r#"{"error":"busy"}"#)],
    );
    match retry_after {
        Some(value) => with_header(response, "retry-after", value),
        None => response,
    }
}

#[tokio::test]
async fn a_listed_status_is_retried_even_for_a_post_and_waits_its_retry_after() {
    let server = TestServer::start(|seen| match seen.index {
        0 => busy(429, Some("1")),
        1 => busy(503, None),
        _ => sse(vec![send("data: answer\n\n")]),
    })
    .await;
    let started = Instant::now();
    let events = sse_hyper::Client::new()
        .post(&server.url("/v1/chat"))
        .body("prompt")
        .reconnect_policy(fast_policy())
        .retry_statuses(TRANSIENT_STATUSES)
        .events();
    assert_eq!(data_without_error(events).await, ["answer"]);
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "429, 503, then the stream");
    assert!(seen.iter().all(|request| request.method == "POST"));
    // The 429 asked for a second; the backoff alone would have waited 20 ms.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
}

#[tokio::test]
async fn a_status_is_final_unless_listed() {
    let server = TestServer::start(|seen| match seen.index {
        0 => busy(503, Some("0")),
        _ => sse(vec![send("data: too late\n\n")]),
    })
    .await;
    let (data, error) = collect_data(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect_policy(fast_policy())
            .retry_statuses([http::StatusCode::TOO_MANY_REQUESTS])
            .events(),
    )
    .await;
    assert!(data.is_empty());
    assert!(
        matches!(error, Some(Error::Status { status, .. }) if status == 503),
        "{error:?}"
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn retried_statuses_count_toward_max_attempts() {
    let server = TestServer::start(|_| busy(503, Some("0"))).await;
    let (_, error) = collect_data(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect_policy(fast_policy().max_attempts(Some(2)))
            .retry_statuses(TRANSIENT_STATUSES)
            .events(),
    )
    .await;
    let Some(Error::RetriesExhausted { attempts: 2, last }) = error else {
        panic!("{error:?}");
    };
    assert_eq!(last.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.seen().len(), 3, "the first request and two retries");
}

#[tokio::test]
async fn on_error_still_decides_for_a_listed_status() {
    let server = TestServer::start(|seen| match seen.index {
        0 => busy(502, None),
        _ => no_content(),
    })
    .await;
    let (_, error) = collect_data(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect_policy(fast_policy())
            .retry_statuses(TRANSIENT_STATUSES)
            .on_error(|_| ErrorAction::Stop)
            .events(),
    )
    .await;
    assert_eq!(
        error.and_then(|e| e.status()),
        Some(http::StatusCode::BAD_GATEWAY)
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_retry_that_on_error_asks_for_still_waits_the_retry_after() {
    let server = TestServer::start(|seen| match seen.index {
        0 => busy(429, Some("1")),
        _ => sse(vec![send("data: ok\n\n")]),
    })
    .await;
    let started = Instant::now();
    let events = sse_hyper::Client::new()
        .post(&server.url("/"))
        .reconnect_policy(fast_policy())
        .on_error(|_| ErrorAction::Retry)
        .events();
    assert_eq!(data_without_error(events).await, ["ok"]);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
}
