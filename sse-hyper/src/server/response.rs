//! The response around an [`EventStreamBody`]: status and the headers that
//! make browsers accept it and proxies pass it through unbuffered.

use futures_core::TryStream;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Response, StatusCode};

use super::body::EventStreamBody;

/// nginx's per-response switch for `proxy_buffering`.
const X_ACCEL_BUFFERING: HeaderName = HeaderName::from_static("x-accel-buffering");

impl<S: TryStream> EventStreamBody<S> {
    /// This body in a `200 OK` response with the headers an event stream
    /// needs:
    ///
    /// | header | value | why |
    /// |---|---|---|
    /// | `content-type` | `text/event-stream` | `EventSource` refuses any other type and fails the connection |
    /// | `cache-control` | `no-cache, no-transform` | `no-cache`: no cache may answer a later request with a stored copy of a live stream; `no-transform`: intermediaries must not recode the body, as compressing proxies do, holding events back to fill their buffers |
    /// | `x-accel-buffering` | `no` | nginx buffers proxied responses by default, which would hold events back until its buffer fills; this turns that off for this response only |
    ///
    /// There is deliberately no `content-length`: the body's length is
    /// unknown, so hyper sends HTTP/1.1 responses with
    /// `transfer-encoding: chunked` (each event goes out as it is produced)
    /// and HTTP/2 responses as DATA frames until the stream ends. Nor is
    /// there `connection: keep-alive`, which HTTP/2 forbids and HTTP/1.1
    /// implies.
    ///
    /// Add or change headers on the result as usual, with
    /// [`headers_mut`](Response::headers_mut).
    ///
    /// ```
    /// use sse_hyper::server::EventStreamBody;
    /// # let events = futures::stream::empty::<Result<sse_hyper::EventBuilder, std::convert::Infallible>>();
    /// let response = EventStreamBody::new(events).into_response();
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.headers()["content-type"], "text/event-stream");
    /// assert_eq!(response.headers()["cache-control"], "no-cache, no-transform");
    /// assert_eq!(response.headers()["x-accel-buffering"], "no");
    /// assert!(response.headers().get("content-length").is_none());
    /// ```
    pub fn into_response(self) -> Response<Self> {
        let mut response = Response::new(self);
        *response.status_mut() = StatusCode::OK;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache, no-transform"),
        );
        headers.insert(X_ACCEL_BUFFERING, HeaderValue::from_static("no"));
        response
    }
}
