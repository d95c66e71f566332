//! `roundtrip`: arbitrary events, encoded with `EventBuilder`, decoded from
//! arbitrary chunks, come back equal.
//!
//! Checks that the builder refuses exactly the values the format cannot carry
//! (an event type or id with CR or LF, an id with NUL, data that is not
//! UTF-8), that `encoded_len()` is exact and `encode` appends what `to_bytes`
//! returns, and that a `Decoder` reading the concatenated blocks (after an
//! optional BOM, in chunks cut as the input says) yields, frame by frame:
//! each comment line, the `retry` (in whole milliseconds, saturating at
//! `u64::MAX`), then the event with its data (line breaks read back as LF),
//! its type (`"message"` when none or empty) and the last id set so far.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use bytes::{Bytes, BytesMut};
use core::time::Duration;
use libfuzzer_sys::fuzz_target;
use sse_core::{Decoder, EncodeError, EventBuilder};
use sse_fuzz::{Output, drain};

#[derive(Arbitrary, Debug)]
struct Input {
    bom: bool,
    /// Chunk sizes, used in a cycle; 0 pushes an empty chunk.
    cuts: Vec<u8>,
    events: Vec<Spec>,
}

/// One event as given to the builder, values not yet checked.
#[derive(Arbitrary, Debug)]
struct Spec {
    comments: Vec<Text>,
    event_type: Option<Text>,
    id: Option<Text>,
    retry: Option<Retry>,
    data: Option<Data>,
}

#[derive(Arbitrary, Debug)]
enum Retry {
    Millis(u64),
    Any { secs: u64, nanos: u32 },
}

impl Retry {
    fn duration(&self) -> Duration {
        match *self {
            Self::Millis(millis) => Duration::from_millis(millis),
            Self::Any { secs, nanos } => Duration::new(secs, nanos % 1_000_000_000),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Data {
    Text(Text),
    Bytes(Vec<u8>),
}

/// Text made of the pieces that matter to the format, and any characters.
#[derive(Debug)]
struct Text(String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        const PIECES: &[&str] = &[
            "\n", "\r", "\r\n", " ", ":", ": ", "\0", "data", "id", "\u{FEFF}", "é", "🦀", "x",
        ];
        let mut text = String::new();
        for _ in 0..u.arbitrary_len::<u8>()? {
            if u.ratio(3, 4)? {
                text.push_str(u.choose(PIECES)?);
            } else {
                text.push(u.arbitrary()?);
            }
        }
        Ok(Self(text))
    }
}

fuzz_target!(|input: Input| check(&input));

fn check(input: &Input) {
    let mut stream = BytesMut::new();
    if input.bom {
        stream.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut expected = Vec::new();
    let mut last_id = String::new();
    for spec in &input.events {
        let event = build(spec);
        let before = stream.len();
        event.encode(&mut stream);
        assert_eq!(
            &stream[before..],
            &event.to_bytes()[..],
            "encode and to_bytes"
        );
        assert_eq!(stream.len() - before, event.encoded_len(), "encoded_len");
        expect(spec, &mut last_id, &mut expected);
    }

    let stream = stream.freeze();
    let mut decoder = Decoder::new();
    let mut got = Vec::new();
    for chunk in cut(&stream, &input.cuts) {
        decoder.push(chunk);
        drain(&mut decoder, true, &mut got, |_| {});
    }
    decoder.finish();
    drain(&mut decoder, true, &mut got, |_| {});
    assert_eq!(
        got, expected,
        "decoded frames differ from the encoded events"
    );
    assert_eq!(decoder.last_event_id(), last_id);
}

/// The builder for `spec`, checking that it refuses exactly what cannot be
/// represented; refused values are left out.
fn build(spec: &Spec) -> EventBuilder {
    let mut event = EventBuilder::new();
    for Text(comment) in &spec.comments {
        event = event.comment(comment.as_str());
    }
    if let Some(Text(event_type)) = &spec.event_type {
        let refused = event_type.contains(['\r', '\n']);
        match event.clone().event_type(event_type.as_str()) {
            Ok(accepted) => {
                assert!(!refused, "accepted event type {event_type:?}");
                event = accepted;
            }
            Err(error) => assert!(refused, "refused event type {event_type:?}: {error}"),
        }
    }
    if let Some(Text(id)) = &spec.id {
        let refused = id.contains(['\r', '\n', '\0']);
        match event.clone().id(id.as_str()) {
            Ok(accepted) => {
                assert!(!refused, "accepted id {id:?}");
                event = accepted;
            }
            Err(error) => assert!(refused, "refused id {id:?}: {error}"),
        }
    }
    if let Some(retry) = &spec.retry {
        event = event.retry(retry.duration());
    }
    match &spec.data {
        None => {}
        Some(Data::Text(Text(data))) => event = event.data(data.as_str()),
        Some(Data::Bytes(data)) => match event.clone().data_bytes(Bytes::copy_from_slice(data)) {
            Ok(accepted) => {
                assert!(core::str::from_utf8(data).is_ok(), "accepted data {data:?}");
                event = accepted;
            }
            Err(EncodeError::DataNotUtf8 { valid_up_to }) => {
                let error = core::str::from_utf8(data).expect_err("refused UTF-8 data");
                assert_eq!(valid_up_to, error.valid_up_to());
            }
            Err(error) => panic!("data refused with {error}"),
        },
    }
    event
}

/// What a reader sees of `spec` (as built), in order.
fn expect(spec: &Spec, last_id: &mut String, out: &mut Vec<Output>) {
    for Text(comment) in &spec.comments {
        out.extend(lines(comment).map(|line| Output::Comment(line.to_owned())));
    }
    if let Some(Text(id)) = &spec.id
        && !id.contains(['\r', '\n', '\0'])
    {
        id.clone_into(last_id);
    }
    if let Some(retry) = &spec.retry {
        let millis = u64::try_from(retry.duration().as_millis()).unwrap_or(u64::MAX);
        out.push(Output::Retry(Duration::from_millis(millis)));
    }
    let data = match &spec.data {
        None => return,
        Some(Data::Text(Text(data))) => data.as_str(),
        Some(Data::Bytes(data)) => match core::str::from_utf8(data) {
            Ok(data) => data,
            Err(_) => return,
        },
    };
    let event_type = match &spec.event_type {
        Some(Text(event_type)) if !event_type.is_empty() && !event_type.contains(['\r', '\n']) => {
            event_type.clone()
        }
        _ => "message".to_owned(),
    };
    out.push(Output::Event {
        event_type,
        data: lines(data).collect::<Vec<_>>().join("\n"),
        id: last_id.clone(),
    });
}

/// The lines of a value, split at CRLF, LF or CR: what a reader reads back.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split("\r\n").flat_map(|part| part.split(['\r', '\n']))
}

/// `stream` cut into chunks of the given sizes, used in a cycle.
fn cut(stream: &Bytes, sizes: &[u8]) -> Vec<Bytes> {
    if sizes.iter().all(|&size| size == 0) {
        return vec![stream.clone()];
    }
    let mut chunks = Vec::new();
    let mut pos = 0;
    for &size in sizes.iter().cycle() {
        let end = (pos + usize::from(size)).min(stream.len());
        chunks.push(stream.slice(pos..end));
        pos = end;
        if pos == stream.len() {
            return chunks;
        }
    }
    unreachable!("the cycle ends when the stream is cut")
}
