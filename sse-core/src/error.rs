//! The errors a decoder and a decoding stream report.

use core::fmt;

/// Why the decoder could not deliver an event.
///
/// Decoding never fails on malformed text: invalid UTF-8 becomes U+FFFD and
/// unknown lines are ignored, as the specification says. The only errors are
/// limits being crossed. After an error the decoder has already skipped the
/// offending event and keeps going: call [`next_event`](crate::Decoder::next_event)
/// again to get the events that follow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// One event held more bytes than [`Limits::max_event_size`](crate::Limits::max_event_size)
    /// allows. The event was discarded up to its closing blank line.
    EventTooLarge {
        /// The configured limit in bytes.
        limit: usize,
        /// How many bytes the event held when the limit was crossed
        /// (the whole event may be larger).
        size: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EventTooLarge { limit, size } => write!(
                f,
                "event too large: it reached {size} bytes, over the limit of {limit} bytes, \
                 and was skipped; raise Limits::max_event_size if the server legitimately \
                 sends events this large"
            ),
        }
    }
}

impl core::error::Error for DecodeError {}

/// An error from an [`EventStream`](crate::EventStream): either the byte
/// stream underneath failed, or decoding crossed a limit.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError<E> {
    /// The byte stream underneath returned an error. The event stream passes
    /// it on and keeps polling the byte stream, which usually ends next.
    Transport(E),
    /// The decoder skipped an event; the stream continues with the next one.
    Decode(DecodeError),
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(error) => write!(f, "reading the event stream failed: {error}"),
            Self::Decode(error) => error.fmt(f),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Transport(error) => Some(error),
            Self::Decode(error) => Some(error),
        }
    }
}

impl<E> From<DecodeError> for StreamError<E> {
    fn from(error: DecodeError) -> Self {
        Self::Decode(error)
    }
}
