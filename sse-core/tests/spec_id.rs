//! WHATWG 9.2.6: the `id` field and the last event ID.
mod common;
use common::{decode, decode_chunks, ev};
use sse_core::Decoder;

#[test]
fn id_sets_the_last_event_id() {
    let decoded = decode(b"id: 1\ndata: x\n\n");
    assert_eq!(decoded.events, [ev("message", "x", "1")]);
    assert_eq!(decoded.last_event_id, "1");
}

#[test]
fn id_persists_across_events() {
    let decoded = decode(b"id: 1\ndata: a\n\ndata: b\n\n");
    assert_eq!(
        decoded.events,
        [ev("message", "a", "1"), ev("message", "b", "1")]
    );
}

#[test]
fn empty_id_resets_the_last_event_id() {
    let decoded = decode(b"id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n");
    assert_eq!(
        decoded.events,
        [
            ev("message", "a", "1"),
            ev("message", "b", ""),
            ev("message", "c", "")
        ]
    );
    assert_eq!(decoded.last_event_id, "");
}

#[test]
fn id_containing_nul_is_ignored() {
    let decoded = decode(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n");
    assert_eq!(
        decoded.events,
        [ev("message", "a", "1"), ev("message", "b", "1")]
    );
}

#[test]
fn id_is_applied_even_if_the_block_has_no_data() {
    let decoded = decode(b"id: 5\n\n");
    assert!(decoded.events.is_empty());
    assert_eq!(decoded.last_event_id, "5");
}

#[test]
fn id_applies_at_the_blank_line_not_before() {
    let mut decoder = Decoder::new();
    decoder.push(bytes::Bytes::from_static(b"id: 9\ndata: x\n"));
    assert!(decoder.next_event().unwrap().is_none());
    assert_eq!(decoder.last_event_id(), "");
    decoder.push(bytes::Bytes::from_static(b"\n"));
    assert_eq!(decoder.next_event().unwrap().unwrap().id(), "9");
    assert_eq!(decoder.last_event_id(), "9");
}

#[test]
fn id_of_an_unterminated_block_is_not_applied() {
    assert_eq!(
        decode(b"id: 1\ndata: a\n\nid: 2\ndata: b\n").last_event_id,
        "1"
    );
}

#[test]
fn last_event_id_survives_a_new_stream_with_idless_events() {
    let mut decoder = Decoder::new();
    decode_chunks(&mut decoder, &[b"id: 3\ndata: a\n\nid: 4\n"]);
    let second = decode_chunks(&mut decoder, &[b"data: b\n\n"]);
    assert_eq!(second.events, [ev("message", "b", "3")]);
}

#[test]
fn id_keeps_inner_spaces() {
    assert_eq!(
        decode(b"id:  a b\ndata: x\n\n").events,
        [ev("message", "x", " a b")]
    );
}

#[test]
fn set_last_event_id_seeds_events_without_id() {
    let mut decoder = Decoder::new();
    decoder.set_last_event_id("resume-7");
    let decoded = decode_chunks(&mut decoder, &[b"data: x\n\n"]);
    assert_eq!(decoded.events, [ev("message", "x", "resume-7")]);
}
