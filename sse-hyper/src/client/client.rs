//! [`Client`]: connection pools and their settings, shared by requests.

use http::Method;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client as HyperClient, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::sync::Arc;
use std::time::Duration;

use super::body::RequestBody;
use super::deadline::Deadline;
use super::proxy::{Proxies, ViaProxy};
use super::request::RequestBuilder;

/// The pool for `http://` URLs: plain TCP.
///
/// With `rustls`, `https://` URLs have a pool of their own. One pool for
/// both, through `hyper_rustls::HttpsConnector`, made every plain connection
/// pay for a TLS session it does not have: hyper's connection task holds a
/// `MaybeHttpsStream`, as large as its TLS variant (+1.0 KiB of heap for as
/// long as the connection is open), and hyper-util boxes each connection's
/// handshake future, sized for that stream: 6,792 bytes instead of 1,432.
/// That box is freed once the connection is up, and the memory it touched
/// is then reused by other allocations, such as hyper's 8 KiB read and write
/// buffers, which are then resident in full, where buffers from untouched
/// memory are resident only in the pages written to. That is why the client
/// was 0.7 KiB *above* its heap per idle connection while the others were
/// 1–4 KiB below. Measured with 1,000 idle `http://` connections
/// (`benches/e2e`): 1.0 KiB less heap and 6 KiB less resident memory per
/// connection.
type Http = HyperClient<HttpConnector, RequestBody>;
#[cfg(feature = "rustls")]
type Https = HyperClient<Deadline<hyper_rustls::HttpsConnector<HttpConnector>>, RequestBody>;

/// The pools for URLs that go through a proxy, only when one is set: a
/// client without a proxy keeps the plain connection types above.
#[derive(Debug)]
struct ProxyPools {
    proxies: Proxies,
    http: HyperClient<Deadline<ViaProxy>, RequestBody>,
    #[cfg(feature = "rustls")]
    https: HyperClient<Deadline<hyper_rustls::HttpsConnector<ViaProxy>>, RequestBody>,
}

/// An SSE client: a pool of HTTP/1.1 and HTTP/2 connections (HTTP/2 when a
/// TLS server offers it through ALPN), with HTTPS through rustls under the
/// default `rustls` feature. Cheap to clone; clones share the pools.
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
    /// Shared, so that each open stream holds a pointer rather than a copy
    /// of the pools' handles (352 bytes): measured with 1,000 idle
    /// connections (`benches/e2e`), 0.4 KiB less heap per connection.
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: Http,
    #[cfg(feature = "rustls")]
    https: Https,
    proxy: Option<Box<ProxyPools>>,
    connect_timeout: Option<Duration>,
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

    /// Sends `request` through the pool for its URL's scheme.
    pub(crate) fn send(&self, mut request: http::Request<RequestBody>) -> ResponseFuture {
        #[cfg(feature = "rustls")]
        let https = request.uri().scheme() == Some(&http::uri::Scheme::HTTPS);
        if let Some(proxy) = &self.inner.proxy
            && proxy.proxies.route(&mut request)
        {
            #[cfg(feature = "rustls")]
            if https {
                return proxy.https.request(request);
            }
            return proxy.http.request(request);
        }
        #[cfg(feature = "rustls")]
        if https {
            return self.inner.https.request(request);
        }
        self.inner.http.request(request)
    }

    /// How long a TCP connection may take, to tell a connect timeout apart.
    pub(crate) fn connect_timeout(&self) -> Option<Duration> {
        self.inner.connect_timeout
    }
}

/// Settings for a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    connect_timeout: Option<Duration>,
    #[cfg(feature = "rustls")]
    extra_roots: Vec<Vec<u8>>,
    proxy: Option<ProxySource>,
    no_proxy: Option<String>,
}

/// Where the proxy settings come from.
enum ProxySource {
    Url(String),
    Environment,
}

impl std::fmt::Debug for ProxySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The URL may hold a password.
            Self::Url(_) => f.write_str("Url(..)"),
            Self::Environment => f.write_str("Environment"),
        }
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            #[cfg(feature = "rustls")]
            extra_roots: Vec::new(),
            proxy: None,
            no_proxy: None,
        }
    }
}

