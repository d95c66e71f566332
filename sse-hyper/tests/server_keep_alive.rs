//! Keep-alive comments fill silence on a real connection, and only silence.
#![cfg(feature = "server")]

mod server_support;

use futures::StreamExt;
use server_support::{Streaming, events, get, promptly, request, serve_producers};
use sse_core::Frame;
use sse_hyper::EventBuilder;
use std::time::{Duration, Instant};

const INTERVAL: Duration = Duration::from_millis(400);

#[tokio::test]
async fn keep_alive_comment_arrives_after_silence() {
    let (address, _server, mut streams) = serve_producers(Some(INTERVAL)).await;
    let start = Instant::now();
    let fetched = get(address, request()).await;
    let _producer = streams.next().await.unwrap();
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
    let (address, _server, mut streams) = serve_producers(Some(INTERVAL)).await;
    let fetched = get(address, request()).await;
    let Streaming { producer, .. } = streams.next().await.unwrap();
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
    let (address, _server, mut streams) = serve_producers(None).await;
    let fetched = get(address, request()).await;
    let _producer = streams.next().await.unwrap();
    let mut frames = events(fetched.response).frames();
    let next = tokio::time::timeout(INTERVAL * 2, frames.next()).await;
    assert!(next.is_err(), "a silent stream stays silent: {next:?}");
}
