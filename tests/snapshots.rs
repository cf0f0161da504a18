//! Snapshot tests of what the core reports for every fixture (tests/fixtures/{valid,invalid,convert,
//! audit}, and any folder added there later, but crashes/ and repo/): the validate report, for the
//! convert fixtures the convert (or normalize) result, for the audit fixtures the audit report, as the
//! JSON the npm package returns. A change of a
//! message, a position or a fix shows as a diff of tests/snapshots/core/*.snap to review.
//!
//! `cargo test --test snapshots` fails on any difference (and writes the new text beside the old
//! one as `.snap.new`); `INSTA_UPDATE=always cargo test --test snapshots` rewrites the snapshots,
//! then review them with `git diff tests/snapshots/` (or `cargo insta review` where cargo-insta is
//! installed). See README "Testing".

use std::fs;
use std::path::{Path, PathBuf};

use spiderendpoint::{ApiVersion, NormalizeOptions};
use test_support::fixture_options;

/// Every fixture file (YAML or JSON) in the folders of tests/fixtures, but crashes/ and repo/.
fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    // crashes/: the fuzzers' raw finds (tests/fuzz_smoke.rs); repo/: a repository tree for the CLI's
    // walk, config and ignore files (tests/node/cli-repo.test.mjs)
    for folder in folders.into_iter().filter(|f| !f.ends_with("crashes") && !f.ends_with("repo")) {
        let mut files: Vec<PathBuf> = fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        out.extend(files.into_iter().filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))));
    }
    assert!(out.len() >= 40, "fixtures not found under {}", root.display());
    out
}

/// The snapshot's name: the fixture's path below tests/fixtures, `/` as `__`.
fn name(path: &Path, what: &str) -> String {
    let rel = path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")).unwrap();
    format!("{}.{what}", rel.to_string_lossy().replace('/', "__"))
}

/// The options an audit fixture asks for in a `# options: spiderpoolVersion=X now=T` line (as
/// tests/audit_fixtures.rs reads it).
fn audit_options(text: &str) -> spiderendpoint::AuditOptions {
    let mut options = spiderendpoint::AuditOptions::default();
    for kv in text.lines().filter_map(|l| l.strip_prefix("# options: ")).flat_map(str::split_whitespace) {
        match kv.split_once('=') {
            Some(("spiderpoolVersion", v)) => options.spiderpool_version = Some(v.into()),
            Some(("now", v)) => options.now = Some(v.into()),
            _ => panic!("unknown audit option {kv}"),
        }
    }
    options
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// Every snapshot: (name, content, what it is). Validate for every fixture; for the convert
/// fixtures `*.v1.*` to v2beta1, `*.v2beta1.*` to v1, the others both ways, and `normalize*` files
/// through normalize (and with dropUnknown).
fn cases() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for path in fixtures() {
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let opts = fixture_options(&text);
        let report = spiderendpoint::validate_bytes(&bytes, &opts).unwrap();
        out.push((name(&path, "validate"), json(&report), "validate: the report".to_string()));
        if path.parent().unwrap().ends_with("audit") {
            let name_of = path.file_name().unwrap().to_string_lossy().to_string();
            let r = spiderendpoint::audit(&[(name_of.as_str(), &text)], &audit_options(&text)).unwrap();
            out.push((name(&path, "audit"), json(&r), "audit: the report".to_string()));
        }
        if !path.parent().unwrap().ends_with("convert") {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if file.starts_with("normalize") {
            let r = spiderendpoint::normalize(&text, &opts.input().into()).unwrap();
            out.push((name(&path, "normalize"), json(&r), "normalize: the result".to_string()));
            let drop = NormalizeOptions { drop_unknown: Some(true), ..opts.input().into() };
            let r = spiderendpoint::normalize(&text, &drop).unwrap();
            out.push((name(&path, "normalize-drop-unknown"), json(&r), "normalize with dropUnknown: the result".to_string()));
            continue;
        }
        let targets: &[ApiVersion] = if file.contains(".v1.") {
            &[ApiVersion::V2beta1]
        } else if file.contains(".v2beta1.") {
            &[ApiVersion::V1]
        } else {
            &[ApiVersion::V1, ApiVersion::V2beta1]
        };
        for &to in targets {
            let r = spiderendpoint::convert(&text, to, &opts.input().into()).unwrap();
            out.push((name(&path, &format!("convert-{}", to.short())), json(&r), format!("convert to {}: the result", to.short())));
        }
    }
    out
}

/// Every snapshot matches; a snapshot file no case writes (its fixture is gone) fails too. All cases
/// are compared before the test fails, so that one run writes every `.snap.new`.
#[test]
fn fixture_reports_match_their_snapshots() {
    let cases = cases();
    let mut failed = Vec::new();
    for (name, content, info) in &cases {
        let r = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => "snapshots/core",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => info.as_str(),
            }, {
                insta::assert_snapshot!(name.as_str(), content.as_str());
            });
        });
        if r.is_err() {
            failed.push(name.clone());
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/core");
    let mut stale: Vec<String> = fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default();
    stale.retain(|f| f.ends_with(".snap") && !cases.iter().any(|(n, _, _)| format!("{n}.snap") == *f));
    assert!(stale.is_empty(), "snapshots without a fixture (delete them): {stale:#?}");
    assert!(failed.is_empty(), "{} snapshot(s) differ (diffs above; README \"Testing\" says how to update and review): {failed:#?}", failed.len());
}
