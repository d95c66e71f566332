//! Connecting through an HTTP proxy: `https://` through a `CONNECT` tunnel,
//! `http://` by sending the request to the proxy in absolute form.
//!
//! hyper-util does the work: its `Matcher` says which proxy, if any, a URL
//! goes through (from the builder or from `HTTP_PROXY`, `HTTPS_PROXY`,
//! `ALL_PROXY` and `NO_PROXY`), and its `Tunnel` opens the tunnel. This
//! module joins them to the client's pools.

use http::header::PROXY_AUTHORIZATION;
use http::{Request, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which URLs go through which proxy.
#[derive(Clone, Debug)]
pub(crate) struct Proxies(Arc<Matcher>);

impl Proxies {
    pub(crate) fn new(matcher: Matcher) -> Self {
        Self(Arc::new(matcher))
    }

    /// Whether `uri` goes through a proxy. For an `http://` URL, adds the
    /// proxy's credentials to the request, which goes to the proxy itself
    /// (an `https://` one sends them in the tunnel's `CONNECT` instead).
    pub(crate) fn route<B>(&self, request: &mut Request<B>) -> bool {
        let Some(intercept) = self.0.intercept(request.uri()) else {
            return false;
        };
        let is_http = request.uri().scheme() == Some(&http::uri::Scheme::HTTP);
        if let (true, Some(auth)) = (is_http, intercept.basic_auth()) {
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            request.headers_mut().insert(PROXY_AUTHORIZATION, auth);
        }
        true
    }
}

/// The connector of the proxied pools: to the proxy, or through it.
#[derive(Clone, Debug)]
pub(crate) struct ViaProxy {
    pub(crate) proxies: Proxies,
    pub(crate) tcp: HttpConnector,
    /// A TLS connector wraps this one: `https://` URLs may go through it.
    pub(crate) under_tls: bool,
}

/// The proxy would not take the request, or cannot be used: retrying does
/// not help (`Error::Proxy`).
#[derive(Clone, Debug)]
pub(crate) struct ProxyRefused(String);

impl std::fmt::Display for ProxyRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProxyRefused {}

/// A tunnel the proxy refused, as `ProxyRefused`; a failure to reach it or
/// a connection lost on the way stays as it is (retried like any other).
fn refused(error: impl std::error::Error + Send + Sync + 'static) -> BoxError {
    // hyper-util does not export its tunnel error type: its variants are
    // told apart by their text. Should that change, the error stays a
    // retryable connect error.
    let text = error.to_string();
    let refusal = match text.strip_prefix("tunnel error: ") {
        Some("proxy authorization required") => "it asks for credentials (407)",
        Some("unsuccessful") => "it refused the CONNECT tunnel (a status other than 200)",
        Some("proxy response headers too long") => "its answer to CONNECT was too long",
        _ => return Box::new(error),
    };
    Box::new(ProxyRefused(refusal.to_owned()))
}

impl Service<Uri> for ViaProxy {
    type Response = Proxied<<HttpConnector as Service<Uri>>::Response>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let intercept = self.proxies.0.intercept(&target);
        let mut tcp = self.tcp.clone();
        let under_tls = self.under_tls;
        Box::pin(async move {
            let https = target.scheme() == Some(&http::uri::Scheme::HTTPS);
            if https && !under_tls {
                // As the plain pool does: never an `https://` URL in clear.
                return Err(ProxyRefused(format!("{target} needs TLS")).into());
            }
            let Some(intercept) = intercept else {
                let io = tcp.call(target).await?;
                return Ok(Proxied::direct(io));
            };
            if intercept.uri().scheme() != Some(&http::uri::Scheme::HTTP) {
                // A SOCKS or TLS proxy, from `ALL_PROXY` say.
                let proxy = intercept.uri();
                return Err(ProxyRefused(format!("{proxy} is not an http:// proxy")).into());
            }
            if https {
                // End to end TLS through the proxy: the TLS connector wraps
                // this one and shakes hands with the target over the tunnel.
                let mut tunnel = Tunnel::new(intercept.uri().clone(), tcp);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.call(target).await.map_err(refused)?;
                return Ok(Proxied::direct(io));
            }
            let io = tcp.call(intercept.uri().clone()).await?;
            Ok(Proxied { io, to_proxy: true })
        })
    }
}

pin_project! {
    /// A connection, marked when it goes to a proxy that takes requests in
    /// absolute form (hyper-util then sends them so).
    #[derive(Debug)]
    pub(crate) struct Proxied<T> {
        #[pin]
        io: T,
        to_proxy: bool,
    }
}

impl<T> Proxied<T> {
    fn direct(io: T) -> Self {
        Self {
            io,
            to_proxy: false,
        }
    }
}

impl<T: Connection> Connection for Proxied<T> {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.to_proxy)
    }
}

impl<T: Read> Read for Proxied<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        self.project().io.poll_read(cx, buf)
    }
}

impl<T: Write> Write for Proxied<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().io.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.project().io.poll_write_vectored(cx, bufs)
    }
}

/// A proxy given as a URL, with `no_proxy` exceptions; `None` when they
/// exempt every host.
///
/// # Panics
///
/// If `url` is not an `http://` URL with a host.
pub(crate) fn explicit(url: &str, no_proxy: Option<&str>) -> Option<Matcher> {
    let uri: Uri = url
        .parse()
        .unwrap_or_else(|e| panic!("proxy URL {url:?}: {e}"));
    assert!(
        uri.scheme() == Some(&http::uri::Scheme::HTTP) && uri.host().is_some(),
        "proxy URL {url:?}: an http:// URL with a host, such as http://proxy.internal:3128"
    );
    let mut builder = Matcher::builder().all(url.to_owned());
    if let Some(hosts) = no_proxy {
        // hyper-util applies `*` to host names only, not to IP addresses.
        if hosts.split(',').any(|host| host.trim() == "*") {
            return None;
        }
        builder = builder.no(hosts.to_owned());
    }
    Some(builder.build())
}
