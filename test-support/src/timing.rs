//! The time-per-byte invariant: every engine call is timed (CPU time of the thread), and a call
//! over its budget twice in a row is a finding; the worst times are kept ([`timing_summary`]) and
//! written to `FUZZ_TIMING_LOG`.

use std::sync::OnceLock;

/// The build the bodies run in: cargo-fuzz builds optimized (with debug assertions and coverage
/// instrumentation) and passes `--cfg fuzzing`; the smoke test runs in `cargo test`'s unoptimized
/// debug profile (about twice as slow per byte here).
#[allow(unexpected_cfgs)]
const OPTIMIZED: bool = cfg!(fuzzing) || !cfg!(debug_assertions);

/// The time-per-byte budget of one engine call: a constant for the fixed costs plus a cost per
/// byte (of the input, aliases expanded: [`effective_len`]), each about 50 times what normal
/// inputs need. `FUZZ_SLOW_FACTOR` scales both (a slower machine; 0 turns the check off).
///
/// Calibration (thread CPU time, 2 cores with other builds running; "per call" is one call's
/// µs/byte on an input of 1 KiB or more):
/// - the seeds (fuzz/corpus/*/seed-*) through every body, 20 times: debug build 9,740 calls,
///   mean 0.26 µs/byte, per call p50 0.20, p99 0.86, max 1.19; fuzz build 10,960 calls, mean 0.19
///   µs/byte, per call p50 0.11, p99 0.81, max 1.72; calls on less than 256 bytes p99 41 µs, max 88 µs.
/// - the smoke's generated inputs (debug build): 18,336 calls, mean 0.44 µs/byte, per call p99
///   1.42; calls on less than 256 bytes p50 7 µs, p99 180 µs, max 313 µs. The first call of a
///   process takes up to 7.5 ms (the schema caches fill).
/// - inputs at the alias budgets (100,000 nodes or 8 MiB expanded from 222 bytes to 131 KB: a
///   billion laughs, a 128 KiB scalar aliased 63 times, merges of a 10,000-key map, 10,000 aliased
///   ips entries, 2,400 aliased List items, long keys aliased): 0.005 to 0.58 µs per expanded byte
///   (debug build).
///
/// Hence 5 ms + 20 µs/byte in the debug build (45 times the smoke's mean, 14 times its p99) and
/// 5 ms + 10 µs/byte in the fuzz build (50 times its mean); 5 ms is 16 times the slowest small
/// call. In the 10-minute runs single calls took up to 16 ms on 1.7 KB inputs that need 0.25 ms
/// when run again (steal time of the virtual machine and page faults count as the thread's CPU
/// time): a call over its budget is therefore run a second time, and only two slow runs are a
/// finding.
const OPT_BASE_NS: u64 = 5_000_000;
const OPT_PER_BYTE_NS: u64 = 10_000;
const DEBUG_BASE_NS: u64 = 5_000_000;
const DEBUG_PER_BYTE_NS: u64 = 20_000;

/// How long one engine call on `len` bytes may take, in nanoseconds of the thread's CPU time.
pub fn slow_budget_ns(len: usize) -> u64 {
    let (base_ns, per_byte_ns) = if OPTIMIZED { (OPT_BASE_NS, OPT_PER_BYTE_NS) } else { (DEBUG_BASE_NS, DEBUG_PER_BYTE_NS) };
    let factor = slow_factor();
    ((base_ns + per_byte_ns * len as u64) as f64 * factor) as u64
}

fn slow_factor() -> f64 {
    static F: OnceLock<f64> = OnceLock::new();
    *F.get_or_init(|| std::env::var("FUZZ_SLOW_FACTOR").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0))
}

/// The calling thread's CPU time in nanoseconds (user + system): unlike the wall clock it does not
/// grow while the thread waits for a core, so a loaded machine does not make an input "slow".
#[cfg(target_os = "linux")]
fn cpu_now_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two longs on 64-bit Linux) to a valid pointer.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(target_os = "linux"))]
fn cpu_now_ns() -> u64 {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_nanos() as u64
}

/// The calling thread's CPU time in nanoseconds (for the calibration in tests/fuzz_smoke.rs).
pub fn cpu_time_ns() -> u64 {
    cpu_now_ns()
}

