//! A gzip-encoded event stream is decoded with the `gzip` feature, event by event.
#![cfg(feature = "gzip")]
mod support;
use bytes::Bytes;
use flate2::{Compression, write::GzEncoder};
use futures::StreamExt;
use std::io::Write;
use support::{
    Step, TestServer, data_without_error, expect_outcome, send, sleep_ms, sse, with_header,
};

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

/// `text` as one whole gzip member: how a server that ends a member per
/// event (to flush it) sends it.
fn gzip_member(text: &str) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

fn frame(bytes: &[u8]) -> Step {
    Step::Send(Bytes::copy_from_slice(bytes))
}

async fn events_of_gzip_body(frames: Vec<Step>) -> Vec<String> {
    let server =
        TestServer::start(move |_| with_header(sse(frames.clone()), "content-encoding", "gzip"))
            .await;
    data_without_error(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .reconnect(false)
            .events(),
    )
    .await
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

#[tokio::test]
async fn two_gzip_members_in_one_frame_are_both_decoded() {
    let body = [gzip_member("data: a\n\n"), gzip_member("data: b\n\n")].concat();
    assert_eq!(events_of_gzip_body(vec![frame(&body)]).await, ["a", "b"]);
}

#[tokio::test]
async fn gzip_member_boundary_split_across_frames_is_decoded() {
    let (first, second) = (gzip_member("data: a\n\n"), gzip_member("data: b\n\n"));
    // The first member's trailer and the second's header each cut in two.
    let (mid_trailer, mid_header) = (first.len() - 3, 4);
    let frames = vec![
        frame(&first[..mid_trailer]),
        sleep_ms(10),
        frame(&[&first[mid_trailer..], &second[..mid_header]].concat()),
        sleep_ms(10),
        frame(&second[mid_header..]),
    ];
    assert_eq!(events_of_gzip_body(frames).await, ["a", "b"]);
}

#[tokio::test]
async fn first_gzip_member_is_delivered_while_the_second_is_incomplete() {
    let (first, second) = (gzip_member("data: a\n\n"), gzip_member("data: b\n\n"));
    // All of the first member, then the second's header and a little more.
    let frames = vec![frame(&[&first[..], &second[..12]].concat()), Step::Hang];
    let server =
        TestServer::start(move |_| with_header(sse(frames.clone()), "content-encoding", "gzip"))
            .await;
    let mut events = sse_hyper::Client::new().get(&server.url("/")).events();
    let event = support::promptly("the first member's event", events.next()).await;
    assert_eq!(event.unwrap().unwrap().data(), "a");
}

#[tokio::test]
async fn events_before_corrupt_gzip_in_the_same_frame_are_delivered_first() {
    let mut body = gzip_member("data: a\n\n");
    // A member header, then a deflate block of the reserved type.
    body.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]);
    let server = TestServer::start(move |_| {
        with_header(sse(vec![frame(&body)]), "content-encoding", "gzip")
    })
    .await;
    let mut events = sse_hyper::Client::new()
        .get(&server.url("/"))
        .reconnect(false)
        .events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    assert!(matches!(
        events.next().await,
        Some(Err(sse_hyper::Error::Decompress(_)))
    ));
    assert!(events.next().await.is_none());
}
