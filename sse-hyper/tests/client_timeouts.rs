//! Timeouts: silence fails the connection (keep-alive comments do not), and the response timeout bounds an attempt, redirects included.
#![cfg(feature = "client")]
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

/// A server that answers every request, slowly, with a redirect to itself.
async fn slow_redirect_loop(delay: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0; 1024];
                // One response per request head, on the same connection.
                while let Ok(n @ 1..) = tcp.read(&mut buffer).await {
                    request.extend_from_slice(&buffer[..n]);
                    while let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        request.drain(..end + 4);
                        tokio::time::sleep(delay).await;
                        let response =
                            "HTTP/1.1 302 Found\r\nlocation: /again\r\ncontent-length: 0\r\n\r\n";
                        if tcp.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn response_timeout_covers_the_redirects_of_an_attempt() {
    // Each hop answers within the limit; the chain of them does not.
    let url = slow_redirect_loop(Duration::from_millis(60)).await;
    let request = sse_hyper::Client::new()
        .post(&url)
        .response_timeout(Duration::from_millis(200));
    expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::ResponseTimeout(_))
    );
}

#[tokio::test]
async fn timeouts_too_long_for_a_clock_are_no_timeouts() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), send("data: b\n\n")])).await;
    let request = || {
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .response_timeout(Duration::MAX)
            .idle_timeout(Duration::MAX)
    };
    assert_eq!(data_without_error(request().events()).await, ["a", "b"]);
    expect_outcome!(request().spawn(), sse_hyper::Outcome::Closed);
}
