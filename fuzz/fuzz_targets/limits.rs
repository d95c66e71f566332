//! `limits`: a decoder with a small limit against an unbounded one.
//!
//! Checks that the bytes the decoder holds (`buffered_len()`, sampled after
//! every push and every `next_event`/`next_frame` call) never exceed the
//! limit plus the chunk just pushed plus 7 (the field-name slack documented
//! in `sse-core/src/limits.rs`), and that the small-limit decoder's events are
//! exactly the unbounded decoder's events minus some of those over the limit,
//! in order:
//!
//! - an event whose whole block (all its lines, with their line ends) fits
//!   the limit must be delivered;
//! - an event whose data alone is over the limit must not be;
//! - in between either is fine (the decoder also counts the event type and
//!   one byte per data line);
//! - each event left out is reported as an error whose `size` is over the
//!   limit;
//! - the delivered events carry the same ID, and `retry()` and
//!   `last_event_id()` end the same, unless an `id` or `retry` line was too
//!   long to read: longer than the limit plus 7 minus what its event held
//!   when it came (the decoder counts "the line it is still reading" with
//!   the event's data and type).
//!
//! Input format: see `src/script.rs`; without a limit in the header the
//! limit is 8 bytes. `Pause` is ignored: every push is drained.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sse_core::{DecodeError, Decoder, Limits};
use sse_fuzz::{Model, Output, Script, Step};

/// The longest field prefix that does not count toward the limit ("event: ").
const FIELD_SLACK: usize = 7;

fuzz_target!(|data: &[u8]| check(&Script::parse(data)));

fn check(script: &Script<'_>) {
    let limit = script.limit.unwrap_or(8);
    let mut small = Decoder::with_limits(Limits::default().max_event_size(limit));
    let mut unbounded = Decoder::with_limits(Limits::unbounded());
    let (mut got, mut expected) = (Vec::new(), Vec::new());

    let mut chunk_len = 0;
    for step in script.steps() {
        match step {
            Step::Push(chunk) => {
                chunk_len = chunk.len();
                small.push(Bytes::copy_from_slice(chunk));
                unbounded.push(Bytes::copy_from_slice(chunk));
                assert_bounded(&small, limit, chunk_len);
            }
            Step::Pause => continue,
            Step::Break => {
                small.finish();
                unbounded.finish();
            }
        }
        drain(&mut small, script.frames, limit, chunk_len, &mut got);
        drain(&mut unbounded, script.frames, limit, 0, &mut expected);
    }
    small.finish();
    unbounded.finish();
    drain(&mut small, script.frames, limit, chunk_len, &mut got);
    drain(&mut unbounded, script.frames, limit, 0, &mut expected);
    assert_eq!(small.buffered_len(), 0, "bytes held after the end");

    // The unbounded decoder is the reference model (checked in `decode`);
    // the model also knows the size of each event's block.
    let mut model = Model::new();
    for stream in script.streams() {
        model.stream(stream);
    }
    let expected: Vec<Output> = expected.into_iter().filter(Output::is_event).collect();
    assert_eq!(
        expected,
        model.events(),
        "unbounded decoder and model disagree"
    );

    let errors = got.iter().filter(|output| output.is_too_large()).count();
    let got: Vec<Output> = got.into_iter().filter(Output::is_event).collect();
    let overlong_line = script
        .streams()
        .iter()
        .any(|stream| drops_an_id_or_retry(stream, limit));
    let rules: Vec<Rule> = expected
        .iter()
        .zip(&model.block_lens)
        .map(|(event, &block_len)| Rule::of(event, block_len, limit))
        .collect();
    let same = |a: &Output, b: &Output| {
        if overlong_line {
            type_and_data(a) == type_and_data(b)
        } else {
            a == b
        }
    };
    assert!(
        is_subsequence(&expected, &rules, &got, same),
        "the small-limit decoder's events are not the unbounded decoder's minus those \
         over the limit {limit}:\n unbounded: {:#?}\n small: {got:#?}",
        expected.iter().zip(&rules).collect::<Vec<_>>()
    );
    assert!(
        errors >= expected.len() - got.len(),
        "an event went missing without an error"
    );
    if !overlong_line {
        assert_eq!(small.retry(), unbounded.retry(), "retry");
        assert_eq!(
            small.last_event_id(),
            unbounded.last_event_id(),
            "last_event_id"
        );
    }
}

fn assert_bounded(decoder: &Decoder, limit: usize, chunk_len: usize) {
    let held = decoder.buffered_len();
    assert!(
        held <= limit + chunk_len + FIELD_SLACK,
        "buffered_len {held} over limit {limit} + chunk {chunk_len} + {FIELD_SLACK}"
    );
}

