//! The fuzz target bodies, shared by the cargo-fuzz targets (fuzz/fuzz_targets/*.rs) and the
//! stable-Rust smoke test (tests/fuzz_smoke.rs includes this file with `#[path]`), so both run the
//! same checks.
//!
//! Every body calls the public API and asserts invariants; a violated invariant panics, which
//! libFuzzer reports as a crash (and the smoke test as a failure). A panic inside the library is a
//! crash too: in WebAssembly it would trap the whole module. Two invariants hold for every body:
//! each engine call stays within a time-per-byte budget ([`slow_budget_ns`]; the worst times are
//! kept, see [`timing_summary`]), and no report or result is more than 64 times its input plus
//! 1 MiB plus 2 KiB per item ([`check_output_size`]). [`amplify`] builds inputs to break both.
//!
//! Only `spiderendpoint`, `serde_json` and `std` are used (and, on Linux, libc's `clock_gettime`
//! and `atexit`, which std links), and no `crate::` paths, so that the file compiles both as the
//! library of the fuzz crate and as a module of an integration test.

#![allow(dead_code)]

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use spiderendpoint::{ApiVersion, ConvertOptions, Diagnostic, DocumentStatus, NormalizeOptions, Report, Severity, TextEdit, TransformResult, ValidateOptions, RULES};

// ------------------------------------------------------------------------------------------------
// Target bodies
// ------------------------------------------------------------------------------------------------

/// Arbitrary bytes into `validate_bytes` (and `validate` when they are UTF-8), under the default
/// options and one option set picked from the input's hash.
pub fn validate_bytes(data: &[u8]) {
    let opts = ValidateOptions::default();
    let report = engine::validate_bytes(data, &opts).expect("default options are never misuse");
    match std::str::from_utf8(data) {
        Ok(text) => {
            check_spans(text);
            check_report(text, &report);
            let again = engine::validate(text, &opts).expect("validate");
            assert_eq!(report, again, "validate_bytes and validate differ (or validate is not deterministic)");
            check_fixes(text, &report);
            let picked = picked_options(data);
            let other = engine::validate(text, &picked).expect("valid options");
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
        if let Ok(r) = engine::validate("", &opts) {
            check_report("", &r);
        }
        let _ = spiderendpoint::json_schema(&spiderendpoint::SchemaOptions { spiderpool_version: Some(s.to_string()), api_version: None });
        let _ = spiderendpoint::json_schema(&spiderendpoint::SchemaOptions { spiderpool_version: None, api_version: Some(s.to_string()) });
    }
}

/// Structure-aware: the bytes choose valid endpoints, mutations of their values, a rendering (YAML
/// block/flow, JSON, anchors, tags, comments) and possibly text-level damage. When no text-level
/// damage was done the text is valid YAML, so it must parse without a YAML problem to exactly the
/// generated values, and its JSON rendering must get the same diagnostics.
pub fn validate_structured(data: &[u8]) {
    let g = generate(data);
    let text = g.text.as_str();
    check_spans(text);
    let report = engine::validate(text, &ValidateOptions::default()).expect("default options");
    check_report(text, &report);
    check_fixes(text, &report);
    let picked = picked_options(data);
    check_report(text, &engine::validate(text, &picked).expect("valid options"));
    if !g.exact {
        return;
    }
    // The generator wrote valid YAML: no YAML-level problem, and the tree is the generated value.
    let yaml_problems: Vec<&Diagnostic> = all_diagnostics(&report).filter(|d| d.code.as_str() < "SE010").collect();
    assert!(yaml_problems.is_empty(), "valid generated YAML got YAML problems: {yaml_problems:#?}\n--- text:\n{text}");
    // the generator follows the YAML 1.2 core schema (kubectl's reading turns integral floats into integers)
    let yaml_1_2 = spiderendpoint::yaml::Budget { yaml_version: spiderendpoint::yaml::YamlVersion::V1_2, ..Default::default() };
    let stream = engine::parse(text, yaml_1_2);
    assert!(stream.complete && stream.problems.is_empty(), "{:?}", stream.problems);
    let parsed: Vec<Value> = stream.docs.iter().map(|d| d.root.as_ref().map_or(Value::Null, |r| r.to_json(text))).collect();
    assert_eq!(parsed.len(), g.values.len(), "document count\n--- text:\n{text}");
    for (i, (got, want)) in parsed.iter().zip(&g.values).enumerate() {
        assert!(same_json(got, want), "document {i} parsed to\n{got:#}\nbut the generator wrote\n{want:#}\n--- text:\n{text}");
    }
    // Same values as JSON: same findings (code, path) and statuses.
    let json_text = g.values.iter().map(|v| serde_json::to_string_pretty(v).unwrap()).collect::<Vec<_>>().join("\n---\n");
    let json_report = engine::validate(&json_text, &ValidateOptions::default()).expect("default options");
    check_report(&json_text, &json_report);
    let (mut yaml_summary, mut json_summary) = (semantic_summary(&report), semantic_summary(&json_report));
    if known("se011-block-items") {
        for (_, _, _, findings) in yaml_summary.iter_mut().chain(json_summary.iter_mut()) {
            findings.retain(|(code, _)| code != "SE011");
        }
    }
    assert_eq!(
        yaml_summary,
        json_summary,
        "the YAML and the JSON rendering of the same values got different diagnostics\n--- yaml:\n{text}\n--- json:\n{json_text}"
    );
}

/// Arbitrary bytes into `normalize` (default options, dropUnknown, then the picked ones).
pub fn normalize_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let r = engine::normalize_bytes(data, &NormalizeOptions::default()).expect("default options");
        assert!(!r.ok && r.edits.is_empty() && r.changes.is_empty());
        return;
    };
    check_normalize(text, &NormalizeOptions::default());
    check_normalize(text, &NormalizeOptions { drop_unknown: Some(true), ..Default::default() });
    check_normalize(text, &NormalizeOptions { drop_unknown: Some(data.len() % 3 == 0), ..picked_options(data).input().into() });
}

/// Structure-aware inputs into `normalize`.
pub fn normalize_structured(data: &[u8]) {
    let g = generate(data);
    check_normalize(&g.text, &NormalizeOptions::default());
    let drop = NormalizeOptions { drop_unknown: Some(true), ..Default::default() };
    check_normalize(&g.text, &drop);
}

