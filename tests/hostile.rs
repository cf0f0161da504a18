//! Hostile inputs: each gets a clear diagnostic, never a panic, in bounded time and memory.


use test_support::{all_diagnostics as all, VALID};
use spiderendpoint::{validate, validate_bytes, Report, ValidateOptions};

fn codes(r: &Report) -> Vec<&str> {
    all(r).map(|d| d.code.as_str()).collect()
}

fn first<'r>(r: &'r Report, code: &str) -> &'r spiderendpoint::Diagnostic {
    all(r).find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {:?}", codes(r)))
}


#[test]
fn billion_laughs() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE009");
    assert_eq!(d.severity.as_str(), "error");
    assert!(d.message.contains("billion laughs"));
    assert!(d.location.line >= 5, "stops at the alias that crosses the budget, line {}", d.location.line);
}

#[test]
fn ten_thousand_deep_nesting_flow_and_block() {
    let flow = "[".repeat(10_000);
    let r = validate(&flow, &ValidateOptions::default()).unwrap();
    assert!(first(&r, "SE008").message.contains("nesting deeper than 64"));

    // block sequences nested 10,000 deep on one line: `- - - ... x`
    let block = format!("{}x\n", "- ".repeat(10_000));
    let r = validate(&block, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE008");
    assert_eq!((d.location.line, d.location.column), (1, 129));
}

#[test]
fn fifty_megabyte_input_is_refused_without_parsing() {
    let big = VALID.repeat(50 * 1024 * 1024 / VALID.len() + 1);
    assert!(big.len() > 50 * 1024 * 1024);
    let r = validate(&big, &ValidateOptions::default()).unwrap();
    assert_eq!(codes(&r), ["SE001"]);
    assert!(r.documents.is_empty());
    // the budget is an option
    let r = validate(VALID, &ValidateOptions { max_bytes: Some(100), ..Default::default() }).unwrap();
    assert_eq!(codes(&r), ["SE001"]);
}

#[test]
fn one_megabyte_single_line() {
    let long = "x".repeat(1 << 20);
    let text = VALID.replace("ownerControllerName: pod-a", &format!("ownerControllerName: {long}\n  bogusField: 1"));
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE204");
    assert_eq!((d.location.line, d.location.column), (16, 3));
    assert_eq!(d.location.offset, text.find("bogusField").unwrap());
    // a 1 MB line of JSON
    let json = format!("{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {{\"k\": \"{long}\"}}, \"x\": [1, }}");
    let r = validate(&json, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE003");
    assert_eq!(d.location.line, 1);
    assert!(d.location.column > 1 << 20);
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("pod-a").unwrap();
    bytes[at] = 0xff;
    let r = validate_bytes(&bytes, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE002");
    assert_eq!((d.location.line, d.location.column, d.location.offset), (4, 9, at));
    assert!(d.message.contains("0xFF"));
}

#[test]
fn nul_bytes() {
    let text = VALID.replace("worker-1", "work\0er-1");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE004");
    assert_eq!((d.location.line, d.location.column), (9, 15));
    assert!(d.message.contains("U+0000"));
}

#[test]
fn bom_is_accepted_and_offsets_count_it() {
    let text = format!("\u{feff}{}", VALID.replace("vlan: 0", "vlan: 5000"));
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE203");
    assert_eq!((d.location.line, d.location.column), (14, 13));
    assert_eq!(d.location.offset, text.find("5000").unwrap());
    assert_eq!(d.location.utf16_offset, text[..d.location.offset].encode_utf16().count());
    assert_eq!(r.summary.invalid, 1);
}

#[test]
fn crlf_positions() {
    let text = VALID.replace("vlan: 0", "vlan: \"7\"").replace('\n', "\r\n");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE202");
    assert_eq!((d.location.line, d.location.column, d.location.end_line, d.location.end_column), (14, 13, 14, 16));
    assert_eq!(&text[d.location.offset..d.location.end_offset], "\"7\"");
    let fix = d.fix.as_ref().unwrap();
    assert_eq!(fix.edits[0].new_text, "7");
}

#[test]
fn positions_after_a_non_ascii_directive() {
    // saphyr counts a directive's name and parameters in bytes: the positions after such a line
    // (kubectl refuses every directive: SE012) still point at their own text
    let bad = VALID.replace("vlan: 0", "vlan: 5000");
    for head in ["%FOO é ü # ö\n", "\u{feff}%é\r\n%BAR ö\n", "--- |\n%é\n", "%é\n--- \"a\n%ü b\"\n"] {
        let text = format!("{head}---\n{bad}");
        let r = validate(&text, &ValidateOptions::default()).unwrap();
        let d = first(&r, "SE203");
        assert_eq!(&text[d.location.offset..d.location.end_offset], "5000", "{text}");
        assert_eq!(d.location.utf16_offset, text[..d.location.offset].encode_utf16().count());
    }
    // a syntax error after the directive
    let text = "%é\nkey: value\n";
    let d = first(&validate(text, &ValidateOptions::default()).unwrap(), "SE003").clone();
    assert_eq!(d.location.offset, text.find("key").unwrap(), "{d:?}");
}

#[test]
fn thirty_digit_vlan() {
    let text = VALID.replace("vlan: 0", "vlan: 123456789012345678901234567890");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE203");
    assert!(d.message.contains("int64"), "{}", d.message);
    assert_eq!(d.location.line, 14);
}

#[test]
fn non_ascii_positions_in_utf16() {
    let text = VALID.replace("name: pod-a", "name: pöd-😀");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE311");
    assert_eq!(&text[d.location.offset..d.location.end_offset], "pöd-😀");
    assert_eq!(d.location.utf16_end_offset - d.location.utf16_offset, "pöd-😀".encode_utf16().count());
    assert_eq!(d.location.end_column - d.location.column, 6);
}

#[test]
fn garbage_never_panics() {
    // a deterministic sweep over byte soup built from YAML's special characters
    let alphabet = b"{}[]:,-?&*!|>'\"%@` #\n\t\r\\azZ09.~\x00\xc3\xa9";
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..3000 {
        let len = (seed % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        let _ = validate_bytes(&bytes, &ValidateOptions::default()).unwrap();
    }
}

#[test]
fn findings_are_capped_and_the_cap_is_reported() {
    let item = "- apiVersion: spiderpool.spidernet.io/v2beta1\n  kind: SpiderEndpoint\n  metadata: {name: a}\n  bogus: 1\n";
    let text = format!("apiVersion: v1\nkind: List\nitems:\n{}", item.repeat(10_050));
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert!(r.summary.truncated);
    let listed: usize = r.documents.iter().map(|d| d.diagnostics.len()).sum();
    assert_eq!(listed, 10_000);
    let counted = r.summary.counts.errors + r.summary.counts.warnings + r.summary.counts.infos;
    assert!(counted > 10_050, "every finding is counted, listed or not: {:?}", r.summary);
    assert_eq!(counted, listed + r.summary.omitted);
    assert_eq!(r.summary.invalid + r.summary.valid, 10_050);
}

/// All `(severity, code)` pairs listed in a report.
fn listed(r: &Report) -> Vec<(&str, &str)> {
    all(r).map(|d| (d.severity.as_str(), d.code.as_str())).collect()
}

#[test]
fn a_flood_of_warnings_cannot_hide_an_error() {
    // Unknown fields are errors under strict field validation (the default): warnings with "warn".
    let warn = ValidateOptions { field_validation: Some(spiderendpoint::FieldValidation::Warn), ..Default::default() };
    // 10,000 fields that only warn (a null the API server prunes, or an unknown one), then an error.
    let fields: String = (0..10_000).map(|i| format!("  u{i}: null\n")).collect();
    let text = VALID.replace("  current:\n", &format!("{fields}  current:\n")).replace("vlan: 0", "vlan: 99999");
    let strict = validate(&text, &ValidateOptions::default()).unwrap();
    assert_eq!(strict.summary.counts.errors, 10_001, "strict: every unknown field and the vlan are errors");
    assert!(strict.summary.truncated && strict.summary.omitted == 1);
    let r = validate(&text, &warn).unwrap();
    assert!(r.summary.counts.errors >= 1 && r.summary.invalid == 1, "{:?}", r.summary);
    assert!(r.summary.truncated, "more than 10,000 findings: {:?}", r.summary);
    assert!(listed(&r).iter().any(|(s, _)| *s == "error"), "the error is listed");
    assert_eq!(r.summary.counts.errors + r.summary.counts.warnings + r.summary.counts.infos, listed(&r).len() + r.summary.omitted);

    // 10,000 documents with a warning each, then an invalid one.
    let warn_doc = |i: usize| {
        VALID
            .replace("  ownerControllerType: Pod\n", "  ownerControllerType: Pod\n  extra: null\n")
            .replace("name: pod-a\n  namespace", &format!("name: pod-{i}\n  namespace"))
            .replace("10.1.0.5/24", &format!("10.1.{}.{}/16", i / 200, i % 200 + 1))
    };
    let mut text: String = (0..10_001).map(|i| warn_doc(i) + "---\n").collect();
    text.push_str(&VALID.replace("vlan: 0", "vlan: 99999"));
    let r = validate(&text, &warn).unwrap();
    let errors: Vec<_> = listed(&r).into_iter().filter(|(s, _)| *s == "error").collect();
    assert_eq!(errors.len(), r.summary.counts.errors, "every error is listed");
    assert!(r.summary.counts.errors >= 1);
    assert!(r.summary.truncated && r.summary.omitted > 0);
    assert_eq!(r.documents.last().unwrap().status, spiderendpoint::DocumentStatus::Invalid);
}

#[test]
fn alias_amplification_by_size_is_refused_fast() {
    // 40,000 aliases of a 128 KB scalar: few nodes, 5 GB of text if expanded.
    let mut text = format!("a: &a {}\nb: [", "x".repeat(128 * 1024));
    text.push_str(&vec!["*a"; 40_000].join(", "));
    text.push_str("]\n");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE009");
    assert!(d.message.contains("bytes of text"), "{}", d.message);
    // and with a budget the caller sets
    let r = validate("a: &a xxxxxxxxxx\nb: [*a, *a]\n", &ValidateOptions { max_alias_bytes: Some(15), ..Default::default() }).unwrap();
    assert_eq!(first(&r, "SE009").location.line, 2);
    let r = validate("a: &a xxxxxxxxxx\nb: [*a]\n", &ValidateOptions { max_alias_bytes: Some(15), ..Default::default() }).unwrap();
    assert!(!codes(&r).contains(&"SE009"));
}

#[test]
fn aliases_cannot_nest_deeper_than_the_budget() {
    // Each line nests the previous anchor one level deeper: 2,000 levels from 2,000 short lines.
    let mut text = String::from("a0: &a0 [x]\n");
    for i in 1..2_000 {
        text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE008");
    assert!(d.location.line < 70, "refused where the nesting crosses 64, line {}", d.location.line);
}

/// Runs `f` on a thread with a 1 MiB stack, the size of the wasm stack, in an optimized build (an
/// unoptimized build's frames are several times larger: it gets 8 MiB). `make test` runs this file
/// optimized too.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let size = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    std::thread::Builder::new().stack_size(size).spawn(f).unwrap().join().expect("no stack overflow")
}

#[test]
fn max_depth_is_clamped_whatever_the_caller_asks() {
    let huge = ValidateOptions { max_depth: Some(1_000_000_000), ..Default::default() };
    for text in [format!("{}x\n", "- ".repeat(20_000)), format!("{}{}", "[".repeat(20_000), "]".repeat(20_000))] {
        let (t, o) = (text.clone(), huge.clone());
        let r = on_small_stack(move || validate(&t, &o).unwrap());
        let m = &first(&r, "SE008").message;
        assert!(m.contains("deeper than 1000") || m.contains("deeper than 255 levels"), "{m}");
        for _ in 0..2 {
            let (t, o) = (text.clone(), huge.clone());
            let n = on_small_stack(move || spiderendpoint::normalize(&t, &o.input().into()).unwrap());
            assert!(!n.ok);
            let (t, o) = (text.clone(), huge.clone());
            on_small_stack(move || spiderendpoint::convert(&t, spiderendpoint::ApiVersion::V1, &o.input().into()).unwrap());
        }
    }
    // Nesting up to the clamp is read and checked on a wasm-sized stack by every operation.
    let deep = format!("{}x\n", "- ".repeat(999));
    let (t, o) = (deep.clone(), huge.clone());
    let r = on_small_stack(move || validate(&t, &o).unwrap());
    assert!(!codes(&r).contains(&"SE008"), "{:?}", codes(&r));
    let nested: String = (0..990).map(|i| format!("{}- \n", "  ".repeat(i))).collect::<String>().replace("- \n", "-\n");
    let obj = format!("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata: {{name: a, namespace: b}}\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      x:\n{}", nested.lines().map(|l| format!("      {l}\n")).collect::<String>());
    for op in 0..3 {
        let (t, o) = (obj.clone(), huge.clone());
        on_small_stack(move || match op {
            0 => drop(validate(&t, &o).unwrap()),
            1 => drop(spiderendpoint::normalize(&t, &spiderendpoint::NormalizeOptions { drop_unknown: Some(true), ..o.input().into() }).unwrap()),
            _ => drop(spiderendpoint::convert(&t, spiderendpoint::ApiVersion::V1, &o.input().into()).unwrap()),
        });
    }
}

#[test]
fn nested_lists_are_flattened_as_kubectl_does() {
    let bad = VALID.replace("vlan: 0", "vlan: 99999");
    let indent = |t: &str, by: &str| t.lines().map(|l| format!("{by}{l}\n")).collect::<String>().replacen(&format!("{by}a"), &format!("{}- a", &by[2..]), 1);
    let text = format!(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n{}{}",
        indent(&bad, "    "),
        indent(&VALID.replace("pod-a\n  namespace", "pod-b\n  namespace").replace("10.1.0.5", "10.1.0.6"), "  ")
    );
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert_eq!((r.summary.documents, r.summary.invalid, r.summary.valid), (2, 1, 1), "{:?}\n{text}", r.summary);
    let d = r.documents[0].diagnostics.iter().find(|d| d.severity.as_str() == "error").unwrap();
    assert_eq!(d.location.path, "/items/0/items/0/status/current/ips/0/vlan");
    assert_eq!(&text[d.location.offset..d.location.end_offset], "99999");
    // convert reaches the nested item too
    let c = spiderendpoint::convert(&text.replace("99999", "0").replace("10.1.0.5", "10.1.0.7"), spiderendpoint::ApiVersion::V1, &Default::default()).unwrap();
    assert_eq!(c.output.matches("spiderpool.spidernet.io/v1\n").count(), 2, "{}", c.output);
}

#[test]
fn long_quoted_values_do_not_amplify_the_report() {
    // one 100 KB name aliased 50 times: each finding quotes it, each message is clipped
    let name = "x".repeat(100_000);
    let mut text = format!("apiVersion: v1\nkind: List\nitems:\n- &e {{apiVersion: spiderpool.spidernet.io/v2beta1, kind: SpiderEndpoint, metadata: {{name: &n {name}}}}}\n");
    for _ in 0..50 {
        text.push_str("- {apiVersion: spiderpool.spidernet.io/v2beta1, kind: SpiderEndpoint, metadata: {name: *n}}\n");
    }
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert!(all(&r).all(|d| d.message.len() <= spiderendpoint::diagnostic::MAX_MESSAGE + 32));
    assert!(all(&r).any(|d| d.message.contains("more bytes)")));
    assert!(json.len() < 4 * text.len(), "report {} bytes for {} bytes of input", json.len(), text.len());
}
