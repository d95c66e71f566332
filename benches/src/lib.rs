//! Shared pieces of the benchmarks: the workloads, the chunkings, and one
//! driver per decoder that runs it the way its users do.
//!
//! Every driver returns the [`Tally`] of what it decoded, so that a run can
//! check that each decoder produced the same events before it is timed.

use bytes::{Bytes, BytesMut};
use core::convert::Infallible;
use futures::executor::block_on;
use futures::{Stream, StreamExt, stream};
use std::fmt::Write;
use std::hint::black_box;

/// The file, in the criterion directory, listing the runs that were too slow
/// to time: `group/api/decoder<TAB>seconds of one pass` per line.
pub const UNTIMED_FILE: &str = "untimed.tsv";

/// Where criterion writes its results: `$CARGO_TARGET_DIR/criterion`, else
/// the workspace's `target/criterion`.
pub fn criterion_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"),
        |target| std::path::PathBuf::from(target).join("criterion"),
    )
}

/// What a decoder produced: the number of events and their total data bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Events dispatched (not counting comments or `retry` updates).
    pub events: u64,
    /// Sum of the lengths of the events' data.
    pub data_bytes: u64,
}

impl Tally {
    fn add(&mut self, data: &[u8]) {
        black_box(data);
        self.events += 1;
        self.data_bytes += data.len() as u64;
    }
}

/// A named input and the events a correct decoder finds in it.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Short name used in benchmark IDs and tables.
    pub name: &'static str,
    /// The whole stream.
    pub bytes: Bytes,
    /// What a spec-conforming decoder yields for it.
    pub expected: Tally,
}

/// A small deterministic generator (an LCG), so that every run and every
/// machine sees the same bytes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).expect("few items");
        items[usize::try_from(self.next() % n).expect("index fits")]
    }
}

const WORDS: &[&str] = &[
    "The",
    " quick",
    " brown",
    " fox",
    " jumps",
    " over",
    " the",
    " lazy",
    " dog",
    ".",
    "\\n",
    " Server",
    "-sent",
    " events",
    " stream",
    " tokens",
    " one",
    " at",
    " a",
    " time",
    ",",
    " and",
    " every",
    " chunk",
    " is",
    " JSON",
    " \\\"quoted\\\"",
    " caf\u{e9}",
    " \u{1f980}",
];

/// `events` OpenAI-style chat completion chunks, one `data:` line each,
/// then `data: [DONE]`.
pub fn llm(events: usize) -> Workload {
    let mut rng = Lcg(1);
    let mut text = String::with_capacity(events * 200);
    let mut data_bytes = 0;
    for i in 0..events {
        let start = text.len();
        write!(
            text,
            "data: {{\"id\":\"chatcmpl-{i:08}\",\"object\":\"chat.completion.chunk\",\
             \"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\
             \"delta\":{{\"content\":\"{}\"}},\"finish_reason\":null}}]}}",
            rng.pick(WORDS)
        )
        .expect("writing to a String");
        data_bytes += text.len() - start - "data: ".len();
        text.push_str("\n\n");
    }
    text.push_str("data: [DONE]\n\n");
    data_bytes += "[DONE]".len();
    Workload {
        name: if events >= 100_000 {
            "llm"
        } else {
            "llm-small"
        },
        bytes: Bytes::from(text),
        expected: Tally {
            events: events as u64 + 1,
            data_bytes: data_bytes as u64,
        },
    }
}

/// 200 events of one 64 KiB `data:` line each.
pub fn big() -> Workload {
    big_n(200)
}

/// `events` events of one 64 KiB `data:` line each.
fn big_n(events: usize) -> Workload {
    const SIZE: usize = 64 * 1024;
    let mut rng = Lcg(2);
    let mut text = String::with_capacity(events * (SIZE + 8));
    for _ in 0..events {
        text.push_str("data: ");
        let start = text.len();
        while text.len() - start < SIZE {
            text.push_str(rng.pick(&WORDS[..10]));
        }
        text.truncate(start + SIZE);
        text.push_str("\n\n");
    }
    Workload {
        name: "big",
        bytes: Bytes::from(text),
        expected: Tally {
            events: events as u64,
            data_bytes: (events * SIZE) as u64,
        },
    }
}