/// Arbitrary bytes into `convert`, to both versions.
pub fn convert_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let r = engine::convert_bytes(data, ApiVersion::V1, &ConvertOptions::default()).expect("default options");
        assert!(!r.ok && r.edits.is_empty() && r.changes.is_empty());
        return;
    };
    let lossless = data.len() % 2 == 0;
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        check_convert(text, to, lossless);
    }
    // a named release: may be misuse (it serves the other version), never a panic
    let picked = ConvertOptions { lossless: Some(data.len() % 3 == 0), ..picked_options(data).input().into() };
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        if let Ok(r) = engine::convert(text, to, &picked) {
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
    let Some(mut fast) = engine::parse_fast(text, budget) else { return };
    let slow = engine::parse_slow(text, budget);
    if known("nan-key-flag") && fast.docs.len() == slow.docs.len() {
        for (f, s) in fast.docs.iter_mut().zip(&slow.docs) {
            f.non_json = s.non_json;
        }
    }
    // NaN != NaN: compare the debug renderings when the values differ
    if fast != slow {
        assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "fast path and loader disagree\n--- text:\n{text}");
    }
}

fn has_yaml_problem(text: &str) -> bool {
    let r = engine::validate(text, &ValidateOptions::default()).expect("default options");
    let found = all_diagnostics(&r).any(|d| d.code.as_str() < "SE010");
    found
}

fn check_normalize(text: &str, opts: &NormalizeOptions) {
    let r = engine::normalize(text, opts).expect("normalize: valid options are never misuse");
    check_transform(text, &r, "normalize");
    let again = engine::normalize(&r.output, opts).expect("normalize");
    if known("rewrite-escalation") && r.diagnostics.iter().any(|d| d.code == "SE410") {
        return;
    }
    if known("respell-lost") && only_respellings(&again) {
        return;
    }
    let comment_outs = !again.changes.is_empty() && again.changes.iter().all(|c| c.message.starts_with("kubectl never sends this document"));
    if known("comment-out-span") && comment_outs {
        return;
    }
    assert!(
        again.edits.is_empty() && again.changes.is_empty() && again.output == r.output,
        "normalize is not idempotent: {:#?}\n--- input:\n{text}\n--- once:\n{}\n--- twice:\n{}",
        again.changes,
        r.output,
        again.output
    );
}

fn check_convert(text: &str, to: ApiVersion, lossless: bool) {
    let opts = ConvertOptions { lossless: Some(lossless), ..Default::default() };
    let there = engine::convert(text, to, &opts).expect("convert: default options are never misuse");
    check_transform(text, &there, "convert");
    if lossless && there.ok && !there.changes.is_empty() {
        lossless_round_trip(text, &there, to, &opts);
    }
    let again = engine::convert(&there.output, to, &opts).expect("convert");
    if known("rewrite-escalation") && there.diagnostics.iter().any(|d| d.code == "SE410") {
        return;
    }
    if known("respell-lost") && only_respellings(&again) {
        return;
    }
    assert!(
        again.edits.is_empty() && again.changes.is_empty(),
        "converting the output to {} again changes it: {:#?}\n--- input:\n{text}\n--- once:\n{}\n--- twice:\n{}",
        to.short(),
        again.changes,
        there.output,
        again.output
    );
}

/// A second run that only writes out spellings the two YAML readers read differently (see `known`:
/// `respell-lost`).
fn only_respellings(r: &TransformResult) -> bool {
    !r.changes.is_empty() && r.changes.iter().all(|c| format!("{:?}", c.kind) == "Respelled")
}

/// Lossless mode: converting back gives the original documents, when every SpiderEndpoint of the
/// input was at the other version (documents already at the target are left alone) and both
/// conversions succeeded.
fn lossless_round_trip(text: &str, there: &TransformResult, to: ApiVersion, opts: &ConvertOptions) {
    let from = if to == ApiVersion::V1 { ApiVersion::V2beta1 } else { ApiVersion::V1 };
    let report = engine::validate(text, &ValidateOptions::default()).expect("default options");
    if all_diagnostics(&report).any(|d| d.code.as_str() < "SE010") {
        return;
    }
    let all_from = report
        .documents
        .iter()
        .filter(|d| d.kind.as_deref() == Some("SpiderEndpoint"))
        .all(|d| d.api_version.as_deref() == Some(from.full()));
    let values = |t: &str| -> Vec<Value> {
        let s = engine::parse(t, Default::default());
        s.docs.iter().map(|d| d.root.as_ref().map_or(Value::Null, |r| r.to_json(t))).collect()
    };
    let original = values(text);
    // also the documents the report leaves out (one after `...` without `---`, which kubectl
    // never sends, is not checked but still converted)
    let mut versions = Vec::new();
    for v in &original {
        endpoint_versions(v, &mut versions);
    }
    if !all_from || versions.iter().any(|v| v.as_deref() != Some(from.full())) {
        return;
    }
    let back = engine::convert(&there.output, from, opts).expect("convert");
    if !back.ok {
        return;
    }
    let restored = values(&back.output);
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

/// The apiVersion of every SpiderEndpoint in a document, in Lists (nested) too.
fn endpoint_versions(v: &Value, out: &mut Vec<Option<String>>) {
    match v.get("kind").and_then(Value::as_str) {
        Some("SpiderEndpoint") => out.push(v.get("apiVersion").and_then(Value::as_str).map(str::to_string)),
        Some(_) => {
            for item in v.get("items").and_then(Value::as_array).into_iter().flatten() {
                endpoint_versions(item, out);
            }
        }
        None => {}
    }
}

/// A transform result: edits that reproduce the output, well-formed diagnostics (positions in the
/// input), JSON stays JSON, valid YAML stays valid YAML, and it serializes.
pub fn check_transform(text: &str, r: &TransformResult, what: &str) {
    let yaml_problem = !r.edits.is_empty() && has_yaml_problem(text);
    check_transform_with(text, r, what, yaml_problem);
}

/// [`check_transform`] when it is known whether the input has a YAML problem (default options).
fn check_transform_with(text: &str, r: &TransformResult, what: &str, yaml_problem: bool) {
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
        if !yaml_problem {
            let after = engine::validate(&r.output, &ValidateOptions::default()).expect("default options");
            let broken: Vec<&Diagnostic> = all_diagnostics(&after).filter(|x| x.code.as_str() < "SE010").collect();
            let complex_key_only = broken.iter().all(|x| x.code == "SE007");
            let bom_only = broken.iter().all(|x| x.message.contains("byte order mark"));
            assert!(broken.is_empty() || (complex_key_only && known("complex-key-out")) || (bom_only && known("comment-out-bom")), "{what}: valid YAML in, YAML problems out: {broken:#?}\n--- input:\n{text}\n--- output:\n{}", r.output);
        }
    }
    let json = serde_json::to_string(r).expect("the result serializes");
    check_output_size(&format!("the {what} output"), text.len(), 0, r.output.len());
    let items = r.diagnostics.len() + r.changes.len() + r.edits.len();
    check_output_size(&format!("the {what} result JSON"), text.len(), items, json.len());
}

