//! The audit API: positions inside the JSON of allocatedIPs, several files, the summary and the
//! repairs, budgets, and the record cap.

use spiderendpoint::audit::{audit, AuditOptions};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/audit/{name}.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn all(r: &spiderendpoint::audit::AuditReport) -> Vec<(usize, spiderendpoint::Diagnostic, Vec<spiderendpoint::RelatedLocation>)> {
    let mut out = Vec::new();
    for (fi, f) in r.files.iter().enumerate() {
        for doc in &f.report.documents {
            for d in &doc.diagnostics {
                out.push((fi, d.clone(), d.related.clone()));
            }
        }
    }
    out
}

#[test]
fn positions_point_into_the_json_string() {
    let text = fixture("rp1-leaked-ip");
    let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
    let (_, d, _) = all(&r).into_iter().find(|x| x.1.code == "SE621").unwrap();
    assert_eq!(&text[d.location.offset..d.location.end_offset], "\"default/gone\"");
    let line = text.lines().nth(d.location.line - 1).unwrap();
    assert_eq!(&line[d.location.column - 1..d.location.column - 1 + 14], "\"default/gone\"");
    // P7: the second record's podUid, related: the first one's.
    let text = fixture("p7-uid-twice");
    let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
    let (_, d, rel) = all(&r).into_iter().find(|x| x.1.code == "SE607").unwrap();
    assert_eq!(&text[d.location.offset..d.location.end_offset], "\"11111111-1111-4111-8111-111111111111\"");
    assert!(rel[0].location.offset < d.location.offset);
    assert_eq!(&text[rel[0].location.offset..rel[0].location.end_offset], "\"11111111-1111-4111-8111-111111111111\"");
}

#[test]
fn double_quoted_and_block_scalars_map_too() {
    let text = fixture("rp1-leaked-ip");
    let line = text.lines().find(|l| l.contains("allocatedIPs: '")).unwrap().to_string();
    let json = line.trim().strip_prefix("allocatedIPs: '").unwrap().strip_suffix('\'').unwrap().to_string();
    // double-quoted with escapes
    let dq = text.replace(&line, &format!("    allocatedIPs: \"{}\"", json.replace('"', "\\\"")));
    let r = audit(&[("a.yaml", &dq)], &AuditOptions::default()).unwrap();
    let (_, d, _) = all(&r).into_iter().find(|x| x.1.code == "SE621").unwrap();
    assert_eq!(&dq[d.location.offset..d.location.end_offset], "\\\"default/gone\\\"");
    // literal block scalar
    let block = text.replace(&line, &format!("    allocatedIPs: |\n      {json}"));
    let r = audit(&[("a.yaml", &block)], &AuditOptions::default()).unwrap();
    let (_, d, _) = all(&r).into_iter().find(|x| x.1.code == "SE621").unwrap();
    assert_eq!(&block[d.location.offset..d.location.end_offset], "\"default/gone\"");
}

/// The RE1 fixture as two files: its pool (pools.yaml) and its Pods and endpoints (pods.yaml).
fn split_re1() -> (String, String) {
    let text = fixture("re1-record-without-endpoint");
    let split = text.find("- apiVersion: v1\n  kind: Pod").unwrap();
    (format!("{}metadata: {{}}\n", &text[..split]), format!("apiVersion: v1\nkind: List\nitems:\n{}", &text[split..]))
}

#[test]
fn objects_in_several_files_are_audited_together() {
    // The pool in one file, Pods and endpoints in another: the leaked record's related end is in
    // the other file and names it.
    let (pools, rest) = split_re1();
    let r = audit(&[("pools.yaml", &pools), ("pods.yaml", &rest)], &AuditOptions::default()).unwrap();
    let found = all(&r);
    let (fi, _, rel) = found.iter().find(|x| x.1.code == "SE631").unwrap();
    assert_eq!(*fi, 0);
    assert_eq!(rel[0].file.as_deref(), Some("pods.yaml"));
    assert_eq!(&rest[rel[0].location.offset..rel[0].location.end_offset], "name");
    assert!(found.iter().any(|x| x.0 == 1 && x.1.code == "SE651"));
    // The same endpoint in two files: SE315 in the later file, related to the earlier one.
    let text = fixture("consistent-v2beta1");
    let r = audit(&[("one.yaml", &text), ("two.yaml", &text)], &AuditOptions::default()).unwrap();
    let dups: Vec<_> = all(&r).into_iter().filter(|x| x.1.code == "SE315").collect();
    assert_eq!(dups.len(), 2);
    assert!(dups.iter().all(|x| x.0 == 1 && x.2[0].file.as_deref() == Some("one.yaml")));
}

