//! [`Error`]: everything that can go wrong with an event source, and what
//! the reader can do about it.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use std::fmt;
use std::time::Duration;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why an event source failed, or (through `on_error`) why it is about to
/// reconnect.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built: a bad URL, header name or value. Fix
    /// the calling code; never retried.
    InvalidRequest(BoxError),
    /// Connecting failed (DNS, refused, reset). Retried when reconnection is on.
    Connect(BoxError),
    /// The TLS handshake failed: an untrusted or invalid certificate, or no
    /// common protocol. Not retried.
    Tls(BoxError),
    /// The proxy would not take the request: it refused the `CONNECT` tunnel
    /// (wrong credentials, a host or port it does not allow), or it is not
    /// an `http://` proxy. Not retried.
    Proxy(BoxError),
    /// No connection within the connect timeout. Retried when reconnection is on.
    ConnectTimeout(Duration),
    /// No response headers within the response timeout. Retried when
    /// reconnection is on.
    ResponseTimeout(Duration),
    /// The server answered with a status other than 2xx. Not retried, unless
    /// the status is one of the request's
    /// [`retry_statuses`](crate::RequestBuilder::retry_statuses).
    Status {
        /// The status.
        status: StatusCode,
        /// The response headers (for `WWW-Authenticate`, `Retry-After`...).
        headers: Box<HeaderMap>,
        /// The start of the body (up to 64 KiB): LLM APIs put their error
        /// JSON there.
        body: Bytes,
    },
    /// The server answered 2xx but not with `text/event-stream`. Not retried.
    ContentType {
        /// The status.
        status: StatusCode,
        /// The `Content-Type` it sent, if any.
        content_type: Option<HeaderValue>,
        /// The start of the body (up to 64 KiB).
        body: Bytes,
    },
    /// The body is compressed with an encoding this client does not decode.
    ContentEncoding(HeaderValue),
    /// The gzip-encoded body is corrupt. Not retried.
    Decompress(std::io::Error),
    /// More redirects than the limit. Not retried.
    TooManyRedirects {
        /// The limit.
        limit: u32,
    },
    /// A redirect without a usable `Location`. Not retried.
    InvalidRedirect {
        /// The `Location` header, or empty if there was none.
        location: String,
    },
    /// Reading the body failed (connection reset, HTTP/2 stream reset).
    /// Retried when reconnection is on.
    Body(hyper::Error),
    /// No bytes arrived for the idle timeout (comments count as bytes).
    /// Retried when reconnection is on.
    IdleTimeout(Duration),
    /// The server ended the response. Reported to `on_error` when
    /// reconnection is on (the default action reconnects). With reconnection
    /// off the stream simply ends, unless the server stopped in the middle
    /// of an event: that event is lost, and the request ends with this
    /// error (`mid_event: true`); or before the last event that
    /// [`close_when`](crate::RequestBuilder::close_when) waits for
    /// (`mid_event: false`).
    ServerClosed {
        /// Whether it stopped in the middle of an event (which was discarded).
        mid_event: bool,
    },
    /// An event crossed the decoder's limits and was skipped. The stream
    /// goes on after it.
    Decode(sse_core::DecodeError),
    /// The server's last event ID cannot be sent back in a `Last-Event-ID`
    /// header: it holds a control character (other than a tab), which the
    /// spec's parser allows and HTTP does not. Not retried: reconnecting
    /// without it would resume from the wrong place.
    InvalidLastEventId(String),
    /// Reconnection gave up after the policy's attempt limit.
    RetriesExhausted {
        /// How many reconnects were tried.
        attempts: u32,
        /// The error of the last one.
        last: Box<Error>,
    },
    /// The request was aborted through its [`AbortHandle`](crate::AbortHandle).
    Aborted,
    /// The task running the callbacks panicked.
    Internal(String),
}

