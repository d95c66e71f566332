//! The idle-read timeout: silence fails the connection, keep-alive comments do not.
mod support;
use std::time::Duration;
use support::{
    Step, TestServer, collect_data, data_without_error, expect_outcome, no_content, send, sleep_ms,
    sse,
};

#[tokio::test]
async fn idle_timeout_fires_after_silence() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), Step::Hang])).await;
    let (data, error) = collect_data(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .idle_timeout(Duration::from_millis(200))
            .events(),
    )
    .await;
    assert_eq!(data, ["a"]);
    assert!(
        matches!(error, Some(sse_hyper::Error::IdleTimeout(d)) if d == Duration::from_millis(200)),
        "{error:?}"
    );
}

#[tokio::test]
async fn keep_alive_comments_reset_the_idle_timeout() {
    let mut steps = vec![send("data: start\n\n")];
    for _ in 0..8 {
        steps.extend([sleep_ms(100), send(": ping\n")]);
    }
    steps.push(send("\ndata: end\n\n"));
    let server = TestServer::start(move |_| sse(steps.clone())).await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .idle_timeout(Duration::from_millis(300))
            .events(),
    )
    .await;
    assert_eq!(data, ["start", "end"]);
}

#[tokio::test]
async fn idle_timeout_is_retryable_for_a_get() {
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\ndata: a\n\n"), Step::Hang]),
        _ => no_content(),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .idle_timeout(Duration::from_millis(100))
            .events(),
    )
    .await;
    assert_eq!(data, ["a"]);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn response_timeout_fires_when_headers_never_come() {
    let server = TestServer::start_silent().await;
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .response_timeout(Duration::from_millis(100));
    expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::ResponseTimeout(_))
    );
}
