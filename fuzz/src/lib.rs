//! The fuzz target bodies, shared by the cargo-fuzz targets (fuzz/fuzz_targets/*.rs) and the
//! stable-Rust smoke test (tests/fuzz_smoke.rs includes this file with `#[path]`), so both run the
//! same checks.
//!
//! Every body calls the public API and asserts invariants; a violated invariant panics, which
//! libFuzzer reports as a crash (and the smoke test as a failure). A panic inside the library is a
//! crash too: in WebAssembly it would trap the whole module.
//!
//! Only `spiderendpoint`, `serde_json` and `std` are used, and no `crate::` paths, so that the file
//! compiles both as the library of the fuzz crate and as a module of an integration test.

#![allow(dead_code)]

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use spiderendpoint::{ApiVersion, Diagnostic, DocumentStatus, Report, Severity, TextEdit, TransformResult, ValidateOptions, RULES};

// ------------------------------------------------------------------------------------------------
// Target bodies
// ------------------------------------------------------------------------------------------------

/// Arbitrary bytes into `validate_bytes` (and `validate` when they are UTF-8), under the default
/// options and one option set picked from the input's hash.
pub fn validate_bytes(data: &[u8]) {
    let opts = ValidateOptions::default();
    let report = spiderendpoint::validate_bytes(data, &opts).expect("default options are never misuse");
    match std::str::from_utf8(data) {
        Ok(text) => {
            check_report(text, &report);
            let again = spiderendpoint::validate(text, &opts).expect("validate");
            assert_eq!(report, again, "validate_bytes and validate differ (or validate is not deterministic)");
            check_fixes(text, &report);
            let picked = picked_options(data);
            let other = spiderendpoint::validate(text, &picked).expect("valid options");
            check_report(text, &other);
        }
        Err(e) => {
            // Invalid UTF-8: exactly one file-level SE002 at the first bad byte, positions in the valid prefix.
            let prefix = std::str::from_utf8(&data[..e.valid_up_to()]).unwrap();
            check_report(prefix, &report);
            assert!(report.documents.is_empty());
            assert_eq!(report.diagnostics.len(), 1);
            assert_eq!(report.diagnostics[0].code, "SE002");
            assert_eq!(report.diagnostics[0].offset, e.valid_up_to());
        }
    }
    // The option strings are user input too.
    if data.len() <= 40 {
        let s = String::from_utf8_lossy(data);
        let opts = ValidateOptions { spiderpool_version: Some(s.to_string()), ..Default::default() };
        if let Ok(r) = spiderendpoint::validate("", &opts) {
            check_report("", &r);
        }
        let _ = spiderendpoint::json_schema(Some(&s), None);
        let _ = spiderendpoint::json_schema(None, Some(&s));
    }
}

/// Structure-aware: the bytes choose valid endpoints, mutations of their values, a rendering (YAML
/// block/flow, JSON, anchors, tags, comments) and possibly text-level damage. When no text-level
/// damage was done the text is valid YAML, so it must parse without a YAML problem to exactly the
/// generated values, and its JSON rendering must get the same diagnostics.
pub fn validate_structured(data: &[u8]) {
    let g = generate(data);
    let text = g.text.as_str();
    let report = spiderendpoint::validate(text, &ValidateOptions::default()).expect("default options");
    check_report(text, &report);
    check_fixes(text, &report);
    let picked = picked_options(data);
    check_report(text, &spiderendpoint::validate(text, &picked).expect("valid options"));
    if !g.exact {
        return;
    }
    // The generator wrote valid YAML: no YAML-level problem, and the tree is the generated value.
    let yaml_problems: Vec<&Diagnostic> = all_diagnostics(&report).filter(|d| d.code.as_str() < "SE010").collect();
    assert!(yaml_problems.is_empty(), "valid generated YAML got YAML problems: {yaml_problems:#?}\n--- text:\n{text}");
    // the generator follows the YAML 1.2 core schema (kubectl's reading turns integral floats into integers)
    let yaml_1_2 = spiderendpoint::yaml::Budget { yaml_version: spiderendpoint::yaml::YamlVersion::V1_2, ..Default::default() };
    let stream = spiderendpoint::yaml::parse(text, yaml_1_2);
    assert!(stream.complete && stream.problems.is_empty(), "{:?}", stream.problems);
    let parsed: Vec<Value> = stream.docs.iter().map(|d| d.root.as_ref().map_or(Value::Null, |r| r.to_json(text))).collect();
    assert_eq!(parsed.len(), g.values.len(), "document count\n--- text:\n{text}");
    for (i, (got, want)) in parsed.iter().zip(&g.values).enumerate() {
        assert!(same_json(got, want), "document {i} parsed to\n{got:#}\nbut the generator wrote\n{want:#}\n--- text:\n{text}");
    }
    // Same values as JSON: same findings (code, path) and statuses.
    let json_text = g.values.iter().map(|v| serde_json::to_string_pretty(v).unwrap()).collect::<Vec<_>>().join("\n---\n");
    let json_report = spiderendpoint::validate(&json_text, &ValidateOptions::default()).expect("default options");
    check_report(&json_text, &json_report);
    assert_eq!(
        semantic_summary(&report),
        semantic_summary(&json_report),
        "the YAML and the JSON rendering of the same values got different diagnostics\n--- yaml:\n{text}\n--- json:\n{json_text}"
    );
}

/// Arbitrary bytes into `normalize` (default options, dropUnknown, then the picked ones).
pub fn normalize_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let r = spiderendpoint::transform::normalize_bytes(data, &ValidateOptions::default()).expect("default options");
        assert!(!r.ok && r.edits.is_empty() && r.changes.is_empty());
        return;
    };
    check_normalize(text, &ValidateOptions::default());
    check_normalize(text, &ValidateOptions { drop_unknown: Some(true), ..Default::default() });
    check_normalize(text, &picked_options(data));
}

/// Structure-aware inputs into `normalize`.
pub fn normalize_structured(data: &[u8]) {
    let g = generate(data);
    check_normalize(&g.text, &ValidateOptions::default());
    let drop = ValidateOptions { drop_unknown: Some(true), ..Default::default() };
    check_normalize(&g.text, &drop);
}

