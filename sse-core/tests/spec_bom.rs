//! WHATWG 9.2.5: "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
mod common;
use common::{datas, decode_chunks, ev};
use sse_core::Decoder;

#[test]
fn one_leading_bom_is_dropped() {
    assert_eq!(datas(b"\xEF\xBB\xBFdata: x\n\n"), ["x"]);
}

#[test]
fn bom_split_across_three_chunks_is_dropped() {
    let chunks: [&[u8]; 4] = [b"\xEF", b"\xBB", b"\xBF", b"data: x\n\n"];
    let decoded = decode_chunks(&mut Decoder::new(), &chunks);
    assert_eq!(decoded.events, [ev("message", "x", "")]);
}

#[test]
fn second_bom_is_part_of_the_first_field_name() {
    // "\u{FEFF}data" is not "data", so the field is ignored and nothing dispatches.
    assert!(datas(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n").is_empty());
}

#[test]
fn bom_prefix_that_is_not_a_bom_starts_the_first_line() {
    // EF BB followed by something else is not a BOM: those bytes are kept
    // (and, being invalid UTF-8, make the field name unknown).
    let chunks: [&[u8]; 2] = [b"\xEF\xBB", b"data: x\n\ndata: y\n\n"];
    let decoded = decode_chunks(&mut Decoder::new(), &chunks);
    assert_eq!(decoded.events, [ev("message", "y", "")]);
}

#[test]
fn bom_not_at_the_start_is_data() {
    assert_eq!(datas(b"data: \xEF\xBB\xBFx\n\n"), ["\u{FEFF}x"]);
}

#[test]
fn each_stream_after_finish_may_start_with_a_bom() {
    let mut decoder = Decoder::new();
    let first = decode_chunks(&mut decoder, &[b"\xEF\xBB\xBFdata: 1\n\n"]);
    let second = decode_chunks(&mut decoder, &[b"\xEF\xBB\xBFdata: 2\n\n"]);
    assert_eq!(first.events, [ev("message", "1", "")]);
    assert_eq!(second.events, [ev("message", "2", "")]);
}
