//! Server-Sent Events over hyper 1.x on tokio: a fetch-style client with
//! reconnection, and a streaming server body. Every protocol decision lives
//! in [`sse_core`]; this crate does the I/O.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use sse_core;
pub use sse_core::Event;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub use client::{
    AbortHandle, Client, ClientBuilder, Error, ErrorAction, EventSource, FetchHandle, Outcome,
    RequestBuilder, ResponseInfo,
};

#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub use server::EventStreamBody;
#[cfg(feature = "server")]
pub use sse_core::{EncodeError, EventBuilder};