/// Arbitrary bytes into `convert`, to both versions.
pub fn convert_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let r = spiderendpoint::transform::convert_bytes(data, ApiVersion::V1, &ValidateOptions::default()).expect("default options");
        assert!(!r.ok && r.edits.is_empty() && r.changes.is_empty());
        return;
    };
    let lossless = data.len() % 2 == 0;
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        check_convert(text, to, lossless);
    }
    // a named release: may be misuse (it serves the other version), never a panic
    let picked = picked_options(data);
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        if let Ok(r) = spiderendpoint::convert(text, to, &picked) {
            check_transform(text, &r, "convert (picked options)");
        }
    }
}

/// Structure-aware inputs into `convert`, to both versions, lossless and not.
pub fn convert_structured(data: &[u8]) {
    let g = generate(data);
    let lossless = data.first().is_some_and(|b| b & 1 == 0);
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        check_convert(&g.text, to, lossless);
    }
}

/// The fast YAML path against the full loader: whenever the fast path accepts, the trees, spans and
/// documents are identical. Runs on the bytes as text and on a structure-aware rendering.
pub fn yaml_fast(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_fast(text, spiderendpoint::yaml::Budget::default());
        check_fast(text, spiderendpoint::yaml::Budget { max_depth: 3, max_alias_nodes: 5, ..Default::default() });
    }
    let g = generate(data);
    check_fast(&g.text, spiderendpoint::yaml::Budget::default());
}

fn check_fast(text: &str, budget: spiderendpoint::yaml::Budget) {
    let Some(fast) = spiderendpoint::yaml::parse_fast(text, budget) else { return };
    let slow = spiderendpoint::yaml::parse_slow(text, budget);
    // NaN != NaN: compare the debug renderings when the values differ
    if fast != slow {
        assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "fast path and loader disagree\n--- text:\n{text}");
    }
}

fn has_yaml_problem(text: &str) -> bool {
    let r = spiderendpoint::validate(text, &ValidateOptions::default()).expect("default options");
    let found = all_diagnostics(&r).any(|d| d.code.as_str() < "SE010");
    found
}

fn check_normalize(text: &str, opts: &ValidateOptions) {
    let r = spiderendpoint::normalize(text, opts).expect("normalize: valid options are never misuse");
    check_transform(text, &r, "normalize");
    let again = spiderendpoint::normalize(&r.output, opts).expect("normalize");
    assert!(
        again.edits.is_empty() && again.changes.is_empty() && again.output == r.output,
        "normalize is not idempotent: {:#?}\n--- input:\n{text}\n--- once:\n{}\n--- twice:\n{}",
        again.changes,
        r.output,
        again.output
    );
}

fn check_convert(text: &str, to: ApiVersion, lossless: bool) {
    let opts = ValidateOptions { lossless: Some(lossless), ..Default::default() };
    let there = spiderendpoint::convert(text, to, &opts).expect("convert: default options are never misuse");
    check_transform(text, &there, "convert");
    if lossless && there.ok && !there.changes.is_empty() {
        lossless_round_trip(text, &there, to, &opts);
    }
    let again = spiderendpoint::convert(&there.output, to, &opts).expect("convert");
    assert!(
        again.edits.is_empty() && again.changes.is_empty(),
        "converting the output to {} again changes it: {:#?}\n--- input:\n{text}\n--- once:\n{}\n--- twice:\n{}",
        to.short(),
        again.changes,
        there.output,
        again.output
    );
}

/// Lossless mode: converting back gives the original documents, when every SpiderEndpoint of the
/// input was at the other version (documents already at the target are left alone) and both
/// conversions succeeded.
fn lossless_round_trip(text: &str, there: &TransformResult, to: ApiVersion, opts: &ValidateOptions) {
    let from = if to == ApiVersion::V1 { ApiVersion::V2beta1 } else { ApiVersion::V1 };
    let report = spiderendpoint::validate(text, &ValidateOptions::default()).expect("default options");
    if all_diagnostics(&report).any(|d| d.code.as_str() < "SE010") {
        return;
    }
    let all_from = report
        .documents
        .iter()
        .filter(|d| d.kind.as_deref() == Some("SpiderEndpoint"))
        .all(|d| d.api_version.as_deref() == Some(from.full()));
    if !all_from {
        return;
    }
    let back = spiderendpoint::convert(&there.output, from, opts).expect("convert");
    if !back.ok {
        return;
    }
    let values = |t: &str| -> Vec<Value> {
        let s = spiderendpoint::yaml::parse(t, Default::default());
        s.docs.iter().map(|d| d.root.as_ref().map_or(Value::Null, |r| r.to_json(t))).collect()
    };
    let (original, restored) = (values(text), values(&back.output));
    assert!(
        original.len() == restored.len() && original.iter().zip(&restored).all(|(a, b)| same_json(a, b)),
        "lossless {} -> {} -> {} does not give the input back\n--- input:\n{text}\n--- there:\n{}\n--- back:\n{}",
        from.short(),
        to.short(),
        from.short(),
        there.output,
        back.output
    );
}

/// A transform result: edits that reproduce the output, well-formed diagnostics (positions in the
/// input), JSON stays JSON, valid YAML stays valid YAML, and it serializes.
pub fn check_transform(text: &str, r: &TransformResult, what: &str) {
    let pos = Positions::new(text);
    for d in &r.diagnostics {
        check_diagnostic(text, &pos, d);
    }
    check_edits(text, &pos, &r.edits, &|| format!("{what}\n--- input:\n{text}"));
    assert_eq!(apply_edits(text, &r.edits), r.output, "{what}: the edits do not give the output\n--- input:\n{text}");
    if r.edits.is_empty() {
        assert_eq!(r.output, text, "{what}: no edits but a different output");
    }
    for c in &r.changes {
        assert!(c.path.is_empty() || c.path.starts_with('/'), "{what}: change path {:?}", c.path);
    }
    if !r.edits.is_empty() {
        if serde_json::from_str::<Value>(text).is_ok() {
            assert!(serde_json::from_str::<Value>(&r.output).is_ok(), "{what}: JSON in, not JSON out\n--- input:\n{text}\n--- output:\n{}", r.output);
        }
        if !has_yaml_problem(text) {
            let after = spiderendpoint::validate(&r.output, &ValidateOptions::default()).expect("default options");
            let broken: Vec<&Diagnostic> = all_diagnostics(&after).filter(|x| x.code.as_str() < "SE010").collect();
            let complex_key_only = broken.iter().all(|x| x.code == "SE007");
            assert!(broken.is_empty() || (complex_key_only && known("complex-key-out")), "{what}: valid YAML in, YAML problems out: {broken:#?}\n--- input:\n{text}\n--- output:\n{}", r.output);
        }
    }
    serde_json::to_string(r).expect("the result serializes");
}

