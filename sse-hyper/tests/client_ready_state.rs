//! `EventSource::ready_state` and `close`, as the browser's `readyState` and
//! `close()`.
#![cfg(feature = "client")]
mod support;
use futures::StreamExt;
use sse_core::ReconnectPolicy;
use sse_hyper::ReadyState;
use std::time::Duration;
use support::{Step, TestServer, no_content, promptly, send, sleep_ms, sse};

#[tokio::test]
async fn connecting_until_the_response_opens_then_open_then_closed_at_the_end() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n")])).await;
    let mut events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect(false)
        .events();
    assert_eq!(events.ready_state(), ReadyState::Connecting);
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    assert_eq!(events.ready_state(), ReadyState::Open);
    assert!(events.next().await.is_none());
    assert_eq!(events.ready_state(), ReadyState::Closed);
}

#[tokio::test]
async fn waiting_to_reconnect_is_connecting_and_close_stops_the_reconnect() {
    let server = TestServer::start(|seen| match seen.index {
        // The pause lets the event go out before the connection fails.
        0 => sse(vec![send("data: a\n\n"), sleep_ms(50), Step::Fail]),
        _ => no_content(),
    })
    .await;
    let policy = ReconnectPolicy::default().initial_delay(Duration::from_secs(60));
    let mut events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect_policy(policy)
        .events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    // The body fails, and the source waits a minute to reconnect.
    let waited = tokio::time::timeout(Duration::from_millis(200), events.next()).await;
    assert!(waited.is_err(), "nothing arrives while waiting: {waited:?}");
    assert_eq!(events.ready_state(), ReadyState::Connecting);
    events.close();
    assert_eq!(events.ready_state(), ReadyState::Closed);
    assert!(promptly("the end", events.next()).await.is_none());
    assert_eq!(server.seen().len(), 1, "closed: never reconnected");
}

#[tokio::test]
async fn close_drops_an_open_connection_and_ends_the_stream_cleanly() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\ndata: b\n\n"), Step::Hang])).await;
    let mut events = sse_hyper::Client::new().get(&server.url("/")).events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    assert_eq!(events.ready_state(), ReadyState::Open);
    events.close();
    assert_eq!(events.ready_state(), ReadyState::Closed);
    // "b" arrived with "a" and is dropped with the connection.
    assert!(events.next().await.is_none());
    assert_eq!(server.wait_for_connections(0).await, 0);
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn an_abort_closes_the_source_before_it_is_polled_again() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), Step::Hang])).await;
    let mut events = sse_hyper::Client::new().get(&server.url("/")).events();
    assert!(events.next().await.is_some());
    events.abort_handle().abort();
    assert_eq!(events.ready_state(), ReadyState::Closed);
    assert!(events.next().await.is_none());
}
