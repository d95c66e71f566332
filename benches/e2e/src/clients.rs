//! Every client under test, each driven the way its users drive it: build
//! the client, then (timed) send the request and read events until the
//! stream ends, counting each event's data.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crate::workload::Tally;

/// A client under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Peer {
    /// `sse_hyper::Client::get(url).events()`, a `Stream`.
    OursStream,
    /// `sse_hyper::Client::get(url).on_message(..).spawn()`.
    OursCallback,
    /// reqwest's `bytes_stream()` through our `sse_core::EventStream`: how
    /// a reqwest user would use this library.
    ReqwestOurs,
    /// reqwest's `bytes_stream()` through `eventsource_stream::Eventsource`.
    EventsourceStream,
    /// reqwest's `bytes_stream()` through `sseer::EventStream`.
    Sseer,
    /// reqwest's `bytes_stream()` through `sse_parse::EventStream`.
    SseParse,
    /// reqwest's `bytes_stream()` through the registry `sse-core` 0.2.3's `SseStream`.
    SseCorePeer,
    /// LaunchDarkly's `eventsource-client` with its hyper transport.
    LaunchDarkly,
    /// The bound: hyper-util's legacy client (what ours uses) reading the
    /// body and counting `\n\n`.
    BoundHyper,
    /// The same bound through reqwest's `bytes_stream()`.
    BoundReqwest,
    /// The hyper-util bound, busy for [`BUSY_PER_FRAME`] after each 16 KiB
    /// of body: shows how much of the bound is set by waiting on the
    /// socket rather than by the client's own work.
    BoundHyperBusy,
    /// hyper-util's body pushed straight into our `sse_core::Decoder`:
    /// sse-hyper's `EventSource` minus its state machine.
    HyperDecoder,
    /// No I/O: our `sse_core::Decoder` over the body cut into the same
    /// 16 KiB chunks, in memory. What the decoder alone costs.
    DecoderOurs,
    /// No I/O: the registry `sse-core` 0.2.3's `SseDecoder`, likewise.
    DecoderPeer,
}

impl Peer {
    pub(crate) const ALL: [Self; 14] = [
        Self::BoundHyper,
        Self::BoundReqwest,
        Self::BoundHyperBusy,
        Self::OursStream,
        Self::OursCallback,
        Self::ReqwestOurs,
        Self::EventsourceStream,
        Self::Sseer,
        Self::SseParse,
        Self::SseCorePeer,
        Self::LaunchDarkly,
        Self::HyperDecoder,
        Self::DecoderOurs,
        Self::DecoderPeer,
    ];

    /// The name in tables and on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::OursStream => "sse-hyper (Stream)",
            Self::OursCallback => "sse-hyper (callback)",
            Self::ReqwestOurs => "reqwest + sse-core EventStream (ours)",
            Self::EventsourceStream => "reqwest + eventsource-stream 0.2.3",
            Self::Sseer => "reqwest + sseer 0.3.1",
            Self::SseParse => "reqwest + sse-parse 0.1.0",
            Self::SseCorePeer => "reqwest + sse-core 0.2.3 (registry)",
            Self::LaunchDarkly => "eventsource-client 0.18.0 (hyper)",
            Self::BoundHyper => "bound: hyper-util body + memchr",
            Self::BoundReqwest => "bound: reqwest bytes_stream + memchr",
            Self::BoundHyperBusy => "bound: hyper-util, busy 1 µs per 16 KiB frame",
            Self::HyperDecoder => "hyper-util body + sse-core Decoder, no EventSource",
            Self::DecoderOurs => "no I/O: sse-core Decoder (ours)",
            Self::DecoderPeer => "no I/O: sse-core 0.2.3 SseDecoder",
        }
    }

    /// A short name for the command line (`--clients`, the `idle` subcommand).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::OursStream => "ours-stream",
            Self::OursCallback => "ours-callback",
            Self::ReqwestOurs => "reqwest-ours",
            Self::EventsourceStream => "eventsource-stream",
            Self::Sseer => "sseer",
            Self::SseParse => "sse-parse",
            Self::SseCorePeer => "sse-core-peer",
            Self::LaunchDarkly => "launchdarkly",
            Self::BoundHyper => "bound-hyper",
            Self::BoundReqwest => "bound-reqwest",
            Self::BoundHyperBusy => "bound-hyper-busy",
            Self::HyperDecoder => "hyper-decoder",
            Self::DecoderOurs => "decoder-ours",
            Self::DecoderPeer => "decoder-peer",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|peer| peer.key() == key)
    }

    /// Whether this is a transport bound (its "events" are `\n\n` counts
    /// and it does not look at data).
    pub(crate) fn is_bound(self) -> bool {
        matches!(
            self,
            Self::BoundHyper | Self::BoundReqwest | Self::BoundHyperBusy
        )
    }

    /// Whether this decodes in memory, without a connection.
    pub(crate) fn is_in_memory(self) -> bool {
        matches!(self, Self::DecoderOurs | Self::DecoderPeer)
    }

    /// Whether this row is a diagnostic (not a client a user would pick).
    pub(crate) fn is_diagnostic(self) -> bool {
        self.is_in_memory() || matches!(self, Self::HyperDecoder | Self::BoundHyperBusy)
    }
}

