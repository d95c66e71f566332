//! [`EventStreamBody`]: a response body that encodes a stream of events.

use bytes::Bytes;
use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use futures_core::TryStream;
use http_body::{Body, Frame};
use pin_project_lite::pin_project;
use sse_core::EventBuilder;

use super::keep_alive::{KEEP_ALIVE_COMMENT, KeepAlive};

pin_project! {
    /// A `text/event-stream` response body built from a
    /// [`Stream`](futures_core::Stream) of `Result<EventBuilder, E>`.
    ///
    /// Each `Ok` event is encoded and yielded as a frame of its own the
    /// moment the stream produces it. An `Err` becomes the body's error
    /// (hyper then aborts the response, so the client sees a failed body
    /// rather than a clean end; on HTTP/2 the events just before it may be
    /// lost with it, see [the module docs](super)) and ends the body; the
    /// end of the stream ends the body cleanly. A stream of plain events becomes one of results
    /// with `.map(Ok::<_, Infallible>)`.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use futures::stream;
    /// use http_body_util::BodyExt;
    /// use sse_hyper::{EventBuilder, EventStreamBody};
    ///
    /// let events = stream::iter([
    ///     Ok::<_, std::convert::Infallible>(EventBuilder::new().data("Hel")),
    ///     Ok(EventBuilder::new().data("lo")),
    /// ]);
    /// let mut body = EventStreamBody::new(events);
    /// let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    /// assert_eq!(first, "data: Hel\n\n"); // one frame per event
    /// let second = body.frame().await.unwrap().unwrap().into_data().unwrap();
    /// assert_eq!(second, "data: lo\n\n");
    /// assert!(body.frame().await.is_none());
    /// # });
    /// ```
    ///
    /// The stream is polled only when hyper polls the body for its next
    /// frame, so its pace is the client's: nothing is read ahead or queued.
    /// Dropping the body (hyper does when the client disconnects) drops the
    /// stream.
    pub struct EventStreamBody<S: TryStream> {
        #[pin]
        events: S,
        keep_alive: Option<KeepAlive>,
        // An error from the stream, held back for one poll: see `poll_frame`.
        error: Option<S::Error>,
        is_done: bool,
    }
}

impl<S: TryStream> EventStreamBody<S> {
    /// A body that sends the events of `events`, with no keep-alive.
    pub fn new(events: S) -> Self {
        Self {
            events,
            keep_alive: None,
            error: None,
            is_done: false,
        }
    }

    /// Sends the comment `: keep-alive` whenever `interval` passes without
    /// an event, so that proxies and load balancers that close idle
    /// connections (often after 30 to 60 seconds) keep the stream open, and
    /// so that a client can tell a quiet stream from a dead one. Readers skip
    /// comments: an `EventSource` never sees them.
    ///
    /// Fifteen seconds is a common choice. The timer is tokio's, so the body
    /// must be polled inside a tokio runtime with time enabled (hyper's
    /// server on tokio is).
    ///
    /// # Panics
    ///
    /// If `interval` is zero, which would send comments without pause.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_hyper::EventStreamBody;
    /// # let events = futures::stream::empty::<Result<sse_hyper::EventBuilder, std::convert::Infallible>>();
    /// let body = EventStreamBody::new(events).keep_alive(Duration::from_secs(15));
    /// ```
    #[must_use]
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        assert!(
            !interval.is_zero(),
            "the keep-alive interval must be greater than zero"
        );
        self.keep_alive = Some(KeepAlive::new(interval));
        self
    }
}

