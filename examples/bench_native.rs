//! Native throughput of the Rust core on one file (used by `make bench`, see bench/bench.mjs).
//!
//!     cargo run --release --example bench_native -- target/bench/corpus.yaml [--rounds 7] [--warmup 1]
//!
//! Reads the file once, validates the same text `warmup + rounds` times with
//! `spiderendpoint::validate(&text, &ValidateOptions::default())` and prints one JSON line:
//! bytes, documents (from the report's summary), runs, seconds (each timed run), median/min/max MB/s (MB = 10^6 bytes), docs/s,
//! and the process's peak RSS (VmHWM from /proc/self/status, Linux only; null elsewhere).
use std::hint::black_box;
use std::time::Instant;

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let (mut rounds, mut warmup) = (7usize, 1usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--rounds N")
            }
            "--warmup" => {
                warmup = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--warmup N")
            }
            _ => path = Some(a),
        }
    }
    let path = path.unwrap_or_else(|| "target/bench/corpus.yaml".to_string());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let bytes = text.len();
    let options = spiderendpoint::ValidateOptions::default();

    let mut seconds = Vec::with_capacity(rounds);
    let mut summary = None;
    for i in 0..warmup + rounds.max(1) {
        let t0 = Instant::now();
        let report = spiderendpoint::validate(black_box(&text), &options)
            .expect("default options are valid");
        black_box(&report);
        let dt = t0.elapsed().as_secs_f64();
        summary = Some(report.summary);
        drop(report);
        if i >= warmup {
            seconds.push(dt);
        }
    }
    let summary = summary.expect("at least one run");
    let documents = summary.documents;
    let mut sorted = seconds.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let mbps = |s: f64| bytes as f64 / 1e6 / s;
    let secs: Vec<String> = seconds.iter().map(|s| format!("{s:.6}")).collect();
    let peak = peak_rss_bytes().map_or("null".to_string(), |b| b.to_string());
    println!(
        "{{\"file\":{:?},\"bytes\":{},\"documents\":{},\"runs\":{},\"warmup\":{},\"seconds\":[{}],\"median_seconds\":{:.6},\"mb_per_s\":{:.3},\"min_mb_per_s\":{:.3},\"max_mb_per_s\":{:.3},\"docs_per_s\":{:.1},\"peak_rss_bytes\":{},\"profile\":\"{}\",\"summary\":{{\"documents\":{},\"valid\":{},\"invalid\":{},\"skipped\":{},\"errors\":{},\"warnings\":{}}}}}",
        path,
        bytes,
        documents,
        n,
        warmup,
        secs.join(","),
        median,
        mbps(median),
        mbps(sorted[n - 1]),
        mbps(sorted[0]),
        documents as f64 / median,
        peak,
        if cfg!(debug_assertions) { "debug" } else { "release" },
        summary.documents,
        summary.valid,
        summary.invalid,
        summary.skipped,
        summary.counts.errors,
        summary.counts.warnings,
    );
}
