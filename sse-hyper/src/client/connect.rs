//! One connection attempt: send the request, follow redirects, check that
//! the response opens an event stream.

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode, Uri};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use sse_core::{ResponseCheck, check_response};
use std::time::Duration;
use tokio::time::Instant;

use super::body::RequestBody;
use super::client::Client;
use super::error::Error;
use super::request::RequestParts;

/// How much of an error response's body is kept in the error.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// How long to wait for that body before giving up on the rest of it.
const ERROR_BODY_TIMEOUT: Duration = Duration::from_secs(5);

/// A successful attempt.
pub(crate) enum Connected {
    /// A response to read events from.
    Open(Response<Incoming>),
    /// 204: the server asks the client to stop.
    NoContent,
}

/// Sends `parts`, following up to `max_redirects` redirects the way fetch
/// does, and checks the final response.
///
/// An `async` block rather than an `async fn`, and the error response read
/// in a boxed future of its own: an `async fn` keeps its arguments twice
/// (before and after it starts), and the response and the error body reader
/// took room in every state. This future is allocated for each attempt and
/// freed when the response arrives, from 1,096 bytes down to 424; memory
/// touched while connecting stays resident after it is freed (see `Http` in
/// `client.rs`). Measured with 1,000 idle connections (`benches/e2e`, 21
/// processes each): 0.4 KiB less resident memory per connection.
#[allow(clippy::manual_async_fn)] // see above
pub(crate) fn connect(
    client: Client,
    mut parts: RequestParts,
    max_redirects: u32,
    response_timeout: Option<Duration>,
) -> impl Future<Output = Result<Connected, Error>> + Send {
    async move {
        // One deadline for the attempt, redirects included: a chain of slow
        // hops must not take the limit once per hop.
        // A limit too far to be an `Instant` is no limit.
        let deadline =
            response_timeout.and_then(|limit| Some((Instant::now().checked_add(limit)?, limit)));
        let mut redirects = 0;
        let refused = loop {
            let sent = client.send(build(&parts)?);
            let response = match deadline {
                Some((at, limit)) => tokio::time::timeout_at(at, sent)
                    .await
                    .map_err(|_| Error::ResponseTimeout(limit))?,
                None => sent.await,
            }
            .map_err(|e| classify(e, client.connect_timeout()))?;

            if is_redirect(response.status()) && max_redirects > 0 {
                if redirects == max_redirects {
                    return Err(Error::TooManyRedirects {
                        limit: max_redirects,
                    });
                }
                redirects += 1;
                follow(&mut parts, &response)?;
                continue;
            }
            let mut response = response;
            if redirects > 0 {
                response
                    .extensions_mut()
                    .insert(Redirected(parts.uri.clone()));
            }
            match check(response) {
                Ok(connected) => return Ok(connected),
                Err((error, None)) => return Err(error),
                Err((error, Some(body))) => break Box::pin(with_body(error, body)),
            }
        };
        Err(refused.await)
    }
}

/// Where the redirects of a request led, kept on its final response.
#[derive(Clone, Debug)]
pub(crate) struct Redirected(pub(crate) Uri);

/// Whether `response` opens an event stream; if not, the error, and the
/// body to read the start of into it.
fn check(response: Response<Incoming>) -> Result<Connected, (Error, Option<Incoming>)> {
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE);
    match check_response(status.as_u16(), content_type.map(HeaderValue::as_bytes)) {
        ResponseCheck::Open => match check_encoding(&response) {
            Ok(()) => Ok(Connected::Open(response)),
            Err(error) => Err((error, None)),
        },
        ResponseCheck::NoContent => Ok(Connected::NoContent),
        ResponseCheck::BadContentType => {
            let content_type = content_type.cloned();
            let error = Error::ContentType {
                status,
                content_type,
                body: Bytes::new(),
            };
            Err((error, Some(response.into_body())))
        }
        _ => {
            let (head, body) = response.into_parts();
            let error = Error::Status {
                status,
                headers: Box::new(head.headers),
                body: Bytes::new(),
            };
            Err((error, Some(body)))
        }
    }
}

/// `error` with the first bytes of the response body in it.
async fn with_body(mut error: Error, body: Incoming) -> Error {
    let prefix = body_prefix(body).await;
    if let Error::ContentType { body, .. } | Error::Status { body, .. } = &mut error {
        *body = prefix;
    }
    error
}

