//! A global allocator that counts allocations while a measurement asks it to.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};

/// The system allocator, counting calls (`alloc`, `alloc_zeroed` and
/// `realloc`) and requested bytes while [`start`] is in effect. Off, it costs
/// one relaxed load per call, so the timed runs are not slowed.
pub(crate) struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CALLS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated and not yet freed while counting (may go negative when
/// memory allocated before [`start`] is freed).
static LIVE: AtomicI64 = AtomicI64::new(0);

fn count(size: usize, freed: usize) {
    if COUNTING.load(Relaxed) {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(size as u64, Relaxed);
        LIVE.fetch_add(size as i64 - freed as i64, Relaxed);
    }
}

// SAFETY: every call is passed on to `System` unchanged; counting does not
// allocate.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 0);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 0);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size, layout.size());
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as i64, Relaxed);
        }
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocation calls and bytes counted since [`start`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Allocations {
    pub(crate) calls: u64,
    pub(crate) bytes: u64,
    /// Bytes still allocated at [`stop`] that were allocated after [`start`].
    pub(crate) live: i64,
}

/// Zeroes the counters and starts counting (all threads of this process).
pub(crate) fn start() {
    CALLS.store(0, Relaxed);
    BYTES.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
}

/// Stops counting and returns what was counted since [`start`].
pub(crate) fn stop() -> Allocations {
    COUNTING.store(false, Relaxed);
    Allocations {
        calls: CALLS.load(Relaxed),
        bytes: BYTES.load(Relaxed),
        live: LIVE.load(Relaxed),
    }
}