/// Spans of the parsed tree point at their own text: a plain one-line key or string reads exactly
/// its value at its span (quoted, block, aliased and multi-line ones are not compared).
pub fn check_spans(text: &str) {
    if known("directive-offsets") && non_ascii_directive(text) {
        return;
    }
    let stream = engine::parse(text, Default::default());
    let plain = |src: &str| !src.is_empty() && !src.contains(['\n', '\r']) && !src.starts_with(['"', '\'', '|', '>', '*', '&', '!', '[', '{', ']', '}', ',', '?', '-', ':', '#']);
    let mut stack: Vec<&spiderendpoint::yaml::Node> = stream.docs.iter().filter_map(|d| d.root.as_ref()).collect();
    while let Some(node) = stack.pop() {
        assert!(node.span.start <= node.span.end && node.span.end <= text.len() && text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end), "node span {:?} out of the text", node.span);
        match &node.value {
            spiderendpoint::yaml::Value::Map(entries) => {
                for e in entries {
                    let src = text.get(e.key_span.start..e.key_span.end).unwrap_or_else(|| panic!("key span {:?} out of the text", e.key_span));
                    // kubectl's reading (the default) turns plain keys like `n`, `on`, `010` into `false`, `true`, `8`
                    // (and an empty key, `{? }`, is `null` with the span of the next token)
                    let converted = |k: &str| resolves_to_non_string(k) || kubectl_reads_otherwise(k);
                    if plain(src) && !e.key.is_empty() && !converted(src) && !converted(&e.key) {
                        assert_eq!(src, e.key, "the span {:?} of key {:?} reads {src:?}\n--- text:\n{}", e.key_span, e.key, clip(text));
                    }
                    stack.push(&e.value);
                }
            }
            spiderendpoint::yaml::Value::Seq(items) => stack.extend(items.iter()),
            spiderendpoint::yaml::Value::Str(v) => {
                let src = &text[node.span.start..node.span.end];
                // a plain one-line scalar never has a line break or outer blanks in its value
                if plain(src) && !v.is_empty() && !v.contains(['\n', '\r']) && v.trim() == v.as_ref() {
                    assert_eq!(src, v.as_ref(), "the span {:?} of string {v:?} reads {src:?}\n--- text:\n{}", node.span, clip(text));
                }
            }
            _ => {}
        }
    }
}

/// A `%` directive line with a non-ASCII character (see `known`: `directive-offsets`).
fn non_ascii_directive(text: &str) -> bool {
    text.lines().any(|l| l.starts_with('%') && !l.is_ascii())
}

/// One document's (document, item, status, sorted (code, path)).
type DocSummary = (usize, Option<usize>, DocumentStatus, Vec<(String, String)>);

/// The (document, item, status, sorted (code, path)) of every document: what does not depend on
/// where in the text things are.
fn semantic_summary(r: &Report) -> Vec<DocSummary> {
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
// The time-per-byte invariant: every engine call is timed, and a slow one is a finding
// ------------------------------------------------------------------------------------------------

/// Every call into the engine goes through here (same names as the library's functions), so that
/// each one is timed against [`slow_budget_ns`] and counted in the statistics ([`timing_summary`]).
mod engine {
    use spiderendpoint::yaml::{Budget, Stream};
    use spiderendpoint::{ApiVersion, ConvertOptions, Misuse, NormalizeOptions, Report, TransformResult, ValidateOptions};

    use super::{budget_of, effective_len, timed};

    pub fn validate(text: &str, opts: &ValidateOptions) -> Result<Report, Misuse> {
        timed("validate", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::validate(text, opts))
    }
    pub fn validate_bytes(data: &[u8], opts: &ValidateOptions) -> Result<Report, Misuse> {
        let eff = || std::str::from_utf8(data).map_or(data.len(), |t| effective_len(t, budget_of(opts.input())));
        timed("validate", data, eff, || spiderendpoint::validate_bytes(data, opts))
    }
    pub fn normalize(text: &str, opts: &NormalizeOptions) -> Result<TransformResult, Misuse> {
        timed("normalize", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::normalize(text, opts))
    }
    pub fn normalize_bytes(data: &[u8], opts: &NormalizeOptions) -> Result<TransformResult, Misuse> {
        timed("normalize", data, || data.len(), || spiderendpoint::transform::normalize_bytes(data, opts))
    }
    pub fn convert(text: &str, to: ApiVersion, opts: &ConvertOptions) -> Result<TransformResult, Misuse> {
        timed("convert", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::convert(text, to, opts))
    }
    pub fn convert_bytes(data: &[u8], to: ApiVersion, opts: &ConvertOptions) -> Result<TransformResult, Misuse> {
        timed("convert", data, || data.len(), || spiderendpoint::transform::convert_bytes(data, to, opts))
    }
    pub fn parse(text: &str, budget: Budget) -> Stream<'_> {
        timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse(text, budget))
    }
    pub fn parse_fast(text: &str, budget: Budget) -> Option<Stream<'_>> {
        timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse_fast(text, budget))
    }
    pub fn parse_slow(text: &str, budget: Budget) -> Stream<'_> {
        timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse_slow(text, budget))
    }
}

/// The YAML budget the engine uses for `opts` (as `ValidateOptions::budget` does).
fn budget_of(opts: spiderendpoint::InputOptions) -> spiderendpoint::yaml::Budget {
    opts.budget()
}

/// The size the engine really works on: the text, plus what its aliases expand to (8 bytes per
/// node, `- x\n`, plus the bytes of text), which the alias budgets bound. A billion-laughs input
/// just under the budgets may take the time of its expansion; a path superlinear in it is a
/// finding. Only computed for a call over half the budget of its length (it parses the text ~40
/// times).
pub fn effective_len(text: &str, budget: spiderendpoint::yaml::Budget) -> usize {
    let (nodes, bytes) = alias_expansion(text, budget);
    text.len() + 8 * nodes + bytes
}

