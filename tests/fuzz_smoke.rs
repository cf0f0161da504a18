//! The fuzz/property smoke of `make test` (scripts/fuzz-smoke.sh): the cargo-fuzz target bodies
//! (fuzz/src/lib.rs, included here so both run the same checks) over a few thousand deterministic
//! inputs, on stable Rust, plus every saved crash in tests/fixtures/crashes/.
//!
//! The generated-input tests are `#[ignore]`d so that a plain `cargo test` (make test-rust) does not
//! run them a second time: `bash scripts/fuzz-smoke.sh` runs them (`-- --include-ignored`).
//! `saved_crashes` always runs. `FUZZ_SMOKE_ITERS=N` changes the number of inputs per body
//! (default 1500; normalize/convert get a third).

#[path = "../fuzz/src/lib.rs"]
mod fuzz_bodies;

use std::path::Path;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545f4914f6cdd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

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

/// Every crash the fuzzers found, minimized: tests/fixtures/crashes/<target>-<name>. Each runs
/// through the body of the target that found it (the prefix of its file name).
#[test]
fn saved_crashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crashes");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    paths.sort();
    let mut failed = Vec::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let body: fn(&[u8]) = match name.split('-').next().unwrap() {
            "validate_structured" => fuzz_bodies::validate_structured,
            "validate" => fuzz_bodies::validate_bytes,
            "normalize_structured" => fuzz_bodies::normalize_structured,
            "normalize" => fuzz_bodies::normalize_bytes,
            "convert_structured" => fuzz_bodies::convert_structured,
            "convert" => fuzz_bodies::convert_bytes,
            "yaml_fast" => fuzz_bodies::yaml_fast,
            other => panic!("{name}: unknown target prefix {other:?}"),
        };
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "saved crash inputs still fail: {failed:?}");
}
