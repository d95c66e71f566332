//! Splitting pushed chunks into lines: the byte-level half of the parser.
//!
//! Handles the leading BOM, the three line ends (CRLF, LF, CR) including a CR
//! at the end of one chunk whose LF starts the next, and lines that span
//! chunks. A line inside one chunk is handed out as a borrowed slice of that
//! chunk; only a line that spans chunks is copied (once) into `partial`, and
//! handed out as a slice of that.

use alloc::collections::VecDeque;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use bytestring::ByteString;

use crate::decoder::lossy;
use crate::line_ends::LineEnds;
use crate::utf8;

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// The least room made for lines that span chunks: short lines (tokens in
/// small chunks) then share a buffer, and making room for the next one is a
/// check rather than a call that takes the buffer back (64-byte chunks:
/// 4% fewer instructions, `Decoder` +4-10%; 512 bytes gained half as much).
const SPANNING_CAPACITY: usize = 1024;

/// What was pushed and not yet read.
#[derive(Debug)]
enum Input {
    Chunk(Bytes),
    /// The end of one stream; what follows belongs to the next.
    End,
}

/// What a line over budget, which starts with `held` and goes on with
/// `rest`, is. Such a line is longer than any field name and its colon, so
/// its first bytes tell, whatever the chunking.
fn kind_of(held: &[u8], rest: &[u8]) -> LineKind {
    let mut start = [0; 8];
    let from_held = held.len().min(start.len());
    start[..from_held].copy_from_slice(&held[..from_held]);
    let from_rest = rest.len().min(start.len() - from_held);
    start[from_held..from_held + from_rest].copy_from_slice(&rest[..from_rest]);
    let start = &start[..from_held + from_rest];
    if start.first() == Some(&b':') {
        return LineKind::Comment;
    }
    // Without a colon in the first eight bytes, the name is longer than any
    // the spec knows.
    let name = start
        .iter()
        .position(|&byte| byte == b':')
        .map_or(start, |colon| &start[..colon]);
    match name {
        b"data" | b"event" | b"id" | b"retry" => LineKind::Field,
        _ => LineKind::UnknownField,
    }
}

/// What kind of line a line too long to hold was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// A comment: ignored, and no part of an event.
    Comment,
    /// A field the spec ignores: part of an event, but dropping it loses
    /// nothing.
    UnknownField,
    /// `data`, `event`, `id` or `retry`.
    Field,
}

/// One step of reading lines.
#[derive(Debug)]
pub(crate) enum Read<'a> {
    /// A complete line without its line end.
    Line(Line<'a>),
    /// The line being read grew past the budget; the rest of it is dropped.
    TooLong { size: usize, kind: LineKind },
    /// The stream ended; an unterminated line was dropped.
    End,
    /// Comment lines were passed over (with `skip_comments`).
    SkippedComments,
}

/// A complete line, borrowed from the chunk it lies in or from the buffer a
/// line spanning chunks was joined in.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) bytes: &'a [u8],
    /// The chunk `bytes` lies in; `None` when it is the joined line.
    owner: Option<&'a Bytes>,
    /// The next line, already in the chunk, is a `data` field.
    pub(crate) data_follows: bool,
}