/// Marks the start of the measured part of a run, after the client is built.
#[derive(Default)]
pub(crate) struct Probe {
    started: Cell<Option<Instant>>,
    count_allocations: bool,
}

impl Probe {
    pub(crate) fn new(count_allocations: bool) -> Self {
        Self {
            started: Cell::new(None),
            count_allocations,
        }
    }

    fn start(&self) {
        if self.count_allocations {
            crate::alloc::start();
        }
        self.started.set(Some(Instant::now()));
    }

    /// Time since [`start`](Self::start).
    pub(crate) fn elapsed(&self) -> Duration {
        self.started
            .get()
            .expect("the driver started the probe")
            .elapsed()
    }
}

/// Reads `url` (whose body is `body`) to its end with `peer`; returns what
/// it counted.
pub(crate) async fn run(peer: Peer, url: &str, body: &Bytes, probe: &Probe) -> Tally {
    match peer {
        Peer::DecoderOurs => decoder_ours(body, probe),
        Peer::DecoderPeer => decoder_peer(body, probe),
        Peer::OursStream => ours_stream(url, probe).await,
        Peer::OursCallback => ours_callback(url, probe).await,
        Peer::ReqwestOurs => {
            let body = reqwest_body(url, probe).await;
            let events = sse_hyper::sse_core::EventStream::new(body);
            tally_events(events, |event| event.data().len()).await
        }
        Peer::EventsourceStream => {
            use eventsource_stream::Eventsource;
            let body = reqwest_body(url, probe).await;
            tally_events(body.eventsource(), |event| event.data.len()).await
        }
        Peer::Sseer => {
            let body = reqwest_body(url, probe).await;
            tally_events(sseer::EventStream::new(body), |event| event.data.len()).await
        }
        Peer::SseParse => {
            let body = reqwest_body(url, probe).await;
            tally_events(sse_parse::EventStream::new(body), |event| event.data.len()).await
        }
        Peer::SseCorePeer => sse_core_peer(url, probe).await,
        Peer::LaunchDarkly => launchdarkly(url, probe).await,
        Peer::BoundHyper => bound_hyper(url, probe, Duration::ZERO).await,
        Peer::BoundHyperBusy => bound_hyper(url, probe, BUSY_PER_FRAME).await,
        Peer::HyperDecoder => hyper_decoder(url, probe).await,
        Peer::BoundReqwest => {
            let body = reqwest_body(url, probe).await;
            count_blank_lines(body).await
        }
    }
}

async fn ours_stream(url: &str, probe: &Probe) -> Tally {
    let client = sse_hyper::Client::new();
    probe.start();
    // A GET reconnects by default; reading a finite stream to its end
    // means saying not to.
    let events = client.get(url).reconnect(false).events();
    tally_events(events, |event| event.data().len()).await
}

async fn ours_callback(url: &str, probe: &Probe) -> Tally {
    let client = sse_hyper::Client::new();
    let counts = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let sink = counts.clone();
    probe.start();
    let outcome = client
        .get(url)
        .reconnect(false)
        .on_message(move |event| {
            // One writer: a load and a store, no locked instruction.
            let (events, bytes) = &*sink;
            events.store(events.load(Relaxed) + 1, Relaxed);
            bytes.store(bytes.load(Relaxed) + event.data().len() as u64, Relaxed);
        })
        .spawn()
        .await;
    assert!(
        matches!(outcome, sse_hyper::Outcome::Closed),
        "sse-hyper callback: {outcome:?}"
    );
    Tally {
        events: counts.0.load(Relaxed),
        data_bytes: counts.1.load(Relaxed),
    }
}

