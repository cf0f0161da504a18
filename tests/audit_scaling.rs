//! The audit is linear in its input: time at 4n Pods < 6x the time at n (best of five, up to three
//! tries; optimized builds only, as tests/scaling.rs). A consistent export and one with every fault
//! class planted (findings, related locations and repairs all grow with it).

mod audit_gen;

use std::time::{Duration, Instant};

use audit_gen::{Era, Fault, Options};
use spiderendpoint::audit::{audit, AuditOptions};

fn best_of_five(f: &dyn Fn()) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn linear(what: &str, n: usize, make: impl Fn(usize) -> String) {
    if cfg!(debug_assertions) {
        eprintln!("{what}: skipped in a debug build (run `cargo test --release --test audit_scaling`)");
        return;
    }
    let (small, large) = (make(n), make(4 * n));
    let run = |t: &str| {
        audit(&[("e.yaml", t)], &AuditOptions::default()).unwrap();
    };
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
    panic!("{what} is not linear: {ratios:.2?}");
}

#[test]
fn audit_is_linear() {
    for era in [Era::V1, Era::V2beta1] {
        linear(&format!("consistent {era:?}"), 1500, |n| audit_gen::generate(&Options { era, pods: n, seed: 3, faults: Vec::new(), pod_padding: true }).0);
        linear(&format!("faults {era:?}"), std::env::var("AUDIT_SCALING_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1500), |n| {
            let faults = Fault::ALL.iter().map(|&f| (f, n / 100)).collect();
            audit_gen::generate(&Options { era, pods: n, seed: 4, faults, pod_padding: false }).0
        });
    }
}
