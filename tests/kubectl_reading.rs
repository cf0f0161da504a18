//! The verdict is kubectl's: YAML 1.1 scalars, kubectl's refusals, strict field validation.
//! (The differential test against the installed kubectl is tests/oracle/kubectl.test.mjs.)


use test_support::{all_diagnostics as all, VALID};
use spiderendpoint::yaml::YamlVersion;
use spiderendpoint::{validate, Diagnostic, FieldValidation, Report, ValidateOptions};


/// The valid endpoint with these values (and a `cleanGateway`).
fn doc(node: &str, iface: &str, vlan: &str, clean: &str) -> String {
    VALID
        .replace("node: worker-1", &format!("node: {node}"))
        .replace("interface: eth0", &format!("interface: {iface}"))
        .replace("vlan: 0", &format!("vlan: {vlan}\n      cleanGateway: {clean}"))
}

fn find<'r>(r: &'r Report, code: &str, path: &str) -> &'r Diagnostic {
    all(r).find(|d| d.code == code && d.location.path == path).unwrap_or_else(|| {
        panic!("no {code} at {path} in {:?}", all(r).map(|d| (&d.code, &d.location.path, &d.message)).collect::<Vec<_>>())
    })
}

fn v12() -> ValidateOptions {
    ValidateOptions { yaml_version: Some(YamlVersion::V1_2), ..Default::default() }
}

#[test]
fn the_issue_example_reads_as_kubectl_reads_it() {
    let text = doc("no", "on", "010", "yes");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    // kubectl: node false, interface true -> the API server rejects both
    let node = find(&r, "SE202", "/status/current/node");
    assert_eq!(node.severity.as_str(), "error");
    assert!(node.message.contains("kubectl (YAML 1.1) reads the plain `no` as false"), "{}", node.message);
    assert_eq!(node.fix.as_ref().unwrap().edits[0].new_text, "\"no\"");
    find(&r, "SE202", "/status/current/ips/0/interface");
    // vlan 8 and cleanGateway true are valid for kubectl, with a warning and the unambiguous spelling
    let vlan = find(&r, "SE011", "/status/current/ips/0/vlan");
    assert_eq!((vlan.severity.as_str(), vlan.fix.as_ref().unwrap().edits[0].new_text.as_str()), ("warning", "8"));
    let clean = find(&r, "SE011", "/status/current/ips/0/cleanGateway");
    assert_eq!(clean.fix.as_ref().unwrap().edits[0].new_text, "true");
    assert!(!all(&r).any(|d| d.location.path.ends_with("cleanGateway") && d.severity.as_str() == "error"));
    assert_eq!(r.summary.counts.errors, 2);

    // Read as YAML 1.2 instead: the strings are fine, cleanGateway is the error.
    let r = validate(&text, &v12()).unwrap();
    assert_eq!(find(&r, "SE202", "/status/current/ips/0/cleanGateway").severity.as_str(), "error");
    assert_eq!(find(&r, "SE011", "/status/current/node").fix.as_ref().unwrap().edits[0].new_text, "\"no\"");
    assert_eq!(r.summary.counts.errors, 1);
}

#[test]
fn numbers_as_kubectl_reads_them() {
    for (vlan, errors) in [("0x1F", 0), ("0o17", 0), ("1_0", 0), ("10.0", 0), ("1e1", 0), ("+0755", 0), ("4094.0", 0), ("4094.5", 1), ("1e400", 1), ("0b1_0", 0)] {
        let r = validate(&doc("w1", "eth0", vlan, "false"), &ValidateOptions::default()).unwrap();
        assert_eq!(r.summary.counts.errors, errors, "vlan: {vlan}: {:?}", all(&r).map(|d| &d.message).collect::<Vec<_>>());
    }
    // 07777 is octal 4095 for kubectl (7777 for YAML 1.2): above the maximum 4094 either way
    let r = validate(&doc("w1", "eth0", "07777", "false"), &ValidateOptions::default()).unwrap();
    assert!(find(&r, "SE203", "/status/current/ips/0/vlan").message.contains("4095"));
    assert!(find(&r, "SE011", "/status/current/ips/0/vlan").message.contains("as 4095"));
}