/// Takes everything ready, checking the bound after every call and the
/// `size` of every error.
fn drain(
    decoder: &mut Decoder,
    frames: bool,
    limit: usize,
    chunk_len: usize,
    out: &mut Vec<Output>,
) {
    let bounded = decoder.limits().event_size().is_some();
    loop {
        let next = if frames {
            decoder
                .next_frame()
                .map(|frame| frame.as_ref().map(Output::frame))
        } else {
            decoder
                .next_event()
                .map(|event| event.as_ref().map(Output::event))
        };
        if bounded {
            assert_bounded(decoder, limit, chunk_len);
        }
        match next {
            Ok(Some(output)) => out.push(output),
            Ok(None) => return,
            Err(error) => {
                assert!(bounded, "the unbounded decoder failed: {error}");
                let DecodeError::EventTooLarge { size, .. } = error else {
                    unreachable!("{error}")
                };
                assert!(size > limit, "{error}: not over the limit");
                out.push(Output::error(&error));
            }
        }
    }
}

/// What the limit allows the small decoder to do with one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Its whole block fits the limit: it must be delivered.
    Deliver,
    /// Its data alone is over the limit: it must be skipped.
    Skip,
    /// Either.
    Either,
}

impl Rule {
    fn of(event: &Output, block_len: usize, limit: usize) -> Self {
        let Output::Event { data, .. } = event else {
            unreachable!()
        };
        // Each U+FFFD in the data may stand for a single invalid byte.
        let min_raw_len = data.len() - 2 * data.matches('\u{FFFD}').count();
        if block_len <= limit {
            Self::Deliver
        } else if min_raw_len > limit {
            Self::Skip
        } else {
            Self::Either
        }
    }
}

/// Whether `got` is `expected` with some events left out, as `rules` allow.
/// Events can repeat, so this tries every alignment (all reachable positions
/// in `got`), not just the greedy one.
fn is_subsequence(
    expected: &[Output],
    rules: &[Rule],
    got: &[Output],
    same: impl Fn(&Output, &Output) -> bool,
) -> bool {
    let mut reachable = vec![false; got.len() + 1];
    reachable[0] = true;
    for (event, rule) in expected.iter().zip(rules) {
        let mut next = vec![false; got.len() + 1];
        for (j, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
            if *rule != Rule::Deliver {
                next[j] = true;
            }
            if *rule != Rule::Skip && j < got.len() && same(&got[j], event) {
                next[j + 1] = true;
            }
        }
        reachable = next;
    }
    reachable[got.len()]
}

fn type_and_data(output: &Output) -> Option<(&str, &str)> {
    match output {
        Output::Event {
            event_type, data, ..
        } => Some((event_type, data)),
        _ => None,
    }
}

/// Whether the decoder may drop an `id` or `retry` line of this stream for
/// its length: a line longer than the limit plus 7 minus the bytes its event
/// holds before it, counted as `sse-core/src/limits.rs` documents (data lines
/// with one byte each for their line ends, the event type), and nothing once
/// the event is over the limit and skipped.
fn drops_an_id_or_retry(stream: &[u8], limit: usize) -> bool {
    // Mirrors what the decoder holds for an event: its data lines joined
    // with LF (one separator fewer than lines) and its event type.
    let mut held = 0;
    let mut event_type = 0;
    let mut data_lines = 0;
    let mut skipping = false;
    let stream = stream.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(stream);
    for line in lines(stream) {
        if line.is_empty() {
            (held, event_type, data_lines, skipping) = (0, 0, 0, false);
            continue;
        }
        let (name, value) = match line.iter().position(|&byte| byte == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        if matches!(name, b"id" | b"retry") && line.len() + held > limit + FIELD_SLACK {
            return true;
        }
        if skipping {
            continue;
        }
        let cost = match name {
            b"data" => value.len() + usize::from(data_lines > 0),
            // It replaces the type held so far.
            b"event" => value.len().saturating_sub(event_type),
            _ => continue,
        };
        if held + cost > limit || line.len() + held > limit + FIELD_SLACK {
            (held, event_type, data_lines, skipping) = (0, 0, 0, true);
        } else if name == b"event" {
            held = held - event_type + value.len();
            event_type = value.len();
        } else {
            held += cost;
            data_lines += 1;
        }
    }
    false
}

/// The lines of a stream, split at CRLF, LF or CR; the last may be unterminated.
fn lines(stream: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut rest = stream;
    while let Some(end) = rest.iter().position(|&byte| byte == b'\n' || byte == b'\r') {
        lines.push(&rest[..end]);
        let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
        rest = &rest[end + 1 + usize::from(crlf)..];
    }
    lines.push(rest);
    lines
}
