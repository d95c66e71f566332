//! Inputs the fuzz targets in `fuzz/` found, each named for the rule it broke.
//! The minimized fuzz input is quoted above each test.
mod common;
use bytes::Bytes;
use common::{decode_chunks, ev};
use sse_core::{DecodeError, Decoder, Limits};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn with_limit(limit: usize) -> Decoder {
    Decoder::with_limits(Limits::default().max_event_size(limit))
}

// fuzz/limits, limit 0: `data\ndata\n\n` was delivered as an event with data
// "\n", one byte over the limit. An empty `data` line adds a line break to
// the data but its empty value passes the size check, and once the event is
// at the limit the budget stays at zero, which an empty value never exceeds.
#[test]
fn event_of_empty_data_lines_over_the_limit_is_skipped() {
    let decoded = decode_chunks(&mut with_limit(0), &[b"data\ndata\n\ndata\n\n"]);
    assert_eq!(decoded.events, [ev("message", "", "")]);
    assert!(
        matches!(
            decoded.errors[..],
            [DecodeError::EventTooLarge { limit: 0, .. }]
        ),
        "{:?}",
        decoded.errors
    );
}

// fuzz/decode and fuzz/limits, limit 3, after the path that copies a
// multi-line event's spanning `data` line from where it lies: once the event
// was at the limit, an empty `data` line ending in the chunk after its start
// was taken, because the room for its line break was counted as zero
// instead of as missing ("y\nx\n" delivered under a limit of 3).
#[test]
fn empty_spanning_data_line_at_the_limit_is_skipped_with_its_event() {
    let chunks: [&[u8]; 3] = [b"data: y\nda", b"ta:", b"\n\ndata: z\n\n"];
    let decoded = decode_chunks(&mut with_limit(1), &chunks);
    assert_eq!(decoded.events, [ev("message", "z", "")]);
    assert!(
        matches!(
            decoded.errors[..],
            [DecodeError::EventTooLarge { limit: 1, .. }]
        ),
        "{:?}",
        decoded.errors
    );
}

// The same, as memory: every empty `data` line of one event is kept (and
// counted by `buffered_len`), however many arrive.
#[test]
fn empty_data_lines_do_not_grow_the_decoder_past_the_limit() {
    const LIMIT: usize = 4;
    const LINE: &[u8] = b"data\n";
    let mut decoder = with_limit(LIMIT);
    let mut peak = 0;
    for _ in 0..1000 {
        decoder.push(Bytes::from_static(LINE));
        while let Ok(Some(_)) = decoder.next_event() {}
        peak = peak.max(decoder.buffered_len());
    }
    assert!(
        peak <= LIMIT + LINE.len() + "event: ".len(),
        "buffered_len reached {peak} with a limit of {LIMIT}"
    );
}

// fuzz/limits, limit 8: `data:b d \xEF\xBB\xFFhd\nid::\n\n` left the last
// event ID empty instead of ":". Once an event crosses the limit, the rest of
// its lines are skipped unread, so an `id` (or `retry`) after the crossing is
// lost, while one before it applies: whether the ID survives depends on where
// in the event it stands, and every later event carries a stale ID (a
// reconnect then resumes from the wrong place). `limits.rs` documents that
// `id` and `retry` lines do not count toward the limit.
#[test]
fn id_after_the_line_that_crosses_the_limit_still_sets_the_last_event_id() {
    let after = decode_chunks(&mut with_limit(4), &[b"data: 12345\nid: 7\n\ndata: ok\n\n"]);
    let before = decode_chunks(&mut with_limit(4), &[b"id: 7\ndata: 12345\n\ndata: ok\n\n"]);
    assert_eq!(before.events, [ev("message", "ok", "7")]);
    assert_eq!(after.events, before.events);
    assert_eq!(after.last_event_id, "7");
    assert_eq!(after.errors.len(), 1);
}

#[test]
fn retry_after_the_line_that_crosses_the_limit_still_applies() {
    let decoded = decode_chunks(&mut with_limit(4), &[b"data: 12345\nretry: 10\n\n"]);
    assert_eq!(decoded.retry, Some(Duration::from_millis(10)));
    assert_eq!(decoded.errors.len(), 1);
}

/// A chunk that counts, while it lives, its bytes in `live`.
struct CountedChunk {
    bytes: Vec<u8>,
    live: Arc<AtomicUsize>,
}

impl CountedChunk {
    fn bytes(bytes: Vec<u8>, live: &Arc<AtomicUsize>) -> Bytes {
        live.fetch_add(bytes.len(), Ordering::Relaxed);
        Bytes::from_owner(Self {
            bytes,
            live: live.clone(),
        })
    }
}

impl AsRef<[u8]> for CountedChunk {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for CountedChunk {
    fn drop(&mut self) {
        self.live.fetch_sub(self.bytes.len(), Ordering::Relaxed);
    }
}

// Found while writing fuzz/limits (its `buffered_len` bound cannot see it):
// a `data` line that lies inside one chunk is kept as a slice of that chunk,
// which keeps the whole chunk alive until the event is dispatched, while only
// the line counts toward the limit. A server that puts a one-byte data line
// in every chunk of padding (comments) makes the decoder hold every byte it
// sends in one event, limit or not: with the default 16 MiB limit, about
// 8 GiB at 1 KiB of padding per data line.
#[test]
fn memory_kept_for_one_event_stays_within_the_limit_plus_one_chunk() {
    const LIMIT: usize = 1024;
    const CHUNK: usize = 4096;
    let live = Arc::new(AtomicUsize::new(0));
    let mut decoder = with_limit(LIMIT);
    let mut peak = 0;
    for _ in 0..200 {
        // One data line, then comments (each shorter than the limit) to fill the chunk.
        let mut chunk = b"data: x\n".to_vec();
        while chunk.len() < CHUNK {
            let comment = (CHUNK - chunk.len()).min(512);
            chunk.push(b':');
            chunk.resize(chunk.len() + comment - 2, b'.');
            chunk.push(b'\n');
        }
        decoder.push(CountedChunk::bytes(chunk, &live));
        while let Ok(Some(_)) = decoder.next_event() {}
        peak = peak.max(live.load(Ordering::Relaxed));
    }
    assert!(
        peak <= LIMIT + CHUNK + "event: ".len(),
        "the decoder kept {peak} bytes of chunks alive for one event with a limit of {LIMIT} \
         (buffered_len says {})",
        decoder.buffered_len()
    );
}
