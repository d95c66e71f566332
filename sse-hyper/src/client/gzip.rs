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

/// A streaming gzip decoder. Multi-member: a gzip stream is a series of
/// members (RFC 1952 2.2), and a server may end one per event to flush it.
#[cfg(feature = "gzip")]
pub(crate) struct Gunzip(flate2::write::MultiGzDecoder<Vec<u8>>);

/// Without the `gzip` feature a gzip body is refused before it is read, so
/// there is never a decoder: the type has no values.
#[cfg(not(feature = "gzip"))]
pub(crate) enum Gunzip {}

impl Gunzip {
    /// A decoder if the response is gzip-encoded and the feature is on.
    pub(crate) fn for_response(headers: &HeaderMap) -> Option<Self> {
        #[cfg(feature = "gzip")]
        return is_gzip(headers).then(|| Self(flate2::write::MultiGzDecoder::new(Vec::new())));
        #[cfg(not(feature = "gzip"))]
        {
            let _ = headers;
            None
        }
    }

    /// Decodes one compressed frame into the text it completes. On corrupt
    /// input, also the text decoded before the corruption, so that the
    /// events in it are not lost with the error.
    pub(crate) fn decode(&mut self, compressed: &[u8]) -> (Bytes, Option<std::io::Error>) {
        #[cfg(feature = "gzip")]
        {
            use std::io::Write;
            // Without a flush the decoder may hold output back for more input.
            let error = self
                .0
                .write_all(compressed)
                .and_then(|()| self.0.flush())
                .err();
            (Bytes::from(std::mem::take(self.0.get_mut())), error)
        }
        #[cfg(not(feature = "gzip"))]
        {
            let _ = compressed;
            match *self {}
        }
    }
}

#[cfg(all(test, feature = "gzip"))]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn member(text: &str) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    fn gunzip() -> Gunzip {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::CONTENT_ENCODING, "gzip".parse().unwrap());
        Gunzip::for_response(&headers).unwrap()
    }

    #[test]
    fn members_split_anywhere_decode_to_their_text() {
        let first = member("data: a\n\n");
        let body = [first.clone(), member("data: b\n\n")].concat();
        for split in 0..=body.len() {
            let mut gunzip = gunzip();
            let (text, error) = gunzip.decode(&body[..split]);
            assert!(error.is_none(), "split at {split}: {error:?}");
            let mut text = text.to_vec();
            if split >= first.len() {
                assert!(text.starts_with(b"data: a\n\n"), "split at {split}");
            }
            let (rest, error) = gunzip.decode(&body[split..]);
            assert!(error.is_none(), "split at {split}: {error:?}");
            text.extend_from_slice(&rest);
            assert_eq!(text, b"data: a\n\ndata: b\n\n", "split at {split}");
        }
    }
}
