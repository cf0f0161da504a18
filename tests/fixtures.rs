//! Fixture tests: every file in tests/fixtures/{valid,invalid} lists the diagnostics it must
//! produce as `# expect: CODE PATH LINE` comments (a `.expect` file beside JSON fixtures).
//! The set of (code, path, line) must match exactly; `valid/` files must have no error.

use std::fs;
use std::path::Path;

use spiderendpoint::{validate_bytes, Report};
use test_support::{all_diagnostics, fixture_options};

fn expectations(path: &Path, text: &str) -> Vec<(String, String, usize)> {
    let sidecar = path.with_extension(format!("{}.expect", path.extension().unwrap().to_str().unwrap()));
    let extra = fs::read_to_string(sidecar).unwrap_or_default();
    let mut out: Vec<(String, String, usize)> = text
        .lines()
        .chain(extra.lines())
        .filter_map(|l| l.trim_start().strip_prefix("# expect:"))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "bad expectation line {l:?} in {}", path.display());
            let p = if parts[1] == "-" { "" } else { parts[1] };
            (parts[0].to_string(), p.to_string(), parts[2].parse().unwrap())
        })
        .collect();
    out.sort();
    out
}

fn actual(report: &Report) -> Vec<(String, String, usize)> {
    let mut out: Vec<_> = all_diagnostics(report).map(|d| (d.code.clone(), d.location.path.clone(), d.location.line)).collect();
    out.sort();
    out
}

fn run_folder(folder: &str, expect_valid: bool) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder);
    let mut n = 0;
    let mut entries: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml" | "json") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let report = validate_bytes(&bytes, &fixture_options(&text)).unwrap();
        let got = actual(&report);
        let want = expectations(&path, &text);
        assert_eq!(got, want, "\n{}: diagnostics differ\nfull report: {:#?}", path.display(), report);
        if expect_valid {
            assert_eq!(report.summary.counts.errors, 0, "{}", path.display());
            assert!(report.documents.iter().all(|d| d.status != spiderendpoint::DocumentStatus::Invalid));
        } else {
            assert!(report.summary.counts.errors > 0, "{} should have an error", path.display());
        }
        n += 1;
    }
    n
}

#[test]
fn valid_fixtures() {
    assert!(run_folder("valid", true) >= 7);
}

#[test]
fn invalid_fixtures() {
    assert!(run_folder("invalid", false) >= 1);
}

/// `FIXTURE=path cargo test --test fixtures dump -- --ignored --nocapture` prints a file's diagnostics.
#[test]
#[ignore]
fn dump() {
    let path = std::env::var("FIXTURE").unwrap();
    let bytes = fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let report = validate_bytes(&bytes, &fixture_options(&text)).unwrap();
    for d in all_diagnostics(&report) {
        println!("# expect: {} {} {}    ({}:{} {})", d.code, if d.location.path.is_empty() { "-" } else { &d.location.path }, d.location.line, d.severity.as_str(), d.location.column, d.message);
    }
}
