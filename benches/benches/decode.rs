//! Decoding throughput: `sse-core` against the other SSE decoders on
//! crates.io, on the same chunks in the same run.
//!
//! One group per workload and chunk size (`llm/4KiB`), one benchmark per
//! decoder and API (`stream/sseer`, `decoder/sse-core`), plus two references
//! (`reference/memchr line count`, `reference/copy`). Throughput is in
//! bytes; `cargo run -p sse-benches --bin report` turns the results into
//! tables of MB/s and Mevents/s.
//!
//! Before a group is timed, every decoder's result is checked against the
//! workload's expected events: a decoder that gets them wrong is not timed.
//!
//! Some peers take quadratic time on long lines (a 13 MB workload in 64-byte
//! chunks can take seconds per pass). A decoder whose checking pass takes
//! longer than `SSE_BENCH_MAX_PASS_SECS` (default 0.5 s) is not timed by
//! criterion either: that one pass's wall time is written to
//! `<criterion dir>/untimed.tsv`, and the report shows it marked as such.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use sse_benches::{DRIVERS, UNTIMED_FILE, chunks, criterion_dir, matrix, size_label};
use std::io::Write;
use std::time::Instant;

fn decode(c: &mut Criterion) {
    let max_pass = std::env::var("SSE_BENCH_MAX_PASS_SECS")
        .ok()
        .and_then(|secs| secs.parse::<f64>().ok())
        .unwrap_or(0.5);
    let dir = criterion_dir();
    std::fs::create_dir_all(&dir).expect("creating the criterion directory");
    let mut untimed = std::fs::File::create(dir.join(UNTIMED_FILE)).expect("creating untimed.tsv");
    for (workload, size) in matrix() {
        let chunks = chunks(&workload.bytes, size);
        let mut group = c.benchmark_group(format!("{}/{}", workload.name, size_label(size)));
        // Every iteration decodes a whole workload (milliseconds to seconds).
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Bytes(workload.bytes.len() as u64));
        for driver in DRIVERS {
            let owned = chunks.clone();
            let start = Instant::now();
            let tally = (driver.run)(owned);
            let pass = start.elapsed().as_secs_f64();
            if driver.api != "reference" && tally != workload.expected {
                eprintln!(
                    "skipping {} {} on {}/{}: decoded {tally:?}, expected {:?}",
                    driver.api,
                    driver.decoder,
                    workload.name,
                    size_label(size),
                    workload.expected
                );
                continue;
            }
            let id = format!(
                "{}/{}/{}/{}",
                workload.name,
                size_label(size),
                driver.api,
                driver.decoder
            );
            if pass > max_pass {
                eprintln!("not timing {id}: one pass took {pass:.2} s");
                writeln!(untimed, "{id}\t{pass}").expect("writing untimed.tsv");
                continue;
            }
            // The decoder is handed owned chunks, as from an HTTP body;
            // making them (reference counts) is not timed, dropping them is.
            group.bench_function(BenchmarkId::new(driver.api, driver.decoder), |b| {
                b.iter_batched(|| chunks.clone(), driver.run, BatchSize::LargeInput);
            });
        }
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