/// 20,000 events of `event:`, `id:` and ten 40-byte `data:` lines, CRLF.
pub fn multiline() -> Workload {
    multiline_n(20_000)
}

fn multiline_n(events: usize) -> Workload {
    const LINES: usize = 10;
    const WIDTH: usize = 40;
    let mut rng = Lcg(3);
    let mut text = String::with_capacity(events * 560);
    for i in 0..events {
        write!(text, "event: update\r\nid: {i}\r\n").expect("writing to a String");
        for _ in 0..LINES {
            text.push_str("data: ");
            let start = text.len();
            while text.len() - start < WIDTH {
                text.push_str(rng.pick(&WORDS[..10]));
            }
            text.truncate(start + WIDTH);
            text.push_str("\r\n");
        }
        text.push_str("\r\n");
    }
    Workload {
        name: "multiline",
        bytes: Bytes::from(text),
        expected: Tally {
            events: events as u64,
            data_bytes: (events * (LINES * WIDTH + LINES - 1)) as u64,
        },
    }
}

/// 10,000 events, each after ten `: ping` keep-alive comments.
pub fn comments() -> Workload {
    comments_n(10_000)
}

fn comments_n(events: usize) -> Workload {
    let mut text = String::with_capacity(events * 100);
    let mut data_bytes = 0;
    for i in 0..events {
        for _ in 0..10 {
            text.push_str(": ping\n");
        }
        let data = format!("{{\"seq\":{i},\"status\":\"ok\"}}");
        data_bytes += data.len();
        write!(text, "data: {data}\n\n").expect("writing to a String");
    }
    Workload {
        name: "comments",
        bytes: Bytes::from(text),
        expected: Tally {
            events: events as u64,
            data_bytes: data_bytes as u64,
        },
    }
}

/// The workloads at every chunk size, plus the 1-byte run on a smaller LLM
/// stream: `(workload, chunk size)`.
pub fn matrix() -> Vec<(Workload, usize)> {
    let mut runs = Vec::new();
    for workload in [llm(100_000), big(), multiline(), comments()] {
        for size in CHUNK_SIZES {
            runs.push((workload.clone(), size));
        }
    }
    runs.push((llm(2_000), 1));
    runs
}

/// The chunk sizes every workload is cut into.
pub const CHUNK_SIZES: [usize; 3] = [64, 4 * 1024, 64 * 1024];

/// A chunk size as a label: `64B`, `4KiB`, `64KiB`, `1B`.
pub fn size_label(size: usize) -> String {
    if size >= 1024 {
        format!("{}KiB", size / 1024)
    } else {
        format!("{size}B")
    }
}

/// `bytes` cut into `size`-byte chunks that share its buffer.
pub fn chunks(bytes: &Bytes, size: usize) -> Vec<Bytes> {
    (0..bytes.len())
        .step_by(size)
        .map(|start| bytes.slice(start..bytes.len().min(start + size)))
        .collect()
}

/// Chunks that arrive as a network stack hands them over: hyper reads into
/// one `BytesMut` and splits each chunk off it, so the buffer is reused when
/// the previous chunks have been dropped and a new one is allocated when a
/// decoder still holds them. The memory benchmark uses these so that what a
/// decoder retains shows up in its allocations and its peak.
#[derive(Clone, Debug)]
pub struct Arriving {
    input: Bytes,
    size: usize,
    pos: usize,
    read_buffer: BytesMut,
}

impl Arriving {
    /// `input` in `size`-byte chunks.
    pub fn new(input: Bytes, size: usize) -> Self {
        Self {
            input,
            size,
            pos: 0,
            read_buffer: BytesMut::new(),
        }
    }
}