fn build(parts: &RequestParts) -> Result<Request<RequestBody>, Error> {
    let mut request = Request::builder()
        .method(parts.method.clone())
        .uri(parts.uri.clone())
        .body(RequestBody::new(parts.body.clone()))
        .map_err(|e| Error::InvalidRequest(e.into()))?;
    *request.headers_mut() = parts.headers.clone();
    Ok(request)
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Rewrites `parts` for the redirect in `response`, as fetch does: 303 (and
/// 301/302 after a POST) become a GET without body; 307/308 keep both.
/// Credentials are not sent to another origin.
fn follow(parts: &mut RequestParts, response: &Response<Incoming>) -> Result<(), Error> {
    let location = response
        .headers()
        .get(header::LOCATION)
        // UTF-8, not only ASCII: the URL parser percent-encodes the rest.
        .and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
        .unwrap_or_default();
    let next = resolve(&parts.uri, location).ok_or_else(|| Error::InvalidRedirect {
        location: location.to_owned(),
    })?;
    check_scheme(&next)?;
    let status = response.status().as_u16();
    let to_get = (status == 303 && parts.method != Method::HEAD)
        || (matches!(status, 301 | 302) && parts.method == Method::POST);
    if to_get {
        parts.method = Method::GET;
        parts.body = Bytes::new();
        for name in [
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
            header::CONTENT_LANGUAGE,
            header::CONTENT_LOCATION,
        ] {
            parts.headers.remove(name);
        }
    }
    if origin(&next) != origin(&parts.uri) {
        for name in [
            header::AUTHORIZATION,
            header::COOKIE,
            header::PROXY_AUTHORIZATION,
        ] {
            parts.headers.remove(name);
        }
    }
    parts.uri = next;
    Ok(())
}

/// Resolves a `Location` against the URL it came from, with the WHATWG URL
/// parser as fetch does (relative forms, dot segments, a URL in the query).
/// Only http(s) is followed; the fragment stays out of the request.
fn resolve(base: &Uri, location: &str) -> Option<Uri> {
    // Fetch would resolve "" to the same URL: a loop until the limit.
    if location.is_empty() {
        return None;
    }
    let base = url::Url::parse(&base.to_string()).ok()?;
    let mut next = base.join(location).ok()?;
    if !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    next.set_fragment(None);
    next.as_str().parse().ok()
}

/// Only `http://` and, with the `rustls` feature, `https://` URLs are sent.
pub(crate) fn check_scheme(uri: &Uri) -> Result<(), Error> {
    match uri.scheme_str() {
        Some("http") => Ok(()),
        Some("https") if cfg!(feature = "rustls") => Ok(()),
        Some("https") => Err(Error::InvalidRequest(
            format!(
                "{uri} needs TLS: enable sse-hyper's `rustls` feature (on by default), \
                 or use an http:// URL"
            )
            .into(),
        )),
        _ => Err(Error::InvalidRequest(
            format!("{uri} is not an http:// or https:// URL").into(),
        )),
    }
}

fn origin(uri: &Uri) -> (Option<&str>, Option<&str>, Option<u16>) {
    (
        uri.scheme_str(),
        uri.host(),
        uri.port_u16().or(match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        }),
    )
}

/// Compressed event streams are rejected, except gzip with the `gzip`
/// feature: the client asks for nothing else.
fn check_encoding(response: &Response<Incoming>) -> Result<(), Error> {
    if cfg!(feature = "gzip") && super::gzip::is_gzip(response.headers()) {
        return Ok(());
    }
    match response.headers().get(header::CONTENT_ENCODING) {
        Some(encoding) if !encoding.as_bytes().eq_ignore_ascii_case(b"identity") => {
            Err(Error::ContentEncoding(encoding.clone()))
        }
        _ => Ok(()),
    }
}

/// The first bytes of an error response's body, as many as arrive in time.
async fn body_prefix(mut body: Incoming) -> Bytes {
    let mut prefix = BytesMut::new();
    let read = async {
        while prefix.len() < ERROR_BODY_LIMIT {
            match body.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let room = ERROR_BODY_LIMIT - prefix.len();
                        prefix.extend_from_slice(&data[..data.len().min(room)]);
                    }
                }
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(ERROR_BODY_TIMEOUT, read).await;
    prefix.freeze()
}

/// Sorts a failed request into the error a reader can act on.
fn classify(error: hyper_util::client::legacy::Error, connect_timeout: Option<Duration>) -> Error {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(current) = cause {
        #[cfg(feature = "rustls")]
        if current.is::<rustls::Error>() {
            return Error::Tls(Box::new(error));
        }
        if let Some(refused) = current.downcast_ref::<super::proxy::ProxyRefused>() {
            return Error::Proxy(Box::new(refused.clone()));
        }
        cause = current.source();
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if let (std::io::ErrorKind::TimedOut, Some(limit)) = (io.kind(), connect_timeout) {
                return Error::ConnectTimeout(limit);
            }
            // `io::Error::source` skips the error it wraps: look at it too.
            if let Some(inner) = io.get_ref() {
                cause = Some(inner);
            }
        }
    }
    Error::Connect(Box::new(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn location_forms_resolve_against_the_request_url() {
        let base = uri("http://a.test:8080/x/y?q=1");
        let resolved = |l| resolve(&base, l).map(|u| u.to_string());
        assert_eq!(
            resolved("https://b.test/z").as_deref(),
            Some("https://b.test/z")
        );
        assert_eq!(resolved("//c.test/p").as_deref(), Some("http://c.test/p"));
        assert_eq!(
            resolved("/root").as_deref(),
            Some("http://a.test:8080/root")
        );
        assert_eq!(
            resolved("sib?k=v").as_deref(),
            Some("http://a.test:8080/x/sib?k=v")
        );
        assert_eq!(resolved(""), None);
        assert_eq!(resolved("ftp://x/y"), None);
    }

    fn resolved(base: &str, location: &str) -> Option<String> {
        resolve(&uri(base), location).map(|u| u.to_string())
    }

    #[test]
    fn url_in_the_query_is_part_of_a_relative_reference() {
        assert_eq!(
            resolved("http://a.test/old", "/new?return=https://example.com/").as_deref(),
            Some("http://a.test/new?return=https://example.com/")
        );
    }

    #[test]
    fn query_only_reference_keeps_the_path() {
        assert_eq!(
            resolved("http://a.test/a/feed?page=1", "?page=2").as_deref(),
            Some("http://a.test/a/feed?page=2")
        );
    }

    #[test]
    fn dot_segments_are_removed() {
        let base = "http://a.test/a/b/c";
        assert_eq!(resolved(base, "../x").as_deref(), Some("http://a.test/a/x"));
        assert_eq!(
            resolved(base, "./y/../z").as_deref(),
            Some("http://a.test/a/b/z")
        );
        assert_eq!(
            resolved(base, "/../../top").as_deref(),
            Some("http://a.test/top")
        );
    }

    #[test]
    fn scheme_relative_reference_takes_the_base_scheme() {
        assert_eq!(
            resolved("https://a.test/x", "//c.test:9000/p?q").as_deref(),
            Some("https://c.test:9000/p?q")
        );
    }

    #[test]
    fn absolute_url_with_another_scheme_is_refused() {
        for location in [
            "ftp://x/y",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/event-stream,data: x",
            "ws://a.test/feed",
        ] {
            assert_eq!(resolved("http://a.test/", location), None, "{location}");
        }
    }

    #[test]
    fn fragment_is_dropped() {
        let base = "http://a.test/x/y?q=1";
        assert_eq!(
            resolved(base, "/next#part").as_deref(),
            Some("http://a.test/next")
        );
        assert_eq!(
            resolved(base, "#only").as_deref(),
            Some("http://a.test/x/y?q=1")
        );
    }

    #[test]
    fn non_ascii_location_is_percent_encoded() {
        assert_eq!(
            resolved("http://a.test/", "/caf\u{e9}?q={a}|b^c").as_deref(),
            Some("http://a.test/caf%C3%A9?q={a}|b^c")
        );
    }

    #[test]
    fn default_ports_are_the_same_origin() {
        assert_eq!(
            origin(&uri("https://h.test/")),
            origin(&uri("https://h.test:443/a"))
        );
        assert_ne!(
            origin(&uri("http://h.test/")),
            origin(&uri("https://h.test/"))
        );
    }
}
