//! Through an HTTP proxy: `http://` URLs as absolute-form requests to the
//! proxy with its credentials, `https://` ones through a `CONNECT` tunnel
//! with TLS end to end, and `no_proxy` hosts directly.
#![cfg(feature = "client")]
mod support;
use std::sync::{Arc, Mutex};
use support::{TestServer, closed_port_url, collect_data, data_without_error, send, sse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy saw of each connection: its request line and its
/// `Proxy-Authorization`.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// An HTTP proxy on 127.0.0.1: opens `CONNECT` tunnels, and forwards
/// absolute-form requests to their host. Returns its address.
async fn start_proxy() -> (std::net::SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Seen::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(relay(client, record.clone()));
        }
    });
    (addr, seen)
}

async fn relay(mut client: TcpStream, seen: Seen) {
    let mut head = Vec::new();
    let end = loop {
        let mut buffer = [0; 4096];
        let n = client.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the client closed before its request head");
        head.extend_from_slice(&buffer[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let request_line = text.lines().next().unwrap().to_owned();
    let auth = text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    seen.lock().unwrap().push((request_line.clone(), auth));
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap(), parts.next().unwrap());
    let mut upstream = if method == "CONNECT" {
        let upstream = TcpStream::connect(target).await.unwrap();
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .unwrap();
        head.drain(..end);
        upstream
    } else {
        let authority = target
            .strip_prefix("http://")
            .expect("an absolute-form request")
            .split('/')
            .next()
            .unwrap();
        TcpStream::connect(authority).await.unwrap()
    };
    upstream.write_all(&head).await.unwrap();
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

#[tokio::test]
async fn http_urls_go_to_the_proxy_in_absolute_form_with_its_credentials() {
    let server = TestServer::start(|_| sse(vec![send("data: via proxy\n\n")])).await;
    let (proxy, seen) = start_proxy().await;
    let client = sse_hyper::Client::builder()
        .proxy(&format!("http://user:secret@{proxy}"))
        .build();
    let events = client.post(&server.url("/feed")).events();
    assert_eq!(data_without_error(events).await, ["via proxy"]);
    let seen = seen.lock().unwrap().clone();
    let expected = format!("POST http://{}/feed HTTP/1.1", server.addr);
    // base64("user:secret")
    let auth = Some("Basic dXNlcjpzZWNyZXQ=".to_owned());
    assert_eq!(seen, [(expected, auth)]);
    assert_eq!(server.seen()[0].path, "/feed");
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let server = TestServer::start(|_| sse(vec![send("data: direct\n\n")])).await;
    let (proxy, seen) = start_proxy().await;
    let client = sse_hyper::Client::builder()
        .proxy(&format!("http://{proxy}"))
        .no_proxy("localhost, 127.0.0.1")
        .build();
    let events = client.post(&server.url("/")).events();
    assert_eq!(data_without_error(events).await, ["direct"]);
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_connect_error() {
    let server = TestServer::start(|_| sse(vec![send("data: unseen\n\n")])).await;
    let client = sse_hyper::Client::builder()
        .proxy(&closed_port_url())
        .build();
    let (data, error) = collect_data(client.post(&server.url("/")).events()).await;
    assert!(data.is_empty());
    let error = error.expect("an error");
    assert!(matches!(error, sse_hyper::Error::Connect(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(server.seen().is_empty());
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn https_urls_go_through_a_connect_tunnel_with_tls_end_to_end() {
    let (acceptor, cert_der) = support::self_signed_acceptor();
    let server = TestServer::start_tls(acceptor, |_| sse(vec![send("data: tunnelled\n\n")])).await;
    let (proxy, seen) = start_proxy().await;
    let client = sse_hyper::Client::builder()
        .add_root_certificate(cert_der)
        .proxy(&format!("http://user:secret@{proxy}"))
        .build();
    let version = Arc::new(Mutex::new(None));
    let on_open = version.clone();
    let events = client
        .post(&format!("https://{}/", server.addr))
        .on_open(move |response| *on_open.lock().unwrap() = Some(response.version()))
        .events();
    assert_eq!(data_without_error(events).await, ["tunnelled"]);
    let seen = seen.lock().unwrap().clone();
    let expected = format!("CONNECT {} HTTP/1.1", server.addr);
    assert_eq!(
        seen,
        [(expected, Some("Basic dXNlcjpzZWNyZXQ=".to_owned()))]
    );
    // ALPN went end to end: the server, not the proxy, chose HTTP/2.
    assert_eq!(*version.lock().unwrap(), Some(http::Version::HTTP_2));
}

#[test]
fn debug_output_keeps_the_proxy_password_out() {
    let builder = sse_hyper::Client::builder().proxy("http://user:secret@127.0.0.1:3128");
    assert!(!format!("{builder:?}").contains("secret"), "{builder:?}");
    let client = builder.build();
    assert!(!format!("{client:?}").contains("secret"), "{client:?}");
}

#[test]
#[should_panic(expected = "an http:// URL with a host")]
fn a_proxy_that_is_not_an_http_url_is_refused_when_the_client_is_built() {
    let _ = sse_hyper::Client::builder()
        .proxy("socks5://127.0.0.1:1080")
        .build();
}

/// A proxy that answers every request with `response`; returns its address
/// and the request lines it saw.
#[cfg(feature = "rustls")]
async fn refusing_proxy(response: &'static str) -> (std::net::SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let mut head = [0; 4096];
            let n = client.read(&mut head).await.unwrap_or(0);
            let text = String::from_utf8_lossy(&head[..n]);
            record
                .lock()
                .unwrap()
                .push(text.lines().next().unwrap_or("").to_owned());
            let _ = client.write_all(response.as_bytes()).await;
        }
    });
    (addr, seen)
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn a_proxy_refusing_the_tunnel_is_a_proxy_error_and_not_retried() {
    for (response, says) in [
        (
            "HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic\r\ncontent-length: 0\r\n\r\n",
            "credentials",
        ),
        (
            "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n",
            "refused",
        ),
    ] {
        let (proxy, seen) = refusing_proxy(response).await;
        let client = sse_hyper::Client::builder()
            .proxy(&format!("http://user:wrong@{proxy}"))
            .build();
        // A GET, which reconnects after a retryable error.
        let events = client.get("https://127.0.0.1:9/feed").events();
        let (_, error) = support::promptly("the error", collect_data(events)).await;
        let error = error.expect("an error");
        assert!(matches!(error, sse_hyper::Error::Proxy(_)), "{error:?}");
        assert!(!error.is_retryable());
        assert!(error.to_string().contains(says), "{error}");
        assert!(!error.to_string().contains("wrong"), "{error}");
        assert_eq!(*seen.lock().unwrap(), ["CONNECT 127.0.0.1:9 HTTP/1.1"]);
    }
}

#[tokio::test]
async fn no_proxy_star_exempts_ip_addresses_too() {
    let server = TestServer::start(|_| sse(vec![send("data: direct\n\n")])).await;
    let (proxy, seen) = start_proxy().await;
    let client = sse_hyper::Client::builder()
        .proxy(&format!("http://{proxy}"))
        .no_proxy("*")
        .build();
    let events = client.post(&server.url("/")).events();
    assert_eq!(data_without_error(events).await, ["direct"]);
    assert!(seen.lock().unwrap().is_empty());
}
