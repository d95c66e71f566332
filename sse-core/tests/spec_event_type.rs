//! WHATWG 9.2.6: the `event` field.
mod common;
use common::{decode, ev};

#[test]
fn event_sets_the_type() {
    assert_eq!(
        decode(b"event: add\ndata: x\n\n").events,
        [ev("add", "x", "")]
    );
}

#[test]
fn empty_event_means_message() {
    assert_eq!(
        decode(b"event:\ndata: x\n\n").events,
        [ev("message", "x", "")]
    );
    assert_eq!(
        decode(b"event\ndata: x\n\n").events,
        [ev("message", "x", "")]
    );
}

#[test]
fn last_event_field_wins() {
    assert_eq!(
        decode(b"event: a\nevent: b\ndata: x\n\n").events,
        [ev("b", "x", "")]
    );
}

#[test]
fn event_type_does_not_carry_over_to_the_next_event() {
    let decoded = decode(b"event: a\ndata: 1\n\ndata: 2\n\n");
    assert_eq!(decoded.events, [ev("a", "1", ""), ev("message", "2", "")]);
}

#[test]
fn event_type_keeps_spaces_after_the_first() {
    assert_eq!(
        decode(b"event:  a b \ndata: x\n\n").events,
        [ev(" a b ", "x", "")]
    );
}
