//! For the server tests: a [`TestServer`] whose every response is an
//! `EventStreamBody` the test feeds, and a raw hyper client to read it.

use super::TestServer;
use bytes::Bytes;
use futures::channel::mpsc;
use http::{Request, Response, Version};
use http_body_util::{BodyDataStream, Empty};
use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use sse_core::EventStream;
use sse_hyper::{EventBuilder, EventStreamBody};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// The sending end of one response's event stream: what the test sends, the
/// body streams.
pub type Producer = mpsc::UnboundedSender<Result<EventBuilder, Infallible>>;

/// A server whose every response is an `EventStreamBody`, with a keep-alive
/// if given, fed through a [`Producer`] the test receives for each request.
pub async fn serve_producers(
    keep_alive: Option<Duration>,
) -> (TestServer, mpsc::UnboundedReceiver<Producer>) {
    let (producers_tx, producers) = mpsc::unbounded();
    let server = TestServer::start(move |_| {
        let (producer, events) = mpsc::unbounded();
        producers_tx.unbounded_send(producer).unwrap();
        let body = EventStreamBody::new(events);
        match keep_alive {
            Some(interval) => body.keep_alive(interval),
            None => body,
        }
        .into_response()
    })
    .await;
    (server, producers)
}

/// A response from a raw hyper client, and its connection task (abort it to
/// close the connection).
pub struct Fetched {
    pub response: Response<Incoming>,
    pub connection: JoinHandle<()>,
}

/// `GET /` over a fresh connection: HTTP/1.1, or HTTP/2 with prior knowledge
/// (no TLS).
pub async fn get(address: SocketAddr, version: Version) -> Fetched {
    let tcp = TokioIo::new(TcpStream::connect(address).await.unwrap());
    let request = Request::get("/")
        .header("host", "127.0.0.1")
        .body(Empty::<Bytes>::new())
        .unwrap();
    if version == Version::HTTP_2 {
        let (mut sender, connection) = http2::handshake(TokioExecutor::new(), tcp).await.unwrap();
        let connection = drive(connection);
        let response = sender.send_request(request).await.unwrap();
        Fetched {
            response,
            connection,
        }
    } else {
        assert_eq!(version, Version::HTTP_11, "no test client for {version:?}");
        let (mut sender, connection) = http1::handshake(tcp).await.unwrap();
        let connection = drive(connection);
        let response = sender.send_request(request).await.unwrap();
        Fetched {
            response,
            connection,
        }
    }
}

/// Runs a client connection on a task of its own.
fn drive(connection: impl Future + Send + 'static) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = connection.await;
    })
}

/// The events of a response body, decoded by `sse-core`.
pub fn events(response: Response<Incoming>) -> EventStream<BodyDataStream<Incoming>> {
    EventStream::new(BodyDataStream::new(response.into_body()))
}

/// `(type, data, id)` of an event, for terse assertions.
pub fn triple(event: &sse_core::Event) -> (&str, &str, &str) {
    (event.event_type(), event.data(), event.id())
}
