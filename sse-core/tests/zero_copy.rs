//! Payloads are slices of the pushed chunks; spanning lines are copied once.
use bytes::Bytes;
use sse_core::{Decoder, Limits};

fn lies_within(part: &[u8], whole: &[u8]) -> bool {
    let whole = whole.as_ptr_range();
    let part = part.as_ptr_range();
    whole.start <= part.start && part.end <= whole.end
}

#[test]
fn single_data_line_inside_one_chunk_is_a_slice_of_that_chunk() {
    let chunk = Bytes::from(b"event: tok\nid: 1\ndata: {\"delta\":\"hi\"}\n\n".to_vec());
    let mut decoder = Decoder::new();
    decoder.push(chunk.clone());
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.data(), "{\"delta\":\"hi\"}");
    assert!(lies_within(event.data_bytes(), &chunk), "data was copied");
    assert_eq!((event.event_type(), event.id()), ("tok", "1"));
}

#[test]
fn id_and_type_are_copied_so_that_the_chunk_can_be_reused() {
    // A slice of the chunk in the last event ID would keep the chunk's whole
    // buffer alive until the next `id`; hyper cannot reuse its read buffer
    // until then.
    let chunk = Bytes::from(b"event: tok\nid: 1\ndata: x\n\n".to_vec());
    let mut decoder = Decoder::new();
    decoder.push(chunk.clone());
    let event = decoder.next_event().unwrap().unwrap();
    assert!(!lies_within(event.event_type().as_bytes(), &chunk));
    assert!(!lies_within(event.id().as_bytes(), &chunk));
    drop(event);
    assert!(decoder.next_event().unwrap().is_none());
    assert!(
        chunk.is_unique(),
        "the decoder still holds part of the chunk"
    );
    assert_eq!(decoder.last_event_id(), "1");
}

#[test]
fn events_after_the_first_share_one_copy_of_a_persisting_id() {
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(
        b"id: 7\ndata: a\n\ndata: b\n\ndata: c\n\nid: 8\ndata: d\n\ndata: e\n\n",
    ));
    let mut events = Vec::new();
    while let Some(event) = decoder.next_event().unwrap() {
        events.push(event);
    }
    let ids: Vec<_> = events.iter().map(sse_core::Event::id).collect();
    assert_eq!(ids, ["7", "7", "7", "8", "8"]);
    let at = |i: usize| events[i].id().as_ptr();
    assert_ne!(at(0), at(1), "the first event's ID is its own copy");
    assert_eq!(at(1), at(2), "later events share one");
    assert_ne!(at(2), at(3), "a new ID is a new copy");
    assert_eq!(decoder.last_event_id(), "8");
}

#[test]
fn multi_line_data_is_joined_into_a_new_buffer() {
    let chunk = Bytes::from(b"data: a\ndata: b\n\n".to_vec());
    let mut decoder = Decoder::new();
    decoder.push(chunk.clone());
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.data(), "a\nb");
    assert!(!lies_within(event.data_bytes(), &chunk));
}

#[test]
fn multi_line_events_held_together_share_one_joined_buffer() {
    // One allocation serves several multi-line events: each one's data is
    // split off the front of the buffer the next one is joined in.
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from_static(
        b"data: a\ndata: b\n\ndata: c\ndata: d\n\n",
    ));
    let first = decoder.next_event().unwrap().unwrap();
    let second = decoder.next_event().unwrap().unwrap();
    assert_eq!((first.data(), second.data()), ("a\nb", "c\nd"));
    let end_of_first = first.data_bytes().as_ptr_range().end;
    assert_eq!(
        second.data_bytes().as_ptr(),
        end_of_first,
        "a second allocation"
    );
}

#[test]
fn held_multi_line_events_keep_their_data_while_the_buffer_is_reused() {
    // Every third event is kept, the others dropped at once, over far more
    // than one buffer's worth: the decoder takes buffers back only once no
    // event holds part of them, so nothing kept is overwritten.
    let mut decoder = Decoder::new();
    let mut kept = Vec::new();
    for n in 0..2_000 {
        let text = format!("data: {n:04} first line\ndata: {n:04} second\n\n");
        decoder.push(Bytes::from(text));
        let event = decoder.next_event().unwrap().unwrap();
        assert_eq!(event.data(), format!("{n:04} first line\n{n:04} second"));
        if n % 3 == 0 {
            kept.push((n, event));
        }
    }
    for (n, event) in kept {
        assert_eq!(event.data(), format!("{n:04} first line\n{n:04} second"));
    }
}

#[test]
fn held_ids_and_types_keep_their_text_while_their_buffer_is_reused() {
    // Far more than one buffer's worth of IDs and types, every third event
    // kept: the buffer they are copied into is taken back only once no
    // event holds part of it.
    let mut decoder = Decoder::new();
    let mut kept = Vec::new();
    for n in 0..3_000 {
        decoder.push(Bytes::from(format!(
            "event: type {n}\nid: id {n}\ndata: x\n\n"
        )));
        let event = decoder.next_event().unwrap().unwrap();
        if n % 3 == 0 {
            kept.push((n, event));
        }
    }
    for (n, event) in kept {
        assert_eq!(
            (event.event_type(), event.id()),
            (&*format!("type {n}"), &*format!("id {n}"))
        );
    }
}

