//! The fuzz target bodies: each calls the public API on an input built from the fuzzer's bytes and
//! asserts the invariants ([`crate::invariants`]); a violated invariant panics, which libFuzzer
//! reports as a crash (and tests/fuzz_smoke.rs as a failure). A panic inside the library is a crash
//! too: in WebAssembly it would trap the whole module. Every engine call goes through
//! [`crate::engine`], which holds it to the time-per-byte budget ([`crate::timing`]).
//!
//! Run by the cargo-fuzz targets (fuzz/fuzz_targets/*.rs) and, on stable Rust over deterministic
//! inputs and the saved crashes, by tests/fuzz_smoke.rs.

use serde_json::Value;
use spiderendpoint::{ApiVersion, ConvertOptions, Diagnostic, DocumentStatus, NormalizeOptions, Report, TransformResult, ValidateOptions};

use crate::amplify::generate_amplified;
use crate::engine;
use crate::invariants::{all_diagnostics, check_expansion, check_fixes, check_report, check_spans, check_transform, check_transform_with, has_yaml_problem, same_json};
use crate::known::known;
use crate::structured::generate;

/// A fuzz target's body.
pub type Body = fn(&[u8]);

/// Every fuzz target (fuzz/fuzz_targets/<name>.rs, scripts/fuzz.sh) and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("validate", validate_bytes),
    ("validate_structured", validate_structured),
    ("normalize", normalize_bytes),
    ("normalize_structured", normalize_structured),
    ("convert", convert_bytes),
    ("convert_structured", convert_structured),
    ("yaml_fast", yaml_fast),
    ("amplify", amplify),
];

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
            assert_eq!(report.diagnostics[0].location.offset, e.valid_up_to());
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
    let Some(fast) = engine::parse_fast(text, budget) else { return };
    let slow = engine::parse_slow(text, budget);
    // NaN != NaN: compare the debug renderings when the values differ
    if fast != slow {
        assert_eq!(format!("{fast:#?}"), format!("{slow:#?}"), "fast path and loader disagree\n--- text:\n{text}");
    }
}

fn check_normalize(text: &str, opts: &NormalizeOptions) {
    let r = engine::normalize(text, opts).expect("normalize: valid options are never misuse");
    check_transform(text, &r, "normalize");
    let again = engine::normalize(&r.output, opts).expect("normalize");
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

/// The (document, item, status, sorted (code, path)) of every document: what does not depend on
/// where in the text things are.
/// A document's index, List item, status and sorted (code, path) findings.
type DocumentSummary = (usize, Option<usize>, DocumentStatus, Vec<(String, String)>);

fn semantic_summary(r: &Report) -> Vec<DocumentSummary> {
    r.documents
        .iter()
        .map(|d| {
            let mut findings: Vec<(String, String)> = d.diagnostics.iter().map(|x| (x.code.clone(), x.location.path.clone())).collect();
            findings.sort();
            (d.index, d.item, d.status, findings)
        })
        .collect()
}


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
