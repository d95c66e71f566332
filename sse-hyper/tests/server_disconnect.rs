//! A client that goes away ends the producer at once; a client that does
//! not read makes the producer wait instead of the server buffering.
#![cfg(feature = "server")]

mod support;

use futures::channel::oneshot;
use futures::{StreamExt, stream};
use http::Version;
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{TestServer, events, get, promptly};

/// Tells the test when the producer is dropped.
struct DropGuard(Option<oneshot::Sender<()>>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.take().unwrap().send(());
    }
}

#[tokio::test]
async fn client_disconnect_drops_the_producer_promptly() {
    let (dropped_tx, dropped) = oneshot::channel();
    let dropped_tx = Arc::new(std::sync::Mutex::new(Some(dropped_tx)));
    let server = TestServer::start(move |_| {
        let guard = DropGuard(dropped_tx.lock().unwrap().take());
        // One event, then silence for ever: only a drop can end it.
        let events = stream::once(async { Ok::<_, Infallible>(EventBuilder::new().data("hi")) })
            .chain(stream::pending())
            .map(move |event| {
                let _ = &guard;
                event
            });
        EventStreamBody::new(events).into_response()
    })
    .await;

    let fetched = get(server.addr, Version::HTTP_11).await;
    let mut events = events(fetched.response);
    let first = promptly("the event", events.next()).await.unwrap().unwrap();
    assert_eq!(first.data(), "hi");

    drop(events);
    fetched.connection.abort(); // closes the TCP connection
    promptly("dropping the producer", dropped).await.unwrap();
}

#[tokio::test]
async fn slow_client_makes_the_producer_wait_not_the_server_buffer() {
    const EVENT_SIZE: usize = 64 * 1024;
    let produced = Arc::new(AtomicUsize::new(0));
    let counter = produced.clone();
    let server = TestServer::start(move |_| {
        let counter = counter.clone();
        // As many events as the server will take, as fast as it takes them.
        let events = stream::repeat_with(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Infallible>(EventBuilder::new().data("x".repeat(EVENT_SIZE)))
        });
        EventStreamBody::new(events).into_response()
    })
    .await;

    // Receive the head, then read nothing: the producer must come to a
    // stop (no change for half a second) with a bounded amount in flight.
    let fetched = get(server.addr, Version::HTTP_11).await;
    let mut previous = produced.load(Ordering::SeqCst);
    let mut unchanged_for = 0;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = produced.load(Ordering::SeqCst);
        unchanged_for = if now == previous {
            unchanged_for + 1
        } else {
            0
        };
        previous = now;
        if unchanged_for == 5 {
            break;
        }
    }
    let stalled_at = previous;
    assert_eq!(
        unchanged_for, 5,
        "the producer kept going while the client read nothing: {stalled_at} events"
    );
    // What is in flight is bounded by the socket buffers and hyper's write
    // buffer, a few MiB, not by how long the client keeps not reading.
    eprintln!("{stalled_at} events of {EVENT_SIZE} bytes in flight when the producer stopped");
    assert!(
        stalled_at * EVENT_SIZE < 64 * 1024 * 1024,
        "{stalled_at} events of {EVENT_SIZE} bytes in flight"
    );

    // Reading again lets the producer go on.
    let mut events = events(fetched.response);
    for _ in 0..stalled_at + 10 {
        promptly("an event", events.next()).await.unwrap().unwrap();
    }
    assert!(produced.load(Ordering::SeqCst) > stalled_at);
}
