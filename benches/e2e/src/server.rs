//! The server: a child process running hyper on 127.0.0.1 that sends each
//! workload in 16 KiB chunked writes (`/llm`, `/big`), or the headers of an
//! event stream and then nothing (`/idle`).
//!
//! It runs in its own process so that its memory and allocations never count
//! against the client being measured, and on its own core.

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io::{BufRead, BufReader, Read, Write};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::workload;

/// The size of each body frame, and so of each HTTP/1.1 chunk.
pub(crate) const CHUNK: usize = 16 * 1024;

/// A running server process, killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub(crate) base: String,
}

impl Server {
    /// Starts this executable as `serve` and waits for its address.
    pub(crate) fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("read the server's address");
        let base = format!("http://{}", line.trim());
        Self { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `serve` subcommand: prints `127.0.0.1:PORT`, serves until its
/// standard input closes (the benchmark ended or died).
pub(crate) fn serve() {
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    let [llm, big] = workload::all();
    let bodies = Arc::new((llm.body, big.body));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{}", listener.local_addr().expect("bound")).expect("stdout");
        stdout.flush().expect("stdout");
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let _ = tcp.set_nodelay(true);
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let body = match request.uri().path() {
                        "/llm" => Some(ChunkedBody::Chunks(bodies.0.clone())),
                        "/big" => Some(ChunkedBody::Chunks(bodies.1.clone())),
                        "/idle" => Some(ChunkedBody::Idle),
                        _ => None,
                    };
                    async move { Ok::<_, Infallible>(respond(body)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
}

fn respond(body: Option<ChunkedBody>) -> Response<ChunkedBody> {
    let Some(body) = body else {
        let mut response = Response::new(ChunkedBody::Chunks(Bytes::new()));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return response;
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
        .expect("a valid response")
}

/// A body of unknown length (so hyper sends it chunked) handed to hyper
/// [`CHUNK`] bytes at a time, or one that never sends anything.
enum ChunkedBody {
    Chunks(Bytes),
    Idle,
}

impl Body for ChunkedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Self::Chunks(rest) if rest.is_empty() => Poll::Ready(None),
            Self::Chunks(rest) => {
                let chunk = rest.split_to(rest.len().min(CHUNK));
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            // Never woken: the connection stays open, silent, until the
            // client closes it.
            Self::Idle => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Chunks(rest) if rest.is_empty())
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}
