//! An independent review of the decoder against the WHATWG HTML standard,
//! "9.2.5 Parsing an event stream" and "9.2.6 Interpreting an event stream"
//! (<https://html.spec.whatwg.org/multipage/server-sent-events.html>), and
//! against the byte-format cases of web-platform-tests `eventsource/format-*`.
//!
//! Every case is data: the response bodies as bytes, and the events
//! (type, data, lastEventId), the last event ID and the reconnection time that
//! the standard says they produce, written out by hand. WPT streams are
//! reproduced as the WPT server sends them: `resources/message.py` answers
//! `message + "\n\n" + "\n"`, or `message + "\n"` with `newline=none`.
//!
//! Each case is decoded whole, one byte at a time, split in two at every
//! position, and (for short bodies) split in three at every pair of
//! positions. All complete events must come out before the body ends, and
//! the end of a body must never dispatch anything.
//!
//! Where a case goes through a reconnect, the bodies are pushed one after the
//! other with `finish()` between them, as a client reusing one decoder does.

use bytes::Bytes;
use sse_core::Decoder;
use std::time::Duration;

/// (event type, data, last event ID) of one dispatched event.
type Triple = (String, String, String);

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    events: Vec<Triple>,
    last_event_id: String,
    retry: Option<Duration>,
}

/// One case: response bodies in order, and what they must produce. The
/// expectations default to the spec's initial state: no events, an empty
/// last event ID, and no reconnection time set by the stream.
struct Case {
    bodies: Vec<Vec<u8>>,
    expected: Outcome,
}

/// A case starting with one response body.
fn stream(body: &[u8]) -> Case {
    Case {
        bodies: vec![body.to_vec()],
        expected: Outcome {
            events: Vec::new(),
            last_event_id: String::new(),
            retry: None,
        },
    }
}

impl Case {
    /// The body of the next response, after the previous one ended (a reconnect).
    fn then(mut self, body: &[u8]) -> Self {
        self.bodies.push(body.to_vec());
        self
    }

    /// The events, as (type, data, lastEventId).
    fn events(mut self, events: &[(&str, &str, &str)]) -> Self {
        self.expected.events = events
            .iter()
            .map(|&(t, d, i)| (t.to_owned(), d.to_owned(), i.to_owned()))
            .collect();
        self
    }

    /// Events of type "message" with an empty lastEventId, by their data.
    fn messages(self, datas: &[&str]) -> Self {
        let events: Vec<(&str, &str, &str)> = datas.iter().map(|&d| ("message", d, "")).collect();
        self.events(&events)
    }

    fn last_event_id(mut self, id: &str) -> Self {
        id.clone_into(&mut self.expected.last_event_id);
        self
    }

    fn retry_ms(mut self, millis: u64) -> Self {
        self.expected.retry = Some(Duration::from_millis(millis));
        self
    }

    fn check(self) {
        let whole: Vec<Vec<&[u8]>> = self.bodies.iter().map(|b| vec![&b[..]]).collect();
        assert_eq!(run(&whole), self.expected, "pushed whole");

        let bytewise: Vec<Vec<&[u8]>> = self.bodies.iter().map(|b| b.chunks(1).collect()).collect();
        assert_eq!(run(&bytewise), self.expected, "pushed one byte at a time");

        for (i, body) in self.bodies.iter().enumerate() {
            for at in 1..body.len() {
                let mut chunked = whole.clone();
                chunked[i] = vec![&body[..at], &body[at..]];
                assert_eq!(run(&chunked), self.expected, "body {i} split at byte {at}");
            }
            if body.len() > 64 {
                continue;
            }
            for first in 1..body.len() {
                for second in first + 1..body.len() {
                    let mut chunked = whole.clone();
                    chunked[i] = vec![&body[..first], &body[first..second], &body[second..]];
                    assert_eq!(
                        run(&chunked),
                        self.expected,
                        "body {i} split at bytes {first} and {second}"
                    );
                }
            }
        }
    }
}

