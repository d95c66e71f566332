//! Abort at every stage: before start, while connecting, while waiting to
//! reconnect, mid-stream; and dropping the stream closes the connection.
#![cfg(feature = "client")]
mod support;
use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{Step, TestServer, expect_outcome, promptly, send, sleep_ms, sse};

#[derive(Clone, Default)]
struct Counts {
    messages: Arc<AtomicUsize>,
    aborts: Arc<AtomicUsize>,
    closes: Arc<AtomicUsize>,
}

impl Counts {
    fn attach(&self, request: sse_hyper::RequestBuilder) -> sse_hyper::RequestBuilder {
        let (m, a, c) = (
            self.messages.clone(),
            self.aborts.clone(),
            self.closes.clone(),
        );
        request
            .on_message(move |_| {
                m.fetch_add(1, Ordering::SeqCst);
            })
            .on_abort(move || {
                a.fetch_add(1, Ordering::SeqCst);
            })
            .on_close(move || {
                c.fetch_add(1, Ordering::SeqCst);
            })
    }
    fn get(&self) -> (usize, usize, usize) {
        (
            self.messages.load(Ordering::SeqCst),
            self.aborts.load(Ordering::SeqCst),
            self.closes.load(Ordering::SeqCst),
        )
    }
}

#[tokio::test]
async fn abort_before_start_sends_nothing() {
    let server = TestServer::start(|_| sse(vec![send("data: x\n\n")])).await;
    let counts = Counts::default();
    let source = counts.attach(sse_hyper::Client::new().get(&server.url("/")));
    let handle = source.spawn();
    handle.abort();
    handle.abort();
    expect_outcome!(handle, sse_hyper::Outcome::Aborted);
    assert_eq!(counts.get(), (0, 1, 0));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn abort_while_connecting() {
    let server = TestServer::start_silent().await;
    let counts = Counts::default();
    let handle = counts
        .attach(sse_hyper::Client::new().get(&server.url("/")))
        .spawn();
    tokio::time::sleep(Duration::from_millis(100)).await;
    handle.abort();
    expect_outcome!(promptly("the abort", handle), sse_hyper::Outcome::Aborted);
    assert_eq!(counts.get(), (0, 1, 0));
}

#[tokio::test]
async fn abort_during_backoff_prevents_reconnect() {
    let server = TestServer::start(|_| sse(vec![send("retry: 10000\ndata: x\n\n")])).await;
    let counts = Counts::default();
    let handle = counts
        .attach(sse_hyper::Client::new().get(&server.url("/")))
        .spawn();
    // Wait until the first stream has ended and the 10 s wait has begun.
    for _ in 0..100 {
        if counts.get().0 == 1 && server.open_connections() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    handle.abort();
    // Well within the 10 s wait.
    let aborted = tokio::time::timeout(Duration::from_secs(2), handle);
    expect_outcome!(aborted, Ok(sse_hyper::Outcome::Aborted));
    assert_eq!(counts.get(), (1, 1, 0));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn abort_mid_stream_stops_messages_and_fires_on_abort_once() {
    let mut steps = Vec::new();
    for i in 0..100 {
        steps.extend([send(&format!("data: {i}\n\n")), sleep_ms(10)]);
    }
    let server = TestServer::start(move |_| sse(steps.clone())).await;
    let counts = Counts::default();
    let handle = counts
        .attach(sse_hyper::Client::new().get(&server.url("/")))
        .spawn();
    while counts.get().0 < 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let abort = handle.abort_handle();
    abort.abort();
    let seen_at_abort = counts.get().0;
    expect_outcome!(handle, sse_hyper::Outcome::Aborted);
    abort.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (messages, aborts, closes) = counts.get();
    assert!(
        messages <= seen_at_abort + 1,
        "{messages} after abort at {seen_at_abort}"
    );
    assert_eq!((aborts, closes), (1, 0));
    assert_eq!(
        server.wait_for_connections(0).await,
        0,
        "the connection was closed"
    );
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), Step::Hang])).await;
    let mut events = sse_hyper::Client::new().get(&server.url("/")).events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    assert_eq!(server.open_connections(), 1);
    drop(events);
    assert_eq!(server.wait_for_connections(0).await, 0);
}

#[tokio::test]
async fn aborting_the_stream_api_ends_it() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), Step::Hang])).await;
    let mut events = sse_hyper::Client::new().get(&server.url("/")).events();
    let abort = events.abort_handle();
    assert!(events.next().await.is_some());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        abort.abort();
    });
    assert!(promptly("the end", events.next()).await.is_none());
    assert_eq!(server.wait_for_connections(0).await, 0);
}

#[tokio::test]
async fn a_callback_can_abort_its_own_request_with_a_handle_made_beforehand() {
    let server = TestServer::start(|_| {
        sse(vec![
            send("data: 1\n\ndata: stop\n\n"),
            sleep_ms(20),
            send("data: 3\n\n"),
            Step::Hang,
        ])
    })
    .await;
    let stop = sse_hyper::AbortHandle::new();
    let stop_inside = stop.clone();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_inside = seen.clone();
    let aborts = Arc::new(AtomicUsize::new(0));
    let counted = aborts.clone();
    let handle = sse_hyper::Client::new()
        .get(&server.url("/"))
        .abort_handle(&stop)
        .on_message(move |event| {
            seen_inside.lock().unwrap().push(event.data().to_owned());
            if event.data() == "stop" {
                stop_inside.abort();
            }
        })
        .on_abort(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        })
        .spawn();
    expect_outcome!(promptly("the abort", handle), sse_hyper::Outcome::Aborted);
    assert_eq!(*seen.lock().unwrap(), ["1", "stop"]);
    assert_eq!(aborts.load(Ordering::SeqCst), 1);
    assert_eq!(server.wait_for_connections(0).await, 0);
}

#[tokio::test]
async fn one_handle_aborts_several_requests() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n"), Step::Hang])).await;
    let stop = sse_hyper::AbortHandle::new();
    let client = sse_hyper::Client::new();
    let mut first = client.get(&server.url("/")).abort_handle(&stop).events();
    let mut second = client.get(&server.url("/")).abort_handle(&stop).events();
    assert!(first.next().await.is_some() && second.next().await.is_some());
    stop.abort();
    assert!(promptly("the first end", first.next()).await.is_none());
    assert!(promptly("the second end", second.next()).await.is_none());
    assert_eq!(server.wait_for_connections(0).await, 0);
}

#[tokio::test]
async fn a_handle_aborted_before_the_request_starts_sends_nothing() {
    let server = TestServer::start(|_| sse(vec![send("data: x\n\n")])).await;
    let stop = sse_hyper::AbortHandle::new();
    stop.abort();
    let mut events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .abort_handle(&stop)
        .events();
    assert!(events.next().await.is_none());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.seen().is_empty());
}