/// The (document, item, status, sorted (code, path)) of every document: what does not depend on
/// where in the text things are.
fn semantic_summary(r: &Report) -> Vec<(usize, Option<usize>, DocumentStatus, Vec<(String, String)>)> {
    r.documents
        .iter()
        .map(|d| {
            let mut findings: Vec<(String, String)> = d.diagnostics.iter().map(|x| (x.code.clone(), x.path.clone())).collect();
            findings.sort();
            (d.index, d.item, d.status, findings)
        })
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Report invariants
// ------------------------------------------------------------------------------------------------

fn all_diagnostics(r: &Report) -> impl Iterator<Item = &Diagnostic> {
    r.diagnostics.iter().chain(r.documents.iter().flat_map(|d| d.diagnostics.iter()))
}

/// Line, column (UTF-16, 1-based) and UTF-16 offset of every byte offset 0..=len, computed
/// independently of the library (line breaks: `\n`, `\r\n`, lone `\r`).
struct Positions {
    line: Vec<u32>,
    column: Vec<u32>,
    utf16: Vec<u32>,
}

impl Positions {
    fn new(text: &str) -> Positions {
        let n = text.len();
        let bytes = text.as_bytes();
        let mut p = Positions { line: vec![0; n + 1], column: vec![0; n + 1], utf16: vec![0; n + 1] };
        let (mut line, mut col, mut u16) = (1u32, 1u32, 0u32);
        let mut i = 0;
        for (at, c) in text.char_indices() {
            debug_assert_eq!(at, i);
            let w = c.len_utf8();
            for k in 0..w {
                // offsets inside a char are not char boundaries and never checked
                p.line[at + k] = line;
                p.column[at + k] = col;
                p.utf16[at + k] = u16;
            }
            u16 += c.len_utf16() as u32;
            let breaks = c == '\n' || (c == '\r' && bytes.get(at + 1) != Some(&b'\n'));
            if breaks {
                line += 1;
                col = 1;
            } else {
                col += c.len_utf16() as u32;
            }
            i += w;
        }
        p.line[n] = line;
        p.column[n] = col;
        p.utf16[n] = u16;
        p
    }
}

/// Asserts that a report is well-formed for `text`.
pub fn check_report(text: &str, r: &Report) {
    let pos = Positions::new(text);
    let line_count = pos.line[text.len()] as usize;
    let mut errors = 0;
    let mut warnings = 0;
    let mut infos = 0;
    let mut total = 0;
    let mut check_list = |list: &[Diagnostic]| {
        let mut prev: Option<(usize, &str)> = None;
        for d in list {
            total += 1;
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
            check_diagnostic(text, &pos, d);
            // sorted by (offset, code)
            if let Some(p) = prev {
                assert!(p <= (d.offset, d.code.as_str()), "diagnostics not sorted at {d:#?}");
            }
            prev = Some((d.offset, d.code.as_str()));
        }
    };
    check_list(&r.diagnostics);
    let capped = all_diagnostics(r).count() >= spiderendpoint::report::MAX_DIAGNOSTICS;
    let (mut valid, mut invalid, mut skipped) = (0, 0, 0);
    let mut last_index = 0;
    for doc in &r.documents {
        check_list(&doc.diagnostics);
        assert!(doc.index >= last_index, "documents out of order");
        last_index = doc.index;
        assert!(1 <= doc.line && doc.line <= doc.end_line && doc.end_line <= line_count, "document lines {}..{} of {line_count}", doc.line, doc.end_line);
        let has_error = doc.diagnostics.iter().any(|d| d.severity == Severity::Error);
        match doc.status {
            DocumentStatus::Valid => {
                valid += 1;
                assert!(!has_error, "a valid document with an error: {doc:#?}");
            }
            DocumentStatus::Invalid => {
                invalid += 1;
                assert!(has_error || capped, "an invalid document without an error: {doc:#?}");
            }
            DocumentStatus::Skipped => skipped += 1,
        }
    }
    assert!(total <= spiderendpoint::report::MAX_DIAGNOSTICS);
    let s = &r.summary;
    assert_eq!((s.documents, s.valid, s.invalid, s.skipped), (r.documents.len(), valid, invalid, skipped), "summary counts");
    assert_eq!((s.errors, s.warnings, s.infos), (errors, warnings, infos), "summary severities");
    assert_eq!(r.has_errors(), errors > 0);
    let json = serde_json::to_string(r).expect("the report serializes");
    let _: Value = serde_json::from_str(&json).expect("the report is JSON");
}

/// One diagnostic: a known rule, positions that agree with the text, well-formed fix edits.
fn check_diagnostic(text: &str, pos: &Positions, d: &Diagnostic) {
    let at = |what: &str| format!("{what} in {d:#?}\n--- text ({} bytes): {:?}", text.len(), clip(text));
    let info = RULES.iter().find(|i| i.code == d.code).unwrap_or_else(|| panic!("{}", at("unknown code")));
    assert_eq!(info.rule, d.rule, "{}", at("rule name"));
    assert_eq!(info.severity, d.severity, "{}", at("severity"));
    assert!(!d.message.is_empty(), "{}", at("empty message"));
    assert!(d.path.is_empty() || d.path.starts_with('/'), "{}", at("path is not a JSON Pointer"));
    assert!(d.offset <= d.end_offset && d.end_offset <= text.len(), "{}", at("offsets out of range"));
    assert!(text.is_char_boundary(d.offset) && text.is_char_boundary(d.end_offset), "{}", at("offset not on a char boundary"));
    assert_eq!((d.line, d.column), (pos.line[d.offset] as usize, pos.column[d.offset] as usize), "{}", at("line/column"));
    assert_eq!((d.end_line, d.end_column), (pos.line[d.end_offset] as usize, pos.column[d.end_offset] as usize), "{}", at("end line/column"));
    assert_eq!(d.utf16_offset, pos.utf16[d.offset] as usize, "{}", at("utf16 offset"));
    assert_eq!(d.utf16_end_offset, pos.utf16[d.end_offset] as usize, "{}", at("utf16 end offset"));
    assert!(d.line >= 1 && d.column >= 1 && d.end_line >= d.line, "{}", at("positions"));
    assert!(d.end_line > d.line || d.end_column >= d.column, "{}", at("end before start"));
    if let Some(fix) = &d.fix {
        assert!(!fix.edits.is_empty(), "{}", at("a fix without edits"));
        check_edits(text, pos, &fix.edits, &|| at("fix"));
    }
}

/// Text edits: in range, on char boundaries, not overlapping, UTF-16 offsets right.
fn check_edits(text: &str, pos: &Positions, edits: &[TextEdit], what: &dyn Fn() -> String) {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.offset, e.end_offset));
    let mut end = 0;
    let mut prev: Option<&TextEdit> = None;
    for e in sorted {
        assert!(e.offset <= e.end_offset && e.end_offset <= text.len(), "edit out of range: {e:?}\n{}", what());
        assert!(text.is_char_boundary(e.offset) && text.is_char_boundary(e.end_offset), "edit not on a char boundary: {e:?}\n{}", what());
        if e.offset < end && prev.is_some_and(|p: &TextEdit| p.offset == e.offset && p.end_offset == e.end_offset && p.new_text == e.new_text) && known("duplicate-edits") {
            continue;
        }
        assert!(e.offset >= end, "overlapping edits at {e:?}\n{}", what());
        prev = Some(e);
        assert_eq!((e.utf16_offset, e.utf16_end_offset), (pos.utf16[e.offset] as usize, pos.utf16[e.end_offset] as usize), "edit utf16 offsets: {e:?}\n{}", what());
        end = e.end_offset;
    }
}

fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.offset, e.end_offset));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.offset < at {
            continue; // a duplicate (check_edits refuses other overlaps)
        }
        out.push_str(&text[at..e.offset]);
        out.push_str(&e.new_text);
        at = e.end_offset;
    }
    out.push_str(&text[at..]);
    out
}

/// Applies each fix (the first few) and re-validates: never a panic, a fix never turns a file
/// without YAML problems into one with a YAML problem, nor JSON into something else.
pub fn check_fixes(text: &str, r: &Report) {
    let yaml_ok = !all_diagnostics(r).any(|d| d.code.as_str() < "SE010");
    let is_json = serde_json::from_str::<Value>(text).is_ok();
    for d in all_diagnostics(r).filter(|d| d.fix.is_some()).take(8) {
        let fix = d.fix.as_ref().unwrap();
        let out = apply_edits(text, &fix.edits);
        let after = spiderendpoint::validate(&out, &ValidateOptions::default()).expect("default options");
        check_report(&out, &after);
        // A "Remove `key`" fix in a file with flow collections (see `known`).
        let removes_in_flow = fix.message.starts_with("Remove `") && fix.edits.iter().all(|e| e.new_text.is_empty()) && text.contains(['{', '[']);
        let tolerated = removes_in_flow && known("flow-entry-lines");
        if is_json && !tolerated {
            assert!(
                serde_json::from_str::<Value>(&out).is_ok(),
                "applying the fix of {} ({:?}) to JSON made it something else than JSON\n--- before:\n{text}\n--- after:\n{out}",
                d.code,
                fix.message
            );
        }
        if yaml_ok && !tolerated {
            let broken: Vec<&Diagnostic> = all_diagnostics(&after).filter(|x| x.code.as_str() < "SE010").collect();
            assert!(
                broken.is_empty(),
                "applying the fix of {} ({:?}) made the YAML invalid: {broken:#?}\n--- before:\n{text}\n--- after:\n{out}",
                d.code,
                fix.message
            );
        }
    }
}

/// Known bugs the long fuzz runs may step over, so that they find the next one: a comma-separated
/// list of names in `FUZZ_KNOWN` (scripts/fuzz.sh passes it through). Unset in the smoke test and
/// for the saved crashes, which therefore fail until the bug is fixed.
///
/// Open bugs (see tests/fixtures/crashes/README.md):
/// - `complex-key-out`: normalize/convert turn a flow pair with an empty key (`[: ]`) into a
///   mapping used as a key (`[{}: ]`).
///
/// Fixed, still accepted: `flow-entry-lines` ("Remove `key`" deleting whole lines inside a flow
/// mapping) and `duplicate-edits` (the same transform edit twice through an alias), both a6886fc.
/// Names of fixed bugs are harmless (nothing checks them any more).
pub fn known(name: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| std::env::var("FUZZ_KNOWN").unwrap_or_default().split(',').map(|s| s.trim().to_string()).collect())
        .iter()
        .any(|k| k == name)
}

fn clip(text: &str) -> &str {
    let mut n = text.len().min(2000);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    &text[..n]
}

/// Compares JSON values, floats by bit pattern after the f64 round trip both sides go through.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64() && x.is_f64() == y.is_f64()),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// One of a few option sets, chosen by a hash of the input (deterministic, so crashes reproduce).
pub fn picked_options(data: &[u8]) -> ValidateOptions {
    let h = data.iter().fold(0xcbf29ce484222325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3));
    let version = |v: &str| ValidateOptions { spiderpool_version: Some(v.into()), ..Default::default() };
    match h % 8 {
        0 => version("0.3.7"),
        1 => version("0.5.0"),
        2 => version("v0.6.1"),
        3 => version("1.2"),
        4 => ValidateOptions { max_depth: Some(3), max_alias_nodes: Some(5), ..Default::default() },
        5 => ValidateOptions { max_bytes: Some(data.len() / 2), ..Default::default() },
        6 => ValidateOptions { max_depth: Some(0), max_alias_nodes: Some(0), ..Default::default() },
        _ => ValidateOptions { lossless: Some(true), drop_unknown: Some(true), ..Default::default() },
    }
}

// ------------------------------------------------------------------------------------------------
// Choices: the fuzzer's bytes read as a stream of decisions (exhausted = all zero = "do nothing")
// ------------------------------------------------------------------------------------------------

