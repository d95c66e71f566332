//! The two streams the server sends, and what a correct client finds in them.

use bytes::Bytes;
use std::fmt::Write;

/// What a client read: events dispatched and the total bytes of their data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) events: u64,
    pub(crate) data_bytes: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, data: &[u8]) {
        self.events += 1;
        self.data_bytes += data.len() as u64;
    }
}

/// A named body and the tally a spec-conforming client reads from it.
pub(crate) struct Workload {
    pub(crate) name: &'static str,
    pub(crate) body: Bytes,
    pub(crate) expected: Tally,
}

/// Both workloads, by name.
pub(crate) fn all() -> [Workload; 2] {
    [llm(), big()]
}

/// `llm`: 200,000 OpenAI-style chat completion chunks of one token each,
/// one `data:` line per event, then `data: [DONE]` (about 22 MB).
pub(crate) fn llm() -> Workload {
    const CHUNKS: usize = 200_000;
    const TOKENS: &[&str] = &[
        "Hello",
        " world",
        ",",
        " the",
        " model",
        " streams",
        " one",
        " token",
        " at",
        " a",
        " time",
        ".",
        "\\n",
        " caf\u{e9}",
        " \u{1f980}",
        " \\\"ok\\\"",
    ];
    let mut random = Lcg(7);
    let mut text = String::with_capacity(CHUNKS * 112);
    let mut expected = Tally::default();
    for i in 0..CHUNKS {
        text.push_str("data: ");
        let start = text.len();
        write!(
            text,
            "{{\"id\":\"chatcmpl-{i:07}\",\"object\":\"chat.completion.chunk\",\
             \"choices\":[{{\"delta\":{{\"content\":\"{}\"}}}}]}}",
            TOKENS[random.below(TOKENS.len())]
        )
        .expect("writing to a String");
        expected.add(&text.as_bytes()[start..]);
        text.push_str("\n\n");
    }
    text.push_str("data: [DONE]\n\n");
    expected.add(b"[DONE]");
    Workload {
        name: "llm",
        body: Bytes::from(text),
        expected,
    }
}

/// `big`: 1,000 events of one 64 KiB `data:` line each.
pub(crate) fn big() -> Workload {
    const EVENTS: usize = 1_000;
    const SIZE: usize = 64 * 1024;
    let mut random = Lcg(11);
    let mut text = String::with_capacity(EVENTS * (SIZE + 8));
    for _ in 0..EVENTS {
        text.push_str("data: ");
        for _ in 0..SIZE {
            text.push(char::from(b'a' + random.below(26) as u8));
        }
        text.push_str("\n\n");
    }
    Workload {
        name: "big",
        body: Bytes::from(text),
        expected: Tally {
            events: EVENTS as u64,
            data_bytes: (EVENTS * SIZE) as u64,
        },
    }
}

/// A linear congruential generator: the same bytes on every run and machine.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n
    }
}
