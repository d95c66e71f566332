//! [`channel`]: an event stream body fed from other tasks.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use futures_core::Stream;
use sse_core::EventBuilder;
use std::convert::Infallible;
use tokio::sync::mpsc;

use super::EventStreamBody;

/// A response body and the sender that feeds it, for events produced
/// elsewhere: a task relaying an LLM's tokens, a broadcast to dashboards.
///
/// Events sent go out in order, each as soon as hyper can write it. At most
/// `capacity` wait in between: beyond that, [`EventSender::send`] waits for
/// the client to catch up instead of the server queueing without bound.
/// The body ends cleanly once every sender is dropped. When the client goes
/// away, hyper drops the body, `send` fails with [`Disconnected`] and
/// [`EventSender::closed`] resolves, so that the producer can stop its work.
/// On HTTP/1.1 hyper sees the client go only once the request body has been
/// read to its end (see [the module docs](super)): read a POST's body before
/// answering, or set a [`keep_alive`](EventStreamBody::keep_alive), whose
/// writes fail once the client is gone.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use sse_hyper::EventBuilder;
///
/// let (events, body) = sse_hyper::server::channel(16);
/// tokio::spawn(async move {
///     for token in ["Hel", "lo"] {
///         if events.send(EventBuilder::new().data(token)).await.is_err() {
///             return; // the client went away
///         }
///     }
/// });
/// let response = body.into_response(); // the answer to the request
/// # let _ = response;
/// # }
/// ```
///
/// # Panics
///
/// If `capacity` is zero.
pub fn channel(capacity: usize) -> (EventSender, EventStreamBody<EventReceiver>) {
    let (sender, receiver) = mpsc::channel(capacity);
    (
        EventSender(sender),
        EventStreamBody::new(EventReceiver(receiver)),
    )
}

/// The sending half of a [`channel`]. Clone it to send from several tasks.
#[derive(Clone, Debug)]
pub struct EventSender(mpsc::Sender<EventBuilder>);

impl EventSender {
    /// Queues `event` to be sent, waiting while `capacity` events already
    /// wait for the client. Fails once the client has gone.
    pub async fn send(&self, event: EventBuilder) -> Result<(), Disconnected> {
        self.0.send(event).await.map_err(|_| Disconnected)
    }

    /// Waits until the client has gone (the body was dropped), for a producer
    /// to race its work against: `tokio::select!` on this and the work.
    pub async fn closed(&self) {
        self.0.closed().await;
    }

    /// Whether the client has gone.
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }
}

/// The client went away: the response body was dropped, and events sent
/// now would go nowhere. Stop producing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client disconnected; stop producing events for it")
    }
}

impl std::error::Error for Disconnected {}

/// The receiving half of a [`channel`], inside its body: a `Stream` of the
/// events sent.
#[derive(Debug)]
pub struct EventReceiver(mpsc::Receiver<EventBuilder>);

impl Stream for EventReceiver {
    type Item = Result<EventBuilder, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}
