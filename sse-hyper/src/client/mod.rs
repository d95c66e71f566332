//! The client: a fetch-style request builder with callbacks, or a `Stream`
//! of events, reconnecting the way `EventSource` does.

mod abort;
mod body;
#[allow(clippy::module_inception)] // `client::client` holds `Client`
mod client;
mod connect;
mod deadline;
mod error;
mod fetch;
mod gzip;
mod proxy;
mod ready_state;
mod request;
mod response_info;
mod source;

pub use abort::AbortHandle;
pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorAction};
pub use fetch::{FetchHandle, Flow, Outcome};
pub use ready_state::ReadyState;
pub use request::{RequestBuilder, TRANSIENT_STATUSES};
pub use response_info::ResponseInfo;
pub use source::EventSource;
