//! What the decoder hands out: events, and the comments and `retry` updates
//! around them.

use bytes::Bytes;
use bytestring::ByteString;
use core::time::Duration;

/// One dispatched server-sent event.
///
/// Its strings share the received buffers where they can: the data of an
/// event whose single `data` line arrived inside one chunk is a slice of that
/// chunk, not a copy, and the joined data of multi-line events lies in a
/// buffer of the decoder's that the events around it share (4 KiB, grown
/// for events up to 64 KiB to at most twice that; a bigger event has a
/// buffer of its own). A `data` line that arrived split over chunks is
/// joined in another such buffer (at least 1 KiB, more for a longer line).
/// Its type and ID share another small buffer.
/// Cloning an `Event` is cheap (reference counts only). An event kept for
/// long keeps those buffers alive: to keep only its bytes, copy them
/// (`Bytes::copy_from_slice(event.data_bytes())`).
///
/// ```
/// use bytes::Bytes;
/// use sse_core::Decoder;
///
/// let mut decoder = Decoder::new();
/// decoder.push(Bytes::from_static(b"event: add\nid: 7\ndata: 73857293\n\n"));
/// let event = decoder.next_event()?.expect("a complete event");
/// assert_eq!(event.event_type(), "add");
/// assert_eq!(event.id(), "7");
/// assert_eq!(event.data(), "73857293");
/// # Ok::<(), sse_core::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    pub(crate) event_type: ByteString,
    pub(crate) data: ByteString,
    pub(crate) id: ByteString,
}

impl Event {
    /// The event type: the last `event` field of the block, or `"message"`
    /// when there was none or it was empty.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The data: every `data` field of the block joined with `\n`.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The data as the `Bytes` it is stored in (valid UTF-8), to pass on
    /// without copying, for example to a JSON parser or another socket.
    pub fn data_bytes(&self) -> &Bytes {
        self.data.as_bytes()
    }

    /// Takes the data out of the event without copying.
    pub fn into_data_bytes(self) -> Bytes {
        self.data.into_bytes()
    }

    /// The stream's last event ID when this event was dispatched: the value
    /// of the most recent `id` field, which persists across events. Empty if
    /// none was seen or it was reset with an empty `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the event type is `"message"`: the stream sent no `event`
    /// field for it, an empty one, or `event: message`.
    pub fn is_message(&self) -> bool {
        self.event_type() == "message"
    }
}

/// Everything a stream can tell its reader, in the order it arrived:
/// events, and for callers that want them, comments and `retry` updates.
///
/// [`Decoder::next_frame`](crate::Decoder::next_frame) yields these;
/// [`Decoder::next_event`](crate::Decoder::next_event) skips all but events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Frame {
    /// A dispatched event.
    Event(Event),
    /// A comment line (`: text`), with one leading space removed as for field
    /// values. Servers send these as keep-alives; they never reach an
    /// `EventSource` but tell a reader that the connection is alive.
    Comment(Comment),
    /// A valid `retry` field: the server's new reconnection time. It applies
    /// at once, whether or not the block it is in dispatches an event.
    Retry(Duration),
}

/// The text of a comment line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comment(pub(crate) ByteString);

impl Comment {
    /// The comment text after the colon and one optional space.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Comment {
    fn as_ref(&self) -> &str {
        self.text()
    }
}
