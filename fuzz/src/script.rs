//! The input format of the `decode`, `limits` and `stream` targets: a few
//! header bytes that say how to cut the input and how to read it, then the
//! stream's bytes.
//!
//! ```text
//! byte 0        bits 0-3: n, the length of the cutting plan (0-15)
//!               bit 4:    a small limit follows
//!               bit 5:    read with next_frame (comments, retry) instead of next_event
//! [limit]       one byte, the limit in bytes (0-255), if bit 4 is set
//! plan          n bytes, used in a cycle until the input is used up:
//!                 1-253  push the next that many bytes as one chunk
//!                 0      push an empty chunk
//!                 254    pause: `decode` pushes the next chunk without draining
//!                        first, `stream` returns `Poll::Pending` once
//!                 255    break: `decode` and `limits` end the stream there
//!                        (`finish`, then a new stream), `stream` injects a
//!                        transport error
//! rest          the bytes of the event stream
//! ```
//!
//! So a seed is the header byte `\x00` followed by plain `text/event-stream`
//! text (pushed in one chunk), and the same file is a valid input for each of
//! the three targets.

use arbitrary::{Arbitrary, Unstructured};
use sse_core::Limits;

/// A chunked event stream and how to read it.
#[derive(Clone, Debug)]
pub struct Script<'a> {
    /// A small event size limit, or `None` for the default (16 MiB, which
    /// fuzz inputs never reach).
    pub limit: Option<usize>,
    /// Read with `next_frame` rather than `next_event`.
    pub frames: bool,
    plan: &'a [u8],
    /// The bytes of the event stream(s), before cutting.
    pub bytes: &'a [u8],
}

/// One step of feeding a script to a decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// Push these bytes as one chunk (possibly empty).
    Push(&'a [u8]),
    /// See the module docs: target-specific.
    Pause,
    /// See the module docs: target-specific.
    Break,
}

const EMPTY: u8 = 0;
const PAUSE: u8 = 254;
const BREAK: u8 = 255;

impl<'a> Arbitrary<'a> for Script<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let header: u8 = u.arbitrary()?;
        let limit = if header & 0x10 == 0 {
            None
        } else {
            Some(usize::from(u.arbitrary::<u8>()?))
        };
        let plan_len = usize::from(header & 0x0F).min(u.len());
        Ok(Self {
            limit,
            frames: header & 0x20 != 0,
            plan: u.bytes(plan_len)?,
            bytes: u.bytes(u.len())?,
        })
    }
}

impl<'a> Script<'a> {
    /// Reads a script from a fuzz input. Every input is a valid script.
    pub fn parse(data: &'a [u8]) -> Self {
        Self::arbitrary_take_rest(Unstructured::new(data)).expect("every input is a script")
    }

    /// The limits to decode with.
    pub fn limits(&self) -> Limits {
        self.limit.map_or_else(Limits::default, |limit| {
            Limits::default().max_event_size(limit)
        })
    }

    /// The steps: the plan repeated until every byte is pushed. A plan that
    /// cuts nothing pushes all bytes as one chunk.
    pub fn steps(&self) -> Vec<Step<'a>> {
        let cuts = self
            .plan
            .iter()
            .any(|&byte| !matches!(byte, EMPTY | PAUSE | BREAK));
        if !cuts {
            return vec![Step::Push(self.bytes)];
        }
        let mut steps = Vec::new();
        let mut pos = 0;
        loop {
            for &byte in self.plan {
                steps.push(match byte {
                    EMPTY => Step::Push(&[]),
                    PAUSE => Step::Pause,
                    BREAK => Step::Break,
                    size => {
                        let end = (pos + usize::from(size)).min(self.bytes.len());
                        let chunk = &self.bytes[pos..end];
                        pos = end;
                        Step::Push(chunk)
                    }
                });
                if pos == self.bytes.len() && matches!(steps.last(), Some(Step::Push(_))) {
                    return steps;
                }
            }
        }
    }

    /// The bytes of each stream, when `Break` ends a stream.
    pub fn streams(&self) -> Vec<&'a [u8]> {
        let mut streams = Vec::new();
        let (mut start, mut end) = (0, 0);
        for step in self.steps() {
            match step {
                Step::Push(chunk) => end += chunk.len(),
                Step::Pause => {}
                Step::Break => {
                    streams.push(&self.bytes[start..end]);
                    start = end;
                }
            }
        }
        streams.push(&self.bytes[start..end]);
        streams
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_after_a_zero_header_is_one_chunk() {
        let script = Script::parse(b"\x00data: x\n\n");
        assert_eq!(script.limit, None);
        assert_eq!(script.steps(), [Step::Push(b"data: x\n\n")]);
    }

    #[test]
    fn plan_is_used_in_a_cycle_with_markers() {
        let script = Script::parse(b"\x33\x07\x02\xFF\x00abcde");
        assert_eq!(script.limit, Some(7));
        assert!(script.frames);
        assert_eq!(
            script.steps(),
            [
                Step::Push(b"ab"),
                Step::Break,
                Step::Push(b""),
                Step::Push(b"cd"),
                Step::Break,
                Step::Push(b""),
                Step::Push(b"e"),
            ]
        );
        assert_eq!(script.streams(), [&b"ab"[..], b"cd", b"e"]);
    }

    #[test]
    fn empty_input_is_one_empty_chunk() {
        assert_eq!(Script::parse(b"").steps(), [Step::Push(b"")]);
        assert_eq!(Script::parse(b"\x01\x05").steps(), [Step::Push(b"")]);
    }
}
