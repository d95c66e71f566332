//! Helpers for the server tests: a hyper server on 127.0.0.1 serving an
//! `EventStreamBody`, and a raw hyper client reading it.
#![allow(dead_code, unreachable_pub)]

use bytes::Bytes;
use futures::channel::mpsc;
use http::{Request, Response};
use http_body_util::{BodyDataStream, Empty};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use sse_core::EventStream;
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How long a test waits for something that should happen at once.
pub const PROMPTLY: Duration = Duration::from_secs(5);

/// What the tests' producers send.
pub type Events = mpsc::UnboundedReceiver<Result<EventBuilder, Infallible>>;
/// The body the tests serve.
pub type TestBody = EventStreamBody<Events>;

/// A server on 127.0.0.1 that answers every request (HTTP/1.1 or HTTP/2)
/// with `respond(request)`. It stops when the returned handle is dropped or
/// the test's runtime ends.
pub async fn serve<F, Fut, B>(respond: F) -> (SocketAddr, Server)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<B>> + Send + 'static,
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let respond = respond.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let response = respond(request);
                    async move { Ok::<_, Infallible>(response.await) }
                });
                // A client going away mid-stream is an expected error here.
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    (address, Server(task))
}

/// Stops the accept loop when dropped.
pub struct Server(JoinHandle<()>);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A response from a raw hyper client, and its connection task (abort it to
/// close the connection).
pub struct Fetched {
    pub response: Response<Incoming>,
    pub connection: JoinHandle<()>,
}

/// `GET path` over a fresh HTTP/1.1 connection.
pub async fn get(address: SocketAddr, request: Request<Empty<Bytes>>) -> Fetched {
    let tcp = TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .unwrap();
    let connection = tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender.send_request(request).await.unwrap();
    Fetched {
        response,
        connection,
    }
}

/// `GET path` over a fresh HTTP/2 connection (prior knowledge, no TLS).
pub async fn get_h2(address: SocketAddr, request: Request<Empty<Bytes>>) -> Fetched {
    let tcp = TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tcp))
            .await
            .unwrap();
    let connection = tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender.send_request(request).await.unwrap();
    Fetched {
        response,
        connection,
    }
}

/// A `GET /` request.
pub fn request() -> Request<Empty<Bytes>> {
    Request::get("/")
        .header("host", "127.0.0.1")
        .body(Empty::new())
        .unwrap()
}

/// The events of a response body, decoded by `sse-core`.
pub fn events(response: Response<Incoming>) -> EventStream<BodyDataStream<Incoming>> {
    EventStream::new(BodyDataStream::new(response.into_body()))
}

/// A producer channel: what the test sends, the body streams.
pub fn producer() -> (
    mpsc::UnboundedSender<Result<EventBuilder, Infallible>>,
    Events,
) {
    mpsc::unbounded()
}

/// `(type, data, id)` of an event, for terse assertions.
pub fn triple(event: &sse_core::Event) -> (&str, &str, &str) {
    (event.event_type(), event.data(), event.id())
}

/// Awaits `future`, failing the test if it takes longer than [`PROMPTLY`].
pub async fn promptly<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PROMPTLY, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen within {PROMPTLY:?}"))
}

/// What a test gets for each request its server answers: the request head
/// and the sending end of the stream its response body streams.
pub struct Streaming {
    pub request: http::request::Parts,
    pub producer: mpsc::UnboundedSender<Result<EventBuilder, Infallible>>,
}

/// A server whose every response is an `EventStreamBody` fed by the test,
/// with a keep-alive if given.
pub async fn serve_producers(
    keep_alive: Option<Duration>,
) -> (SocketAddr, Server, mpsc::UnboundedReceiver<Streaming>) {
    let (streams_tx, streams) = mpsc::unbounded();
    let (address, server) = serve(move |request: Request<Incoming>| {
        let (producer, events) = producer();
        let (request, _) = request.into_parts();
        streams_tx
            .unbounded_send(Streaming { request, producer })
            .unwrap();
        let body = EventStreamBody::new(events);
        let body = match keep_alive {
            Some(interval) => body.keep_alive(interval),
            None => body,
        };
        async move { body.into_response() }
    })
    .await;
    (address, server, streams)
}