/// Runs `f` (an engine call on `input`) and asserts the time-per-byte invariant. A call over the
/// budget is run once more and the faster of the two counts, so that a one-off stall (a page-fault
/// storm, the first call filling the schema caches) is not a finding; twice over it is.
pub(crate) fn timed<T>(what: &'static str, input: &[u8], effective_len: impl Fn() -> usize, f: impl Fn() -> T) -> T {
    let len = input.len();
    let mut budget = slow_budget_ns(len);
    let mut effective = len;
    let t0 = cpu_now_ns();
    let mut out = f();
    let mut ns = cpu_now_ns() - t0;
    if ns > budget / 2 && budget > 0 {
        // over (half) the budget of its length: what do its aliases expand to? (half, so that the
        // recorded share of the budget is right for the calls that come near it)
        effective = effective_len().max(len);
        budget = slow_budget_ns(effective);
    }
    if ns > budget && budget > 0 {
        let t1 = cpu_now_ns();
        out = f();
        ns = ns.min(cpu_now_ns() - t1);
        if ns > budget {
            record(what, input, effective, ns, budget);
            panic!(
                "slow input: {:.2} µs per byte ({what} took {:.1} ms of CPU time, twice, on {len} bytes{}; the budget is {:.1} ms = {} ms + {:.3} µs per byte{})",
                ns as f64 / 1e3 / len.max(1) as f64,
                ns as f64 / 1e6,
                if effective > len { format!(" ({effective} once its aliases are expanded)") } else { String::new() },
                budget as f64 / 1e6,
                if OPTIMIZED { OPT_BASE_NS } else { DEBUG_BASE_NS } / 1_000_000,
                if OPTIMIZED { OPT_PER_BYTE_NS } else { DEBUG_PER_BYTE_NS } as f64 / 1e3,
                if OPTIMIZED { ", optimized build" } else { ", debug build" }
            );
        }
    }
    if budget > 0 {
        record(what, input, effective, ns, budget);
    }
    out
}

/// Inputs shorter than this do not count for the worst time per byte (their fixed costs would).
pub const PER_BYTE_MIN_LEN: usize = 1024;

/// One call: its µs per byte (or share of the budget), input length, effective length, CPU time.
#[derive(Default, Clone, Copy)]
struct Worst(f64, usize, usize, u64);

#[derive(Default)]
struct CallStats {
    calls: u64,
    ns: u128,
    bytes: u128,
    /// Worst µs per input byte, inputs of PER_BYTE_MIN_LEN bytes or more.
    per_byte: Worst,
    /// Worst µs per effective byte (aliases expanded), effective lengths of PER_BYTE_MIN_LEN or more.
    per_effective_byte: Worst,
    /// Worst share of the budget (any length).
    share: Worst,
}

#[derive(Default)]
struct Timing {
    calls: std::collections::BTreeMap<&'static str, CallStats>,
    /// The inputs of the worst µs per input byte and of the worst share of the budget.
    worst_per_byte_input: Vec<u8>,
    worst_share_input: Vec<u8>,
    /// Every call (kind, bytes, effective bytes, ns) when `FUZZ_TIMING_SAMPLES` names a file.
    samples: Option<Vec<(&'static str, usize, usize, u64)>>,
    dirty: bool,
    written_at: u64,
}

fn timing() -> &'static std::sync::Mutex<Timing> {
    static T: OnceLock<std::sync::Mutex<Timing>> = OnceLock::new();
    T.get_or_init(|| {
        register_timing_log();
        let samples = std::env::var_os("FUZZ_TIMING_SAMPLES").map(|_| Vec::new());
        std::sync::Mutex::new(Timing { samples, ..Default::default() })
    })
}

fn record(what: &'static str, input: &[u8], effective: usize, ns: u64, budget: u64) {
    let Ok(mut guard) = timing().lock() else { return };
    let t = &mut *guard;
    let len = input.len();
    let effective = effective.max(len);
    if let Some(samples) = &mut t.samples {
        samples.push((what, len, effective, ns));
    }
    let s = t.calls.entry(what).or_default();
    s.calls += 1;
    s.ns += ns as u128;
    s.bytes += len as u128;
    let share = ns as f64 / budget as f64;
    if share > s.share.0 {
        s.share = Worst(share, len, effective, ns);
        t.dirty = true;
    }
    let per_effective = ns as f64 / 1e3 / effective.max(1) as f64;
    if effective >= PER_BYTE_MIN_LEN && per_effective > s.per_effective_byte.0 {
        s.per_effective_byte = Worst(per_effective, len, effective, ns);
        t.dirty = true;
    }
    let per_byte = ns as f64 / 1e3 / len.max(1) as f64;
    let new_per_byte = len >= PER_BYTE_MIN_LEN && per_byte > s.per_byte.0;
    if new_per_byte {
        s.per_byte = Worst(per_byte, len, effective, ns);
        t.dirty = true;
    }
    let new_share = share >= s.share.0;
    if new_per_byte && t.calls.values().all(|o| o.per_byte.0 <= per_byte) {
        t.worst_per_byte_input = input.to_vec();
    }
    if new_share && t.calls.values().all(|o| o.share.0 <= share) {
        t.worst_share_input = input.to_vec();
    }
    // the log is rewritten at most every 10 s (and at exit)
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if t.dirty && now >= t.written_at + 10 {
        t.written_at = now;
        t.dirty = false;
        write_timing_log(t);
    }
}

