//! Turns a criterion run of the `decode` benchmark into the tables of
//! `BENCHMARKS.md`: MB/s and Mevents/s per decoder, and each of ours against
//! the fastest peer.
//!
//! `cargo run --release -p sse-benches --bin report [CRITERION_DIR]`
//! (default: `$CARGO_TARGET_DIR/criterion`, else the workspace's
//! `target/criterion`).
//!
//! A run the benchmark found too slow to time (see `benches/decode.rs`) is
//! shown from its one checking pass, marked "1 pass".

use serde_json::Value;
use sse_benches::{DRIVERS, UNTIMED_FILE, criterion_dir, matrix, size_label};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The time of one benchmark in nanoseconds, if it ran: criterion's median,
/// else the one pass of a run too slow to time (then `true`).
fn time_ns(
    dir: &Path,
    untimed: &HashMap<String, f64>,
    group: &str,
    api: &str,
    decoder: &str,
) -> Option<(f64, bool)> {
    if let Some(ns) = median_ns(dir, group, api, decoder) {
        return Some((ns, false));
    }
    untimed
        .get(&format!("{group}/{api}/{decoder}"))
        .map(|secs| (secs * 1e9, true))
}

/// The runs too slow to time, by `group/api/decoder`, in seconds.
fn read_untimed(dir: &Path) -> HashMap<String, f64> {
    let text = std::fs::read_to_string(dir.join(UNTIMED_FILE)).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (id, secs) = line.split_once('\t')?;
            Some((id.to_owned(), secs.parse().ok()?))
        })
        .collect()
}

/// The median time of one benchmark in nanoseconds, if it ran.
fn median_ns(dir: &Path, group: &str, api: &str, decoder: &str) -> Option<f64> {
    // Criterion turns the `/` in a group name into `_`.
    let path = dir
        .join(group.replace('/', "_"))
        .join(api)
        .join(decoder)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let estimates: Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(criterion_dir, PathBuf::from);
    let untimed = read_untimed(&dir);
    let mut summary = Vec::new();
    println!("## Throughput\n");
    for (workload, size) in matrix() {
        let group = format!("{}/{}", workload.name, size_label(size));
        #[allow(clippy::cast_precision_loss)] // sizes far below 2^52
        let (bytes, events) = (workload.bytes.len() as f64, workload.expected.events as f64);
        println!(
            "### {group} ({:.1} MB, {} events)\n",
            bytes / 1e6,
            workload.expected.events
        );
        println!("| API | decoder | MB/s | Mevents/s | vs fastest peer |");
        println!("|---|---|--:|--:|--:|");
        for api in ["stream", "decoder", "reference"] {
            let rows: Vec<_> = DRIVERS
                .iter()
                .filter(|d| d.api == api)
                .map(|d| (d.decoder, time_ns(&dir, &untimed, &group, api, d.decoder)))
                .collect();
            let fastest_peer = rows
                .iter()
                .filter(|(decoder, _)| *decoder != "sse-core")
                .filter_map(|(decoder, ns)| ns.map(|(ns, _)| (*decoder, ns)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            for (decoder, ns) in &rows {
                let Some((ns, one_pass)) = *ns else {
                    println!("| {api} | {decoder} | not run | | |");
                    continue;
                };
                let mark = if one_pass { " (1 pass)" } else { "" };
                let ratio = match fastest_peer {
                    Some((_, peer)) if api != "reference" => format!("{:.2}x", peer / ns),
                    _ => String::new(),
                };
                let mevents = if api == "reference" {
                    String::new()
                } else {
                    format!("{:.2}", events / ns * 1e3)
                };
                let name = if *decoder == "sse-core" {
                    format!("**{decoder}** (ours)")
                } else {
                    (*decoder).to_owned()
                };
                println!(
                    "| {api} | {name} | {:.0}{mark} | {mevents} | {ratio} |",
                    bytes / ns * 1e3
                );
            }
            if api != "reference" {
                let ours = rows
                    .iter()
                    .find(|(d, _)| *d == "sse-core")
                    .and_then(|r| r.1)
                    .map(|(ns, _)| ns);
                let memchr = median_ns(&dir, &group, "reference", "memchr line count");
                summary.push((group.clone(), api, ours, fastest_peer, memchr));
            }
        }
        println!();
    }
    println!("## Against the fastest peer\n");
    println!(
        "Ratio = fastest peer's time / ours (above 1: we are faster). Room for 1.5x: \
         half the memchr line count's speed is at least 1.5x the fastest peer's.\n"
    );
    println!("| workload/chunk | API | fastest peer | ratio | room for 1.5x | target: result |");
    println!("|---|---|---|--:|:-:|---|");
    for (group, api, ours, peer, memchr) in summary {
        let (Some(ours), Some((peer_name, peer)), Some(memchr)) = (ours, peer, memchr) else {
            continue;
        };
        let ratio = peer / ours;
        let room = peer / (2.0 * memchr) >= 1.5;
        let goal = if room { 1.5 } else { 1.0 };
        let verdict = if ratio >= goal {
            "met"
        } else if ratio >= 1.0 {
            "ahead, short of 1.5x"
        } else {
            "**missed: the peer wins**"
        };
        println!(
            "| {group} | {api} | {peer_name} | {ratio:.2}x | {} | {goal}x: {verdict} |",
            if room { "yes" } else { "no" }
        );
    }
}
