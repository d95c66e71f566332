//! [`EventSource`]: the client's state machine as a `Stream` of events.
//!
//! It connects, reads frames straight into the decoder and hands out events
//! from the same poll (no task or channel in between), and on failure waits
//! and reconnects as `sse_core::Reconnect` decides.

use futures_core::Stream;
use http::{HeaderMap, HeaderValue};
use http_body::Body as _;
use hyper::body::Incoming;
use sse_core::{DecodeError, Decoder, Event, Frame, Reconnect};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::time::{Instant, Sleep};

use super::abort::AbortHandle;
use super::client::Client;
use super::connect::{Connected, Redirected, connect};
use super::error::{Error, ErrorAction};
use super::gzip::Gunzip;
use super::ready_state::ReadyState;
use super::request::{OnComment, RequestParts, Settings};
use super::response_info::ResponseInfo;

mod failure;

type Connecting = Pin<Box<dyn Future<Output = Result<Connected, Error>> + Send>>;

enum State {
    /// Ready to send the request.
    Idle,
    Connecting(Connecting),
    Open {
        body: Incoming,
        idle: Option<Pin<Box<Sleep>>>,
        /// Set when the body is gzip-encoded (feature `gzip`).
        gunzip: Option<Box<Gunzip>>,
        /// When the response arrived, until the connection's first event
        /// (which goes through `poll_state` and starts the backoff over).
        /// A connection open for the policy's `reset_after` was healthy even
        /// without an event.
        eventless_since: Option<Instant>,
        /// An error to act on once the events already received are handed
        /// out (so that a reconnect asks for what follows them), with what
        /// `on_error` answered if it was asked already.
        after_drain: Option<Box<(Error, Option<ErrorAction>)>>,
    },
    /// Waiting to reconnect.
    Waiting(Pin<Box<Sleep>>),
    Done,
}

/// A `Stream` of events from one request, reconnecting as configured.
///
/// Made by [`RequestBuilder::events`](crate::RequestBuilder::events). Yields
/// `Ok(Event)` for each event; an `Err` other than [`Error::Decode`] is
/// final and the stream ends after it (an `Error::Decode` too, when
/// `on_error` answered [`ErrorAction::Stop`](crate::ErrorAction::Stop)). A
/// clean end (the server closed and no reconnect is wanted, a 204, or an
/// abort) ends the stream without an error. Dropping it closes the
/// connection.
pub struct EventSource {
    client: Client,
    request: Result<RequestParts, Option<Error>>, // the error is reported once
    settings: Settings,
    decoder: Decoder,
    reconnect: Reconnect,
    state: State,
    abort: AbortHandle,
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource")
            .field("last_event_id", &self.decoder.last_event_id())
            .field("aborted", &self.abort.is_aborted())
            .finish_non_exhaustive()
    }
}

impl EventSource {
    pub(crate) fn new(
        client: Client,
        request: Result<RequestParts, Error>,
        settings: Settings,
        reconnect: Reconnect,
        abort: AbortHandle,
    ) -> Self {
        let mut decoder = Decoder::with_limits(settings.limits);
        if let Some(id) = &settings.last_event_id {
            decoder.set_last_event_id(id);
        }
        let request = request.map(|mut parts| {
            parts.headers = compact(std::mem::take(&mut parts.headers));
            parts
        });
        Self {
            client,
            request: request.map_err(Some),
            reconnect,
            settings,
            decoder,
            state: State::Idle,
            abort,
        }
    }

    /// A handle that aborts this source from anywhere.
    pub fn abort_handle(&self) -> AbortHandle {
        self.abort.clone()
    }

    /// The last event ID seen, to persist and resume from later.
    pub fn last_event_id(&self) -> &str {
        self.decoder.last_event_id()
    }

    /// Whether the source was aborted.
    pub fn is_aborted(&self) -> bool {
        self.abort.is_aborted()
    }

