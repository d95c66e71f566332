//! [`Client`]: a connection pool and its settings, shared by requests.

use bytes::Bytes;
use http::Method;
use http_body_util::Full;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::time::Duration;

use super::request::RequestBuilder;

#[cfg(feature = "rustls")]
pub(crate) type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
#[cfg(not(feature = "rustls"))]
pub(crate) type Connector = HttpConnector;

pub(crate) type Hyper = HyperClient<Connector, Full<Bytes>>;

/// An SSE client: a pool of HTTP/1.1 and HTTP/2 connections (HTTP/2 when a
/// TLS server offers it through ALPN), with HTTPS through rustls under the
/// default `rustls` feature. Cheap to clone; clones share the pool.
///
/// ```no_run
/// # async fn demo() {
/// let client = sse_hyper::Client::new();
/// let outcome = client
///     .post("https://api.example.com/v1/chat")
///     .header("authorization", "Bearer ...")
///     .body(r#"{"message":"make me a table"}"#)
///     .on_message(|event| print!("{}", event.data()))
///     .spawn()
///     .await;
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) hyper: Hyper,
    pub(crate) connect_timeout: Option<Duration>,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client with the default settings: 10 s connect timeout, TCP
    /// keep-alive, and (with `rustls`) Mozilla's root certificates.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Settings for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A `GET` request: reconnects by default, like `EventSource`.
    pub fn get(&self, url: &str) -> RequestBuilder {
        self.request(Method::GET, url)
    }

    /// A `POST` request: does not reconnect by default, as re-sending it
    /// could repeat a costly action (an LLM generation).
    pub fn post(&self, url: &str) -> RequestBuilder {
        self.request(Method::POST, url)
    }

    /// A request with any method. Idempotent methods reconnect by default.
    pub fn request(&self, method: Method, url: &str) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, url)
    }
}

/// Settings for a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    connect_timeout: Option<Duration>,
    #[cfg(feature = "rustls")]
    extra_roots: Vec<Vec<u8>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            #[cfg(feature = "rustls")]
            extra_roots: Vec::new(),
        }
    }
}

impl ClientBuilder {
    /// How long to wait for a TCP connection; `None` waits as long as the OS does.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trusts one more root certificate (DER), for example a private CA or a
    /// self-signed development server, next to the built-in roots.
    #[cfg(feature = "rustls")]
    #[must_use]
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    /// Builds the client.
    ///
    /// # Panics
    ///
    /// With `rustls`, if an added root certificate is not valid DER.
    pub fn build(self) -> Client {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(self.connect_timeout);
        http.set_keepalive(Some(Duration::from_secs(60)));
        http.set_nodelay(true);
        http.enforce_http(false);
        #[cfg(feature = "rustls")]
        let connector = {
            let mut roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            for der in self.extra_roots {
                roots
                    .add(der.into())
                    .expect("add_root_certificate: not a valid DER certificate");
            }
            let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports the default TLS versions")
                .with_root_certificates(roots)
                .with_no_client_auth();
            hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .enable_http2()
                .wrap_connector(http)
        };
        #[cfg(not(feature = "rustls"))]
        let connector = http;
        let hyper = HyperClient::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .build(connector);
        Client {
            hyper,
            connect_timeout: self.connect_timeout,
        }
    }
}