impl Iterator for Arriving {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        if self.pos == self.input.len() {
            return None;
        }
        let end = self.input.len().min(self.pos + self.size);
        if self.read_buffer.capacity() < end - self.pos {
            // hyper's initial read buffer; `reserve` reclaims the old one when
            // no chunk split off it is still held.
            self.read_buffer.reserve((end - self.pos).max(8 * 1024));
        }
        self.read_buffer
            .extend_from_slice(&self.input[self.pos..end]);
        self.pos = end;
        Some(self.read_buffer.split().freeze())
    }
}

/// The byte stream a decoder's `Stream` adapter reads: the chunks, in order,
/// never pending, as an HTTP body would yield them.
fn body<I: IntoIterator<Item = Bytes>>(chunks: I) -> impl Stream<Item = Result<Bytes, Infallible>> {
    stream::iter(chunks.into_iter().map(Ok))
}

/// One way of decoding a chunked stream: a decoder and the API it is driven
/// through.
#[derive(Clone, Copy, Debug)]
pub struct Driver {
    /// `sse-core`, `eventsource-stream`, ...
    pub decoder: &'static str,
    /// `stream` (the `Stream` adapter), `decoder` (sans-I/O) or `reference`.
    pub api: &'static str,
    /// Decodes chunks handed over as owned `Bytes`, returning what it found.
    pub run: fn(Vec<Bytes>) -> Tally,
    /// The same, on chunks allocated as they arrive.
    pub run_arriving: fn(Arriving) -> Tally,
}

macro_rules! drivers {
    ($($decoder:literal $api:literal $run:ident,)*) => {
        /// Every decoder through every API it offers, ours first, then the
        /// references.
        pub const DRIVERS: &[Driver] = &[$(Driver {
            decoder: $decoder,
            api: $api,
            run: $run::<Vec<Bytes>>,
            run_arriving: $run::<Arriving>,
        },)*];
    };
}

drivers! {
    "sse-core" "stream" ours_stream,
    "eventsource-stream" "stream" eventsource_stream,
    "sseer" "stream" sseer_stream,
    "sse-parse" "stream" sse_parse_stream,
    "sse-core 0.2.3" "stream" sse_core_peer_stream,
    "sse-core" "decoder" ours_decoder,
    "sse-parse" "decoder" sse_parse_decoder,
    "sse-core 0.2.3" "decoder" sse_core_peer_decoder,
    "memchr line count" "reference" memchr_lines,
    "copy" "reference" copy,
}

/// Our `EventStream`.
pub fn ours_stream<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    block_on(async {
        let mut tally = Tally::default();
        let mut events = sse_core::EventStream::new(body(chunks));
        while let Some(event) = events.next().await {
            tally.add(event.expect("no errors").data_bytes());
        }
        tally
    })
}

/// Our sans-I/O `Decoder`: push a chunk, drain the events.
pub fn ours_decoder<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    let mut tally = Tally::default();
    let mut decoder = sse_core::Decoder::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(event) = decoder.next_event().expect("no errors") {
            tally.add(event.data_bytes());
        }
    }
    decoder.finish();
    while let Some(event) = decoder.next_event().expect("no errors") {
        tally.add(event.data_bytes());
    }
    tally
}

/// `eventsource-stream`'s `Eventsource::eventsource()` adapter.
pub fn eventsource_stream<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    use eventsource_stream::Eventsource;
    block_on(async {
        let mut tally = Tally::default();
        let mut events = body(chunks).eventsource();
        while let Some(event) = events.next().await {
            tally.add(event.expect("no errors").data.as_bytes());
        }
        tally
    })
}

/// `sseer::EventStream`.
pub fn sseer_stream<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    block_on(async {
        let mut tally = Tally::default();
        let mut events = sseer::EventStream::new(body(chunks));
        while let Some(event) = events.next().await {
            tally.add(event.expect("no errors").data.as_bytes());
        }
        tally
    })
}

