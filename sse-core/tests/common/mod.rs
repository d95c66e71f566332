//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use bytes::Bytes;
use sse_core::{DecodeError, Decoder, Event};

/// What decoding a whole input produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub events: Vec<(String, String, String)>,
    pub errors: Vec<DecodeError>,
    pub retry: Option<std::time::Duration>,
    pub last_event_id: String,
}

/// (type, data, id) of an event, for terse assertions.
pub fn triple(event: &Event) -> (String, String, String) {
    (
        event.event_type().to_owned(),
        event.data().to_owned(),
        event.id().to_owned(),
    )
}

/// Pushes `chunks` one by one, draining after each, then finishes the stream.
pub fn decode_chunks<C: AsRef<[u8]>>(decoder: &mut Decoder, chunks: &[C]) -> Decoded {
    decode_chunks_with(decoder, chunks, false)
}

/// [`decode_chunks`], trying [`Decoder::next_event_fast`] before each
/// `next_event` when `fast_first` is set.
pub fn decode_chunks_with<C: AsRef<[u8]>>(
    decoder: &mut Decoder,
    chunks: &[C],
    fast_first: bool,
) -> Decoded {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut drain = |decoder: &mut Decoder| {
        loop {
            if fast_first && let Some(event) = decoder.next_event_fast() {
                events.push(triple(&event));
                continue;
            }
            match decoder.next_event() {
                Ok(Some(event)) => events.push(triple(&event)),
                Ok(None) => break,
                Err(error) => errors.push(error),
            }
        }
    };
    for chunk in chunks {
        decoder.push(Bytes::copy_from_slice(chunk.as_ref()));
        drain(decoder);
    }
    decoder.finish();
    drain(decoder);
    Decoded {
        events,
        errors,
        retry: decoder.retry(),
        last_event_id: decoder.last_event_id().to_owned(),
    }
}

/// Decodes `input` pushed as one chunk.
pub fn decode(input: &[u8]) -> Decoded {
    decode_chunks(&mut Decoder::new(), &[input])
}

/// Decodes `input` pushed one byte at a time.
pub fn decode_bytewise(input: &[u8]) -> Decoded {
    let chunks: Vec<&[u8]> = input.chunks(1).collect();
    decode_chunks(&mut Decoder::new(), &chunks)
}

/// The data of each event, for inputs where only data matters.
pub fn datas(input: &[u8]) -> Vec<String> {
    let whole = decode(input);
    assert_eq!(whole, decode_bytewise(input), "chunking changed the result");
    whole.events.into_iter().map(|(_, data, _)| data).collect()
}

/// An event tuple from string slices.
pub fn ev(event_type: &str, data: &str, id: &str) -> (String, String, String) {
    (event_type.to_owned(), data.to_owned(), id.to_owned())
}