/// The statistics so far, per kind of call: the calls, the mean µs per byte (all CPU time over all
/// bytes), the worst µs per input byte (inputs of 1 KiB or more), the worst µs per effective byte
/// (aliases expanded) and the worst share of the budget.
pub fn timing_summary() -> String {
    let Ok(t) = timing().lock() else { return String::new() };
    summary_of(&t)
}

fn summary_of(t: &Timing) -> String {
    let show = |w: &Worst| {
        let eff = if w.2 > w.1 { format!(", {} expanded", w.2) } else { String::new() };
        format!("({} bytes{eff}, {:.2} ms)", w.1, w.3 as f64 / 1e6)
    };
    let mut out = String::new();
    for (what, s) in &t.calls {
        out.push_str(&format!(
            "{what:<9} {:>8} calls  mean {:.3} µs/byte  worst {:.3} µs/byte {}  worst {:.3} µs/expanded byte {}  worst budget share {:.3} {}\n",
            s.calls,
            s.ns as f64 / 1e3 / (s.bytes.max(1) as f64),
            s.per_byte.0,
            show(&s.per_byte),
            s.per_effective_byte.0,
            show(&s.per_effective_byte),
            s.share.0,
            show(&s.share),
        ));
    }
    out
}

/// `FUZZ_TIMING_LOG=path` (scripts/fuzz.sh and scripts/fuzz-smoke.sh set it): the summary is
/// written to `path` every 10 s while it changes and at exit; the input of the worst µs per byte
/// to `path.per-byte.input`, the input closest to its budget to `path.share.input`.
fn write_timing_log(t: &Timing) {
    if let (Some(path), Some(samples)) = (std::env::var_os("FUZZ_TIMING_SAMPLES"), &t.samples) {
        let lines: String = samples.iter().map(|(what, len, eff, ns)| format!("{what}\t{len}\t{eff}\t{ns}\n")).collect();
        let _ = std::fs::write(path, lines);
    }
    let Some(path) = std::env::var_os("FUZZ_TIMING_LOG") else { return };
    let budget = format!(
        "budget: {} ms + {:.3} µs per byte of CPU time per call ({} build; FUZZ_SLOW_FACTOR {})\n",
        if OPTIMIZED { OPT_BASE_NS } else { DEBUG_BASE_NS } / 1_000_000,
        if OPTIMIZED { OPT_PER_BYTE_NS } else { DEBUG_PER_BYTE_NS } as f64 / 1e3,
        if OPTIMIZED { "optimized" } else { "debug" },
        slow_factor()
    );
    let _ = std::fs::write(&path, format!("{budget}{}", summary_of(t)));
    for (suffix, input) in [(".per-byte.input", &t.worst_per_byte_input), (".share.input", &t.worst_share_input)] {
        if !input.is_empty() {
            let mut file = path.clone();
            file.push(suffix);
            let _ = std::fs::write(file, input);
        }
    }
}

#[cfg(target_os = "linux")]
fn register_timing_log() {
    extern "C" fn at_exit() {
        if let Ok(t) = timing().try_lock() {
            write_timing_log(&t);
        }
    }
    extern "C" {
        fn atexit(f: extern "C" fn()) -> i32;
    }
    if std::env::var_os("FUZZ_TIMING_LOG").is_some() || std::env::var_os("FUZZ_TIMING_SAMPLES").is_some() {
        // SAFETY: registers a function without arguments, run by exit() (libFuzzer exits that way).
        unsafe { atexit(at_exit) };
    }
}

#[cfg(not(target_os = "linux"))]
fn register_timing_log() {}
