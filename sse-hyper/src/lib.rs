//! Server-Sent Events over hyper 1.x on tokio: a fetch-style client with
//! reconnection, and a streaming server body. Every protocol decision
//! (parsing, `Last-Event-ID`, how long to wait before reconnecting, whether a
//! response opens a stream) lives in [`sse_core`]; this crate does the I/O.
//!
//! ```
//! # #[cfg(all(feature = "server", feature = "json"))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! # use hyper_util::rt::{TokioExecutor, TokioIo};
//! # use sse_hyper::{EventBuilder, EventStreamBody};
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! # let url = format!("http://{}/chat", listener.local_addr().unwrap());
//! # tokio::spawn(async move {
//! #     let (tcp, _) = listener.accept().await.unwrap();
//! #     let service = hyper::service::service_fn(|_| async {
//! #         let tokens = ["Hel", "lo", "[DONE]"].map(|t| Ok::<_, std::convert::Infallible>(EventBuilder::new().data(t)));
//! #         Ok::<_, std::convert::Infallible>(EventStreamBody::new(futures::stream::iter(tokens)).into_response())
//! #     });
//! #     hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
//! #         .serve_connection(TokioIo::new(tcp), service).await.unwrap();
//! # });
//! use std::sync::{Arc, Mutex};
//!
//! let answer = Arc::new(Mutex::new(String::new()));
//! let sink = answer.clone();
//! let handle = sse_hyper::Client::new()
//!     .post(&url)                                   // a server on 127.0.0.1
//!     .json(&serde_json::json!({"message": "say hello"}))
//!     .on_open(|response| assert_eq!(response.status(), 200))
//!     .on_message(move |event| {
//!         if event.data() != "[DONE]" {
//!             sink.lock().unwrap().push_str(event.data());
//!         }
//!     })
//!     .on_close(|| println!("done"))
//!     .spawn();
//! assert!(matches!(handle.await, sse_hyper::Outcome::Closed));
//! assert_eq!(*answer.lock().unwrap(), "Hello");
//! # }
//! # #[cfg(not(all(feature = "server", feature = "json")))]
//! # fn main() {}
//! ```
//!
//! The same request as a `Stream` of events: `.events()` instead of the
//! callbacks and `.spawn()`.
//!
//! # Client behaviour
//!
//! - Callbacks in order, never concurrently: `on_open`, then `on_message`
//!   and `on_comment` as events and comments arrive, `on_error` before the
//!   client acts on an error; at the end `on_close` for a clean end
//!   (`on_message` can ask for one by returning [`Flow::Close`]) or
//!   `on_abort` for an abort, then `on_finish` with the [`Outcome`], however
//!   it ended.
//! - Sends `Accept: text/event-stream` and `Cache-Control: no-cache` unless
//!   set, and `Last-Event-ID` on reconnects once the server sent an `id`.
//! - Opens only on a 2xx `text/event-stream` response; anything else is an
//!   [`Error`] carrying the status, headers and the start of the body, and is
//!   not retried unless listed in
//!   [`retry_statuses`](RequestBuilder::retry_statuses) (such as
//!   [`TRANSIENT_STATUSES`]: 429, 502, 503, 504), which waits at least
//!   their `Retry-After`. 204 ends the stream cleanly.
//! - Reconnects after network errors and server closes, for idempotent
//!   methods by default (not POST: re-sending a prompt costs money), waiting
//!   the server's `retry` (at least 100 ms) plus up to a quarter more, so
//!   that clients a server restart drops together do not all return at
//!   once, then backing off with jitter
//!   ([`ReconnectPolicy`](sse_core::ReconnectPolicy)); `on_error` can change
//!   each decision. The backoff starts over once a connection delivers an
//!   event or stays open for a minute; one that ends sooner with only
//!   comments or nothing counts as a failure.
//! - Without reconnection (a POST), a body that ends in the middle of an
//!   event ends with [`Error::ServerClosed`]` { mid_event: true }`, not a
//!   clean close: a truncated answer does not pass for a complete one.
//! - Every error that ends the request reaches `on_error` first.
//! - [`close_when`](RequestBuilder::close_when) ends the stream after a last
//!   event such as `data: [DONE]`, without reconnecting;
//!   [`headers_with`](RequestBuilder::headers_with) recomputes headers (a
//!   refreshed token) before every attempt;
//!   [`on_comment`](RequestBuilder::on_comment) sees keep-alive comments.
//! - Follows redirects like fetch (`Location` resolved with the WHATWG URL
//!   parser), dropping credentials across origins. `https://` needs the
//!   `rustls` feature; without it such URLs are refused, never sent in
//!   clear text.
//! - HTTP proxies, set on the [`ClientBuilder`] or read from `HTTPS_PROXY`,
//!   `HTTP_PROXY` and `NO_PROXY`: `https://` through a `CONNECT` tunnel, TLS
//!   end to end.
//! - Connect, response and idle-read timeouts; abort at any stage through an
//!   [`AbortHandle`], taken from a running request or made beforehand (so
//!   that a callback can stop its own request, or one handle several);
//!   dropping the stream closes the connection.
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `client` | yes | [`Client`], callbacks, [`EventSource`] stream, HTTP proxies |
//! | `server` | yes | [`EventStreamBody`], and [`server::channel`] to feed one from other tasks |
//! | `rustls` | yes | HTTPS through rustls with `ring`, trusting Mozilla's roots (webpki-roots) plus any added with [`ClientBuilder::add_root_certificate`]; HTTP/2 through ALPN. Without it, `https://` URLs are refused |
//! | `json` | yes | [`RequestBuilder::json`] |
//! | `gzip` | no | sends `Accept-Encoding: gzip` and decodes a gzip body frame by frame |
// The crate docs above describe every feature, and link items that a build
// without some of them does not have.
#![cfg_attr(
    not(all(
        feature = "client",
        feature = "server",
        feature = "rustls",
        feature = "json"
    )),
    allow(rustdoc::broken_intra_doc_links)
)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use sse_core;
pub use sse_core::Event;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub use client::{
    AbortHandle, Client, ClientBuilder, Error, ErrorAction, EventSource, FetchHandle, Flow,
    Outcome, ReadyState, RequestBuilder, ResponseInfo, TRANSIENT_STATUSES,
};

#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub use server::EventStreamBody;
#[cfg(feature = "server")]
pub use sse_core::{EncodeError, EventBuilder};
