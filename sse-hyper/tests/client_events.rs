//! Events arrive parsed, in order, through both APIs.
#![cfg(feature = "client")]
mod support;
use bytes::Bytes;
use futures::StreamExt;
use sse_hyper::Error;
use std::sync::{Arc, Mutex};
use support::{
    Step, TestServer, collect_data, data_without_error, expect_outcome, promptly, send, sleep_ms,
    sse,
};

#[tokio::test]
async fn callbacks_see_open_then_events_in_order_then_close() {
    let server = TestServer::start(|_| {
        sse(vec![
            send(": hello\n\n"),
            send("event: token\ndata: one\n\n"),
            send("data: two\ndata: lines\n\nid: 3\ndata: [DONE]\n\n"),
        ])
    })
    .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (a, b, c) = (log.clone(), log.clone(), log.clone());
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .on_open(move |response| {
            a.lock()
                .unwrap()
                .push(format!("open {}", response.status()));
        })
        .on_message(move |event| {
            let line = format!("{} {:?} {}", event.event_type(), event.data(), event.id());
            b.lock().unwrap().push(line);
        })
        .on_close(move || c.lock().unwrap().push("close".to_owned()))
        .on_abort(|| panic!("not aborted"));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    assert_eq!(
        *log.lock().unwrap(),
        [
            "open 200 OK",
            "token \"one\" ",
            "message \"two\\nlines\" ",
            "message \"[DONE]\" 3",
            "close"
        ]
    );
}

#[tokio::test]
async fn stream_api_yields_the_same_events() {
    let server =
        TestServer::start(|_| sse(vec![send("data: a\n\n"), sleep_ms(20), send("data: b\n\n")]))
            .await;
    let events = sse_hyper::Client::new().post(&server.url("/")).events();
    assert_eq!(data_without_error(events).await, ["a", "b"]);
}

#[tokio::test]
async fn multibyte_character_split_across_tcp_writes_arrives_intact() {
    let euro = "data: 5 €\n\n".as_bytes();
    let server = TestServer::start(move |_| {
        sse(vec![
            Step::Send(Bytes::from_static(&euro[..8])),
            sleep_ms(30),
            Step::Send(Bytes::from_static(&euro[8..])),
        ])
    })
    .await;
    let (data, _) = collect_data(sse_hyper::Client::new().post(&server.url("/")).events()).await;
    assert_eq!(data, ["5 €"]);
}

#[tokio::test]
async fn events_are_delivered_as_they_arrive_not_at_the_end() {
    let server = TestServer::start(|_| sse(vec![send("data: first\n\n"), Step::Hang])).await;
    let mut events = sse_hyper::Client::new().post(&server.url("/")).events();
    let first = promptly("the first event", events.next()).await;
    assert_eq!(first.unwrap().unwrap().data(), "first");
}

#[tokio::test]
async fn error_event_inside_a_200_stream_is_an_ordinary_event() {
    let server = TestServer::start(|_| {
        sse(vec![send(
            "event: error\ndata: {\"type\":\"overloaded_error\"}\n\n",
        )])
    })
    .await;
    let mut events = sse_hyper::Client::new().post(&server.url("/")).events();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.event_type(), "error");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn oversized_event_is_reported_and_the_stream_goes_on() {
    let big = format!("data: {}\n\n", "x".repeat(100));
    let server =
        TestServer::start(move |_| sse(vec![send("data: a\n\n"), send(&big), send("data: b\n\n")]))
            .await;
    let mut events = sse_hyper::Client::new()
        .post(&server.url("/"))
        .limits(sse_core::Limits::default().max_event_size(50))
        .events();
    assert_eq!(events.next().await.unwrap().unwrap().data(), "a");
    let error = events.next().await.unwrap().unwrap_err();
    assert!(matches!(error, sse_hyper::Error::Decode(_)), "{error}");
    assert_eq!(events.next().await.unwrap().unwrap().data(), "b");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn normal_close_without_reconnect_is_not_an_error() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n")])).await;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let seen = errors.clone();
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .on_error(move |error| seen.lock().unwrap().push(error.to_string()));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    assert!(errors.lock().unwrap().is_empty(), "{errors:?}");
}

#[tokio::test]
async fn oversized_event_reaches_on_error_and_the_callbacks_go_on() {
    let big = format!("data: {}\n\n", "x".repeat(100));
    let server = TestServer::start(move |_| sse(vec![send(&big), send("data: after\n\n")])).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (errors, messages) = (log.clone(), log.clone());
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .limits(sse_core::Limits::default().max_event_size(50))
        .on_error(move |error| errors.lock().unwrap().push(format!("error: {error}")))
        .on_message(move |event| messages.lock().unwrap().push(event.data().to_owned()));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with("error: event too large"), "{log:?}");
    assert_eq!(log[1], "after");
}

