//! [`AbortHandle`]: stop a request from anywhere, at any stage.

use atomic_waker::AtomicWaker;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Context;

/// Aborts an event source: while it connects, while it waits to reconnect,
/// or mid-stream. Cheap to clone and to send to other threads.
///
/// Abort takes effect at the event source's next poll: the connection is
/// dropped (which closes it), no further event is delivered, and with the
/// callback API `on_abort` runs exactly once. Calling it again does nothing.
#[derive(Clone, Debug, Default)]
pub struct AbortHandle {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    aborted: AtomicBool,
    waker: AtomicWaker,
}

impl AbortHandle {
    /// A handle that has not been aborted, to give to requests with
    /// [`RequestBuilder::abort_handle`](crate::RequestBuilder::abort_handle)
    /// before they start.
    pub fn new() -> Self {
        Self::default()
    }

    /// Aborts. Idempotent.
    pub fn abort(&self) {
        if !self.inner.aborted.swap(true, Ordering::AcqRel) {
            self.inner.waker.wake();
        }
    }

    /// Whether [`abort`](Self::abort) has been called.
    pub fn is_aborted(&self) -> bool {
        self.inner.aborted.load(Ordering::Acquire)
    }

    /// Arranges for `cx` to be woken on abort; returns whether already aborted.
    pub(crate) fn register(&self, cx: &Context<'_>) -> bool {
        self.inner.waker.register(cx.waker());
        self.is_aborted()
    }
}
