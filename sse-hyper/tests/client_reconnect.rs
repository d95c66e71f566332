//! Reconnection: Last-Event-ID, the server's retry, backoff limits, `on_error` overrides.
#![cfg(feature = "client")]
mod support;
use sse_core::ReconnectPolicy;
use std::time::{Duration, Instant};
use support::{
    Step, TestServer, closed_port_url, collect_data, data_without_error, expect_outcome,
    no_content, scripted, send, sleep_ms, sse, with_header,
};

fn fast_policy() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(50))
}

#[tokio::test]
async fn dropped_mid_event_reconnects_with_last_event_id_and_honours_retry() {
    let server = TestServer::start(|seen| match seen.index {
        // id 2 belongs to an event cut off by the drop: it must not be used.
        0 => sse(vec![
            send("retry: 300\nid: 1\ndata: a\n\nid: 2\ndata: b"),
            sleep_ms(50),
            Step::Fail,
        ]),
        1 => sse(vec![send("data: c\n\n")]),
        _ => no_content(),
    })
    .await;
    let started = Instant::now();
    let events = sse_hyper::Client::new().get(&server.url("/feed")).events();
    assert_eq!(data_without_error(events).await, ["a", "c"]);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("last-event-id"), None);
    assert_eq!(seen[1].header("last-event-id"), Some("1"));
    assert_eq!(seen[2].header("last-event-id"), Some("1"), "ids persist");
    // Two reconnects, the first waiting exactly the server's retry.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn server_close_reconnects_a_get_by_default() {
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\nid: 7\ndata: a\n\n")]),
        _ => no_content(),
    })
    .await;
    let (data, _) = collect_data(sse_hyper::Client::new().get(&server.url("/")).events()).await;
    assert_eq!(data, ["a"]);
    assert_eq!(server.seen().len(), 2);
    assert_eq!(server.seen()[1].header("last-event-id"), Some("7"));
}

#[tokio::test]
async fn post_is_not_replayed_by_default_but_can_be() {
    let server = TestServer::start(|seen| match seen.index {
        0 | 1 => sse(vec![send("retry: 1\ndata: a\n\n")]),
        _ => no_content(),
    })
    .await;
    let client = sse_hyper::Client::new();
    collect_data(client.post(&server.url("/")).body("prompt").events()).await;
    assert_eq!(server.seen().len(), 1);

    collect_data(
        client
            .post(&server.url("/"))
            .body("prompt")
            .reconnect(true)
            .events(),
    )
    .await;
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        3,
        "the second POST reconnects once, then gets 204"
    );
    assert_eq!(&seen[2].body[..], b"prompt", "the body is sent again");
}

#[tokio::test]
async fn max_attempts_is_enforced() {
    let request = sse_hyper::Client::new()
        .get(&closed_port_url())
        .reconnect_policy(fast_policy().max_attempts(Some(3)));
    let (attempts, last) = expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::RetriesExhausted { attempts, last }) =>
            (attempts, last)
    );
    assert_eq!(attempts, 3);
    assert!(matches!(*last, sse_hyper::Error::Connect(_)));
}