#[tokio::test]
async fn close_when_ends_a_get_after_the_last_event_without_reconnecting() {
    let server = TestServer::start(|_| {
        sse(vec![
            send("data: Hel\n\ndata: lo\n\ndata: [DONE]\n\ndata: after\n\n"),
            Step::Hang,
        ])
    })
    .await;
    let mut events = sse_hyper::Client::new()
        .get(&server.url("/answer"))
        .close_when(|event| event.data() == "[DONE]")
        .events();
    let data = promptly("the end after [DONE]", data_without_error(&mut events)).await;
    assert_eq!(data, ["Hel", "lo", "[DONE]"]);
    assert_eq!(server.seen().len(), 1, "a GET, and yet no reconnect");
    assert_eq!(
        server.wait_for_connections(0).await,
        0,
        "the connection is closed while the stream is still held"
    );
    drop(events);
}

#[tokio::test]
async fn close_when_runs_on_close_with_callbacks() {
    let server = TestServer::start(|_| {
        sse(vec![
            send("event: delta\ndata: 1\n\n"),
            send("event: end\ndata: {\"tokens\":1}\n\n"),
            Step::Hang,
        ])
    })
    .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (a, b) = (log.clone(), log.clone());
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .close_when(|event| event.event_type() == "end")
        .on_message(move |event| a.lock().unwrap().push(event.event_type().to_owned()))
        .on_close(move || b.lock().unwrap().push("close".to_owned()));
    promptly("on_close", async {
        expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    })
    .await;
    assert_eq!(*log.lock().unwrap(), ["delta", "end", "close"]);
}

#[tokio::test]
async fn with_close_when_a_stream_that_ends_before_its_last_event_is_cut_short() {
    let server = TestServer::start(|_| sse(vec![send("data: Hel\n\ndata: lo\n\n")])).await;
    let request = || {
        sse_hyper::Client::new()
            .post(&server.url("/answer"))
            .close_when(|event| event.data() == "[DONE]")
    };
    let (data, error) = collect_data(request().events()).await;
    assert_eq!(data, ["Hel", "lo"]);
    assert!(
        matches!(error, Some(Error::ServerClosed { mid_event: false })),
        "{error:?}"
    );
    expect_outcome!(
        request().spawn(),
        sse_hyper::Outcome::Failed(Error::ServerClosed { mid_event: false })
    );
    // Nor does a 204 on the reconnect that follows a cut.
    let reconnecting = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\ndata: Hel\n\n")]),
        _ => support::no_content(),
    })
    .await;
    let (data, error) = collect_data(
        sse_hyper::Client::new()
            .get(&reconnecting.url("/"))
            .close_when(|event| event.data() == "[DONE]")
            .events(),
    )
    .await;
    assert_eq!(data, ["Hel"]);
    assert!(
        matches!(error, Some(Error::ServerClosed { mid_event: false })),
        "{error:?}"
    );
    assert_eq!(reconnecting.seen().len(), 2);
    // Without close_when the same stream ends cleanly.
    let clean = sse_hyper::Client::new().post(&server.url("/")).events();
    assert_eq!(data_without_error(clean).await, ["Hel", "lo"]);
}

#[tokio::test]
async fn on_comment_sees_keep_alives_in_order_with_the_events_through_both_apis() {
    let server = TestServer::start(|_| {
        sse(vec![
            send(": hello\n\ndata: a\n\n:ping\n"),
            send(":\ndata: b\n\n: bye"),
            send("\n"),
        ])
    })
    .await;
    let expected = [
        "comment hello",
        "event a",
        "comment ping",
        "comment ",
        "event b",
        "comment bye",
    ];

    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let mut events = sse_hyper::Client::new()
        .post(&server.url("/"))
        .on_comment(move |text| sink.lock().unwrap().push(format!("comment {text}")))
        .events();
    while let Some(event) = events.next().await {
        let event = event.expect("no error");
        log.lock().unwrap().push(format!("event {}", event.data()));
    }
    assert_eq!(*log.lock().unwrap(), expected);

    let log = Arc::new(Mutex::new(Vec::new()));
    let (a, b) = (log.clone(), log.clone());
    let request = sse_hyper::Client::new()
        .post(&server.url("/"))
        .on_comment(move |text| a.lock().unwrap().push(format!("comment {text}")))
        .on_message(move |event| b.lock().unwrap().push(format!("event {}", event.data())));
    expect_outcome!(request.spawn(), sse_hyper::Outcome::Closed);
    assert_eq!(*log.lock().unwrap(), expected);
}
