//! What the integration tests share: [`TestServer`], a hyper server on
//! 127.0.0.1 that records each request and answers it with the test's
//! handler; scripted response bodies for the client tests; a raw hyper
//! client and a body fed by the test for the server tests.
#![allow(dead_code, unreachable_pub)]

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "server")]
mod event_stream;
mod scripted;
mod server;
#[cfg(feature = "rustls")]
mod tls;

// Each test uses a few of these, hence `allow(unused_imports)`.
#[cfg(feature = "client")]
#[allow(unused_imports)]
pub(crate) use client::expect_outcome;
#[cfg(feature = "client")]
#[allow(unused_imports)]
pub use client::{collect_data, data_without_error};
#[cfg(feature = "server")]
#[allow(unused_imports)]
pub use event_stream::{Fetched, Producer, events, get, serve_producers, triple};
#[allow(unused_imports)]
pub use scripted::{Body, Step, no_content, scripted, send, sleep_ms, sse, with_header};
#[allow(unused_imports)]
pub use server::{Seen, TestServer, closed_port_url};
#[cfg(feature = "rustls")]
#[allow(unused_imports)]
pub use tls::self_signed_acceptor;

use std::future::Future;
use std::time::Duration;

/// How long a test waits for something that should happen at once.
pub const PROMPTLY: Duration = Duration::from_secs(5);

/// Awaits `future`, failing the test if it takes longer than [`PROMPTLY`].
pub async fn promptly<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PROMPTLY, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen within {PROMPTLY:?}"))
}
