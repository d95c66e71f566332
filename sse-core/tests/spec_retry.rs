//! WHATWG 9.2.6: the `retry` field.
mod common;
use common::decode;
use std::time::Duration;

fn retry_of(input: &[u8]) -> Option<Duration> {
    decode(input).retry
}

#[test]
fn retry_with_ascii_digits_sets_the_reconnection_time() {
    assert_eq!(retry_of(b"retry: 3000\n\n"), Some(Duration::from_secs(3)));
    assert_eq!(retry_of(b"retry:0\n\n"), Some(Duration::ZERO));
}

#[test]
fn retry_with_anything_but_digits_is_ignored() {
    for input in [
        &b"retry: 10abc\n\n"[..],
        b"retry: -1\n\n",
        b"retry: +5\n\n",
        b"retry: 1.5\n\n",
        b"retry:  5\n\n",
        b"retry: 5 \n\n",
        b"retry\n\n",
        b"retry:\n\n",
        b"retry: \xD9\xA3\n\n", // ARABIC-INDIC DIGIT THREE is not an ASCII digit
    ] {
        assert_eq!(
            retry_of(input),
            None,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn invalid_retry_keeps_the_previous_value() {
    assert_eq!(
        retry_of(b"retry: 7\n\nretry: x\n\n"),
        Some(Duration::from_millis(7))
    );
}

#[test]
fn retry_block_without_data_still_updates_retry() {
    let decoded = decode(b"retry: 42\n\n");
    assert!(decoded.events.is_empty());
    assert_eq!(decoded.retry, Some(Duration::from_millis(42)));
}

#[test]
fn retry_applies_immediately_even_in_an_unterminated_block() {
    // The spec sets the reconnection time when the field is processed, not at dispatch.
    assert_eq!(
        retry_of(b"retry: 9\ndata: x"),
        Some(Duration::from_millis(9))
    );
}

#[test]
fn retry_overflow_saturates_without_panicking() {
    let huge = format!("retry: {}\n\n", "9".repeat(100));
    assert_eq!(
        retry_of(huge.as_bytes()),
        Some(Duration::from_millis(u64::MAX))
    );
}