impl Error {
    /// Whether the default policy reconnects after this error (when
    /// reconnection is enabled for the request). A status listed in
    /// [`retry_statuses`](crate::RequestBuilder::retry_statuses) is retried
    /// even though this says `false`.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Connect(_)
                | Self::ConnectTimeout(_)
                | Self::ResponseTimeout(_)
                | Self::Body(_)
                | Self::IdleTimeout(_)
                | Self::ServerClosed { .. }
        )
    }

    /// The response status, for [`Error::Status`] and [`Error::ContentType`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Status { status, .. } | Self::ContentType { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The start of the response body, for [`Error::Status`] and [`Error::ContentType`].
    pub fn response_body(&self) -> Option<&Bytes> {
        match self {
            Self::Status { body, .. } | Self::ContentType { body, .. } => Some(body),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again, from the
    /// `Retry-After` header of an [`Error::Status`] (a 429 or 503, say), in
    /// seconds or as an HTTP date; zero for a date already past. A status is
    /// not retried by default. [`retry_statuses`](crate::RequestBuilder::retry_statuses)
    /// retries the ones listed and honours the header; for other cases, through `on_error`:
    ///
    /// ```no_run
    /// # let client = sse_hyper::Client::new();
    /// use sse_hyper::ErrorAction;
    ///
    /// let events = client
    ///     .get("http://127.0.0.1:8080/feed")
    ///     .on_error(|error| match error.retry_after() {
    ///         Some(wait) => ErrorAction::RetryAfter(wait),
    ///         None => ErrorAction::Default,
    ///     })
    ///     .events();
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        let Self::Status { headers, .. } = self else {
            return None;
        };
        let value = headers
            .get(http::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim();
        // delta-seconds = 1*DIGIT (`u64::from_str` would also take "+5").
        if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
            return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
        }
        let at = httpdate::parse_http_date(value).ok()?;
        Some(
            at.duration_since(std::time::SystemTime::now())
                .unwrap_or_default(),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(e) => write!(f, "invalid request: {e}; fix the URL or headers"),
            Self::Connect(e) => write!(f, "could not connect: {e}"),
            Self::Tls(e) => write!(
                f,
                "TLS handshake failed: {e}; check the server certificate or add its root with \
                 ClientBuilder::add_root_certificate"
            ),
            Self::Proxy(e) => write!(
                f,
                "the proxy would not take the request: {e}; check the proxy URL and its \
                 credentials, and that it allows this host and port"
            ),
            Self::ConnectTimeout(d) => write!(f, "no connection within the {d:?} connect timeout"),
            Self::ResponseTimeout(d) => {
                write!(f, "no response headers within the {d:?} response timeout")
            }
            Self::Status { status, body, .. } => write!(
                f,
                "server answered {status} instead of an event stream (body: {}); check the \
                 URL, credentials and request body",
                String::from_utf8_lossy(&body[..body.len().min(512)])
            ),
            Self::ContentType {
                content_type, body, ..
            } => write!(
                f,
                "server answered with content type {content_type:?}, not text/event-stream \
                 (body: {}); check the URL and the Accept header",
                String::from_utf8_lossy(&body[..body.len().min(512)])
            ),
            Self::ContentEncoding(encoding) => write!(
                f,
                "the body is {encoding:?}-encoded, which this client does not decode; enable \
                 the `gzip` feature or configure the server not to compress event streams"
            ),
            Self::Decompress(e) => write!(f, "the gzip-encoded event stream is corrupt: {e}"),
            Self::TooManyRedirects { limit } => write!(
                f,
                "more than {limit} redirects; raise RequestBuilder::max_redirects or fix the URL"
            ),
            Self::InvalidRedirect { location } => {
                write!(f, "redirect to an unusable location {location:?}")
            }
            Self::Body(e) => write!(f, "reading the event stream failed: {e}"),
            Self::IdleTimeout(d) => write!(
                f,
                "no data for {d:?} (idle timeout); the connection is presumed dead"
            ),
            Self::ServerClosed { mid_event: true } => {
                write!(f, "the server closed the stream in the middle of an event")
            }
            Self::ServerClosed { mid_event: false } => write!(f, "the server closed the stream"),
            Self::Decode(e) => e.fmt(f),
            Self::InvalidLastEventId(id) => write!(
                f,
                "the server's last event ID {id:?} holds a control character and cannot be \
                 sent in a Last-Event-ID header, so the stream cannot resume where it stopped; \
                 fix the IDs the server sends"
            ),
            Self::RetriesExhausted { attempts, last } => {
                write!(
                    f,
                    "gave up after {attempts} reconnect attempts; last error: {last}"
                )
            }
            Self::Aborted => write!(f, "the request was aborted"),
            Self::Internal(message) => write!(f, "the event source task failed: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidRequest(e) | Self::Connect(e) | Self::Tls(e) | Self::Proxy(e) => {
                Some(&**e)
            }
            Self::Body(e) => Some(e),
            Self::Decompress(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::RetriesExhausted { last, .. } => Some(&**last),
            _ => None,
        }
    }
}

/// What to do after an error, as `on_error` decides.
///
/// A closure passed to `on_error` that returns `()` means [`Default`](Self::Default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ErrorAction {
    /// Whatever the request's policy says: reconnect after a retryable error
    /// when reconnection is on, or after a status listed in
    /// [`retry_statuses`](crate::RequestBuilder::retry_statuses); otherwise
    /// stop.
    #[default]
    Default,
    /// Reconnect after the policy's delay, even if reconnection is off (and
    /// after an [`Error::Status`], at least as long as its `Retry-After`
    /// asks, up to ten minutes).
    Retry,
    /// Reconnect after this delay. Like every reconnect it counts toward the
    /// policy's [`max_attempts`](sse_core::ReconnectPolicy::max_attempts).
    RetryAfter(Duration),
    /// Stop and report the error.
    Stop,
}

impl From<()> for ErrorAction {
    fn from((): ()) -> Self {
        Self::Default
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn status_with(retry_after: &str) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::RETRY_AFTER,
            HeaderValue::from_str(retry_after).unwrap(),
        );
        Error::Status {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: Box::new(headers),
            body: Bytes::new(),
        }
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(
            status_with("120").retry_after(),
            Some(Duration::from_secs(120))
        );
        assert_eq!(status_with(" 0 ").retry_after(), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_as_a_date() {
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let wait = status_with(&httpdate::fmt_http_date(in_a_minute))
            .retry_after()
            .unwrap();
        // The date has whole seconds only.
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(
            status_with("Wed, 21 Oct 2015 07:28:00 GMT").retry_after(),
            Some(Duration::ZERO),
            "a date already past"
        );
    }

    #[test]
    fn retry_after_that_is_neither_is_none() {
        for value in ["+5", "-1", "1.5", "soon", ""] {
            assert_eq!(status_with(value).retry_after(), None, "{value:?}");
        }
        assert_eq!(Error::ConnectTimeout(Duration::ZERO).retry_after(), None);
    }
}
