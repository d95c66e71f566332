//! Decoding a gzip-encoded event stream (feature `gzip`), frame by frame so
//! that each event is handed on as soon as its compressed bytes arrive.

use bytes::Bytes;
use http::HeaderMap;

/// Whether `headers` say the body is gzip-encoded.
pub(crate) fn is_gzip(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_ENCODING)
        .is_some_and(|v| {
            v.as_bytes().eq_ignore_ascii_case(b"gzip")
                || v.as_bytes().eq_ignore_ascii_case(b"x-gzip")
        })
}

/// A streaming gzip decoder.
#[cfg(feature = "gzip")]
pub(crate) struct Gunzip(flate2::write::GzDecoder<Vec<u8>>);

/// Without the `gzip` feature a gzip body is refused before it is read, so
/// there is never a decoder: the type has no values.
#[cfg(not(feature = "gzip"))]
pub(crate) enum Gunzip {}

impl Gunzip {
    /// A decoder if the response is gzip-encoded and the feature is on.
    pub(crate) fn for_response(headers: &HeaderMap) -> Option<Self> {
        #[cfg(feature = "gzip")]
        return is_gzip(headers).then(|| Self(flate2::write::GzDecoder::new(Vec::new())));
        #[cfg(not(feature = "gzip"))]
        {
            let _ = headers;
            None
        }
    }

    /// Decodes one compressed frame into the text it completes.
    pub(crate) fn decode(&mut self, compressed: &[u8]) -> std::io::Result<Bytes> {
        #[cfg(feature = "gzip")]
        {
            use std::io::Write;
            self.0.write_all(compressed)?;
            // Without a flush the decoder may hold output back for more input.
            self.0.flush()?;
            Ok(Bytes::from(std::mem::take(self.0.get_mut())))
        }
        #[cfg(not(feature = "gzip"))]
        {
            let _ = compressed;
            match *self {}
        }
    }
}
