//! The incremental decoder: lines in, events out, following the WHATWG
//! "Interpreting an event stream" rules.

use alloc::string::String;
use alloc::vec::Vec;
use bytes::Bytes;
use bytestring::ByteString;
use core::time::Duration;

use crate::error::DecodeError;
use crate::event::{Comment, Event, Frame};
use crate::limits::Limits;
use crate::lines::{Line, LineReader, Read};

const MESSAGE: ByteString = ByteString::from_static("message");

/// The longest field prefix that does not count toward the limit ("event: "),
/// so that an event whose data is exactly at the limit still fits while its
/// line is being buffered.
const FIELD_PREFIX: usize = "event: ".len();

/// An incremental `text/event-stream` decoder with no I/O.
///
/// Push chunks of bytes as they arrive with [`push`](Self::push), then take
/// events with [`next_event`](Self::next_event) until it returns `Ok(None)`,
/// which means "push more". Chunks may be split anywhere, even inside a
/// UTF-8 character or between the CR and LF of a line end.
///
/// ```
/// use bytes::Bytes;
/// use sse_core::Decoder;
///
/// let mut decoder = Decoder::new();
/// decoder.push(Bytes::from_static(b"retry: 3000\ndata: hel"));
/// assert!(decoder.next_event()?.is_none()); // the event is not complete yet
/// decoder.push(Bytes::from_static(b"lo\n\n"));
/// let event = decoder.next_event()?.unwrap();
/// assert_eq!(event.data(), "hello");
/// assert_eq!(decoder.retry(), Some(std::time::Duration::from_millis(3000)));
/// # Ok::<(), sse_core::DecodeError>(())
/// ```
///
/// One decoder can outlive a connection: call [`finish`](Self::finish) at the
/// end of each response body and push the next response's bytes after it. The
/// last event ID and reconnection time carry over, as they do for an
/// `EventSource` that reconnects.
#[derive(Debug)]
pub struct Decoder {
    lines: LineReader,
    limits: Limits,
    /// The `data` lines of the event being built, joined only at dispatch so
    /// that one line costs no copy and many cost one.
    data: Vec<Bytes>,
    /// Total bytes of `data`.
    data_len: usize,
    event_type: Option<Bytes>,
    /// The spec's "last event ID buffer": set by `id`, applied at dispatch.
    id_buffer: ByteString,
    /// The spec's "last event ID string": what events and reconnects carry.
    last_event_id: ByteString,
    retry: Option<Duration>,
    /// A field line has been read since the last blank line.
    in_event: bool,
    /// The event being read crossed a limit: ignore its lines until it ends.
    skipping: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// A decoder with the default [`Limits`] (16 MiB per event).
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A decoder with the given limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            lines: LineReader::new(),
            limits,
            data: Vec::new(),
            data_len: 0,
            event_type: None,
            id_buffer: ByteString::new(),
            last_event_id: ByteString::new(),
            retry: None,
            in_event: false,
            skipping: false,
        }
    }

    /// The limits this decoder enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Appends a chunk of the stream. Nothing is parsed or copied until
    /// events are taken out.
    pub fn push(&mut self, chunk: Bytes) {
        self.lines.push(chunk);
    }

    /// Marks the end of the current stream (the response body ended).
    ///
    /// Complete events pushed before it are still returned by
    /// [`next_event`](Self::next_event); an unterminated event after them is
    /// discarded, as the specification requires. The last event ID and the
    /// reconnection time are kept, and the decoder accepts the next stream
    /// (for example, after a reconnect), which may start with its own BOM.
    pub fn finish(&mut self) {
        self.lines.push_end();
    }

    /// The next dispatched event, `Ok(None)` when more input is needed.
    ///
    /// Comments and `retry` fields are applied and skipped; use
    /// [`next_frame`](Self::next_frame) to see them. An `Err` reports an event
    /// that was skipped for crossing a limit; the decoder stays usable and the
    /// next call continues after it.
    pub fn next_event(&mut self) -> Result<Option<Event>, DecodeError> {
        match self.next_item(false)? {
            Some(Frame::Event(event)) => Ok(Some(event)),
            Some(_) => unreachable!("only events are produced without extras"),
            None => Ok(None),
        }
    }

    /// Like [`next_event`](Self::next_event), but also yields comments and
    /// `retry` updates as they arrive, for callers that watch keep-alives.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sse_core::{Decoder, Frame};
    ///
    /// let mut decoder = Decoder::new();
    /// decoder.push(Bytes::from_static(b": ping\nretry: 10\n\n"));
    /// assert!(matches!(decoder.next_frame()?, Some(Frame::Comment(c)) if c.text() == "ping"));
    /// assert!(matches!(decoder.next_frame()?, Some(Frame::Retry(d)) if d.as_millis() == 10));
    /// assert_eq!(decoder.next_frame()?, None);
    /// # Ok::<(), sse_core::DecodeError>(())
    /// ```
    pub fn next_frame(&mut self) -> Result<Option<Frame>, DecodeError> {
        self.next_item(true)
    }

    /// The reconnection time from the last valid `retry` field, if any.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The last event ID: the value a reconnect sends as `Last-Event-ID`.
    ///
    /// It changes when a block that set `id` ends with a blank line, whether
    /// or not that block carried data.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Sets the last event ID, for example to resume from an ID saved by an
    /// earlier run. Events without an `id` field carry it until the server
    /// sends another.
    pub fn set_last_event_id(&mut self, id: &str) {
        self.last_event_id = ByteString::from(id);
        self.id_buffer = self.last_event_id.clone();
    }

    /// Whether field lines of an event not yet dispatched have been read:
    /// after the body ends, `true` means the server stopped mid-event.
    pub fn has_incomplete_event(&self) -> bool {
        self.in_event || self.lines.is_mid_line()
    }

    /// Bytes the decoder holds: pushed input not yet parsed, the start of an
    /// unfinished line, and the data of the event being built.
    pub fn buffered_len(&self) -> usize {
        self.lines.buffered() + self.held()
    }

    /// Bytes held for the event being built, the quantity [`Limits`] bound.
    fn held(&self) -> usize {
        self.data_len + self.data.len() + self.event_type.as_ref().map_or(0, Bytes::len)
    }

    fn next_item(&mut self, extras: bool) -> Result<Option<Frame>, DecodeError> {
        loop {
            let limit = self.limits.event_size();
            let budget = limit.map_or(usize::MAX, |limit| limit.saturating_sub(self.held()));
            let line_budget = budget.saturating_add(FIELD_PREFIX);
            let Some(read) = self.lines.next_line(line_budget, !self.skipping) else {
                return Ok(None);
            };
            let line = match read {
                Read::Line(line) => line,
                Read::Skipped => continue,
                Read::End => {
                    self.end_stream();
                    continue;
                }
                Read::TooLong { size } => return Err(self.too_large(size)),
            };
            if line.bytes.is_empty() {
                if let Some(event) = self.dispatch() {
                    return Ok(Some(Frame::Event(event)));
                }
                continue;
            }
            let (name, value) = match memchr::memchr(b':', line.bytes) {
                Some(0) => {
                    if extras {
                        let text = utf8_lossy(line.to_bytes(strip_space(&line.bytes[1..])));
                        return Ok(Some(Frame::Comment(Comment(text))));
                    }
                    continue;
                }
                Some(colon) => (&line.bytes[..colon], strip_space(&line.bytes[colon + 1..])),
                None => (line.bytes, &[][..]),
            };
            self.in_event = true;
            if value.len() > budget && matches!(name, b"data" | b"event") {
                let size = value.len();
                return Err(self.too_large(size));
            }
            match name {
                b"data" => {
                    self.data_len += value.len();
                    self.data.push(line.to_bytes(value));
                }
                b"event" => self.event_type = Some(line.to_bytes(value)),
                b"id" => set_id(&mut self.id_buffer, &line, value),
                b"retry" => {
                    if let Some(retry) = parse_retry(value) {
                        self.retry = Some(retry);
                        if extras {
                            return Ok(Some(Frame::Retry(retry)));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The event being built would exceed the limit with `size` more bytes:
    /// drop it and skip the rest of its lines.
    fn too_large(&mut self, size: usize) -> DecodeError {
        let error = DecodeError::EventTooLarge {
            limit: self.limits.event_size().unwrap_or(usize::MAX),
            size: self.held() + size,
        };
        self.clear_event();
        self.in_event = true;
        self.skipping = true;
        error
    }

    /// A blank line: apply the ID and dispatch the event, if it has data.
    fn dispatch(&mut self) -> Option<Event> {
        self.in_event = false;
        if self.last_event_id != self.id_buffer {
            self.last_event_id = self.id_buffer.clone();
        }
        if self.skipping {
            // The blank line that ends an event skipped for its size.
            self.skipping = false;
            return None;
        }
        let event_type = match self.event_type.take() {
            Some(name) if !name.is_empty() => Some(name),
            _ => None,
        };
        let data = match self.data.len() {
            0 => return None,
            1 => self.data.pop().expect("one data line"),
            _ => self.join_data(),
        };
        self.data.clear();
        self.data_len = 0;
        Some(Event {
            event_type: event_type.map_or(MESSAGE, utf8_lossy),
            data: utf8_lossy(data),
            id: self.last_event_id.clone(),
        })
    }

    /// Joins the data lines with LF in one allocation.
    fn join_data(&mut self) -> Bytes {
        let mut joined = Vec::with_capacity(self.data_len + self.data.len() - 1);
        for (i, line) in self.data.iter().enumerate() {
            if i > 0 {
                joined.push(b'\n');
            }
            joined.extend_from_slice(line);
        }
        Bytes::from(joined)
    }

    fn clear_event(&mut self) {
        self.data.clear();
        self.data_len = 0;
        self.event_type = None;
        self.in_event = false;
    }

    /// The stream ended: discard the unterminated event, keep the last event
    /// ID and reconnection time for the next stream.
    fn end_stream(&mut self) {
        self.clear_event();
        self.skipping = false;
        self.id_buffer = self.last_event_id.clone();
    }
}

/// `id`: taken unless it contains NUL, which the spec ignores.
fn set_id(buffer: &mut ByteString, line: &Line<'_>, value: &[u8]) {
    if memchr::memchr(0, value).is_some() || buffer.as_bytes() == value {
        return;
    }
    *buffer = utf8_lossy(line.to_bytes(value));
}

/// Drops the one space the spec allows after the colon.
fn strip_space(value: &[u8]) -> &[u8] {
    value.strip_prefix(b" ").unwrap_or(value)
}

/// `retry`: only ASCII digits count; a value too large for a `Duration` in
/// milliseconds saturates instead of overflowing.
fn parse_retry(value: &[u8]) -> Option<Duration> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let millis = value.iter().fold(0u64, |millis, digit| {
        millis
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    Some(Duration::from_millis(millis))
}

/// Text from bytes, without a copy when they are valid UTF-8; invalid
/// sequences become U+FFFD, as the spec's UTF-8 decode does.
#[allow(clippy::needless_pass_by_value)] // callers hand over their Bytes
fn utf8_lossy(bytes: Bytes) -> ByteString {
    // Validating a clone (a reference count) keeps the bytes for the rare
    // invalid case without validating twice in the common one.
    match ByteString::try_from(bytes.clone()) {
        Ok(text) => text,
        Err(_) => ByteString::from(String::from_utf8_lossy(&bytes).into_owned()),
    }
}
