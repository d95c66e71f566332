//! The keep-alive timer: a comment after each interval of silence.

use bytes::Bytes;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use tokio::time::{Instant, Sleep};

/// What a keep-alive sends: a comment, which readers skip, ending with a
/// blank line like any block.
pub(crate) const KEEP_ALIVE_COMMENT: Bytes = Bytes::from_static(b": keep-alive\n\n");

/// Fires once per `interval` in which nothing was sent.
#[derive(Debug)]
pub(crate) struct KeepAlive {
    interval: Duration,
    /// Made on first use, inside the runtime that polls the body, so that a
    /// body can be built where no runtime is running.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl KeepAlive {
    pub(crate) fn new(interval: Duration) -> Self {
        Self {
            interval,
            sleep: None,
        }
    }

    /// Something was sent: the silence starts again now.
    pub(crate) fn reset(&mut self) {
        if let Some(sleep) = &mut self.sleep {
            sleep.as_mut().reset(Instant::now() + self.interval);
        }
    }

    /// Ready when the interval has passed in silence; the next interval
    /// starts then. Registers `cx` to be woken when it passes.
    pub(crate) fn poll_due(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let interval = self.interval;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(interval)));
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        sleep.as_mut().reset(Instant::now() + interval);
        Poll::Ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sse_core::EventBuilder;

    #[test]
    fn keep_alive_is_the_encoding_of_a_comment() {
        assert_eq!(
            KEEP_ALIVE_COMMENT,
            EventBuilder::new().comment("keep-alive").to_bytes()
        );
    }
}
