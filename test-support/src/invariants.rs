//! The invariants every result keeps, whatever the input: a report is well-formed for its text
//! (positions, sorting, counts, known rules), fixes and transform edits are well-formed and keep
//! valid YAML valid and JSON JSON, spans point at their own text, outputs stay proportionate to
//! their inputs, and aliases expand within their budgets.

use serde_json::Value;
use spiderendpoint::{Diagnostic, DocumentStatus, Report, Severity, TextEdit, TransformResult, ValidateOptions, RULES};

use crate::emit::{kubectl_reads_otherwise, resolves_to_non_string};
use crate::engine::{self, budget_of};
use crate::known::known;

/// Does `text` have a YAML-level problem (a code below SE010) under the default options?
pub fn has_yaml_problem(text: &str) -> bool {
    let r = engine::validate(text, &ValidateOptions::default()).expect("default options");
    let found = all_diagnostics(&r).any(|d| d.code.as_str() < "SE010");
    found
}

/// A transform result: edits that reproduce the output, well-formed diagnostics (positions in the
/// input), JSON stays JSON, valid YAML stays valid YAML, and it serializes.
pub fn check_transform(text: &str, r: &TransformResult, what: &str) {
    let yaml_problem = !r.edits.is_empty() && has_yaml_problem(text);
    check_transform_with(text, r, what, yaml_problem);
}

/// [`check_transform`] when it is known whether the input has a YAML problem (default options).
pub fn check_transform_with(text: &str, r: &TransformResult, what: &str, yaml_problem: bool) {
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
    // The output text stands in the JSON twice when a document is rewritten whole (as `output` and
    // as the new text of its edit), and the output check above already bounds it: what the rest of
    // the result may add is bounded here.
    let quoted = |t: &str| serde_json::to_string(t).map_or(0, |q| q.len());
    let texts = quoted(&r.output) + r.edits.iter().map(|e| quoted(&e.new_text)).sum::<usize>();
    check_output_size(&format!("the {what} result but its output and edit texts, as JSON"), text.len(), items, json.len() - texts);
}

/// Spans of the parsed tree point at their own text: a plain one-line key or string reads exactly
/// its value at its span (quoted, block, aliased and multi-line ones are not compared).
pub fn check_spans(text: &str) {
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



pub fn all_diagnostics(r: &Report) -> impl Iterator<Item = &Diagnostic> {
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
                assert!(p <= (d.location.offset, d.code.as_str()), "diagnostics not sorted at {d:#?}");
            }
            prev = Some((d.location.offset, d.code.as_str()));
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
        assert!(s.counts.errors >= errors && s.counts.warnings >= warnings && s.counts.infos >= infos, "summary severities {:?} below the listed {:?}", (s.counts.errors, s.counts.warnings, s.counts.infos), (errors, warnings, infos));
        assert_eq!(s.counts.errors + s.counts.warnings + s.counts.infos, total + s.omitted, "summary severities and omitted");
    } else {
        assert_eq!((s.counts.errors, s.counts.warnings, s.counts.infos), (errors, warnings, infos), "summary severities");
    }
    assert_eq!(r.has_errors(), s.counts.errors > 0);
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
    let l = &d.location;
    assert!(l.path.is_empty() || l.path.starts_with('/'), "{}", at("path is not a JSON Pointer"));
    assert!(l.offset <= l.end_offset && l.end_offset <= text.len(), "{}", at("offsets out of range"));
    assert!(text.is_char_boundary(l.offset) && text.is_char_boundary(l.end_offset), "{}", at("offset not on a char boundary"));
    assert_eq!((l.line, l.column), (pos.line[l.offset] as usize, pos.column[l.offset] as usize), "{}", at("line/column"));
    assert_eq!((l.end_line, l.end_column), (pos.line[l.end_offset] as usize, pos.column[l.end_offset] as usize), "{}", at("end line/column"));
    assert_eq!(l.utf16_offset, pos.utf16[l.offset] as usize, "{}", at("utf16 offset"));
    assert_eq!(l.utf16_end_offset, pos.utf16[l.end_offset] as usize, "{}", at("utf16 end offset"));
    assert!(l.line >= 1 && l.column >= 1 && l.end_line >= l.line, "{}", at("positions"));
    assert!(l.end_line > l.line || l.end_column >= l.column, "{}", at("end before start"));
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

pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
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
            || (d.code == "SE013" && known("se013-fix-indent"));
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

pub fn clip(text: &str) -> &str {
    let mut n = text.len().min(2000);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    &text[..n]
}

/// Compares JSON values, floats by bit pattern after the f64 round trip both sides go through.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64() && x.is_f64() == y.is_f64()),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}
