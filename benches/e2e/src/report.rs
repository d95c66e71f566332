//! Statistics over the runs, and the Markdown table.

use std::fmt::Write;
use std::time::Duration;

use crate::alloc::Allocations;
use crate::clients::Peer;

/// One workload's measurements for one client.
#[derive(Default)]
pub(crate) struct Result {
    pub(crate) times: Vec<Duration>,
    pub(crate) allocations: Allocations,
}

impl Result {
    fn sorted(&self) -> Vec<Duration> {
        let mut times = self.times.clone();
        times.sort_unstable();
        times
    }

    fn median(&self) -> Duration {
        let times = self.sorted();
        times[times.len() / 2]
    }

    /// (slowest - fastest) / median, in percent.
    fn spread(&self) -> f64 {
        let times = self.sorted();
        let (first, last) = (times[0], times[times.len() - 1]);
        last.saturating_sub(first).as_secs_f64() / self.median().as_secs_f64() * 100.0
    }
}

/// Everything measured for one client.
pub(crate) struct Row {
    pub(crate) peer: Peer,
    pub(crate) results: Vec<Result>,
    /// Resident and heap bytes per idle connection.
    pub(crate) idle_bytes: Option<(f64, f64)>,
}

impl Row {
    pub(crate) fn new(peer: Peer, workloads: usize) -> Self {
        Self {
            peer,
            results: (0..workloads).map(|_| Result::default()).collect(),
            idle_bytes: None,
        }
    }
}

/// A workload's size, to turn times into rates.
pub(crate) struct Measurement {
    pub(crate) workload: &'static str,
    pub(crate) bytes: usize,
    pub(crate) events: u64,
}

/// `/proc/loadavg`'s three averages.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

/// The results as Markdown: one table per workload, then allocations and
/// idle memory.
pub(crate) fn markdown(
    rows: &[Row],
    measured: &[Measurement],
    runs: usize,
    load_before: &str,
    load_after: &str,
) -> String {
    let mut out = String::new();
    let bound = rows.iter().position(|row| row.peer == Peer::BoundHyper);
    for (w, m) in measured.iter().enumerate() {
        let bound_time = bound.map(|b| rows[b].results[w].median());
        let _ = writeln!(
            out,
            "\n### {} ({} events, {:.1} MB, median of {runs} runs)\n",
            m.workload,
            m.events,
            m.bytes as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "| client | MB/s | events/s | x bound | spread | allocs/event | bytes allocated/event |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
        for row in rows {
            let result = &row.results[w];
            let median = result.median().as_secs_f64();
            let ratio = bound_time.map_or_else(
                || "-".into(),
                |b| format!("{:.2}", b.as_secs_f64() / median),
            );
            let (calls, bytes) = if row.peer.is_bound() {
                ("-".into(), "-".into())
            } else {
                let per_event = |n: u64| n as f64 / m.events as f64;
                (
                    format!("{:.2}", per_event(result.allocations.calls)),
                    format!("{:.0}", per_event(result.allocations.bytes)),
                )
            };
            let _ = writeln!(
                out,
                "| {} | {:.0} | {} | {ratio} | {:.0}% | {calls} | {bytes} |",
                row.peer.name(),
                m.bytes as f64 / 1e6 / median,
                thousands(m.events as f64 / median),
                result.spread(),
            );
        }
    }
    if rows.iter().any(|row| row.idle_bytes.is_some()) {
        let _ = writeln!(
            out,
            "\n### Resident memory per idle open connection (median of 3 processes)\n"
        );
        let _ = writeln!(
            out,
            "| client | resident KiB per connection | of which heap KiB |"
        );
        let _ = writeln!(out, "|---|---:|---:|");
        for row in rows {
            if let Some((resident, heap)) = row.idle_bytes {
                let _ = writeln!(
                    out,
                    "| {} | {:.1} | {:.1} |",
                    row.peer.name(),
                    resident / 1024.0,
                    heap / 1024.0
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\nLoad average (1, 5, 15 min) before: {load_before}; after: {load_after}. \
         Spread = (slowest - fastest) / median over the timed runs."
    );
    out
}

/// `1234567.8` as `1,234,568`.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
