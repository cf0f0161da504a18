//! The fuzz/property smoke of `make test` (scripts/fuzz-smoke.sh): the cargo-fuzz target bodies
//! (test-support/src/bodies.rs, which the fuzz targets call too) over a few thousand deterministic
//! inputs, on stable Rust, plus every saved crash in tests/fixtures/crashes/.
//!
//! The generated-input tests are `#[ignore]`d so that a plain `cargo test` (make test-rust) does not
//! run them a second time: `bash scripts/fuzz-smoke.sh` runs them (`-- --include-ignored`).
//! `saved_crashes` always runs. `FUZZ_SMOKE_ITERS=N` changes the number of inputs per body
//! (default 1500; normalize/convert get a third, amplify a fifteenth). Every engine call is timed
//! against the time-per-byte budget of the debug build (test-support/src/timing.rs `slow_budget_ns`);
//! `calibrate` (run by hand) measures what that budget is based on.

use std::path::Path;

use test_support::bodies as fuzz_bodies;
use test_support::{timing, Rng, Source};

fn iterations() -> usize {
    std::env::var("FUZZ_SMOKE_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(1500)
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/validate");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("seed-"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    out.sort();
    assert!(!out.is_empty());
    out
}

const ALPHABET: &[u8] = b"{}[]:,-?&*!|>'\"%@` #\n\t\r\\azZ09./~<\x00\xc3\xa9\xf0\x9f\x98\x80\xef\xbb\xbf";

/// Byte strings: random bytes, YAML-character soup, seeds with byte-level edits, spliced seeds.
fn byte_inputs(n: usize) -> Vec<Vec<u8>> {
    let seeds = seeds();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let input = match i % 4 {
            0 => {
                let len = rng.below(200);
                rng.bytes(len)
            }
            1 => {
                let len = rng.below(120);
                (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]).collect()
            }
            2 => {
                let mut s = seeds[rng.below(seeds.len())].clone();
                for _ in 0..1 + rng.below(6) {
                    let at = rng.below(s.len() + 1);
                    match rng.below(4) {
                        0 => s.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                        1 if at < s.len() => s[at] = ALPHABET[rng.below(ALPHABET.len())],
                        2 => {
                            let end = (at + rng.below(24)).min(s.len());
                            s.drain(at..end);
                        }
                        _ => s.truncate(at),
                    }
                }
                s
            }
            _ => {
                let a = &seeds[rng.below(seeds.len())];
                let b = &seeds[rng.below(seeds.len())];
                let (x, y) = (rng.below(a.len() + 1), rng.below(b.len() + 1));
                [&a[..x], &b[y..]].concat()
            }
        };
        out.push(input);
    }
    out
}

/// Choice streams for the structure-aware bodies.
fn choice_inputs(n: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(0x2545f4914f6cdd1d);
    (0..n)
        .map(|i| {
            let len = if i < 16 { i } else { rng.below(160) };
            rng.bytes(len)
        })
        .collect()
}

