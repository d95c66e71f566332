//! Allocations per event and peak heap per decoder, printed as a table.
//!
//! `cargo bench -p sse-benches --bench memory`
//!
//! A counting global allocator sees every allocation. Each decoder reads the
//! workload in chunks that are allocated as they arrive (as a network stack
//! hands them over) and drops each event as soon as it has it, so:
//!
//! - *allocations per event* counts the decoder's allocations (and
//!   reallocations), not the chunks', divided by the events decoded;
//! - *peak bytes* is the most heap held at once above what was held before
//!   the run: the chunks the decoder still holds, its buffers, and the one
//!   event being handed out.

use sse_benches::{Arriving, DRIVERS, Tally, matrix, size_label};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// A global allocator cannot be written without `unsafe`; this one only adds
// bookkeeping around `System` and passes every call through unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        grew(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        grew(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: as for `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one run cost: allocations made and the peak heap above the start.
struct Cost {
    allocations: u64,
    peak: usize,
}

fn measure(run: impl FnOnce() -> Tally) -> (Tally, Cost) {
    let start = LIVE.load(Relaxed);
    PEAK.store(start, Relaxed);
    let allocations = ALLOCATIONS.load(Relaxed);
    let tally = run();
    let cost = Cost {
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
        peak: PEAK.load(Relaxed) - start,
    };
    (tally, cost)
}

fn main() {
    // `cargo bench` passes `--bench`; a name filters the workloads.
    let filter = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .unwrap_or_default();
    println!("| workload | chunk | API | decoder | allocations / event | peak bytes |");
    println!("|---|---|---|---|--:|--:|");
    for (workload, size) in matrix() {
        let row = format!("{}/{}", workload.name, size_label(size));
        if !row.contains(&filter) {
            continue;
        }
        let arriving = Arriving::new(workload.bytes.clone(), size);
        // The chunks' own allocations, one each, are not the decoder's.
        let (_, chunks) = measure(|| {
            arriving.clone().for_each(drop);
            Tally::default()
        });
        for driver in DRIVERS.iter().filter(|d| d.api != "reference") {
            let (tally, cost) = measure(|| (driver.run_arriving)(arriving.clone()));
            assert_eq!(
                tally, workload.expected,
                "{} {} on {row}",
                driver.api, driver.decoder
            );
            #[allow(clippy::cast_precision_loss)] // counts far below 2^52
            let per_event = (cost.allocations - chunks.allocations) as f64 / tally.events as f64;
            println!(
                "| {} | {} | {} | {} | {per_event:.3} | {} |",
                workload.name,
                size_label(size),
                driver.api,
                driver.decoder,
                cost.peak
            );
        }
    }
}
