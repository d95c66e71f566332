//! Splitting pushed chunks into lines: the byte-level half of the parser.
//!
//! Handles the leading BOM, the three line ends (CRLF, LF, CR) including a CR
//! at the end of one chunk whose LF starts the next, and lines that span
//! chunks. A line inside one chunk is handed out as a borrowed slice of that
//! chunk; only a line that spans chunks is copied (once) into `partial`.

use alloc::collections::VecDeque;
use bytes::{Bytes, BytesMut};

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// What was pushed and not yet read.
#[derive(Debug)]
enum Input {
    Chunk(Bytes),
    /// The end of one stream; what follows belongs to the next.
    End,
}

/// One step of reading lines.
#[derive(Debug)]
pub(crate) enum Read<'a> {
    /// A complete line without its line end.
    Line(Line<'a>),
    /// A complete, non-empty line whose bytes were not kept (see `keep`).
    Skipped,
    /// The line being read grew past the budget; the rest of it is dropped.
    TooLong { size: usize },
    /// The stream ended; an unterminated line was dropped.
    End,
}

/// A complete line, borrowed from the chunk it lies in or from the buffer a
/// line spanning chunks was joined in.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) bytes: &'a [u8],
    /// The chunk `bytes` lies in, when the line lies inside one chunk.
    owner: Option<&'a Bytes>,
}

impl Line<'_> {
    /// Part of this line as `Bytes`: a slice of the chunk when the line lies
    /// in one, otherwise a copy.
    pub(crate) fn to_bytes(&self, part: &[u8]) -> Bytes {
        match self.owner {
            Some(chunk) if !part.is_empty() => chunk.slice_ref(part),
            _ => Bytes::copy_from_slice(part),
        }
    }
}

#[derive(Debug)]
enum Bom {
    /// At the start of a stream, this many bytes of a BOM seen so far.
    Checking(usize),
    Done,
}

#[derive(Debug)]
pub(crate) struct LineReader {
    input: VecDeque<Input>,
    /// How far into the front chunk has been read.
    pos: usize,
    /// Bytes queued in `input` and not yet read.
    queued: usize,
    /// The start of a line that spans chunks.
    partial: BytesMut,
    /// The line being read had bytes that were not kept in `partial`.
    partial_dropped: bool,
    /// The line being read is over budget: drop its bytes until its end.
    dropping: bool,
    /// `partial` was handed out as a whole line and is cleared on the next read.
    partial_returned: bool,
    /// The previous chunk ended in CR: an LF starting the next one belongs to it.
    skip_lf: bool,
    bom: Bom,
}

impl LineReader {
    pub(crate) fn new() -> Self {
        Self {
            input: VecDeque::new(),
            pos: 0,
            queued: 0,
            partial: BytesMut::new(),
            partial_dropped: false,
            dropping: false,
            partial_returned: false,
            skip_lf: false,
            bom: Bom::Checking(0),
        }
    }

    pub(crate) fn push(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.queued += chunk.len();
            self.input.push_back(Input::Chunk(chunk));
        }
    }

    pub(crate) fn push_end(&mut self) {
        self.input.push_back(Input::End);
    }

    /// Bytes held: queued input plus the start of a spanning line.
    pub(crate) fn buffered(&self) -> usize {
        self.queued + self.partial_len()
    }

    /// Bytes kept of a line that has been started and not finished.
    fn partial_len(&self) -> usize {
        if self.partial_returned {
            0
        } else {
            self.partial.len()
        }
    }

    /// Whether a line has been started and not finished.
    pub(crate) fn is_mid_line(&self) -> bool {
        self.partial_len() > 0 || self.partial_dropped || self.dropping
    }

    /// Reads the next line. `budget` bounds the bytes one line may hold; when
    /// `keep` is false, lines are only reported as blank or [`Read::Skipped`]
    /// and nothing is buffered. `None` means more input is needed.
    pub(crate) fn next_line(&mut self, budget: usize, keep: bool) -> Option<Read<'_>> {
        if self.partial_returned {
            self.partial_returned = false;
            self.partial.clear();
        }
        loop {
            let chunk = match self.input.front()? {
                Input::End => {
                    self.input.pop_front();
                    self.reset();
                    return Some(Read::End);
                }
                Input::Chunk(chunk) if self.pos == chunk.len() => {
                    self.input.pop_front();
                    self.pos = 0;
                    continue;
                }
                Input::Chunk(chunk) => chunk,
            };
            let start = self.pos;
            if self.skip_lf {
                self.skip_lf = false;
                if chunk[start] == b'\n' {
                    self.advance(1);
                    continue;
                }
            }
            if let Bom::Checking(seen) = self.bom {
                let rest = &chunk[start..];
                let n = rest.len().min(BOM.len() - seen);
                if rest[..n] == BOM[seen..seen + n] {
                    self.bom = if seen + n == BOM.len() {
                        Bom::Done
                    } else {
                        Bom::Checking(seen + n)
                    };
                    self.advance(n);
                    continue;
                }
                // Not a BOM after all: the bytes held back start the first line.
                self.bom = Bom::Done;
                self.partial.extend_from_slice(&BOM[..seen]);
            }

            let rest = &chunk[start..];
            let Some(end) = memchr::memchr2(b'\n', b'\r', rest) else {
                // The line goes on in the next chunk.
                let len = rest.len();
                let held = self.partial.len() + len;
                let mut too_long = None;
                if self.dropping {
                } else if !keep {
                    self.partial_dropped = true;
                } else if held > budget {
                    too_long = Some(held);
                    self.dropping = true;
                    self.partial.clear();
                } else {
                    self.partial.extend_from_slice(rest);
                }
                self.advance(len);
                match too_long {
                    Some(size) => return Some(Read::TooLong { size }),
                    None => continue,
                }
            };
            let ending = match (rest[end], rest.get(end + 1)) {
                (b'\r', Some(b'\n')) => 2,
                (b'\r', None) => {
                    self.skip_lf = true;
                    1
                }
                _ => 1,
            };
            self.advance(end + ending);

            let dropped = core::mem::take(&mut self.partial_dropped);
            if core::mem::take(&mut self.dropping) {
                // The rest of a line already reported as too long.
                continue;
            }
            let size = self.partial.len() + end;
            if !keep {
                self.partial.clear();
                return Some(if size == 0 && !dropped {
                    Read::Line(Line {
                        bytes: &[],
                        owner: None,
                    })
                } else {
                    Read::Skipped
                });
            }
            if size > budget {
                self.partial.clear();
                return Some(Read::TooLong { size });
            }
            // Borrow the chunk again now that the cursor has moved.
            let Some(Input::Chunk(chunk)) = self.input.front() else {
                unreachable!("the chunk just read is still at the front")
            };
            let line = &chunk[start..start + end];
            if self.partial.is_empty() {
                return Some(Read::Line(Line {
                    bytes: line,
                    owner: Some(chunk),
                }));
            }
            self.partial.extend_from_slice(line);
            self.partial_returned = true;
            return Some(Read::Line(Line {
                bytes: &self.partial,
                owner: None,
            }));
        }
    }

    /// Moves the cursor `n` bytes into the front chunk.
    fn advance(&mut self, n: usize) {
        self.pos += n;
        self.queued -= n;
    }

    /// Forgets the current stream's unfinished line; the next stream starts fresh.
    fn reset(&mut self) {
        self.partial.clear();
        self.partial_returned = false;
        self.partial_dropped = false;
        self.dropping = false;
        self.skip_lf = false;
        self.bom = Bom::Checking(0);
    }
}