pub struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data, pos: 0 }
    }
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    /// 0..n
    fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            _ => ((self.byte() as usize) << 8 | self.byte() as usize) % n,
        }
    }
    /// True with probability about k/256 (never once the bytes are used up).
    fn chance(&mut self, k: u8) -> bool {
        let b = self.byte();
        b != 0 && b <= k
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ------------------------------------------------------------------------------------------------
// Valid endpoints and interesting values
// ------------------------------------------------------------------------------------------------

fn bases() -> &'static [Value] {
    static BASES: OnceLock<Vec<Value>> = OnceLock::new();
    BASES.get_or_init(|| {
        let v2 = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "pod-a", "namespace": "default"},
            "status": {
                "current": {
                    "uid": "11111111-2222-4333-8444-555555555555",
                    "node": "worker-1",
                    "ips": [{"interface": "eth0", "ipv4": "10.1.0.5/24", "ipv4Pool": "pool-a", "ipv4Gateway": "10.1.0.1", "vlan": 0}]
                },
                "ownerControllerName": "pod-a",
                "ownerControllerType": "Pod"
            }
        });
        let dual = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "web-7d9f8c-abcde", "namespace": "shop", "labels": {"app": "web"}},
            "status": {
                "current": {
                    "uid": "3c1e4b8a-9f2d-4e6a-b7c5-d8e9f0a1b2c3",
                    "node": "worker-2",
                    "ips": [
                        {"cleanGateway": false, "interface": "eth0", "ipv4": "10.6.1.21/16", "ipv4Gateway": "10.6.0.1",
                         "ipv4Pool": "default-v4-ippool", "ipv6": "fd00:10:6::21/64", "ipv6Gateway": "fd00:10:6::1",
                         "ipv6Pool": "default-v6-ippool", "mac": "aa:bb:cc:dd:ee:01",
                         "routes": [{"dst": "10.96.0.0/12", "gw": "10.6.0.1"}, {"dst": "fd00:96::/108", "gw": "fd00:10:6::1"}], "vlan": 100},
                        {"interface": "net1", "ipv4": "192.168.40.9/24", "ipv4Pool": "pool-b", "vlan": 4094, "cleanGateway": true}
                    ]
                },
                "ownerControllerName": "web",
                "ownerControllerType": "Deployment"
            }
        });
        let v1 = json!({
            "apiVersion": "spiderpool.spidernet.io/v1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "demo-sts-0", "namespace": "default"},
            "status": {
                "current": {
                    "containerID": "5c7a1c9cf494c02090848bd3f8131817d02ee9f3046cd33a5ec4b74b897d6789",
                    "creationTime": "2022-07-29T08:54:12Z",
                    "node": "spider-worker",
                    "ips": [{"interface": "eth0", "ipv4": "172.18.40.47/16", "ipv4Gateway": "", "ipv4Pool": "default-v4-ippool",
                             "ipv6": "fc00:f853:ccd:e793:f::63/64", "ipv6Gateway": "", "ipv6Pool": "default-v6-ippool", "vlan": 0}]
                },
                "history": [{
                    "containerID": "cffbddab79dc8eea447315da9b84db402d515b657d2b6943a87b47cdfa876359",
                    "creationTime": "2022-07-29T08:50:00Z",
                    "node": "spider-worker",
                    "ips": [{"interface": "eth0", "ipv4": "172.18.40.47/16", "ipv4Pool": "default-v4-ippool", "vlan": 0}]
                }],
                "ownerControllerType": "StatefulSet"
            }
        });
        let list = json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [v2.clone(), {
                "apiVersion": "spiderpool.spidernet.io/v2beta1",
                "kind": "SpiderEndpoint",
                "metadata": {"name": "db-0", "namespace": "shop"},
                "status": {"current": {"uid": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918", "node": "worker-2",
                    "ips": [{"interface": "eth0", "ipv4": "10.6.1.22/16", "ipv4Pool": "default-v4-ippool", "vlan": 0}]},
                    "ownerControllerName": "db", "ownerControllerType": "StatefulSet"}
            }],
            "metadata": {"resourceVersion": ""}
        });
        let kubevirt = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "vm-1", "namespace": "kubevirt"},
            "status": {
                "current": {"uid": "0d6e2f7a-3b4c-4d5e-8f90-a1b2c3d4e5f6", "node": "worker-3",
                    "ips": [{"interface": "eth0", "ipv6": "fd00:172:100::201/64", "ipv6Pool": "v6", "ipv6Gateway": "fd00:172:100::1", "vlan": 0},
                            {"interface": "", "ipv4": "10.60.1.2/24", "ipv4Pool": "v4", "vlan": 0}]},
                "ownerControllerName": "vm-1",
                "ownerControllerType": "VirtualMachine"
            }
        });
        // a v1 object that converts: its Pod owner reference gives v2beta1 its uid
        let v1_pod = json!({
            "apiVersion": "spiderpool.spidernet.io/v1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "json-pod", "namespace": "default",
                "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "json-pod", "uid": "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6", "controller": false}]},
            "status": {
                "current": {"containerID": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "creationTime": "2023-01-05T10:00:01Z",
                    "node": "worker-3",
                    "ips": [{"interface": "eth0", "ipv4": "10.7.0.5/24", "ipv4Gateway": "10.7.0.1", "ipv4Pool": "pool-a", "vlan": 0},
                            {"interface": "net1", "ipv6": "fd00:7::5/64", "ipv6Pool": "pool-b", "vlan": 100, "routes": [{"dst": "fd00:96::/108", "gw": "fd00:7::1"}]}]},
                "ownerControllerType": "None"
            }
        });
        let other = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}});
        vec![v2, dual, v1, list, kubevirt, v1_pod.clone(), v1_pod, other]
    })
}

const KEYS: &[&str] = &[
    "apiVersion", "kind", "metadata", "name", "namespace", "generateName", "labels", "annotations", "status", "current",
    "history", "uid", "node", "ips", "interface", "ipv4", "ipv6", "ipv4Pool", "ipv6Pool", "ipv4Gateway", "ipv6Gateway",
    "cleanGateway", "vlan", "routes", "dst", "gw", "mac", "ownerControllerName", "ownerControllerType", "containerID",
    "creationTime", "items", "spec", "Vlan", "ipv4gateway", "interfce", "x", "",
];

