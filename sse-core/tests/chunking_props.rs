//! Properties: chunking never changes the result; line ends are
//! interchangeable; `EventStream` agrees with `Decoder`.
mod common;
use bytes::Bytes;
use common::{Decoded, decode_chunks, decode_chunks_with, triple};
use futures::{StreamExt, executor::block_on, stream};
use proptest::prelude::*;
use sse_core::{DecodeError, Decoder, EventStream, Limits, StreamError};

/// Inputs built from the pieces that matter to the parser.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&[u8]] = &[
        b"data",
        b"event",
        b"id",
        b"retry",
        b":",
        b": ",
        b" ",
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        b"x",
        b"42",
        b"\xEF\xBB\xBF",
        b"\0",
        b"\xFF",
        "é€🦀".as_bytes(),
        b"data: hello\n",
        // A whole event, as the decoder's fast path reads it.
        b"data: hi\n\n",
        // Keep-alives, which the decoder passes over in runs.
        b": ping\n",
        b": ping\r",
        b"\r\n\r\n",
        b"xxxxxxxxxxxxxxxxxxxxxxxx",
    ];
    let piece = prop::sample::select(PIECES);
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// `input` cut at the given positions.
fn split_at_points(input: &[u8], mut points: Vec<usize>) -> Vec<&[u8]> {
    for point in &mut points {
        *point %= input.len() + 1;
    }
    points.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for point in points.into_iter().chain([input.len()]) {
        chunks.push(&input[start..point]);
        start = point;
    }
    chunks
}

/// Errors carry how far the event got when the limit was crossed, which
/// depends on chunking; what must not depend on it is which events fail.
fn without_sizes(mut decoded: Decoded) -> Decoded {
    for error in &mut decoded.errors {
        let DecodeError::EventTooLarge { size, .. } = error else {
            unreachable!()
        };
        *size = 0;
    }
    decoded
}

fn small_limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        Just(Limits::default()),
        (0usize..40).prop_map(|n| Limits::default().max_event_size(n))
    ]
}