/// How many nodes and bytes of text the aliases of `text` expand to under `budget` (at most the
/// budgets: the loader stops there). Found by bisecting the alias budgets, since the loader refuses
/// (AliasLimit) exactly when the expansion passes them; the last answer is kept, as the same text
/// goes through validate, normalize and convert in turn.
fn alias_expansion(text: &str, budget: spiderendpoint::yaml::Budget) -> (usize, usize) {
    use spiderendpoint::yaml::{Budget, ProblemKind};
    if !text.contains('*') {
        return (0, 0);
    }
    type Key = (u64, usize, usize, usize, usize);
    static LAST: std::sync::Mutex<Option<(Key, (usize, usize))>> = std::sync::Mutex::new(None);
    let key: Key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        (h.finish(), text.len(), budget.max_depth, budget.max_alias_nodes, budget.max_alias_bytes)
    };
    if let Some((k, v)) = *LAST.lock().unwrap_or_else(|e| e.into_inner()) {
        if k == key {
            return v;
        }
    }
    let refused = |nodes: usize, bytes: usize| {
        let b = Budget { max_alias_nodes: nodes, max_alias_bytes: bytes, ..budget };
        spiderendpoint::yaml::parse_slow(text, b).problems.iter().any(|p| p.kind == ProblemKind::AliasLimit)
    };
    // the least limit in 0..=max that is not refused, or max when even max is
    let least = |max: usize, refused_at: &dyn Fn(usize) -> bool| {
        if refused_at(max) {
            return max;
        }
        let (mut lo, mut hi) = (0, max);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if refused_at(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        hi
    };
    let nodes = least(budget.max_alias_nodes, &|n| refused(n, usize::MAX));
    let bytes = least(budget.max_alias_bytes, &|b| refused(usize::MAX, b));
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, (nodes, bytes)));
    (nodes, bytes)
}

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
fn timed<T>(what: &'static str, input: &[u8], effective_len: impl Fn() -> usize, f: impl Fn() -> T) -> T {
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

// ------------------------------------------------------------------------------------------------
// Amplification: small inputs that expand (aliases, merge keys, Lists, repeated documents)
// ------------------------------------------------------------------------------------------------

/// The longest text [`amplify`] generates (the smoke test uses less, see [`amplify_capped`]).
pub const AMPLIFY_MAX_TEXT: usize = 1 << 20;

/// Structure-aware amplification: the bytes build a stream that stresses expansion (anchors on
/// big scalars, maps and sequences; aliases repeated and nested, also as keys; merge keys, single,
/// lists and nested; long single lines; many keys; nesting near the depth budget; Lists in Lists;
/// repeated documents). validate, normalize and convert run on it: no panic, well-formed results,
/// every call within the time-per-byte budget, and no output more than 64 times its input + 1 MiB.
pub fn amplify(data: &[u8]) {
    amplify_capped(data, AMPLIFY_MAX_TEXT);
}

/// [`amplify`] with generated texts of at most about `max_text` bytes.
pub fn amplify_capped(data: &[u8], max_text: usize) {
    let a = generate_amplified(data, max_text);
    let text = a.text.as_str();
    check_expansion(text, &a.options);
    let report = engine::validate(text, &a.options).expect("valid options");
    check_report(text, &report);
    let yaml_problem = has_yaml_problem(text);
    let opts = NormalizeOptions { drop_unknown: Some(a.drop_unknown), ..a.options.input().into() };
    let r = engine::normalize(text, &opts).expect("normalize: valid options");
    check_transform_with(text, &r, "normalize", yaml_problem);
    for to in [ApiVersion::V1, ApiVersion::V2beta1] {
        let opts = ConvertOptions { lossless: Some(a.lossless), ..a.options.input().into() };
        // a named release that serves the other version is misuse (an error, not a result)
        let r = match engine::convert(text, to, &opts) {
            Ok(r) => r,
            Err(e) => {
                assert!(opts.spiderpool_version.is_some(), "convert refused valid options: {e}");
                continue;
            }
        };
        check_transform_with(text, &r, "convert", yaml_problem);
    }
}

/// An output may not outgrow its input by more than 64 times plus 1 MiB, plus 2 KiB for each item
/// it lists (diagnostic, document, change, edit): aliases legitimately make one anchored document
/// into thousands of List items, each reported (within the alias budgets), but no item may carry
/// more than its share (a long key repeated through aliases into every message is a finding).
pub fn check_output_size(what: &str, input_len: usize, items: usize, output_len: usize) {
    let bound = 64 * input_len + (1 << 20) + 2048 * items;
    if output_len > bound && what.ends_with("JSON") && known("long-key-reports") {
        return;
    }
    assert!(
        output_len <= bound,
        "amplified output: {what} is {output_len} bytes for {input_len} bytes of input and {items} items (more than 64x + 1 MiB + 2 KiB per item)"
    );
}

/// The alias budgets hold: the parsed trees have no more nodes than the text could hold plus
/// `maxAliasNodes`, and no more text than the input plus `maxAliasBytes` (plus 8 bytes a node for
/// mappings used as keys through an alias, which become their JSON text).
pub fn check_expansion(text: &str, opts: &ValidateOptions) {
    let budget = budget_of(opts.input());
    let stream = spiderendpoint::yaml::parse(text, budget);
    let (mut nodes, mut bytes) = (0, 0);
    for root in stream.docs.iter().filter_map(|d| d.root.as_ref()) {
        let w = root.weight();
        nodes += w.nodes;
        bytes += w.bytes;
    }
    let max_nodes = 2 * text.len() + 2 + budget.max_alias_nodes;
    let max_bytes = text.len() + budget.max_alias_bytes + 8 * budget.max_alias_nodes;
    assert!(
        nodes <= max_nodes && bytes <= max_bytes,
        "aliases expanded past the budgets: {nodes} nodes (at most {max_nodes}) and {bytes} bytes of text (at most {max_bytes}) from {} bytes\n--- text:\n{}",
        text.len(),
        clip(text)
    );
}

pub struct Amplified {
    pub text: String,
    pub options: ValidateOptions,
    pub drop_unknown: bool,
    pub lossless: bool,
}

/// A YAML tree to write: scalars are already rendered, anchors and aliases are explicit.
#[derive(Clone)]
enum H {
    /// A one-line scalar as written (plain, quoted).
    Scalar(String),
    /// A literal block scalar's lines (written `|-` in block context, as a JSON string in flow).
    Literal(Vec<String>),
    Alias(usize),
    Seq(Vec<H>),
    Map(Vec<(K, H)>),
    Anchor(usize, Box<H>),
}

#[derive(Clone)]
enum K {
    /// A key as written.
    Text(String),
    /// `<<`
    Merge,
    /// An alias used as a key (`*aN : v`): its text is the anchored scalar, or a mapping's JSON.
    Alias(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Scalar,
    Seq,
    Map,
    /// A whole endpoint (a map).
    Endpoint,
    /// A List (a map).
    List,
}

struct Amp<'c, 'd> {
    c: &'c mut Choices<'d>,
    /// Bytes of text still to spend.
    room: usize,
    /// Anchors of the current document: their shape.
    anchors: Vec<Shape>,
    /// Anchors not to alias (defined in an earlier slot, which may come later in the text).
    hidden: std::ops::Range<usize>,
    max_depth: usize,
}

const SIZES: &[usize] = &[0, 1, 8, 100, 1000, 1023, 1025, 10_000, 65_536, 131_072, 1 << 20];
const COUNTS: &[usize] = &[1, 2, 9, 16, 17, 64, 100, 1000, 10_000, 40_000, 100_000];

impl Amp<'_, '_> {
    fn spend(&mut self, n: usize) -> bool {
        if n > self.room {
            return false;
        }
        self.room -= n;
        true
    }

    /// A size or count from `table` (sorted), the smaller ones more often (the lesser of two
    /// picks: big texts are slow to check and the aliases make the big expansions anyway), no more
    /// than `room / per` (the budget of this text).
    fn amount(&mut self, table: &[usize], per: usize) -> usize {
        let i = self.c.below(table.len()).min(self.c.below(table.len()));
        table[i].min(self.room / per.max(1))
    }

    fn anchor(&mut self, shape: Shape, h: H) -> (usize, H) {
        self.anchors.push(shape);
        let id = self.anchors.len() - 1;
        (id, H::Anchor(id, Box::new(h)))
    }

    fn alias_of(&mut self, want: &[Shape]) -> Option<usize> {
        let ids: Vec<usize> = (0..self.anchors.len()).filter(|&i| want.contains(&self.anchors[i]) && !self.hidden.contains(&i)).collect();
        if ids.is_empty() {
            return None;
        }
        // the newest anchors most often (they are the biggest in a chain)
        let k = self.c.below(ids.len() + 2).min(ids.len() - 1);
        Some(ids[ids.len() - 1 - k])
    }

    /// A scalar of about `size` bytes in one of several styles.
    fn big_scalar(&mut self, size: usize) -> H {
        if !self.spend(size + 2) {
            return H::Scalar("x".into());
        }
        let n = size.max(1);
        match self.c.below(7) {
            0 => H::Scalar("x".repeat(n)),
            1 => H::Scalar(format!("{}lol", "lol ".repeat(n / 4))),
            2 => H::Scalar("9".repeat(n)), // an integer out of range (BigInt)
            3 => {
                // quotes and escapes: JSON output doubles them
                let s: String = "\"\\é😀\n\t".chars().cycle().take(n / 3 + 1).collect();
                H::Scalar(serde_json::to_string(&s).unwrap())
            }
            4 => H::Scalar(format!("'{}'", "it''s ".repeat(n / 6 + 1).trim_end())),
            5 => H::Literal((0..n / 81 + 1).map(|i| format!("line{i:03}{}", "x".repeat(72))).collect()),
            _ => H::Scalar(format!("10.{}.0.5/24", n % 256)),
        }
    }

    /// A small scalar (a value of a generated key, an element).
    fn small(&mut self) -> H {
        self.spend(6);
        H::Scalar(self.c.pick(&["1", "x", "~", "eth0", "10.1.0.5/24", "\"\"", "true", "[]", "{}", "0"]).to_string())
    }

    /// A map of `n` generated keys (`k0`, `k1`, ... or unknown-looking ones), values small or aliases.
    fn many_keys(&mut self, n: usize) -> H {
        let n = if known("rewrite-quadratic-keys") { n.min(2000) } else { n };
        let alias = self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]).filter(|_| self.c.chance(100));
        let prefix = self.c.pick(&["k", "x-", "ipv4Gatway", "Vlan", "metadata.labels.", "😀"]);
        let mut entries = Vec::with_capacity(n);
        let v = match alias {
            Some(a) => H::Alias(a),
            None => self.small(),
        };
        for i in 0..n {
            if !self.spend(prefix.len() + 10) {
                break;
            }
            entries.push((K::Text(format!("{prefix}{i}")), v.clone()));
        }
        H::Map(entries)
    }

    /// `n` copies of an alias (or of a small value when there is no anchor yet).
    fn repeated(&mut self, n: usize) -> H {
        let target = self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]);
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            if !self.spend(6) {
                break;
            }
            items.push(match target {
                Some(a) => H::Alias(a),
                None => H::Scalar("x".into()),
            });
        }
        H::Seq(items)
    }

    /// Nesting `depth` levels deep (sequences or maps), a scalar or an alias at the bottom.
    fn nested(&mut self, depth: usize) -> H {
        let maps = self.c.below(2) == 0;
        let mut h = match self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map]).filter(|_| self.c.chance(100)) {
            Some(a) => H::Alias(a),
            None => self.small(),
        };
        for _ in 0..depth {
            if !self.spend(4) {
                break;
            }
            h = if maps { H::Map(vec![(K::Text("a".into()), h)]) } else { H::Seq(vec![h]) };
        }
        h
    }

    /// A map that merges earlier maps (`<<: *m` or `<<: [*m1, *m2]`), with a few keys of its own.
    fn merging(&mut self) -> H {
        let mut entries = Vec::new();
        let maps = [Shape::Map, Shape::Endpoint, Shape::List];
        if self.c.below(2) == 0 {
            if let Some(a) = self.alias_of(&maps) {
                entries.push((K::Merge, H::Alias(a)));
            }
        } else {
            let n = self.amount(&[2, 3, 10, 100, 1000], 6);
            let mut list = Vec::new();
            for _ in 0..n {
                match self.alias_of(&maps) {
                    Some(a) if self.spend(6) => list.push(H::Alias(a)),
                    _ => break,
                }
            }
            if !list.is_empty() {
                entries.push((K::Merge, H::Seq(list)));
            }
        }
        for i in 0..self.c.below(4) {
            entries.push((K::Text(format!("k{i}")), self.small()));
        }
        if entries.is_empty() {
            entries.push((K::Text("k".into()), self.small()));
        }
        H::Map(entries)
    }

    /// Aliases used as keys: `*a : 1` for each earlier anchor picked (a scalar key is its text, a
    /// mapping key its JSON rendering).
    fn alias_keys(&mut self) -> H {
        let n = self.amount(&[1, 2, 10, 100, 1000], 8);
        let mut entries = Vec::new();
        for _ in 0..n {
            match self.alias_of(&[Shape::Scalar, Shape::Map, Shape::Seq]) {
                Some(a) if self.spend(8) => entries.push((K::Alias(a), self.small())),
                _ => break,
            }
        }
        if entries.is_empty() {
            entries.push((K::Text("k".into()), self.small()));
        }
        H::Map(entries)
    }

    /// An endpoint from the bases, as a tree.
    fn endpoint(&mut self) -> H {
        let b = bases();
        let mut v = b[self.c.below(b.len() - 1)].clone(); // not the ConfigMap
        if self.c.chance(60) {
            mutate(&mut v, self.c);
        }
        let h = from_json(&v);
        self.spend(json_len(&v));
        h
    }

    /// A List of `n` items: endpoints, aliases of earlier endpoints/Lists, nested Lists.
    fn list(&mut self, n: usize, depth: usize) -> H {
        let mut items = Vec::new();
        for _ in 0..n {
            if self.room < 64 {
                break;
            }
            let item = match self.c.below(5) {
                0 | 1 => self.endpoint(),
                2 if depth < 6 => {
                    let m = self.amount(&[0, 1, 2, 10, 100], 400);
                    self.list(m, depth + 1)
                }
                _ => match self.alias_of(&[Shape::Endpoint, Shape::List]) {
                    Some(a) => {
                        self.spend(6);
                        H::Alias(a)
                    }
                    None => self.endpoint(),
                },
            };
            items.push(item);
        }
        let (api, kind) = self.c.pick(&[("v1", "List"), ("spiderpool.spidernet.io/v2beta1", "SpiderEndpointList"), ("v1", "List")]);
        self.spend(40);
        H::Map(vec![
            (K::Text("apiVersion".into()), H::Scalar(api.into())),
            (K::Text("kind".into()), H::Scalar(kind.into())),
            (K::Text("items".into()), H::Seq(items)),
        ])
    }

    /// One anchored definition (what the rest of the document aliases).
    fn definition(&mut self) -> H {
        let (shape, h) = match self.c.below(9) {
            0 | 1 => {
                let size = self.amount(SIZES, 1);
                (Shape::Scalar, self.big_scalar(size))
            }
            2 => {
                let n = self.amount(COUNTS, 12);
                (Shape::Map, self.many_keys(n))
            }
            3 => {
                // one level of a billion laughs: n aliases of the newest anchor
                let n = self.amount(&[2, 9, 10, 16, 100, 316, 1000], 6);
                (Shape::Seq, self.repeated(n))
            }
            4 => (Shape::Map, self.merging()),
            5 => (Shape::Endpoint, self.endpoint()),
            6 => {
                let n = self.amount(&[1, 2, 10, 100], 400);
                (Shape::List, self.list(n, 0))
            }
            7 => {
                let d = self.near(self.max_depth);
                let h = self.nested(d);
                (if matches!(h, H::Map(_)) { Shape::Map } else { Shape::Seq }, h)
            }
            _ => (Shape::Map, self.alias_keys()),
        };
        self.anchor(shape, h).1
    }

    /// A number near `n` (a budget): a little under, at, or a little over it, or half of it.
    fn near(&mut self, n: usize) -> usize {
        match self.c.below(6) {
            0 => n.saturating_sub(2),
            1 => n.saturating_sub(1),
            2 => n,
            3 => n + 1,
            4 => n / 2,
            _ => n.saturating_sub(8),
        }
    }

    /// A hostile value for a slot of an endpoint (or the root of a document).
    fn hostile(&mut self) -> H {
        match self.c.below(10) {
            0 => match self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]) {
                Some(a) => H::Alias(a),
                None => self.small(),
            },
            1 | 2 => {
                let n = self.amount(COUNTS, 6);
                self.repeated(n)
            }
            3 => {
                let n = self.amount(COUNTS, 12);
                self.many_keys(n)
            }
            4 => self.merging(),
            5 => self.alias_keys(),
            6 => {
                let d = self.near(self.max_depth);
                self.nested(d)
            }
            7 => {
                let size = self.amount(SIZES, 1);
                self.big_scalar(size)
            }
            8 => {
                let n = self.amount(&[1, 2, 10, 100, 1000], 400);
                self.list(n, 0)
            }
            _ => self.definition(),
        }
    }
}

