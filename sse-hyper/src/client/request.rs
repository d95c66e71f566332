//! [`RequestBuilder`]: one event stream request, its policy and its callbacks.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, StatusCode, Uri};
use sse_core::{Event, Limits, Reconnect, ReconnectPolicy};
use std::time::Duration;

use super::abort::AbortHandle;
use super::client::Client;
use super::connect::check_scheme;
use super::error::{Error, ErrorAction};
use super::fetch::{self, FetchHandle, Flow, Outcome};
use super::response_info::ResponseInfo;
use super::source::EventSource;

pub(crate) type OnOpen = Box<dyn FnMut(&ResponseInfo) + Send>;
pub(crate) type OnError = Box<dyn FnMut(&Error) -> ErrorAction + Send>;
pub(crate) type OnComment = Box<dyn FnMut(&str) + Send>;
pub(crate) type EditHeaders = Box<dyn FnMut(&mut HeaderMap) + Send>;
pub(crate) type IsLast = Box<dyn FnMut(&Event) -> bool + Send>;
pub(crate) type OnFinish = Box<dyn FnOnce(&Outcome) + Send>;
pub(crate) type OnMessage = Box<dyn FnMut(Event) -> Flow + Send>;

/// The statuses that say "try again later": 429 Too Many Requests,
/// 502 Bad Gateway, 503 Service Unavailable and 504 Gateway Timeout. For
/// [`RequestBuilder::retry_statuses`].
pub const TRANSIENT_STATUSES: [StatusCode; 4] = [
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::BAD_GATEWAY,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::GATEWAY_TIMEOUT,
];

/// The callbacks of the fetch-style API.
#[derive(Default)]
pub(crate) struct Handlers {
    pub(crate) on_message: Option<OnMessage>,
    pub(crate) on_close: Option<Box<dyn FnOnce() + Send>>,
    pub(crate) on_abort: Option<Box<dyn FnOnce() + Send>>,
    pub(crate) on_finish: Option<OnFinish>,
}

/// Everything needed to (re)send the request.
#[derive(Clone, Debug)]
pub(crate) struct RequestParts {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Settings of one event source, read by the state machine.
pub(crate) struct Settings {
    pub(crate) reconnect: bool,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) response_timeout: Option<Duration>,
    pub(crate) max_redirects: u32,
    pub(crate) limits: Limits,
    pub(crate) last_event_id: Option<String>,
    pub(crate) on_open: Option<OnOpen>,
    pub(crate) on_error: Option<OnError>,
    pub(crate) on_comment: Option<OnComment>,
    pub(crate) edit_headers: Option<EditHeaders>,
    pub(crate) is_last: Option<IsLast>,
    /// Statuses retried like network errors (boxed: most requests have none,
    /// and every idle connection keeps its settings).
    pub(crate) retry_statuses: Box<[StatusCode]>,
}

/// A request for an event stream, built fluently, then started with
/// [`spawn`](Self::spawn) (callbacks) or [`events`](Self::events) (a `Stream`).
///
/// Sends `Accept: text/event-stream` and `Cache-Control: no-cache` unless set
/// here, and `Last-Event-ID` on each reconnect once the server sent an `id`.
/// Errors in URLs or headers are kept and reported when the request starts.
#[must_use = "a request does nothing until spawn() or events()"]
pub struct RequestBuilder {
    client: Client,
    method: Method,
    url: String,
    headers: HeaderMap,
    body: Bytes,
    error: Option<Error>,
    reconnect: Option<bool>,
    settings: Settings,
    handlers: Handlers,
    abort: AbortHandle,
    /// Not in `Settings`: the source keeps it in its `Reconnect` only.
    policy: ReconnectPolicy,
}

