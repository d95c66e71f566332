//! Resident memory per idle open connection: one process per client opens
//! connections to `/idle` (headers, then silence), each read by its own task
//! as an application would, and reports the growth of its resident set.

use futures::StreamExt;
use http_body_util::BodyExt;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use crate::clients::{self, Peer};

/// How many processes measure each client; the median is reported.
const REPEATS: usize = 3;

/// Runs the `idle` subcommand in fresh processes (so that no earlier
/// client's freed memory is reused) and returns the median resident bytes
/// per connection, with the heap bytes of that run.
pub(crate) fn measure(peer: Peer, base: &str, connections: usize) -> (f64, f64) {
    let mut runs: Vec<(f64, f64)> = (0..REPEATS)
        .map(|_| measure_once(peer, base, connections))
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    runs[REPEATS / 2]
}

fn measure_once(peer: Peer, base: &str, connections: usize) -> (f64, f64) {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .args(["idle", peer.key(), base, &connections.to_string()])
        .output()
        .expect("run the idle measurement");
    assert!(
        output.status.success(),
        "idle {}: {}",
        peer.key(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let mut numbers = text
        .split_whitespace()
        .map(|n| n.parse().expect("bytes per connection"));
    (
        numbers.next().expect("resident bytes"),
        numbers.next().expect("heap bytes"),
    )
}

/// The `idle` subcommand: prints bytes of resident memory, then of live
/// heap, per connection.
pub(crate) fn run(peer: Peer, base: &str, connections: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let url = format!("{base}/idle");
    let per_connection = runtime.block_on(async {
        let opener = Opener::new(peer, &url);
        // One connection first, so that what every process pays once (the
        // client, its pool, lazily built statics) is not counted.
        opener.open(1).await;
        let before = resident_bytes();
        crate::alloc::start();
        opener.open(connections).await;
        let heap = crate::alloc::stop();
        let after = resident_bytes();
        (
            (after.saturating_sub(before)) as f64 / connections as f64,
            heap.live as f64 / connections as f64,
        )
    });
    println!("{} {}", per_connection.0, per_connection.1);
    // Exit without closing a thousand connections one by one.
    std::process::exit(0);
}

/// One client shared by all of a process's connections, as an application
/// shares one.
enum Shared {
    Ours(sse_hyper::Client),
    Reqwest(reqwest::Client),
    LaunchDarkly(Arc<dyn eventsource_client::Client>),
    // Boxed: the other clients are a pointer wide.
    Hyper(
        Box<
            hyper_util::client::legacy::Client<
                hyper_util::client::legacy::connect::HttpConnector,
                http_body_util::Empty<bytes::Bytes>,
            >,
        >,
    ),
}

struct Opener {
    peer: Peer,
    url: String,
    shared: Shared,
    opened: Arc<AtomicUsize>,
    handles: std::sync::Mutex<Vec<sse_hyper::FetchHandle>>,
}

impl Opener {
    fn new(peer: Peer, url: &str) -> Self {
        let shared = match peer {
            Peer::OursStream | Peer::OursCallback => Shared::Ours(sse_hyper::Client::new()),
            Peer::LaunchDarkly => Shared::LaunchDarkly(Arc::new(clients::launchdarkly_client(url))),
            Peer::BoundHyper => Shared::Hyper(Box::new(clients::hyper_client())),
            _ => Shared::Reqwest(clients::reqwest_client()),
        };
        Self {
            peer,
            url: url.to_owned(),
            shared,
            opened: Arc::new(AtomicUsize::new(0)),
            handles: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Opens `n` more connections, each read by its own task, and returns
    /// once all have their headers and have settled into waiting.
    async fn open(&self, n: usize) {
        let target = self.opened.load(Relaxed) + n;
        for _ in 0..n {
            self.open_one();
        }
        while self.opened.load(Relaxed) < target {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // Let every task poll its body once and park.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    fn open_one(&self) {
        let opened = self.opened.clone();
        let url = self.url.clone();
        let on_open = move || {
            opened.fetch_add(1, Relaxed);
        };
        match (&self.shared, self.peer) {
            (Shared::Ours(client), Peer::OursStream) => {
                let mut events = client
                    .get(&url)
                    .reconnect(false)
                    .on_open(move |_| on_open())
                    .events();
                tokio::spawn(async move { while events.next().await.is_some() {} });
            }
            (Shared::Ours(client), _) => {
                let handle = client
                    .get(&url)
                    .reconnect(false)
                    .on_open(move |_| on_open())
                    .on_message(|event| {
                        std::hint::black_box(event);
                    })
                    .spawn();
                self.handles.lock().expect("not poisoned").push(handle);
            }
            (Shared::LaunchDarkly(client), _) => {
                let mut events = client.stream();
                tokio::spawn(async move {
                    while let Some(item) = events.next().await {
                        if matches!(item, Ok(eventsource_client::SSE::Connected(_))) {
                            on_open();
                        }
                    }
                });
            }
            (Shared::Hyper(client), _) => {
                let sent = client.request(clients::hyper_request(&url));
                tokio::spawn(async move {
                    let mut body = sent.await.expect("a response").into_body();
                    on_open();
                    while let Some(frame) = body.frame().await {
                        std::hint::black_box(frame.ok());
                    }
                });
            }
            (Shared::Reqwest(client), peer) => {
                let sent = client
                    .get(&url)
                    .header("accept", "text/event-stream")
                    .send();
                tokio::spawn(async move {
                    let body = sent.await.expect("a response").bytes_stream();
                    on_open();
                    drain(peer, body).await;
                });
            }
        }
    }
}

/// Reads a reqwest body through `peer`'s decoder until it ends.
async fn drain(
    peer: Peer,
    body: impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send + 'static,
) {
    use eventsource_stream::Eventsource;
    match peer {
        Peer::EventsourceStream => body.eventsource().for_each(ignore).await,
        Peer::Sseer => sseer::EventStream::new(body).for_each(ignore).await,
        Peer::SseParse => sse_parse::EventStream::new(body).for_each(ignore).await,
        Peer::SseCorePeer => sse_core_peer::SseStream::new(body).for_each(ignore).await,
        _ => body.for_each(ignore).await,
    }
}

async fn ignore<T>(item: T) {
    std::hint::black_box(item);
}

/// `VmRSS` from `/proc/self/status`, in bytes.
pub(crate) fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: usize = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    kib * 1024
}