#[test]
fn summary_and_repairs() {
    let text = fixture("rp1-leaked-ip");
    let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
    let p = &r.summary.pool_table[0];
    assert_eq!((p.name.as_str(), p.allocated, p.total), ("pool-a", 3, Some(19)));
    assert_eq!(p.leaked, ["10.1.0.4"]);
    let repair = &r.summary.repairs[0];
    assert_eq!(repair.codes, ["SE621", "SE622"]);
    assert_eq!(
        repair.commands,
        [r#"kubectl patch spiderippool pool-a --subresource=status --type=merge -p '{"status":{"allocatedIPCount":2,"allocatedIPs":"{\"10.1.0.2\":{\"pod\":\"default/web-1\",\"podUid\":\"11111111-1111-4111-8111-111111111111\"},\"10.1.0.3\":{\"pod\":\"default/web-2\",\"podUid\":\"22222222-2222-4222-8222-222222222222\"}}"}}'"#]
    );
    let text = fixture("ep4-leaked-endpoint");
    let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
    assert_eq!(r.summary.namespaces[0].namespace, "default");
    assert_eq!(r.summary.namespaces[0].endpoints_without_pods, ["web-2"]);
    assert_eq!(r.summary.pool_table[0].stale, ["10.1.0.3"]);
    assert!(r.summary.repairs.iter().any(|x| x.commands.contains(&"kubectl delete spiderendpoint -n default web-2".to_string())));
    // v1: a JSON patch removing the map key.
    let text = fixture("rp2-v1-container");
    let r = audit(&[("a.yaml", &text)], &AuditOptions { spiderpool_version: Some("0.3.7".into()), ..Default::default() }).unwrap();
    assert_eq!(r.summary.repairs[0].commands, [r#"kubectl patch spiderippool pool-a --subresource=status --type=json -p '[{"op":"remove","path":"/status/allocatedIPs/10.1.0.3"},{"op":"replace","path":"/status/allocatedIPCount","value":1}]'"#]);
}

#[test]
fn budgets_and_misuse() {
    let text = fixture("consistent-v2beta1");
    let r = audit(&[("a.yaml", &text)], &AuditOptions { max_bytes: Some(100), ..Default::default() }).unwrap();
    assert_eq!(r.files[0].report.diagnostics[0].code, "SE001");
    assert!(audit(&[("a.yaml", &text)], &AuditOptions { spiderpool_version: Some("x".into()), ..Default::default() }).is_err());
    assert!(audit(&[("a.yaml", &text)], &AuditOptions { now: Some("yesterday".into()), ..Default::default() }).is_err());
    // Larger than validate's 32 MiB default is fine for audit.
    const { assert!(spiderendpoint::audit::AUDIT_DEFAULT_MAX_BYTES > spiderendpoint::DEFAULT_MAX_BYTES) };
    // Hostile input inside one item: the alias budget still applies.
    let bomb = "apiVersion: v1\nkind: List\nitems:\n- a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    let r = audit(&[("bomb.yaml", bomb)], &AuditOptions::default()).unwrap();
    assert!(r.files[0].report.diagnostics.iter().any(|d| d.code == "SE009"), "{:?}", r.files[0].report.diagnostics);
}

#[test]
fn record_cap_and_reference_time() {
    // P10: more than 5000 records in one pool (a /16).
    let mut json = String::from("{");
    for i in 0..5001u32 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!("\"10.8.{}.{}\":{{\"pod\":\"ns/p{i}\",\"podUid\":\"u{i}\"}}", i / 250, i % 250 + 1));
    }
    json.push('}');
    let text = format!("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: big\nspec:\n  ipVersion: 4\n  ips:\n  - 10.8.0.1-10.8.255.254\n  subnet: 10.8.0.0/16\nstatus:\n  allocatedIPCount: 5001\n  allocatedIPs: '{json}'\n  totalIPCount: 65534\n");
    let r = audit(&[("big.yaml", &text)], &AuditOptions::default()).unwrap();
    let codes: Vec<&str> = r.files[0].report.documents[0].diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["SE610"]);
    // RP3: a terminating Pod past its grace period (reference time = `now`).
    let text = fixture("consistent-v2beta1").replace("    name: web-2\n    namespace: default\n    ownerReferences:\n    - apiVersion: apps/v1", "    deletionTimestamp: \"2024-05-01T10:00:00Z\"\n    deletionGracePeriodSeconds: 30\n    name: web-2\n    namespace: default\n    ownerReferences:\n    - apiVersion: apps/v1");
    let within = audit(&[("a.yaml", &text)], &AuditOptions { now: Some("2024-05-01T10:00:10Z".into()), ..Default::default() }).unwrap();
    let past = audit(&[("a.yaml", &text)], &AuditOptions { now: Some("2024-05-01T11:00:00Z".into()), ..Default::default() }).unwrap();
    let sev = |r: &spiderendpoint::audit::AuditReport| all(r).into_iter().filter(|x| x.1.code == "SE623").map(|x| x.1.severity.as_str()).collect::<Vec<_>>();
    assert_eq!(sev(&within), ["info"]);
    assert_eq!(sev(&past), ["warning"]);
    assert_eq!(past.summary.reference_time.as_deref(), Some("2024-05-01T11:00:00Z"));
}

