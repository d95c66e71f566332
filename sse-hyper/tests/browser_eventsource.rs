//! A differential conformance test against a real browser: headless
//! Chromium's `EventSource` and `sse_core::Decoder` read the same raw byte
//! streams, split into the same frames, and must dispatch the same events.
//!
//! A hyper server on 127.0.0.1 serves a page (`/`) whose script opens
//! `new EventSource('/case/N')` for each case in turn, records every event
//! it dispatches as `{type, data, lastEventId}`, closes the source on the
//! first `error` (the body ended; closing it there means no reconnect), and
//! finally POSTs what it saw to `/results`. Each `/case/N` is written as
//! several body frames with short pauses between them, so that the browser
//! receives chunk boundaries inside lines, between CR and LF, inside a UTF-8
//! character and inside the byte order mark. The decoder gets the same
//! frames, a fresh decoder per case: `push` each frame and drain it, then
//! `finish`.
//!
//! Without `chromium` on the PATH the test prints why and passes, except
//! under CI (`CI` set), where it fails.

mod support;

use bytes::Bytes;
use serde_json::{Value, json};
use sse_core::Decoder;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Step, TestServer, scripted, sse, with_header};

/// The pause between the frames of a case: long enough for the browser to
/// read each frame on its own.
const PAUSE: Duration = Duration::from_millis(20);

/// The pause before the first frame: the browser is still setting up the
/// stream after the headers, and frames sent sooner arrive together.
const FIRST_PAUSE: Duration = Duration::from_millis(50);

/// How long the browser has for the whole corpus.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// How long Chromium has to exit once its page has closed.
const EXIT_TIMEOUT: Duration = Duration::from_secs(5);

/// One raw byte stream, as the frames it is written in.
struct Case {
    name: &'static str,
    frames: &'static [&'static [u8]],
}

