//! End-to-end loopback benchmark of Rust SSE clients.
//!
//! ```text
//! cargo run --release -p sse-e2e-bench -- --runs 21
//! ```
//!
//! Starts a hyper server on 127.0.0.1 in a child process, streams each
//! workload to every client in turn (interleaved, `--runs` times), checks
//! that every client read the right events, and prints a Markdown table of
//! the median throughput, the ratio to the transport bound, allocations per
//! event and resident memory per idle connection.

mod alloc;
mod clients;
mod idle;
mod report;
mod server;
mod workload;

use clients::{Peer, Probe};
use report::{Measurement, Row};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "\
usage: sse-e2e-bench [--runs N] [--workloads llm,big] [--clients KEY,...]
                     [--connections N] [--no-idle]

  --runs N         timed runs per client and workload, interleaved (default 7)
  --workloads      which workloads (default llm,big)
  --clients        which clients, by key (default all): bound-hyper,
                   bound-reqwest, ours-stream, ours-callback, reqwest-ours,
                   eventsource-stream, sseer, sse-parse, sse-core-peer,
                   launchdarkly, and the diagnostics bound-hyper-busy,
                   hyper-decoder, decoder-ours, decoder-peer
  --connections N  idle connections per client for the memory column
                   (default 1000)
  --no-idle        skip the idle-connection memory measurement";

struct Options {
    runs: usize,
    workloads: Vec<String>,
    peers: Vec<Peer>,
    connections: usize,
    idle: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        runs: 7,
        workloads: vec!["llm".into(), "big".into()],
        peers: Peer::ALL.to_vec(),
        connections: 1000,
        idle: true,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--connections" => {
                options.connections = value()?
                    .parse()
                    .map_err(|e| format!("--connections: {e}"))?;
            }
            "--workloads" => {
                options.workloads = value()?.split(',').map(str::to_owned).collect();
            }
            "--clients" => {
                options.peers = value()?
                    .split(',')
                    .map(|key| Peer::from_key(key).ok_or(format!("unknown client {key}")))
                    .collect::<Result<_, _>>()?;
            }
            "--no-idle" => options.idle = false,
            "--help" | "-h" => return Err(String::new()),
            // `cargo bench` passes `--bench`.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if options.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(options)
}

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("serve") => return server::serve(),
        Some("idle") => {
            let peer = args.next().and_then(|key| Peer::from_key(&key));
            let base = args.next();
            let n = args.next().and_then(|n| n.parse().ok());
            let (Some(peer), Some(base), Some(n)) = (peer, base, n) else {
                eprintln!("usage: sse-e2e-bench idle CLIENT BASE_URL CONNECTIONS");
                std::process::exit(2);
            };
            return idle::run(peer, &base, n);
        }
        _ => {}
    }
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}\n");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    bench(&options);
}

fn bench(options: &Options) {
    let load_before = report::load_average();
    let server = server::Server::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let workloads: Vec<_> = workload::all()
        .into_iter()
        .filter(|w| options.workloads.iter().any(|name| name == w.name))
        .collect();
    let mut rows: Vec<Row> = options
        .peers
        .iter()
        .map(|&peer| Row::new(peer, workloads.len()))
        .collect();

    for (w, workload) in workloads.iter().enumerate() {
        let url = format!("{}/{}", server.base, workload.name);
        eprintln!(
            "{}: {} events, {:.1} MB",
            workload.name,
            workload.expected.events,
            workload.body.len() as f64 / 1e6
        );
        // An untimed run to warm up and check the count, then one counting
        // allocations.
        for row in &mut rows {
            let tally = runtime.block_on(clients::run(
                row.peer,
                &url,
                &workload.body,
                &Probe::new(false),
            ));
            let expected = if row.peer.is_bound() {
                workload::Tally {
                    events: workload.expected.events,
                    data_bytes: workload.body.len() as u64,
                }
            } else {
                workload.expected
            };
            assert_eq!(
                tally,
                expected,
                "{} read the wrong events from {}",
                row.peer.name(),
                workload.name
            );
            let probe = Probe::new(true);
            runtime.block_on(clients::run(row.peer, &url, &workload.body, &probe));
            row.results[w].allocations = alloc::stop();
        }
        for run in 0..options.runs {
            // Rotate the order so that no client always runs first or last.
            let n = rows.len();
            for i in 0..n {
                let row = &mut rows[(i + run) % n];
                let probe = Probe::new(false);
                runtime.block_on(clients::run(row.peer, &url, &workload.body, &probe));
                row.results[w].times.push(probe.elapsed());
            }
            eprint!(".");
        }
        eprintln!();
    }
    if options.idle {
        eprint!("idle connections");
        for row in rows.iter_mut().filter(|row| !row.peer.is_diagnostic()) {
            row.idle_bytes = Some(idle::measure(row.peer, &server.base, options.connections));
            eprint!(".");
        }
        eprintln!();
    }
    drop(server);
    let load_after = report::load_average();

    let measured: Vec<Measurement> = workloads
        .iter()
        .map(|w| Measurement {
            workload: w.name,
            bytes: w.body.len(),
            events: w.expected.events,
        })
        .collect();
    print!(
        "{}",
        report::markdown(&rows, &measured, options.runs, &load_before, &load_after)
    );
}
