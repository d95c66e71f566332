//! The idle-read timeout: silence fails the connection, keep-alive comments do not.
mod support;
use std::time::Duration;
use support::{Step, TestServer, collect_data, send, sleep_ms, sse};

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
    let (data, error) = collect_data(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .idle_timeout(Duration::from_millis(300))
            .events(),
    )
    .await;
    assert_eq!(data, ["start", "end"]);
    assert!(error.is_none(), "{error:?}");
}

#[tokio::test]
async fn idle_timeout_is_retryable_for_a_get() {
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\ndata: a\n\n"), Step::Hang]),
        _ => support::scripted(204, "", vec![]),
    })
    .await;
    let (data, error) = collect_data(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .idle_timeout(Duration::from_millis(100))
            .events(),
    )
    .await;
    assert_eq!(data, ["a"]);
    assert!(error.is_none());
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn response_timeout_fires_when_headers_never_come() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accept and read, never answer.
    tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await;
    });
    let outcome = sse_hyper::Client::new()
        .post(&format!("http://{addr}/"))
        .response_timeout(Duration::from_millis(100))
        .spawn()
        .await;
    assert!(
        matches!(
            outcome,
            sse_hyper::Outcome::Failed(sse_hyper::Error::ResponseTimeout(_))
        ),
        "{outcome:?}"
    );
}
