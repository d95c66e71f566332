//! WHATWG 9.2.6: blank lines, comments, `name:value`, lines without a colon, unknown fields.
mod common;
use common::{datas, decode, decode_bytewise, ev};

#[test]
fn blank_line_dispatches() {
    assert_eq!(datas(b"data: a\n\ndata: b\n\n"), ["a", "b"]);
}

#[test]
fn line_starting_with_colon_is_a_comment() {
    assert_eq!(datas(b": data: no\ndata: yes\n\n"), ["yes"]);
}

#[test]
fn comment_then_blank_line_dispatches_nothing() {
    assert!(datas(b": keep-alive\n\n").is_empty());
}

#[test]
fn runs_of_comments_are_ignored_wherever_they_stand() {
    // Before an event, between its fields, before a blank line, with every
    // line end, and long enough to need a search past the first 16 bytes.
    let input = b": ping\n: ping\r\n:\rdata: a\n\n\
        : ping\n:\ndata: b\n: between\ndata: c\n\n\
        : a keep-alive comment well past sixteen bytes\r\nevent: e\n: x\n\n\
        : x\ndata: d\n: before the blank line\n\n: last\r";
    let events = decode(input).events;
    assert_eq!(
        events,
        [
            ev("message", "a", ""),
            ev("message", "b\nc", ""),
            ev("message", "d", ""),
        ]
    );
    assert_eq!(decode_bytewise(input).events, events);
    for cut in 0..input.len() {
        let chunks = [&input[..cut], &input[cut..]];
        let decoded = common::decode_chunks(&mut sse_core::Decoder::new(), &chunks);
        assert_eq!(decoded.events, events, "cut at {cut}");
    }
}

#[test]
fn exactly_one_leading_space_is_dropped_from_the_value() {
    assert_eq!(
        datas(b"data:  two\n\ndata:none\n\ndata:\tx\n\n"),
        [" two", "none", "\tx"]
    );
}

#[test]
fn only_the_first_colon_splits_name_and_value() {
    assert_eq!(datas(b"data: a: b:c\n\n"), ["a: b:c"]);
}

#[test]
fn line_without_colon_is_a_field_with_empty_value() {
    // "data" alone appends an empty line.
    assert_eq!(datas(b"data\n\n"), [""]);
    assert_eq!(datas(b"data\ndata\n\n"), ["\n"]);
}

#[test]
fn unknown_fields_are_ignored() {
    assert_eq!(datas(b"foo: bar\ndata: x\nbaz\n\n"), ["x"]);
}

#[test]
fn field_names_are_case_sensitive() {
    let decoded = decode(b"Data: x\nEVENT: y\nID: 1\nRetry: 5\n\ndata: z\n\n");
    assert_eq!(decoded.events, [ev("message", "z", "")]);
    assert_eq!(decoded.retry, None);
}

#[test]
fn space_before_colon_is_part_of_the_name() {
    assert!(datas(b"data : x\n\n").is_empty());
}