/// A reqwest client without proxy lookup, as the peers' users build one.
pub(crate) fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a reqwest client")
}

/// Sends the request with a fresh reqwest client; returns the body stream.
async fn reqwest_body(url: &str, probe: &Probe) -> impl Stream<Item = reqwest::Result<Bytes>> {
    let client = reqwest_client();
    probe.start();
    client
        .get(url)
        .header("accept", "text/event-stream")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("reqwest: a 200 response")
        .bytes_stream()
}

/// Reads a stream of events to its end, counting each one's data.
async fn tally_events<S, T, E>(events: S, data_len: impl Fn(&T) -> usize) -> Tally
where
    S: Stream<Item = Result<T, E>>,
    E: std::fmt::Debug,
{
    let mut events = std::pin::pin!(events);
    let mut tally = Tally::default();
    while let Some(event) = events.next().await {
        let event = event.expect("no errors");
        tally.events += 1;
        tally.data_bytes += data_len(std::hint::black_box(&event)) as u64;
    }
    tally
}

async fn sse_core_peer(url: &str, probe: &Probe) -> Tally {
    use sse_core_peer::{SseEvent, SseStream};
    let body = reqwest_body(url, probe).await;
    let mut events = std::pin::pin!(SseStream::new(body));
    let mut tally = Tally::default();
    while let Some(event) = events.next().await {
        if let SseEvent::Message(message) = event.expect("no errors") {
            tally.add(std::hint::black_box(&message).data.as_bytes());
        }
    }
    tally
}

/// LaunchDarkly's transport as its `tail` example builds it (with proxy
/// lookup off, so the environment cannot change the route).
pub(crate) fn launchdarkly_client(url: &str) -> impl eventsource_client::Client + use<> {
    use eventsource_client::{ClientBuilder, ReconnectOptions};
    let transport = launchdarkly_sdk_transport::HyperTransport::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(30))
        .disable_proxy()
        .build_http()
        .expect("a hyper transport");
    ClientBuilder::for_url(url)
        .expect("a valid URL")
        .reconnect(ReconnectOptions::reconnect(false).build())
        .build_with_transport(transport)
}

async fn launchdarkly(url: &str, probe: &Probe) -> Tally {
    use eventsource_client::{Client as _, Error, SSE};
    let client = launchdarkly_client(url);
    probe.start();
    let mut events = client.stream();
    let mut tally = Tally::default();
    while let Some(item) = events.next().await {
        match item {
            Ok(SSE::Event(event)) => tally.add(std::hint::black_box(&event).data.as_bytes()),
            // Not events; `Eof` is how it reports the end of the body, and
            // with reconnect off the stream ends after it.
            Ok(SSE::Connected(_) | SSE::Comment(_)) | Err(Error::Eof) => {}
            Err(error) => panic!("eventsource-client: {error:?}"),
        }
    }
    tally
}

/// The hyper-util legacy client as `sse_hyper::Client` configures it, for
/// plain HTTP.
pub(crate) fn hyper_client() -> HyperClient<HttpConnector, Empty<Bytes>> {
    let mut http = HttpConnector::new();
    http.set_connect_timeout(Some(Duration::from_secs(10)));
    http.set_keepalive(Some(Duration::from_mins(1)));
    http.set_nodelay(true);
    HyperClient::builder(TokioExecutor::new()).build(http)
}

pub(crate) fn hyper_request(url: &str) -> http::Request<Empty<Bytes>> {
    http::Request::get(url)
        .header("accept", "text/event-stream")
        .body(Empty::new())
        .expect("a valid request")
}

/// The busy bound's pause per 16 KiB of body, spent spinning: less than our
/// decoder spends on 16 KiB of a 64 KiB event (about 2 µs in memory).
const BUSY_PER_FRAME: Duration = Duration::from_micros(1);

