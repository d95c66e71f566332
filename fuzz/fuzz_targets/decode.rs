//! `decode`: arbitrary bytes, arbitrarily chunked, through `Decoder`.
//!
//! Checks that decoding never panics, that chunking changes nothing (the
//! events, which events fail, `retry()`, `last_event_id()` and
//! `has_incomplete_event()` are those of each stream pushed in one chunk),
//! that `next_frame` and `next_event` agree, that nothing stays buffered after
//! `finish`, and, for inputs whose lines all fit the limit, that the decoder
//! agrees with the reference model of the WHATWG parser in `src/model.rs`.
//!
//! Input format: see `src/script.rs`.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sse_core::Decoder;
use sse_fuzz::{Model, Output, Script, Step, drain, without_extras};

fuzz_target!(|data: &[u8]| check(&Script::parse(data)));

/// What reading a script produced.
struct Run {
    outputs: Vec<Output>,
    /// `has_incomplete_event()` just before each stream's end.
    mid_event: Vec<bool>,
    decoder: Decoder,
}

fn check(script: &Script<'_>) {
    let chunked = chunked(script);
    let whole = whole(script);

    assert_eq!(
        without_extras(&chunked.outputs),
        whole.outputs,
        "chunking changed the events or which events fail"
    );
    assert_eq!(chunked.decoder.retry(), whole.decoder.retry());
    assert_eq!(
        chunked.decoder.last_event_id(),
        whole.decoder.last_event_id()
    );
    assert_eq!(chunked.mid_event, whole.mid_event, "has_incomplete_event");

    let streams = script.streams();
    // The model has no limits: it cannot say which events fail, nor see
    // that a comment too long for what its event has left is dropped
    // without an error.
    let over_limit = |limit| streams.iter().any(|stream| longest_block(stream) > limit);
    if whole.outputs.iter().any(Output::is_too_large) || script.limit.is_some_and(over_limit) {
        return;
    }
    let mut model = Model::new();
    let model_mid_event: Vec<bool> = streams.iter().map(|bytes| model.stream(bytes)).collect();
    if script.frames {
        assert_eq!(chunked.outputs, model.outputs, "decoder and model disagree");
    } else {
        assert_eq!(
            chunked.outputs,
            model.events(),
            "decoder and model disagree"
        );
    }
    assert_eq!(chunked.decoder.retry(), model.retry, "retry");
    assert_eq!(
        chunked.decoder.last_event_id(),
        model.last_event_id,
        "last_event_id"
    );
    for ((bytes, decoder), model) in streams.iter().zip(&chunked.mid_event).zip(model_mid_event) {
        // A stream cut short inside its BOM has not started a line yet for
        // the decoder; the model sees a replacement character.
        let inside_bom = !bytes.is_empty() && b"\xEF\xBB\xBF".starts_with(bytes);
        if !inside_bom {
            assert_eq!(*decoder, model, "has_incomplete_event of {bytes:?}");
        }
    }
}

/// The script's chunks pushed one by one, draining after each (unless
/// paused), read with `next_frame` or `next_event` as the script says.
fn chunked(script: &Script<'_>) -> Run {
    let mut decoder = Decoder::with_limits(script.limits());
    let mut outputs = Vec::new();
    let mut mid_event = Vec::new();
    let mut paused = false;
    for step in script.steps() {
        match step {
            Step::Push(chunk) => {
                decoder.push(Bytes::copy_from_slice(chunk));
                if !core::mem::take(&mut paused) {
                    drain(&mut decoder, script.frames, &mut outputs, |_| {});
                }
            }
            Step::Pause => paused = true,
            Step::Break => {
                end_stream(&mut decoder, script.frames, &mut outputs, &mut mid_event);
            }
        }
    }
    end_stream(&mut decoder, script.frames, &mut outputs, &mut mid_event);
    Run {
        outputs,
        mid_event,
        decoder,
    }
}

/// Each stream pushed as one chunk, read with `next_event`.
fn whole(script: &Script<'_>) -> Run {
    let mut decoder = Decoder::with_limits(script.limits());
    let mut outputs = Vec::new();
    let mut mid_event = Vec::new();
    for stream in script.streams() {
        decoder.push(Bytes::copy_from_slice(stream));
        end_stream(&mut decoder, false, &mut outputs, &mut mid_event);
    }
    Run {
        outputs,
        mid_event,
        decoder,
    }
}

fn end_stream(
    decoder: &mut Decoder,
    frames: bool,
    outputs: &mut Vec<Output>,
    mid_event: &mut Vec<bool>,
) {
    drain(decoder, frames, outputs, |_| {});
    mid_event.push(decoder.has_incomplete_event());
    decoder.finish();
    drain(decoder, frames, outputs, |_| {});
    assert_eq!(decoder.buffered_len(), 0, "bytes held after the end");
    assert!(!decoder.has_incomplete_event(), "incomplete after the end");
}

/// The length of the longest block of `stream` (its lines up to a blank
/// line), line ends included: a line never holds more than its block.
fn longest_block(stream: &[u8]) -> usize {
    let (mut longest, mut block, mut line) = (0, 0, 0);
    let mut bytes = stream.iter().peekable();
    while let Some(&byte) = bytes.next() {
        block += 1;
        if byte == b'\r' && bytes.next_if_eq(&&b'\n').is_some() {
            block += 1;
        }
        if byte == b'\n' || byte == b'\r' {
            if line == 0 {
                block = 0;
            }
            line = 0;
        } else {
            line += 1;
        }
        longest = longest.max(block);
    }
    longest
}
