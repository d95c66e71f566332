//! Events over the size limit: a typed error, nothing lost around them, bounded memory.
mod common;
use bytes::Bytes;
use common::{decode_chunks, ev};
use sse_core::{DecodeError, Decoder, Limits};

#[test]
fn huge_event_between_two_normal_events_gives_event_error_event_in_bounded_memory() {
    const LIMIT: usize = Limits::DEFAULT_MAX_EVENT_SIZE;
    const CHUNK: usize = 64 * 1024;
    let mut decoder = Decoder::new();
    let mut results = Vec::new();
    let mut peak = 0;
    let mut push = |decoder: &mut Decoder, chunk: Bytes, results: &mut Vec<_>| {
        decoder.push(chunk);
        peak = peak.max(decoder.buffered_len());
        loop {
            match decoder.next_event() {
                Ok(Some(event)) => results.push(Ok(event.data().to_owned())),
                Ok(None) => break,
                Err(error) => results.push(Err(error)),
            }
            peak = peak.max(decoder.buffered_len());
        }
    };
    push(
        &mut decoder,
        Bytes::from_static(b"data: before\n\ndata: "),
        &mut results,
    );
    let filler = Bytes::from(vec![b'x'; CHUNK]);
    for _ in 0..(100 << 20) / CHUNK {
        push(&mut decoder, filler.clone(), &mut results);
    }
    push(
        &mut decoder,
        Bytes::from_static(b"\ndata: more\n\ndata: after\n\n"),
        &mut results,
    );

    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0], Ok("before".to_owned()));
    assert!(matches!(
        results[1],
        Err(DecodeError::EventTooLarge { limit: LIMIT, size }) if size > LIMIT && size <= LIMIT + CHUNK + "data: ".len()
    ));
    assert_eq!(results[2], Ok("after".to_owned()));
    // The field name ("data: ") of the line being buffered does not count
    // toward the limit, so an event whose data is exactly the limit fits.
    let field_name = "data: ".len();
    assert!(
        peak <= LIMIT + CHUNK + field_name,
        "peak {peak} over limit + one chunk"
    );
}

#[test]
fn many_data_lines_over_the_limit_are_skipped_to_the_blank_line() {
    let limits = Limits::default().max_event_size(10);
    let mut decoder = Decoder::with_limits(limits);
    let decoded = decode_chunks(
        &mut decoder,
        &[b"data: 12345\ndata: 67890\nid: x\ndata: a\n\ndata: ok\n\n"],
    );
    assert_eq!(
        decoded.errors,
        [DecodeError::EventTooLarge {
            limit: 10,
            size: 11
        }]
    );
    // The `id` of the skipped event still applies: only its payload is dropped.
    assert_eq!(decoded.events, [ev("message", "ok", "x")]);
}

#[test]
fn event_exactly_at_the_limit_is_delivered() {
    let mut decoder = Decoder::with_limits(Limits::default().max_event_size(5));
    let decoded = decode_chunks(&mut decoder, &[&b"data: 12"[..], b"345\n\n"]);
    assert!(decoded.errors.is_empty());
    assert_eq!(decoded.events, [ev("message", "12345", "")]);
}

#[test]
fn comments_and_ids_do_not_count_toward_the_limit() {
    let mut decoder = Decoder::with_limits(Limits::default().max_event_size(8));
    let mut input = b": keep-alive\n".repeat(100);
    input.extend_from_slice(b"id: 1234567\ndata: ok\n\n");
    let decoded = decode_chunks(&mut decoder, &[&input]);
    assert!(decoded.errors.is_empty(), "{:?}", decoded.errors);
    assert_eq!(decoded.events, [ev("message", "ok", "1234567")]);
}

#[test]
fn unbounded_limits_accept_anything() {
    let mut decoder = Decoder::with_limits(Limits::unbounded());
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat_n(
        b'y',
        Limits::DEFAULT_MAX_EVENT_SIZE + 1,
    ));
    input.extend_from_slice(b"\n\n");
    let decoded = decode_chunks(&mut decoder, &[&input]);
    assert!(decoded.errors.is_empty());
    assert_eq!(
        decoded.events[0].1.len(),
        Limits::DEFAULT_MAX_EVENT_SIZE + 1
    );
}

#[test]
fn a_bound_no_event_can_reach_is_no_bound() {
    let widest = Limits::default().max_event_size(usize::MAX);
    assert_eq!(widest.event_size(), None);
    assert_eq!(widest, Limits::unbounded());
    let just_under = Limits::default().max_event_size(usize::MAX - 1);
    assert_eq!(just_under.event_size(), Some(usize::MAX - 1));
    // Unbounded, a decoder still takes events holding many lines.
    let mut decoder = Decoder::with_limits(widest);
    let decoded = decode_chunks(&mut decoder, &[b"event: a\ndata: b\ndata: c\n\n"]);
    assert!(decoded.errors.is_empty());
    assert_eq!(decoded.events.len(), 1);
}

