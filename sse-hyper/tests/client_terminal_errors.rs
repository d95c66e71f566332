//! Every error that ends a request reaches `on_error` first, and its answer
//! counts for an event over the limits too.
#![cfg(feature = "client")]
mod support;
use sse_core::{Limits, ReconnectPolicy};
use sse_hyper::{Error, ErrorAction, Outcome};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Step, TestServer, closed_port_url, expect_outcome, no_content, send, sse};

type Log = Arc<Mutex<Vec<String>>>;

/// A request that writes every callback into `log`.
fn logged(request: sse_hyper::RequestBuilder, log: &Log) -> sse_hyper::RequestBuilder {
    let (a, b, c, d) = (log.clone(), log.clone(), log.clone(), log.clone());
    request
        .on_message(move |event| a.lock().unwrap().push(format!("message {}", event.data())))
        .on_error(move |error| b.lock().unwrap().push(format!("error {error:?}")))
        .on_close(move || c.lock().unwrap().push("close".into()))
        .on_abort(move || d.lock().unwrap().push("abort".into()))
}

fn last(log: &Log) -> String {
    log.lock().unwrap().last().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_invalid_request_is_passed_to_on_error() {
    let log = Log::default();
    let request = logged(sse_hyper::Client::new().get("not a url"), &log);
    expect_outcome!(request.spawn(), Outcome::Failed(Error::InvalidRequest(_)));
    assert!(last(&log).starts_with("error InvalidRequest"), "{log:?}");
}

#[tokio::test]
async fn running_out_of_retries_is_passed_to_on_error() {
    let log = Log::default();
    let policy = ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(5))
        .max_attempts(Some(1));
    let request = logged(
        sse_hyper::Client::new()
            .get(&closed_port_url())
            .reconnect_policy(policy),
        &log,
    );
    expect_outcome!(
        request.spawn(),
        Outcome::Failed(Error::RetriesExhausted { attempts: 1, .. })
    );
    assert!(last(&log).starts_with("error RetriesExhausted"), "{log:?}");
}

#[tokio::test]
async fn a_last_event_id_that_cannot_be_a_header_ends_the_stream_through_on_error() {
    // The parser takes any ID without NUL, CR or LF; HTTP refuses other
    // control characters in a header.
    let server = TestServer::start(|seen| match seen.index {
        0 => sse(vec![send("retry: 1\nid: a\x01b\ndata: x\n\n")]),
        _ => no_content(),
    })
    .await;
    let log = Log::default();
    let request = logged(sse_hyper::Client::new().get(&server.url("/")), &log);
    let error = expect_outcome!(
        request.spawn(),
        Outcome::Failed(error @ Error::InvalidLastEventId(_)) => error
    );
    assert!(error.to_string().contains("control character"), "{error}");
    assert!(
        last(&log).starts_with("error InvalidLastEventId"),
        "{log:?}"
    );
    assert_eq!(server.seen().len(), 1, "no request with a mangled header");
}

#[tokio::test]
async fn on_error_can_stop_the_stream_at_an_event_over_the_limit() {
    let server = TestServer::start(|_| {
        sse(vec![
            send("data: before\n\n"),
            send(&format!("data: {}\n\n", "x".repeat(100))),
            send("data: after\n\n"),
        ])
    })
    .await;
    let log = Log::default();
    let stop = |error: &Error| match error {
        Error::Decode(_) => ErrorAction::Stop,
        _ => ErrorAction::Default,
    };
    let request = logged(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .limits(Limits::default().max_event_size(50)),
        &log,
    )
    .on_error(stop);
    expect_outcome!(request.spawn(), Outcome::Failed(Error::Decode(_)));
    assert_eq!(*log.lock().unwrap(), ["message before"]);
}

#[tokio::test]
async fn by_default_the_stream_goes_on_after_an_event_over_the_limit() {
    let server = TestServer::start(|_| {
        sse(vec![
            send(&format!("data: {}\n\n", "x".repeat(100))),
            send("data: after\n\n"),
        ])
    })
    .await;
    let log = Log::default();
    let request = logged(
        sse_hyper::Client::new()
            .post(&server.url("/"))
            .limits(Limits::default().max_event_size(50)),
        &log,
    );
    expect_outcome!(request.spawn(), Outcome::Closed);
    let log = log.lock().unwrap();
    assert!(log[0].starts_with("error Decode"), "{log:?}");
    assert_eq!(log[1..], ["message after", "close"]);
}

#[tokio::test]
async fn on_error_can_reconnect_at_an_event_over_the_limit_after_what_came_with_it() {
    let server = TestServer::start(|seen| match seen.index {
        // The oversized event, then one more in the same write: that one is
        // delivered before the reconnect, which then asks for what follows it.
        0 => sse(vec![
            send(&format!(
                "id: 1\ndata: a\n\ndata: {}\n\nid: 2\ndata: b\n\n",
                "x".repeat(100)
            )),
            Step::Hang,
        ]),
        1 => sse(vec![send("retry: 1\ndata: c\n\n")]),
        _ => no_content(),
    })
    .await;
    let log = Log::default();
    let reconnect = |error: &Error| match error {
        Error::Decode(_) => ErrorAction::RetryAfter(Duration::from_millis(5)),
        _ => ErrorAction::Default,
    };
    let request = logged(
        sse_hyper::Client::new()
            .get(&server.url("/"))
            .limits(Limits::default().max_event_size(50)),
        &log,
    )
    .on_error(reconnect);
    expect_outcome!(request.spawn(), Outcome::Closed);
    let messages: Vec<_> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.starts_with("message"))
        .cloned()
        .collect();
    assert_eq!(messages, ["message a", "message b", "message c"]);
    let seen = server.seen();
    assert_eq!(seen[1].header("last-event-id"), Some("2"));
}

#[tokio::test]
async fn a_post_cut_off_mid_event_fails_instead_of_closing() {
    // An LLM answer whose last event never ended: the event is discarded,
    // as the spec says, and the request must not look complete.
    let server = TestServer::start(|_| sse(vec![send("data: a\n\ndata: trunc")])).await;
    let log = Log::default();
    let request = logged(
        sse_hyper::Client::new().post(&server.url("/")).body("{}"),
        &log,
    );
    expect_outcome!(
        request.spawn(),
        Outcome::Failed(Error::ServerClosed { mid_event: true })
    );
    let log = log.lock().unwrap();
    assert_eq!(log[0], "message a");
    assert!(log[1].contains("mid_event: true"), "{log:?}");
    assert_eq!(log.len(), 2, "{log:?}");
}

#[tokio::test]
async fn a_post_that_ends_between_events_closes_cleanly() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n: bye")])).await;
    let log = Log::default();
    let request = logged(
        sse_hyper::Client::new().post(&server.url("/")).body("{}"),
        &log,
    );
    expect_outcome!(request.spawn(), Outcome::Closed);
    assert_eq!(*log.lock().unwrap(), ["message a", "close"]);
}
