//! How a spawned request ends: `on_finish` exactly once, however it ends,
//! after the callback of that end, with the outcome the handle resolves to;
//! and `on_message` ending the stream with `Flow::Close`.
#![cfg(feature = "client")]
mod support;
use sse_hyper::Outcome;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Step, TestServer, expect_outcome, promptly, scripted, send, sleep_ms, sse};

/// Every callback, in the order it ran.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn attach(&self, request: sse_hyper::RequestBuilder) -> sse_hyper::RequestBuilder {
        let (message, error, close, abort, finish) = (
            self.clone(),
            self.clone(),
            self.clone(),
            self.clone(),
            self.clone(),
        );
        request
            .on_message(move |event| message.push(format!("message {}", event.data())))
            .on_error(move |_| error.push("error".into()))
            .on_close(move || close.push("close".into()))
            .on_abort(move || abort.push("abort".into()))
            .on_finish(move |outcome| {
                let end = match outcome {
                    Outcome::Closed => "closed",
                    Outcome::Aborted => "aborted",
                    Outcome::Failed(_) => "failed",
                    _ => "other",
                };
                finish.push(format!("finish {end}"));
            })
    }

    fn push(&self, entry: String) {
        self.0.lock().unwrap().push(entry);
    }

    fn entries(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn a_clean_end_runs_on_close_then_on_finish() {
    let server = TestServer::start(|_| sse(vec![send("data: a\n\n")])).await;
    let log = Log::default();
    let request = sse_hyper::Client::new().post(&server.url("/")).body("{}");
    expect_outcome!(log.attach(request).spawn(), Outcome::Closed);
    assert_eq!(log.entries(), ["message a", "close", "finish closed"]);
}

#[tokio::test]
async fn a_failure_runs_on_error_then_on_finish() {
    // What the seed's `onclose` was for (a spinner to stop) must run on a
    // failed request too, not only on a clean one.
    let server = TestServer::start(|_| scripted(500, "application/json", vec![send("{}")])).await;
    let log = Log::default();
    let request = sse_hyper::Client::new().post(&server.url("/")).body("{}");
    expect_outcome!(log.attach(request).spawn(), Outcome::Failed(_));
    assert_eq!(log.entries(), ["error", "finish failed"]);
}

#[tokio::test]
async fn an_abort_runs_on_abort_then_on_finish_once() {
    let server =
        TestServer::start(|_| sse(vec![send("data: a\n\n"), sleep_ms(10_000), Step::Fail])).await;
    let log = Log::default();
    let handle = log
        .attach(sse_hyper::Client::new().get(&server.url("/")))
        .spawn();
    while log.entries().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    handle.abort();
    handle.abort();
    expect_outcome!(promptly("the abort", handle), Outcome::Aborted);
    assert_eq!(log.entries(), ["message a", "abort", "finish aborted"]);
}

#[tokio::test]
async fn on_message_can_close_the_stream_cleanly() {
    // A GET reconnects by default; `Flow::Close` ends it for good, with the
    // events after the closing one never delivered.
    let server = TestServer::start(|_| {
        sse(vec![
            send("data: a\n\ndata: [DONE]\n\ndata: after\n\n"),
            Step::Hang,
        ])
    })
    .await;
    let log = Log::default();
    let seen = log.clone();
    let request = sse_hyper::Client::new()
        .get(&server.url("/"))
        .on_message(move |event| {
            seen.push(format!("message {}", event.data()));
            if event.data() == "[DONE]" {
                sse_hyper::Flow::Close
            } else {
                sse_hyper::Flow::Continue
            }
        })
        .on_close({
            let log = log.clone();
            move || log.push("close".into())
        });
    expect_outcome!(promptly("the close", request.spawn()), Outcome::Closed);
    assert_eq!(log.entries(), ["message a", "message [DONE]", "close"]);
    assert_eq!(server.wait_for_connections(0).await, 0);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.seen().len(), 1, "reconnected after Flow::Close");
}