const STRINGS: &[&str] = &[
    "", " ", "eth0", "net1", "a very long interface name", "eth0.100", ".", "..", "a/b", "a:b",
    "10.1.0.5/24", "10.1.0.5", "10.1.0.1", "10.1.0.5/33", "10.1.0.5/-1", "300.1.1.1/24", "10.1.0.0/16", "0.0.0.0/0",
    "fd00::5/64", "fd00::1", "fd00::5/129", "::/0", "::ffff:10.1.0.5/120", "fe80::1%eth0/64", "10.1.0.5/24/24",
    "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee", "Pod", "None", "StatefulSet", "Deployment", "Job",
    "VirtualMachine", "SpiderEndpoint", "SpiderEndpiont", "SpiderEndpointList", "List", "SpiderIPPool",
    "spiderpool.spidernet.io/v1", "spiderpool.spidernet.io/v2beta1", "spiderpool.spidernet.io/v2beta2", "v1",
    "spiderpool.spidernet.io", "Bad_Name", "kube.system", "a-b-c", "2022-07-29T08:54:12Z", "2022-13-45", "yesterday",
    "11111111-2222-4333-8444-555555555555", "not-a-uuid", "7", "4095", "-1", "true", "null", "~", "0x10", "1e3",
    "é", "😀", "pöd-😀", "\u{feff}", "\u{85}", "\u{2028}", "a\nb", "a\tb", "\"", "'", "\\", "# x", "- x", "a: b", "{}", "[]",
    "&a", "*a", "!!int", "<<",
];

fn interesting(c: &mut Choices) -> Value {
    match c.below(16) {
        0 => Value::Null,
        1 => Value::Bool(c.below(2) == 0),
        2 => json!(c.pick(&[0i64, 1, -1, 4094, 4095, 4096, 65535, i64::MAX, i64::MIN, 100])),
        3 => json!(c.pick(&[0.5f64, -0.0, 1e300, 1e-7, 4094.0, 2.5e10])),
        4 => json!({}),
        5 => json!([]),
        6 => {
            let n = c.below(3);
            Value::Array((0..n).map(|_| interesting_scalar(c)).collect())
        }
        7 => {
            let mut m = Map::new();
            for _ in 0..c.below(3) {
                m.insert(c.pick(KEYS).to_string(), interesting_scalar(c));
            }
            Value::Object(m)
        }
        8 => Value::String("x".repeat(c.pick(&[16usize, 64, 254, 2000]))),
        _ => Value::String(c.pick(STRINGS).to_string()),
    }
}

fn interesting_scalar(c: &mut Choices) -> Value {
    match interesting(c) {
        Value::Array(_) | Value::Object(_) => Value::String(c.pick(STRINGS).to_string()),
        v => v,
    }
}

// ------------------------------------------------------------------------------------------------
// Mutations of values
// ------------------------------------------------------------------------------------------------

/// JSON Pointers of every node (root first).
fn pointers(v: &Value, base: &str, out: &mut Vec<String>) {
    out.push(base.to_string());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(x, &format!("{base}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, &format!("{base}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A node picked uniformly (so mostly leaves: the fields the Spiderpool rules look at).
fn pick_node<'v>(v: &'v mut Value, c: &mut Choices) -> &'v mut Value {
    let mut all = Vec::new();
    pointers(v, "", &mut all);
    let p = &all[c.below(all.len())];
    v.pointer_mut(p).unwrap()
}

fn mutate(root: &mut Value, c: &mut Choices) {
    let op = c.below(12);
    match op {
        9 => {
            let api = c.pick(&["spiderpool.spidernet.io/v1", "spiderpool.spidernet.io/v2beta1", "spiderpool.spidernet.io/v2", "v1", "apps/v1"]);
            return set_top(root, "apiVersion", json!(api));
        }
        10 => {
            let kind = c.pick(&["SpiderEndpoint", "SpiderEndpoints", "spiderendpoint", "List", "SpiderEndpointList", "SpiderIPPool", "Pod"]);
            return set_top(root, "kind", json!(kind));
        }
        _ => {}
    }
    let node = pick_node(root, c);
    match (op, &mut *node) {
        (2, Value::Object(m)) if !m.is_empty() => {
            let k = m.keys().nth(c.below(m.len())).unwrap().clone();
            m.remove(&k);
        }
        (3, Value::Object(m)) => {
            let k = c.pick(KEYS).to_string();
            let v = interesting(c);
            m.insert(k, v);
        }
        (4, Value::Object(m)) if !m.is_empty() => {
            // rename a key: a typo, another case, another known key
            let k = m.keys().nth(c.below(m.len())).unwrap().clone();
            let v = m.remove(&k).unwrap();
            let nk = match c.below(4) {
                0 => k.to_uppercase(),
                1 => format!("{k}s"),
                2 => k.chars().rev().collect(),
                _ => c.pick(KEYS).to_string(),
            };
            m.insert(nk, v);
        }
        (5, Value::Array(a)) if !a.is_empty() => {
            let i = c.below(a.len());
            let dup = a[i].clone();
            a.push(dup);
        }
        (6, Value::Array(a)) if !a.is_empty() => {
            let i = c.below(a.len());
            a.remove(i);
        }
        (7, Value::String(s)) => {
            // small edits of a string: one character or a digit changed, a suffix, a prefix
            match c.below(5) {
                0 => s.push(c.pick(&['/', ':', '.', '0', '9', ' ', 'é', '😀', 'A', '-'])),
                1 => {
                    if let Some((i, ch)) = s.char_indices().nth(c.below(s.chars().count().max(1))) {
                        let repl = if ch.is_ascii_digit() { c.pick(&['0', '5', '9']) } else { c.pick(&['x', ':', '/', '.']) };
                        s.replace_range(i..i + ch.len_utf8(), &repl.to_string());
                    }
                }
                2 => s.insert_str(0, c.pick(&["v", " ", "-", "::", "10."])),
                3 => {
                    let mut keep = c.below(s.len() + 1).min(s.len());
                    while !s.is_char_boundary(keep) {
                        keep -= 1;
                    }
                    s.truncate(keep);
                }
                _ => *s = s.repeat(2),
            }
        }
        (8, _) => {
            // wrap in a list or an object
            let inner = node.take();
            *node = if c.below(2) == 0 { json!([inner]) } else { json!({ c.pick(KEYS): inner }) };
        }
        (11, Value::Number(_) | Value::Bool(_)) => {
            // the same value as a string (a quoted number / boolean)
            let s = node.to_string();
            *node = Value::String(s);
        }
        _ => *node = interesting(c),
    }
}

fn set_top(root: &mut Value, key: &str, v: Value) {
    if let Value::Object(m) = root {
        m.insert(key.to_string(), v);
    }
}

// ------------------------------------------------------------------------------------------------
// Rendering as YAML (block and flow styles, anchors, tags, comments) and text-level damage
// ------------------------------------------------------------------------------------------------

pub struct Generated {
    pub text: String,
    /// The value of each document.
    pub values: Vec<Value>,
    /// True when the text is exactly a rendering of `values` (no text-level damage).
    pub exact: bool,
}

/// Builds an input from the fuzzer's bytes (see [`validate_structured`]).
pub fn generate(data: &[u8]) -> Generated {
    let mut c = Choices::new(data);
    let ndocs = 1 + c.below(3);
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..ndocs {
        let mut v = bases()[c.below(bases().len())].clone();
        // a shared value between documents (duplicate names and IPs across documents)
        if !values.is_empty() && c.chance(40) {
            v = values[c.below(values.len())].clone();
        }
        for _ in 0..c.below(7) {
            mutate(&mut v, &mut c);
        }
        values.push(v);
    }
    let format = c.below(4);
    let mut text = String::new();
    if c.chance(30) {
        text.push_str("# generated\n");
    }
    for (i, v) in values.iter().enumerate() {
        if i > 0 || c.chance(60) {
            text.push_str("---\n");
        }
        match format {
            2 => {
                text.push_str(&serde_json::to_string_pretty(v).unwrap());
                text.push('\n');
            }
            3 => {
                text.push_str(&serde_json::to_string(v).unwrap());
                text.push('\n');
            }
            _ => {
                let mut e = Emitter { out: String::new(), c: &mut c, seq_indent: format == 1, anchors: Vec::new() };
                e.document(v);
                text.push_str(&e.out);
            }
        }
        if c.chance(20) {
            text.push_str("...\n");
        }
    }
    let mut exact = true;
    for _ in 0..c.below(4) {
        exact = false;
        damage(&mut text, &mut c);
    }
    Generated { text, values, exact }
}

struct Emitter<'c, 'd> {
    out: String,
    c: &'c mut Choices<'d>,
    /// Block sequences under a key indented by two (`key:\n  - x`) rather than not (`key:\n- x`).
    seq_indent: bool,
    anchors: Vec<(Value, String)>,
}

fn is_empty_collection(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.is_empty()) || matches!(v, Value::Array(a) if a.is_empty())
}

