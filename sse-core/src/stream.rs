//! [`EventStream`]: a [`Stream`] of events over a [`Stream`] of byte chunks.

use bytes::Bytes;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use futures_core::Stream;
use pin_project_lite::pin_project;

use crate::decoder::Decoder;
use crate::error::{DecodeError, StreamError};
use crate::event::{Event, Frame};

pin_project! {
    /// Decodes a stream of byte chunks (an HTTP response body, say) into a
    /// stream of [`Event`]s.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use bytes::Bytes;
    /// use futures::{StreamExt, stream};
    /// use sse_core::EventStream;
    ///
    /// let chunks = [Ok::<_, std::io::Error>(Bytes::from_static(b"data: to")),
    ///               Ok(Bytes::from_static(b"ken\n\n"))];
    /// let mut events = EventStream::new(stream::iter(chunks));
    /// let event = events.next().await.unwrap()?;
    /// assert_eq!(event.data(), "token");
    /// assert!(events.next().await.is_none());
    /// # Ok::<(), sse_core::StreamError<std::io::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// Errors from the byte stream are passed on as
    /// [`StreamError::Transport`] after every event decoded before them; a
    /// [`StreamError::Decode`] reports a skipped event and the stream goes
    /// on. When the byte stream ends, an unterminated event is discarded and
    /// the event stream ends; after a transport error too, an unterminated
    /// event is discarded (the spec's end of the stream), so that the decoder
    /// can go on with the next connection's body (see
    /// [`into_parts`](Self::into_parts)).
    #[derive(Debug)]
    pub struct EventStream<S> {
        #[pin]
        body: S,
        decoder: Decoder,
        body_ended: bool,
    }
}

impl<S> EventStream<S> {
    /// Decodes `body` with a default [`Decoder`].
    pub fn new(body: S) -> Self {
        Self::with_decoder(body, Decoder::new())
    }

    /// Decodes `body` with the given decoder: one with other limits, or one
    /// carrying the last event ID of an earlier connection.
    pub fn with_decoder(body: S, decoder: Decoder) -> Self {
        Self {
            body,
            decoder,
            body_ended: false,
        }
    }

    /// The decoder, for its [`retry`](Decoder::retry) and
    /// [`last_event_id`](Decoder::last_event_id).
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Gives back the byte stream and the decoder. After the body ended or
    /// failed, the decoder is ready for another connection's body (with
    /// [`with_decoder`](Self::with_decoder)), keeping the last event ID and
    /// `retry`; taken mid-stream, call [`Decoder::finish`] first.
    pub fn into_parts(self) -> (S, Decoder) {
        (self.body, self.decoder)
    }

    /// This stream, yielding comments and `retry` updates as well as events.
    pub fn frames(self) -> FrameStream<S> {
        FrameStream { inner: self }
    }
}

impl<S, B, E> EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
{
    /// Polls for the next item that `take` produces from the decoder,
    /// pulling chunks from the body as needed.
    fn poll_with<T>(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        take: fn(&mut Decoder) -> Result<Option<T>, DecodeError>,
    ) -> Poll<Option<Result<T, StreamError<E>>>> {
        let mut this = self.project();
        loop {
            match take(this.decoder) {
                Ok(Some(item)) => return Poll::Ready(Some(Ok(item))),
                Err(error) => return Poll::Ready(Some(Err(StreamError::Decode(error)))),
                Ok(None) if *this.body_ended => return Poll::Ready(None),
                Ok(None) => {}
            }
            match ready!(this.body.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => this.decoder.push(chunk.into()),
                Some(Err(error)) => {
                    // The connection is gone: as at the end of a body, its
                    // unterminated event is discarded, so that a decoder
                    // carried over to the next connection starts clean.
                    this.decoder.finish();
                    return Poll::Ready(Some(Err(StreamError::Transport(error))));
                }
                None => {
                    this.decoder.finish();
                    *this.body_ended = true;
                }
            }
        }
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
{
    type Item = Result<Event, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_with(cx, Decoder::next_event)
    }
}

pin_project! {
    /// An [`EventStream`] that also yields comments and `retry` updates
    /// ([`Frame`]s), made with [`EventStream::frames`].
    #[derive(Debug)]
    pub struct FrameStream<S> {
        #[pin]
        inner: EventStream<S>,
    }
}

impl<S> FrameStream<S> {
    /// The decoder, for its [`retry`](Decoder::retry) and
    /// [`last_event_id`](Decoder::last_event_id).
    pub fn decoder(&self) -> &Decoder {
        self.inner.decoder()
    }
}

impl<S, B, E> Stream for FrameStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
{
    type Item = Result<Frame, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project().inner.poll_with(cx, Decoder::next_frame)
    }
}
