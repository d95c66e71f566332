//! The encoder: an outgoing event built field by field and written out as
//! `text/event-stream` bytes that any conforming reader decodes back to it.

use alloc::string::String;
use alloc::vec::Vec;
use bytes::{BufMut, Bytes, BytesMut};
use core::fmt;
use core::time::Duration;

/// An outgoing event: data, an optional event type, id and reconnection
/// time, and comments, encoded with [`encode`](Self::encode) or
/// [`to_bytes`](Self::to_bytes).
///
/// ```
/// use sse_core::EventBuilder;
///
/// let event = EventBuilder::new()
///     .event_type("token")?
///     .id("7")?
///     .data("Hello,\nworld");
/// assert_eq!(event.to_bytes(), "event: token\nid: 7\ndata: Hello,\ndata: world\n\n");
/// # Ok::<(), sse_core::EncodeError>(())
/// ```
///
/// # Encoding is total and exact
///
/// Every event a builder accepts encodes to a block that decodes back to
/// it, whatever the values hold:
///
/// - Data may contain any text. Each line break (LF, CR or CRLF) starts a
///   new `data:` line, and a reader joins the lines with LF, so the data comes
///   back exactly, except that every line break arrives as LF: the format has
///   no way to carry CR.
/// - Leading spaces survive: a value is written after `": "`, and readers
///   drop only that one space.
/// - What cannot be represented is refused when the value is set, with an
///   [`EncodeError`]: an event type or id containing CR or LF (it would end
///   the field and inject whatever follows as new fields), and an id
///   containing NUL (readers ignore such an id).
///
/// # What a reader sees
///
/// A block without data sets the id and reconnection time but dispatches no
/// event, as the specification says; an empty event type reads as
/// `"message"`; an id persists in the reader and applies to the events after
/// it until another `id` replaces it, and an empty id clears it.
///
/// # No extra copies
///
/// Data given as a `String` or [`Bytes`] is kept as it is, not copied, until
/// [`encode`](Self::encode) writes it once into the output buffer, which is
/// reserved to the exact size first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventBuilder {
    comments: Vec<Bytes>,
    event_type: Option<Bytes>,
    id: Option<Bytes>,
    retry: Option<Duration>,
    data: Option<Bytes>,
}

impl EventBuilder {
    /// An empty event, which encodes to a lone blank line. Give it
    /// [`data`](Self::data) to make it dispatch an event.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the data, replacing any data set before. Line breaks in it become
    /// separate `data:` lines; empty data still dispatches an event (with
    /// empty data).
    ///
    /// ```
    /// use sse_core::EventBuilder;
    ///
    /// let event = EventBuilder::new().data(" a\r\nb");
    /// assert_eq!(event.to_bytes(), "data:  a\ndata: b\n\n");
    /// ```
    #[must_use]
    pub fn data(mut self, data: impl Into<String>) -> Self {
        self.data = Some(Bytes::from(data.into()));
        self
    }

    /// Sets the data from bytes without copying them, for example the
    /// [`data_bytes`](crate::Event::data_bytes) of an event being passed on.
    ///
    /// The bytes must be UTF-8, as `text/event-stream` is: a reader would
    /// turn anything else into U+FFFD, so it is refused.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sse_core::{EncodeError, EventBuilder};
    ///
    /// let event = EventBuilder::new().data_bytes(Bytes::from_static(b"{\"delta\":\"Hi\"}"))?;
    /// assert_eq!(event.to_bytes(), "data: {\"delta\":\"Hi\"}\n\n");
    ///
    /// let refused = EventBuilder::new().data_bytes(Bytes::from_static(b"ok\xFF"));
    /// assert_eq!(refused, Err(EncodeError::DataNotUtf8 { valid_up_to: 2 }));
    /// # Ok::<(), sse_core::EncodeError>(())
    /// ```
    pub fn data_bytes(mut self, data: Bytes) -> Result<Self, EncodeError> {
        if let Err(error) = core::str::from_utf8(&data) {
            return Err(EncodeError::DataNotUtf8 {
                valid_up_to: error.valid_up_to(),
            });
        }
        self.data = Some(data);
        Ok(self)
    }

