//! The incremental decoder: lines in, events out, following the WHATWG
//! "Interpreting an event stream" rules.

use alloc::string::String;
use alloc::vec::Vec;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use bytestring::ByteString;
use core::time::Duration;

use crate::error::DecodeError;
use crate::event::{Comment, Event, Frame};
use crate::limits::Limits;
use crate::lines::{Line, LineKind, LineReader, Read};
use crate::short_values::ShortValues;

const MESSAGE: ByteString = ByteString::from_static("message");

/// The most room kept for the next ID after one has been applied.
const ID_BUFFER_KEPT: usize = 1024;

/// The least room made for joining multi-line `data`: several events of a
/// typical size share one allocation while the caller holds on to them.
const JOINED_CAPACITY: usize = 4096;

/// Past this size, joined data leaves its buffer to its event.
const JOINED_KEPT: usize = 64 * 1024;

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
/// `EventSource` that reconnects. (The spec's text starts each stream with an
/// empty last event ID buffer, which the first event of the new stream would
/// then clear; browsers seed it with the last event ID instead, and so does
/// this decoder.)
#[derive(Debug)]
pub struct Decoder {
    lines: LineReader,
    limits: Limits,
    /// The first `data` line of the event being built. Most events have one,
    /// and it is handed out as it is: a slice of the input, no copy.
    data: Option<ByteString>,
    /// With two or more `data` lines, all of them joined with LF. Copying
    /// each line here as it arrives costs less than the two reference count
    /// operations per line of keeping it as a slice. Dispatch splits the
    /// joined data off the front as the event's data, without a copy; the
    /// next events fill the rest of the buffer, and once the events sliced
    /// from it are dropped it is taken back whole, so a steady stream of
    /// multi-line events costs no allocation.
    joined: BytesMut,
    /// How many `data` lines the event being built has.
    data_lines: usize,
    /// Total bytes of the `data` lines as received.
    data_len: usize,
    /// The event being built has an `event` field: its value is
    /// `last_event_type`.
    event_type_set: bool,
    /// The last event type set, handed out again while it repeats.
    last_event_type: ByteString,
    /// Where event types are copied to.
    event_types: ShortValues,
    /// Bytes of the `event` line's value as received.
    event_type_len: usize,
    /// The spec's "last event ID buffer", as received: set by `id`, applied
    /// at dispatch; only while it differs from `last_event_id`.
    id_buffer: Vec<u8>,
    id_buffer_set: bool,
    /// The spec's "last event ID string": what events and reconnects carry.
    /// Plain text rather than shared: events get copies of it (see
    /// [`Decoder::event_id`]).
    last_event_id: String,
    /// The copy of `last_event_id` that events share, once a second event
    /// has carried it.
    shared_id: Option<ByteString>,
    /// An event has carried a copy of `last_event_id`.
    id_handed_out: bool,
    /// Where IDs are copied to.
    ids: ShortValues,
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
            data: None,
            joined: BytesMut::new(),
            data_lines: 0,
            data_len: 0,
            event_type_set: false,
            last_event_type: ByteString::new(),
            event_types: ShortValues::default(),
            event_type_len: 0,
            id_buffer: Vec::new(),
            id_buffer_set: false,
            ids: ShortValues::default(),
            last_event_id: String::new(),
            shared_id: None,
            id_handed_out: false,
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
    #[inline]
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
    // Inlined into the caller, so that the event is built where the caller
    // keeps it instead of being copied there, which stalled on store
    // forwarding: `EventStream` +5-8%, sse-hyper's client +8% on a token
    // stream (benches/e2e).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn next_event(&mut self) -> Result<Option<Event>, DecodeError> {
        match self.next_item(false)? {
            Some(Frame::Event(event)) => Ok(Some(event)),
            Some(_) => unreachable!("only events are produced without extras"),
            None => Ok(None),
        }
    }

    /// [`next_event`](Self::next_event)'s fast path alone, for adapters
    /// that hand out events from a hot loop: when the input waiting in the
    /// current chunk starts with a `data` line and a blank line, dispatches
    /// that event; otherwise returns `None` and reads nothing, and
    /// `next_event` takes over. Never skips an error or an event.
    ///
    /// It is small enough to be inlined into the caller's loop, so that the
    /// event is built where the caller keeps it. `next_event` is too large
    /// for that once inlined into a `Stream`'s `poll_next`, and an event
    /// returned from a call is read back in another width than it was
    /// written in, which stalls on store forwarding. Token streams over
    /// loopback ran 5-10% faster through `sse-hyper` with this in front.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sse_core::Decoder;
    ///
    /// let mut decoder = Decoder::new();
    /// decoder.push(Bytes::from_static(b"data: a\n\ndata: b\n\nevent: c\ndata: d\n\n"));
    /// // A stream may start with a byte order mark: that is for `next_event`.
    /// assert!(decoder.next_event_fast().is_none());
    /// assert_eq!(decoder.next_event()?.unwrap().data(), "a");
    /// assert_eq!(decoder.next_event_fast().unwrap().data(), "b");
    /// assert!(decoder.next_event_fast().is_none()); // an `event` line first
    /// assert_eq!(decoder.next_event()?.unwrap().event_type(), "c");
    /// # Ok::<(), sse_core::DecodeError>(())
    /// ```
    #[allow(clippy::inline_always)] // the point of it: see above
    #[inline(always)]
    pub fn next_event_fast(&mut self) -> Option<Event> {
        let (start, end) = self.fast_data_line()?;
        let data = self.lines.text_in_current(start, end);
        Some(self.event_with(data))
    }

    /// [`next_event_fast`](Self::next_event_fast) with the data made last,
    /// after the calls that the type and ID may need, for `next_event`:
    /// there the data then goes from registers straight into the event,
    /// where kept across those calls it was spilled in words and moved on
    /// in pairs of words, which stalled on store forwarding (llm through
    /// `EventStream` +7-8%, reqwest + `EventStream` over loopback +6-9%).
    /// In sse-hyper's `poll_next` the same order was 3-4% slower over
    /// loopback: there the stall moved to the sliced data instead, so
    /// `next_event_fast` keeps the first order.
    #[allow(clippy::inline_always)] // the point of it: see above
    #[inline(always)]
    fn next_event_fast_data_last(&mut self) -> Option<Event> {
        let (start, end) = self.fast_data_line()?;
        let (event_type, id) = self.dispatch_fields();
        let data = self.lines.text_in_current(start, end);
        Some(Event {
            event_type,
            data,
            id,
        })
    }

    /// The start of the fast paths: when the input waiting in the current
    /// chunk starts with a `data` line and a blank line, reads both and
    /// returns where the line's value lies in the chunk.
    #[allow(clippy::inline_always)] // part of the fast paths
    #[inline(always)]
    fn fast_data_line(&mut self) -> Option<(usize, usize)> {
        self.lines.release_line();
        // Most events of a token stream are one `data` line and a blank line
        // inside one chunk: read both at once and build the event straight
        // from the line, skipping the general path's line by line
        // bookkeeping (which took half the time of such a stream).
        if self.data_lines != 0 || self.skipping {
            return None;
        }
        let budget = self.budget();
        let (start, end) = self.lines.line_then_blank(b"data:", budget)?;
        let space = self.lines.in_current(start, end).first() == Some(&b' ');
        Some((start + usize::from(space), end))
    }

    /// The fast path of a token stream in small chunks: the `data` line
    /// that spanned chunks ends in the current one, followed by a blank
    /// line. Builds the event straight from the joined line, as
    /// [`next_event_fast`](Self::next_event_fast) does from a line within
    /// one chunk.
    #[allow(clippy::inline_always)] // part of `next_item`'s small-chunk path
    #[inline(always)]
    fn joined_event_fast(&mut self) -> Option<Event> {
        if self.data_lines != 0 || self.skipping {
            return None;
        }
        let budget = self.budget();
        let mut line = self.lines.joined_then_blank(b"data:", budget)?;
        if line.first() == Some(&b' ') {
            line.advance(1);
        }
        // The data made last, as in `next_event_fast_data_last`.
        let (event_type, id) = self.dispatch_fields();
        let data = crate::utf8::text(line).unwrap_or_else(|line| lossy(&line));
        Some(Event {
            event_type,
            data,
            id,
        })
    }

    /// The small-chunk path of a multi-line event: the `data` line that
    /// spanned chunks ends in the current one, and the event's data is
    /// joined (it is not the first line, or one follows it). Its value is
    /// copied from where it lies into the joined data, and so are the
    /// `data` lines straight after it; anything else is left to the general
    /// path.
    // Out of line: inlined, it made token streams in small chunks 4% slower
    // through `EventStream`, which never get here.
    #[inline(never)]
    fn joined_data_line(&mut self) {
        let joining = self.data_lines != 0;
        if self.skipping {
            return;
        }
        // A later line costs its separator too: no room for that is an
        // error, for the general path to report.
        let Some(room) = self.budget().checked_sub(usize::from(joining)) else {
            return;
        };
        let Some((held, rest)) = self.lines.joined_data_value(room, !joining) else {
            return;
        };
        if joining {
            if let Some(first) = self.data.take() {
                start_joined(&mut self.joined);
                self.joined.extend_from_slice(first.as_bytes());
            }
            self.joined.put_u8(b'\n');
        } else {
            start_joined(&mut self.joined);
        }
        self.joined.extend_from_slice(held);
        self.joined.extend_from_slice(rest);
        self.data_len += held.len() + rest.len();
        self.data_lines += 1;
        self.in_event = true;
        self.copy_next_data_lines();
    }

    /// Copies the `data` lines straight after the one just read, in the
    /// chunk, into the joined data: in one tight loop rather than a trip
    /// each through the general path.
    #[allow(clippy::inline_always)] // in the loops of multi-line events
    #[inline(always)]
    fn copy_next_data_lines(&mut self) {
        while self.data.is_none() {
            let Some(room) = self.budget().checked_sub(1) else {
                break;
            };
            let Some(value) = self.lines.next_data_value(room) else {
                break;
            };
            self.data_len += value.len();
            self.data_lines += 1;
            self.joined.put_u8(b'\n');
            self.joined.extend_from_slice(value);
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
    /// sends another. An `id` field of an event still being read, not yet
    /// applied, is dropped.
    pub fn set_last_event_id(&mut self, id: &str) {
        self.id_changed();
        self.last_event_id.push_str(id);
        self.id_buffer_set = false;
    }

    /// Whether an event has been started and not dispatched: field lines of
    /// it have been read, or part of a line that is not a comment. After the
    /// body ends, `true` means the server stopped mid-event. It looks at what
    /// [`next_event`](Self::next_event) has read: drain the decoder first.
    pub fn has_incomplete_event(&self) -> bool {
        self.in_event || self.lines.is_mid_field_line()
    }

    /// Bytes the decoder holds: pushed input not yet parsed, the start of an
    /// unfinished line, and the data of the event being built.
    pub fn buffered_len(&self) -> usize {
        self.lines.buffered() + self.held()
    }

    /// How many more bytes the event being built may hold.
    #[inline] // called for every line; as a call it took 3-5% of the time
    fn budget(&self) -> usize {
        self.limits.room_after(self.held())
    }

    /// Bytes held for the event being built, the quantity [`Limits`] bound.
    fn held(&self) -> usize {
        // Data lines are joined with LF: one fewer separator than lines.
        self.data_len + self.data_lines.saturating_sub(1) + self.event_type_len
    }

    // Inlined into `next_event` and `next_frame`: the event then goes
    // straight to the caller instead of through a `Frame` in memory, whose
    // copy stalled on store forwarding for a seventh of an LLM stream's time.
    #[allow(clippy::inline_always)] // measured: see above
    #[inline(always)]
    fn next_item(&mut self, extras: bool) -> Result<Option<Frame>, DecodeError> {
        self.lines.release_line();
        if self.lines.is_mid_line() {
            // A line spanning small chunks: append this one to it.
            let (limits, held) = (&self.limits, self.held());
            let line_budget = || limits.room_after(held).saturating_add(FIELD_PREFIX);
            if self.lines.continue_line(line_budget) {
                return Ok(None);
            }
            if let Some(event) = self.joined_event_fast() {
                return Ok(Some(Frame::Event(event)));
            }
            self.joined_data_line();
        } else if let Some(event) = self.next_event_fast_data_last() {
            return Ok(Some(Frame::Event(event)));
        }
        loop {
            let budget = self.budget();
            let line_budget = budget.saturating_add(FIELD_PREFIX);
            let Some(read) = self.lines.next_line(line_budget, !extras) else {
                return Ok(None);
            };
            let line = match read {
                Read::Line(line) => line,
                Read::End => {
                    self.end_stream();
                    continue;
                }
                // Keep-alive comments: the event after them may still take
                // the fast path (comment-heavy streams: +30%).
                Read::SkippedComments => {
                    if let Some(event) = self.next_event_fast_data_last() {
                        return Ok(Some(Frame::Event(event)));
                    }
                    continue;
                }
                // A comment or unknown field too long to hold: ignored
                // anyway, so the event it stands in or before goes on.
                Read::TooLong {
                    kind: LineKind::Comment,
                    ..
                } => continue,
                Read::TooLong {
                    kind: LineKind::UnknownField,
                    ..
                } => {
                    self.in_event = true;
                    continue;
                }
                // The event being skipped is already reported once.
                Read::TooLong { .. } if self.skipping => continue,
                Read::TooLong { size, .. } => return Err(self.too_large(size)),
            };
            if line.bytes.is_empty() {
                if let Some(event) = self.dispatch() {
                    return Ok(Some(Frame::Event(event)));
                }
                continue;
            }
            if line.bytes[0] == b':' {
                if extras {
                    let text = text(&line, strip_space(&line.bytes[1..]));
                    return Ok(Some(Frame::Comment(Comment(text))));
                }
                continue;
            }
            // Nearly every field line is `data:`: spare it the search for the
            // colon and the comparison of names.
            let (name, value) = if let Some(value) = line.bytes.strip_prefix(b"data:") {
                (&b"data"[..], strip_space(value))
            } else {
                match memchr::memchr(b':', line.bytes) {
                    Some(colon) => (&line.bytes[..colon], strip_space(&line.bytes[colon + 1..])),
                    None => (line.bytes, &[][..]),
                }
            };
            self.in_event = true;
            if self.skipping && matches!(name, b"data" | b"event") {
                // The rest of an event over the limit: its payload is
                // dropped, but `id` and `retry` still apply wherever they are.
                continue;
            }
            let cost = match name {
                b"data" => value.len() + usize::from(self.data_lines > 0),
                // It replaces the type held so far.
                b"event" => value.len().saturating_sub(self.event_type_len),
                _ => 0,
            };
            if cost > budget {
                return Err(self.too_large(cost));
            }
            match name {
                b"data" => {
                    self.data_len += value.len();
                    self.data_lines += 1;
                    if self.data_lines == 1 {
                        if line.data_follows {
                            // Joined with the next line anyway: spare the
                            // slice's reference count and its UTF-8 check.
                            start_joined(&mut self.joined);
                            self.joined.extend_from_slice(value);
                        } else if line.is_joined() {
                            let start = line.bytes.len() - value.len();
                            self.data = Some(self.lines.take_joined(start));
                        } else {
                            self.data = Some(text(&line, value));
                        }
                    } else {
                        if let Some(first) = self.data.take() {
                            start_joined(&mut self.joined);
                            self.joined.extend_from_slice(first.as_bytes());
                        }
                        self.joined.put_u8(b'\n');
                        self.joined.extend_from_slice(value);
                    }
                    self.copy_next_data_lines();
                }
                b"event" => {
                    self.event_type_len = value.len();
                    if self.last_event_type.as_bytes() != value {
                        self.last_event_type = self.event_types.copy(value);
                    }
                    self.event_type_set = true;
                }
                b"id" => {
                    // Ignored when it contains NUL, as the spec says.
                    let current = if self.id_buffer_set {
                        &self.id_buffer[..]
                    } else {
                        self.last_event_id.as_bytes()
                    };
                    if memchr::memchr(0, value).is_none() && current != value {
                        self.id_buffer.clear();
                        self.id_buffer.extend_from_slice(value);
                        self.id_buffer_set = true;
                    }
                }
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
        if self.skipping || self.data_lines == 0 {
            // Nothing to dispatch (a block without data, or the end of one
            // skipped for its size), but its `id` still applies.
            self.skipping = false;
            self.clear_event();
            self.apply_id();
            return None;
        }
        let data = self.data.take();
        // The data made last, as in `next_event_fast_data_last`.
        let (event_type, id) = self.dispatch_fields();
        let data = match data {
            Some(line) => line,
            None => self.join_data(),
        };
        Some(Event {
            event_type,
            data,
            id,
        })
    }

    /// The event being built, with `data`, dispatched.
    #[allow(clippy::inline_always)] // part of `next_item`'s fast path
    #[inline(always)]
    fn event_with(&mut self, data: ByteString) -> Event {
        let (event_type, id) = self.dispatch_fields();
        Event {
            event_type,
            data,
            id,
        }
    }

    /// The dispatch steps besides the data: applies the ID, resets the
    /// event being built, and returns the dispatched event's type and ID.
    #[allow(clippy::inline_always)] // part of `next_item`'s fast path
    #[inline(always)]
    fn dispatch_fields(&mut self) -> (ByteString, ByteString) {
        self.in_event = false;
        self.apply_id();
        self.data_lines = 0;
        self.data_len = 0;
        self.event_type_len = 0;
        // Cloned here rather than at the `event` line: a clone's result is
        // written through memory, and moving it on at once stalled on store
        // forwarding (multi-line events in 64-byte chunks: 5% faster).
        let event_type = if core::mem::take(&mut self.event_type_set) {
            if self.last_event_type.is_empty() {
                MESSAGE
            } else {
                self.last_event_type.clone()
            }
        } else {
            MESSAGE
        };
        // Most streams never set an ID: an empty one is made in place rather
        // than cloned through `Bytes`' vtable, whose result stalled on store
        // forwarding (6% of an LLM stream's time).
        let id = if self.last_event_id.is_empty() {
            ByteString::new()
        } else {
            self.event_id()
        };
        (event_type, id)
    }

    /// The last event ID for an event to carry.
    ///
    /// The first event gets a copy of its own; from the second on, events
    /// share one. A stream that sends a new ID with every event thus costs
    /// one reference count increment and decrement per event, not two, as
    /// the decoder keeping a shared copy of its own would (multi-line events
    /// with IDs: 2% faster).
    fn event_id(&mut self) -> ByteString {
        if let Some(shared) = &self.shared_id {
            return shared.clone();
        }
        let id = self.ids.copy(self.last_event_id.as_bytes());
        if core::mem::replace(&mut self.id_handed_out, true) {
            self.shared_id = Some(id.clone());
        }
        id
    }

    /// Forgets the last event ID, and the copy events share.
    fn id_changed(&mut self) {
        if self.last_event_id.capacity() > ID_BUFFER_KEPT {
            // Do not keep a huge ID's room for good.
            self.last_event_id = String::new();
        }
        self.last_event_id.clear();
        self.shared_id = None;
        self.id_handed_out = false;
    }

    /// The spec's dispatch step that runs for every block: the last event ID
    /// buffer becomes the last event ID.
    // The check inlined, the work a call: most blocks set no ID, and as a
    // call that returns at once it cost 16 instructions an event (2-4% of a
    // token stream's).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn apply_id(&mut self) {
        if core::mem::take(&mut self.id_buffer_set) {
            self.replace_last_event_id();
        }
    }

    /// The last event ID buffer, set since the last dispatch, becomes the
    /// last event ID.
    #[inline(never)]
    fn replace_last_event_id(&mut self) {
        self.id_changed();
        match core::str::from_utf8(&self.id_buffer) {
            Ok(id) => self.last_event_id.push_str(id),
            // `from_utf8_lossy` alone walks even valid text in chunks.
            Err(_) => self
                .last_event_id
                .push_str(&String::from_utf8_lossy(&self.id_buffer)),
        }
        if self.id_buffer.capacity() > ID_BUFFER_KEPT {
            // Do not keep a huge ID's room for good.
            self.id_buffer = Vec::new();
        }
    }

    /// The joined data lines as text, split off `joined` without a copy.
    fn join_data(&mut self) -> ByteString {
        // The check is the word-at-a-time one: `String::from_utf8` took 6%
        // of a multi-line stream's instructions.
        let joined = self.joined.split().freeze();
        if joined.len() > JOINED_KEPT {
            // Let the event alone hold the buffer a big event grew, rather
            // than keep it for good and have small events pin it.
            self.joined = BytesMut::new();
        }
        crate::utf8::text(joined)
            // The first line is text already; a later one is not.
            .unwrap_or_else(|bytes| lossy(&bytes))
    }

    fn clear_event(&mut self) {
        self.data = None;
        self.data_lines = 0;
        self.data_len = 0;
        self.event_type_set = false;
        self.event_type_len = 0;
        self.in_event = false;
    }

    /// The stream ended: discard the unterminated event, keep the last event
    /// ID and reconnection time for the next stream.
    fn end_stream(&mut self) {
        self.clear_event();
        self.skipping = false;
        self.id_buffer_set = false;
    }
}

/// Starts joining the `data` lines of an event in `joined`.
// Out of line: once per multi-line event, and the general path it would
// join is inlined into callers' loops.
#[inline(never)]
fn start_joined(joined: &mut BytesMut) {
    // What an event over the limit left behind.
    joined.clear();
    if joined.capacity() == 0 {
        // A buffer filled to its end (or none yet: made here, not in `new`,
        // so that a decoder that never sees a multi-line event holds none).
        // It is taken back if no event holds part of it any more; otherwise
        // a new one is made, with room for several events.
        joined.reserve(JOINED_CAPACITY);
    }
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

/// Part of a line as text, without a copy when it is valid UTF-8; invalid
/// sequences become U+FFFD, as the spec's UTF-8 decode does.
// Inlined with `utf8::text`, only the ASCII check a call: the text is then
// built in registers and goes into the event, where returning it through
// memory stalled on store forwarding (llm through the `Stream` +9-13%, in
// plain and in force-aligned builds; see BENCHMARKS.md).
#[allow(clippy::inline_always)]
#[inline(always)]
fn text(line: &Line<'_>, part: &[u8]) -> ByteString {
    // Converting from the line, still borrowed here, instead of keeping a
    // second reference to its bytes for the rare invalid case saves a
    // reference count increment and decrement on every field.
    crate::utf8::text(line.to_bytes(part)).unwrap_or_else(|_| lossy(part))
}

/// `bytes` with invalid UTF-8 sequences as U+FFFD.
pub(crate) fn lossy(bytes: &[u8]) -> ByteString {
    ByteString::from(String::from_utf8_lossy(bytes).into_owned())
}