/// Pushes each body's chunks, draining after each chunk, then ends the body.
fn run(bodies: &[Vec<&[u8]>]) -> Outcome {
    fn drain(decoder: &mut Decoder, events: &mut Vec<Triple>) {
        while let Some(event) = decoder.next_event().expect("no limit is crossed") {
            events.push((
                event.event_type().to_owned(),
                event.data().to_owned(),
                event.id().to_owned(),
            ));
        }
    }
    let mut decoder = Decoder::new();
    let mut events = Vec::new();
    for chunks in bodies {
        for chunk in chunks {
            decoder.push(Bytes::copy_from_slice(chunk));
            drain(&mut decoder, &mut events);
        }
        // "Once the end of the file is reached, any pending data must be
        // discarded": the end of a body never dispatches an event.
        let before = events.len();
        decoder.finish();
        drain(&mut decoder, &mut events);
        assert_eq!(
            events.len(),
            before,
            "the end of a body dispatched an event"
        );
    }
    Outcome {
        events,
        last_event_id: decoder.last_event_id().to_owned(),
        retry: decoder.retry(),
    }
}

/// What WPT `resources/message.py` sends for `message` (default `newline`).
fn message_py(message: &[u8]) -> Vec<u8> {
    [message, b"\n\n\n"].concat()
}

/// What WPT `resources/message.py` sends for `message` with `newline=none`.
fn message_py_no_newline(message: &[u8]) -> Vec<u8> {
    [message, b"\n"].concat()
}

/// What WPT `resources/last-event-id.py` sends on a connection without a
/// `Last-Event-ID` header, for the given `idvalue`.
fn last_event_id_py(idvalue: &[u8]) -> Vec<u8> {
    [b"id: ", idvalue, b"\nretry: 200\ndata: hello\n\n"].concat()
}

// ---------------------------------------------------------------------------
// web-platform-tests eventsource/format-*
// ---------------------------------------------------------------------------

#[test]
fn format_bom() {
    // One leading BOM is stripped by UTF-8 decode; a BOM at the start of a
    // later line is part of the field name "\u{FEFF}data", which is ignored.
    stream(&message_py(
        b"\xEF\xBB\xBFdata:1\n\n\xEF\xBB\xBFdata:2\n\ndata:3",
    ))
    .messages(&["1", "3"])
    .check();
}

#[test]
fn format_bom_2() {
    // Only one BOM is stripped: the second makes the first field "\u{FEFF}data".
    stream(&message_py(
        b"\xEF\xBB\xBF\xEF\xBB\xBFdata:1\n\ndata:2\n\ndata:3",
    ))
    .messages(&["2", "3"])
    .check();
}

#[test]
fn format_bom_split() {
    // WPT sends the chunks EF | BB BF "data:1\n\ndata:2\n\n"; `check` splits
    // every body at every position, which includes that chunking (and the
    // BOM split in three).
    stream(b"\xEF\xBB\xBFdata:1\n\ndata:2\n\n")
        .messages(&["1", "2"])
        .check();
}

#[test]
fn format_bom_utf_16() {
    // A UTF-16 BOM decoded as UTF-8 is two U+FFFD starting the first field
    // name, so the first block is ignored.
    stream(&message_py(b"\xFF\xFEdata:1\n\ndata:2"))
        .messages(&["2"])
        .check();
    stream(&message_py(b"\xFE\xFFdata:1\n\ndata:2"))
        .messages(&["2"])
        .check();
}

#[test]
fn format_comments() {
    let long = vec![b'x'; 2 * 1024];
    let message = [
        &b"data:1\r:\0\n:\r\ndata:2\n:"[..],
        &long,
        b"\rdata:3\n:data:fail\r:",
        &long,
        b"\ndata:4\n",
    ]
    .concat();
    stream(&message_py_no_newline(&message))
        .messages(&["1\n2\n3\n4"])
        .check();
}