    /// Sets the event type, which a browser's `EventSource` dispatches to the
    /// listeners for that name. Without one (or with an empty one) the event
    /// is a `"message"`.
    ///
    /// ```
    /// use sse_core::{EncodeError, EventBuilder};
    ///
    /// let event = EventBuilder::new().event_type("token")?.data("Hi");
    /// assert_eq!(event.to_bytes(), "event: token\ndata: Hi\n\n");
    ///
    /// let refused = EventBuilder::new().event_type("token\ndata: injected");
    /// assert_eq!(refused, Err(EncodeError::LineBreakInEventType { at: 5 }));
    /// # Ok::<(), sse_core::EncodeError>(())
    /// ```
    pub fn event_type(mut self, event_type: impl Into<String>) -> Result<Self, EncodeError> {
        let event_type = event_type.into();
        if let Some(at) = memchr::memchr2(b'\r', b'\n', event_type.as_bytes()) {
            return Err(EncodeError::LineBreakInEventType { at });
        }
        self.event_type = Some(Bytes::from(event_type));
        Ok(self)
    }

    /// Sets the event ID. A reader remembers it as its last event ID, gives
    /// it to this event and the ones after it, and sends it back as
    /// `Last-Event-ID` when it reconnects. An empty id clears it.
    ///
    /// ```
    /// use sse_core::{EncodeError, EventBuilder};
    ///
    /// let event = EventBuilder::new().id("42")?.data("Hi");
    /// assert_eq!(event.to_bytes(), "id: 42\ndata: Hi\n\n");
    ///
    /// assert_eq!(EventBuilder::new().id("4\r2"), Err(EncodeError::LineBreakInId { at: 1 }));
    /// assert_eq!(EventBuilder::new().id("4\02"), Err(EncodeError::NulInId { at: 1 }));
    /// # Ok::<(), sse_core::EncodeError>(())
    /// ```
    pub fn id(mut self, id: impl Into<String>) -> Result<Self, EncodeError> {
        let id = id.into();
        match memchr::memchr3(b'\r', b'\n', 0, id.as_bytes()) {
            Some(at) if id.as_bytes()[at] == 0 => return Err(EncodeError::NulInId { at }),
            Some(at) => return Err(EncodeError::LineBreakInId { at }),
            None => {}
        }
        self.id = Some(Bytes::from(id));
        Ok(self)
    }

    /// Sets the reconnection time: how long a reader waits before
    /// reconnecting after the connection drops. It is sent in whole
    /// milliseconds, rounded down, and at most `u64::MAX` of them (some 584
    /// million years), which is what readers keep.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_core::EventBuilder;
    ///
    /// let event = EventBuilder::new().retry(Duration::from_secs(3));
    /// assert_eq!(event.to_bytes(), "retry: 3000\n\n");
    /// ```
    #[must_use]
    pub fn retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Adds a comment, written before the fields. Readers skip comments;
    /// servers send them to keep idle connections open. Each line of a
    /// comment with line breaks becomes a comment line of its own.
    ///
    /// ```
    /// use sse_core::EventBuilder;
    ///
    /// let keep_alive = EventBuilder::new().comment("keep-alive");
    /// assert_eq!(keep_alive.to_bytes(), ": keep-alive\n\n");
    /// ```
    #[must_use]
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comments.push(Bytes::from(comment.into()));
        self
    }

    /// The number of bytes [`encode`](Self::encode) writes, which it
    /// reserves before writing.
    ///
    /// ```
    /// use sse_core::EventBuilder;
    ///
    /// let event = EventBuilder::new().data("a\nb"); // "data: a\ndata: b\n\n"
    /// assert_eq!(event.encoded_len(), 17);
    /// ```
    pub fn encoded_len(&self) -> usize {
        let mut len = 1; // the blank line that ends the block
        for comment in &self.comments {
            len += lines(comment)
                .map(|line| field_len(b"", line))
                .sum::<usize>();
        }
        if let Some(event_type) = &self.event_type {
            len += field_len(b"event", event_type);
        }
        if let Some(id) = &self.id {
            len += field_len(b"id", id);
        }
        if let Some(retry) = self.retry {
            len += field_len(b"retry", Millis::new(retry).digits());
        }
        if let Some(data) = &self.data {
            len += lines(data)
                .map(|line| field_len(b"data", line))
                .sum::<usize>();
        }
        len
    }

    /// Appends the encoded event, ending with its blank line, to `buf`.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_core::EventBuilder;
    ///
    /// let mut buf = BytesMut::new();
    /// EventBuilder::new().data("one").encode(&mut buf);
    /// EventBuilder::new().data("two").encode(&mut buf);
    /// assert_eq!(buf, "data: one\n\ndata: two\n\n");
    /// ```
    pub fn encode(&self, buf: &mut BytesMut) {
        buf.reserve(self.encoded_len());
        for comment in &self.comments {
            for line in lines(comment) {
                put_field(buf, b"", line);
            }
        }
        if let Some(event_type) = &self.event_type {
            put_field(buf, b"event", event_type);
        }
        if let Some(id) = &self.id {
            put_field(buf, b"id", id);
        }
        if let Some(retry) = self.retry {
            put_field(buf, b"retry", Millis::new(retry).digits());
        }
        if let Some(data) = &self.data {
            for line in lines(data) {
                put_field(buf, b"data", line);
            }
        }
        buf.put_u8(b'\n');
    }

    /// The encoded event in a buffer of its own, allocated once.
    pub fn to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::with_capacity(self.encoded_len());
        self.encode(&mut buf);
        buf.freeze()
    }
}

