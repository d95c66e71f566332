//! A spec-exact, zero-copy, bounded decoder (and an encoder) for
//! Server-Sent Events (`text/event-stream`), with no I/O.
//!
//! ```
//! use bytes::Bytes;
//! use sse_core::Decoder;
//!
//! let mut decoder = Decoder::new();
//! decoder.push(Bytes::from_static(b"event: token\ndata: Hel"));
//! decoder.push(Bytes::from_static(b"lo\n\nid: 42\ndata: [DONE]\n\n"));
//!
//! let first = decoder.next_event()?.expect("a complete event");
//! assert_eq!((first.event_type(), first.data(), first.id()), ("token", "Hello", ""));
//! let second = decoder.next_event()?.expect("a second event");
//! assert_eq!((second.event_type(), second.data(), second.id()), ("message", "[DONE]", "42"));
//! assert!(decoder.next_event()?.is_none()); // needs more input
//! assert_eq!(decoder.last_event_id(), "42");
//! # Ok::<(), sse_core::DecodeError>(())
//! ```
//!
//! # What it implements
//!
//! The parsing and interpretation rules of the WHATWG HTML standard,
//! section 9.2.5-9.2.6, exactly: one leading BOM dropped; CRLF, LF and CR
//! line ends, also when a CR ends one chunk and its LF starts the next;
//! `data`, `event`, `id` (ignored when it contains NUL) and `retry` (ASCII
//! digits only); comments; blank-line dispatch; the last event ID that
//! persists across events (and, as in browsers, across a reconnect: see
//! [`Decoder`]); an unterminated event at the end of the stream discarded.
//! Invalid UTF-8 becomes U+FFFD; it never fails the stream.
//!
//! # Zero copy, bounded memory
//!
//! Pushed chunks are [`Bytes`](bytes::Bytes). A `data` line that lies inside
//! one chunk becomes the event's data as a slice of that chunk. The `data`
//! lines of a multi-line event are joined in a buffer of the decoder's that
//! the events share and that is reused once they are dropped, so they cost
//! no allocation either in a steady stream. Only a line split across chunks
//! is copied, and the short `event` and `id` values, which would otherwise
//! keep a whole read buffer alive until the next `id`. The bytes held for
//! one event are bounded by
//! [`Limits`] (16 MiB by default): an event over the bound is skipped and
//! reported as [`DecodeError::EventTooLarge`], and decoding goes on.
//!
//! # Layers
//!
//! - [`Decoder`]: push bytes, pull [`Event`]s (or [`Frame`]s, which add
//!   comments and `retry` updates).
//! - [`EventStream`]: the same over any `Stream` of byte chunks.
//! - [`EventBuilder`]: the other direction, an event encoded to bytes that
//!   decode back to exactly that event (or a typed [`EncodeError`] when the
//!   format cannot carry it).
//! - [`Reconnect`] and [`check_response`]: the client's decisions (how long
//!   to wait before reconnecting, whether a response opens a stream) as
//!   plain state, for transports to drive.
//!
//! Without the default `std` feature the crate is `no_std` + `alloc`.
#![no_std]
// `utf8.rs` holds the one `unsafe` block, measured and fuzzed; nothing
// else may use one.
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod decoder;
mod encoder;
mod error;
mod event;
mod limits;
mod line_ends;
mod lines;
mod reconnect;
mod response;
mod short_values;
mod stream;
mod utf8;

pub use decoder::Decoder;
pub use encoder::{EncodeError, EventBuilder};
pub use error::{DecodeError, StreamError};
pub use event::{Comment, Event, Frame};
pub use limits::Limits;
pub use reconnect::{Reconnect, ReconnectPolicy};
pub use response::{ResponseCheck, check_response, is_event_stream};
pub use stream::{EventStream, FrameStream};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