fn run_all<F: Fn(&[u8])>(name: &str, inputs: &[Vec<u8>], body: F) {
    for (i, input) in inputs.iter().enumerate() {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(input)));
        if r.is_err() {
            let path = std::env::temp_dir().join(format!("fuzz-smoke-{name}-{i}.bin"));
            std::fs::write(&path, input).unwrap();
            panic!("{name}: input {i} failed (saved to {}; reproduce with `cargo +nightly fuzz run {name} {}` in fuzz/)", path.display(), path.display());
        }
    }
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn validate_bytes_smoke() {
    run_all("validate", &byte_inputs(iterations()), fuzz_bodies::validate_bytes);
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn validate_structured_smoke() {
    run_all("validate_structured", &choice_inputs(iterations()), fuzz_bodies::validate_structured);
}

// normalize and convert are slower (each re-validates and re-runs itself): a third of the inputs.

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn normalize_smoke() {
    run_all("normalize", &byte_inputs(iterations() / 3), fuzz_bodies::normalize_bytes);
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn normalize_structured_smoke() {
    run_all("normalize_structured", &choice_inputs(iterations() / 3), fuzz_bodies::normalize_structured);
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn convert_smoke() {
    run_all("convert", &byte_inputs(iterations() / 3), fuzz_bodies::convert_bytes);
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn convert_structured_smoke() {
    run_all("convert_structured", &choice_inputs(iterations() / 3), fuzz_bodies::convert_structured);
}

#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn yaml_fast_smoke() {
    run_all("yaml_fast", &byte_inputs(iterations()), fuzz_bodies::yaml_fast);
    run_all("yaml_fast", &choice_inputs(iterations()), fuzz_bodies::yaml_fast);
}

/// Amplification (fuzz_targets/amplify.rs): fewer inputs, texts up to 16 KiB (the fuzz target
/// goes to 2 MiB), on a thread with a big stack (nesting near the clamp of 1,000 levels in an
/// unoptimized build).
#[test]
#[ignore = "generated inputs: run by scripts/fuzz-smoke.sh"]
fn amplify_smoke() {
    let inputs = choice_inputs(iterations() / 15);
    on_big_stack(move || run_all("amplify", &inputs, |d| fuzz_bodies::amplify_capped(d, 16 << 10)));
}

fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(256 << 20).spawn(f).unwrap().join().unwrap();
}

/// Calibration of the time-per-byte budget (test-support/src/timing.rs `slow_budget_ns`): every body over the
/// seeds of its corpus, 20 times. `FUZZ_TIMING_SAMPLES=/tmp/samples.tsv cargo test --test
/// fuzz_smoke -- --ignored calibrate --nocapture` writes every call (kind, bytes, ns) to the file.
#[test]
#[ignore = "calibration: run by hand"]
fn calibrate() {
    on_big_stack(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        for &(target, body) in fuzz_bodies::TARGETS {
            let Ok(entries) = std::fs::read_dir(root.join(target)) else { continue };
            let seeds: Vec<Vec<u8>> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with("seed-"))
                .map(|e| std::fs::read(e.path()).unwrap())
                .collect();
            for _ in 0..20 {
                for seed in &seeds {
                    body(seed);
                }
            }
        }
        eprintln!("{}", timing::timing_summary());
        // Inputs at the alias budgets (FUZZ_CALIBRATE_TEXTS=dir): CPU time and result sizes.
        let Some(dir) = std::env::var_os("FUZZ_CALIBRATE_TEXTS") else { return };
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let opts = spiderendpoint::ValidateOptions::default();
            let time = |run: &dyn Fn() -> usize| {
                let t = timing::cpu_time_ns();
                let size = run();
                (timing::cpu_time_ns() - t, size)
            };
            let (v, vs) = time(&|| serde_json::to_string(&spiderendpoint::validate(&text, &opts).unwrap()).unwrap().len());
            let (n, ns) = time(&|| serde_json::to_string(&spiderendpoint::normalize(&text, &opts.input().into()).unwrap()).unwrap().len());
            let (c, cs) = time(&|| serde_json::to_string(&spiderendpoint::convert(&text, spiderendpoint::ApiVersion::V1, &opts.input().into()).unwrap()).unwrap().len());
            let eff = test_support::engine::effective_len(&text, Default::default());
            eprintln!(
                "{}: {} bytes, {eff} expanded; validate {:.1} ms ({vs} bytes of JSON), normalize {:.1} ms ({ns}), convert {:.1} ms ({cs}); worst {:.3} µs per expanded byte",
                f.file_name().unwrap().to_string_lossy(),
                text.len(),
                v as f64 / 1e6,
                n as f64 / 1e6,
                c as f64 / 1e6,
                v.max(n).max(c) as f64 / 1e3 / eff as f64
            );
        }
    });
}

/// Every crash the fuzzers found, minimized: tests/fixtures/crashes/<target>-<name>. Each runs
/// through the body of the target that found it (the prefix of its file name).
#[test]
fn saved_crashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crashes");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    paths.sort();
    let failed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let failures = failed.clone();
    on_big_stack(move || {
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let prefix = name.split('-').next().unwrap();
            let Some(&(_, body)) = fuzz_bodies::TARGETS.iter().find(|(target, _)| *target == prefix) else {
                panic!("{name}: unknown target prefix {prefix:?}");
            };
            if std::panic::catch_unwind(|| body(&data)).is_err() {
                failures.lock().unwrap().push(name);
            }
        }
    });
    let failed = failed.lock().unwrap();
    assert!(failed.is_empty(), "saved crash inputs still fail: {failed:?}");
}
