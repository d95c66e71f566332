//! A gzip-encoded event stream is decoded with the `gzip` feature, event by event.
#![cfg(feature = "gzip")]
mod support;
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};
use futures::StreamExt;
use std::io::Write;
use support::{Step, TestServer, expect_outcome, send, sleep_ms, sse, with_header};

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
    let server =
        TestServer::start(move |_| with_header(sse(frames.clone()), "content-encoding", "gzip"))
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
        with_header(
            sse(vec![send("not gzip at all")]),
            "content-encoding",
            "gzip",
        )
    })
    .await;
    expect_outcome!(
        sse_hyper::Client::new().post(&server.url("/")).spawn(),
        sse_hyper::Outcome::Failed(sse_hyper::Error::Decompress(_))
    );
}