/// Why a value cannot go into an event: `text/event-stream` has no way to
/// represent it, so the builder refuses it rather than send something a
/// reader would decode differently.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// The event type contains CR or LF at byte `at`.
    LineBreakInEventType {
        /// Byte offset of the first CR or LF.
        at: usize,
    },
    /// The id contains CR or LF at byte `at`.
    LineBreakInId {
        /// Byte offset of the first CR or LF.
        at: usize,
    },
    /// The id contains NUL at byte `at`.
    NulInId {
        /// Byte offset of the first NUL.
        at: usize,
    },
    /// The data given as bytes is not UTF-8.
    DataNotUtf8 {
        /// How many leading bytes are valid UTF-8.
        valid_up_to: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineBreakInEventType { at } => write!(
                f,
                "the event type has a line break (CR or LF) at byte {at}, which would end the \
                 field and turn the rest into other fields; use an event type without line breaks"
            ),
            Self::LineBreakInId { at } => write!(
                f,
                "the event id has a line break (CR or LF) at byte {at}, which would end the \
                 field and turn the rest into other fields; use an id without line breaks, \
                 or encode it (for example as hex or base64)"
            ),
            Self::NulInId { at } => write!(
                f,
                "the event id has a NUL character at byte {at}, and readers ignore such ids; \
                 use an id without NUL, or encode it (for example as hex or base64)"
            ),
            Self::DataNotUtf8 { valid_up_to } => write!(
                f,
                "the event data is not UTF-8 after byte {valid_up_to}, and readers would \
                 replace the invalid bytes with U+FFFD; send text, or encode binary data \
                 (for example as base64)"
            ),
        }
    }
}

impl core::error::Error for EncodeError {}

/// The lines of a value split at LF, CR and CRLF, as a reader will split
/// them: `"a\n"` is `["a", ""]`, and `""` is `[""]`.
fn lines(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(value);
    core::iter::from_fn(move || {
        let text = rest?;
        let Some(end) = memchr::memchr2(b'\r', b'\n', text) else {
            rest = None;
            return Some(text);
        };
        let crlf = text[end] == b'\r' && text.get(end + 1) == Some(&b'\n');
        rest = Some(&text[end + 1 + usize::from(crlf)..]);
        Some(&text[..end])
    })
}

/// Length of `name: value\n`, or `name:\n` when the value is empty (an
/// empty name makes a comment line).
fn field_len(name: &[u8], value: &[u8]) -> usize {
    let space = usize::from(!value.is_empty());
    name.len() + 1 + space + value.len() + 1
}

/// Writes `name: value\n`. The space after the colon is the one a reader
/// removes, so a value that starts with spaces keeps all of them.
fn put_field(buf: &mut BytesMut, name: &[u8], value: &[u8]) {
    buf.put_slice(name);
    if value.is_empty() {
        buf.put_slice(b":\n");
    } else {
        buf.put_slice(b": ");
        buf.put_slice(value);
        buf.put_u8(b'\n');
    }
}

/// A duration in whole milliseconds as ASCII digits, without allocating.
struct Millis {
    digits: [u8; 20], // u64::MAX has 20 digits
    start: usize,
}

impl Millis {
    fn new(duration: Duration) -> Self {
        // Readers, this crate's decoder included, keep a `retry` in 64 bits.
        let mut millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        let mut digits = [0; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + u8::try_from(millis % 10).expect("one digit");
            millis /= 10;
            if millis == 0 {
                return Self { digits, start };
            }
        }
    }