#[test]
fn format_data_before_final_empty_line() {
    // The server sends the same body on every connection; the second
    // connection's first event must have lastEventId "": the `id:test` of the
    // block cut off by the end of the first body is never applied.
    let body = message_py_no_newline(b"retry:1000\ndata:test1\n\nid:test\ndata:test2");
    stream(&body)
        .then(&body)
        .messages(&["test1", "test1"])
        .retry_ms(1000)
        .check();
}

#[test]
fn format_field_data() {
    stream(&message_py(b"data:\n\ndata\ndata\n\ndata:test"))
        .messages(&["", "\n", "test"])
        .check();
}

#[test]
fn format_field_event() {
    stream(&message_py(b"event:test\ndata:x\n\ndata:x"))
        .events(&[("test", "x", ""), ("message", "x", "")])
        .check();
}

#[test]
fn format_field_event_empty() {
    stream(&message_py(b"event: \ndata:data"))
        .messages(&["data"])
        .check();
}

#[test]
fn format_field_id() {
    // First connection: no Last-Event-ID, so last-event-id.py sends the id
    // U+2026. The reconnect carries `Last-Event-ID: \u{2026}` and the server
    // echoes it as data without an id field; the event still has lastEventId
    // U+2026.
    stream(&last_event_id_py("\u{2026}".as_bytes()))
        .then("data: \u{2026}\n\n".as_bytes())
        .events(&[
            ("message", "hello", "\u{2026}"),
            ("message", "\u{2026}", "\u{2026}"),
        ])
        .last_event_id("\u{2026}")
        .retry_ms(200)
        .check();
}

#[test]
fn format_field_id_2() {
    // As format_field_id, across two reconnects.
    stream(&last_event_id_py("\u{2026}".as_bytes()))
        .then("data: \u{2026}\n\n".as_bytes())
        .then("data: \u{2026}\n\n".as_bytes())
        .events(&[
            ("message", "hello", "\u{2026}"),
            ("message", "\u{2026}", "\u{2026}"),
            ("message", "\u{2026}", "\u{2026}"),
        ])
        .last_event_id("\u{2026}")
        .retry_ms(200)
        .check();
}

#[test]
fn format_field_id_3_persists() {
    stream(b"id: 1\ndata: 1\n\ndata:2\n\n")
        .events(&[("message", "1", "1"), ("message", "2", "1")])
        .last_event_id("1")
        .check();
}

#[test]
fn format_field_id_3_changes_and_persists() {
    stream(b"id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n")
        .events(&[
            ("message", "1", "1"),
            ("message", "2", "2"),
            ("message", "3", "2"),
        ])
        .last_event_id("2")
        .check();
}

#[test]
fn format_field_id_3_resets() {
    stream(b"id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n")
        .events(&[
            ("message", "1", "1"),
            ("message", "2", ""),
            ("message", "3", ""),
        ])
        .check();
}

#[test]
fn format_field_id_null() {
    // "If the field value does not contain U+0000 NULL, then set the last
    // event ID buffer to the field value. Otherwise, ignore the field."
    // The last event ID stays empty, so the reconnect sends no Last-Event-ID
    // and the server sends the same body again.
    for idvalue in [
        &b"\0\0"[..],
        b"x\0",
        b"\0x",
        b"x\0x",
        b" \0", // "id:  \0": one space is stripped, the value " \0" has a NUL
    ] {
        let body = last_event_id_py(idvalue);
        stream(&body)
            .then(&body)
            .messages(&["hello", "hello"])
            .retry_ms(200)
            .check();
    }
}

#[test]
fn format_field_parsing() {
    // data:\0 -> "\0"; data:  2 -> " 2"; Data:1, data\0:2, \0data:4, da-ta:3,
    // data_5 and " data:32" are other field names; data:1, data:3, data: and
    // data:4 count.
    stream(&message_py_no_newline(
        b"data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n",
    ))
    .messages(&["\0\n 2\n1\n3\n\n4"])
    .check();
}

