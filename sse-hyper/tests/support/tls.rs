//! A TLS acceptor with a fresh self-signed certificate for 127.0.0.1,
//! offering HTTP/2 and HTTP/1.1 through ALPN, for [`TestServer::start_tls`](super::TestServer::start_tls).

use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// The acceptor, and the certificate (DER) for the client to trust.
pub fn self_signed_acceptor() -> (TlsAcceptor, Vec<u8>) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let cert_der = certified.cert.der().to_vec();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone().into()], key)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    (TlsAcceptor::from(Arc::new(config)), cert_der)
}
