//! The audit benchmark's driver (run by bench/audit.sh under /usr/bin/time -v; ignored in `cargo
//! test`). Modes, by environment:
//! - `AUDIT_BENCH_GEN=<pods> AUDIT_BENCH_OUT=<dir>`: writes `<dir>/export-<pods>.yaml` (a consistent
//!   v2beta1 export with realistic Pods) and `<dir>/endpoints-<pods>.yaml` (its SpiderEndpoints alone).
//! - `AUDIT_BENCH_RUN=audit|validate AUDIT_BENCH_FILE=<file>`: audits the export, or validates the
//!   endpoints, and prints one JSON line {mode, bytes, seconds, mbPerSecond, findings}.

mod audit_gen;

use std::time::Instant;

#[test]
#[ignore = "benchmark driver, run by bench/audit.sh"]
fn bench_driver() {
    if let (Ok(n), Ok(dir)) = (std::env::var("AUDIT_BENCH_GEN"), std::env::var("AUDIT_BENCH_OUT")) {
        let pods: usize = n.parse().unwrap();
        let (text, _) = audit_gen::generate(&audit_gen::Options { era: audit_gen::Era::V2beta1, pods, seed: 7, faults: Vec::new(), pod_padding: true });
        // The endpoints alone, as a List (what `validate` checks).
        let mut eps = String::from("apiVersion: v1\nitems:\n");
        let start = text.find("- apiVersion: spiderpool.spidernet.io/v2beta1\n  kind: SpiderEndpoint\n").unwrap();
        let end = text.rfind("kind: List\n").unwrap();
        eps.push_str(&text[start..end]);
        eps.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
        std::fs::write(format!("{dir}/export-{pods}.yaml"), &text).unwrap();
        std::fs::write(format!("{dir}/endpoints-{pods}.yaml"), &eps).unwrap();
        return;
    }
    let (Ok(mode), Ok(file)) = (std::env::var("AUDIT_BENCH_RUN"), std::env::var("AUDIT_BENCH_FILE")) else { return };
    let text = std::fs::read_to_string(&file).unwrap();
    let cpu0 = std::fs::read_to_string("/proc/thread-self/schedstat").ok().and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok())).map_or(0.0, |ns| ns / 1e9);
    let t = Instant::now();
    let findings = match mode.as_str() {
        "audit" => {
            let r = spiderendpoint::audit::audit(&[(file.as_str(), text.as_str())], &Default::default()).unwrap();
            r.summary.counts.errors + r.summary.counts.warnings + r.summary.counts.infos
        }
        "validate" => {
            let r = spiderendpoint::validate(&text, &spiderendpoint::ValidateOptions { max_bytes: Some(usize::MAX), ..Default::default() }).unwrap();
            r.summary.counts.errors + r.summary.counts.warnings + r.summary.counts.infos
        }
        m => panic!("unknown mode {m}"),
    };
    let secs = t.elapsed().as_secs_f64();
    // CPU time of this thread (ns on CPU, /proc/thread-self/schedstat): the machine may be shared.
    let cpu = std::fs::read_to_string("/proc/thread-self/schedstat").ok().and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok())).map_or(-1.0, |ns| ns / 1e9);
    println!("{{\"mode\":\"{mode}\",\"bytes\":{},\"seconds\":{secs:.3},\"cpuSeconds\":{:.3},\"mbPerSecond\":{:.1},\"findings\":{findings}}}", text.len(), cpu - cpu0, text.len() as f64 / 1e6 / secs);
}