#[test]
fn format_field_retry() {
    // Base ten even with a leading zero (not octal).
    stream(&message_py(b"retry:02000\ndata:x"))
        .messages(&["x"])
        .retry_ms(2000)
        .check();
}

#[test]
fn format_field_retry_bogus() {
    stream(&message_py(b"retry:2000\nretry:1000x\ndata:x"))
        .messages(&["x"])
        .retry_ms(2000)
        .check();
}

#[test]
fn format_field_retry_empty() {
    // A bare "retry" has the empty value: not "only ASCII digits" in the
    // sense WPT and browsers use, so it is ignored and the event still fires.
    stream(&message_py(b"retry\ndata:test"))
        .messages(&["test"])
        .check();
    // Nor does it clear an earlier value.
    stream(b"retry:2000\nretry\nretry:\ndata:x\n\n")
        .messages(&["x"])
        .retry_ms(2000)
        .check();
}

#[test]
fn format_field_unknown() {
    stream(&message_py(
        b"data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test",
    ))
    .messages(&["test\n\ntest"])
    .check();
}

#[test]
fn format_leading_space() {
    // Only U+0020 is stripped, not a tab; CR ends the first line.
    stream(&message_py(b"data:\ttest\rdata: \ndata:test"))
        .messages(&["\ttest\n\ntest"])
        .check();
}

#[test]
fn format_newlines() {
    // The final "\r" + message.py's "\n" are one CRLF: the blank line.
    stream(&message_py_no_newline(
        b"data:test\r\ndata\ndata:test\r\n\r",
    ))
    .messages(&["test\n\ntest"])
    .check();
}

#[test]
fn format_null_character() {
    stream(&message_py(b"data:\0\n\n"))
        .messages(&["\0"])
        .check();
}

#[test]
fn format_utf_8() {
    // Always UTF-8, whatever charset the Content-Type names.
    stream(&message_py(b"data:ok\xE2\x80\xA6"))
        .messages(&["ok\u{2026}"])
        .check();
}

// ---------------------------------------------------------------------------
// The standard's own examples (9.2.1, 9.2.6)
// ---------------------------------------------------------------------------

#[test]
fn spec_example_add_remove() {
    stream(
        b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n",
    )
    .events(&[
        ("add", "73857293", ""),
        ("remove", "2153", ""),
        ("add", "113411", ""),
    ])
    .check();
}

#[test]
fn spec_example_yhoo() {
    stream(b"data: YHOO\ndata: +2\ndata: 10\n\n")
        .messages(&["YHOO\n+2\n10"])
        .check();
}

