//! How much one event may hold before the decoder gives up on it.

/// Bounds on the memory a [`Decoder`](crate::Decoder) holds for one event.
///
/// The decoder counts the bytes it keeps for the event being built: its
/// `data` lines, its `event` type and the line it is still reading. Comments,
/// `id` and `retry` lines are consumed as they arrive and do not count, but a
/// line is buffered while it spans chunks, so no line may be longer than what
/// the event has left of the limit (plus the few bytes of a field name),
/// whatever the chunking. So the decoder never holds more than the limit,
/// plus the chunk being read, a field name, the last event ID and an `id`
/// not yet applied.
///
/// A comment or a field the spec ignores that is longer than that is
/// dropped, and the event around it goes on. An event over the limit loses
/// its `data` and `event` fields; its `id` and `retry` fields still apply,
/// wherever they stand in it (unless such a line is itself longer than the
/// limit allows: its value is then unknown, and the event is reported as
/// too large).
///
/// ```
/// use sse_core::{Decoder, Limits};
///
/// let decoder = Decoder::with_limits(Limits::default().max_event_size(1024 * 1024));
/// assert_eq!(decoder.limits().event_size(), Some(1024 * 1024));
/// assert_eq!(Limits::unbounded().event_size(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `usize::MAX` when unbounded (no event can reach it): one word rather
    /// than an `Option`'s two keeps the decoder, and so every spawned client
    /// task holding one, small.
    max_event_size: usize,
}

impl Limits {
    /// The default bound on one event: 16 MiB, enough for large LLM tool
    /// outputs and small enough that a broken server cannot exhaust memory.
    pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

    /// No bound at all: a server that never ends an event can make the
    /// decoder buffer without limit. Only for trusted peers.
    pub const fn unbounded() -> Self {
        Self {
            max_event_size: usize::MAX,
        }
    }

    /// Sets the largest number of bytes one event may hold.
    ///
    /// An event over it is skipped whole and reported as
    /// [`DecodeError::EventTooLarge`](crate::DecodeError::EventTooLarge).
    #[must_use]
    pub const fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// The bound on one event in bytes, or `None` when unbounded (a bound
    /// of `usize::MAX` is none).
    pub const fn event_size(&self) -> Option<usize> {
        match self.max_event_size {
            usize::MAX => None,
            bytes => Some(bytes),
        }
    }

    /// How many more bytes an event holding `held` may take.
    #[inline]
    pub(crate) const fn room_after(self, held: usize) -> usize {
        self.max_event_size.saturating_sub(held)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_event_size: Self::DEFAULT_MAX_EVENT_SIZE,
        }
    }
}
