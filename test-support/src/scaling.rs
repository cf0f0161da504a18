//! Scaling tests: a path is linear (or near it) in its input when the time at 4n is less than 6x
//! the time at n. Ratios, not absolute times; each side is the best of five runs.

use std::time::{Duration, Instant};

/// The shortest of five runs of `f`.
pub fn best_of_five(f: &dyn Fn()) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// Times `run(make(n))` and `run(make(4n))` and requires a ratio below 6. Optimized builds only:
/// an unoptimized build's allocator and cache effects blur the ratio (`make test` runs the scaling
/// tests with `--release`). A linear path measures about 4; memory effects (page faults, caches)
/// add noise on a busy machine, so the comparison is made up to three times and must pass once: a
/// quadratic path (16x) never does.
pub fn linear(what: &str, n: usize, make: impl Fn(usize) -> String, run: impl Fn(&str)) {
    if cfg!(debug_assertions) {
        eprintln!("{what}: skipped in a debug build (run the test with `cargo test --release`)");
        return;
    }
    let (small, large) = (make(n), make(4 * n));
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let a = best_of_five(&|| run(&small));
        let b = best_of_five(&|| run(&large));
        let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-6);
        eprintln!("{what}: n={n} {a:?}, 4n {b:?}, ratio {ratio:.2}");
        if ratio < 6.0 {
            return;
        }
        ratios.push(ratio);
    }
    panic!("{what} is not linear: time at 4n / time at n = {ratios:.2?} (n = {n})");
}