impl Line<'_> {
    /// The line spanned chunks: it lies in a buffer of the reader's, which
    /// [`LineReader::take_joined`] hands over.
    pub(crate) fn is_joined(&self) -> bool {
        self.owner.is_none()
    }

    /// Part of this line as `Bytes`: a slice of the chunk it lies in, or a
    /// copy of part of a joined line (use [`LineReader::take_joined`] to
    /// take one without a copy).
    #[inline]
    pub(crate) fn to_bytes(&self, part: &[u8]) -> Bytes {
        match self.owner {
            _ if part.is_empty() => Bytes::new(),
            Some(chunk) => {
                // `Bytes::slice_ref`, whose call is not inlined across crates.
                let start = part.as_ptr() as usize - chunk.as_ptr() as usize;
                chunk.slice(start..start + part.len())
            }
            None => Bytes::copy_from_slice(part),
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
    line_ends: LineEnds,
    /// The chunk being read. It is taken off `input` while it is read and
    /// dropped as soon as it has been read to its end, so that the buffer it
    /// lies in can be reused (hyper reuses its read buffer only once every
    /// chunk split off it has been dropped).
    current: Bytes,
    /// How far into `current` has been read.
    pos: usize,
    /// What was pushed after `current`.
    input: VecDeque<Input>,
    /// Bytes in `current` and `input` not yet read.
    queued: usize,
    /// The start of a line that spans chunks.
    partial: BytesMut,
    /// The line being read is over budget: drop its bytes until its end.
    dropping: bool,
    /// The line being dropped is a comment.
    dropping_comment: bool,
    /// `partial` holds the last line handed out, which spanned chunks. It is
    /// cleared on the next read, so that the buffer is reused in place, unless
    /// [`take_joined`](Self::take_joined) splits the line off first: then
    /// `partial` goes on filling the rest of its buffer and takes the whole
    /// buffer back once the events sliced from it are dropped. Either way a
    /// steady stream costs no allocation, and a line the decoder copies (a
    /// second `data` line, an `id`) costs no reference count either.
    line_in_partial: bool,
    /// The length of the last line that spanned chunks.
    spanning_len: usize,
    /// The previous chunk ended in CR: an LF starting the next one belongs to it.
    skip_lf: bool,
    /// A fast path searched `current` from this position on already, and
    /// found the next line end at `found_end` (relative to it) or none: the
    /// general path need not search again.
    searched_from: usize,
    found_end: Option<usize>,
    bom: Bom,
}

impl LineReader {
    pub(crate) fn new() -> Self {
        Self {
            line_ends: LineEnds::new(),
            current: Bytes::new(),
            pos: 0,
            input: VecDeque::new(),
            queued: 0,
            partial: BytesMut::new(),
            dropping: false,
            dropping_comment: false,
            line_in_partial: false,
            spanning_len: 0,
            skip_lf: false,
            searched_from: usize::MAX,
            found_end: None,
            bom: Bom::Checking(0),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        self.queued += chunk.len();
        if self.pos == self.current.len() && self.input.is_empty() {
            // Skips a trip through the queue, the common case of a stream.
            self.current = chunk;
            self.pos = 0;
            self.searched_from = usize::MAX;
        } else {
            self.input.push_back(Input::Chunk(chunk));
        }
    }

    pub(crate) fn push_end(&mut self) {
        self.input.push_back(Input::End);
    }

    /// Bytes held: queued input plus the start of a spanning line.
    pub(crate) fn buffered(&self) -> usize {
        // A line handed out is the decoder's to count, as it was before it
        // was joined in `partial`.
        self.queued
            + if self.line_in_partial {
                0
            } else {
                self.partial.len()
            }
    }

    /// Whether a line has been started and not finished.
    #[inline]
    pub(crate) fn is_mid_line(&self) -> bool {
        (!self.partial.is_empty() && !self.line_in_partial) || self.dropping
    }

    /// Whether a line that may belong to an event (not a comment) has been
    /// started and not finished.
    pub(crate) fn is_mid_field_line(&self) -> bool {
        if self.dropping {
            return !self.dropping_comment;
        }
        !self.line_in_partial && self.partial.first().is_some_and(|&byte| byte != b':')
    }

    /// Reads the next line. `budget` bounds the bytes one line may hold. With
    /// `skip_comments`, comment lines within a
    /// chunk are passed over here (a keep-alive then costs a search and no
    /// round trip through the decoder). `None` means more input is needed.
    // Inlined into the decoder's loop: returning the line through memory
    // stalled on store forwarding (7% of a stream of short lines).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn next_line(&mut self, budget: usize, skip_comments: bool) -> Option<Read<'_>> {
        self.release_line();
        loop {
            if self.pos == self.current.len() {
                // Release the chunk read to its end before anything else.
                self.current = Bytes::new();
                self.pos = 0;
                self.searched_from = usize::MAX;
                match self.input.pop_front()? {
                    Input::Chunk(chunk) => self.current = chunk,
                    Input::End => {
                        self.reset();
                        return Some(Read::End);
                    }
                }
            }
            let chunk = &self.current;
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
            // A blank line ends every event: spare it the search.
            let found = match rest[0] {
                b'\n' | b'\r' => Some(0),
                _ if start == self.searched_from => {
                    self.searched_from = usize::MAX;
                    self.found_end
                }
                // Tiny chunks (a byte at a time) cost less to scan inline
                // than to hand to memchr.
                _ if rest.len() < 16 => rest.iter().position(|&b| b == b'\n' || b == b'\r'),
                b':' if skip_comments => self.keep_alive_end(rest),
                _ => self.line_ends.find(rest),
            };
            let Some(end) = found else {
                // The line goes on in the next chunk.
                let len = rest.len();
                let held = self.partial.len() + len;
                let mut too_long = None;
                if self.dropping {
                } else if held > budget {
                    let kind = kind_of(&self.partial, rest);
                    too_long = Some((held, kind));
                    self.dropping = true;
                    self.dropping_comment = kind == LineKind::Comment;
                    self.partial.clear();
                } else {
                    let wanted = self.spanning_len.max(len);
                    if self.partial.is_empty() && self.partial.capacity() < wanted {
                        // Room for a line as long as the last one that
                        // spanned chunks, made while there is nothing to
                        // move: `partial` then takes back its whole buffer
                        // (if no event still holds part of it) rather than
                        // moving a half-read line to its start. At least
                        // `SPANNING_CAPACITY`, so that several short lines
                        // share one buffer and this runs once for them all.
                        self.partial.reserve(wanted.max(SPANNING_CAPACITY));
                    }
                    self.partial.extend_from_slice(rest);
                }
                self.advance(len);
                match too_long {
                    Some((size, kind)) => return Some(Read::TooLong { size, kind }),
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

            if core::mem::take(&mut self.dropping) {
                // The rest of a line already reported as too long.
                continue;
            }
            let size = self.partial.len() + end;
            if size > budget {
                let kind = kind_of(&self.partial, &self.current[start..start + end]);
                self.partial.clear();
                return Some(Read::TooLong { size, kind });
            }
            if self.partial.is_empty() && skip_comments && end > 0 && self.current[start] == b':' {
                // The rest of a run of keep-alives, in a tight loop.
                self.skip_comments();
                return Some(Read::SkippedComments);
            }
            let chunk = &self.current;
            let line = &chunk[start..start + end];
            if self.partial.is_empty() {
                return Some(Read::Line(Line {
                    bytes: line,
                    owner: Some(chunk),
                    data_follows: chunk[self.pos..].starts_with(b"data:"),
                }));
            }
            self.partial.extend_from_slice(line);
            self.spanning_len = self.partial.len();
            self.line_in_partial = true;
            return Some(Read::Line(Line {
                bytes: &self.partial,
                owner: None,
                data_follows: self.current[self.pos..].starts_with(b"data:"),
            }));
        }
    }

    /// The fast path of a line spanning many small chunks: when the line
    /// being read goes on past the end of the current chunk and nothing else
    /// is queued, appends the chunk to it and lets the chunk go, sparing
    /// `next_line`'s checks (64 KiB events in 64-byte chunks: +23%). Returns
    /// whether it did; otherwise reads nothing, and leaves what it found for
    /// `next_line`.
    #[allow(clippy::inline_always)] // runs once per chunk, mostly in full
    #[inline(always)]
    pub(crate) fn continue_line(&mut self, budget: impl FnOnce() -> usize) -> bool {
        if self.partial.is_empty() || self.dropping || !self.input.is_empty() {
            return false;
        }
        let start = self.pos;
        let rest = &self.current[start..];
        if rest.is_empty() {
            return false;
        }
        let found = if rest.len() < 16 {
            rest.iter().position(|&b| b == b'\n' || b == b'\r')
        } else {
            self.line_ends.find(rest)
        };
        if found.is_some() || self.partial.len() + rest.len() > budget() {
            self.searched_from = start;
            self.found_end = found;
            return false;
        }
        if let [byte] = *rest {
            // A server that trickles a byte at a time: a store rather than
            // a call to memcpy.
            self.partial.put_u8(byte);
        } else {
            self.partial.extend_from_slice(rest);
        }
        self.queued -= rest.len();
        self.current = Bytes::new();
        self.pos = 0;
        true
    }

    /// Where the line held in `partial` ends, as (start of the current
    /// chunk's unread bytes, offset of the line end from there), when
    /// [`continue_line`](Self::continue_line) has just found it and nothing
    /// has been read since; `None` otherwise.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn joined_line_end(&self) -> Option<(usize, usize)> {
        let start = self.pos;
        if start != self.searched_from || self.dropping || self.line_in_partial {
            return None;
        }
        Some((start, self.found_end?))
    }

    /// [`line_then_blank`](Self::line_then_blank) for a line that spans
    /// chunks: right after [`continue_line`](Self::continue_line) found
    /// where the line held in `partial` ends in the current chunk, and that
    /// line starts with `prefix` and is followed by a blank line, reads both
    /// and returns the line without `prefix`, split off `partial`. Anything
    /// else reads nothing. `budget` bounds the line without `prefix`.
    // Inlined: it runs once per line that spans chunks, which in small
    // chunks is nearly every event.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn joined_then_blank(&mut self, prefix: &[u8], budget: usize) -> Option<Bytes> {
        let (start, end) = self.joined_line_end()?;
        let held = self.partial.len();
        if !self.partial.starts_with(prefix) || held + end - prefix.len() > budget {
            return None;
        }
        let rest = &self.current[start..];
        let after = &rest[end..];
        let ending = if after.starts_with(b"\n\n") {
            2
        } else if after.starts_with(b"\r\n\r\n") {
            4
        } else {
            return None;
        };
        self.partial.extend_from_slice(&rest[..end]);
        self.spanning_len = held + end;
        self.searched_from = usize::MAX;
        self.advance(end + ending);
        let mut line = self.partial.split().freeze();
        // Cheaper on `Bytes` than on `BytesMut`, which re-encodes its offset.
        line.advance(prefix.len());
        Some(line)
    }

    /// For the `data` lines of a multi-line event, which are copied anyway:
    /// right after [`continue_line`](Self::continue_line) found where the
    /// line held in `partial` ends in the current chunk, and that line is a
    /// `data` field whose value (without its one leading space) is no
    /// longer than `budget`, reads it and hands out its value in two parts,
    /// the one held and the one in the chunk, to be copied; the line's end
    /// is not copied into `partial` first. With `data_must_follow`, only
    /// when the next line, already in the chunk, is a `data` field too.
    /// Anything else reads nothing.
    // Inlined into its one caller, the decoder's small-chunk path.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn joined_data_value(
        &mut self,
        budget: usize,
        data_must_follow: bool,
    ) -> Option<(&[u8], &[u8])> {
        let (start, end) = self.joined_line_end()?;
        let held = self.partial.strip_prefix(b"data:")?;
        let rest = &self.current[start..];
        let (held_space, rest_space) = match held.first() {
            Some(&byte) => (usize::from(byte == b' '), 0),
            None => (0, usize::from(end > 0 && rest[0] == b' ')),
        };
        if held.len() - held_space + end - rest_space > budget {
            return None;
        }
        let ending = if rest[end..].starts_with(b"\r\n") {
            2
        } else {
            1
        };
        let next = &rest[end + ending..];
        if data_must_follow && !next.starts_with(b"data:") {
            return None;
        }
        // A CR that ends the chunk: its LF may start the next one.
        self.skip_lf = ending == 1 && rest[end] == b'\r' && next.is_empty();
        self.spanning_len = self.partial.len() + end;
        self.searched_from = usize::MAX;
        self.advance(end + ending);
        // Cleared on the next read, once the value has been copied.
        self.line_in_partial = true;
        Some((
            &self.partial[b"data:".len() + held_space..],
            &self.current[start + rest_space..start + end],
        ))
    }

    /// The value of the next line, when it is a `data` field that ends in
    /// the current chunk and whose value (without its one leading space) is
    /// no longer than `budget`: read, and handed out to be copied. Anything
    /// else reads nothing. For the lines after the first of a multi-line
    /// event, which are copied anyway.
    // Inlined into its one loop: multi-line events 2-6% faster (the profile
    // example's best of 100, and criterion, interleaved).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn next_data_value(&mut self, budget: usize) -> Option<&[u8]> {
        if !self.partial.is_empty() || self.dropping || self.skip_lf {
            return None;
        }
        let start = self.pos;
        let after = self.current.get(start..)?.strip_prefix(b"data:")?;
        let Some(end) = self.line_ends.find(after) else {
            // The prefix holds no line end either.
            self.searched_from = start;
            self.found_end = None;
            return None;
        };
        let space = usize::from(after.first() == Some(&b' ') && end > 0);
        if end - space > budget {
            return None;
        }
        let ending = match (after[end], after.get(end + 1)) {
            (b'\r', Some(b'\n')) => 2,
            // Its LF may start the next chunk.
            (b'\r', None) => return None,
            _ => 1,
        };
        self.advance(b"data:".len() + end + ending);
        let value = start + b"data:".len() + space;
        Some(&self.current[value..start + b"data:".len() + end])
    }

    /// Where the line starting `rest`, a comment to skip, ends: most often a
    /// short keep-alive, so its end is looked for in the first 16 bytes
    /// inline before memchr is called (comment-heavy streams: +10%).
    #[inline]
    fn keep_alive_end(&self, rest: &[u8]) -> Option<usize> {
        let head = &rest[..rest.len().min(16)];
        match head.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(end) => Some(end),
            None if rest.len() > 16 => self.line_ends.find(&rest[16..]).map(|end| end + 16),
            None => None,
        }
    }

    /// Passes over the comment lines (keep-alives) at the reader's position,
    /// right after [`next_line`](Self::next_line) passed over one, so that the
    /// event after them can still take the fast path
    /// ([`line_then_blank`](Self::line_then_blank)). Stops at anything else,
    /// and at a comment that does not plainly end in the current chunk, which
    /// is left to `next_line`.
    fn skip_comments(&mut self) {
        debug_assert!(self.partial.is_empty() && !self.dropping && matches!(self.bom, Bom::Done));
        if self.skip_lf {
            return; // The comment passed over ended the chunk with a CR.
        }
        loop {
            let rest = &self.current[self.pos..];
            if rest.first() != Some(&b':') {
                return;
            }
            let Some(end) = self.keep_alive_end(rest) else {
                return;
            };
            let ending = match (rest[end], rest.get(end + 1)) {
                (b'\r', Some(b'\n')) => 2,
                // Its LF may start the next chunk.
                (b'\r', None) => return,
                _ => 1,
            };
            self.advance(end + ending);
        }
    }

    /// The fast path of a token stream: when the reader stands at the start
    /// of a line in the current chunk, and that line starts with `prefix`,
    /// ends within the chunk and is followed by a blank line (`\n\n` or
    /// `\r\n\r\n`), reads both lines and returns the first one without
    /// `prefix`. Anything else (a line spanning chunks, a lone CR, a BOM
    /// still to check, a line over `budget`) reads nothing and returns
    /// `None`, leaving it to [`next_line`](Self::next_line). `budget` bounds
    /// the line without `prefix`.
    // Inlined: it runs on every call, and mostly returns at once.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn line_then_blank(
        &mut self,
        prefix: &[u8],
        budget: usize,
    ) -> Option<(usize, usize)> {
        if !self.partial.is_empty()
            || self.dropping
            || self.skip_lf
            || !matches!(self.bom, Bom::Done)
        {
            return None;
        }
        let start = self.pos;
        let rest = self.current.get(start..)?;
        if !rest.starts_with(prefix) {
            return None;
        }
        let Some(len) = self.line_ends.find(&rest[prefix.len()..]) else {
            // The prefix holds no line end either.
            self.searched_from = start;
            self.found_end = None;
            return None;
        };
        if len > budget {
            return None;
        }
        let end = prefix.len() + len;
        let after = &rest[end..];
        let ending = if after.starts_with(b"\n\n") {
            2
        } else if after.starts_with(b"\r\n\r\n") {
            4
        } else {
            return None;
        };
        self.advance(end + ending);
        Some((start + prefix.len(), start + end))
    }

    /// The bytes of the current chunk from `start` to `end`.
    #[inline]
    pub(crate) fn in_current(&self, start: usize, end: usize) -> &[u8] {
        &self.current[start..end]
    }

    /// The bytes of the current chunk from `start` to `end` as text,
    /// sliced from the chunk.
    #[allow(clippy::inline_always)] // see `decoder::text`
    #[inline(always)]
    pub(crate) fn text_in_current(&self, start: usize, end: usize) -> ByteString {
        if start == end {
            return ByteString::new();
        }
        utf8::text(self.current.slice(start..end))
            .unwrap_or_else(|_| lossy(&self.current[start..end]))
    }

    /// The last line read, which spanned chunks, from byte `start` on as
    /// text. Taken rather than sliced: this spares a reference count
    /// increment and decrement on every such line.
    pub(crate) fn take_joined(&mut self, start: usize) -> ByteString {
        debug_assert!(self.line_in_partial, "no joined line to take");
        self.line_in_partial = false;
        if start == self.partial.len() {
            // Not a slice of the buffer: that would keep it from being reused.
            self.partial.clear();
            return ByteString::new();
        }
        let mut line = self.partial.split().freeze();
        // Cheaper on `Bytes` than on `BytesMut`, which re-encodes its offset.
        line.advance(start);
        utf8::text(line).unwrap_or_else(|line| lossy(&line))
    }

    /// Lets go of the last line handed out, if it was joined in `partial`.
    #[inline]
    pub(crate) fn release_line(&mut self) {
        if core::mem::take(&mut self.line_in_partial) {
            self.partial.clear();
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
        self.line_in_partial = false;
        self.dropping = false;
        self.dropping_comment = false;
        self.skip_lf = false;
        self.bom = Bom::Checking(0);
    }
}
