//! The audit is linear in its input: time at 4n Pods < 6x the time at n (best of five, up to three
//! tries; optimized builds only, as tests/scaling.rs). A consistent export and one with every fault
//! class planted (findings, related locations and repairs all grow with it).

mod audit_gen;

use audit_gen::{Era, Fault, Options};
use spiderendpoint::audit::{audit, AuditOptions};

/// [`test_support::scaling::linear`] of the audit of one generated export.
fn linear(what: &str, n: usize, make: impl Fn(usize) -> String) {
    test_support::scaling::linear(what, n, make, |t| {
        audit(&[("e.yaml", t)], &AuditOptions::default()).unwrap();
    });
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