impl ClientBuilder {
    /// How long a connection may take, the TLS handshake included (10 s by
    /// default); `None` waits as long as the OS and the server do. For a
    /// plain `http://` URL the host name lookup is not counted: the system
    /// resolver bounds it with its own timeouts. A request's
    /// [`response_timeout`](crate::RequestBuilder::response_timeout) bounds
    /// everything up to the response headers, the lookup included.
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

    /// Sends every request through the HTTP proxy at `url`
    /// (`http://host:port`, with `user:password@` for basic authentication),
    /// except to the hosts given to [`no_proxy`](Self::no_proxy): `https://`
    /// through a `CONNECT` tunnel, with TLS end to end, and `http://` as a
    /// request to the proxy. No proxy is used unless set here or with
    /// [`proxy_from_env`](Self::proxy_from_env).
    ///
    /// ```
    /// let client = sse_hyper::Client::builder()
    ///     .proxy("http://user:secret@proxy.internal:3128")
    ///     .no_proxy("localhost, .internal")
    ///     .build();
    /// ```
    ///
    /// # Panics
    ///
    /// In [`build`](Self::build), if `url` is not an `http://` URL with a host.
    #[must_use]
    pub fn proxy(mut self, url: &str) -> Self {
        self.proxy = Some(ProxySource::Url(url.to_owned()));
        self
    }

    /// Hosts that [`proxy`](Self::proxy) does not apply to, in `NO_PROXY`
    /// syntax: a comma-separated list of host names (`.example.com` or
    /// `example.com` for the domain and its subdomains), IP addresses and
    /// CIDR ranges, or `*` for all. For [`proxy`](Self::proxy) only: with
    /// [`proxy_from_env`](Self::proxy_from_env) the `NO_PROXY` variable
    /// says which hosts are exempt.
    #[must_use]
    pub fn no_proxy(mut self, hosts: &str) -> Self {
        self.no_proxy = Some(hosts.to_owned());
        self
    }

    /// Takes the proxy settings from the environment, as curl and most HTTP
    /// clients do: `HTTPS_PROXY` for `https://` URLs, `HTTP_PROXY` for
    /// `http://` ones, `ALL_PROXY` for both, and `NO_PROXY` for the
    /// exceptions (lower-case names work too). Read once, when the client is
    /// built. Only `http://` proxies are supported: a request that the
    /// settings send to another kind (`socks5://`, say) fails with
    /// [`Error::Proxy`](crate::Error::Proxy). When running as CGI
    /// (`REQUEST_METHOD` is set), the variables are all ignored, since a
    /// request header could set `HTTP_PROXY`.
    #[must_use]
    pub fn proxy_from_env(mut self) -> Self {
        self.proxy = Some(ProxySource::Environment);
        self
    }

    /// Builds the client.
    ///
    /// # Panics
    ///
    /// With `rustls`, if an added root certificate is not valid DER; with a
    /// [`proxy`](Self::proxy) that is not an `http://` URL with a host.
    pub fn build(self) -> Client {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(self.connect_timeout);
        http.set_keepalive(Some(Duration::from_secs(60)));
        http.set_nodelay(true);
        // The plain pool refuses anything but `http://`, so that an
        // `https://` URL can never go out in clear text.
        http.enforce_http(true);
        #[cfg(feature = "rustls")]
        let tls = {
            let mut roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            for der in self.extra_roots {
                roots
                    .add(der.into())
                    .expect("add_root_certificate: not a valid DER certificate");
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports the default TLS versions")
                .with_root_certificates(roots)
                .with_no_client_auth()
        };
        #[cfg(feature = "rustls")]
        let https = {
            let mut http = http.clone();
            // The TLS connector hands the TCP connector `https://` URLs.
            http.enforce_http(false);
            pool().build(Deadline {
                inner: with_tls(tls.clone(), http),
                timeout: self.connect_timeout,
            })
        };
        let matcher = self.proxy.and_then(|source| match source {
            ProxySource::Url(url) => super::proxy::explicit(&url, self.no_proxy.as_deref()),
            ProxySource::Environment => {
                Some(hyper_util::client::proxy::matcher::Matcher::from_env())
            }
        });
        let proxy = matcher.map(|matcher| {
            let via = ViaProxy {
                proxies: Proxies::new(matcher),
                tcp: http.clone(),
                under_tls: false,
            };
            Box::new(ProxyPools {
                proxies: via.proxies.clone(),
                #[cfg(feature = "rustls")]
                https: pool().build(Deadline {
                    inner: with_tls(
                        tls,
                        ViaProxy {
                            under_tls: true,
                            ..via.clone()
                        },
                    ),
                    timeout: self.connect_timeout,
                }),
                http: pool().build(Deadline {
                    inner: via,
                    timeout: self.connect_timeout,
                }),
            })
        });
        Client {
            inner: Arc::new(Inner {
                http: pool().build(http),
                #[cfg(feature = "rustls")]
                https,
                proxy,
                connect_timeout: self.connect_timeout,
            }),
        }
    }
}

/// `tcp` with TLS on top, for `https://` URLs only, HTTP/2 through ALPN.
#[cfg(feature = "rustls")]
fn with_tls<C>(tls: rustls::ClientConfig, tcp: C) -> hyper_rustls::HttpsConnector<C> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_only()
        .enable_http1()
        .enable_http2()
        .wrap_connector(tcp)
}

