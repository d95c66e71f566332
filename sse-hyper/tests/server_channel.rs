//! `server::channel`: events sent from other tasks arrive in order, the body
//! ends with the senders, and a client going away stops the producer.
#![cfg(all(feature = "server", feature = "client"))]

mod support;

use futures::StreamExt;
use http::Version;
use sse_hyper::EventBuilder;
use sse_hyper::server::{Disconnected, EventSender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{TestServer, data_without_error, events, get, promptly};

#[tokio::test]
async fn events_sent_from_other_tasks_arrive_in_order_and_end_with_the_senders() {
    let server = TestServer::start(|_| {
        // A capacity well below the number of events: the sender waits for
        // the client along the way.
        let (sender, body) = channel(2);
        let idle_clone = sender.clone();
        tokio::spawn(async move {
            for n in 0..100 {
                let event = EventBuilder::new().data(n.to_string());
                sender.send(event).await.unwrap();
            }
        });
        // The body ends only once this one is dropped too.
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(idle_clone);
        });
        body.into_response()
    })
    .await;
    let events = sse_hyper::Client::new().post(&server.url("/")).events();
    let data = promptly("the whole stream", data_without_error(events)).await;
    let expected: Vec<String> = (0..100).map(|n| n.to_string()).collect();
    assert_eq!(data, expected);
}

#[tokio::test]
async fn a_client_going_away_wakes_closed_and_fails_send() {
    let senders: Arc<Mutex<Vec<EventSender>>> = Arc::default();
    let kept = senders.clone();
    let server = TestServer::start(move |_| {
        let (sender, body) = channel(8);
        kept.lock().unwrap().push(sender);
        body.into_response()
    })
    .await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let sender = senders.lock().unwrap().pop().expect("a request");
    sender.send(EventBuilder::new().data("hi")).await.unwrap();
    let mut stream = events(fetched.response);
    let first = promptly("the event", stream.next()).await.unwrap().unwrap();
    assert_eq!(first.data(), "hi");
    assert!(!sender.is_closed());

    drop(stream);
    fetched.connection.abort(); // closes the TCP connection
    promptly("closed() after the disconnect", sender.closed()).await;
    assert!(sender.is_closed());
    assert_eq!(
        sender.send(EventBuilder::new().data("late")).await,
        Err(Disconnected)
    );
}