impl<S> Body for EventStreamBody<S>
where
    S: TryStream<Ok = EventBuilder>,
{
    type Data = Bytes;
    type Error = S::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, S::Error>>> {
        let this = self.project();
        if let Some(error) = this.error.take() {
            *this.is_done = true;
            return Poll::Ready(Some(Err(error)));
        }
        if *this.is_done {
            return Poll::Ready(None);
        }
        match this.events.try_poll_next(cx) {
            Poll::Ready(Some(Ok(event))) => {
                if let Some(keep_alive) = this.keep_alive {
                    keep_alive.reset();
                }
                Poll::Ready(Some(Ok(Frame::data(event.to_bytes()))))
            }
            Poll::Ready(Some(Err(error))) => {
                // Hyper drops the events it holds unwritten when the body
                // fails. Pending first makes it flush them, so that the
                // events produced before the error still reach the client;
                // the next poll returns the error.
                *this.error = Some(error);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Poll::Ready(None) => {
                *this.is_done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let keep_alive = this.keep_alive.as_mut().map(|timer| timer.poll_due(cx));
                match keep_alive {
                    Some(Poll::Ready(())) => Poll::Ready(Some(Ok(Frame::data(KEEP_ALIVE_COMMENT)))),
                    _ => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.is_done
    }
}

impl<S> fmt::Debug for EventStreamBody<S>
where
    S: TryStream + fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamBody")
            .field("events", &self.events)
            .field("keep_alive", &self.keep_alive)
            .field("has_error", &self.error.is_some())
            .field("is_done", &self.is_done)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::channel::mpsc;
    use futures::stream;
    use http_body_util::BodyExt;
    use std::convert::Infallible;

    type Events = mpsc::UnboundedReceiver<Result<EventBuilder, Infallible>>;

    fn data(frame: Option<Result<Frame<Bytes>, Infallible>>) -> Bytes {
        frame
            .expect("a frame")
            .unwrap()
            .into_data()
            .expect("a data frame")
    }

    #[tokio::test]
    async fn each_event_is_a_frame_as_soon_as_it_is_produced() {
        let (tx, rx): (_, Events) = mpsc::unbounded();
        let mut body = EventStreamBody::new(rx);
        tx.unbounded_send(Ok(EventBuilder::new().data("a\nb")))
            .unwrap();
        assert_eq!(data(body.frame().await), "data: a\ndata: b\n\n");
        assert!(futures::poll!(body.frame()).is_pending());
        tx.unbounded_send(Ok(EventBuilder::new().data("c")))
            .unwrap();
        assert_eq!(data(body.frame().await), "data: c\n\n");
    }

    #[tokio::test]
    async fn stream_end_ends_the_body() {
        let (tx, rx): (_, Events) = mpsc::unbounded();
        let mut body = EventStreamBody::new(rx);
        assert!(!body.is_end_stream());
        drop(tx);
        assert!(body.frame().await.is_none());
        assert!(body.is_end_stream());
        assert!(body.frame().await.is_none());
    }

    #[tokio::test]
    async fn stream_error_is_the_body_error_and_ends_it() {
        let events = stream::iter([
            Ok(EventBuilder::new().data("x")),
            Err("upstream failed"),
            Ok(EventBuilder::new().data("never sent")),
        ]);
        let mut body = EventStreamBody::new(events);
        assert!(body.frame().await.unwrap().is_ok());
        // Pending once, so that the server flushes the events before it fails.
        assert!(futures::poll!(body.frame()).is_pending());
        assert!(!body.is_end_stream());
        assert_eq!(body.frame().await.unwrap().unwrap_err(), "upstream failed");
        assert!(body.is_end_stream());
        assert!(body.frame().await.is_none());
    }

    #[tokio::test]
    async fn body_has_no_known_length() {
        let body = EventStreamBody::new(stream::empty::<Result<EventBuilder, Infallible>>());
        assert_eq!(body.size_hint().exact(), None);
    }

    #[tokio::test]
    async fn keep_alive_fills_silence_and_events_restart_it() {
        let interval = Duration::from_millis(100);
        let (tx, rx): (_, Events) = mpsc::unbounded();
        let mut body = EventStreamBody::new(rx).keep_alive(interval);

        let start = tokio::time::Instant::now();
        assert_eq!(data(body.frame().await), KEEP_ALIVE_COMMENT);
        assert!(start.elapsed() >= interval);

        tx.unbounded_send(Ok(EventBuilder::new().data("x")))
            .unwrap();
        assert_eq!(data(body.frame().await), "data: x\n\n");
        let after_event = tokio::time::Instant::now();
        assert_eq!(data(body.frame().await), KEEP_ALIVE_COMMENT);
        assert!(after_event.elapsed() >= interval);
    }

    #[tokio::test]
    async fn no_keep_alive_unless_asked() {
        let (_tx, rx): (_, Events) = mpsc::unbounded();
        let mut body = EventStreamBody::new(rx);
        let waited = tokio::time::timeout(Duration::from_millis(150), body.frame()).await;
        assert!(waited.is_err(), "silence stays silent");
    }

    #[test]
    #[should_panic(expected = "greater than zero")]
    fn zero_keep_alive_interval_is_refused() {
        let _ = EventStreamBody::new(stream::empty::<Result<EventBuilder, Infallible>>())
            .keep_alive(Duration::ZERO);
    }

    #[test]
    fn body_is_built_outside_a_runtime() {
        let body = EventStreamBody::new(stream::empty::<Result<EventBuilder, Infallible>>())
            .keep_alive(Duration::from_secs(1));
        drop(body.into_response());
    }

    #[tokio::test]
    async fn dropping_the_body_drops_the_stream() {
        let (tx, rx): (_, Events) = mpsc::unbounded();
        let body = EventStreamBody::new(rx);
        drop(body);
        assert!(tx.is_closed());
    }
}