    /// Whether the source has ended: nothing more will come.
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Whether the source is connecting (or waiting to reconnect), open, or
    /// closed, as the browser's `EventSource.readyState`. It changes as the
    /// stream is polled; an abort closes the source at once.
    ///
    /// ```
    /// use sse_hyper::ReadyState;
    ///
    /// // Nothing is sent until the stream is first polled.
    /// let mut source = sse_hyper::Client::new().get("http://127.0.0.1:1/feed").events();
    /// assert_eq!(source.ready_state(), ReadyState::Connecting);
    /// source.close();
    /// assert_eq!(source.ready_state(), ReadyState::Closed);
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        match self.state {
            _ if self.abort.is_aborted() => ReadyState::Closed,
            State::Idle | State::Connecting(_) | State::Waiting(_) => ReadyState::Connecting,
            State::Open { .. } => ReadyState::Open,
            State::Done => ReadyState::Closed,
        }
    }

    /// Closes the source, as the browser's `EventSource.close()`: drops the
    /// connection (or the attempt to make one) now, and never reconnects.
    /// Events received and not yet taken are dropped with it; the stream
    /// then ends (`None`) without an error.
    pub fn close(&mut self) {
        self.state = State::Done;
    }

    fn start_connect(&mut self) -> Result<(), Error> {
        let parts = match &mut self.request {
            Ok(parts) => parts,
            Err(error) => return Err(error.take().unwrap_or(Error::Aborted)),
        };
        let mut parts = parts.clone();
        if let Some(edit_headers) = &mut self.settings.edit_headers {
            edit_headers(&mut parts.headers);
            // The stream's own, or none when it has none (the spec's rule).
            parts.headers.remove("last-event-id");
        }
        let id = self.decoder.last_event_id();
        if !id.is_empty() {
            // IDs are UTF-8 text without NUL, CR or LF; other control
            // characters cannot go in a header.
            let value = HeaderValue::from_bytes(id.as_bytes())
                .map_err(|_| Error::InvalidLastEventId(id.to_owned()))?;
            parts.headers.insert("last-event-id", value);
        }
        self.state = State::Connecting(Box::pin(connect(
            self.client.clone(),
            parts,
            self.settings.max_redirects,
            self.settings.response_timeout,
        )));
        Ok(())
    }

    fn opened(&mut self, response: hyper::Response<Incoming>) {
        let (head, body) = response.into_parts();
        let gunzip = Gunzip::for_response(&head.headers).map(Box::new);
        if let Some(on_open) = &mut self.settings.on_open {
            let url = self
                .request
                .as_ref()
                .map(|p| p.uri.clone())
                .unwrap_or_default();
            on_open(&ResponseInfo {
                status: head.status,
                version: head.version,
                headers: head.headers,
                url,
                redirected_to: head.extensions.get::<Redirected>().map(|to| to.0.clone()),
            });
        }
        let idle = self
            .settings
            .idle_timeout
            .map(|limit| Box::pin(tokio::time::sleep(limit)));
        self.state = State::Open {
            gunzip,
            body,
            idle,
            eventless_since: Some(Instant::now()),
            after_drain: None,
        };
    }
}

impl Stream for EventSource {
    type Item = Result<Event, Error>;

    // Only the decoder's fast path is inlined into the caller's loop, so
    // that most events of a token stream are built where the caller keeps
    // them (`Decoder::next_event_fast`): 5-10% over loopback.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        // With `close_when`, every event is looked at before it is handed
        // out, in `poll_state`: a reference to it here would keep the event
        // in memory, and moving it on from there stalled on store forwarding.
        if matches!(
            this.state,
            State::Open {
                eventless_since: None,
                ..
            }
        ) && this.settings.is_last.is_none()
            && !this.abort.is_aborted()
            && let Some(event) = this.decoder.next_event_fast()
        {
            return Poll::Ready(Some(Ok(event)));
        }
        this.poll_state(cx)
    }
}

