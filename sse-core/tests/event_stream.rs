//! `EventStream` and `FrameStream` over a stream of chunks.
use bytes::Bytes;
use futures::{StreamExt, executor::block_on, stream};
use sse_core::{DecodeError, Decoder, EventStream, Frame, Limits, StreamError};
use std::time::Duration;

#[derive(Debug, PartialEq)]
struct Broken;

#[test]
fn transport_error_comes_after_the_events_before_it() {
    let body = stream::iter([
        Ok(Bytes::from_static(b"data: a\n\ndata: b\n\n")),
        Err(Broken),
        Ok(Bytes::from_static(b"data: c\n\n")),
    ]);
    let items: Vec<_> = block_on(EventStream::new(body).collect());
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].as_ref().unwrap().data(), "a");
    assert_eq!(items[1].as_ref().unwrap().data(), "b");
    assert!(matches!(items[2], Err(StreamError::Transport(Broken))));
    assert_eq!(items[3].as_ref().unwrap().data(), "c");
}

#[test]
fn decode_error_does_not_end_the_stream() {
    let body = stream::iter([
        Ok::<_, Broken>(&b"data: 0123456789\n\n"[..]),
        Ok(b"data: ok\n\n"),
    ]);
    let decoder = Decoder::with_limits(Limits::default().max_event_size(4));
    let items: Vec<_> = block_on(EventStream::with_decoder(body, decoder).collect());
    assert!(matches!(
        items[0],
        Err(StreamError::Decode(DecodeError::EventTooLarge {
            limit: 4,
            ..
        }))
    ));
    assert_eq!(items[1].as_ref().unwrap().data(), "ok");
    assert_eq!(items.len(), 2);
}

#[test]
fn unterminated_event_at_end_of_body_is_discarded() {
    let body = stream::iter([Ok::<_, Broken>(Bytes::from_static(b"data: a\n\ndata: b"))]);
    let items: Vec<_> = block_on(EventStream::new(body).collect());
    assert_eq!(items.len(), 1);
}

#[test]
fn accepts_any_chunk_type_convertible_to_bytes() {
    let body = stream::iter([Ok::<_, Broken>(b"data: v\n\n".to_vec())]);
    let items: Vec<_> = block_on(EventStream::new(body).collect());
    assert_eq!(items[0].as_ref().unwrap().data(), "v");
}

#[test]
fn frames_yield_comments_retry_and_events_in_order() {
    let body = stream::iter([Ok::<_, Broken>(Bytes::from_static(
        b": ping\nretry: 250\ndata: x\n\n:\n",
    ))]);
    let frames = EventStream::new(body).frames();
    let items: Vec<_> = block_on(frames.map(Result::unwrap).collect());
    assert!(matches!(&items[0], Frame::Comment(c) if c.text() == "ping"));
    assert_eq!(items[1], Frame::Retry(Duration::from_millis(250)));
    assert!(matches!(&items[2], Frame::Event(e) if e.data() == "x"));
    assert!(matches!(&items[3], Frame::Comment(c) if c.text().is_empty()));
    assert_eq!(items.len(), 4);
}

#[test]
fn stream_keeps_last_event_id_and_retry_for_a_reconnect() {
    let body = stream::iter([Ok::<_, Broken>(Bytes::from_static(
        b"id: 9\nretry: 5\ndata: x\n\n",
    ))]);
    let mut events = EventStream::new(body);
    block_on(async { while events.next().await.is_some() {} });
    let (_, decoder) = events.into_parts();
    assert_eq!(decoder.last_event_id(), "9");
    assert_eq!(decoder.retry(), Some(Duration::from_millis(5)));
}

#[test]
fn an_event_cut_off_by_a_transport_error_is_discarded_before_the_next_connection() {
    // Spec: at the end of the stream "any pending data must be discarded".
    // A caller reconnecting with `into_parts` and `with_decoder` must not
    // get the dead connection's half line glued onto the new one's first,
    // nor its `id` that no blank line applied.
    let body = stream::iter([
        Ok::<_, Broken>(Bytes::from_static(b"id: 1\ndata: a\n\nid: 2\ndata: par")),
        Err(Broken),
    ]);
    let mut events = EventStream::new(body);
    let first: Vec<_> = block_on(events.by_ref().take(2).collect());
    assert_eq!(first[0].as_ref().unwrap().data(), "a");
    assert!(matches!(first[1], Err(StreamError::Transport(Broken))));
    let (_, decoder) = events.into_parts();
    let body = stream::iter([Ok::<_, Broken>(Bytes::from_static(b"data: fresh\n\n"))]);
    let mut events = EventStream::with_decoder(body, decoder);
    let data: Vec<_> = block_on(
        events
            .by_ref()
            .map(|e| e.unwrap().data().to_owned())
            .collect(),
    );
    assert_eq!(data, ["fresh"]);
    assert_eq!(events.decoder().last_event_id(), "1");
}

#[test]
fn event_is_send_sync_clone_debug_eq() {
    fn assert_traits<T: Clone + std::fmt::Debug + PartialEq + Send + Sync>() {}
    assert_traits::<sse_core::Event>();
    assert_traits::<Frame>();
    fn assert_send<T: Send>() {}
    assert_send::<EventStream<stream::Iter<std::vec::IntoIter<Result<Bytes, Broken>>>>>();
    assert_send::<Decoder>();
}