#[test]
fn a_big_multi_line_event_leaves_its_buffer_to_the_event() {
    // The decoder keeps a buffer for joining small events only: a big one's
    // is the event's alone, freed with it.
    let line = "x".repeat(40 * 1024);
    let mut decoder = Decoder::new();
    decoder.push(Bytes::from(format!("data: {line}\ndata: {line}\n\n")));
    let big = decoder.next_event().unwrap().unwrap().into_data_bytes();
    assert_eq!(big.len(), 2 * line.len() + 1);
    assert!(big.is_unique(), "the decoder still holds the big buffer");
    decoder.push(Bytes::from_static(b"data: a\ndata: b\n\n"));
    let small = decoder.next_event().unwrap().unwrap().into_data_bytes();
    assert_eq!(small, "a\nb");
    assert!(
        !small.is_unique(),
        "small events share the decoder's buffer"
    );
}

#[test]
fn data_line_spanning_chunks_is_correct_and_not_a_slice() {
    let first = Bytes::from(b"data: hel".to_vec());
    let second = Bytes::from(b"lo\n\n".to_vec());
    let mut decoder = Decoder::new();
    decoder.push(first.clone());
    decoder.push(second.clone());
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.data(), "hello");
    assert!(!lies_within(event.data_bytes(), &first) && !lies_within(event.data_bytes(), &second));
}

#[test]
fn short_lines_spanning_chunks_held_together_share_one_buffer() {
    // A token stream in small chunks: each event's line spans two chunks.
    // The lines are joined one after another in one buffer, which serves
    // several of them, rather than in a buffer each.
    let mut decoder = Decoder::new();
    let mut held = Vec::new();
    for n in 0..4 {
        decoder.push(Bytes::from(format!("data: token {n} is a ")));
        decoder.push(Bytes::from_static(b"short line\n\n"));
        let event = decoder.next_event().unwrap().unwrap();
        assert_eq!(event.data(), format!("token {n} is a short line"));
        held.push(event);
    }
    for pair in held.windows(2) {
        // Each line is joined whole, field name included.
        let next_line = pair[0].data_bytes().as_ptr_range().end as usize;
        assert_eq!(
            pair[1].data_bytes().as_ptr() as usize,
            next_line + b"data: ".len(),
            "a buffer for each line"
        );
    }
}

#[test]
fn tokens_spanning_chunks_drained_as_they_arrive_share_one_buffer_and_keep_their_fields() {
    // A token stream read as it arrives: each chunk is drained before the
    // next is pushed, so the end of each `data` line and its blank line are
    // read together from the chunk the line ends in.
    let mut decoder = Decoder::new();
    let mut held = Vec::new();
    let pieces: [(&str, &[u8]); 4] = [
        ("id: 7\nevent: delta\ndata: first ", b"token\n\n"),
        ("data: second ", b"tok\xFFen\r\n\r\n"),
        ("data:  third ", b"token\n\ndata: fo"),
        ("urth ", b"token\n\n"),
    ];
    for (start, end) in pieces {
        decoder.push(Bytes::from(start));
        if let Some(event) = decoder.next_event().unwrap() {
            held.push(event);
        }
        decoder.push(Bytes::from_static(end));
        held.push(decoder.next_event().unwrap().unwrap());
        assert!(decoder.next_event().unwrap().is_none());
    }
    let fields: Vec<_> = held
        .iter()
        .map(|event| (event.event_type(), event.data(), event.id()))
        .collect();
    assert_eq!(
        fields,
        [
            ("delta", "first token", "7"),
            ("message", "second tok\u{FFFD}en", "7"),
            ("message", " third token", "7"),
            ("message", "fourth token", "7"),
        ]
    );
    // Valid lines are handed out as they were joined, one after another.
    let (first, third) = (held[0].data_bytes(), held[2].data_bytes());
    assert_eq!(
        third.as_ptr() as usize,
        first.as_ptr_range().end as usize + b"data: second tok\xFFen".len() + b"data: ".len(),
        "not joined in the shared buffer"
    );
}

#[test]
fn long_line_pushed_one_byte_at_a_time() {
    // No clock here: work quadratic in the line (searching or copying it
    // again on every byte) would take hours on 64 MiB and time the run out;
    // linear work takes about a second. The speed itself is measured by the
    // benches (`llm-small/1B`).
    let len = 64 << 20;
    let mut decoder = Decoder::with_limits(Limits::unbounded());
    decoder.push(Bytes::from_static(b"data: "));
    let byte = Bytes::from_static(b"x");
    for pushed in 1..=len {
        decoder.push(byte.clone());
        assert!(decoder.next_event().unwrap().is_none());
        if pushed % (1 << 20) == 0 {
            // The line is held once, not once per chunk.
            assert!(decoder.buffered_len() <= pushed + "data: ".len());
        }
    }
    decoder.push(Bytes::from_static(b"\n\n"));
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.data().len(), len);
}
