//! Properties: decoding what the encoder wrote gives back the events, in any
//! chunking; the builder refuses exactly the values it cannot represent.
use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use sse_core::{Decoder, EncodeError, EventBuilder, Frame};
use std::time::Duration;

/// One outgoing event, as plain values.
#[derive(Clone, Debug)]
struct Spec {
    comments: Vec<String>,
    event_type: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: Option<String>,
}

/// What a reader sees, in order.
#[derive(Debug, PartialEq)]
enum Seen {
    Comment(String),
    Retry(Duration),
    /// (type, data, id)
    Event(String, String, String),
}

/// Text built from the pieces that matter to the format.
fn text(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..8).prop_map(|pieces| pieces.concat())
}

const ANY: &[&str] = &[
    "x",
    " ",
    "  ",
    ":",
    ": ",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "\0",
    "\u{FEFF}",
    "é",
    "🦀",
    "data: ",
    "id",
    "{\"delta\":1}",
];
const NO_LINE_BREAK: &[&str] = &[
    "x", " ", ":", ": ", "\0", "\u{FEFF}", "é", "🦀", "message", "data",
];
const NO_LINE_BREAK_OR_NUL: &[&str] = &["x", " ", ":", ": ", "\u{FEFF}", "é", "🦀", "42"];

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(text(ANY), 0..2),
        prop::option::of(text(NO_LINE_BREAK)),
        prop::option::of(text(NO_LINE_BREAK_OR_NUL)),
        prop::option::of(prop_oneof![0..5000u64, any::<u64>()]),
        prop::option::weighted(0.8, text(ANY)),
    )
        .prop_map(|(comments, event_type, id, retry, data)| Spec {
            comments,
            event_type,
            id,
            retry,
            data,
        })
}

fn build(spec: &Spec) -> EventBuilder {
    let mut event = EventBuilder::new();
    for comment in &spec.comments {
        event = event.comment(comment.as_str());
    }
    if let Some(event_type) = &spec.event_type {
        event = event
            .event_type(event_type.as_str())
            .expect("no line break");
    }
    if let Some(id) = &spec.id {
        event = event.id(id.as_str()).expect("no line break or NUL");
    }
    if let Some(retry) = spec.retry {
        event = event.retry(Duration::from_millis(retry));
    }
    if let Some(data) = &spec.data {
        event = event.data(data.as_str());
    }
    event
}

/// Every line break as the LF a reader joins lines with.
fn lf_only(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// What a conforming reader must see, modelling its state: the last event ID
/// persists across events and an empty event type reads as "message".
fn expected(specs: &[Spec]) -> (Vec<Seen>, String, Option<Duration>) {
    let mut seen = Vec::new();
    let mut last_event_id = String::new();
    let mut retry = None;
    for spec in specs {
        for comment in &spec.comments {
            seen.extend(
                lf_only(comment)
                    .split('\n')
                    .map(|line| Seen::Comment(line.into())),
            );
        }
        if let Some(millis) = spec.retry {
            retry = Some(Duration::from_millis(millis));
            seen.push(Seen::Retry(Duration::from_millis(millis)));
        }
        if let Some(id) = &spec.id {
            last_event_id.clone_from(id);
        }
        if let Some(data) = &spec.data {
            let event_type = match spec.event_type.as_deref() {
                None | Some("") => "message",
                Some(event_type) => event_type,
            };
            seen.push(Seen::Event(
                event_type.into(),
                lf_only(data),
                last_event_id.clone(),
            ));
        }
    }
    (seen, last_event_id, retry)
}

/// Pushes `bytes` cut at `cuts` and takes out every frame.
fn decode(bytes: &Bytes, mut cuts: Vec<usize>) -> (Vec<Seen>, String, Option<Duration>) {
    for cut in &mut cuts {
        *cut %= bytes.len() + 1;
    }
    cuts.sort_unstable();
    cuts.push(bytes.len());
    let mut decoder = Decoder::new();
    let mut seen = Vec::new();
    let mut drain = |decoder: &mut Decoder| {
        while let Some(frame) = decoder.next_frame().expect("no limit is crossed") {
            seen.push(match frame {
                Frame::Comment(comment) => Seen::Comment(comment.text().into()),
                Frame::Retry(retry) => Seen::Retry(retry),
                Frame::Event(event) => Seen::Event(
                    event.event_type().into(),
                    event.data().into(),
                    event.id().into(),
                ),
                other => panic!("unexpected frame {other:?}"),
            });
        }
    };
    let mut start = 0;
    for cut in cuts {
        decoder.push(bytes.slice(start..cut));
        drain(&mut decoder);
        start = cut;
    }
    decoder.finish();
    drain(&mut decoder);
    assert!(!decoder.has_incomplete_event(), "every block is terminated");
    (seen, decoder.last_event_id().into(), decoder.retry())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decode_of_encode_gives_back_the_events_in_any_chunking(
        specs in prop::collection::vec(spec(), 0..6),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
    ) {
        let mut bytes = BytesMut::new();
        for spec in &specs {
            build(spec).encode(&mut bytes);
        }
        prop_assert_eq!(decode(&bytes.freeze(), cuts), expected(&specs));
    }

    #[test]
    fn to_bytes_is_encode_into_an_empty_buffer(spec in spec()) {
        let event = build(&spec);
        let mut buf = BytesMut::new();
        event.encode(&mut buf);
        prop_assert_eq!(&event.to_bytes()[..], &buf[..]);
        prop_assert_eq!(event.encoded_len(), buf.len());
    }

    #[test]
    fn event_type_is_refused_exactly_when_it_has_a_line_break(value in text(ANY)) {
        let result = EventBuilder::new().event_type(value.as_str());
        match value.find(['\r', '\n']) {
            Some(at) => prop_assert_eq!(result, Err(EncodeError::LineBreakInEventType { at })),
            None => prop_assert!(result.is_ok()),
        }
    }

    #[test]
    fn id_is_refused_exactly_when_it_has_a_line_break_or_nul(value in text(ANY)) {
        let result = EventBuilder::new().id(value.as_str());
        match value.find(['\r', '\n', '\0']) {
            Some(at) if value.as_bytes()[at] == 0 => {
                prop_assert_eq!(result, Err(EncodeError::NulInId { at }));
            }
            Some(at) => prop_assert_eq!(result, Err(EncodeError::LineBreakInId { at })),
            None => prop_assert!(result.is_ok()),
        }
    }
}