fn is_collection(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

/// Where a scalar is written: a mapping key, inside a flow collection, or a block value whose
/// parent collection is at the given indentation (block scalars allowed).
#[derive(Clone, Copy)]
enum Ctx {
    Key,
    Flow,
    Block(usize),
}

enum Props {
    None,
    Anchored,
    Alias(String),
}

impl Emitter<'_, '_> {
    fn document(&mut self, v: &Value) {
        if is_collection(v) && !is_empty_collection(v) && !self.c.chance(20) {
            self.block(v, 0, false);
        } else {
            let s = self.inline(v, Ctx::Block(0));
            self.out.push_str(&s);
            self.out.push('\n');
        }
    }

    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    /// An alias to an equal value anchored before, or a fresh anchor (`&aN `, written to `out`), or nothing.
    fn properties(&mut self, v: &Value, out: &mut String) -> Props {
        if let Some(i) = self.anchors.iter().position(|(a, _)| a == v) {
            if self.c.chance(120) {
                return Props::Alias(format!("*{}", self.anchors[i].1));
            }
        }
        if self.c.chance(12) {
            let name = format!("a{}", self.anchors.len());
            self.anchors.push((v.clone(), name.clone()));
            out.push('&');
            out.push_str(&name);
            out.push(' ');
            return Props::Anchored;
        }
        Props::None
    }

    /// A block collection at `indent`; `positioned` when the cursor already stands there (after `- `).
    fn block(&mut self, v: &Value, indent: usize, positioned: bool) {
        match v {
            Value::Object(m) => {
                for (i, (k, val)) in m.iter().enumerate() {
                    if i > 0 || !positioned {
                        if self.c.chance(10) {
                            self.indent(indent);
                            self.out.push_str("# comment\n");
                        }
                        self.indent(indent);
                    }
                    let key = self.scalar_string(k, Ctx::Key);
                    self.out.push_str(&key);
                    self.out.push(':');
                    self.value_after_indicator(val, indent, true);
                }
            }
            Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    if i > 0 || !positioned {
                        self.indent(indent);
                    }
                    self.out.push('-');
                    self.value_after_indicator(item, indent, false);
                }
            }
            _ => unreachable!(),
        }
    }

    /// The value after `key:` (of a mapping at `indent`) or `-` (of a sequence at `indent`), then the line break.
    fn value_after_indicator(&mut self, v: &Value, indent: usize, after_key: bool) {
        if is_collection(v) && !is_empty_collection(v) && !self.c.chance(25) {
            let mut props = String::new();
            match self.properties(v, &mut props) {
                Props::Alias(alias) => {
                    self.out.push(' ');
                    self.out.push_str(&alias);
                    self.out.push('\n');
                }
                Props::Anchored => {
                    // `key: &a` / `- &a`, then the collection on the next lines
                    self.out.push(' ');
                    self.out.push_str(props.trim_end());
                    self.out.push('\n');
                    self.block(v, indent + 2, false);
                }
                Props::None if after_key => {
                    self.out.push('\n');
                    let child = if matches!(v, Value::Array(_)) && !self.seq_indent { indent } else { indent + 2 };
                    self.block(v, child, false);
                }
                Props::None if self.c.chance(40) => {
                    self.out.push('\n');
                    self.block(v, indent + 2, false);
                }
                Props::None => {
                    // compact: `- key: v` / `- - x`
                    self.out.push(' ');
                    self.block(v, indent + 2, true);
                }
            }
            return;
        }
        if v.is_null() && self.c.chance(30) {
            // `key:` / `-` with nothing after it is null
            self.out.push('\n');
            return;
        }
        let s = self.inline(v, Ctx::Block(indent));
        self.out.push(' ');
        self.out.push_str(&s);
        if self.c.chance(8) && !s.contains('\n') {
            self.out.push_str(" # note");
        }
        self.out.push('\n');
    }

    /// A flow rendering (scalars, `{...}`, `[...]`), with properties.
    fn inline(&mut self, v: &Value, ctx: Ctx) -> String {
        let mut s = String::new();
        if let Props::Alias(alias) = self.properties(v, &mut s) {
            return alias;
        }
        match v {
            Value::Null => s.push_str(self.c.pick(&["null", "~", "null", "Null", "NULL"])),
            Value::Bool(b) => s.push_str(if *b { self.c.pick(&["true", "True", "TRUE"]) } else { self.c.pick(&["false", "False", "FALSE"]) }),
            Value::Number(n) => {
                let t = n.to_string();
                if n.is_i64() && self.c.chance(10) {
                    s.push_str(&format!("!!int \"{t}\""));
                } else {
                    s.push_str(&t);
                }
            }
            Value::String(t) => {
                let r = self.scalar_string(t, ctx);
                s.push_str(&r);
            }
            Value::Array(a) => {
                s.push('[');
                for (i, item) in a.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    let r = self.inline(item, Ctx::Flow);
                    s.push_str(&r);
                }
                s.push(']');
            }
            Value::Object(m) => {
                s.push('{');
                for (i, (k, val)) in m.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    let key = self.scalar_string(k, Ctx::Key);
                    s.push_str(&key);
                    s.push_str(": ");
                    let r = self.inline(val, Ctx::Flow);
                    s.push_str(&r);
                }
                s.push('}');
            }
        }
        s
    }

    /// A string as a plain, single-quoted, double-quoted or literal block scalar.
    fn scalar_string(&mut self, t: &str, ctx: Ctx) -> String {
        let style = self.c.below(8);
        if plain_safe(t) && style < 5 {
            if resolves_to_non_string(t) {
                return if matches!(ctx, Ctx::Key) { t.to_string() } else { format!("!!str {t}") };
            }
            return t.to_string();
        }
        if style == 5 && !t.chars().any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}') {
            return format!("'{}'", t.replace('\'', "''"));
        }
        if let (6, Ctx::Block(indent)) = (style, ctx) {
            if literal_safe(t) {
                // `|-` then the lines, two deeper than the parent collection (auto-detected indentation)
                let pad = " ".repeat(indent + 2);
                let body: String = t.split('\n').map(|l| if l.is_empty() { "\n".to_string() } else { format!("\n{pad}{l}") }).collect();
                return format!("|-{body}");
            }
        }
        serde_json::to_string(t).unwrap()
    }
}