fn json_len(v: &Value) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

fn from_json(v: &Value) -> H {
    match v {
        Value::Null => H::Scalar("null".into()),
        Value::Bool(b) => H::Scalar(b.to_string()),
        Value::Number(n) => H::Scalar(n.to_string()),
        Value::String(s) => H::Scalar(if plain_safe(s) && !resolves_to_non_string(s) { s.clone() } else { serde_json::to_string(s).unwrap() }),
        Value::Array(a) => H::Seq(a.iter().map(from_json).collect()),
        Value::Object(m) => H::Map(m.iter().map(|(k, v)| (K::Text(if plain_safe(k) && !resolves_to_non_string(k) { k.clone() } else { serde_json::to_string(k).unwrap() }), from_json(v))).collect()),
    }
}

/// The nodes of a tree with their paths (indices into maps and sequences), root first.
fn h_paths(h: &H, base: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(base.clone());
    match h {
        H::Map(entries) => {
            for (i, (_, v)) in entries.iter().enumerate() {
                base.push(i);
                h_paths(v, base, out);
                base.pop();
            }
        }
        H::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                base.push(i);
                h_paths(v, base, out);
                base.pop();
            }
        }
        _ => {}
    }
}

fn h_at<'h>(h: &'h mut H, path: &[usize]) -> &'h mut H {
    let Some((&i, rest)) = path.split_first() else { return h };
    match h {
        H::Map(entries) => h_at(&mut entries[i].1, rest),
        H::Seq(items) => h_at(&mut items[i], rest),
        _ => h,
    }
}

