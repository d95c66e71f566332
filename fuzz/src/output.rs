//! What a decoder reports, in a form that compares across decoders, the
//! stream adapters and the reference model.

use core::time::Duration;
use sse_core::{DecodeError, Decoder, Event, Frame};

/// One thing a reader is told, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// A dispatched event.
    Event {
        /// The event type.
        event_type: String,
        /// The data.
        data: String,
        /// The last event ID it carries.
        id: String,
    },
    /// A comment line (only from `next_frame`).
    Comment(String),
    /// A valid `retry` field (only from `next_frame`).
    Retry(Duration),
    /// An event skipped for its size. The `size` of the error is left out: it
    /// says how far the event got when the limit was crossed, which depends
    /// on chunking.
    TooLarge {
        /// The configured limit.
        limit: usize,
    },
    /// An error injected into the byte stream under an `EventStream`.
    Transport,
}

impl Output {
    /// The event, as compared. Checks first that its strings are UTF-8:
    /// sse-core builds them unchecked after its own check (`utf8.rs`).
    pub fn event(event: &Event) -> Self {
        for text in [event.event_type(), event.data(), event.id()] {
            assert!(
                core::str::from_utf8(text.as_bytes()).is_ok(),
                "not UTF-8: {text:?}"
            );
        }
        Self::Event {
            event_type: event.event_type().to_owned(),
            data: event.data().to_owned(),
            id: event.id().to_owned(),
        }
    }

    /// The frame, as compared.
    pub fn frame(frame: &Frame) -> Self {
        match frame {
            Frame::Event(event) => Self::event(event),
            Frame::Comment(comment) => {
                assert!(core::str::from_utf8(comment.text().as_bytes()).is_ok());
                Self::Comment(comment.text().to_owned())
            }
            Frame::Retry(retry) => Self::Retry(*retry),
            other => panic!("a new kind of frame the fuzz targets do not know: {other:?}"),
        }
    }

    /// The decode error, as compared.
    pub fn error(error: &DecodeError) -> Self {
        match error {
            DecodeError::EventTooLarge { limit, .. } => Self::TooLarge { limit: *limit },
            other => panic!("a new kind of decode error the fuzz targets do not know: {other:?}"),
        }
    }

    /// Whether this is a dispatched event.
    pub fn is_event(&self) -> bool {
        matches!(self, Self::Event { .. })
    }

    /// Whether this is an event skipped for its size.
    pub fn is_too_large(&self) -> bool {
        matches!(self, Self::TooLarge { .. })
    }
}

/// Takes everything the decoder has ready (with `next_frame` when `frames`,
/// else `next_event`, with `next_event_fast` tried first on every other
/// call) into `out`, calling `after_call` after every call.
pub fn drain(
    decoder: &mut Decoder,
    frames: bool,
    out: &mut Vec<Output>,
    mut after_call: impl FnMut(&Decoder),
) {
    let mut fast_first = false;
    loop {
        fast_first = !fast_first;
        let fast = if fast_first && !frames {
            decoder.next_event_fast()
        } else {
            None
        };
        let next = if let Some(event) = fast {
            Ok(Some(Output::event(&event)))
        } else if frames {
            decoder
                .next_frame()
                .map(|frame| frame.as_ref().map(Output::frame))
        } else {
            decoder
                .next_event()
                .map(|event| event.as_ref().map(Output::event))
        };
        after_call(decoder);
        match next {
            Ok(Some(output)) => out.push(output),
            Ok(None) => return,
            Err(error) => out.push(Output::error(&error)),
        }
    }
}

/// Only the events and errors: what `next_event` reports of what
/// `next_frame` reports.
pub fn without_extras(outputs: &[Output]) -> Vec<Output> {
    outputs
        .iter()
        .filter(|output| !matches!(output, Output::Comment(_) | Output::Retry(_)))
        .cloned()
        .collect()
}
