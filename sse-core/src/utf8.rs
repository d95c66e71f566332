//! Bytes to text with one fast check: the crate's one `unsafe` block.
//!
//! Every value the decoder hands out is a `ByteString`, a slice of the input
//! checked to be UTF-8. `bytestring`'s safe constructor checks with
//! `<[u8]>::is_ascii`, whose tail loop goes byte by byte: on an LLM stream's
//! 150-200 byte `data` lines that loop alone took a sixth of the decoder's
//! time. The check here reads a word at a time to the end, and falls back to
//! `core::str::from_utf8` for text that is not ASCII; the constructor is then
//! the unchecked one. The `decode` fuzz target checks every string the
//! decoder hands out against `core::str::from_utf8`.
#![allow(unsafe_code)]

use bytes::Bytes;
use bytestring::ByteString;

/// `bytes` as text, or back unchanged when they are not UTF-8.
#[allow(clippy::inline_always)] // see `decoder::text`
#[inline(always)]
pub(crate) fn text(bytes: Bytes) -> Result<ByteString, Bytes> {
    if !is_ascii(&bytes) && !is_utf8_after_ascii(&bytes) {
        return Err(bytes);
    }
    // SAFETY: the bytes were just checked to be ASCII or, failing that,
    // UTF-8, and the contents of a `Bytes` never change.
    Ok(unsafe { ByteString::from_bytes_unchecked(bytes) })
}

/// Whether `bytes`, known not to be ASCII, are UTF-8: checked from the first
/// eight-byte word with a high bit, since everything before it is ASCII and
/// so ends on a character boundary. A token stream's rare non-ASCII line
/// has its one accented word near the end: checking it from the start cost
/// 290 instructions a line, most of them spent on the ASCII prefix.
#[cold]
fn is_utf8_after_ascii(bytes: &[u8]) -> bool {
    let ascii_words = bytes
        .chunks_exact(8)
        .take_while(|eight| eight.is_ascii())
        .count();
    core::str::from_utf8(&bytes[ascii_words * 8..]).is_ok()
}

/// Whether no byte has its high bit set, eight bytes at a time and without
/// an early exit, so that the loop compiles to plain vector ORs. A call of
/// its own, returning a flag in a register, keeps its loop out of the
/// decoder's inlined paths.
#[inline(never)]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let word = |eight: &[u8]| u64::from_ne_bytes(eight.try_into().expect("eight bytes"));
    if bytes.len() < 8 {
        return bytes.iter().all(u8::is_ascii);
    }
    let mut words = bytes.chunks_exact(8);
    let mut seen = 0;
    for eight in &mut words {
        seen |= word(eight);
    }
    // The last eight bytes, overlapping the words already read.
    seen |= word(&bytes[bytes.len() - 8..]);
    seen & HIGH_BITS == 0
}

#[cfg(test)]
mod tests {
    use super::{is_ascii, text};
    use alloc::vec;
    use bytes::Bytes;

    #[test]
    fn ascii_is_told_apart_at_every_length_and_position() {
        for len in 0..80 {
            let ascii = vec![b'a'; len];
            assert!(is_ascii(&ascii), "{len}");
            for at in 0..len {
                let mut high = ascii.clone();
                high[at] = 0x80;
                assert!(!is_ascii(&high), "{len} {at}");
            }
        }
    }

    #[test]
    fn utf8_is_checked_from_the_first_word_that_is_not_ascii() {
        // A multi-byte character, broken or whole, at every offset around
        // the word boundaries.
        for prefix in 0..20 {
            for (tail, valid) in [
                (&b"\xC3\xA9"[..], true),
                (b"\xF0\x9F\xA6\x80 ok", true),
                (b"\xC3", false),
                (b"\xA9", false),
                (b"\xE2\x82 x", false),
            ] {
                let mut input = vec![b'a'; prefix];
                input.extend_from_slice(tail);
                let expected = core::str::from_utf8(&input).is_ok();
                assert_eq!(expected, valid, "{prefix} {tail:?}");
                let bytes = Bytes::from(input);
                assert_eq!(text(bytes.clone()).is_ok(), valid, "{prefix} {tail:?}");
            }
        }
    }

    #[test]
    fn utf8_becomes_text_without_a_copy() {
        for input in ["", "ascii only", "é€🦀 and more text after it"] {
            let bytes = Bytes::from_static(input.as_bytes());
            let text = text(bytes.clone()).expect("UTF-8");
            assert_eq!(&*text, input);
            assert_eq!(text.as_bytes().as_ptr(), bytes.as_ptr());
        }
    }

    #[test]
    fn invalid_utf8_comes_back_unchanged() {
        for bad in [&b"\xFF"[..], b"ok\xC3", b"\xE2\x82 cut", b"\xED\xA0\x80"] {
            let bytes = Bytes::copy_from_slice(bad);
            assert_eq!(text(bytes.clone()), Err(bytes));
        }
    }
}
