//! WHATWG 9.2.6: "Once the end of the file is reached, any pending data must be discarded."
mod common;
use bytes::Bytes;
use common::{decode, ev};
use sse_core::Decoder;

#[test]
fn incomplete_event_at_end_of_stream_is_discarded() {
    assert_eq!(
        decode(b"data: a\n\ndata: b\n").events,
        [ev("message", "a", "")]
    );
    assert_eq!(
        decode(b"data: a\n\ndata: b").events,
        [ev("message", "a", "")]
    );
}

#[test]
fn complete_events_pushed_before_finish_are_still_delivered() {
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(b"data: a\n\ndata: b\n\ndata: c"));
    decoder.finish();
    let mut got = Vec::new();
    while let Some(event) = decoder.next_event().unwrap() {
        got.push(event.data().to_owned());
    }
    assert_eq!(got, ["a", "b"]);
}

#[test]
fn finish_does_not_leak_the_unterminated_event_into_the_next_stream() {
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(b"event: x\ndata: stale"));
    decoder.finish();
    decoder.push(Bytes::from_static(b"data: fresh\n\n"));
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!((event.event_type(), event.data()), ("message", "fresh"));
}

#[test]
fn has_incomplete_event_tells_a_mid_event_close() {
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(b"data: a\n\n: ping\n"));
    while decoder.next_event().unwrap().is_some() {}
    assert!(!decoder.has_incomplete_event(), "a comment is not an event");
    decoder.push(Bytes::from_static(b"data: b"));
    assert!(decoder.next_event().unwrap().is_none());
    assert!(decoder.has_incomplete_event());
}

#[test]
fn a_half_sent_comment_is_not_a_half_sent_event() {
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(b"data: a\n\n: keep-al"));
    while decoder.next_event().unwrap().is_some() {}
    assert!(!decoder.has_incomplete_event());
    // Inside an event, it is.
    decoder.push(Bytes::from_static(b"ive\ndata: b\n: keep-al"));
    while decoder.next_event().unwrap().is_some() {}
    assert!(decoder.has_incomplete_event());
}

#[test]
fn a_half_sent_field_line_too_long_to_keep_is_still_a_half_sent_event() {
    let mut decoder = Decoder::with_limits(sse_core::Limits::default().max_event_size(1));
    decoder.push(Bytes::from_static(b"x-unknown-field: a long value"));
    assert!(decoder.next_event().unwrap().is_none());
    assert!(decoder.has_incomplete_event());
}

#[test]
fn an_unknown_field_too_long_to_keep_still_starts_an_event() {
    let mut decoder = Decoder::with_limits(sse_core::Limits::default().max_event_size(1));
    decoder.push(Bytes::from_static(b"x-unknown-field: a long value\n"));
    assert!(decoder.next_event().unwrap().is_none());
    assert!(decoder.has_incomplete_event());
}
