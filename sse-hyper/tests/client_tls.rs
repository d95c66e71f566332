//! HTTPS through rustls against a self-signed certificate, HTTP/2 through ALPN.
#![cfg(feature = "rustls")]
mod support;
use std::sync::Arc;
use support::{TestServer, data_without_error, expect_outcome, send, sse};

/// Starts an HTTPS server on 127.0.0.1 with a fresh self-signed certificate;
/// returns it and the certificate (DER).
async fn start_tls_server() -> (TestServer, Vec<u8>) {
    let (acceptor, cert_der) = support::self_signed_acceptor();
    let server = TestServer::start_tls(acceptor, |_| sse(vec![send("data: secure\n\n")])).await;
    (server, cert_der)
}

#[tokio::test]
async fn tls_with_a_self_signed_root_added_speaks_http2() {
    let (server, cert) = start_tls_server().await;
    let client = sse_hyper::Client::builder()
        .add_root_certificate(cert)
        .build();
    let version = Arc::new(std::sync::Mutex::new(None));
    let seen = version.clone();
    let data = data_without_error(
        client
            .post(&format!("https://{}/", server.addr))
            .on_open(move |response| *seen.lock().unwrap() = Some(response.version()))
            .events(),
    )
    .await;
    assert_eq!(data, ["secure"]);
    assert_eq!(*version.lock().unwrap(), Some(http::Version::HTTP_2));
}

#[tokio::test]
async fn untrusted_certificate_is_a_tls_error_and_not_retried() {
    let (server, _) = start_tls_server().await;
    let error = expect_outcome!(
        sse_hyper::Client::new()
            .get(&format!("https://{}/", server.addr))
            .spawn(),
        sse_hyper::Outcome::Failed(error) => error
    );
    assert!(matches!(error, sse_hyper::Error::Tls(_)), "{error:?}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn the_connect_timeout_covers_a_tls_handshake_that_never_ends() {
    // Accepts the TCP connection, then says nothing: no handshake.
    let server = TestServer::start_silent().await;
    let url = server.url("/").replacen("http://", "https://", 1);
    let client = sse_hyper::Client::builder()
        .connect_timeout(Some(std::time::Duration::from_millis(200)))
        .build();
    let request = client.get(&url).reconnect(false).spawn();
    let outcome = support::promptly("the connect timeout", request).await;
    assert!(
        matches!(outcome, sse_hyper::Outcome::Failed(sse_hyper::Error::ConnectTimeout(d)) if d.as_millis() == 200),
        "{outcome:?}"
    );
}