#[tokio::test]
async fn successful_open_resets_the_attempt_budget() {
    // Each connection opens then drops: with a budget of 1 the client would
    // give up at the second failure unless each open resets it.
    let server = TestServer::start(|seen| match seen.index {
        0..=3 => sse(vec![
            send("retry: 1\ndata: x\n\n"),
            sleep_ms(20),
            Step::Fail,
        ]),
        _ => no_content(),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect_policy(fast_policy().max_attempts(Some(1)))
            .events(),
    )
    .await;
    assert_eq!(data.len(), 4);
}

#[tokio::test]
async fn on_error_can_stop_a_retryable_error() {
    let server =
        TestServer::start(|_| sse(vec![send("data: a\n\n"), sleep_ms(20), Step::Fail])).await;
    let errors = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = errors.clone();
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .on_error(move |error| {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            assert!(matches!(error, sse_hyper::Error::Body(_)), "{error}");
            sse_hyper::ErrorAction::Stop
        });
    expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::Body(_))
    );
    assert_eq!(server.seen().len(), 1);
    assert_eq!(errors.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn on_error_can_retry_a_fatal_status() {
    let server = TestServer::start(|seen| match seen.index {
        0 => scripted(503, "text/plain", vec![send("busy")]),
        _ => sse(vec![send("data: ok\n\n")]),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .on_error(|error| match error.status() {
                Some(status) if status == 503 => {
                    sse_hyper::ErrorAction::RetryAfter(Duration::from_millis(5))
                }
                _ => sse_hyper::ErrorAction::Default,
            })
            .events(),
    )
    .await;
    assert_eq!(data, ["ok"]);
}

#[tokio::test]
async fn retry_zero_does_not_spin() {
    // Each response delivers an event and ends at once; `retry: 0` must not
    // make that a busy loop (LaunchDarkly's client, issue 135).
    let server = TestServer::start(|_| sse(vec![send("retry: 0\ndata: x\n\n")])).await;
    let handle = sse_hyper::Client::new().get(&server.url("/")).spawn();
    tokio::time::sleep(Duration::from_millis(500)).await;
    handle.abort();
    expect_outcome!(handle, sse_hyper::Outcome::Aborted);
    // The 100 ms floor fits at most 5 reconnects after the first request.
    let requests = server.seen().len();
    assert!((2..=6).contains(&requests), "{requests} requests in 500 ms");
}

#[tokio::test]
async fn a_server_that_hangs_up_before_sending_anything_is_backed_off_from() {
    // Every response opens and ends empty: the backoff grows and the attempt
    // limit is reached, as for a refused connection.
    let server = TestServer::start(|_| sse(vec![])).await;
    let policy = fast_policy().max_attempts(Some(3));
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect_policy(policy);
    expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::RetriesExhausted { attempts: 3, .. })
    );
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn a_server_that_greets_and_hangs_up_is_backed_off_from() {
    // A comment is not a healthy connection: each attempt counts, and the
    // attempt limit is reached, where resetting the backoff at the first
    // bytes retried forever.
    let server =
        TestServer::start(|_| sse(vec![send(": hello\n\n"), sleep_ms(20), Step::Fail])).await;
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect_policy(fast_policy().max_attempts(Some(3)));
    expect_outcome!(
        request.spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::RetriesExhausted { attempts: 3, .. })
    );
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn a_connection_open_for_reset_after_resets_the_attempt_budget() {
    // Keep-alives only, no event, but each connection lives past
    // `reset_after`: healthy, so a budget of 1 is never used up.
    let server = TestServer::start(|seen| match seen.index {
        0..=2 => sse(vec![send(": ping\n\n"), sleep_ms(60), Step::Fail]),
        _ => no_content(),
    })
    .await;
    let policy = fast_policy()
        .max_attempts(Some(1))
        .reset_after(Duration::from_millis(40));
    let data = data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect_policy(policy)
            .events(),
    )
    .await;
    assert!(data.is_empty());
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn a_last_event_id_header_is_tracked_like_last_event_id() {
    // Set the way other clients take it, it is still the ID to resume from:
    // the server's empty `id` clears it for the reconnect.
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\nid\ndata: a\n\n")]),
        _ => no_content(),
    })
    .await;
    let events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .header("Last-Event-ID", "41")
        .events();
    assert_eq!(data_without_error(events).await, ["a"]);
    let ids: Vec<_> = server
        .seen()
        .iter()
        .map(|seen| seen.header("last-event-id").map(str::to_owned))
        .collect();
    assert_eq!(ids, [Some("41".to_owned()), None]);
}

#[tokio::test]
async fn retries_on_error_asks_for_count_toward_the_attempt_limit() {
    // A handler that always retries a 503 must not retry forever.
    let server = TestServer::start(|_| scripted(503, "text/plain", vec![send("busy")])).await;
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .reconnect_policy(fast_policy().max_attempts(Some(2)))
        .on_error(|_| sse_hyper::ErrorAction::RetryAfter(Duration::from_millis(5)))
        .spawn();
    expect_outcome!(
        request,
        sse_hyper::Outcome::Failed(sse_hyper::Error::RetriesExhausted { attempts: 2, .. })
    );
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_retry_after_header_can_be_honoured_through_on_error() {
    let server = TestServer::start(|seen| match seen.index {
        0 => with_header(
            scripted(503, "text/plain", vec![send("busy")]),
            "retry-after",
            "0",
        ),
        _ => sse(vec![send("data: ok\n\n")]),
    })
    .await;
    let data = data_without_error(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .on_error(|error| match error.retry_after() {
                Some(wait) => sse_hyper::ErrorAction::RetryAfter(wait),
                None => sse_hyper::ErrorAction::Default,
            })
            .events(),
    )
    .await;
    assert_eq!(data, ["ok"]);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn headers_are_recomputed_for_every_attempt() {
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\nid: 9\ndata: a\n\n")]),
        // An empty `id` clears the last event ID.
        1 => sse(vec![send("retry: 1\nid\ndata: a\n\n")]),
        _ => no_content(),
    })
    .await;
    let mut attempt = 0;
    let events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .header("authorization", "Bearer stale")
        .headers_with(move |headers| {
            attempt += 1;
            let token = format!("Bearer token-{attempt}");
            headers.insert("authorization", token.parse().unwrap());
            // Our own Last-Event-ID wins over one set here.
            headers.insert("last-event-id", "from-the-hook".parse().unwrap());
        })
        .events();
    assert_eq!(data_without_error(events).await, ["a", "a"]);
    let seen = server.seen();
    let tokens: Vec<_> = seen.iter().map(|s| s.header("authorization")).collect();
    assert_eq!(
        tokens,
        [
            Some("Bearer token-1"),
            Some("Bearer token-2"),
            Some("Bearer token-3")
        ]
    );
    let ids: Vec<_> = seen.iter().map(|s| s.header("last-event-id")).collect();
    assert_eq!(
        ids,
        [None, Some("9"), None],
        "the stream's own, never the hook's"
    );
}
