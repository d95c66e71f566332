//! [`TestServer`]: a hyper server on 127.0.0.1 (HTTP/1.1 and HTTP/2, plain
//! or TLS) that records each request and answers it with the test's handler.

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use std::convert::Infallible;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

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

/// A running test server. It stops accepting connections when dropped; the
/// ones already open go on until they end or the test's runtime does.
pub struct TestServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    open_connections: Arc<AtomicUsize>,
    accept_loop: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server answering each request with `handler`, once the
    /// request's body has arrived.
    pub async fn start<B>(handler: impl Fn(Seen) -> Response<B> + Send + Sync + 'static) -> Self
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Self::start_with(None, handler).await
    }

    /// [`start`](Self::start) over TLS: each connection goes through
    /// `acceptor` first.
    pub async fn start_tls<B>(
        acceptor: TlsAcceptor,
        handler: impl Fn(Seen) -> Response<B> + Send + Sync + 'static,
    ) -> Self
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Self::start_with(Some(acceptor), handler).await
    }

    /// A server that accepts connections and never answers on them.
    pub async fn start_silent() -> Self {
        Self::listen(Arc::default(), |tcp| async move {
            let _open = tcp;
            std::future::pending::<()>().await;
        })
        .await
    }

    async fn start_with<B>(
        tls: Option<TlsAcceptor>,
        handler: impl Fn(Seen) -> Response<B> + Send + Sync + 'static,
    ) -> Self
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let seen = Arc::<Mutex<Vec<Seen>>>::default();
        let (handler, recorded) = (Arc::new(handler), seen.clone());
        let service = service_fn(move |request| {
            let (handler, seen) = (handler.clone(), recorded.clone());
            async move { Ok::<_, Infallible>(handler(record(&seen, request).await)) }
        });
        Self::listen(seen, move |tcp| {
            let (tls, service) = (tls.clone(), service.clone());
            async move {
                let http = auto::Builder::new(TokioExecutor::new());
                // A client going away mid-stream is an expected error here.
                match tls {
                    None => {
                        let _ = http.serve_connection(TokioIo::new(tcp), service).await;
                    }
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(tcp).await {
                            let _ = http.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                }
            }
        })
        .await
    }

    /// Binds 127.0.0.1:0 and runs `connection` on each connection it
    /// accepts, on a task of its own, counting the open ones.
    async fn listen<F, Fut>(seen: Arc<Mutex<Vec<Seen>>>, connection: F) -> Self
    where
        F: Fn(TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let open_connections = Arc::new(AtomicUsize::new(0));
        let open = open_connections.clone();
        let accept_loop = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                open.fetch_add(1, Ordering::SeqCst);
                let (open, connection) = (open.clone(), connection(tcp));
                tokio::spawn(async move {
                    connection.await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self {
            addr,
            seen,
            open_connections,
            accept_loop,
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

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// Reads the rest of `request` and adds it to `seen`.
async fn record(seen: &Mutex<Vec<Seen>>, request: Request<Incoming>) -> Seen {
    let (head, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .unwrap_or_default();
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
}

/// A URL on 127.0.0.1 where nothing listens: the port of a listener just
/// closed.
pub fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/")
}
