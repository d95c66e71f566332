//! A connector with a deadline on the whole connection, TLS handshake
//! included: hyper-util's connect timeout covers the TCP connect only, so a
//! server that accepts and then never answers the handshake held a request
//! (and, with no response timeout, the stream) forever.

use http::Uri;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `inner`, failing with an `io::ErrorKind::TimedOut` error (which the
/// client reports as `Error::ConnectTimeout`) once `timeout` has passed.
#[derive(Clone, Debug)]
pub(crate) struct Deadline<C> {
    pub(crate) inner: C,
    pub(crate) timeout: Option<Duration>,
}

impl<C> Service<Uri> for Deadline<C>
where
    C: Service<Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let Some(timeout) = self.timeout else {
            return Box::pin(async move { connecting.await.map_err(Into::into) });
        };
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(connected) => connected.map_err(Into::into),
                Err(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the connection, TLS handshake included, took longer than the connect timeout",
                )
                .into()),
            }
        })
    }
}