#[test]
fn error_message_names_the_limit_and_the_fix() {
    let message = DecodeError::EventTooLarge {
        limit: 10,
        size: 11,
    }
    .to_string();
    assert!(
        message.contains("10 bytes") && message.contains("11 bytes"),
        "{message}"
    );
    assert!(message.contains("max_event_size"), "{message}");
}

/// `input` decoded with `limit`, cut every way in two and one byte at a
/// time: the events, and how many errors, which must be the same for all.
fn decode_every_split(input: &[u8], limit: usize) -> (Vec<(String, String, String)>, usize) {
    let mut splits: Vec<Vec<&[u8]>> = (0..=input.len())
        .map(|at| vec![&input[..at], &input[at..]])
        .collect();
    splits.push(input.chunks(1).collect());
    let mut results = splits.iter().map(|chunks| {
        let mut decoder = Decoder::with_limits(Limits::default().max_event_size(limit));
        let decoded = decode_chunks(&mut decoder, chunks);
        assert!(
            decoded.errors.iter().all(
                |error| matches!(error, DecodeError::EventTooLarge { limit: l, .. } if *l == limit)
            ),
            "{:?}",
            decoded.errors
        );
        (decoded.events, decoded.errors.len())
    });
    let first = results.next().expect("at least one split");
    for (result, chunks) in results.zip(&splits[1..]) {
        assert_eq!(result, first, "{chunks:?}");
    }
    first
}

#[test]
fn a_comment_longer_than_the_limit_loses_no_event() {
    let input = b"data: a\n\n: a keep-alive comment longer than the limit\ndata: b\n\n";
    let (events, errors) = decode_every_split(input, 8);
    assert_eq!(errors, 0);
    assert_eq!(events, [ev("message", "a", ""), ev("message", "b", "")]);
}

#[test]
fn an_unknown_field_longer_than_the_limit_inside_an_event_is_ignored_like_any_other() {
    let input = b"data: a\nx-trace-id: 0123456789abcdef0123456789\nevent: e\n\n";
    let (events, errors) = decode_every_split(input, 8);
    assert_eq!(errors, 0);
    assert_eq!(events, [ev("e", "a", "")]);
}

#[test]
fn an_id_longer_than_the_limit_is_reported_as_too_large() {
    // Its value cannot be held, so the event cannot say which ID it carries.
    let input = b"id: 0123456789abcdef0123456789\ndata: a\n\ndata: b\n\n";
    let (events, errors) = decode_every_split(input, 8);
    assert_eq!(errors, 1);
    assert_eq!(events, [ev("message", "b", "")]);
}

#[test]
fn a_second_event_field_replaces_the_first_in_the_count() {
    // Type "0123456789" (10 bytes), then "abc" replaces it: the event holds
    // "abc" and "x", 4 bytes, well within 12.
    let input = b"event:0123456789\nevent:abc\ndata: x\n\n";
    let (events, errors) = decode_every_split(input, 12);
    assert_eq!(errors, 0);
    assert_eq!(events, [ev("abc", "x", "")]);
}

#[test]
fn a_data_line_spanning_chunks_counts_toward_the_limit_as_any_other() {
    // Split anywhere, a `data` line that ends in the chunk after its start is
    // read with its blank line in one step; at the limit it is delivered,
    // one byte over it is not, with or without an event type held.
    let input = b"event: abcd\ndata: 123\n\n\
                  event: abcd\ndata: 1234\n\n\
                  data: 1234567\r\n\r\n\
                  data: 12345678\n\n\
                  data: ok\n\n";
    let (events, errors) = decode_every_split(input, 7);
    assert_eq!(errors, 2);
    assert_eq!(
        events,
        [
            ev("abcd", "123", ""),
            ev("message", "1234567", ""),
            ev("message", "ok", "")
        ]
    );
}

mod comments_under_a_limit {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Comments and unknown fields of any length, anywhere between the
        /// lines of events that fit the limit, cost no event and no error,
        /// whatever the chunking.
        #[test]
        fn ignored_lines_of_any_length_lose_no_event(
            events in prop::collection::vec("[a-z]{0,6}", 1..6),
            ignored in prop::collection::vec((0usize..40, 0usize..60, any::<bool>()), 0..8),
            cut in 1usize..40,
        ) {
            const LIMIT: usize = 8;
            let mut lines: Vec<String> = Vec::new();
            for data in &events {
                lines.push(format!("data: {data}"));
                lines.push(String::new());
            }
            for &(at, len, comment) in &ignored {
                let line = if comment {
                    format!(":{}", "c".repeat(len))
                } else {
                    format!("x-unknown: {}", "u".repeat(len))
                };
                lines.insert(at % (lines.len() + 1), line);
            }
            let input = lines.join("\n") + "\n";
            let chunks: Vec<&[u8]> = input.as_bytes().chunks(cut).collect();
            let mut decoder = Decoder::with_limits(Limits::default().max_event_size(LIMIT));
            let decoded = decode_chunks(&mut decoder, &chunks);
            prop_assert!(decoded.errors.is_empty(), "{:?}", decoded.errors);
            let expected: Vec<_> = events.iter().map(|data| ev("message", data, "")).collect();
            prop_assert_eq!(decoded.events, expected);
        }
    }
}