/// Builds an input from the fuzzer's bytes (see [`amplify`]).
pub fn generate_amplified(data: &[u8], max_text: usize) -> Amplified {
    let mut c = Choices::new(data);
    let mut options = ValidateOptions::default();
    match c.below(8) {
        5 => options.max_depth = Some(c.pick(&[1000, 200, 65, 1_000_000])),
        6 => {
            options.max_alias_nodes = Some(c.pick(&[0, 10, 1000, 99_999]));
            options.max_alias_bytes = Some(c.pick(&[0, 100, 65_536, 8 << 20]));
        }
        7 => options.spiderpool_version = Some(c.pick(&["0.3.7", "v0.6.1", "1.2"]).into()),
        _ => {}
    }
    let drop_unknown = c.chance(128);
    let lossless = c.chance(128);
    let max_depth = options.max_depth.unwrap_or(64).min(1000);
    let style = c.below(4); // 0, 1: block (small collections in flow), 2: flow on one line, 3: mixed
    let mut amp = Amp { c: &mut c, room: max_text, anchors: Vec::new(), hidden: 0..0, max_depth };
    let mut text = String::new();
    let ndocs = 1 + amp.c.below(3);
    for d in 0..ndocs {
        amp.anchors.clear();
        amp.hidden = 0..0;
        let start = text.len();
        // definitions first (a key of their own), then an endpoint or List with hostile slots
        let mut root = match amp.c.below(6) {
            0 => {
                let n = amp.amount(&[1, 2, 10, 100, 1000, 10_000], 400);
                amp.list(n, 0)
            }
            1 => H::Map(vec![(K::Text("x".into()), amp.hostile())]),
            _ => amp.endpoint(),
        };
        let ndefs = amp.c.below(6);
        let mut defs = Vec::new();
        for _ in 0..ndefs {
            defs.push(amp.definition());
        }
        let defs_end = amp.anchors.len();
        for _ in 0..1 + amp.c.below(4) {
            // what an earlier slot anchored may come after this one in the text
            amp.hidden = defs_end..amp.anchors.len();
            let mut paths = Vec::new();
            h_paths(&root, &mut Vec::new(), &mut paths);
            let p = paths[amp.c.below(paths.len())].clone();
            let slot = h_at(&mut root, &p);
            match (amp.c.below(4), slot) {
                // anchor the first item of a sequence and alias it many times
                (0, H::Seq(items)) if !items.is_empty() && !matches!(items[0], H::Alias(_) | H::Anchor(..)) => {
                    let shape = if matches!(items[0], H::Map(_)) { Shape::Map } else { Shape::Scalar };
                    let first = std::mem::replace(&mut items[0], H::Scalar("~".into()));
                    let (id, anchored) = amp.anchor(shape, first);
                    items[0] = anchored;
                    let n = amp.amount(COUNTS, 6);
                    for _ in 0..n {
                        items.push(H::Alias(id));
                    }
                }
                // a merge key or more keys into a map
                (1, H::Map(entries)) => {
                    let v = amp.hostile();
                    if amp.c.below(2) == 0 {
                        if let Some(a) = amp.alias_of(&[Shape::Map, Shape::Endpoint, Shape::List]) {
                            entries.push((K::Merge, H::Alias(a)));
                        }
                    }
                    let k = amp.c.pick(&["x", "spec", "labels", "ips", "items", "status", "metadata", "vlan"]);
                    entries.push((K::Text(k.into()), v));
                }
                (_, slot) => *slot = amp.hostile(),
            }
        }
        if !defs.is_empty() {
            let defs = if defs.len() == 1 { defs.pop().unwrap() } else { H::Seq(defs) };
            match &mut root {
                H::Map(entries) => entries.insert(0, (K::Text(amp.c.pick(&["defs", "x", "spec", "metadata"]).into()), defs)),
                other => *other = H::Map(vec![(K::Text("defs".into()), defs), (K::Text("x".into()), other.clone())]),
            }
        }
        if d > 0 || amp.c.chance(60) {
            text.push_str("---\n");
        }
        let mut e = AmpEmitter { out: &mut text, c: amp.c, style };
        e.document(&root);
        // the same document again and again (anchors are per document)
        if amp.c.chance(40) {
            let doc = text[start..].to_string();
            let doc = if doc.starts_with("---\n") { doc } else { format!("---\n{doc}") };
            let n = amp.amount(&[1, 10, 100, 1000, 5000], doc.len());
            for _ in 0..n {
                text.push_str(&doc);
            }
            amp.room = amp.room.saturating_sub(n * doc.len());
        }
        if amp.room == 0 {
            break;
        }
    }
    Amplified { text, options, drop_unknown, lossless }
}