#[test]
fn readme_summary_example_is_real_output() {
    let text = fixture("rp1-leaked-ip");
    let r = audit(&[("rp1-leaked-ip.yaml", &text)], &AuditOptions::default()).unwrap();
    let block = format!("```json\n{}\n```", serde_json::to_string_pretty(&r.summary).unwrap());
    let path = format!("{}/README.md", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(&path).unwrap();
    let (a, b) = ("<!-- audit-summary:start -->\n", "<!-- audit-summary:end -->");
    let start = readme.find(a).expect("README audit-summary block") + a.len();
    let end = readme.find(b).unwrap();
    let want = format!("{block}\n");
    if std::env::var_os("AUDIT_BLESS").is_some() {
        std::fs::write(&path, format!("{}{want}{}", &readme[..start], &readme[end..])).unwrap();
        return;
    }
    assert_eq!(&readme[start..end], want, "README's audit summary example is stale; rerun with AUDIT_BLESS=1");
}

/// Every fixture of the repository, every prefix of an export and byte-mutated exports: audit
/// returns a report (never panics) and positions stay inside the text.
#[test]
fn no_input_panics() {
    let root = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(&root)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                texts.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    let export = fixture("ep7-address-shared") + &fixture("s4-entries-overlap");
    for cut in (0..export.len()).step_by(7) {
        if export.is_char_boundary(cut) {
            texts.push(export[..cut].to_string());
        }
    }
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..400 {
        let mut b = export.clone().into_bytes();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed as usize) % b.len();
            b[at] = b"-: '\"{}[]|\n #\\x0a/1z"[(seed >> 32) as usize % 20];
        }
        texts.push(String::from_utf8_lossy(&b).into_owned());
    }
    for t in &texts {
        let r = audit(&[("a.yaml", t), ("b.yaml", t)], &AuditOptions::default()).unwrap();
        for (_, d, rel) in all(&r) {
            assert!(d.location.end_offset <= t.len() && d.location.offset <= d.location.end_offset);
            for x in rel {
                assert!(x.location.end_offset <= t.len());
            }
        }
    }
}