/// Strings written as plain scalars: identifiers, names, addresses (no indicator, space or `#`).
fn plain_safe(t: &str) -> bool {
    let mut chars = t.chars();
    let Some(first) = chars.next() else { return false };
    first.is_ascii_alphanumeric()
        && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | ':' | '-'))
        && !t.ends_with(':')
        && t.len() <= 200
}

/// YAML 1.2 core schema: plain scalars that are not strings (from the specification, not the library).
fn resolves_to_non_string(t: &str) -> bool {
    const WORDS: &[&str] = &["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"];
    if WORDS.contains(&t) {
        return true;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits(unsigned) {
        return true;
    }
    if let Some(h) = t.strip_prefix("0x") {
        if !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(o) = t.strip_prefix("0o") {
        if !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return true;
        }
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let (mant, exp) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some((a, b)) => (a.is_empty() && digits(b)) || (digits(a) && (b.is_empty() || digits(b))),
        None => digits(mant),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mant_ok && exp_ok
}

/// Strings a `|N-` literal block can carry exactly: printable, no trailing newline, no trailing
/// spaces on a line, no line starting with a space, not empty.
fn literal_safe(t: &str) -> bool {
    !t.is_empty()
        && !t.ends_with('\n')
        && t.len() < 300
        && t.chars().all(|c| c == '\n' || (' '..='~').contains(&c))
        && t.split('\n').all(|l| !l.ends_with(' ') && !l.starts_with(' '))
}

const TOKENS: &[&str] = &[
    ": ", "- ", "&a ", "*a", "*a0", "!!int ", "!!str ", "!!map ", "!custom ", "\"", "'", "#", "{", "}", "[", "]", ",", "\t", "\0",
    "\u{feff}", "😀", "é", "\r", "\r\n", "\n", "---\n", "...\n", "? ", "|", ">", "<<: ", "<<: *a0\n", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
    "  ", "\\", "\u{7f}", "\u{85}", "\u{2028}", "@", "`", "%", "9999999999999999999999999999", "-.inf", ".nan", "0x", "0o8",
];

/// Text-level damage: CRLF, BOM, a tab indentation, a deletion, a duplicated or swapped line, a token.
fn damage(text: &mut String, c: &mut Choices) {
    let at = |text: &str, c: &mut Choices| {
        let mut i = c.below(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match c.below(9) {
        0 => *text = text.replace('\n', "\r\n"),
        1 => text.insert(0, '\u{feff}'),
        2 => {
            // a tab in one line's indentation
            let i = at(text, c);
            let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            text.insert(start, '\t');
        }
        3 => {
            let a = at(text, c);
            let len = c.below(32);
            let mut b = (a + len).min(text.len());
            while !text.is_char_boundary(b) {
                b += 1;
            }
            text.replace_range(a..b, "");
        }
        4 | 5 => {
            // duplicate or swap lines
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.len() >= 2 {
                let i = c.below(lines.len());
                let j = c.below(lines.len());
                let mut out: Vec<&str> = lines.clone();
                if c.below(2) == 0 {
                    out.insert(j, lines[i]);
                } else {
                    out.swap(i, j);
                }
                *text = out.concat();
            }
        }
        6 => {
            let i = at(text, c);
            text.truncate(i);
        }
        _ => {
            let i = at(text, c);
            let t = c.pick(TOKENS);
            text.insert_str(i, t);
        }
    }
}
