//! A scriptable SSE server on 127.0.0.1 for the client tests.
#![allow(dead_code, unreachable_pub)]

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// What the server saw of one request.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// 0 for the first request this server received.
    pub index: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

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

type Handler = dyn Fn(Seen) -> Response<Body> + Send + Sync;

/// A running test server.
pub struct TestServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    open_connections: Arc<AtomicUsize>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 answering each request with `handler`.
    pub async fn start(handler: impl Fn(Seen) -> Response<Body> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let open_connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen2, open2) = (seen.clone(), open_connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (handler, seen, open) = (handler.clone(), seen2.clone(), open2.clone());
                open.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let (handler, seen) = (handler.clone(), seen.clone());
                        async move {
                            let (head, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(http_body_util::Collected::to_bytes)
                                .unwrap_or_default();
                            let record = {
                                let mut seen = seen.lock().unwrap();
                                let record = Seen {
                                    method: head.method,
                                    path: head
                                        .uri
                                        .path_and_query()
                                        .map(std::string::ToString::to_string)
                                        .unwrap_or_default(),
                                    headers: head.headers,
                                    body,
                                    index: seen.len(),
                                };
                                seen.push(record.clone());
                                record
                            };
                            Ok::<_, Infallible>(handler(record))
                        }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self {
            addr,
            seen,
            open_connections,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn open_connections(&self) -> usize {
        self.open_connections.load(Ordering::SeqCst)
    }

    /// Waits up to 5 s for the number of open connections to reach `n`.
    pub async fn wait_for_connections(&self, n: usize) -> usize {
        for _ in 0..500 {
            if self.open_connections() == n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.open_connections()
    }
}

/// Collects the data of every event of a stream until it ends.
pub async fn collect_data(
    mut events: impl futures::Stream<Item = Result<sse_hyper::Event, sse_hyper::Error>> + Unpin,
) -> (Vec<String>, Option<sse_hyper::Error>) {
    let mut data = Vec::new();
    while let Some(item) = events.next().await {
        match item {
            Ok(event) => data.push(event.data().to_owned()),
            Err(error) => return (data, Some(error)),
        }
    }
    (data, None)
}