#[test]
fn every_three_way_cut_of_multi_line_events_gives_the_same_result() {
    // Lines spanning chunks where the decoder has a path of its own: the
    // data lines of a multi-line event (the first handed out whole or
    // joined, later ones copied from where they lie), a CR ending a chunk
    // whose LF starts the next, a CRLF ending a chunk before a blank LF,
    // invalid UTF-8, an event over the limit between two that fit, and
    // single-line events.
    let input: &[u8] = b"id: 1\r\ndata:first\r\ndata:  second\r\ndata\r\ndata: x\xFF\r\n\r\n\
                         data: 123456789012345678901234567890\ndata: over\n\n\
                         data: a\rdata: b\r\rdata: one\n\ndata:\ndata:\n\n\
                         data: c\ndata: d\r\n\ndata: e\n\n";
    let limits = Limits::default().max_event_size(24);
    let whole = decode_chunks(&mut Decoder::with_limits(limits), &[input]);
    assert_eq!(whole.events.len(), 6, "{whole:?}");
    assert_eq!(whole.events[0].1, "first\n second\n\nx\u{FFFD}");
    assert_eq!(whole.errors.len(), 1);
    for first in 0..=input.len() {
        for second in first..=input.len() {
            let chunks = [&input[..first], &input[first..second], &input[second..]];
            let split = decode_chunks(&mut Decoder::with_limits(limits), &chunks);
            assert_eq!(
                without_sizes(split),
                without_sizes(whole.clone()),
                "{first} {second}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_chunking_gives_the_same_result(
        input in sse_bytes(),
        points in prop::collection::vec(any::<usize>(), 0..12),
        limits in small_limits(),
    ) {
        let whole = decode_chunks(&mut Decoder::with_limits(limits), &[&input]);
        let chunks = split_at_points(&input, points);
        let split = decode_chunks(&mut Decoder::with_limits(limits), &chunks);
        prop_assert_eq!(without_sizes(whole), without_sizes(split));
    }

    #[test]
    fn the_fast_path_first_gives_the_same_result(
        input in sse_bytes(),
        points in prop::collection::vec(any::<usize>(), 0..12),
        limits in small_limits(),
    ) {
        let chunks = split_at_points(&input, points);
        let plain = decode_chunks(&mut Decoder::with_limits(limits), &chunks);
        let fast = decode_chunks_with(&mut Decoder::with_limits(limits), &chunks, true);
        prop_assert_eq!(plain, fast);
    }

    #[test]
    fn one_byte_chunks_give_the_same_result(input in sse_bytes(), limits in small_limits()) {
        let whole = decode_chunks(&mut Decoder::with_limits(limits), &[&input]);
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        let split = decode_chunks(&mut Decoder::with_limits(limits), &bytewise);
        prop_assert_eq!(without_sizes(whole), without_sizes(split));
    }

    #[test]
    fn lf_crlf_and_cr_line_ends_are_interchangeable(
        lines in prop::collection::vec("(data|event|id|retry|:)?(: ?)?[a-z0-9 é]{0,6}", 0..20)
    ) {
        let with = |ending: &str| {
            let text = lines.iter().fold(String::new(), |text, line| text + line + ending);
            decode_chunks(&mut Decoder::new(), &[text.as_bytes()])
        };
        let lf = with("\n");
        prop_assert_eq!(&lf, &with("\r\n"));
        prop_assert_eq!(&lf, &with("\r"));
    }

    #[test]
    fn events_kept_while_later_ones_are_decoded_keep_their_data(
        input in sse_bytes(),
        points in prop::collection::vec(any::<usize>(), 0..12),
        keep in prop::collection::vec(any::<bool>(), 0..64),
    ) {
        // Buffers the decoder reuses (multi-line data, spanning lines) must
        // never be written over while an event holds part of them.
        let chunks = split_at_points(&input, points);
        let expected = decode_chunks(&mut Decoder::new(), &chunks);
        let mut decoder = Decoder::new();
        let mut kept = Vec::new();
        let mut index = 0;
        for chunk in chunks.iter().map(|c| Some(*c)).chain([None]) {
            match chunk {
                Some(chunk) => decoder.push(Bytes::copy_from_slice(chunk)),
                None => decoder.finish(),
            }
            while let Some(event) = decoder.next_event().unwrap() {
                if keep.get(index % keep.len().max(1)).copied().unwrap_or(true) {
                    kept.push((index, event));
                }
                index += 1;
            }
        }
        prop_assert_eq!(index, expected.events.len());
        for (index, event) in &kept {
            prop_assert_eq!(&triple(event), &expected.events[*index]);
        }
    }

    #[test]
    fn event_stream_agrees_with_decoder(
        input in sse_bytes(),
        points in prop::collection::vec(any::<usize>(), 0..12),
    ) {
        let chunks = split_at_points(&input, points);
        let expected = decode_chunks(&mut Decoder::new(), &chunks);
        let body = stream::iter(
            chunks.iter().map(|c| Ok::<_, std::convert::Infallible>(Bytes::copy_from_slice(c))),
        );
        let mut events = EventStream::new(body);
        let streamed: Vec<_> = block_on(async {
            let mut out = Vec::new();
            while let Some(item) = events.next().await {
                match item {
                    Ok(event) => out.push(triple(&event)),
                    Err(StreamError::Decode(error)) => panic!("unexpected {error}"),
                    Err(StreamError::Transport(never)) => match never {},
                    Err(_) => unreachable!(),
                }
            }
            out
        });
        prop_assert_eq!(&expected.events, &streamed);
        prop_assert_eq!(expected.retry, events.decoder().retry());
        prop_assert_eq!(expected.last_event_id.as_str(), events.decoder().last_event_id());
    }
}