/// The same objects as a JSON List (`kubectl get -o json`) and as a `---` stream give the same
/// findings as the block-style List (codes and objects; paths lose `/items/n` in the stream).
#[test]
fn json_lists_and_streams_read_like_block_lists() {
    let key = |r: &spiderendpoint::audit::AuditReport| {
        let mut v: Vec<(String, Option<String>, String)> = Vec::new();
        for f in &r.files {
            for doc in &f.report.documents {
                for d in &doc.diagnostics {
                    let tail = d.location.path.splitn(4, '/').skip(if d.location.path.starts_with("/items/") { 3 } else { 1 }).collect::<Vec<_>>().join("/");
                    v.push((d.code.clone(), doc.name.clone(), tail));
                }
            }
        }
        v.sort();
        v
    };
    for name in ["ep7-address-shared", "re1-record-without-endpoint", "x1-ip-in-two-pools", "s4-entries-overlap", "kubevirt-migration"] {
        let text = fixture(name);
        let block = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
        let stream = spiderendpoint::yaml::parse(&text, Default::default());
        let root = stream.docs[0].root.as_ref().unwrap().to_json(&text);
        let json = serde_json::to_string_pretty(&root).unwrap();
        let from_json = audit(&[("a.json", &json)], &AuditOptions::default()).unwrap();
        assert_eq!(key(&block), key(&from_json), "{name} as JSON");
        let docs: String = root["items"].as_array().unwrap().iter().map(|o| format!("---\n{}\n", serde_json::to_string(o).unwrap())).collect();
        let from_stream = audit(&[("s.yaml", &docs)], &AuditOptions::default()).unwrap();
        assert_eq!(key(&block), key(&from_stream), "{name} as a stream");
        assert!(!key(&block).is_empty());
    }
}

/// The P4 and P5 fixes write the right counts: applied, the findings are gone.
#[test]
fn count_fixes_apply() {
    for (name, code) in [("p4-allocated-count", "SE604"), ("p5-total-count", "SE605")] {
        let text = fixture(name);
        let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
        let (_, d, _) = all(&r).into_iter().find(|x| x.1.code == code).unwrap();
        let fix = d.fix.expect("a fix");
        let edits: Vec<_> = fix.edits.iter().map(|e| (spiderendpoint::yaml::Span::new(e.offset, e.end_offset), e.new_text.clone())).collect();
        let fixed = spiderendpoint::diagnostic::apply_edits(&text, &edits);
        let r = audit(&[("a.yaml", &fixed)], &AuditOptions::default()).unwrap();
        assert!(all(&r).is_empty(), "{name}: {:?}", all(&r).iter().map(|x| &x.1.code).collect::<Vec<_>>());
    }
}

/// Bytes: a file that is not UTF-8 is refused at its first bad byte (SE002); the others are audited.
#[test]
fn bytes_that_are_not_utf8_are_refused_alone() {
    let good = fixture("rp1-leaked-ip");
    let bad: &[u8] = b"apiVersion: v1\nkind: List\nitems: []\n\xff\xfe";
    let r = spiderendpoint::audit::audit_bytes(&[("bad.yaml", bad), ("good.yaml", good.as_bytes())], &AuditOptions::default()).unwrap();
    assert_eq!(r.files[0].report.diagnostics[0].code, "SE002");
    assert_eq!(r.files[0].report.diagnostics[0].location.line, 4);
    assert!(all(&r).iter().any(|x| x.0 == 1 && x.1.code == "SE621"));
}

#[test]
fn rule_levels_apply() {
    let text = fixture("rp1-leaked-ip");
    let rules = |k: &str, v: &str| AuditOptions { rules: Some(serde_json::from_str(&format!("{{\"{k}\":\"{v}\"}}")).unwrap()), ..Default::default() };
    let r = audit(&[("a.yaml", &text)], &rules("SE621", "off")).unwrap();
    assert!(all(&r).is_empty());
    let r = audit(&[("a.yaml", &text)], &rules("leaked-ip", "warning")).unwrap();
    assert_eq!(all(&r)[0].1.severity.as_str(), "warning");
    assert!(audit(&[("a.yaml", &text)], &rules("SE999", "off")).is_err());
}