impl std::fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl RequestBuilder {
    pub(crate) fn new(client: Client, method: Method, url: &str) -> Self {
        Self {
            client,
            method,
            url: url.to_owned(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            error: None,
            reconnect: None,
            settings: Settings {
                reconnect: false,
                idle_timeout: None,
                response_timeout: None,
                max_redirects: 10,
                limits: Limits::default(),
                last_event_id: None,
                on_open: None,
                on_error: None,
                on_comment: None,
                edit_headers: None,
                is_last: None,
                retry_statuses: Box::new([]),
            },
            handlers: Handlers::default(),
            abort: AbortHandle::new(),
            policy: ReconnectPolicy::default(),
        }
    }

    /// Adds a header (several values of one name are all sent), except
    /// `Content-Type`, which has one value: a later one replaces an earlier
    /// one, including the one `json` sets.
    ///
    /// `Last-Event-ID` is taken as [`last_event_id`](Self::last_event_id):
    /// the ID to resume from, which the server's `id` fields then replace on
    /// reconnects (an empty `id` clears it), rather than a fixed header that
    /// would be sent stale.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(_)) if name == "last-event-id" => {
                self.settings.last_event_id = Some(value.to_owned());
            }
            (Ok(name), Ok(value)) if name == http::header::CONTENT_TYPE => {
                self.headers.insert(name, value);
            }
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Err(e), _) => self.fail(e),
            (_, Err(e)) => self.fail(e),
        }
        self
    }

    /// The request body, sent again as is on each reconnect.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// A JSON body, with `Content-Type: application/json` unless a content
    /// type is set with [`header`](Self::header), before or after: the
    /// explicit one wins.
    #[cfg(feature = "json")]
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => {
                self.body = body.into();
                if !self.headers.contains_key(http::header::CONTENT_TYPE) {
                    self.headers.insert(
                        http::header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                }
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Whether to reconnect after a network error or a server close. On by
    /// default for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS),
    /// off for POST and PATCH.
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = Some(reconnect);
        self
    }

    /// How long to wait between reconnects (the server's `retry` field
    /// replaces the initial delay). The backoff starts over once a
    /// connection delivers an event, or stays open for the policy's
    /// `reset_after` (60 s by default); a connection that ends sooner with
    /// only comments or nothing counts as a failed attempt.
    pub fn reconnect_policy(mut self, policy: ReconnectPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Fails the connection (a retryable error) when no byte arrives for
    /// this long. Keep-alive comments count. Off by default.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.idle_timeout = Some(timeout);
        self
    }

    /// Fails the attempt (a retryable error) when the response headers take
    /// longer than this, counting any redirects on the way. Off by default:
    /// an LLM may queue a request for minutes.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.settings.response_timeout = Some(timeout);
        self
    }

    /// Retries a response with one of these statuses, which is otherwise
    /// final ([`Error::Status`]), like a network error: after the policy's
    /// backoff, and at least as long as its `Retry-After` header asks (up to
    /// ten minutes). Each retry counts toward the policy's
    /// [`max_attempts`](sse_core::ReconnectPolicy::max_attempts), which is
    /// unlimited by default: set it to give up on a server that stays busy.
    ///
    /// This applies whether or not [`reconnect`](Self::reconnect) is on:
    /// these statuses say the request was not processed, so sending it
    /// again, a POST included, is safe. `on_error` still sees each one first
    /// and can answer otherwise.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use sse_hyper::TRANSIENT_STATUSES;
    /// use sse_hyper::sse_core::ReconnectPolicy;
    ///
    /// // An LLM API under load answers 429 or 503 with a Retry-After.
    /// let handle = sse_hyper::Client::new()
    ///     .post("http://127.0.0.1:8080/v1/chat/completions")
    ///     .body(r#"{"stream": true}"#)
    ///     .retry_statuses(TRANSIENT_STATUSES)
    ///     .reconnect_policy(ReconnectPolicy::default().max_attempts(Some(5)))
    ///     .spawn();
    /// # }
    /// ```
    pub fn retry_statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.settings.retry_statuses = statuses.into_iter().collect();
        self
    }

    /// How many redirects to follow (10 by default, 0 for none).
    pub fn max_redirects(mut self, limit: u32) -> Self {
        self.settings.max_redirects = limit;
        self
    }

    /// The decoder's limits (16 MiB per event by default).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.settings.limits = limits;
        self
    }

    /// Resumes from an event ID saved earlier: sent as `Last-Event-ID` from
    /// the first request on.
    pub fn last_event_id(mut self, id: &str) -> Self {
        self.settings.last_event_id = Some(id.to_owned());
        self
    }

    /// Called before every attempt, the first and each reconnect, with the
    /// headers about to be sent, to change them: a bearer token refreshed
    /// since the last attempt, say, read from where a task that renews it
    /// keeps it. The redirects of one attempt send what it set; credentials
    /// are still dropped across origins. `Last-Event-ID` is the stream's
    /// own: one set here is replaced, or removed while the stream has no ID.
    ///
    /// ```no_run
    /// use http::HeaderValue;
    /// use std::sync::{Arc, RwLock};
    ///
    /// // Renewed elsewhere, for example by a task that refreshes it hourly.
    /// let token = Arc::new(RwLock::new(String::from("first-token")));
    /// let events = sse_hyper::Client::new()
    ///     .get("http://127.0.0.1:8080/feed")
    ///     .headers_with(move |headers| {
    ///         let bearer = format!("Bearer {}", token.read().unwrap());
    ///         if let Ok(value) = HeaderValue::from_str(&bearer) {
    ///             headers.insert(http::header::AUTHORIZATION, value);
    ///         }
    ///     })
    ///     .events();
    /// ```
    pub fn headers_with(
        mut self,
        edit_headers: impl FnMut(&mut HeaderMap) + Send + 'static,
    ) -> Self {
        self.settings.edit_headers = Some(Box::new(edit_headers));
        self
    }

    /// Ends the stream after the first event for which `is_last` returns
    /// `true`, such as the `data: [DONE]` that ends an LLM's answer. That
    /// event is still handed out; then the connection closes and nothing
    /// reconnects, even for a GET: the stream ends cleanly (`None`, or
    /// `on_close` with [`spawn`](Self::spawn)).
    ///
    /// A server that closes before sending such an event has cut the stream
    /// short: that is [`Error::ServerClosed`], reconnecting if reconnection
    /// is on and ending the request otherwise, so that a truncated answer
    /// does not pass for a complete one. A 204 No Content before it ends the
    /// request with the same error.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use futures::StreamExt;
    ///
    /// let mut events = sse_hyper::Client::new()
    ///     .get("http://127.0.0.1:8080/answer")
    ///     .close_when(|event| event.data() == "[DONE]")
    ///     .events();
    /// while let Some(event) = events.next().await {
    ///     let event = event.expect("an event");
    ///     if event.data() != "[DONE]" {
    ///         print!("{}", event.data());
    ///     }
    /// }
    /// # }
    /// ```
    pub fn close_when(mut self, is_last: impl FnMut(&Event) -> bool + Send + 'static) -> Self {
        self.settings.is_last = Some(Box::new(is_last));
        self
    }

    /// Called on each successful (re)connection, with the response status
    /// and headers. Used by both [`spawn`](Self::spawn) and [`events`](Self::events).
    pub fn on_open(mut self, on_open: impl FnMut(&ResponseInfo) + Send + 'static) -> Self {
        self.settings.on_open = Some(Box::new(on_open));
        self
    }

    /// Called for each comment line (`: text`), with its text after the
    /// colon and one optional space, in order with the events around it.
    /// Servers send comments as keep-alives: this tells a reader that the
    /// connection is alive even when no event comes. Used by both
    /// [`spawn`](Self::spawn) and [`events`](Self::events).
    pub fn on_comment(mut self, on_comment: impl FnMut(&str) + Send + 'static) -> Self {
        self.settings.on_comment = Some(Box::new(on_comment));
        self
    }

    /// Called for each event (with [`spawn`](Self::spawn)); returns whether
    /// to go on ([`Flow`]; a closure returning `()` goes on).
    ///
    /// ```no_run
    /// # async fn demo() {
    /// use sse_hyper::{Client, Flow, Outcome};
    ///
    /// let handle = Client::new()
    ///     .post("http://127.0.0.1:8080/chat")
    ///     .on_message(|event| {
    ///         if event.data() == "[DONE]" {
    ///             return Flow::Close;
    ///         }
    ///         print!("{}", event.data());
    ///         Flow::Continue
    ///     })
    ///     .spawn();
    /// assert!(matches!(handle.await, Outcome::Closed));
    /// # }
    /// ```
    pub fn on_message<F: Into<Flow>>(
        mut self,
        mut on_message: impl FnMut(Event) -> F + Send + 'static,
    ) -> Self {
        self.handlers.on_message = Some(Box::new(move |event| on_message(event).into()));
        self
    }

    /// Called for each error, before the client acts on it; returns what to
    /// do ([`ErrorAction`]; a closure returning `()` keeps the default).
    /// Used by both [`spawn`](Self::spawn) and [`events`](Self::events).
    ///
    /// Every error that ends the request comes here first. For
    /// [`Error::InvalidRequest`], [`Error::InvalidLastEventId`] and
    /// [`Error::RetriesExhausted`] the answer is ignored: nothing can be
    /// retried. For [`Error::Decode`] (an event over the limits, skipped)
    /// the default goes on with the stream, `Stop` ends it, and a retry
    /// reconnects once the events already received are handed out.
    pub fn on_error<A: Into<ErrorAction>>(
        mut self,
        mut on_error: impl FnMut(&Error) -> A + Send + 'static,
    ) -> Self {
        self.settings.on_error = Some(Box::new(move |error| on_error(error).into()));
        self
    }

    /// Called once when the stream has ended and will not reconnect (with
    /// [`spawn`](Self::spawn)). Not called after an abort or a failure: use
    /// [`on_finish`](Self::on_finish) for what must run however it ends.
    pub fn on_close(mut self, on_close: impl FnOnce() + Send + 'static) -> Self {
        self.handlers.on_close = Some(Box::new(on_close));
        self
    }

    /// Called exactly once when an abort takes effect (with [`spawn`](Self::spawn)).
    pub fn on_abort(mut self, on_abort: impl FnOnce() + Send + 'static) -> Self {
        self.handlers.on_abort = Some(Box::new(on_abort));
        self
    }

    /// Called exactly once when the request ends, however it ends, with the
    /// [`Outcome`] its handle resolves to (with [`spawn`](Self::spawn)): after
    /// `on_close` for a clean end, after `on_abort` for an abort, and after
    /// `on_error` saw the error for a failure. The place to stop a spinner
    /// or release what the request held.
    ///
    /// ```no_run
    /// # async fn demo() {
    /// let handle = sse_hyper::Client::new()
    ///     .post("http://127.0.0.1:8080/chat")
    ///     .on_message(|event| print!("{}", event.data()))
    ///     .on_finish(|outcome| match outcome {
    ///         sse_hyper::Outcome::Failed(error) => eprintln!("failed: {error}"),
    ///         _ => println!("done"),
    ///     })
    ///     .spawn();
    /// handle.await;
    /// # }
    /// ```
    pub fn on_finish(mut self, on_finish: impl FnOnce(&Outcome) + Send + 'static) -> Self {
        self.handlers.on_finish = Some(Box::new(on_finish));
        self
    }

    /// Aborts this request with `handle`, made beforehand with
    /// [`AbortHandle::new`]: a callback can then stop its own request
    /// (`on_message` seeing enough), and one handle can stop several
    /// requests at once. Aborted before the request starts, it sends nothing.
    ///
    /// ```no_run
    /// # async fn demo() {
    /// use sse_hyper::{AbortHandle, Client};
    ///
    /// let stop = AbortHandle::new();
    /// let stop_inside = stop.clone();
    /// let handle = Client::new()
    ///     .get("http://127.0.0.1:8080/feed")
    ///     .abort_handle(&stop)
    ///     .on_message(move |event| {
    ///         if event.event_type() == "shutdown" {
    ///             stop_inside.abort();
    ///         }
    ///     })
    ///     .spawn();
    /// handle.await;
    /// # }
    /// ```
    pub fn abort_handle(mut self, handle: &AbortHandle) -> Self {
        self.abort = handle.clone();
        self
    }

    /// Starts the request on the current tokio runtime and runs the
    /// callbacks on that task.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn spawn(self) -> FetchHandle {
        let (source, handlers) = self.into_source();
        fetch::spawn(source, handlers)
    }

    /// The events as a `Stream` of `Result<Event, Error>`. Reconnects happen
    /// inside it; an `Err` other than [`Error::Decode`] ends it. Dropping it
    /// closes the connection.
    pub fn events(self) -> EventSource {
        self.into_source().0
    }

    fn fail(&mut self, error: impl Into<Box<dyn std::error::Error + Send + Sync>>) {
        if self.error.is_none() {
            self.error = Some(Error::InvalidRequest(error.into()));
        }
    }

    fn into_source(mut self) -> (EventSource, Handlers) {
        self.settings.reconnect = self.reconnect.unwrap_or(self.method.is_idempotent());
        let defaults = [
            (http::header::ACCEPT, "text/event-stream"),
            (http::header::CACHE_CONTROL, "no-cache"),
            #[cfg(feature = "gzip")]
            (http::header::ACCEPT_ENCODING, "gzip"),
        ];
        for (name, value) in defaults {
            if !self.headers.contains_key(&name) {
                self.headers.insert(name, HeaderValue::from_static(value));
            }
        }
        let parts = match self.url.parse::<Uri>() {
            Ok(uri) if uri.scheme().is_some() && uri.authority().is_some() => check_scheme(&uri)
                .map(|()| RequestParts {
                    method: self.method,
                    uri,
                    headers: self.headers,
                    body: self.body,
                }),
            Ok(_) => Err(Error::InvalidRequest(
                format!("{:?} is not an absolute http(s) URL", self.url).into(),
            )),
            Err(e) => Err(Error::InvalidRequest(e.into())),
        };
        let parts = match self.error {
            Some(error) => Err(error),
            None => parts,
        };
        (
            EventSource::new(
                self.client,
                parts,
                self.settings,
                Reconnect::new(self.policy),
                self.abort,
            ),
            self.handlers,
        )
    }
}
