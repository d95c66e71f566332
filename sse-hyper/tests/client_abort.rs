//! Abort at every stage: before start, while connecting, while waiting to
//! reconnect, mid-stream; and dropping the stream closes the connection.
mod support;
use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{Step, TestServer, send, sleep_ms, sse};

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
    let outcome = handle.await;
    assert!(
        matches!(outcome, sse_hyper::Outcome::Aborted),
        "{outcome:?}"
    );
    assert_eq!(counts.get(), (0, 1, 0));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn abort_while_connecting() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await;
    });
    let counts = Counts::default();
    let handle = counts
        .attach(sse_hyper::Client::new().get(&format!("http://{addr}/")))
        .spawn();
    tokio::time::sleep(Duration::from_millis(100)).await;
    handle.abort();
    let outcome = tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .unwrap();
    assert!(matches!(outcome, sse_hyper::Outcome::Aborted));
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
    let outcome = tokio::time::timeout(Duration::from_secs(2), handle)
        .await
        .unwrap();
    assert!(matches!(outcome, sse_hyper::Outcome::Aborted));
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
    let outcome = handle.await;
    assert!(matches!(outcome, sse_hyper::Outcome::Aborted));
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
    let next = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    assert!(next.unwrap().is_none());
    assert_eq!(server.wait_for_connections(0).await, 0);
}
