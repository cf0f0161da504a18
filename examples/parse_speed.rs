//! Native throughput of the YAML front end on one file: the fast path (`yaml::parse_fast`), the
//! saphyr-based loader (`yaml::parse_slow`) and the dispatching `yaml::parse`.
//!
//!     cargo run --release --example parse_speed -- /tmp/sp/corpus.yaml [--rounds 5]
//!     CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --release --example parse_speed -- FILE
//!
//! `--only fast|slow|parse` times just one of them (for profiling).
//!
//! Prints MB/s (MB = 10^6 bytes; best and median of the timed rounds after one warm-up), by wall
//! clock and, on Linux, by on-CPU time of the thread (`/proc/thread-self/schedstat`, which is not
//! inflated when other processes compete for the cores), whether the fast path accepted the file,
//! and whether its result equals the loader's.
use std::hint::black_box;
use std::time::Instant;

use spiderendpoint::yaml::{self, Budget};

/// Nanoseconds this thread has run on a CPU (Linux), if known.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Times `f`; returns the median on-CPU MB/s (wall clock where CPU time is unknown).
fn measure(label: &str, bytes: usize, rounds: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let mut wall = Vec::with_capacity(rounds);
    let mut cpu = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let c0 = cpu_ns();
        let t = Instant::now();
        f();
        wall.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            cpu.push((b - a) as f64 / 1e9);
        }
    }
    let mbps = |s: f64| bytes as f64 / s / 1e6;
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (mbps(v[0]), mbps(v[v.len() / 2]))
    };
    let (wb, wm) = stats(&mut wall);
    print!("{label:<11} wall: best {wb:7.1} median {wm:7.1} MB/s");
    if cpu.len() == rounds {
        let (cb, cm) = stats(&mut cpu);
        println!("   cpu: best {cb:7.1} median {cm:7.1} MB/s");
        cm
    } else {
        println!();
        wm
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut rounds = 5usize;
    let mut only = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|v| v.parse().ok()).expect("--rounds N"),
            "--only" => only = args.next(),
            _ => path = Some(a),
        }
    }
    let path = path.unwrap_or_else(|| "/tmp/sp/corpus.yaml".to_string());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let bytes = text.len();
    let budget = Budget::default();
    let rounds = rounds.max(1);

    println!("{path}: {bytes} bytes");
    if only.is_none() {
        let fast = yaml::parse_fast(&text, budget);
        let slow = yaml::parse_slow(&text, budget);
        println!("{} documents", slow.docs.len());
        match &fast {
            Some(f) => println!("fast path: accepted; identical to the loader: {}", *f == slow),
            None => println!("fast path: refused (parse falls back to the loader)"),
        }
    }

    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut f = None;
    let mut s = None;
    if run("fast") {
        f = Some(measure("parse_fast", bytes, rounds, || {
            black_box(yaml::parse_fast(black_box(&text), budget));
        }));
    }
    if run("slow") {
        s = Some(measure("parse_slow", bytes, rounds, || {
            black_box(yaml::parse_slow(black_box(&text), budget));
        }));
    }
    if run("parse") {
        measure("parse", bytes, rounds, || {
            black_box(yaml::parse(black_box(&text), budget));
        });
    }
    if let (Some(f), Some(s)) = (f, s) {
        println!("speed-up fast/slow: {:.1}x", f / s);
    }
}
