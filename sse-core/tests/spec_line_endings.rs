//! WHATWG 9.2.5: lines end in CRLF, LF or CR.
mod common;
use common::{datas, decode_chunks, ev};
use sse_core::Decoder;

#[test]
fn lf_ends_lines() {
    assert_eq!(datas(b"data: a\ndata: b\n\n"), ["a\nb"]);
}

#[test]
fn crlf_ends_lines() {
    assert_eq!(datas(b"data: a\r\ndata: b\r\n\r\n"), ["a\nb"]);
}

#[test]
fn cr_ends_lines() {
    assert_eq!(datas(b"data: a\rdata: b\r\r"), ["a\nb"]);
}

#[test]
fn mixed_line_ends_in_one_stream() {
    assert_eq!(datas(b"data: a\rdata: b\ndata: c\r\n\n"), ["a\nb\nc"]);
}

#[test]
fn cr_at_chunk_end_then_lf_is_one_line_end() {
    let chunks: [&[u8]; 3] = [b"data: a\r", b"\ndata: b\r", b"\n\r\n"];
    let decoded = decode_chunks(&mut Decoder::new(), &chunks);
    assert_eq!(decoded.events, [ev("message", "a\nb", "")]);
}

#[test]
fn cr_at_chunk_end_then_cr_is_a_blank_line() {
    let chunks: [&[u8]; 2] = [b"data: a\r", b"\r"];
    let decoded = decode_chunks(&mut Decoder::new(), &chunks);
    assert_eq!(decoded.events, [ev("message", "a", "")]);
}

#[test]
fn cr_lf_lf_is_a_line_end_then_a_blank_line() {
    assert_eq!(datas(b"data: a\r\n\n"), ["a"]);
}

#[test]
fn lf_cr_is_two_line_ends() {
    assert_eq!(datas(b"data: a\n\rdata: b\n\n"), ["a", "b"]);
}

#[test]
fn cr_at_chunk_end_dispatches_without_waiting_for_the_next_chunk() {
    let mut decoder = Decoder::new();
    decoder.push(bytes::Bytes::from_static(b"data: a\r\r"));
    assert_eq!(decoder.next_event().unwrap().unwrap().data(), "a");
}
