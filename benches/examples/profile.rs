//! Runs one decoder on one workload, for a profiler.
//!
//! ```sh
//! cargo build --profile bench -p sse-benches --example profile
//! valgrind --tool=callgrind --toggle-collect='*sse_benches*run*' \
//!     target/release/examples/profile llm 4096 stream sse-core
//! ```
//!
//! Arguments: workload (`llm`, `llm-small`, `big`, `multiline`, `comments`),
//! chunk size in bytes, API (`stream`, `decoder`, `reference`), decoder name
//! as in the tables; optionally a number of runs (default 1). Prints what
//! was decoded and the fastest run's wall time.

use sse_benches::{DRIVERS, Driver, Tally, chunks, matrix};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (workload, size, api, decoder, runs) = match &args[..] {
        [workload, size, api, decoder] => (workload, size, api, decoder, 1),
        [workload, size, api, decoder, runs] => (
            workload,
            size,
            api,
            decoder,
            runs.parse().expect("a number of runs"),
        ),
        _ => {
            eprintln!("usage: profile WORKLOAD CHUNK_SIZE API DECODER [RUNS]");
            std::process::exit(2);
        }
    };
    let size: usize = size.parse().expect("a chunk size in bytes");
    let (workload, _) = matrix()
        .into_iter()
        .find(|(w, _)| w.name == workload)
        .expect("a workload name");
    let driver = DRIVERS
        .iter()
        .find(|d| d.api == api && d.decoder == decoder)
        .expect("an API and decoder name");
    let chunks = chunks(&workload.bytes, size);
    let mut fastest = None;
    let mut tally = Tally::default();
    for _ in 0..runs {
        let owned = chunks.clone();
        let start = Instant::now();
        tally = run(driver, owned);
        let elapsed = start.elapsed();
        fastest = Some(fastest.map_or(elapsed, |f: std::time::Duration| f.min(elapsed)));
    }
    let fastest = fastest.expect("at least one run");
    #[allow(clippy::cast_precision_loss)] // sizes far below 2^52
    let mb_per_s = workload.bytes.len() as f64 / fastest.as_secs_f64() / 1e6;
    eprintln!(
        "{tally:?} (expected {:?}) in {fastest:?}, {mb_per_s:.0} MB/s",
        workload.expected,
    );
}

/// Kept out of line so that a profiler can collect this call alone.
#[inline(never)]
fn run(driver: &Driver, chunks: Vec<bytes::Bytes>) -> Tally {
    black_box((driver.run)(black_box(chunks)))
}
