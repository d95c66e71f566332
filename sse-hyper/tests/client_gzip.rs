//! A gzip-encoded event stream is decoded with the `gzip` feature, event by event.
#![cfg(feature = "gzip")]
mod support;
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};
use futures::StreamExt;
use std::io::Write;
use support::{Step, TestServer, sleep_ms};

/// Each event compressed and flushed on its own, as a streaming server must.
fn gzip_frames(events: &[&str]) -> Vec<Step> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let mut steps = Vec::new();
    for event in events {
        encoder.write_all(event.as_bytes()).unwrap();
        encoder.flush().unwrap();
        steps.push(Step::Send(Bytes::from(std::mem::take(encoder.get_mut()))));
        steps.push(sleep_ms(10));
    }
    steps.push(Step::Send(Bytes::from(encoder.finish().unwrap())));
    steps
}

#[tokio::test]
async fn gzip_body_is_requested_and_decoded_as_it_arrives() {
    let frames = gzip_frames(&["data: one\n\n", "data: two\n\n"]);
    let server = TestServer::start(move |_| {
        let mut response = support::sse(frames.clone());
        response
            .headers_mut()
            .insert("content-encoding", "gzip".parse().unwrap());
        response
    })
    .await;
    let mut events = sse_hyper::Client::new().post(&server.url("/")).events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "one");
    assert_eq!(events.next().await.unwrap().unwrap().data(), "two");
    assert!(events.next().await.is_none());
    assert_eq!(server.seen()[0].header("accept-encoding"), Some("gzip"));
}

#[tokio::test]
async fn corrupt_gzip_is_a_typed_error() {
    let server = TestServer::start(|_| {
        let mut response = support::sse(vec![support::send("not gzip at all")]);
        response
            .headers_mut()
            .insert("content-encoding", "gzip".parse().unwrap());
        response
    })
    .await;
    let outcome = sse_hyper::Client::new()
        .post(&server.url("/"))
        .spawn()
        .await;
    assert!(
        matches!(
            outcome,
            sse_hyper::Outcome::Failed(sse_hyper::Error::Decompress(_))
        ),
        "{outcome:?}"
    );
}
