//! A client nobody here wrote: Node's `eventsource` package (the WHATWG
//! `EventSource` for Node) reads our server on 127.0.0.1 and must see the
//! events exactly, including multi-line data, ids, event types, and a
//! reconnect that sends `Last-Event-ID`.
//!
//! The test installs the package with `npm ci` from the lock file in
//! `tests/node/` into the target directory (once), then runs
//! `tests/node/client.mjs` against the server. Without `node` on the PATH it
//! prints why and passes, except under CI (`CI` set), where it fails.
#![cfg(feature = "server")]

mod support;

use futures::{StreamExt, stream};
use serde_json::{Value, json};
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::TestServer;

/// The first connection: `retry: 50`, three events, then the body ends
/// (the server closes the stream), which makes `EventSource` reconnect.
fn first_connection() -> Vec<EventBuilder> {
    vec![
        EventBuilder::new().retry(Duration::from_millis(50)),
        EventBuilder::new()
            .event_type("token")
            .unwrap()
            .id("1")
            .unwrap()
            .data("Hello"),
        EventBuilder::new()
            .id("2")
            .unwrap()
            .comment("readers skip this")
            .data("line one\nline two\r\nline three\rline four"),
        EventBuilder::new()
            .event_type("token")
            .unwrap()
            .id("3")
            .unwrap()
            .data("  two leading spaces, 🦀, and data: inside"),
    ]
}

/// The reconnection: it echoes `Last-Event-ID` in an event without an id
/// (which keeps the last one), then ends with `done`.
fn second_connection(last_event_id: &str) -> Vec<EventBuilder> {
    vec![
        EventBuilder::new().data(format!("resumed after {last_event_id}")),
        EventBuilder::new()
            .event_type("done")
            .unwrap()
            .id("4")
            .unwrap()
            .data("[DONE]"),
    ]
}

fn expected() -> Vec<Value> {
    vec![
        json!({"type": "token", "data": "Hello", "lastEventId": "1"}),
        json!({"type": "message", "data": "line one\nline two\nline three\nline four", "lastEventId": "2"}),
        json!({"type": "token", "data": "  two leading spaces, 🦀, and data: inside", "lastEventId": "3"}),
        // The spec gives this event the last event ID, "3" (the reconnect
        // header below shows the client kept it). `eventsource` before 5.1.1
        // reports the event's own id instead, "" here: upstream bug
        // EventSource/eventsource#358, fixed in 5.1.1, which needs Node
        // 22.12. Update this line when the lock file moves to 5.1.1+.
        json!({"type": "message", "data": "resumed after 3", "lastEventId": ""}),
        json!({"type": "done", "data": "[DONE]", "lastEventId": "4"}),
    ]
}

#[tokio::test]
async fn node_eventsource_receives_the_events_exactly_and_resumes_with_last_event_id() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`node` is not on the PATH, and CI must run the Node `eventsource` interop test: \
             install Node.js 18 or newer (with npm) in .ci/run"
        );
        eprintln!(
            "SKIPPED: `node` is not on the PATH, so the Node `eventsource` interop test \
             cannot run; install Node.js 18 or newer (with npm) to run it"
        );
        return;
    }
    let client = tokio::task::spawn_blocking(install_client).await.unwrap();

    let server = TestServer::start(|request| {
        let body = match request.header("last-event-id") {
            None => stream::iter(first_connection()).boxed(),
            // After `done` the stream stays open: the client closes it.
            Some(id) => stream::iter(second_connection(id))
                .chain(stream::pending())
                .boxed(),
        };
        EventStreamBody::new(body.map(Ok::<_, Infallible>)).into_response()
    })
    .await;

    let url = server.url("/events");
    let run = tokio::process::Command::new("node")
        .arg(client.join("client.mjs"))
        .arg(&url)
        .arg("token,done")
        .current_dir(&client)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("the node client finishes within 30 s")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the node client failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );

    let received: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(received, expected(), "stderr:\n{stderr}");

    let seen = server.seen();
    let ids: Vec<Option<&str>> = seen
        .iter()
        .map(|request| request.header("last-event-id"))
        .collect();
    assert_eq!(ids, [None, Some("3")], "one reconnect, resuming after 3");
    for request in &seen {
        assert_eq!(request.header("accept"), Some("text/event-stream"));
    }
}

/// The directory with `client.mjs` and `node_modules/eventsource`, installed
/// from the committed lock file on first use (or when the lock changes).
fn install_client() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("node-eventsource");
    std::fs::create_dir_all(&target).unwrap();
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let installed = target
        .join("node_modules/eventsource/package.json")
        .exists()
        && std::fs::read(target.join("package-lock.json")).ok() == Some(lock.clone());
    std::fs::copy(source.join("client.mjs"), target.join("client.mjs")).unwrap();
    if installed {
        return target;
    }
    std::fs::copy(source.join("package.json"), target.join("package.json")).unwrap();
    std::fs::write(target.join("package-lock.json"), &lock).unwrap();
    let npm = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&target)
        .output()
        .expect("node is installed, so npm should be too: install npm");
    assert!(
        npm.status.success(),
        "`npm ci` in {} failed; the test installs the `eventsource` package from the npm \
         registry:\n{}",
        target.display(),
        String::from_utf8_lossy(&npm.stderr)
    );
    target
}
