//! [`ReadyState`]: where an [`EventSource`](crate::EventSource) stands, as
//! the browser's `EventSource.readyState` tells it.

/// Whether an [`EventSource`](crate::EventSource) is connecting, open or
/// closed, from [`EventSource::ready_state`](crate::EventSource::ready_state).
///
/// The same three states as the browser's `readyState`: a source waiting to
/// reconnect is `Connecting`, as in the browser, and a closed one never
/// opens again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadyState {
    /// Not yet polled, sending the request, waiting for the response, or
    /// waiting to reconnect (the browser's `CONNECTING`, 0).
    Connecting,
    /// A response opened the stream and its body is being read (`OPEN`, 1).
    Open,
    /// The stream has ended, failed for good, been closed or been aborted;
    /// it yields nothing more (`CLOSED`, 2).
    Closed,
}
