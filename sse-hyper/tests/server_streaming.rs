//! The server body served by a real hyper server on 127.0.0.1 and read by a
//! raw hyper client: events arrive one by one as they are produced, exactly
//! as they were built, under the right headers.
#![cfg(feature = "server")]

mod support;

use futures::{StreamExt, stream};
use http::Version;
use sse_core::{Frame, StreamError};
use sse_hyper::{EventBuilder, EventStreamBody};
use std::time::Duration;
use support::{TestServer, events, get, promptly, serve_producers, triple};

/// The producer sends event N+1 only after the client decoded event N, so
/// any buffering between them would hang the test.
async fn each_event_arrives_before_the_next_is_produced(version: Version) {
    let (server, mut producers) = serve_producers(None).await;
    let fetched = get(server.addr, version).await;
    let producer = producers.next().await.unwrap();
    let mut events = events(fetched.response);
    for i in 0..20 {
        let event = EventBuilder::new()
            .id(i.to_string())
            .unwrap()
            .data(format!("{{\"delta\":\"token {i}\"}}"));
        producer.unbounded_send(Ok(event)).unwrap();
        let received = promptly("the event", events.next()).await.unwrap().unwrap();
        let data = format!("{{\"delta\":\"token {i}\"}}");
        assert_eq!(
            triple(&received),
            ("message", data.as_str(), &*i.to_string())
        );
    }
    drop(producer);
    assert!(promptly("the end", events.next()).await.is_none());
}

#[tokio::test]
async fn each_event_is_flushed_before_the_next_is_produced_over_http1() {
    each_event_arrives_before_the_next_is_produced(Version::HTTP_11).await;
}

#[tokio::test]
async fn each_event_is_flushed_before_the_next_is_produced_over_http2() {
    each_event_arrives_before_the_next_is_produced(Version::HTTP_2).await;
}

#[tokio::test]
async fn events_arrive_exactly_as_built() {
    let server = TestServer::start(|_| {
        let events = [
            EventBuilder::new().retry(Duration::from_millis(1500)),
            EventBuilder::new()
                .comment("a comment\nin two lines")
                .event_type("token")
                .unwrap()
                .id("1")
                .unwrap()
                .data("multi\nline\r\ndata\rhere"),
            EventBuilder::new().data("  leading spaces, trailing LF\n"),
            EventBuilder::new().id("").unwrap().data(""),
            EventBuilder::new()
                .event_type("")
                .unwrap()
                .data("🦀 data: not a field"),
        ];
        let events = stream::iter(events.map(Ok::<_, std::convert::Infallible>));
        EventStreamBody::new(events).into_response()
    })
    .await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let mut frames = events(fetched.response).frames();
    let mut seen = Vec::new();
    while let Some(frame) = promptly("a frame", frames.next()).await {
        seen.push(match frame.unwrap() {
            Frame::Comment(comment) => format!("comment {:?}", comment.text()),
            Frame::Retry(retry) => format!("retry {retry:?}"),
            Frame::Event(event) => format!("event {:?}", triple(&event)),
            other => panic!("unexpected frame {other:?}"),
        });
    }
    assert_eq!(
        seen,
        [
            "retry 1.5s",
            "comment \"a comment\"",
            "comment \"in two lines\"",
            "event (\"token\", \"multi\\nline\\ndata\\nhere\", \"1\")",
            "event (\"message\", \"  leading spaces, trailing LF\\n\", \"1\")",
            "event (\"message\", \"\", \"\")",
            "event (\"message\", \"🦀 data: not a field\", \"\")",
        ]
    );
    assert_eq!(frames.decoder().retry(), Some(Duration::from_millis(1500)));
}

#[tokio::test]
async fn response_has_the_event_stream_headers_and_no_length() {
    let (server, _producers) = serve_producers(None).await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let response = &fetched.response;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["cache-control"], "no-cache, no-transform");
    assert_eq!(headers["x-accel-buffering"], "no");
    assert!(headers.get("content-length").is_none(), "{headers:?}");
    assert_eq!(headers["transfer-encoding"], "chunked");
}

#[tokio::test]
async fn producer_error_fails_the_body_instead_of_ending_it() {
    let server = TestServer::start(|_| {
        let events = stream::iter([
            Ok(EventBuilder::new().data("before")),
            Err(std::io::Error::other("the model crashed")),
        ]);
        EventStreamBody::new(events).into_response()
    })
    .await;
    let fetched = get(server.addr, Version::HTTP_11).await;
    let mut events = events(fetched.response);
    let first = promptly("the event", events.next()).await.unwrap().unwrap();
    assert_eq!(first.data(), "before");
    let failure = promptly("the failure", events.next()).await;
    assert!(
        matches!(failure, Some(Err(StreamError::Transport(_)))),
        "{failure:?}"
    );
}
