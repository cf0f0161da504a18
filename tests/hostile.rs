//! Hostile inputs: each gets a clear diagnostic, never a panic, in bounded time and memory.

use spiderendpoint::{validate, validate_bytes, Report, ValidateOptions};

fn codes(r: &Report) -> Vec<&str> {
    r.diagnostics.iter().chain(r.documents.iter().flat_map(|d| d.diagnostics.iter())).map(|d| d.code.as_str()).collect()
}

fn first<'r>(r: &'r Report, code: &str) -> &'r spiderendpoint::Diagnostic {
    r.diagnostics
        .iter()
        .chain(r.documents.iter().flat_map(|d| d.diagnostics.iter()))
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(r)))
}

const VALID: &str = "apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: pod-a
  namespace: default
status:
  current:
    uid: 11111111-2222-4333-8444-555555555555
    node: worker-1
    ips:
    - interface: eth0
      ipv4: 10.1.0.5/24
      ipv4Pool: pool-a
      vlan: 0
  ownerControllerName: pod-a
  ownerControllerType: Pod
";

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
    assert!(d.line >= 5, "stops at the alias that crosses the budget, line {}", d.line);
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
    assert_eq!((d.line, d.column), (1, 129));
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
    assert_eq!((d.line, d.column), (16, 3));
    assert_eq!(d.offset, text.find("bogusField").unwrap());
    // a 1 MB line of JSON
    let json = format!("{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {{\"k\": \"{long}\"}}, \"x\": [1, }}");
    let r = validate(&json, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE003");
    assert_eq!(d.line, 1);
    assert!(d.column > 1 << 20);
}

#[test]
fn invalid_utf8_points_at_the_byte() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("pod-a").unwrap();
    bytes[at] = 0xff;
    let r = validate_bytes(&bytes, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE002");
    assert_eq!((d.line, d.column, d.offset), (4, 9, at));
    assert!(d.message.contains("0xFF"));
}

#[test]
fn nul_bytes() {
    let text = VALID.replace("worker-1", "work\0er-1");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE004");
    assert_eq!((d.line, d.column), (9, 15));
    assert!(d.message.contains("U+0000"));
}

#[test]
fn bom_is_accepted_and_offsets_count_it() {
    let text = format!("\u{feff}{}", VALID.replace("vlan: 0", "vlan: 5000"));
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE203");
    assert_eq!((d.line, d.column), (14, 13));
    assert_eq!(d.offset, text.find("5000").unwrap());
    assert_eq!(d.utf16_offset, text[..d.offset].encode_utf16().count());
    assert_eq!(r.summary.invalid, 1);
}

#[test]
fn crlf_positions() {
    let text = VALID.replace("vlan: 0", "vlan: \"7\"").replace('\n', "\r\n");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE202");
    assert_eq!((d.line, d.column, d.end_line, d.end_column), (14, 13, 14, 16));
    assert_eq!(&text[d.offset..d.end_offset], "\"7\"");
    let fix = d.fix.as_ref().unwrap();
    assert_eq!(fix.edits[0].new_text, "7");
}

#[test]
fn thirty_digit_vlan() {
    let text = VALID.replace("vlan: 0", "vlan: 123456789012345678901234567890");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE203");
    assert!(d.message.contains("int64"), "{}", d.message);
    assert_eq!(d.line, 14);
}

#[test]
fn non_ascii_positions_in_utf16() {
    let text = VALID.replace("name: pod-a", "name: pöd-😀");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = first(&r, "SE311");
    assert_eq!(&text[d.offset..d.end_offset], "pöd-😀");
    assert_eq!(d.utf16_end_offset - d.utf16_offset, "pöd-😀".encode_utf16().count());
    assert_eq!(d.end_column - d.column, 6);
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
    let total: usize = r.documents.iter().map(|d| d.diagnostics.len()).sum();
    assert_eq!(total, 10_000);
    assert_eq!(r.summary.errors + r.summary.warnings + r.summary.infos, 10_000);
    assert_eq!(r.summary.invalid + r.summary.valid, 10_050);
}
