//! Keep-alive comments fill silence on a real connection, and only silence.
#![cfg(feature = "server")]

mod support;

use futures::StreamExt;
use http::Version;
use sse_core::Frame;
use sse_hyper::EventBuilder;
use std::time::{Duration, Instant};
use support::{events, get, promptly, serve_producers};

const INTERVAL: Duration = Duration::from_millis(400);

#[tokio::test]
async fn keep_alive_comment_arrives_after_silence() {
    let (server, mut producers) = serve_producers(Some(INTERVAL)).await;
    let start = Instant::now();
    let fetched = get(server.addr, Version::HTTP_11).await;
    let _producer = producers.next().await.unwrap();
    let mut frames = events(fetched.response).frames();
    for _ in 0..2 {
        let frame = promptly("a keep-alive", frames.next())
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(&frame, Frame::Comment(comment) if comment.text() == "keep-alive"),
            "{frame:?}"
        );
    }
    assert!(start.elapsed() >= 2 * INTERVAL, "{:?}", start.elapsed());
}

#[tokio::test]
async fn events_more_often_than_the_interval_leave_no_room_for_keep_alives() {
    let (server, mut producers) = serve_producers(Some(INTERVAL)).await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let producer = producers.next().await.unwrap();
    let mut frames = events(fetched.response).frames();
    // Twice the interval in all, never silent for more than an eighth of it.
    for i in 0..16 {
        tokio::time::sleep(INTERVAL / 8).await;
        producer
            .unbounded_send(Ok(EventBuilder::new().data(i.to_string())))
            .unwrap();
        let frame = promptly("an event", frames.next()).await.unwrap().unwrap();
        assert!(
            matches!(&frame, Frame::Event(event) if event.data() == i.to_string()),
            "{frame:?}"
        );
    }
    // Then silence: the next frame is a keep-alive.
    let frame = promptly("a keep-alive", frames.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(frame, Frame::Comment(_)), "{frame:?}");
}

#[tokio::test]
async fn no_keep_alive_unless_asked() {
    let (server, mut producers) = serve_producers(None).await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let _producer = producers.next().await.unwrap();
    let mut frames = events(fetched.response).frames();
    let next = tokio::time::timeout(INTERVAL * 2, frames.next()).await;
    assert!(next.is_err(), "a silent stream stays silent: {next:?}");
}
