//! WHATWG 9.2.5: the stream is decoded as UTF-8 with replacement; errors never end it.
mod common;
use common::{datas, decode, decode_chunks, ev};
use sse_core::Decoder;

#[test]
fn invalid_utf8_becomes_replacement_char() {
    assert_eq!(datas(b"data: a\xFFb\n\n"), ["a\u{FFFD}b"]);
    assert_eq!(datas(b"data: \xC3\n\ndata: ok\n\n"), ["\u{FFFD}", "ok"]);
}

#[test]
fn truncated_sequence_becomes_one_replacement_char() {
    assert_eq!(datas(b"data: \xE2\x82\n\n"), ["\u{FFFD}"]);
}

#[test]
fn invalid_utf8_in_event_type_and_id_is_replaced() {
    let decoded = decode(b"event: \xFF\nid: \xFE\ndata: x\n\n");
    assert_eq!(decoded.events, [ev("\u{FFFD}", "x", "\u{FFFD}")]);
}

#[test]
fn multibyte_character_split_across_chunks_arrives_intact() {
    let euro = "data: 5 €\n\n".as_bytes();
    for split in 0..euro.len() {
        let (a, b) = euro.split_at(split);
        let decoded = decode_chunks(&mut Decoder::new(), &[a, b]);
        assert_eq!(
            decoded.events,
            [ev("message", "5 €", "")],
            "split at {split}"
        );
    }
}

#[test]
fn four_byte_character_split_into_single_bytes_arrives_intact() {
    assert_eq!(datas("data: 🦀\n\n".as_bytes()), ["🦀"]);
}
