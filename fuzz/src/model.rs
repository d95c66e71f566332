//! A reference model of the WHATWG event-stream parser (HTML 9.2.5-9.2.6),
//! written to be obviously right rather than fast, and independently of
//! `sse-core`: the whole stream is decoded to a `String` first (UTF-8 decode
//! with replacement, one leading BOM stripped), split into lines, and each
//! line interpreted in one pass, in the words of the specification. No
//! limits, no chunks, no zero-copy.
//!
//! Two choices the specification leaves open follow `sse-core`'s documented
//! ones: at the end of a stream the pending event *and* a pending `id` are
//! discarded (the last event ID string survives into the next stream), and a
//! `retry` value too large for a `u64` of milliseconds saturates.

use crate::output::Output;
use core::time::Duration;

/// The state of an `EventSource` reading one stream after another.
#[derive(Debug, Default)]
pub struct Model {
    /// Everything dispatched, in order: events, comments and retry updates.
    pub outputs: Vec<Output>,
    /// For each event in `outputs`, the length of its block: the text from
    /// just after the previous blank line (or the start of the stream) to the
    /// start of its own. Measured in the decoded text, so never less than the
    /// raw bytes (a replaced byte grows to three).
    pub block_lens: Vec<usize>,
    /// The spec's "last event ID string".
    pub last_event_id: String,
    /// The spec's reconnection time, once a valid `retry` was seen.
    pub retry: Option<Duration>,
    data: String,
    event_type: String,
    id_buffer: String,
    /// A field line (not a comment) was read since the last blank line.
    in_event: bool,
}

impl Model {
    /// A model that has read nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the events (what `next_event` returns).
    pub fn events(&self) -> Vec<Output> {
        self.outputs
            .iter()
            .filter(|o| o.is_event())
            .cloned()
            .collect()
    }

    /// Reads one whole stream, then its end. Returns whether the stream
    /// stopped mid-event: after a field line of an undispatched event, or
    /// inside a line.
    pub fn stream(&mut self, bytes: &[u8]) -> bool {
        let decoded = String::from_utf8_lossy(bytes);
        let text = decoded.strip_prefix('\u{FEFF}').unwrap_or(&decoded);

        let mut offset = 0;
        let mut block_start = 0;
        let mut rest = text;
        // "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A
        // LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF)
        // character, or a single U+000D CARRIAGE RETURN (CR) character."
        while let Some(end) = rest.find(['\r', '\n']) {
            let line = &rest[..end];
            let line_end = if rest[end..].starts_with("\r\n") {
                2
            } else {
                1
            };
            if line.is_empty() {
                self.dispatch(offset - block_start);
                block_start = offset + line_end;
            } else {
                self.line(line);
            }
            offset += end + line_end;
            rest = &rest[end + line_end..];
        }
        // An unterminated comment is not part of an event.
        let mid_event = self.in_event || !(rest.is_empty() || rest.starts_with(':'));

        // "Once the end of the file is reached, any pending data must be
        // discarded."
        self.data.clear();
        self.event_type.clear();
        self.id_buffer.clone_from(&self.last_event_id);
        self.in_event = false;
        mid_event
    }

    fn line(&mut self, line: &str) {
        // "If the line starts with a U+003A COLON character (:) Ignore the line."
        if let Some(comment) = line.strip_prefix(':') {
            let text = comment.strip_prefix(' ').unwrap_or(comment);
            self.outputs.push(Output::Comment(text.to_owned()));
            return;
        }
        // "If the line contains a U+003A COLON character (:) Collect the
        // characters on the line before the first U+003A COLON character (:),
        // and let field be that string. Collect the characters on the line
        // after the first U+003A COLON character (:), and let value be that
        // string. If value starts with a U+0020 SPACE character, remove it
        // from value." Otherwise the whole line is the field name and the
        // value is empty.
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        self.in_event = true;
        match field {
            // "Append the field value to the data buffer, then append a
            // single U+000A LINE FEED (LF) character to the data buffer."
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            // "Set the event type buffer to field value."
            "event" => value.clone_into(&mut self.event_type),
            // "If the field value does not contain U+0000 NULL, then set the
            // last event ID buffer to the field value. Otherwise, ignore the
            // field."
            "id" if !value.contains('\0') => value.clone_into(&mut self.id_buffer),
            // "If the field value consists of only ASCII digits, then
            // interpret the field value as an integer in base ten, and set
            // the event stream's reconnection time to that integer."
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                let millis = value.bytes().fold(0u64, |n, digit| {
                    n.saturating_mul(10).saturating_add(u64::from(digit - b'0'))
                });
                let retry = Duration::from_millis(millis);
                self.retry = Some(retry);
                self.outputs.push(Output::Retry(retry));
            }
            // "Otherwise: The field is ignored."
            _ => {}
        }
    }

    /// A blank line: "dispatch the event".
    fn dispatch(&mut self, block_len: usize) {
        self.in_event = false;
        // "1. Set the last event ID string of the event source to the value
        // of the last event ID buffer."
        self.last_event_id.clone_from(&self.id_buffer);
        // "2. If the data buffer is an empty string, set the data buffer and
        // the event type buffer to the empty string and return."
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // "3. If the data buffer's last character is a U+000A LINE FEED (LF)
        // character, then remove the last character from the data buffer."
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        // "Initialize event's type attribute to "message" [...] If the event
        // type buffer has a value other than the empty string, change the
        // type of the newly created event to equal the value of the event
        // type buffer."
        let event_type = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            core::mem::take(&mut self.event_type)
        };
        self.outputs.push(Output::Event {
            event_type,
            data: core::mem::take(&mut self.data),
            id: self.last_event_id.clone(),
        });
        self.block_lens.push(block_len);
        // "Set the data buffer and the event type buffer to the empty string."
        self.event_type.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, data: &str, id: &str) -> Output {
        Output::Event {
            event_type: event_type.to_owned(),
            data: data.to_owned(),
            id: id.to_owned(),
        }
    }

    #[test]
    fn model_follows_the_spec_examples() {
        let mut model = Model::new();
        let mid = model.stream(
            b"\xEF\xBB\xBF: test stream\r\ndata: first event\nid: 1\r\rdata:second event\nid\n\n\
              data:  third event\n\nevent: add\ndata\ndata\nretry: 5\n\ndata: x",
        );
        assert!(mid);
        assert_eq!(
            model.outputs,
            [
                Output::Comment("test stream".into()),
                event("message", "first event", "1"),
                event("message", "second event", ""),
                event("message", " third event", ""),
                Output::Retry(Duration::from_millis(5)),
                event("add", "\n", ""),
            ]
        );
        assert_eq!(model.block_lens, [39, 21, 19, 30]);
    }

    #[test]
    fn pending_id_is_dropped_at_the_end_of_a_stream() {
        let mut model = Model::new();
        assert!(model.stream(b"id: 1\n\nid: 2\n"));
        assert!(!model.stream(b"data: x\n\n"));
        assert_eq!(model.events(), [event("message", "x", "1")]);
    }
}
