//! WHATWG 9.2.6: the data buffer and dispatch.
mod common;
use common::{datas, decode, ev};

#[test]
fn data_lines_are_joined_with_lf() {
    assert_eq!(datas(b"data: a\ndata: b\ndata: c\n\n"), ["a\nb\nc"]);
}

#[test]
fn final_lf_is_removed_at_dispatch() {
    assert_eq!(datas(b"data: a\ndata:\n\n"), ["a\n"]);
}

#[test]
fn empty_data_lines_join_with_lf() {
    assert_eq!(datas(b"data:\ndata:\ndata\n\n"), ["\n\n"]);
}

#[test]
fn empty_data_value_dispatches_an_event_with_empty_data() {
    assert_eq!(datas(b"data:\n\n"), [""]);
}

#[test]
fn block_without_data_is_not_dispatched_but_resets_event_type() {
    let decoded = decode(b"event: add\n\ndata: x\n\n");
    assert_eq!(decoded.events, [ev("message", "x", "")]);
}

#[test]
fn several_blank_lines_dispatch_once() {
    assert_eq!(datas(b"data: x\n\n\n\n"), ["x"]);
}

#[test]
fn data_after_other_fields_in_any_order() {
    let decoded = decode(b"data: 1\nevent: e\ndata: 2\nid: 7\n\n");
    assert_eq!(decoded.events, [ev("e", "1\n2", "7")]);
}
