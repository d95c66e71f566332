//! An SSE server streaming a made-up LLM answer, token by token.
//!
//! ```sh
//! cargo run -p sse-hyper --example server -- 3000   # the port; 3000 if left out
//! curl -N http://127.0.0.1:3000/events              # the raw stream
//! curl -N -H 'Last-Event-ID: 10' http://127.0.0.1:3000/events   # resume after token 10
//! ```
//!
//! or open <http://127.0.0.1:3000/> in a browser: the page's `EventSource`
//! prints the answer as it streams.
//!
//! Each token is an `event: token` with an `id` and a JSON `data` line; the
//! answer ends with `event: done` and `data: [DONE]`. A keep-alive comment
//! goes out after 15 seconds of silence, and a reconnecting client that sends
//! `Last-Event-ID` resumes after that token.

use bytes::Bytes;
use futures::{StreamExt, stream};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpListener;

const ANSWER: &str = "Server-Sent Events stream text over plain HTTP: the server \
    keeps the response open and writes one event per token, and the browser's \
    EventSource reconnects by itself, sending the last event ID so the stream \
    can resume where it stopped.";

const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>sse-hyper example</title>
<pre id="out"></pre>
<script>
  const out = document.getElementById("out");
  const source = new EventSource("/events");
  source.addEventListener("token", (e) => { out.textContent += JSON.parse(e.data).delta; });
  source.addEventListener("done", () => { out.textContent += "\n[done]"; source.close(); });
</script>
"#;

type Body = BoxBody<Bytes, Infallible>;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = match std::env::args().nth(1) {
        Some(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the port must be a number from 0 to 65535, not {port:?}"),
            )
        })?,
        None => 3000,
    };
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let address = listener.local_addr()?;
    println!("open http://{address}/ or run: curl -N http://{address}/events");
    loop {
        let (tcp, _) = listener.accept().await?;
        tokio::spawn(async move {
            let served = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service_fn(route))
                .await;
            if let Err(error) = served {
                eprintln!("connection ended with an error: {error}");
            }
        });
    }
}

async fn route(request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    Ok(match (request.method(), request.uri().path()) {
        (&Method::GET, "/") => Response::builder()
            .header("content-type", "text/html; charset=utf-8")
            .body(Full::new(Bytes::from_static(PAGE.as_bytes())).boxed())
            .expect("a valid response"),
        (&Method::GET, "/events") => {
            let resume_after = request
                .headers()
                .get("last-event-id")
                .and_then(|id| id.to_str().ok()?.parse::<usize>().ok());
            let first = resume_after.map_or(0, |id| id + 1);
            EventStreamBody::new(answer(first))
                .keep_alive(Duration::from_secs(15))
                .into_response()
                .map(BodyExt::boxed)
        }
        _ => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::new(Bytes::from_static(b"try /events\n")).boxed())
            .expect("a valid response"),
    })
}

/// The answer's tokens from index `first` on, at a model's pace, then `done`.
fn answer(first: usize) -> impl futures::Stream<Item = Result<EventBuilder, Infallible>> {
    let tokens: Vec<&str> = ANSWER.split_inclusive(' ').collect();
    let count = tokens.len();
    let token_events = stream::iter(tokens.into_iter().enumerate().skip(first)).then(
        |(index, token)| async move {
            // 20 to 80 ms per token, varying like a real model's.
            let pause = 20 + (index * 37) % 60;
            tokio::time::sleep(Duration::from_millis(pause as u64)).await;
            let data = serde_json::json!({ "delta": token }).to_string();
            EventBuilder::new()
                .event_type("token")
                .and_then(|event| event.id(index.to_string()))
                .map(|event| event.data(data))
        },
    );
    let done = stream::once(async move {
        EventBuilder::new()
            .event_type("done")
            .and_then(|event| event.id(count.to_string()))
            .map(|event| event.data("[DONE]"))
    });
    let first_block = stream::iter([Ok(EventBuilder::new().retry(Duration::from_secs(3)))]);
    first_block.chain(
        token_events
            .chain(done)
            .map(|event| Ok(event.expect("event types and ids here have no line breaks"))),
    )
}