impl EventSource {
    /// Closes the stream after `event` if `close_when` says it is the last.
    fn end_if_last(&mut self, event: &Event) {
        if let Some(is_last) = &mut self.settings.is_last
            && is_last(event)
        {
            // Drops the connection; the events after it are not read.
            self.state = State::Done;
        }
    }

    /// Everything but the fast path: the decoder's other events and its
    /// errors, reading, connecting, waiting to reconnect.
    #[inline(never)]
    fn poll_state(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event, Error>>> {
        let this = self;
        loop {
            if this.abort.is_aborted() {
                this.state = State::Done;
                return Poll::Ready(None);
            }
            let outcome = match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Idle => match this.start_connect() {
                    Ok(()) => continue,
                    // A request that cannot be sent is never retried.
                    Err(error) => Some(this.fatal(error)),
                },
                State::Waiting(sleep) => match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.state = State::Idle;
                        continue;
                    }
                    Poll::Pending => return pending(&this.abort, cx),
                },
                State::Connecting(connecting) => match connecting.as_mut().poll(cx) {
                    Poll::Ready(Ok(Connected::Open(response))) => {
                        this.opened(response);
                        continue;
                    }
                    // With `close_when`, only the last event ends the stream
                    // cleanly: a 204 before it is a stream cut short.
                    Poll::Ready(Ok(Connected::NoContent)) if this.settings.is_last.is_some() => {
                        Some(this.fatal(Error::ServerClosed { mid_event: false }))
                    }
                    Poll::Ready(Ok(Connected::NoContent)) => {
                        this.state = State::Done;
                        return Poll::Ready(None);
                    }
                    Poll::Ready(Err(error)) => this.failed(error),
                    Poll::Pending => return pending(&this.abort, cx),
                },
                State::Open {
                    body,
                    idle,
                    gunzip,
                    eventless_since,
                    after_drain,
                } => {
                    let next = match &mut this.settings.on_comment {
                        None => this.decoder.next_event(),
                        Some(on_comment) => next_reporting_comments(&mut this.decoder, on_comment),
                    };
                    match next {
                        Ok(Some(event)) => {
                            if eventless_since.take().is_some() {
                                // A healthy connection: should it fail, the
                                // next one is tried without backing off. Not
                                // at its first bytes: a server that greets
                                // and hangs up is failing, and is backed
                                // off from until `max_attempts` trips.
                                this.reconnect.opened();
                            }
                            if this.settings.is_last.is_some() {
                                this.end_if_last(&event);
                            }
                            return Poll::Ready(Some(Ok(event)));
                        }
                        Err(error) => {
                            // The decoder skipped the event; by default the
                            // stream goes on after it.
                            let decode = error.clone();
                            let error = Error::Decode(error);
                            // `ask`, spelled out: it would borrow all of
                            // `this` while the state is borrowed.
                            let action = match &mut this.settings.on_error {
                                Some(on_error) => on_error(&error),
                                None => ErrorAction::Default,
                            };
                            match action {
                                ErrorAction::Default => {}
                                ErrorAction::Stop => this.state = State::Done,
                                // A failure already waits on the drain.
                                _ if after_drain.is_some() => {}
                                // Reconnect, after the events already received.
                                _ => {
                                    let error = Error::Decode(decode);
                                    *after_drain = Some(Box::new((error, Some(action))));
                                }
                            }
                            return Poll::Ready(Some(Err(error)));
                        }
                        Ok(None) => {}
                    }
                    if let Some(pending) = after_drain.take() {
                        let outcome = match *pending {
                            (error, Some(action)) => this.act(error, action),
                            (error, None) => this.failed(error),
                        };
                        match outcome {
                            Some(error) => return Poll::Ready(Some(Err(error))),
                            None => continue,
                        }
                    }
                    match Pin::new(body).poll_frame(cx) {
                        Poll::Ready(Some(Ok(frame))) => {
                            let Ok(data) = frame.into_data() else {
                                continue; // trailers
                            };
                            if let (Some(idle), Some(limit)) =
                                (idle.as_mut(), this.settings.idle_timeout)
                            {
                                // A limit too far to be an `Instant` is no limit.
                                if let Some(deadline) = Instant::now().checked_add(limit) {
                                    idle.as_mut().reset(deadline);
                                }
                            }
                            let Some(gunzip) = gunzip.as_mut() else {
                                this.decoder.push(data);
                                continue;
                            };
                            let (text, error) = gunzip.decode(&data);
                            this.decoder.push(text);
                            if let Some(error) = error {
                                // After the events decoded before the corruption.
                                *after_drain = Some(Box::new((Error::Decompress(error), None)));
                            }
                            continue;
                        }
                        Poll::Ready(Some(Err(error))) => this.failed(Error::Body(error)),
                        Poll::Ready(None) => this.closed(),
                        Poll::Pending => {
                            let timed_out = idle
                                .as_mut()
                                .is_some_and(|idle| idle.as_mut().poll(cx).is_ready());
                            if timed_out {
                                let limit = this.settings.idle_timeout.unwrap_or_default();
                                if let Some(error) = this.failed(Error::IdleTimeout(limit)) {
                                    return Poll::Ready(Some(Err(error)));
                                }
                                continue;
                            }
                            return pending(&this.abort, cx);
                        }
                    }
                }
            };
            if let Some(error) = outcome {
                return Poll::Ready(Some(Err(error)));
            }
            if matches!(this.state, State::Done) {
                return Poll::Ready(None);
            }
        }
    }
}