/// `sse_parse::EventStream`.
pub fn sse_parse_stream<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    block_on(async {
        let mut tally = Tally::default();
        let mut events = sse_parse::EventStream::new(body(chunks));
        while let Some(event) = events.next().await {
            tally.add(event.expect("no errors").data.as_bytes());
        }
        tally
    })
}

/// `sse_parse::SseParser`: feed a chunk, drain the events.
pub fn sse_parse_decoder<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    let mut tally = Tally::default();
    let mut parser = sse_parse::SseParser::new();
    for chunk in chunks {
        parser.feed(&chunk);
        while let Some(event) = parser.next_event() {
            tally.add(event.data.as_bytes());
        }
    }
    parser.finish();
    while let Some(event) = parser.next_event() {
        tally.add(event.data.as_bytes());
    }
    tally
}

/// The registry `sse-core` 0.2.3's `SseStream`.
pub fn sse_core_peer_stream<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    use sse_core_peer::{SseEvent, SseStream};
    block_on(async {
        let mut tally = Tally::default();
        let mut events = SseStream::new(body(chunks));
        while let Some(event) = events.next().await {
            if let SseEvent::Message(message) = event.expect("no errors") {
                tally.add(message.data.as_bytes());
            }
        }
        tally
    })
}

/// The registry `sse-core` 0.2.3's `SseDecoder`, which reads from a `Buf`
/// and keeps what it needs: drain each chunk, then take the next.
pub fn sse_core_peer_decoder<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    use sse_core_peer::{SseDecoder, SseEvent};
    let mut tally = Tally::default();
    let mut decoder = SseDecoder::new();
    for mut chunk in chunks {
        while let Some(event) = decoder.next(&mut chunk) {
            if let SseEvent::Message(message) = event.expect("no errors") {
                tally.add(message.data.as_bytes());
            }
        }
    }
    tally
}

/// Reference: counting `\n` with `memchr` over the same chunks, a bound no
/// line-based decoder can beat. Its "events" are lines.
pub fn memchr_lines<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    let mut lines = 0;
    for chunk in chunks {
        lines += memchr::memchr_iter(b'\n', &chunk).count() as u64;
    }
    Tally {
        events: black_box(lines),
        data_bytes: 0,
    }
}

/// Reference: copying every chunk into one reused buffer.
pub fn copy<I: IntoIterator<Item = Bytes>>(chunks: I) -> Tally {
    let mut buffer = Vec::new();
    let mut total = 0;
    for chunk in chunks {
        buffer.clear();
        buffer.extend_from_slice(&chunk);
        total += black_box(&buffer).len() as u64;
    }
    Tally {
        events: 0,
        data_bytes: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every decoder finds the expected events in every workload (cut down,
    /// as this runs unoptimised in CI) at chunk sizes that split lines, so
    /// no benchmark row times a broken run. The benchmark checks the full
    /// workloads again before timing them.
    #[test]
    fn every_decoder_decodes_every_workload() {
        for workload in [llm(300), big_n(3), multiline_n(200), comments_n(100)] {
            for size in [1, 64, 4096] {
                // eventsource-stream takes quadratic time on long lines in small chunks.
                if size < 4096 && workload.name == "big" {
                    continue;
                }
                let chunks = chunks(&workload.bytes, size);
                for driver in DRIVERS.iter().filter(|d| d.api != "reference") {
                    assert_eq!(
                        (driver.run)(chunks.clone()),
                        workload.expected,
                        "{} {} on {} in {size}-byte chunks",
                        driver.decoder,
                        driver.api,
                        workload.name
                    );
                    assert_eq!(
                        (driver.run_arriving)(Arriving::new(workload.bytes.clone(), size)),
                        workload.expected,
                        "{} {} on arriving {}",
                        driver.decoder,
                        driver.api,
                        workload.name
                    );
                }
            }
        }
    }
}