#[test]
fn files_kubectl_refuses() {
    let base = doc("w1", "eth0", "0", "false");
    for (text, needle) in [
        (base.replace("vlan: 0", "vlan: .inf"), "unsupported value: +Inf"),
        (base.replace("vlan: 0", "vlan: .nan"), "unsupported value: NaN"),
        (format!("%YAML 1.2\n---\n{base}"), "found incompatible YAML document"),
        (format!("%YAML 1.1\n---\n{base}"), "did not find expected <document start>"),
        (format!("...\n{base}"), "did not find expected node content"),
        (format!("--- !!map\n{base}"), "invalid Yaml document separator"),
        (base.replace("  ownerControllerType: Pod\n", "  ownerControllerType: Pod\n  ~: x\n"), "unsupported map key"),
        (format!("just a string\n---\n{base}"), "cannot unmarshal string"),
    ] {
        let r = validate(&text, &ValidateOptions::default()).unwrap();
        let d = all(&r).find(|d| d.code == "SE012").unwrap_or_else(|| panic!("no SE012 for\n{text}"));
        assert!(d.message.contains(needle), "{} lacks {needle}", d.message);
        assert!(r.summary.counts.errors >= 1);
    }
    // what kubectl accepts is not refused
    for ok in [format!("--- # c\n{base}"), format!("---\n{base}...\n"), format!("\u{feff}{base}")] {
        let r = validate(&ok, &ValidateOptions::default()).unwrap();
        assert!(!all(&r).any(|d| d.code == "SE012"), "{ok}");
    }
}

#[test]
fn field_validation_modes() {
    let text = doc("w1", "eth0", "0", "false").replace("  ownerControllerType: Pod\n", "  ownerControllerType: Pod\n  extra: 1\n");
    let sev = |mode: Option<FieldValidation>| {
        let r = validate(&text, &ValidateOptions { field_validation: mode, ..Default::default() }).unwrap();
        find(&r, "SE204", "/status/extra").severity.as_str().to_string()
    };
    assert_eq!(sev(None), "error");
    assert_eq!(sev(Some(FieldValidation::Strict)), "error");
    assert_eq!(sev(Some(FieldValidation::Warn)), "warning");
    assert_eq!(sev(Some(FieldValidation::Ignore)), "info");
    let dup = doc("w1", "eth0", "0", "false").replace("    node: w1\n", "    node: w1\n    node: w2\n");
    let r = validate(&dup, &ValidateOptions::default()).unwrap();
    assert_eq!(find(&r, "SE006", "/status/current/node").severity.as_str(), "error");
    let r = validate(&dup, &ValidateOptions { field_validation: Some(FieldValidation::Warn), ..Default::default() }).unwrap();
    assert_eq!(find(&r, "SE006", "/status/current/node").severity.as_str(), "warning");
    assert_eq!(r.summary.counts.errors, 0);
}

#[test]
fn plain_keys_kubectl_turns_into_other_keys() {
    let text = doc("w1", "eth0", "0", "false").replace("      vlan: 0\n", "      vlan: 0\n      on: 1\n");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = find(&r, "SE011", "/status/current/ips/0/true");
    assert_eq!(d.fix.as_ref().unwrap().edits[0].new_text, "\"on\"");
    find(&r, "SE204", "/status/current/ips/0/true");
}

#[test]
fn documents_without_type_meta_are_never_skipped_silently() {
    // a status block pasted from the upstream docs
    let pasted = "status:\n  current:\n    node: w1\n    ips: []\n  ownerControllerType: Pod\n";
    let r = validate(pasted, &ValidateOptions::default()).unwrap();
    assert_eq!(find(&r, "SE105", "/kind").severity.as_str(), "error");
    assert_eq!(r.summary.invalid, 1);
    let other = "metadata:\n  name: x\ndata:\n  a: b\n";
    let r = validate(other, &ValidateOptions::default()).unwrap();
    assert_eq!(find(&r, "SE107", "").severity.as_str(), "info");
    assert_eq!(r.summary.skipped, 1);
}