    fn digits(&self) -> &[u8] {
        &self.digits[self.start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Decoder, Frame};
    use alloc::string::ToString;
    use alloc::vec;

    fn encoded(event: &EventBuilder) -> String {
        String::from_utf8(event.to_bytes().to_vec()).unwrap()
    }

    /// (type, data, id) of every event in `bytes`, and the decoder after it.
    fn decode(bytes: Bytes) -> (Vec<(String, String, String)>, Decoder) {
        let mut decoder = Decoder::new();
        decoder.push(bytes);
        decoder.finish();
        let mut events = Vec::new();
        while let Some(event) = decoder.next_event().unwrap() {
            events.push((
                event.event_type().to_string(),
                event.data().to_string(),
                event.id().to_string(),
            ));
        }
        (events, decoder)
    }

    fn data_of(event: &EventBuilder) -> String {
        let (events, _) = decode(event.to_bytes());
        assert_eq!(events.len(), 1);
        events[0].1.clone()
    }

    #[test]
    fn single_line_data_is_one_data_field() {
        assert_eq!(encoded(&EventBuilder::new().data("hi")), "data: hi\n\n");
    }

    #[test]
    fn each_lf_in_data_starts_a_new_data_line() {
        let event = EventBuilder::new().data("a\nb\nc");
        assert_eq!(encoded(&event), "data: a\ndata: b\ndata: c\n\n");
        assert_eq!(data_of(&event), "a\nb\nc");
    }

    #[test]
    fn cr_and_crlf_in_data_split_like_lf_and_read_back_as_lf() {
        let event = EventBuilder::new().data("a\rb\r\nc\n\rd");
        assert_eq!(
            encoded(&event),
            "data: a\ndata: b\ndata: c\ndata:\ndata: d\n\n"
        );
        assert_eq!(data_of(&event), "a\nb\nc\n\nd");
    }

    #[test]
    fn trailing_line_break_in_data_survives_as_an_empty_last_line() {
        let event = EventBuilder::new().data("a\n");
        assert_eq!(encoded(&event), "data: a\ndata:\n\n");
        assert_eq!(data_of(&event), "a\n");
    }

    #[test]
    fn empty_data_dispatches_an_event_with_empty_data() {
        let event = EventBuilder::new().data("");
        assert_eq!(encoded(&event), "data:\n\n");
        assert_eq!(data_of(&event), "");
    }

    #[test]
    fn leading_spaces_in_values_survive() {
        let event = EventBuilder::new()
            .event_type("  spaced")
            .unwrap()
            .id(" 1")
            .unwrap()
            .data(" one\n  two")
            .comment(" note");
        assert_eq!(
            encoded(&event),
            ":  note\nevent:   spaced\nid:  1\ndata:  one\ndata:   two\n\n"
        );
        let (events, _) = decode(event.to_bytes());
        assert_eq!(
            events,
            vec![("  spaced".into(), " one\n  two".into(), " 1".into())]
        );
    }

    #[test]
    fn colons_in_values_are_plain_text() {
        let event = EventBuilder::new().data("data: x").id("a:b").unwrap();
        let (events, _) = decode(event.to_bytes());
        assert_eq!(
            events,
            vec![("message".into(), "data: x".into(), "a:b".into())]
        );
    }

    #[test]
    fn event_type_with_line_break_is_rejected_at_the_break() {
        assert_eq!(
            EventBuilder::new().event_type("a\nb"),
            Err(EncodeError::LineBreakInEventType { at: 1 })
        );
        assert_eq!(
            EventBuilder::new().event_type("ab\r"),
            Err(EncodeError::LineBreakInEventType { at: 2 })
        );
    }

    #[test]
    fn id_with_line_break_is_rejected_at_the_break() {
        assert_eq!(
            EventBuilder::new().id("\n"),
            Err(EncodeError::LineBreakInId { at: 0 })
        );
        assert_eq!(
            EventBuilder::new().id("1\r\n"),
            Err(EncodeError::LineBreakInId { at: 1 })
        );
    }

    #[test]
    fn id_with_nul_is_rejected_at_the_nul() {
        assert_eq!(
            EventBuilder::new().id("ab\0"),
            Err(EncodeError::NulInId { at: 2 })
        );
    }

    #[test]
    fn first_bad_character_of_an_id_decides_the_error() {
        assert_eq!(
            EventBuilder::new().id("a\0\n"),
            Err(EncodeError::NulInId { at: 1 })
        );
        assert_eq!(
            EventBuilder::new().id("a\n\0"),
            Err(EncodeError::LineBreakInId { at: 1 })
        );
    }

    #[test]
    fn event_type_may_contain_nul() {
        let event = EventBuilder::new().event_type("a\0b").unwrap().data("x");
        let (events, _) = decode(event.to_bytes());
        assert_eq!(events[0].0, "a\0b");
    }

    #[test]
    fn data_bytes_must_be_utf8() {
        let refused = EventBuilder::new().data_bytes(Bytes::from_static(b"\xC3"));
        assert_eq!(refused, Err(EncodeError::DataNotUtf8 { valid_up_to: 0 }));
    }

    #[test]
    fn data_bytes_is_not_copied_before_encoding() {
        let data = Bytes::from(String::from("x").repeat(64));
        let event = EventBuilder::new().data_bytes(data.clone()).unwrap();
        assert_eq!(event.data.as_ref().unwrap().as_ptr(), data.as_ptr());
    }

    #[test]
    fn empty_event_type_reads_as_message() {
        let event = EventBuilder::new().event_type("").unwrap().data("x");
        assert_eq!(encoded(&event), "event:\ndata: x\n\n");
        assert_eq!(decode(event.to_bytes()).0[0].0, "message");
    }

    #[test]
    fn empty_id_clears_the_last_event_id() {
        let mut bytes = BytesMut::new();
        EventBuilder::new().id("1").unwrap().encode(&mut bytes);
        EventBuilder::new()
            .id("")
            .unwrap()
            .data("x")
            .encode(&mut bytes);
        assert_eq!(bytes, "id: 1\n\nid:\ndata: x\n\n");
        let (events, decoder) = decode(bytes.freeze());
        assert_eq!(events[0].2, "");
        assert_eq!(decoder.last_event_id(), "");
    }

    #[test]
    fn block_without_data_sets_id_and_retry_but_dispatches_nothing() {
        let event = EventBuilder::new()
            .id("9")
            .unwrap()
            .retry(Duration::from_millis(250));
        let (events, decoder) = decode(event.to_bytes());
        assert!(events.is_empty());
        assert_eq!(decoder.last_event_id(), "9");
        assert_eq!(decoder.retry(), Some(Duration::from_millis(250)));
    }

    #[test]
    fn retry_is_sent_in_whole_milliseconds_rounded_down() {
        let event = EventBuilder::new().retry(Duration::from_micros(1_999));
        assert_eq!(encoded(&event), "retry: 1\n\n");
        let zero = EventBuilder::new().retry(Duration::ZERO);
        assert_eq!(encoded(&zero), "retry: 0\n\n");
    }

    #[test]
    fn a_retry_beyond_u64_milliseconds_is_sent_as_the_most_a_reader_keeps() {
        let max = EventBuilder::new().retry(Duration::MAX);
        assert_eq!(encoded(&max), alloc::format!("retry: {}\n\n", u64::MAX));
        let mut decoder = crate::Decoder::new();
        decoder.push(max.to_bytes());
        while decoder.next_frame().unwrap().is_some() {}
        assert_eq!(decoder.retry(), Some(Duration::from_millis(u64::MAX)));
    }

    #[test]
    fn comment_with_line_breaks_becomes_one_comment_per_line() {
        let event = EventBuilder::new().comment("a\r\nb").comment("");
        assert_eq!(encoded(&event), ": a\n: b\n:\n\n");
        let mut decoder = Decoder::new();
        decoder.push(event.to_bytes());
        let texts: Vec<String> = core::iter::from_fn(|| decoder.next_frame().unwrap())
            .map(|frame| match frame {
                Frame::Comment(comment) => comment.text().to_string(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(texts, ["a", "b", ""]);
    }

    #[test]
    fn empty_builder_is_a_lone_blank_line() {
        assert_eq!(encoded(&EventBuilder::new()), "\n");
    }

    #[test]
    fn setting_data_again_replaces_it() {
        assert_eq!(
            encoded(&EventBuilder::new().data("a").data("b")),
            "data: b\n\n"
        );
    }

    #[test]
    fn encoded_len_is_exact() {
        let events = [
            EventBuilder::new(),
            EventBuilder::new().data(""),
            EventBuilder::new().data("a\r\n\r\nb\r").comment("x\ny"),
            EventBuilder::new()
                .event_type("t")
                .unwrap()
                .id("")
                .unwrap()
                .retry(Duration::from_millis(12_345))
                .data("🦀"),
        ];
        for event in events {
            assert_eq!(event.encoded_len(), event.to_bytes().len(), "{event:?}");
        }
    }

    #[test]
    fn encode_appends_after_existing_bytes() {
        let mut buf = BytesMut::from(&b": hello\n\n"[..]);
        EventBuilder::new().data("x").encode(&mut buf);
        assert_eq!(buf, ": hello\n\ndata: x\n\n");
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let message = EncodeError::NulInId { at: 3 }.to_string();
        assert!(message.contains("byte 3"), "{message}");
        assert!(message.contains("use an id without NUL"), "{message}");
    }
}
