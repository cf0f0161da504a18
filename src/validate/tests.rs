use super::*;
use crate::rules::Severity;

const EP: &str = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: pod-a\n  namespace: default\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      ipv4: 10.6.1.21/24\n      ipv4Pool: pool-a\n    node: node-1\n    uid: 0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b\n  ownerControllerName: pod-a\n  ownerControllerType: Pod\n";

fn all(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics.iter().chain(r.documents.iter().flat_map(|d| &d.diagnostics)).collect()
}

fn codes(r: &Report) -> Vec<&str> {
    all(r).iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn rule_levels_turn_off_and_change_severity() {
    let text = EP.replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "not-a-uuid");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert_eq!(codes(&r), ["SE313"]);
    let off: ValidateOptions = serde_json::from_str(r#"{"rules": {"SE313": "off"}}"#).unwrap();
    let r = validate(&text, &off).unwrap();
    assert!(codes(&r).is_empty());
    assert_eq!(r.summary.counts.warnings, 0);
    let err: ValidateOptions = serde_json::from_str(r#"{"rules": {"uid-not-uuid": "error"}}"#).unwrap();
    let r = validate(&text, &err).unwrap();
    assert_eq!((r.summary.counts.errors, all(&r)[0].severity), (1, Severity::Error));
    assert_eq!(r.documents[0].status, crate::DocumentStatus::Invalid);
    let bad: ValidateOptions = serde_json::from_str(r#"{"rules": {"SE999": "off"}}"#).unwrap();
    assert!(matches!(validate(&text, &bad), Err(Misuse::UnknownRule(_))));
}

#[test]
fn suppression_comments_silence_the_next_line_or_the_file() {
    let text = EP.replace("    uid: 0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "    # spiderendpoint-disable-next-line SE313 -- imported from a test cluster\n    uid: not-a-uuid");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
    assert_eq!((r.summary.suppressed, r.suppressed.len()), (1, 1));
    assert_eq!(r.suppressed[0].code, "SE313");
    assert_eq!(r.suppressed[0].suppressed_by, Some(Suppression { line: 13 }));
    // another rule on the next line is not silenced
    let other = text.replace("SE313", "SE204");
    assert_eq!(codes(&validate(&other, &ValidateOptions::default()).unwrap()), ["SE313"]);
    // the file form, by rule name, anywhere
    let file = format!("# spiderendpoint-disable-file uid-not-uuid\n{}", EP.replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "x"));
    let r = validate(&file, &ValidateOptions::default()).unwrap();
    assert_eq!((codes(&r).len(), r.summary.suppressed), (0, 1));
}

#[test]
fn suppression_inside_a_string_is_text_not_a_comment() {
    let text = EP.replace("name: pod-a\n", "name: pod-a\n  annotations: {note: \"x # spiderendpoint-disable-file\"}\n").replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "x");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert_eq!((codes(&r), r.summary.suppressed), (vec!["SE313"], 0));
    let block = format!("{EP}  x: |\n    # spiderendpoint-disable-file\n").replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "x");
    let r = validate(&block, &ValidateOptions::default()).unwrap();
    assert_eq!(r.summary.suppressed, 0, "{:?}", codes(&r));
}

#[test]
fn unknown_and_unsilenceable_rules_in_comments_are_findings() {
    let text = format!("# spiderendpoint-disable-file SE999, SE003\n{EP}");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = all(&r);
    assert_eq!(d.iter().map(|d| (d.code.as_str(), d.location.line, d.location.column)).collect::<Vec<_>>(), [("SE014", 1, 31), ("SE014", 1, 38)]);
    // a syntax error is never suppressed
    let broken = "# spiderendpoint-disable-file\nkey: [\n";
    let r = validate(broken, &ValidateOptions::default()).unwrap();
    assert_eq!((codes(&r), r.summary.suppressed), (vec!["SE003"], 0));
}

#[test]
fn files_share_one_desired_state() {
    let b = EP.replace("pod-a\n  namespace", "pod-b\n  namespace");
    let files = [("a.yaml", EP.as_bytes()), ("b.yaml", b.as_bytes()), ("c.yaml", EP.as_bytes())];
    let r = validate_files(files, &ValidateOptions::default()).unwrap();
    assert!(codes(&r.files[0].report).is_empty());
    let b_diags = all(&r.files[1].report);
    assert_eq!(b_diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["SE316"]);
    let rel = &b_diags[0].related[0];
    assert_eq!((rel.file.as_deref(), rel.location.line, rel.location.path.as_str()), (Some("a.yaml"), 10, "/status/current/ips/0/ipv4"));
    assert!(b_diags[0].message.contains("a.yaml, document 1"), "{}", b_diags[0].message);
    let c_codes = codes(&r.files[2].report);
    assert_eq!(c_codes, ["SE315", "SE316"]);
    assert_eq!(r.summary.counts.errors, 3);
    assert_eq!(r.summary.documents, 3);
    // within one input the related location has no file
    let one = format!("{EP}---\n{EP}");
    let r = validate(&one, &ValidateOptions::default()).unwrap();
    let d = all(&r);
    assert_eq!(d[0].related[0].file, None);
    assert_eq!(d[0].related[0].location.line, 4);
}

#[test]
fn fix_applies_safe_fixes_until_stable_and_leaves_unsafe_ones() {
    let text = EP.replace("ownerControllerType: Pod", "ownerControllerType: None").replace("node: node-1", "node: node-1\n    nod: x");
    let r = fix(&text, &ValidateOptions::default()).unwrap();
    assert!(r.changed);
    assert_eq!(r.passes, 1);
    assert!(r.output.contains("ownerControllerType: Pod"));
    assert!(r.output.contains("nod: x"), "an unknown field's removal is not safe");
    assert_eq!(r.applied.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["SE314"]);
    assert_eq!(codes(&r.report), ["SE204"]);
    assert!(all(&r.report)[0].fix.as_ref().is_none_or(|f| !f.safe), "{:?}", all(&r.report)[0]);
    let again = fix(&r.output, &ValidateOptions::default()).unwrap();
    assert!(!again.changed);
    assert_eq!(again.output, r.output);
}

/// Fuzz finds: a fix keeps valid YAML valid.
#[test]
fn fixes_keep_the_yaml_readable() {
    let apply = |text: &str, code: &str| {
        let r = validate(text, &ValidateOptions::default()).unwrap();
        let d = all(&r).into_iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {:?}", codes(&r))).clone();
        let edits: Vec<(Span, String)> = d.fix.map(|f| f.edits.iter().map(|e| (Span::new(e.offset, e.end_offset), e.new_text.clone())).collect()).unwrap_or_default();
        apply_edits(text, &edits)
    };
    // se013-fix-indent: `---` at the start of the line, not after the indentation
    let fixed = apply("a: 1\n...\n  k: v\n", "SE013");
    assert_eq!(fixed, "a: 1\n...\n---\n  k: v\n");
    assert!(!codes(&validate(&fixed, &ValidateOptions::default()).unwrap()).contains(&"SE003"));
    // remove-anchor: an unknown field that defines an anchor is not removed by its fix
    let text = EP.replace("  name: pod-a\n", "  zzz: &n pod-a\n  name: *n\n");
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let d = all(&r).into_iter().find(|d| d.code == "SE204").expect("zzz is unknown");
    assert!(d.fix.is_none(), "{:?}", d.fix);
}

/// Fuzz find long-key-reports: a long key aliased into many places does not repeat in full in
/// every pointer.
#[test]
fn long_keys_are_clipped_in_pointers() {
    let key = "k".repeat(60_000);
    let items: String = (0..50).map(|_| "    - {*k : 1}\n").collect();
    let text = EP.replace("metadata:\n", &format!("metadata:\n  labels: {{x: &k {key}}}\n")).replace("    ips:\n", &format!("    ips:\n{items}"));
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.len() < 200_000, "{} bytes of report", json.len());
    assert!(all(&r).iter().all(|d| d.location.path.len() < 1024));
    assert!(all(&r).iter().any(|d| d.location.path.contains("… (59744 more bytes)")), "{:?}", codes(&r));
}