struct AmpEmitter<'o, 'c, 'd> {
    out: &'o mut String,
    c: &'c mut Choices<'d>,
    /// 0, 1: block, small collections in flow; 2: everything in flow (one line); 3: mixed.
    style: usize,
}

fn h_empty(h: &H) -> bool {
    matches!(h, H::Seq(v) if v.is_empty()) || matches!(h, H::Map(v) if v.is_empty())
}

fn h_size(h: &H) -> usize {
    match h {
        H::Seq(v) => v.len(),
        H::Map(v) => v.len(),
        _ => 0,
    }
}

impl AmpEmitter<'_, '_, '_> {
    fn document(&mut self, h: &H) {
        if self.style == 2 {
            self.flow(h);
            self.out.push('\n');
        } else {
            self.value(h, 0, None);
        }
    }

    fn flow_here(&mut self, h: &H) -> bool {
        match self.style {
            0 | 1 => h_size(h) <= 2 && self.c.chance(200),
            2 => true,
            _ => self.c.chance(80),
        }
    }

    /// A node in block context: after `key:` / `-` (`lead` = Some(indent of the parent)), or at
    /// the start of a document (`lead` = None); ends with a line break.
    fn value(&mut self, h: &H, indent: usize, lead: Option<bool>) {
        match h {
            H::Anchor(id, inner) => {
                if lead.is_some() {
                    self.out.push(' ');
                }
                self.out.push_str(&format!("&a{id}"));
                match &**inner {
                    H::Seq(_) | H::Map(_) if !h_empty(inner) && !self.flow_here(inner) => {
                        self.out.push('\n');
                        let child = if lead.is_some() { indent + 2 } else { 0 };
                        self.block(inner, child);
                    }
                    H::Literal(lines) if lead.is_some() => self.literal(lines, indent),
                    _ => {
                        self.out.push(' ');
                        self.flow(inner);
                        self.out.push('\n');
                    }
                }
            }
            H::Seq(_) | H::Map(_) if !h_empty(h) && !self.flow_here(h) => match lead {
                None => self.block(h, 0),
                Some(after_key) => {
                    self.out.push('\n');
                    let child = if matches!(h, H::Seq(_)) && after_key && self.style == 1 { indent } else { indent + 2 };
                    self.block(h, child);
                }
            },
            H::Literal(lines) if lead.is_some() => self.literal(lines, indent),
            _ => {
                if lead.is_some() {
                    self.out.push(' ');
                }
                self.flow(h);
                self.out.push('\n');
            }
        }
    }

    fn literal(&mut self, lines: &[String], indent: usize) {
        self.out.push_str(" |-\n");
        for l in lines {
            for _ in 0..indent + 2 {
                self.out.push(' ');
            }
            self.out.push_str(l);
            self.out.push('\n');
        }
    }

    fn block(&mut self, h: &H, indent: usize) {
        let pad = " ".repeat(indent);
        match h {
            H::Seq(items) => {
                for item in items {
                    self.out.push_str(&pad);
                    self.out.push('-');
                    self.value(item, indent, Some(false));
                }
            }
            H::Map(entries) => {
                for (k, v) in entries {
                    self.out.push_str(&pad);
                    self.key(k);
                    self.out.push(':');
                    self.value(v, indent, Some(true));
                }
            }
            _ => unreachable!(),
        }
    }

    fn key(&mut self, k: &K) {
        match k {
            K::Text(t) => self.out.push_str(t),
            K::Merge => self.out.push_str("<<"),
            K::Alias(id) => self.out.push_str(&format!("*a{id} ")),
        }
    }

    fn flow(&mut self, h: &H) {
        match h {
            H::Scalar(s) => self.out.push_str(s),
            H::Literal(lines) => self.out.push_str(&serde_json::to_string(&lines.join("\n")).unwrap()),
            H::Alias(id) => self.out.push_str(&format!("*a{id}")),
            H::Anchor(id, inner) => {
                self.out.push_str(&format!("&a{id} "));
                self.flow(inner);
            }
            H::Seq(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.flow(item);
                }
                self.out.push(']');
            }
            H::Map(entries) => {
                self.out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.key(k);
                    self.out.push_str(": ");
                    self.flow(v);
                }
                self.out.push('}');
            }
        }
    }
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
    if s.truncated || s.omitted > 0 {
        // more findings than MAX_DIAGNOSTICS: the counts include the ones not listed
        assert!(s.truncated && s.omitted > 0 && total == spiderendpoint::report::MAX_DIAGNOSTICS, "truncated {} omitted {} listed {total}", s.truncated, s.omitted);
        assert!(s.errors >= errors && s.warnings >= warnings && s.infos >= infos, "summary severities {:?} below the listed {:?}", (s.errors, s.warnings, s.infos), (errors, warnings, infos));
        assert_eq!(s.errors + s.warnings + s.infos, total + s.omitted, "summary severities and omitted");
    } else {
        assert_eq!((s.errors, s.warnings, s.infos), (errors, warnings, infos), "summary severities");
    }
    assert_eq!(r.has_errors(), s.errors > 0);
    let json = serde_json::to_string(r).expect("the report serializes");
    let _: Value = serde_json::from_str(&json).expect("the report is JSON");
    check_output_size("the report JSON", text.len(), total + r.documents.len(), json.len());
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
        let after = engine::validate(&out, &ValidateOptions::default()).expect("default options");
        check_report(&out, &after);
        // A "Remove `key`" fix in a file with flow collections (see `known`).
        let removes_in_flow = fix.message.starts_with("Remove `") && fix.edits.iter().all(|e| e.new_text.is_empty()) && text.contains(['{', '[']);
        let removes_anchor = fix.message.starts_with("Remove `") && fix.edits.iter().any(|e| text[e.offset..e.end_offset].contains('&'));
        let tolerated = (removes_in_flow && known("flow-entry-lines"))
            || (removes_anchor && known("remove-anchor"))
            || (d.code == "SE012" && known("null-key-fix"))
            || (d.code == "SE013" && known("se013-fix-indent"))
            || (non_ascii_directive(text) && known("directive-offsets"));
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
/// - `remove-anchor`: a "Remove `key`" fix deletes an entry that defines an anchor used elsewhere.
/// - `rewrite-escalation`: one document that needs the whole-rewrite fallback sends the others
///   there too, and a root `&a {…}` cannot be rewritten whole: SE410, then the next run succeeds
///   (normalize/convert not idempotent).
/// - `directive-offsets`: after a `%` directive line with a non-ASCII character every span is off
///   (saphyr adds a byte count to its character index).
/// - `nan-key-flag`: for a plain key `.nan` or `.inf` the loader marks the document `non_json`
///   and the fast path does not (yaml_fast).
/// - `rewrite-quadratic-keys`: the whole rewrite (normalize of an endpoint document with a merge key
///   or a tag, and every fallback) is quadratic in the keys of one mapping: src/transform/render.rs
///   `key_order` (`source.contains`) and `Renderer::block` (`guide_child`, a linear `get`). amplify
///   then makes no mapping of more than 2,000 keys.
/// - `se013-fix-indent`: SE013's "Insert `---`" for an indented document after `...` (`a: 1`,
///   `...`, `  k: v`) inserts the marker after the indentation (`  ---`), which is no marker, and
///   the YAML breaks.
/// - `comment-out-span`: normalize comments out a document kubectl never sends only up to the end
///   of its root's span, which ends at its last entry in list order: with a duplicate key (the last
///   value kept in the first one's place) lines after it stay, and the next run comments them out.
/// - `long-key-reports`: a long key aliased into many places is repeated in full in the path (and,
///   before 3537927, the message) of every diagnostic about it: reports far larger than the input.
///
/// Fixed, still accepted: `flow-entry-lines` ("Remove `key`" deleting whole lines inside a flow
/// mapping) and `duplicate-edits` (the same transform edit twice through an alias), both a6886fc;
/// `complex-key-out` (`[: ]` became `[{}: ]`), 5d7271e; `null-key-fix` (SE012's "Write `\"\"`"
/// for the empty key of `: a:` gave `"": a:`, which the reader refuses) and `respell-lost` (a
/// respelling reported but its edit covered by a flow-mapping edit, so the next run respelled it
/// again), both 60d106a; `comment-out-bom` (a document commented out with a U+FEFF inside: a byte
/// order mark in a comment), bb7bcd8; `se011-block-items` (no SE011 for `- yes` as the first item
/// of a block sequence of the wrong type), 1e94620.
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
        _ => ValidateOptions { yaml_version: Some(spiderendpoint::yaml::YamlVersion::V1_1), ..Default::default() },
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
            if kubectl_reads_otherwise(t) {
                // `on`, `010`, `1_000`: kubectl's YAML 1.1 reading differs from YAML 1.2's
                return serde_json::to_string(t).unwrap();
            }
            if resolves_to_non_string(t) {
                return if matches!(ctx, Ctx::Key) { serde_json::to_string(t).unwrap() } else { format!("!!str {t}") };
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

/// Plain scalars kubectl's reader (go-yaml v2, YAML 1.1) may take for something else than the
/// same YAML 1.2 string, conservatively: its booleans, and anything that looks like a number (a
/// digit, sign or dot, then only number-ish characters). The generator quotes them, so its text
/// reads the same in both (the engine reads as kubectl by default).
fn kubectl_reads_otherwise(t: &str) -> bool {
    const WORDS: &[&str] = &["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
    WORDS.contains(&t)
        || (t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_')))
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
