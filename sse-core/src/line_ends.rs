//! [`LineEnds`]: the search for the next CR or LF, with its set-up done once.

#[cfg(all(feature = "std", target_arch = "x86_64"))]
use memchr::arch::x86_64::avx2::memchr::Two;

/// Finds the next CR or LF.
///
/// `memchr::memchr2` picks its implementation and loads its needles into
/// vector registers on every call, through a function pointer. A decoder
/// searches once per line, and most lines are short, so that set-up is done
/// once per process here instead: memchr's AVX2 searcher, made the first
/// time when the CPU has AVX2 (2-13% on every workload of `benches/`). Each
/// decoder keeps a reference to it: a copy of the searcher (160 bytes) showed
/// in the memory of an idle connection, and looking it up on every search
/// cost 2-3%. Without `std` (no CPU feature detection) or AVX2, this is
/// `memchr2`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineEnds {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    avx2: Option<&'static Two>,
}

impl LineEnds {
    pub(crate) fn new() -> Self {
        Self {
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            avx2: {
                static SEARCHER: std::sync::OnceLock<Option<Two>> = std::sync::OnceLock::new();
                SEARCHER.get_or_init(|| Two::new(b'\n', b'\r')).as_ref()
            },
        }
    }

    /// The position of the first CR or LF in `haystack`.
    #[inline]
    pub(crate) fn find(self, haystack: &[u8]) -> Option<usize> {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if let Some(avx2) = self.avx2 {
            return avx2.find(haystack);
        }
        memchr::memchr2(b'\n', b'\r', haystack)
    }
}

#[cfg(test)]
mod tests {
    use super::LineEnds;
    use alloc::vec;

    #[test]
    fn finds_the_first_line_end_at_every_length_and_position() {
        let ends = LineEnds::new();
        for len in 0..100 {
            let plain = vec![b'x'; len];
            assert_eq!(ends.find(&plain), None, "{len}");
            for at in 0..len {
                for end in [b'\n', b'\r'] {
                    let mut bytes = plain.clone();
                    bytes[at] = end;
                    if at + 1 < len {
                        bytes[len - 1] = b'\n';
                    }
                    assert_eq!(ends.find(&bytes), Some(at), "{len} {at}");
                }
            }
        }
    }
}
