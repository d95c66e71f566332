//! `stream`: `EventStream` (or its `frames()`) over an arbitrary sequence of
//! chunks, injected transport errors and `Poll::Pending`s agrees with a
//! `Decoder` fed the same chunks by hand, with `finish` where a transport
//! error comes: the same events, decode errors and transport errors in the
//! same order, then the same `retry()` and `last_event_id()`, and nothing
//! left buffered.
//!
//! Input format: see `src/script.rs`; `Break` injects a transport error and
//! `Pause` makes the body return `Poll::Pending` once (after waking the task).
#![no_main]

use bytes::Bytes;
use core::task::Poll;
use futures::{StreamExt, executor::block_on, stream};
use libfuzzer_sys::fuzz_target;
use sse_core::{Decoder, EventStream, StreamError};
use sse_fuzz::{Output, Script, Step, drain};

/// The transport error injected into the body.
#[derive(Debug)]
struct Broken;

fuzz_target!(|data: &[u8]| check(&Script::parse(data)));

fn check(script: &Script<'_>) {
    let steps = script.steps();

    // By hand: push, drain after each chunk; an error is reported where it
    // comes, after the events decoded before it, and ends the decoder's
    // stream there (an unterminated event is discarded; the chunks after
    // it start a new stream).
    let mut decoder = Decoder::with_limits(script.limits());
    let mut expected = Vec::new();
    for step in &steps {
        match step {
            Step::Push(chunk) => {
                decoder.push(Bytes::copy_from_slice(chunk));
                drain(&mut decoder, script.frames, &mut expected, |_| {});
            }
            Step::Pause => {}
            Step::Break => {
                decoder.finish();
                expected.push(Output::Transport);
                drain(&mut decoder, script.frames, &mut expected, |_| {});
            }
        }
    }
    decoder.finish();
    drain(&mut decoder, script.frames, &mut expected, |_| {});

    // Through the adapter.
    let mut next_step = steps.iter();
    let body = stream::poll_fn(move |cx| match next_step.next() {
        None => Poll::Ready(None),
        Some(Step::Push(chunk)) => Poll::Ready(Some(Ok(Bytes::copy_from_slice(chunk)))),
        Some(Step::Break) => Poll::Ready(Some(Err(Broken))),
        Some(Step::Pause) => {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    });
    let events = EventStream::with_decoder(body, Decoder::with_limits(script.limits()));
    let mut got = Vec::new();
    let stream_decoder = if script.frames {
        let mut frames = events.frames();
        block_on(async {
            while let Some(item) = frames.next().await {
                got.push(item.map_or_else(from_error, |frame| Output::frame(&frame)));
            }
        });
        assert!(block_on(frames.next()).is_none(), "an item after the end");
        let (retry, id, held) = {
            let decoder = frames.decoder();
            (
                decoder.retry(),
                decoder.last_event_id().to_owned(),
                decoder.buffered_len(),
            )
        };
        (retry, id, held)
    } else {
        let mut events = events;
        block_on(async {
            while let Some(item) = events.next().await {
                got.push(item.map_or_else(from_error, |event| Output::event(&event)));
            }
        });
        assert!(block_on(events.next()).is_none(), "an item after the end");
        let (_, decoder) = events.into_parts();
        (
            decoder.retry(),
            decoder.last_event_id().to_owned(),
            decoder.buffered_len(),
        )
    };

    assert_eq!(got, expected, "EventStream and Decoder disagree");
    assert_eq!(stream_decoder.0, decoder.retry(), "retry");
    assert_eq!(stream_decoder.1, decoder.last_event_id(), "last_event_id");
    assert_eq!(stream_decoder.2, 0, "bytes held after the end");
}

fn from_error(error: StreamError<Broken>) -> Output {
    match error {
        StreamError::Transport(Broken) => Output::Transport,
        StreamError::Decode(error) => Output::error(&error),
        other => panic!("a new kind of stream error: {other:?}"),
    }
}