const fn case(name: &'static str, frames: &'static [&'static [u8]]) -> Case {
    Case { name, frames }
}

/// The corpus: the WHATWG "interpreting an event stream" rules, one or a
/// few per case.
const CASES: &[Case] = &[
    // Line ends.
    case(
        "lf",
        &[b"data: one\n\n", b"data: t", b"wo\n", b"\ndata: three\n\n"],
    ),
    case("crlf", &[b"data: a\r\n\r\n", b"data: b\r\n", b"\r\n"]),
    case(
        "lone_cr",
        &[b"data: a\r\rdata: b\r", b"\r", b"data: c\rdata: d\r\r"],
    ),
    case(
        "mixed_line_ends",
        &[
            b"data: 1\rdata: 2\ndata: 3\r\n\n",
            b"event: x\r\ndata: 4\r\r",
            b"data: 5\n\r",
        ],
    ),
    case(
        "cr_lf_split_across_frames",
        &[
            b"data: a\r",
            b"\ndata: b\r",
            b"\n\r",
            b"\ndata: c\r",
            b"\n",
            b"\r",
            b"\n",
        ],
    ),
    case(
        "crlf_blank_line_split",
        &[b"data: a\r\n\r", b"\ndata: b\r\n\r", b"\n\r\n"],
    ),
    case("lf_then_cr", &[b"data: a\n\rdata: b\n", b"\r"]),
    case(
        "cr_at_end_then_cr",
        &[b"data: a\r", b"\r", b"\ndata: b\n\n"],
    ),
    // The byte order mark.
    case("bom", &[b"\xEF\xBB\xBFdata: bom\n\n", b"data: after\n\n"]),
    case(
        "bom_split_1_1_1",
        &[b"\xEF", b"\xBB", b"\xBFdata: split bom\n\n"],
    ),
    case("bom_split_2_1", &[b"\xEF\xBB", b"\xBFdata", b": x\n\n"]),
    case("bom_alone_in_frame", &[b"\xEF\xBB\xBF", b"data: y\n\n"]),
    case(
        "second_bom_not_stripped",
        &[
            b"\xEF\xBB\xBF\xEF\xBB\xBFdata: ignored\n\n",
            b"data: after\n\n",
        ],
    ),
    case(
        "bom_after_first_line_not_stripped",
        &[b"data: a\n\n\xEF\xBB\xBFdata: b\n\n", b"data: c\n\n"],
    ),
    case("bom_in_value_kept", &[b"data: \xEF\xBB\xBFx\n\n"]),
    case(
        "bom_split_then_not_bom",
        &[b"\xEF\xBB", b"data: x\n\ndata: y\n\n"],
    ),
    // Comments and field syntax.
    case(
        "comments",
        &[
            b": comment\n",
            b"data: a\n:another\n\n",
            b":\n\n",
            b":data: no\n\n",
        ],
    ),
    case(
        "data_space_after_colon",
        &[
            b"data:no space\n\n",
            b"data:  two spaces\n\n",
            b"data:\ttab\n\n",
            b"data: \n\n",
        ],
    ),
    case(
        "data_without_colon",
        &[b"data\n\n", b"data\ndata\n\n", b"data\ndata: x\n\n"],
    ),
    case(
        "multiple_data_lines",
        &[b"data: a\ndata: b\ndata\ndata: c\n\n"],
    ),
    case("empty_data_line", &[b"data:\n\n", b"data:\ndata:\n\n"]),
    case("colon_in_value", &[b"data: a: b\ndata::c\n\n"]),
    case(
        "unknown_fields",
        &[
            b"foo: bar\ndata: a\nDATA: b\nData: c\n data: d\ndata : e\n\n",
            b"foo\nbar:\n\n",
        ],
    ),
    case("nul_in_data", &[b"data: a\x00b\n\n"]),
    // Event types.
    case(
        "event_type",
        &[
            b"event: add\ndata: 1\n\n",
            b"data: 2\n\n",
            b"event: add\nevent:\ndata: 3\n\n",
            b"event:remove\ndata: 4\n\n",
            b"event: message\ndata: 5\n\n",
            b"event:  spaced\ndata: 6\n\n",
            b"event: add\nevent: remove\ndata: 7\n\n",
        ],
    ),
    case("event_type_without_data", &[b"event: add\n\ndata: x\n\n"]),
    case("event_without_colon", &[b"event: add\nevent\ndata: x\n\n"]),
    // IDs.
    case(
        "id_persists",
        &[
            b"id: 1\ndata: a\n\n",
            b"data: b\n\n",
            b"id: 2\ndata: c\n\ndata: d\n\n",
        ],
    ),
    case(
        "id_after_data_in_block",
        &[b"data: a\nid: 5\n\ndata: b\n\n"],
    ),
    case(
        "id_with_nul_ignored",
        &[
            b"id: 1\ndata: a\n\n",
            b"id: 2\x003\ndata: b\n\n",
            b"data: c\n\n",
        ],
    ),
    case(
        "id_empty_resets",
        &[
            b"id: 1\ndata: a\n\nid\ndata: b\n\n",
            b"id: 3\ndata: c\n\nid:\ndata: d\n\n",
            b"data: e\n\n",
        ],
    ),
    case("id_only_block", &[b"id: 7\n\n", b"data: x\n\n"]),
    case(
        "id_spaces",
        &[b"id:  two\ndata: a\n\nid: a b \ndata: b\n\n"],
    ),
    case("id_last_wins", &[b"id: 1\nid: 2\ndata: a\n\n"]),
    case(
        "id_without_dispatch_then_blank",
        &[b"id: 1\ndata: a\n\nid: 2\n\n", b"\ndata: b\n\n"],
    ),
    // retry never shows in the events.
    case(
        "retry_ignored",
        &[
            b"retry: 1000\ndata: a\n\n",
            b"retry: abc\nretry\nretry: -1\ndata: b\n\n",
            b"retry: 10\n\n",
        ],
    ),
    // UTF-8.
    case(
        "utf8_split_over_frames",
        &[b"data: caf\xC3", b"\xA9 \xF0\x9F", b"\xA6", b"\x80\n\n"],
    ),
    case(
        "invalid_utf8",
        &[
            b"data: a\xFFb\n\n",
            b"data: \xC0\x80\n\n",
            b"data: \xED\xA0\x80\n\n",
            b"data: \xF0\x9F\x98\n\n",
            b"data: \xE2\x82z\n\n",
            b"data: \xF4\x90\x80\x80\n\n",
            b"data: \x80\x80\xBF\n\n",
            b"data: \xF0\x9F\ndata: \x98\x80\n\n",
        ],
    ),
    case("invalid_utf8_split", &[b"data: x\xF0\x9F", b"\x98y\n\n"]),
    case(
        "invalid_utf8_type_and_id",
        &[b"event: a\xFFb\nid: \xFEi\ndata: x\n\n"],
    ),
    // The end of the stream.
    case("unterminated_final_event", &[b"data: a\n\ndata: b\n"]),
    case("unterminated_final_line", &[b"data: a\n\nid: 9\ndata: b"]),
    case("final_event_ends_with_cr", &[b"data: a\r", b"\r"]),
    case("blank_lines_only", &[b"\n\n\r\n\r\r", b"\n", b"\r\n"]),
    case("empty_body", &[]),
];

#[tokio::test]
async fn chromium_eventsource_and_the_decoder_dispatch_the_same_events() {
    if Command::new("chromium").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`chromium` is not on the PATH, and CI must run the browser EventSource \
             conformance test: install Debian's `chromium` package in .ci/run"
        );
        eprintln!(
            "SKIPPED: `chromium` is not on the PATH, so the browser EventSource \
             conformance test cannot run; install Chromium (Debian: `apt-get install \
             chromium`) to run it"
        );
        return;
    }
    let started = Instant::now();
    let page = Bytes::from(page());
    let (results_tx, mut results_rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/" => scripted(
            200,
            "text/html; charset=utf-8",
            vec![Step::Send(page.clone())],
        ),
        "/results" if request.method == http::Method::POST => {
            let _ = results_tx.send(request.body.clone());
            scripted(204, "", vec![])
        }
        path => match path
            .strip_prefix("/case/")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) if n < CASES.len() => {
                let mut steps = Vec::new();
                for (i, frame) in CASES[n].frames.iter().enumerate() {
                    steps.push(Step::Sleep(if i == 0 { FIRST_PAUSE } else { PAUSE }));
                    steps.push(Step::Send(Bytes::from_static(frame)));
                }
                with_header(sse(steps), "cache-control", "no-store")
            }
            _ => scripted(404, "text/plain", vec![]),
        },
    })
    .await;

    let profile = Profile::new();
    let log_path = profile.0.join("chromium.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut chromium = tokio::process::Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.0.display()))
        .arg(server.url("/"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("chromium starts");

    let outcome = tokio::time::timeout(BROWSER_TIMEOUT, async {
        tokio::select! {
            results = results_rx.recv() => Ok(results.expect("the server is running")),
            status = chromium.wait() => Err(status),
        }
    })
    .await;
    // The page closes its window once its results are posted, which ends a
    // headless Chromium and all its processes (a killed one leaves its
    // helpers running for a few seconds): kill it only if it lingers.
    if matches!(outcome, Ok(Ok(_)))
        && tokio::time::timeout(EXIT_TIMEOUT, chromium.wait())
            .await
            .is_err()
    {
        eprintln!("chromium did not exit {EXIT_TIMEOUT:?} after its page closed: killing it");
    }
    let _ = chromium.kill().await;
    let chromium_log = || {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    };
    let body = match outcome {
        Ok(Ok(body)) => body,
        Ok(Err(status)) => panic!(
            "chromium exited ({status:?}) before the page posted its results; its log:\n{}",
            chromium_log()
        ),
        Err(elapsed) => panic!(
            "the page did not post its results within {BROWSER_TIMEOUT:?} ({elapsed}); the \
             server saw {:?}; chromium's log:\n{}",
            server
                .seen()
                .iter()
                .map(|seen| seen.path.clone())
                .collect::<Vec<_>>(),
            chromium_log()
        ),
    };

    let results: Value = serde_json::from_slice(&body).expect("the page posts JSON");
    assert!(
        results["error"].is_null(),
        "the page failed: {}",
        results["error"]
    );
    eprintln!("browser: {}", results["userAgent"]);
    let browser_cases = results["cases"].as_array().expect("a list of cases");
    assert_eq!(browser_cases.len(), CASES.len(), "one result per case");

    let mut differences = Vec::new();
    for (index, (case, browser)) in CASES.iter().zip(browser_cases).enumerate() {
        assert_eq!(
            browser["end"], "error",
            "case {index} ({}): the stream should end with an `error` event, not by the \
             page's timeout",
            case.name
        );
        assert_eq!(
            browser["opened"], true,
            "case {index} ({}): the EventSource never opened",
            case.name
        );
        let chromium = browser["events"].as_array().expect("a list of events");
        let decoder = decode(case.frames);
        eprintln!("case {index:2} {:36} {} events", case.name, decoder.len());
        if *chromium != decoder {
            differences.push(format!(
                "case {index} ({}), frames {:?}:\n  chromium: {}\n  decoder:  {}",
                case.name,
                case.frames
                    .iter()
                    .map(|frame| frame.escape_ascii().to_string())
                    .collect::<Vec<_>>(),
                Value::from(chromium.clone()),
                Value::from(decoder),
            ));
        }
    }
    eprintln!("{} cases in {:?}", CASES.len(), started.elapsed());
    assert!(
        differences.is_empty(),
        "Chromium and the decoder disagree on {} of {} cases:\n{}",
        differences.len(),
        CASES.len(),
        differences.join("\n")
    );
}

/// What a fresh decoder dispatches from `frames`, as the page records it.
fn decode(frames: &[&'static [u8]]) -> Vec<Value> {
    let mut decoder = Decoder::new();
    let mut events = Vec::new();
    let mut drain = |decoder: &mut Decoder| {
        while let Some(event) = decoder.next_event().expect("no limit is reached") {
            events.push(json!({
                "type": event.event_type(),
                "data": event.data(),
                "lastEventId": event.id(),
            }));
        }
    };
    for frame in frames {
        decoder.push(Bytes::from_static(frame));
        drain(&mut decoder);
    }
    decoder.finish();
    drain(&mut decoder);
    events
}

/// Every event type a case may dispatch besides `message`: the value of
/// each `event` line, read loosely (a superset of what a parser sees), so
/// that the page listens for all of them.
fn custom_types(frames: &[&[u8]]) -> Vec<String> {
    let stream: Vec<u8> = frames.concat();
    let mut types: Vec<String> = stream
        .split(|&byte| byte == b'\n' || byte == b'\r')
        .map(|line| line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line))
        .filter_map(|line| line.strip_prefix(b"event:"))
        .map(|value| {
            String::from_utf8_lossy(value.strip_prefix(b" ").unwrap_or(value)).into_owned()
        })
        .filter(|value| !value.is_empty() && value != "message")
        .collect();
    types.sort();
    types.dedup();
    for reserved in ["open", "error"] {
        assert!(
            !types.iter().any(|t| t == reserved),
            "a case may not use the event type {reserved:?}: the page listens for it"
        );
    }
    types
}

/// The page that runs the corpus through `EventSource`.
fn page() -> String {
    let cases: Vec<Value> = CASES
        .iter()
        .enumerate()
        .map(|(index, case)| json!({"path": format!("/case/{index}"), "types": custom_types(case.frames)}))
        .collect();
    // Inside <script>, "<" must not start a tag.
    let cases = Value::from(cases).to_string().replace('<', "\\u003c");
    format!(
        r#"<!doctype html>
<meta charset="utf-8">
<title>EventSource conformance</title>
<script>
"use strict";
const CASES = {cases};
const PER_CASE_TIMEOUT_MS = 10000;
const results = [];

function post(body) {{
  fetch("/results", {{
    method: "POST",
    headers: {{ "content-type": "application/json" }},
    body: JSON.stringify(body),
  }}).finally(() => window.close());
}}

function run(index) {{
  if (index === CASES.length) {{
    post({{ userAgent: navigator.userAgent, cases: results }});
    return;
  }}
  const events = [];
  let opened = false;
  let done = false;
  const source = new EventSource(CASES[index].path);
  const record = (event) => {{
    events.push({{ type: event.type, data: event.data, lastEventId: event.lastEventId }});
  }};
  const finish = (end) => {{
    if (done) return;
    done = true;
    clearTimeout(timer);
    source.close();
    results.push({{ events, opened, end }});
    setTimeout(() => run(index + 1), 0);
  }};
  const timer = setTimeout(() => finish("timeout"), PER_CASE_TIMEOUT_MS);
  source.onopen = () => {{ opened = true; }};
  source.onmessage = record;
  for (const type of CASES[index].types) source.addEventListener(type, record);
  source.onerror = () => finish("error");
}}

// Any script error is reported at once rather than as a timeout.
window.addEventListener("error", (event) => post({{ error: String(event.message) }}));
run(0);
</script>
"#
    )
}

/// A fresh `--user-data-dir` for Chromium, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("chromium-profile-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
