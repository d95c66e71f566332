//! The server half: a `text/event-stream` response body that encodes a
//! [`Stream`](futures_core::Stream) of events as they come, or the events
//! other tasks send through a [`channel`].
//!
//! ```
//! use std::convert::Infallible;
//! use std::time::Duration;
//! use sse_hyper::server::EventStreamBody;
//! use sse_hyper::EventBuilder;
//!
//! # fn tokens() -> impl futures_core::Stream<Item = Result<EventBuilder, Infallible>> {
//! #     futures::stream::empty()
//! # }
//! // In a hyper service: any Stream of Result<EventBuilder, E>.
//! let events = tokens();
//! let response = EventStreamBody::new(events)
//!     .keep_alive(Duration::from_secs(15))
//!     .into_response();
//! assert_eq!(response.headers()["content-type"], "text/event-stream");
//! ```
//!
//! # How it streams
//!
//! - **One frame per event, at once.** The body polls the stream only when
//!   hyper asks for the next frame, encodes the event it gets with
//!   [`EventBuilder::encode`](sse_core::EventBuilder::encode) and hands it
//!   to hyper as its own frame, so every token goes out as soon as it
//!   exists; nothing is held back to fill a buffer.
//! - **Backpressure.** Hyper asks for the next frame only when it has room
//!   to write it, so a slow client slows the stream down instead of making
//!   the server queue events for it without bound.
//! - **Disconnects.** When the client goes away, hyper drops the body and
//!   with it the stream: the producer sees its channel closed or its future
//!   dropped and can stop work (an LLM request, a database cursor) at once.
//!   On HTTP/1.1 this needs the request body read to its end first (a POST's
//!   JSON, say): while hyper has a request body left to read it does not
//!   watch the socket, and a disconnect shows only when a write fails.
//! - **Keep-alive.** With [`EventStreamBody::keep_alive`], a comment line
//!   goes out after each interval of silence, so proxies and load balancers
//!   do not close an idle stream and the client knows the server is there.
//! - **Errors.** An `Err` from the stream is passed to hyper, which ends the
//!   response abruptly (HTTP/1.1 closes the connection without the final
//!   chunk, HTTP/2 resets the stream), so the client sees a failed body,
//!   not a clean end. On HTTP/1.1 the events produced before it are
//!   written first. On HTTP/2 the reset drops whatever h2 has not yet
//!   written, which may be the last events or even the response headers. To
//!   tell the client why in a way that always arrives, send an event saying
//!   so and then end the stream instead of returning the error.
//!
//! The response headers, and why each is there, are listed at
//! [`EventStreamBody::into_response`].

mod body;
mod channel;
mod keep_alive;
mod response;

pub use body::EventStreamBody;
pub use channel::{Disconnected, EventReceiver, EventSender, channel};