/// The settings both pools share.
fn pool() -> hyper_util::client::legacy::Builder {
    let mut builder = HyperClient::builder(TokioExecutor::new());
    builder
        .timer(TokioTimer::new())
        .pool_timer(TokioTimer::new());
    builder
}

#[cfg(test)]
mod tests {
    use super::RequestBody;
    use crate::Error;
    use futures_core::Stream;
    use std::pin::pin;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A server that answers anything with plain-text HTTP/1.1 headers of an
    /// event stream, then closes.
    async fn plain_http_server() -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                let _ = tcp.read(&mut [0; 1024]).await;
                let _ = tcp
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 9\r\n\r\ndata: a\n\n")
                    .await;
            }
        });
        addr
    }

    async fn first(client: &super::Client, url: &str) -> Option<Result<sse_core::Event, Error>> {
        let mut events = pin!(client.get(url).reconnect(false).events());
        std::future::poll_fn(|cx| events.as_mut().poll_next(cx)).await
    }

    #[tokio::test]
    async fn http_urls_are_plain_tcp_and_https_urls_are_tls() {
        let addr = plain_http_server().await;
        let client = super::Client::new();
        let event = first(&client, &format!("http://{addr}/")).await;
        assert_eq!(event.unwrap().unwrap().data(), "a");
        let error = first(&client, &format!("https://{addr}/")).await;
        #[cfg(feature = "rustls")]
        assert!(matches!(error, Some(Err(Error::Tls(_)))), "{error:?}");
        // Without TLS, refused before anything is sent: never in clear text.
        #[cfg(not(feature = "rustls"))]
        assert!(
            matches!(&error, Some(Err(Error::InvalidRequest(e))) if e.to_string().contains("rustls")),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn the_plain_pool_never_takes_an_https_url() {
        let addr = plain_http_server().await;
        let client = super::Client::new();
        let request = http::Request::get(format!("https://{addr}/"))
            .body(RequestBody::new(bytes::Bytes::new()))
            .unwrap();
        // Straight to the plain pool, past the scheme check of `events`.
        let sent = client.inner.http.request(request).await;
        assert!(sent.is_err(), "an https:// URL went out over plain TCP");
    }

    #[tokio::test]
    async fn the_proxied_plain_pool_never_takes_an_https_url() {
        let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = super::Client::builder()
            .proxy(&format!("http://{}", proxy.local_addr().unwrap()))
            .build();
        let request = http::Request::get("https://origin.test/secret")
            .body(RequestBody::new(bytes::Bytes::new()))
            .unwrap();
        // Straight to the proxied plain pool, past the routing of `send`.
        let pools = client.inner.proxy.as_ref().expect("proxied pools");
        let sent = pools.http.request(request).await;
        assert!(
            sent.is_err(),
            "an https:// URL went through the proxy in clear"
        );
        let accepted = tokio::time::timeout(std::time::Duration::from_millis(100), proxy.accept());
        assert!(accepted.await.is_err(), "the proxy was contacted");
    }

    #[tokio::test]
    async fn only_http_and_https_urls_are_sent() {
        let addr = plain_http_server().await;
        let client = super::Client::new();
        let error = first(&client, &format!("ftp://{addr}/")).await;
        assert!(
            matches!(error, Some(Err(Error::InvalidRequest(_)))),
            "{error:?}"
        );
    }
}