/// Suppression comments as `validate` has them: a comment of the file and line of a finding's primary
/// location silences it; silenced findings are listed with `suppressedBy` and counted apart.
#[test]
fn suppression_comments_apply_to_audit() {
    let text = fixture("rp1-leaked-ip");
    let base = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
    assert_eq!((base.summary.counts.errors, base.summary.suppressed), (1, 0));
    // The next line: the SE621 on `allocatedIPs` (line 20).
    let commented = text.replace("    allocatedIPs: '", "    # spiderendpoint-disable-next-line leaked-ip -- known, being fixed\n    allocatedIPs: '");
    let r = audit(&[("a.yaml", &commented)], &AuditOptions::default()).unwrap();
    assert!(all(&r).is_empty(), "{:?}", all(&r));
    let rep = &r.files[0].report;
    assert_eq!((r.summary.counts.errors, r.summary.suppressed, rep.summary.suppressed, rep.summary.invalid), (0, 1, 1, 0));
    assert_eq!(rep.suppressed[0].code, "SE621");
    assert_eq!(rep.suppressed[0].location.line, 21);
    assert_eq!(rep.suppressed[0].suppressed_by, Some(spiderendpoint::Suppression { line: 20 }));
    // Another rule on the next line silences nothing; a comment two lines up neither.
    let other = text.replace("    allocatedIPs: '", "    # spiderendpoint-disable-next-line SE622\n    allocatedIPs: '");
    assert_eq!(audit(&[("a.yaml", &other)], &AuditOptions::default()).unwrap().summary.suppressed, 0);
    let far = text.replace("    allocatedIPCount: 3\n", "    # spiderendpoint-disable-next-line\n    allocatedIPCount: 3\n");
    assert_eq!(audit(&[("a.yaml", &far)], &AuditOptions::default()).unwrap().summary.counts.errors, 1);
    // The whole file, and an unknown name (SE014 where it is written).
    let file = format!("# spiderendpoint-disable-file SE621, SE999\n{text}");
    let r = audit(&[("a.yaml", &file)], &AuditOptions::default()).unwrap();
    assert!(all(&r).is_empty());
    let file_level = &r.files[0].report.diagnostics;
    assert_eq!(file_level.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["SE014"]);
    assert_eq!((file_level[0].location.line, file_level[0].location.column), (1, 38));
    assert_eq!(r.summary.suppressed, 1);
    // Rule levels apply first: a rule turned off is not suppressed, it is gone.
    let off = AuditOptions { rules: Some(serde_json::from_str(r#"{"SE621":"off"}"#).unwrap()), ..Default::default() };
    assert_eq!(audit(&[("a.yaml", &file)], &off).unwrap().summary.suppressed, 0);
    // The mark inside a scalar (here an annotation value) is text, not a comment.
    let quoted = text.replacen("      ipam.spidernet.io/ippool: '{\"ipv4\":[\"pool-a\"]}'", "      note: 'a # spiderendpoint-disable-file'\n      ipam.spidernet.io/ippool: '{\"ipv4\":[\"pool-a\"]}'", 1);
    assert_ne!(quoted, text);
    assert_eq!(audit(&[("a.yaml", &quoted)], &AuditOptions::default()).unwrap().summary.suppressed, 0);
}

/// A cross-object finding is silenced only in the file where it is reported: a comment in the file
/// of its related end does not silence it.
#[test]
fn suppression_of_cross_file_findings_is_where_they_are_reported() {
    let (pools, rest) = split_re1();
    // SE631 is reported in pools.yaml (the record), its related end is the Pod in pods.yaml.
    let in_related = format!("# spiderendpoint-disable-file SE631\n{rest}");
    let r = audit(&[("pools.yaml", &pools), ("pods.yaml", &in_related)], &AuditOptions::default()).unwrap();
    assert!(all(&r).iter().any(|x| x.0 == 0 && x.1.code == "SE631"));
    assert_eq!(r.summary.suppressed, 0);
    let in_primary = format!("# spiderendpoint-disable-file SE631\n{pools}");
    let r = audit(&[("pools.yaml", &in_primary), ("pods.yaml", &rest)], &AuditOptions::default()).unwrap();
    assert!(!all(&r).iter().any(|x| x.1.code == "SE631"));
    assert_eq!((r.summary.suppressed, r.files[0].report.summary.suppressed, r.files[1].report.summary.suppressed), (1, 1, 0));
    let s = &r.files[0].report.suppressed[0];
    assert_eq!((s.code.as_str(), s.related[0].file.as_deref()), ("SE631", Some("pods.yaml")));
}

/// Release gating of the webhook rules added with SE510–SE513.
#[test]
fn webhook_rules_follow_the_release() {
    let opts = |v: &str| AuditOptions { spiderpool_version: Some(v.into()), ..Default::default() };
    let sevs = |r: &spiderendpoint::audit::AuditReport, code: &str| all(r).into_iter().filter(|x| x.1.code == code).map(|x| x.1.severity.as_str()).collect::<Vec<_>>();
    // SE510: rejected from 0.6.0-rc0, legal (info) before.
    let text = fixture("webhook-se510-pod-affinity");
    assert_eq!(sevs(&audit(&[("a.yaml", &text)], &opts("0.6.0")).unwrap(), "SE510"), ["error"; 5]);
    assert_eq!(sevs(&audit(&[("a.yaml", &text)], &opts("0.5.0")).unwrap(), "SE510"), ["info"; 5]);
    // S2 for an auto-created pool: an error from 0.4.1 (the webhook requires pool = entry), a warning
    // before and for a manual pool.
    let text = fixture("webhook-se511-pool-outside-owner-subnet").replace("    - 10.1.0.2-10.1.0.30\n", "    - 10.1.0.2-10.1.0.10\n").replace("    totalIPCount: 29\n", "    totalIPCount: 9\n");
    let auto = text.replace("    name: pool-a\n", "    labels:\n      ipam.spidernet.io/owner-application-name: web\n      ipam.spidernet.io/owner-spider-subnet: subnet-a\n    name: pool-a\n");
    let manual = text.replace("    name: pool-a\n", "    labels:\n      ipam.spidernet.io/owner-spider-subnet: subnet-a\n    name: pool-a\n");
    assert_eq!(sevs(&audit(&[("a.yaml", &text)], &opts("1.0.0")).unwrap(), "SE511"), Vec::<&str>::new());
    assert_eq!(sevs(&audit(&[("a.yaml", &auto)], &opts("1.0.0")).unwrap(), "SE662"), ["error"]);
    assert_eq!(sevs(&audit(&[("a.yaml", &auto)], &opts("0.4.0")).unwrap(), "SE662"), ["warning"]);
    assert_eq!(sevs(&audit(&[("a.yaml", &manual)], &opts("1.0.0")).unwrap(), "SE662"), ["warning"]);
    // X2's different overlapping CIDRs: not checked by 0.4 – 0.6 with SpiderSubnet enabled (a subnet
    // in the export says it was): a warning there, an error otherwise.
    let x2 = fixture("x2-pools-overlap");
    let subnet = "- apiVersion: spiderpool.spidernet.io/v2beta1\n  kind: SpiderSubnet\n  metadata:\n    name: subnet-z\n  spec:\n    ipVersion: 4\n    ips:\n    - 10.9.0.2-10.9.0.20\n    subnet: 10.9.0.0/24\n";
    let with_subnet = x2.replacen("items:\n", &format!("items:\n{subnet}"), 1);
    assert_eq!(sevs(&audit(&[("a.yaml", &with_subnet)], &opts("0.5.0")).unwrap(), "SE612"), ["warning"]);
    assert_eq!(sevs(&audit(&[("a.yaml", &with_subnet)], &opts("0.7.0")).unwrap(), "SE612"), ["error"]);
    assert_eq!(sevs(&audit(&[("a.yaml", &x2)], &opts("0.5.0")).unwrap(), "SE612"), ["error"]);
}

/// A document with `items:` and `- ` items at column 0 is a List only with its `kind: List` line
/// (kubectl writes it after the items): otherwise the items read on the way are dropped and the
/// document is read whole, once.
#[test]
fn items_of_a_document_that_is_no_list_are_not_objects() {
    let pod = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n    namespace: n\n    uid: u-1\n";
    for (kind, pods, kinds) in [("List", 2, vec!["Pod", "Pod"]), ("NotAList", 0, vec!["NotAList"])] {
        let text = format!("apiVersion: v1\nitems:\n{pod}{}kind: {kind}\n---\nkind: Other\n", pod.replace("name: p", "name: q"));
        let r = audit(&[("a.yaml", &text)], &AuditOptions::default()).unwrap();
        let docs = &r.files[0].report.documents;
        let mut want = kinds.clone();
        want.push("Other");
        assert_eq!(docs.iter().map(|d| d.kind.as_deref().unwrap_or("")).collect::<Vec<_>>(), want, "{kind}");
        assert_eq!(r.summary.pods, pods, "{kind}");
        assert_eq!(docs.last().unwrap().line, text.lines().count(), "{kind}");
        if kind == "List" {
            assert_eq!((docs[1].line, docs[1].end_line), (9, 14));
        } else {
            assert_eq!((docs[0].line, docs[0].end_line), (1, 15));
        }
    }
}
