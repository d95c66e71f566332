//! `decode`: arbitrary bytes, arbitrarily chunked, through `Decoder`.
//!
//! Checks that decoding never panics, that chunking changes nothing (the
//! events, which events fail, `retry()`, `last_event_id()` and
//! `has_incomplete_event()` are those of each stream pushed in one chunk),
//! that `next_frame` and `next_event` agree, that nothing stays buffered after
//! `finish`, and, for inputs without limit errors, that the decoder agrees with
//! the reference model of the WHATWG parser in `src/model.rs`.
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

    if whole.outputs.iter().any(Output::is_too_large) {
        return; // the model has no limits
    }
    let mut model = Model::new();
    let streams = script.streams();
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