async fn bound_hyper(url: &str, probe: &Probe, busy_per_frame: Duration) -> Tally {
    let client = hyper_client();
    probe.start();
    let response = client
        .request(hyper_request(url))
        .await
        .expect("hyper: a response");
    assert!(response.status().is_success());
    let mut body = response.into_body();
    let mut counter = BlankLines::default();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("no body error").into_data() {
            if !busy_per_frame.is_zero() {
                spin(busy_per_frame * data.len() as u32 / crate::server::CHUNK as u32);
            }
            counter.push(&data);
        }
    }
    counter.tally
}

async fn hyper_decoder(url: &str, probe: &Probe) -> Tally {
    let client = hyper_client();
    probe.start();
    let response = client
        .request(hyper_request(url))
        .await
        .expect("hyper: a response");
    assert!(response.status().is_success());
    let mut body = response.into_body();
    let mut decoder = sse_hyper::sse_core::Decoder::new();
    let mut tally = Tally::default();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("no body error").into_data() {
            decoder.push(data);
            while let Some(event) = decoder.next_event().expect("no errors") {
                tally.add(std::hint::black_box(&event).data_bytes());
            }
        }
    }
    decoder.finish();
    while let Some(event) = decoder.next_event().expect("no errors") {
        tally.add(std::hint::black_box(&event).data_bytes());
    }
    tally
}

async fn count_blank_lines<E: std::fmt::Debug>(
    body: impl Stream<Item = Result<Bytes, E>>,
) -> Tally {
    let mut body = std::pin::pin!(body);
    let mut counter = BlankLines::default();
    while let Some(chunk) = body.next().await {
        counter.push(&chunk.expect("no body error"));
    }
    counter.tally
}

/// `body` in the server's chunks, sharing its buffer.
fn chunks(body: &Bytes) -> Vec<Bytes> {
    (0..body.len())
        .step_by(crate::server::CHUNK)
        .map(|start| body.slice(start..body.len().min(start + crate::server::CHUNK)))
        .collect()
}

fn decoder_ours(body: &Bytes, probe: &Probe) -> Tally {
    let chunks = chunks(body);
    probe.start();
    let mut decoder = sse_hyper::sse_core::Decoder::new();
    let mut tally = Tally::default();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(event) = decoder.next_event().expect("no errors") {
            tally.add(std::hint::black_box(&event).data_bytes());
        }
    }
    decoder.finish();
    while let Some(event) = decoder.next_event().expect("no errors") {
        tally.add(std::hint::black_box(&event).data_bytes());
    }
    tally
}

fn decoder_peer(body: &Bytes, probe: &Probe) -> Tally {
    use sse_core_peer::{SseDecoder, SseEvent};
    let chunks = chunks(body);
    probe.start();
    let mut decoder = SseDecoder::new();
    let mut tally = Tally::default();
    for mut chunk in chunks {
        while let Some(event) = decoder.next(&mut chunk) {
            if let SseEvent::Message(message) = event.expect("no errors") {
                tally.add(std::hint::black_box(&message).data.as_bytes());
            }
        }
    }
    tally
}

/// Keeps the thread busy for `time`, without yielding or sleeping.
fn spin(time: Duration) {
    let start = Instant::now();
    while start.elapsed() < time {
        std::hint::spin_loop();
    }
}

/// Counts `\n\n` across chunks: the last byte of one chunk is carried so a
/// pair split between two chunks still counts. (The workloads use LF only.)
#[derive(Default)]
struct BlankLines {
    tally: Tally,
    ends_in_lf: bool,
}

impl BlankLines {
    fn push(&mut self, chunk: &[u8]) {
        let Some(&last) = chunk.last() else {
            return;
        };
        if self.ends_in_lf && chunk[0] == b'\n' {
            self.tally.events += 1;
        }
        self.tally.events += memchr::memmem::find_iter(chunk, b"\n\n").count() as u64;
        self.tally.data_bytes += chunk.len() as u64;
        self.ends_in_lf = last == b'\n';
    }
}

#[cfg(test)]
mod tests {
    use super::BlankLines;

    #[test]
    fn a_blank_line_split_between_chunks_counts_once() {
        let mut counter = BlankLines::default();
        for chunk in [
            &b"data: a\n"[..],
            b"\ndata: b\n\n",
            b"",
            b"data: c\n",
            b"\n",
        ] {
            counter.push(chunk);
        }
        assert_eq!(counter.tally.events, 3);
    }
}
