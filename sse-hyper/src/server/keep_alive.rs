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
            sleep.as_mut().reset(deadline(self.interval));
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
        sleep.as_mut().reset(deadline(interval));
        Poll::Ready(())
    }
}

/// `interval` from now. An interval too long to add to the clock (say
/// `Duration::MAX`, for "never") is a deadline far enough away: tokio's own
/// `sleep` takes it as about 30 years.
fn deadline(interval: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(interval)
        .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365 * 30))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sse_core::EventBuilder;

    #[tokio::test]
    async fn an_interval_too_long_for_the_clock_means_never() {
        let mut keep_alive = KeepAlive::new(Duration::MAX);
        let due = std::future::poll_fn(|cx| Poll::Ready(keep_alive.poll_due(cx))).await;
        assert!(due.is_pending());
        // Each event resets the timer: this used to overflow the clock.
        keep_alive.reset();
        let due = std::future::poll_fn(|cx| Poll::Ready(keep_alive.poll_due(cx))).await;
        assert!(due.is_pending());
    }

    #[test]
    fn keep_alive_is_the_encoding_of_a_comment() {
        assert_eq!(
            KEEP_ALIVE_COMMENT,
            EventBuilder::new().comment("keep-alive").to_bytes()
        );
    }
}
