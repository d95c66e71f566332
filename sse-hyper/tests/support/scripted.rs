//! Scripted responses for the client tests: a body that sends, waits, fails
//! or hangs on cue.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use std::time::Duration;

/// One step of a scripted response body.
#[derive(Clone, Debug)]
pub enum Step {
    /// Write these bytes (one frame, flushed).
    Send(Bytes),
    /// Wait.
    Sleep(Duration),
    /// Drop the connection without ending the body properly.
    Fail,
    /// Never send anything more (until the client goes away).
    Hang,
}

pub fn send(text: &str) -> Step {
    Step::Send(Bytes::copy_from_slice(text.as_bytes()))
}

pub fn sleep_ms(ms: u64) -> Step {
    Step::Sleep(Duration::from_millis(ms))
}

pub type Body = BoxBody<Bytes, std::io::Error>;

/// A response whose body plays `steps`.
pub fn scripted(status: u16, content_type: &str, steps: Vec<Step>) -> Response<Body> {
    let body = futures::stream::unfold(steps.into_iter(), |mut steps| async move {
        loop {
            match steps.next()? {
                Step::Send(bytes) => return Some((Ok(Frame::data(bytes)), steps)),
                Step::Sleep(d) => tokio::time::sleep(d).await,
                Step::Fail => {
                    return Some((Err(std::io::Error::other("scripted failure")), steps));
                }
                Step::Hang => std::future::pending::<()>().await,
            }
        }
    });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    if !content_type.is_empty() {
        response
            .headers_mut()
            .insert("content-type", content_type.parse().unwrap());
    }
    response
}

/// An SSE response playing `steps`.
pub fn sse(steps: Vec<Step>) -> Response<Body> {
    scripted(200, "text/event-stream", steps)
}

/// A 204 No Content, which tells the client to stop reconnecting.
pub fn no_content() -> Response<Body> {
    scripted(204, "", vec![])
}

/// `response` with the header `name: value` added.
pub fn with_header<B>(mut response: Response<B>, name: &'static str, value: &str) -> Response<B> {
    response.headers_mut().insert(name, value.parse().unwrap());
    response
}