/// The decoder's next event, passing the comments before it to `on_comment`.
fn next_reporting_comments(
    decoder: &mut Decoder,
    on_comment: &mut OnComment,
) -> Result<Option<Event>, DecodeError> {
    loop {
        match decoder.next_frame()? {
            Some(Frame::Event(event)) => return Ok(Some(event)),
            Some(Frame::Comment(comment)) => on_comment(comment.text()),
            // Read from the decoder when a reconnect needs it.
            Some(_) => {}
            None => return Ok(None),
        }
    }
}

/// The same headers, in the same order, in a map sized for them.
///
/// The request's headers stay in memory for as long as the stream is open,
/// to be sent again on each reconnect. A map grown by insertion keeps room
/// for 6 entries (about 600 bytes with the two default headers); sized for
/// what it holds it takes about 200. Measured with 1,000 idle connections
/// (`benches/e2e`): 0.4 KiB less heap per connection.
fn compact(headers: HeaderMap) -> HeaderMap {
    let mut sized = HeaderMap::with_capacity(headers.len());
    sized.extend(headers);
    sized
}

/// Returns `Pending` after arranging to be woken on abort, unless the abort
/// already happened, in which case polls again at once.
fn pending<T>(abort: &AbortHandle, cx: &Context<'_>) -> Poll<T> {
    if abort.register(cx) {
        cx.waker().wake_by_ref();
    }
    Poll::Pending
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting_headers_keeps_every_value_in_order() {
        let mut headers = HeaderMap::new();
        headers.append("accept", HeaderValue::from_static("text/event-stream"));
        headers.append("x-tag", HeaderValue::from_static("a"));
        headers.append("cache-control", HeaderValue::from_static("no-cache"));
        headers.append("x-tag", HeaderValue::from_static("b"));
        let compacted = compact(headers.clone());
        assert_eq!(compacted, headers);
        let tags: Vec<_> = compacted.get_all("x-tag").iter().collect();
        assert_eq!(tags, ["a", "b"]);
    }

    #[test]
    fn the_default_headers_compact_to_less_room() {
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("text/event-stream"));
        headers.insert("cache-control", HeaderValue::from_static("no-cache"));
        assert!(compact(headers.clone()).capacity() < headers.capacity());
    }
}