/// Fuzz find comment-out-span: with a duplicate key (its last value kept in the first one's
/// place) a mapping still ends at its textually last entry, so normalize comments out all of a
/// document kubectl never sends, and a second run changes nothing.
#[test]
fn a_mapping_ends_at_its_last_entry_in_the_text() {
    let text = "a: 1\n...\nb: 1\nc: 1\nb: 2\n";
    let once = crate::transform::normalize(text, &Default::default()).unwrap();
    assert_eq!(once.output, "a: 1\n...\n# b: 1\n# c: 1\n# b: 2\n");
    let twice = crate::transform::normalize(&once.output, &Default::default()).unwrap();
    assert_eq!(twice.output, once.output);
}

/// Many duplicate keys in one big mapping: each is found through the key index, not a scan.
#[test]
fn duplicate_keys_in_a_big_mapping_are_found() {
    let n = 2_000;
    let keys: String = (0..n).map(|i| format!("  k{i}: 1\n")).collect();
    let r = validate(&format!("x:\n{keys}{keys}"), &ValidateOptions::default()).unwrap();
    assert_eq!(r.summary.counts.errors, n, "{:?}", codes(&r).first());
}

/// The reader hands documents over as it reads them and starts again with the loader when a later
/// document leaves the fast subset: what was checked before the restart counts once.
#[test]
fn a_restart_of_the_reader_counts_each_document_once() {
    let bad = EP.replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "not-a-uuid");
    // the anchor in the third document is outside the fast subset; `# spiderendpoint-disable`
    // inside the quoted value is text, not a comment (the scalar spans survive the restart)
    let third = EP.replace("pod-a", "pod-c").replace("  namespace: default\n", "  namespace: default\n  annotations:\n    note: &n \"# spiderendpoint-disable-file\"\n").replace("10.6.1.21", "10.6.1.23");
    let text = format!("{bad}---\n{}---\n{third}", EP.replace("pod-a", "pod-b").replace("10.6.1.21", "10.6.1.22"));
    assert!(crate::yaml::parse_fast(&text, crate::yaml::Budget::default()).is_none());
    let r = validate(&text, &ValidateOptions::default()).unwrap();
    assert_eq!(codes(&r), ["SE313"]);
    assert_eq!((r.summary.documents, r.summary.counts.warnings, r.summary.suppressed), (3, 1, 0));
    assert_eq!(r.documents.iter().map(|d| d.name.as_deref().unwrap()).collect::<Vec<_>>(), ["pod-a", "pod-b", "pod-c"]);
}