#[test]
fn spec_example_four_blocks() {
    stream(b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n")
        .events(&[
            ("message", "first event", "1"),
            ("message", "second event", ""),
            ("message", " third event", ""),
        ])
        .check();
}

#[test]
fn spec_example_empty_data_blocks() {
    // "The first block fires events with the data set to the empty string, as
    // would the last block if it was followed by a blank line. The middle
    // block fires an event with the data set to a single newline character.
    // The last block is discarded because it is not followed by a blank line."
    stream(b"data\n\ndata\ndata\n\ndata:")
        .messages(&["", "\n"])
        .check();
    stream(b"data\n\ndata\ndata\n\ndata:\n")
        .messages(&["", "\n"])
        .check();
}

#[test]
fn spec_example_space_after_colon() {
    stream(b"data:test\n\ndata: test\n\n")
        .messages(&["test", "test"])
        .check();
}

// ---------------------------------------------------------------------------
// Line ends: "a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character
// pair, a single U+000A LINE FEED (LF) character not preceded by a U+000D
// CARRIAGE RETURN (CR) character, and a single U+000D CARRIAGE RETURN (CR)
// character not followed by a U+000A LINE FEED (LF) character"
// ---------------------------------------------------------------------------

#[test]
fn line_ends_mixed() {
    stream(b"data:a\rdata:b\ndata:c\r\ndata:d\r\r\n")
        .messages(&["a\nb\nc\nd"])
        .check();
}

#[test]
fn line_ends_crlf_is_one_line_end() {
    // Were CR and LF two line ends, the LF would be a blank line between them.
    stream(b"data:a\r\ndata:b\r\n\r\n")
        .messages(&["a\nb"])
        .check();
}

#[test]
fn line_ends_lf_cr_is_two_line_ends() {
    stream(b"data:a\n\rdata:b\n\n")
        .messages(&["a", "b"])
        .check();
}

#[test]
fn line_ends_cr_only() {
    stream(b"data:a\rdata:b\r\rdata:c\r\r")
        .messages(&["a\nb", "c"])
        .check();
}

#[test]
fn line_ends_cr_at_the_end_of_the_body_ends_the_line() {
    // The last CR is followed by nothing, so it ends a (blank) line, and the
    // event is dispatched before the body ends.
    stream(b"data:a\n\r").messages(&["a"]).check();
}

#[test]
fn line_ends_blank_lines_alone_dispatch_nothing() {
    stream(b"\n\r\n\r\r\n\n").check();
}

// ---------------------------------------------------------------------------
// Lines: blank / comment / field with colon / field without colon
// ---------------------------------------------------------------------------

#[test]
fn line_comment_is_ignored_inside_an_event() {
    stream(b"data:a\n: comment\n:\ndata:b\n\n")
        .messages(&["a\nb"])
        .check();
}

#[test]
fn line_comment_looking_like_a_field_is_ignored() {
    stream(b":data:x\n\n:id:1\n\n:retry:1\n\n").check();
}

#[test]
fn line_only_a_colon_is_a_comment() {
    stream(b":\n\n:\ndata:x\n:\n\n").messages(&["x"]).check();
}

#[test]
fn line_field_before_the_first_colon_value_after_it() {
    stream(b"data:a:b: c\n\n").messages(&["a:b: c"]).check();
}

#[test]
fn line_only_one_leading_space_is_removed() {
    stream(b"data:  x \n\n").messages(&[" x "]).check();
}

#[test]
fn line_empty_value_after_colon() {
    stream(b"data:\n\n").messages(&[""]).check();
}

#[test]
fn line_without_colon_is_a_field_with_empty_value() {
    stream(b"data\n\n").messages(&[""]).check();
    stream(b"event\ndata:x\n\n").messages(&["x"]).check();
}

#[test]
fn field_name_with_trailing_space_is_another_field() {
    stream(b"data :x\ndata\t:x\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

#[test]
fn field_name_with_leading_space_is_another_field() {
    stream(b" data:x\n\n").check();
}

#[test]
fn field_names_are_compared_literally() {
    stream(b"DATA:x\nData:x\nEVENT:e\nId:1\nRETRY:5\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

#[test]
fn field_unknown_names_are_ignored() {
    stream(b"foo:bar\nd\xC3\xA4ta:x\ndata2:x\nbar\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

// ---------------------------------------------------------------------------
// data and dispatch
// ---------------------------------------------------------------------------

#[test]
fn dispatch_removes_one_trailing_lf() {
    // The data buffer is "a\n\n"; only its last LF is removed.
    stream(b"data:a\ndata:\n\n").messages(&["a\n"]).check();
}

#[test]
fn dispatch_with_empty_data_buffer_fires_nothing() {
    stream(b"event:x\n\nid\n\nfoo:1\n\n").check();
}

#[test]
fn dispatch_without_data_resets_the_event_type() {
    // "If the data buffer is an empty string, set the data buffer and the
    // event type buffer to the empty string and return."
    stream(b"event:x\n\ndata:y\n\n").messages(&["y"]).check();
}

#[test]
fn dispatch_resets_the_event_type() {
    stream(b"event:x\ndata:1\n\ndata:2\n\n")
        .events(&[("x", "1", ""), ("message", "2", "")])
        .check();
}

#[test]
fn event_last_field_wins() {
    stream(b"event:a\nevent:b\ndata:x\n\n")
        .events(&[("b", "x", "")])
        .check();
}

#[test]
fn event_empty_after_non_empty_means_message() {
    stream(b"event:a\nevent\ndata:x\n\nevent:a\nevent:\ndata:y\n\n")
        .messages(&["x", "y"])
        .check();
}

#[test]
fn event_type_is_kept_verbatim() {
    stream(b"event:Message\ndata:1\n\nevent:  a b \ndata:2\n\nevent:\0\ndata:3\n\n")
        .events(&[("Message", "1", ""), (" a b ", "2", ""), ("\0", "3", "")])
        .check();
}

#[test]
fn event_type_after_data_in_the_block_applies() {
    stream(b"data:x\nevent:t\n\n")
        .events(&[("t", "x", "")])
        .check();
}

// ---------------------------------------------------------------------------
// id and the last event ID
// ---------------------------------------------------------------------------

#[test]
fn id_after_data_in_the_block_applies_to_the_event() {
    // Dispatch sets the last event ID string first, then creates the event.
    stream(b"data:x\nid:5\n\n")
        .events(&[("message", "x", "5")])
        .last_event_id("5")
        .check();
}

#[test]
fn id_in_a_block_without_data_applies_to_later_events() {
    stream(b"id:7\n\ndata:x\n\n")
        .events(&[("message", "x", "7")])
        .last_event_id("7")
        .check();
}

#[test]
fn id_last_field_wins() {
    stream(b"id:1\nid:2\ndata:x\n\n")
        .events(&[("message", "x", "2")])
        .last_event_id("2")
        .check();
}

#[test]
fn id_with_nul_is_ignored_not_a_reset() {
    stream(b"id:1\ndata:a\n\nid:\0\ndata:b\n\nid:2\nid:3\x004\ndata:c\n\n")
        .events(&[
            ("message", "a", "1"),
            ("message", "b", "1"),
            ("message", "c", "2"),
        ])
        .last_event_id("2")
        .check();
}

#[test]
fn id_empty_resets() {
    stream(b"id:1\ndata:a\n\nid\ndata:b\n\nid:2\n\nid:\ndata:c\n\n")
        .events(&[
            ("message", "a", "1"),
            ("message", "b", ""),
            ("message", "c", ""),
        ])
        .check();
}

#[test]
fn id_is_kept_verbatim() {
    stream(b"id:  \ndata:a\n\nid: a b \ndata:b\n\n")
        .events(&[("message", "a", " "), ("message", "b", "a b ")])
        .last_event_id("a b ")
        .check();
}

#[test]
fn id_of_a_block_cut_off_by_the_end_is_not_applied() {
    stream(b"id:1\ndata:a\n\nid:2\ndata:b\n")
        .events(&[("message", "a", "1")])
        .last_event_id("1")
        .check();
    stream(b"id:1\n\nid:2\n").last_event_id("1").check();
}

#[test]
fn id_carries_over_a_reconnect() {
    // Decoder behaviour, as in WPT format-field-id: the last event ID string
    // belongs to the event source and survives the end of a body; the ID of
    // the block cut off by the end ("id:4") is dropped with that block.
    stream(b"id:3\ndata:a\n\nid:4\n")
        .then(b"data:b\n\n")
        .events(&[("message", "a", "3"), ("message", "b", "3")])
        .last_event_id("3")
        .check();
}

// ---------------------------------------------------------------------------
// retry
// ---------------------------------------------------------------------------

#[test]
fn retry_ascii_digits_set_the_reconnection_time() {
    stream(b"retry:1000\n\n").retry_ms(1000).check();
    stream(b"retry: 1000\n\n").retry_ms(1000).check();
    stream(b"retry:0\n\n").retry_ms(0).check();
    stream(b"retry:0001\n\n").retry_ms(1).check();
}

#[test]
fn retry_last_valid_value_wins() {
    stream(b"retry:1\nretry:2\n\nretry:3\n\n")
        .retry_ms(3)
        .check();
}

#[test]
fn retry_anything_but_ascii_digits_is_ignored() {
    for value in [
        &b"  1000"[..], // one space is stripped, the other is not a digit
        b"1000 ",
        b"+1000",
        b"-1",
        b"1e3",
        b"1.5",
        b"0x10",
        b"\t10",
        b"\xD9\xA1\xD9\xA2", // ARABIC-INDIC DIGITs ONE and TWO are not ASCII digits
        b"\xEF\xBC\x91",     // FULLWIDTH DIGIT ONE
        b"10\0",
    ] {
        let body = [b"retry:5\n\nretry:", value, b"\ndata:x\n\n"].concat();
        stream(&body).messages(&["x"]).retry_ms(5).check();
    }
}

#[test]
fn retry_applies_without_dispatch() {
    // The reconnection time is set when the field is processed; it is not a
    // buffer that dispatch applies.
    stream(b"retry:10\n\n").retry_ms(10).check();
    stream(b"retry:10\nevent:x\n\n").retry_ms(10).check();
}

#[test]
fn retry_in_a_block_cut_off_by_the_end_still_applies() {
    stream(b"retry:10\n").retry_ms(10).check();
    stream(b"data:x\nretry:10\ndata:y\n").retry_ms(10).check();
}

#[test]
fn retry_on_an_unterminated_last_line_is_not_processed() {
    // A line without its line end is pending data at the end of the body.
    stream(b"retry:10").check();
    stream(b"retry:5\n\nretry:10").retry_ms(5).check();
}

#[test]
fn retry_larger_than_any_duration_is_not_ignored() {
    // All ASCII digits, so the field must not be ignored. The integer does
    // not fit in u64 milliseconds; the decoder saturates (its own choice).
    let body = [&b"retry:5\n\nretry:"[..], &[b'9'; 40], b"\n\n"].concat();
    stream(&body).retry_ms(u64::MAX).check();
}

#[test]
fn retry_carries_over_a_reconnect() {
    stream(b"retry:10\n\n")
        .then(b"data:x\n\n")
        .messages(&["x"])
        .retry_ms(10)
        .check();
}

// ---------------------------------------------------------------------------
// End of the body: "Once the end of the file is reached, any pending data
// must be discarded."
// ---------------------------------------------------------------------------

#[test]
fn end_discards_an_unterminated_event() {
    stream(b"data:a\n\ndata:b\n").messages(&["a"]).check();
    stream(b"data:a\n\ndata:b").messages(&["a"]).check();
    stream(b"data:a\n\ndata:b\r").messages(&["a"]).check();
    stream(b"data:a\n\ndata:b\r\n").messages(&["a"]).check();
}

#[test]
fn end_discards_the_event_type_and_data() {
    // A new body is a new stream with new, empty buffers.
    stream(b"event:t\ndata:x\n")
        .then(b"data:y\n\n")
        .messages(&["y"])
        .check();
    stream(b"event:t\n")
        .then(b"data:y\n\n")
        .messages(&["y"])
        .check();
}

#[test]
fn end_discards_an_unterminated_line() {
    // The next body's first line end does not complete the last line of
    // the previous body.
    stream(b"data:x")
        .then(b"\n\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

#[test]
fn end_after_cr_the_next_body_starts_fresh() {
    // "data:b" ended with its CR, then was discarded with its block; the LF
    // starting the next body is that body's own blank line.
    stream(b"data:a\n\ndata:b\r")
        .then(b"\ndata:c\n\n")
        .messages(&["a", "c"])
        .check();
}

// ---------------------------------------------------------------------------
// BOM: "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark
// (BOM), if any."
// ---------------------------------------------------------------------------

#[test]
fn bom_before_a_comment_or_blank_line() {
    stream(b"\xEF\xBB\xBF:c\ndata:x\n\n")
        .messages(&["x"])
        .check();
    stream(b"\xEF\xBB\xBF\ndata:x\n\n").messages(&["x"]).check();
    stream(b"\xEF\xBB\xBF").check();
}

#[test]
fn bom_not_at_the_start_is_text() {
    stream(b"data:\xEF\xBB\xBFx\n\n")
        .messages(&["\u{FEFF}x"])
        .check();
    stream(b"\n\xEF\xBB\xBFdata:x\n\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

#[test]
fn bom_prefix_that_is_not_a_bom() {
    // EF BB then "d": UTF-8 decode gives one U+FFFD, then "data:1", so the
    // first field name is "\u{FFFD}data".
    stream(b"\xEF\xBBdata:1\n\ndata:2\n\n")
        .messages(&["2"])
        .check();
    stream(b"\xEFdata:1\n\ndata:2\n\n").messages(&["2"]).check();
}

#[test]
fn bom_each_body_is_decoded_on_its_own() {
    stream(b"\xEF\xBB\xBFdata:1\n\n")
        .then(b"\xEF\xBB\xBFdata:2\n\n")
        .messages(&["1", "2"])
        .check();
    // A body cut off inside a BOM does not lend its bytes to the next one.
    stream(b"\xEF\xBB")
        .then(b"data:x\n\n")
        .messages(&["x"])
        .check();
    stream(b"\xEF")
        .then(b"\xBB\xBFdata:x\n\ndata:y\n\n")
        .messages(&["y"])
        .check();
}

// ---------------------------------------------------------------------------
// UTF-8 decode (Encoding standard): every error is one U+FFFD per maximal
// ill-formed subsequence, and never fails the stream.
// ---------------------------------------------------------------------------

#[test]
fn utf8_multibyte_characters() {
    stream("data:d\u{f6}m \u{2026} \u{1F600}\nevent:\u{e9}\n\n".as_bytes())
        .events(&[("\u{e9}", "d\u{f6}m \u{2026} \u{1F600}", "")])
        .check();
}

#[test]
fn utf8_invalid_bytes_become_replacement_characters() {
    for (bytes, text) in [
        (&b"\xFF"[..], "\u{FFFD}"),
        (b"a\xE2\x82b", "a\u{FFFD}b"), // truncated 3-byte sequence: one U+FFFD
        (b"\xF0\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}"), // F0 needs 90..BF next
        (b"\xED\xA0\x80", "\u{FFFD}\u{FFFD}\u{FFFD}"), // a surrogate
        (b"\xC0\xAF", "\u{FFFD}\u{FFFD}"), // overlong
        (b"\x80x", "\u{FFFD}x"),       // lone continuation byte
        (b"\xF4\x90\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"), // above U+10FFFF
    ] {
        let body = [b"data:", bytes, b"\n\n"].concat();
        stream(&body).messages(&[text]).check();
    }
}

#[test]
fn utf8_truncated_sequence_before_a_line_end() {
    // E2 82 then LF: one U+FFFD, and the LF still ends the line.
    stream(b"data:\xE2\x82\ndata:\xAC\n\n")
        .messages(&["\u{FFFD}\n\u{FFFD}"])
        .check();
    stream(b"data:\xE2\x82\r\n\r\n")
        .messages(&["\u{FFFD}"])
        .check();
}

#[test]
fn utf8_invalid_bytes_in_event_and_id() {
    stream(b"event:\xFF\nid:a\xC3\ndata:x\n\n")
        .events(&[("\u{FFFD}", "x", "a\u{FFFD}")])
        .last_event_id("a\u{FFFD}")
        .check();
}

#[test]
fn utf8_invalid_bytes_in_a_field_name() {
    stream(b"dat\xE1:x\ndata\xFF:x\n\n").check();
}
