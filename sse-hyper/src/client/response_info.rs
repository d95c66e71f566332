//! [`ResponseInfo`]: what `on_open` learns of the response that opened a
//! stream.

use http::{HeaderMap, StatusCode, Uri, Version};

/// The status line and headers of a response that opened a stream.
#[derive(Clone, Debug)]
pub struct ResponseInfo {
    pub(crate) status: StatusCode,
    pub(crate) version: Version,
    pub(crate) headers: HeaderMap,
    pub(crate) url: Uri,
    /// Where the redirects led, when there were any.
    pub(crate) redirected_to: Option<Uri>,
}

impl ResponseInfo {
    /// The status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The HTTP version the connection speaks.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The URL that was requested (before any redirect).
    pub fn url(&self) -> &Uri {
        &self.url
    }

    /// The URL the response came from: where the redirects led, or the one
    /// requested when there were none. Reconnects start again from
    /// [`url`](Self::url), as `EventSource` does.
    pub fn final_url(&self) -> &Uri {
        self.redirected_to.as_ref().unwrap_or(&self.url)
    }
}
