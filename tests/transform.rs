//! normalize / convert / convertReview.
//!
//! * Fixtures (tests/fixtures/convert/): each conversion's exact expected output, the way back,
//!   the change report, refusals (`refusal-*.yaml` carry `# convert-to:` and `# expect:` lines).
//! * Property tests over seeded generated objects, written as YAML (random indentation, flow
//!   parts, comments, quoting) or JSON: the lossless round trip in both directions, every v2beta1
//!   output valid, and normalize idempotent.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use test_support::emit::{self, Style};
use test_support::{Key, Node, Rng, Source};
use spiderendpoint::transform::whole_rewrites;
use spiderendpoint::{convert, convert_review, normalize, validate, ApiVersion, ChangeKind, ConvertOptions, NormalizeOptions, TransformResult, ValidateOptions};

// ------------------------------------------------------------------------------------- helpers

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert")
}

fn read(name: &str) -> String {
    fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn opts(lossless: bool) -> ConvertOptions {
    ConvertOptions { lossless: Some(lossless), ..Default::default() }
}

const V1: ApiVersion = ApiVersion::V1;
const V2: ApiVersion = ApiVersion::V2beta1;

fn conv(text: &str, to: ApiVersion, lossless: bool) -> TransformResult {
    convert(text, to, &opts(lossless)).unwrap()
}

/// The documents of a YAML/JSON text as JSON values (read with the crate's own parser).
fn docs(text: &str) -> Vec<Option<Value>> {
    let s = spiderendpoint::yaml::parse(text, spiderendpoint::yaml::Budget::default());
    assert!(s.problems.is_empty() && s.complete, "output does not read back: {:?}\n{text}", s.problems);
    s.docs.iter().map(|d| d.root.as_ref().map(|r| r.to_json(text))).collect()
}

/// No diagnostic of severity error when validating `text`. The generated documents carry unknown
/// fields on purpose (the API server drops them with `--validate=warn`), so fields are checked
/// with "warn" here.
fn assert_valid(text: &str, what: &str) {
    let opts = ValidateOptions { field_validation: Some(spiderendpoint::FieldValidation::Warn), ..Default::default() };
    let report = validate(text, &opts).unwrap();
    let errors: Vec<String> = test_support::all_diagnostics(&report)
        .filter(|d| d.severity == spiderendpoint::Severity::Error)
        .map(|d| format!("{} {} line {}: {}", d.code, d.location.path, d.location.line, d.message))
        .collect();
    assert!(errors.is_empty(), "{what}: the output does not validate:\n{}\n{text}", errors.join("\n"));
}

fn kinds(r: &TransformResult) -> Vec<(ChangeKind, String)> {
    r.changes.iter().map(|c| (c.kind, c.path.clone())).collect()
}

fn codes(r: &TransformResult) -> Vec<(String, String, usize)> {
    r.diagnostics.iter().map(|d| (d.code.clone(), d.location.path.clone(), d.location.line)).collect()
}

/// Converts `input` to `to`, compares with the expected file, converts back and checks that the
/// original object comes back (as JSON values). Returns the forward result.
fn round_trip(input: &str, to: ApiVersion, lossless: bool, expected: &str) -> TransformResult {
    let text = read(input);
    let rewrites = whole_rewrites();
    let r = conv(&text, to, lossless);
    assert!(r.ok, "{input}: {:?}", r.diagnostics);
    assert_eq!(r.output, read(expected), "{input} -> {expected}");
    assert_eq!(apply(&text, &r), r.output, "{input}: the edits do not produce the output");
    if to == V2 {
        assert_valid(&r.output, expected);
    }
    let from = if to == V2 { V1 } else { V2 };
    let back = conv(&r.output, from, false);
    assert!(back.ok, "{expected} back: {:?}", back.diagnostics);
    assert_eq!(docs(&back.output), docs(&text), "{expected} back to {} is not the original", from.short());
    assert_eq!(whole_rewrites(), rewrites, "{input}: a document was rewritten whole");
    r
}

/// Applies the result's edits (offsets into the input) to the input.
fn apply(input: &str, r: &TransformResult) -> String {
    test_support::invariants::apply_edits(input, &r.edits)
}

/// `FIXTURE=name TO=v1|v2beta1 [LOSSLESS=1] [NORMALIZE=1] [OUT=file] cargo test --test transform dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let name = std::env::var("FIXTURE").unwrap();
    let text = read(&name);
    let r = if std::env::var("NORMALIZE").is_ok() {
        normalize(&text, &NormalizeOptions { drop_unknown: Some(std::env::var("DROP").is_ok()), ..Default::default() }).unwrap()
    } else {
        convert(&text, ApiVersion::from_short(&std::env::var("TO").unwrap()).unwrap(), &opts(std::env::var("LOSSLESS").is_ok())).unwrap()
    };
    println!("ok: {}\n----\n{}----", r.ok, r.output);
    for c in &r.changes {
        println!("{:?} {} {} | {:?} -> {:?}", c.kind, c.path, c.message, c.from, c.to);
    }
    for d in &r.diagnostics {
        println!("{} {} {} {}", d.code, d.location.path, d.location.line, d.message);
    }
    if let Some(out) = std::env::var("OUT").ok().filter(|o| !o.is_empty()) {
        fs::write(dir().join(out), &r.output).unwrap();
    }
}

// ------------------------------------------------------------------------------------ fixtures

#[test]
fn v1_statefulset_with_history_to_v2beta1_and_back_lossless() {
    use ChangeKind::*;
    let r = round_trip("d-v1-statefulset.v1.yaml", V2, true, "d-v1-statefulset.v2beta1.yaml");
    let p = |s: &str| s.to_string();
    assert_eq!(
        kinds(&r),
        [
            (Changed, p("/apiVersion")),
            (Dropped, p("/status/current/containerID")),
            (Dropped, p("/status/current/creationTime")),
            (Invented, p("/status/current/uid")),
            (Dropped, p("/status/current/ips/0/ipv4Gateway")),
            (Dropped, p("/status/current/ips/0/ipv6Gateway")),
            (Dropped, p("/status/history")),
            (Invented, p("/status/ownerControllerName")),
            (Invented, p("/metadata/annotations/spiderendpoint.io~1lossless")),
        ]
    );
    let uid = &r.changes[3];
    assert_eq!(uid.to, Some(json!("0b7e7c3a-1f2d-4c5b-9a8e-6d4c3b2a1f0e")));
    assert!(uid.message.contains("Pod owner reference"), "{}", uid.message);
    assert!(r.changes[7].message.contains("StatefulSet ordinal"), "{}", r.changes[7].message);
    assert!(r.changes[6].message.contains("kept in the spiderendpoint.io/lossless annotation"));
    // The way back reports what it restored.
    let back = conv(&r.output, V1, false);
    assert_eq!(
        kinds(&back),
        [
            (Changed, p("/apiVersion")),
            (Dropped, p("/status/current/uid")),
            (Restored, p("/status/current/containerID")),
            (Restored, p("/status/current/creationTime")),
            (Restored, p("/status/current/ips/0/ipv4Gateway")),
            (Restored, p("/status/current/ips/0/ipv6Gateway")),
            (Restored, p("/status/history")),
            (Restored, p("/status/ownerControllerName")),
        ]
    );
    assert_eq!(back.output, read("d-v1-statefulset.back.v1.yaml"));
}

#[test]
fn without_lossless_the_way_back_loses_what_v2beta1_cannot_hold() {
    let r = conv(&read("d-v1-statefulset.v1.yaml"), V2, false);
    assert!(r.ok);
    assert!(!r.output.contains("spiderendpoint.io/lossless"));
    let back = conv(&r.output, V1, false);
    let orig = docs(&read("d-v1-statefulset.v1.yaml"))[0].clone().unwrap();
    let got = docs(&back.output)[0].clone().unwrap();
    assert!(orig["status"].get("history").is_some() && got["status"].get("history").is_none());
    assert_eq!(got["status"]["current"]["containerID"], json!("174691015c4fc7e5dd6fbc1ae74a18542ea84cf67d6840d2eb7f2523768082da"));
    assert_eq!(got["status"]["ownerControllerName"], json!("demo-sts"));
}

#[test]
fn v2beta1_reference_sample_to_v1_and_back() {
    // The uid comes back from the Pod owner reference: no annotation needed.
    let r = round_trip("a-reference.v2beta1.yaml", V1, true, "a-reference.v1.yaml");
    assert!(!r.output.contains("spiderendpoint.io/lossless"));
    let cid = r.changes.iter().find(|c| c.path == "/status/current/containerID").unwrap();
    assert_eq!(cid.kind, ChangeKind::Invented);
    assert!(cid.message.contains("SHA-256 of the uid `e7b50a38-25c2-41d0-b332-7f619c69194e`"), "{}", cid.message);
    // Deployment is not a v1 owner type: a warning, not a refusal.
    assert_eq!(codes(&r), [("SE407".to_string(), "/status/ownerControllerType".to_string(), 26)]);
}

#[test]
fn v2beta1_query_api_sample_to_v1_and_back_lossless() {
    let r = round_trip("b-query-api.v2beta1.yaml", V1, true, "b-query-api.v1.yaml");
    let dropped: Vec<_> = r.changes.iter().filter(|c| c.kind == ChangeKind::Dropped).map(|c| c.path.as_str()).collect();
    assert_eq!(dropped, ["/status/current/uid", "/status/current/ips/0/mac"]);
    // Without the annotation the uid has no source on the way back: refused, not guessed.
    let plain = conv(&read("b-query-api.v2beta1.yaml"), V1, false);
    let back = conv(&plain.output, V2, false);
    assert!(!back.ok);
    assert_eq!(back.output, plain.output);
    assert_eq!(back.diagnostics[0].code, "SE403");
}

#[test]
fn v2beta1_multi_nic_stream_to_v1_and_back_lossless() {
    let r = round_trip("c-multi-nic.v2beta1.yaml", V1, true, "c-multi-nic.v1.yaml");
    assert_eq!(r.changes.iter().filter(|c| c.document == 1).count(), 5);
    // The comment on the unnamed NIC survives.
    assert!(r.output.contains("    - interface: \"\"            # not-yet-named NIC (multi-NIC without names)\n"));
}

#[test]
fn json_in_json_out_keeping_key_order() {
    let r = round_trip("g-kubectl.v1.json", V2, true, "g-kubectl.v2beta1.json");
    let out: Value = serde_json::from_str(&r.output).expect("valid JSON");
    assert_eq!(out["apiVersion"], json!("spiderpool.spidernet.io/v2beta1"));
    let order = |t: &str, keys: &[&str]| keys.iter().map(|k| t.find(&format!("\"{k}\":")).unwrap()).collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]);
    assert!(order(&r.output, &["apiVersion", "kind", "metadata", "status"]));
    assert!(order(&r.output, &["creationTimestamp", "finalizers", "name", "namespace", "ownerReferences", "resourceVersion"]));
    round_trip("f-endpoint.v2beta1.json", V1, true, "f-endpoint.v1.json");
}

#[test]
fn list_with_mixed_versions_converts_each_item() {
    let text = read("list-mixed.yaml");
    let original = docs(&text)[0].clone().unwrap();
    for (to, expected, item) in [(V2, "list-mixed.v2beta1.yaml", 0), (V1, "list-mixed.v1.yaml", 2)] {
        let r = conv(&text, to, true);
        assert!(r.ok, "{:?}", r.diagnostics);
        assert_eq!(r.output, read(expected));
        assert_eq!(apply(&text, &r), r.output);
        assert!(r.changes.iter().all(|c| c.document == 0 && c.item == Some(item)), "only item {item} changes version");
        if to == V2 {
            assert_valid(&r.output, expected);
        }
        // The ConfigMap in between is not touched.
        assert!(r.output.contains("- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: untouched\n  data:\n    containerID: not-an-endpoint\n"));
        // Converting everything back gives the converted item back as it was.
        let back = conv(&r.output, if to == V2 { V1 } else { V2 }, false);
        assert!(back.ok, "{:?}", back.diagnostics);
        assert_eq!(docs(&back.output)[0].as_ref().unwrap()["items"][item], original["items"][item]);
    }
}

#[test]
fn spider_endpoint_list_follows_its_items() {
    let text = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpointList\nitems:\n- apiVersion: spiderpool.spidernet.io/v1\n  kind: SpiderEndpoint\n  metadata: {name: a-0, ownerReferences: [{kind: Pod, name: a-0, uid: U}]}\n  status:\n    current: {containerID: c, node: n}\n    ownerControllerType: None\n";
    let r = conv(text, V2, false);
    assert!(r.ok, "{:?}", r.diagnostics);
    assert_eq!(
        r.output,
        "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpointList\nitems:\n- apiVersion: spiderpool.spidernet.io/v2beta1\n  kind: SpiderEndpoint\n  metadata: {name: a-0, ownerReferences: [{kind: Pod, name: a-0, uid: U}]}\n  status:\n    current: {uid: U, node: n, ips: []}\n    ownerControllerName: a-0\n    ownerControllerType: Pod\n"
    );
    assert_eq!(r.changes.last().unwrap().path, "/apiVersion");
    assert_eq!(r.changes.last().unwrap().item, None);
}

/// The comments survive and only the lines that carry changed fields differ.
#[test]
fn comments_survive_and_only_changed_lines_differ() {
    let input = read("commented.v1.yaml");
    let r = round_trip("commented.v1.yaml", V2, true, "commented.v2beta1.yaml");
    let (removed, added) = line_diff(&input, &r.output);
    assert_eq!(
        removed,
        [
            "apiVersion: spiderpool.spidernet.io/v1   # the version Spiderpool 0.3 served",
            "    containerID: 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0   # dropped",
            "      ipv4Gateway: \"\"   # empty: omitted in v2beta1",
            "    creationTime: \"2023-01-05T10:00:00Z\"   # dropped",
            "  ownerControllerType: None   # becomes Pod",
            "  ownerControllerName: \"\"     # becomes the Pod name",
        ]
    );
    assert_eq!(added.len(), 6, "{added:#?}");
    assert_eq!(added[0], "apiVersion: spiderpool.spidernet.io/v2beta1   # the version Spiderpool 0.3 served");
    assert_eq!(added[1], "  annotations:");
    assert!(added[2].starts_with("    spiderendpoint.io/lossless: '{\"apiVersion\":\"spiderpool.spidernet.io/v1\""));
    assert_eq!(added[3], "    uid: 8e2f4a6c-1b3d-4f5e-9a7c-2b4d6f8a0c1e");
    assert_eq!(added[4], "  ownerControllerType: Pod   # becomes Pod");
    assert_eq!(added[5], "  ownerControllerName: \"api-5f7d8c9b6-x2k4p\"     # becomes the Pod name");
    for comment in input.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(r.output.lines().any(|l| l == comment), "comment line lost: {comment}");
    }
}

/// Lines only in `a` and lines only in `b` (longest common subsequence).
fn line_diff<'t>(a: &'t str, b: &'t str) -> (Vec<&'t str>, Vec<&'t str>) {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut removed, mut added) = (0, 0, Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j]);
            j += 1;
        } else {
            removed.push(a[i]);
            i += 1;
        }
    }
    (removed, added)
}

#[test]
fn refusals_leave_the_document_unchanged() {
    let mut n = 0;
    let mut names: Vec<_> = fs::read_dir(dir()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    for name in names.iter().filter(|n| n.starts_with("refusal-")) {
        let text = read(name);
        let to = text.lines().find_map(|l| l.strip_prefix("# convert-to: ")).and_then(ApiVersion::from_short).expect(name);
        let want: Vec<(String, String, usize)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| {
                let p: Vec<&str> = l.split_whitespace().collect();
                (p[0].to_string(), p[1].to_string(), p[2].parse().unwrap())
            })
            .collect();
        for lossless in [false, true] {
            let r = conv(&text, to, lossless);
            assert!(!r.ok, "{name}");
            assert_eq!(r.output, text, "{name}: a refused document must stay unchanged");
            assert!(r.edits.is_empty() && r.changes.is_empty(), "{name}");
            assert_eq!(codes(&r), want, "{name}");
            assert!(r.diagnostics.iter().all(|d| d.severity == spiderendpoint::Severity::Error), "{name}");
        }
        n += 1;
    }
    assert_eq!(n, 6);
}

#[test]
fn vlan_4095_converts_for_a_release_that_allows_it() {
    let text = read("refusal-vlan-4095.v1.yaml");
    let o = ConvertOptions { spiderpool_version: Some("0.6.0".into()), ..Default::default() };
    let r = convert(&text, V2, &o).unwrap();
    assert!(r.ok, "{:?}", r.diagnostics);
    assert!(r.output.contains("      vlan: 4095\n"));
    // Naming a release that does not serve the target version is misuse.
    let o = ConvertOptions { spiderpool_version: Some("0.3.7".into()), ..Default::default() };
    assert!(convert(&text, V2, &o).unwrap_err().to_string().contains("0.3.7"));
}

#[test]
fn a_refused_document_does_not_stop_the_others() {
    let refused = read("refusal-no-current.v1.yaml");
    let good = read("d-v1-statefulset.v1.yaml");
    let other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
    let text = format!("{good}---\n{refused}---\n{other}");
    let r = conv(&text, V2, true);
    assert!(!r.ok);
    assert_eq!(codes(&r).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["SE401"]);
    let expected = format!("{}---\n{refused}---\n{other}", read("d-v1-statefulset.v2beta1.yaml"));
    assert_eq!(r.output, expected);
    assert!(r.changes.iter().all(|c| c.document == 0));
}

#[test]
fn documents_already_at_the_target_and_other_kinds_pass_through() {
    let text = format!("{}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\n---\n# only a comment\n", read("a-reference.v2beta1.yaml"));
    let r = conv(&text, V2, true);
    assert!(r.ok && r.edits.is_empty() && r.changes.is_empty() && r.diagnostics.is_empty());
    assert_eq!(r.output, text);
}

#[test]
fn unreadable_input_is_refused_whole() {
    let text = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nstatus: [\n";
    let r = conv(text, V2, false);
    assert!(!r.ok);
    assert_eq!(r.output, text);
    assert_eq!(r.diagnostics[0].code, "SE003");
    let dup = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nkind: SpiderEndpoint\nstatus: {}\n";
    let r = conv(dup, V2, false);
    assert!(!r.ok && r.output == dup);
    assert_eq!(r.diagnostics[0].code, "SE006");
    let r = spiderendpoint::transform::convert_bytes(b"kind: \xff\n", V2, &Default::default()).unwrap();
    assert!(!r.ok);
    assert_eq!(r.diagnostics[0].code, "SE002");
}

#[test]
fn anchors_and_aliases_fall_back_to_a_whole_rewrite() {
    let text = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nmetadata:\n  name: &n pod-a\n  ownerReferences: [{kind: Pod, name: *n, uid: U}]\nstatus:\n  current: &c\n    containerID: x\n    node: n1\n  history:\n  - *c\n  ownerControllerType: None\n";
    let before = whole_rewrites();
    let r = conv(text, V2, true);
    assert!(r.ok, "{:?}", r.diagnostics);
    let got = docs(&r.output)[0].clone().unwrap();
    assert_eq!(got["status"]["current"], json!({"node": "n1", "uid": "U", "ips": []}));
    let back = conv(&r.output, V1, false);
    assert_eq!(docs(&back.output), docs(text));
    assert!(whole_rewrites() >= before, "counter is monotonic");
}

#[test]
fn only_the_document_that_needs_it_is_rewritten_whole() {
    // The fine edits of the first document break the output as a whole (`- {4}` gains `vlan`);
    // the others keep their comments and layout, and the root `&r {…}` (which cannot be rewritten
    // whole) is edited in place: a second run has nothing left to do.
    let broken = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nstatus:\n current:\n  ips:\n  - {4}\n";
    let commented = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nstatus:\n  current:\n    ips:\n    - interface: eth0 # kept\n      ipv4: 010.1.0.5/24\n";
    let anchored = "&r {apiVersion: spiderpool.spidernet.io/v1, kind: SpiderEndpoint, status: {current: {ips: [{ipv4: 010.1.0.5/24}]}}}\n";
    for docs in [[broken, commented, anchored], [commented, anchored, broken], [anchored, broken, commented]] {
        let text = docs.join("---\n");
        let before = whole_rewrites();
        let r = normalize(&text, &NormalizeOptions::default()).unwrap();
        assert!(r.ok, "{:?}\n{text}", r.diagnostics);
        assert_eq!(whole_rewrites() - before, 1, "{}", r.output);
        assert!(r.output.contains("  - interface: eth0 # kept\n      ipv4: 10.1.0.5/24\n      vlan: 0\n"), "{}", r.output);
        assert!(r.output.contains("&r {apiVersion"), "{}", r.output);
        let again = normalize(&r.output, &NormalizeOptions::default()).unwrap();
        assert!(again.changes.is_empty() && again.output == r.output, "{:?}\n{}", again.changes, again.output);
    }
}

#[test]
fn normalize_fixture_and_idempotence() {
    let text = read("normalize.v2beta1.yaml");
    let r = normalize(&text, &Default::default()).unwrap();
    assert!(r.ok);
    assert_eq!(r.output, read("normalize.expected.yaml"));
    use ChangeKind::*;
    let got: Vec<(ChangeKind, &str)> = r.changes.iter().map(|c| (c.kind, c.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Dropped, "/metadata/creationTimestamp"),
            (Dropped, "/status/current/ips/0/cleanGateway"),
            (Changed, "/status/current/ips/0/ipv4"),
            (Changed, "/status/current/ips/0/ipv6"),
            (Changed, "/status/current/ips/0/ipv6Gateway"),
            (Changed, "/status/current/ips/0/routes/0/dst"),
            (Defaulted, "/status/current/ips/0/vlan"),
            (Defaulted, "/status/current/ips/1/vlan"),
        ]
    );
    let again = normalize(&r.output, &Default::default()).unwrap();
    assert!(again.edits.is_empty() && again.changes.is_empty() && again.output == r.output);
    // dropUnknown also prunes what the CRD does not define.
    let o = NormalizeOptions { drop_unknown: Some(true), ..Default::default() };
    let d = normalize(&text, &o).unwrap();
    assert_eq!(d.output, read("normalize.drop-unknown.yaml"));
    let extra: Vec<&str> = d.changes.iter().filter(|c| !r.changes.contains(c)).map(|c| c.path.as_str()).collect();
    assert_eq!(extra, ["/spec", "/status/current/ips/0/speed"]);
    assert!(normalize(&d.output, &o).unwrap().edits.is_empty());
}

// ------------------------------------------------------------------------- ConversionReview

#[test]
fn conversion_review_round_trip() {
    let request: Value = serde_json::from_str(&read("review-request.json")).unwrap();
    let response = convert_review(&request);
    let expected: Value = serde_json::from_str(&read("review-response.json")).unwrap();
    assert_eq!(response, expected);
    // The shape the API server requires.
    assert_eq!(response["apiVersion"], "apiextensions.k8s.io/v1");
    assert_eq!(response["kind"], "ConversionReview");
    assert_eq!(response["response"]["uid"], request["request"]["uid"]);
    assert_eq!(response["response"]["result"], json!({"status": "Success"}));
    let objects = response["response"]["convertedObjects"].as_array().unwrap();
    let originals = request["request"]["objects"].as_array().unwrap();
    assert_eq!(objects.len(), originals.len());
    for (o, orig) in objects.iter().zip(originals) {
        assert_eq!(o["apiVersion"], "spiderpool.spidernet.io/v2beta1");
        assert_eq!(o["metadata"]["name"], orig["metadata"]["name"], "objects in order");
        let strip = |m: &Value| {
            let mut m = m.clone();
            m.as_object_mut().map(|m| m.remove("annotations"));
            m
        };
        assert_eq!(strip(&o["metadata"]), strip(&orig["metadata"]), "only annotations may change");
        assert_valid(&serde_json::to_string(o).unwrap(), "converted object");
    }
    assert_eq!(objects[1], originals[1], "an object already at the desired version is returned as is");
    // And back: the API server reads the stored v2beta1 object as v1.
    let back_request = json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
        "request": {"uid": "second", "desiredAPIVersion": "spiderpool.spidernet.io/v1", "objects": [objects[0].clone()]}
    });
    let back = convert_review(&back_request);
    assert_eq!(back["response"]["uid"], "second");
    assert_eq!(back["response"]["convertedObjects"][0], originals[0]);
}

#[test]
fn conversion_review_failures() {
    let mut request: Value = serde_json::from_str(&read("review-request.json")).unwrap();
    request["request"]["objects"][0]["status"].as_object_mut().unwrap().remove("current");
    let r = convert_review(&request);
    assert_eq!(r["response"]["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
    assert_eq!(r["response"]["result"]["status"], "Failed");
    assert!(r["response"].get("convertedObjects").is_none());
    let msg = r["response"]["result"]["message"].as_str().unwrap();
    assert!(msg.starts_with("object 0 (shop/web-0) cannot be converted to spiderpool.spidernet.io/v2beta1: SE401 no-current:"), "{msg}");
    for bad in [
        json!({"kind": "ConversionReview"}),
        json!({"kind": "ConversionReview", "request": {"uid": "u", "desiredAPIVersion": "spiderpool.spidernet.io/v3", "objects": []}}),
        json!({"kind": "ConversionReview", "request": {"uid": "u", "desiredAPIVersion": "spiderpool.spidernet.io/v1", "objects": [{"kind": "Pod"}]}}),
        json!(42),
    ] {
        let r = convert_review(&bad);
        assert_eq!(r["response"]["result"]["status"], "Failed", "{bad}");
        assert_eq!(r["kind"], "ConversionReview");
    }
}

// ------------------------------------------------------------------------ property tests

fn s(v: impl Into<String>) -> Node {
    Node::str(v)
}

/// A map with its entries shuffled (and optional entries left out by the caller).
fn map(rng: &mut Rng, mut entries: Vec<(&str, Node)>) -> Node {
    if rng.percent(70) {
        for i in (1..entries.len()).rev() {
            let j = rng.below(i + 1);
            entries.swap(i, j);
        }
    }
    Node::map(entries)
}

/// Strings that stress quoting: YAML indicators, look-alikes of other types, unicode.
fn weird(rng: &mut Rng) -> String {
    const FIXED: &[&str] = &["yes", "no", "on", "null", "~", "true", "0x1f", "012", "1e3", "1:20", ".inf", "- a", "a: b", "a #b", "#c", "'q'", "\"dq\"", "", " lead", "trail ", "é😀", "a\tb", "line\nbreak", "back\\slash", "{x}", "[y]", "a,b", "*star", "&amp", "!tag", "|pipe", ">gt", "%p", "@at", "`bt`", "2023-01-05", "-1"];
    if rng.percent(60) {
        return rng.pick(FIXED).to_string();
    }
    const CHARS: &[char] = &['a', 'Z', '0', '9', ' ', ':', '#', '\'', '"', '\\', '-', '{', '}', ',', '[', ']', '&', '*', '!', '|', '>', 'é', '😀', '.', '/'];
    (0..1 + rng.below(12)).map(|_| rng.pick(CHARS)).collect()
}

fn dns(rng: &mut Rng) -> String {
    format!("{}-{}", rng.pick(&["web", "db", "api", "cache", "job"]), rng.hex(5))
}

thread_local! {
    static NEXT_HOST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// One NIC (`i`: its index in the endpoint); `v1` may leave empty gateways.
fn nic(rng: &mut Rng, i: usize, v1: bool, v2_mac: bool) -> Node {
    let mut e: Vec<(&str, Node)> = Vec::new();
    e.push(("interface", s(if i == 0 { "eth0".to_string() } else if rng.percent(15) { String::new() } else { format!("net{i}") })));
    // Addresses unique in the whole input (a duplicate IP across endpoints is an error, SE316).
    let n = NEXT_HOST.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let (b, host) = (n / 250 % 250, n % 250 + 2);
    let v4 = rng.percent(80);
    if v4 {
        let prefix = rng.pick(&[16, 24]);
        e.push(("ipv4", s(format!("10.{i}.{b}.{host}/{prefix}"))));
        if rng.percent(90) {
            e.push(("ipv4Pool", s(format!("pool-v4-{i}"))));
        }
        match rng.below(4) {
            0 if v1 => e.push(("ipv4Gateway", s(""))),
            1 | 2 => e.push(("ipv4Gateway", s(format!("10.{i}.{b}.1")))),
            _ => {}
        }
        if rng.percent(25) {
            let routes: Vec<Node> = (0..1 + rng.below(2))
                .map(|k| Node::map([("dst", s(format!("192.168.{k}.0/24"))), ("gw", s(format!("10.{i}.{b}.1")))]))
                .collect();
            e.push(("routes", Node::Seq(routes)));
        }
    }
    if !v4 || rng.percent(40) {
        e.push(("ipv6", s(format!("fd00:{i}::{:x}/64", n + 2))));
        e.push(("ipv6Pool", s(format!("pool-v6-{i}"))));
        match rng.below(4) {
            0 if v1 => e.push(("ipv6Gateway", s(""))),
            1 => e.push(("ipv6Gateway", s(format!("fd00:{i}::1")))),
            _ => {}
        }
    }
    if rng.percent(30) {
        e.push(("cleanGateway", Node::Bool(rng.percent(50))));
    }
    match rng.below(10) {
        0 => {}
        1 => e.push(("vlan", Node::Null)),
        2 => e.push(("vlan", Node::int(rng.below(4095) as i64))),
        _ => e.push(("vlan", Node::int(0))),
    }
    if v2_mac && rng.percent(30) {
        e.push(("mac", s(format!("0a:58:{}:{}:{}:{}", rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2)))));
    }
    map(rng, e)
}

fn metadata(rng: &mut Rng, name: &str, pod_uid: Option<&str>) -> Node {
    let mut e: Vec<(&str, Node)> = vec![("name", s(name))];
    if rng.percent(80) {
        e.push(("namespace", s(rng.pick(&["default", "shop", "kube-system"]))));
    }
    if rng.percent(30) {
        e.push(("labels", Node::map([("app", s(weird(rng)))])));
    }
    if rng.percent(30) {
        e.push(("annotations", Node::map([("note", s(weird(rng))), ("other/key", s("x"))])));
    }
    if let Some(uid) = pod_uid {
        let r = map(rng, vec![("apiVersion", s("v1")), ("kind", s("Pod")), ("name", s(name)), ("uid", s(uid))]);
        e.push(("ownerReferences", Node::Seq(vec![r])));
    }
    if rng.percent(30) {
        e.push(("finalizers", Node::Seq(vec![s("spiderpool.spidernet.io")])));
    }
    map(rng, e)
}

fn ips(rng: &mut Rng, v1: bool, mac: bool) -> Node {
    Node::Seq((0..rng.below(4)).map(|i| nic(rng, i, v1, mac)).collect())
}

/// A v1 object that converts: a Pod owner reference (the uid source), `node`, an owner type.
fn gen_v1(rng: &mut Rng) -> Node {
    let name = if rng.percent(30) { format!("{}-{}", dns(rng), rng.below(5)) } else { dns(rng) };
    let pod_uid = rng.uuid();
    let mut cur: Vec<(&str, Node)> = vec![("node", s(format!("worker-{}", rng.below(9))))];
    if rng.percent(90) {
        cur.push(("containerID", s(rng.hex(64))));
    }
    match rng.below(10) {
        0 => {}
        1 => cur.push(("ips", Node::Null)),
        _ => {
            let mac = rng.percent(10);
            cur.push(("ips", ips(rng, true, mac)))
        }
    }
    if rng.percent(60) {
        cur.push(("creationTime", s("2022-07-29T08:54:12Z")));
    }
    if rng.percent(5) {
        cur.push(("note", s(weird(rng))));
    }
    let mut st: Vec<(&str, Node)> = vec![("current", map(rng, cur))];
    if rng.percent(40) {
        let history = (0..rng.below(3))
            .map(|_| {
                let h = vec![("containerID", s(rng.hex(64))), ("node", s("worker-1")), ("ips", ips(rng, true, false)), ("creationTime", s("2022-07-29T08:54:12Z"))];
                map(rng, h)
            })
            .collect();
        st.push(("history", Node::Seq(history)));
    }
    st.push(("ownerControllerType", s(rng.pick(&["None", "None", "StatefulSet", "ReplicaSet", "DaemonSet", "Job", "Unknown", "Pod"]))));
    match rng.below(5) {
        0 => {}
        1 => st.push(("ownerControllerName", s(""))),
        2 => st.push(("ownerControllerName", Node::Null)),
        _ => st.push(("ownerControllerName", s(weird(rng)))),
    }
    let mut root: Vec<(&str, Node)> = vec![
        ("apiVersion", s("spiderpool.spidernet.io/v1")),
        ("kind", s("SpiderEndpoint")),
        ("metadata", metadata(rng, &name, Some(&pod_uid))),
        ("status", map(rng, st)),
    ];
    if rng.percent(5) {
        root.push(("spec", Node::map([("x", Node::int(1))])));
    }
    Node::map(root)
}

/// A valid v2beta1 object (any uid; the owner reference may or may not give it back).
fn gen_v2(rng: &mut Rng) -> Node {
    let name = dns(rng);
    let uid = if rng.percent(85) { rng.uuid() } else { weird(rng) };
    let owner_uid = match rng.below(3) {
        0 => None,
        1 => Some(uid.clone()),
        _ => Some(rng.uuid()),
    };
    let mut cur: Vec<(&str, Node)> = vec![("uid", s(uid)), ("node", s(format!("worker-{}", rng.below(9)))), ("ips", ips(rng, false, true))];
    if rng.percent(5) {
        cur.push(("containerID", s(weird(rng))));
    }
    let ty = rng.pick(&["Pod", "Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job", "CronJob", "VirtualMachineInstance"]);
    let owner = if ty == "Pod" { name.clone() } else { weird(rng) };
    let st = vec![("current", map(rng, cur)), ("ownerControllerType", s(ty)), ("ownerControllerName", s(owner))];
    let root = vec![
        ("apiVersion", s("spiderpool.spidernet.io/v2beta1")),
        ("kind", s("SpiderEndpoint")),
        ("metadata", metadata(rng, &name, owner_uid.as_deref())),
        ("status", map(rng, st)),
    ];
    Node::map(root)
}

/// Writes 1–3 documents: a YAML stream (sometimes a List) or one JSON document.
fn write(rng: &mut Rng, objects: &[Node]) -> String {
    if rng.percent(20) {
        let doc = if objects.len() == 1 { objects[0].clone() } else { list(objects) };
        return emit::json(&doc, rng.pick(&[None, Some(2), Some(4)])) + "\n";
    }
    let style = Style::plain(rng.pick(&[2, 2, 4]), rng.pick(&[false, false, true]));
    let docs: Vec<Node> = if objects.len() > 1 && rng.percent(30) { vec![list(objects)] } else { objects.to_vec() };
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 || rng.percent(20) {
            out.push_str("---\n");
        }
        if rng.percent(20) {
            out.push_str("# generated\n");
        }
        out.push_str(&emit::yaml(d, &style, rng));
    }
    if rng.percent(10) {
        out = out.replace('\n', "\r\n");
    }
    if rng.percent(10) {
        out = out.trim_end().to_string();
    }
    out
}

fn list(objects: &[Node]) -> Node {
    Node::map([("apiVersion", s("v1")), ("kind", s("List")), ("items", Node::Seq(objects.to_vec()))])
}

fn cases() -> u64 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// Generates, writes, converts there and back; the original must come back exactly, every
/// v2beta1 output must validate, the edits must reproduce the output, and no document may need
/// the whole-rewrite fallback (so comments and layout were kept).
fn lossless_round_trip(seed: u64, from: ApiVersion, gen: fn(&mut Rng) -> Node) {
    let to = if from == V1 { V2 } else { V1 };
    let mut rng = Rng(seed);
    let start = Instant::now();
    let rewrites = whole_rewrites();
    let (mut docs_seen, mut changes) = (0, 0);
    for case in 0..cases() {
        let objects: Vec<Node> = (0..1 + rng.below(3)).map(|_| gen(&mut rng)).collect();
        let text = write(&mut rng, &objects);
        let original = docs(&text);
        let ctx = || format!("case {case} (seed {seed})\n{text}");
        let there = conv(&text, to, true);
        assert!(there.ok, "{}\n{:?}", ctx(), there.diagnostics);
        assert_eq!(apply(&text, &there), there.output, "{}", ctx());
        let mid = docs(&there.output);
        assert_eq!(mid.len(), original.len(), "{}", ctx());
        if text.trim_start().starts_with('{') {
            serde_json::from_str::<Value>(&there.output).unwrap_or_else(|e| panic!("JSON out is not JSON ({e}): {}", ctx()));
        }
        assert_valid(&there.output, &ctx());
        let back = conv(&there.output, from, true);
        assert!(back.ok, "{}\n{:?}", ctx(), back.diagnostics);
        assert_eq!(docs(&back.output), original, "{}\nthere:\n{}\nback:\n{}", ctx(), there.output, back.output);
        docs_seen += objects.len();
        changes += there.changes.len() + back.changes.len();
    }
    assert_eq!(whole_rewrites(), rewrites, "a generated document needed the whole-rewrite fallback");
    eprintln!(
        "lossless {} -> {} -> {}: {} cases, {docs_seen} objects, {changes} changes, {:?}",
        from.short(),
        to.short(),
        from.short(),
        cases(),
        start.elapsed()
    );
}

#[test]
fn property_lossless_v1_to_v2beta1_to_v1() {
    lossless_round_trip(0x5eed_0001, V1, gen_v1);
}

#[test]
fn property_lossless_v2beta1_to_v1_to_v2beta1() {
    lossless_round_trip(0x5eed_0002, V2, gen_v2);
}

/// Messes up a generated object the ways normalize undoes: nulls, missing vlan, address text.
fn messy(rng: &mut Rng, g: &mut Node) {
    match g {
        Node::Map(m) => {
            for (k, v) in m.iter_mut() {
                let Key::Str(k) = k else { continue };
                if let Node::Str(t) = v {
                    if matches!(k.as_str(), "ipv4" | "ipv4Gateway" | "gw" | "dst") && t.starts_with("10.") && rng.percent(40) {
                        *t = t.replacen("10.", "010.", 1);
                    }
                    if matches!(k.as_str(), "ipv6" | "ipv6Gateway") && rng.percent(50) {
                        *t = t.replace("::", ":0:0:0:0:0:").to_uppercase();
                    }
                }
                messy(rng, v);
            }
            let key = rng.pick(&["cleanGateway", "routes", "ipv4Pool", "creationTimestamp"]);
            if rng.percent(10) && m.iter().all(|(k, _)| *k != Key::Str(key.to_string())) {
                m.push((Key::Str(key.to_string()), Node::Null));
            }
        }
        Node::Seq(items) => items.iter_mut().for_each(|i| messy(rng, i)),
        _ => {}
    }
}

#[test]
fn property_normalize_is_idempotent() {
    let mut rng = Rng(0x5eed_0003);
    let start = Instant::now();
    let rewrites = whole_rewrites();
    let mut changed = 0;
    for case in 0..cases() {
        let mut objects: Vec<Node> = (0..1 + rng.below(2)).map(|_| if rng.percent(50) { gen_v1(&mut rng) } else { gen_v2(&mut rng) }).collect();
        objects.iter_mut().for_each(|o| messy(&mut rng, o));
        let text = write(&mut rng, &objects);
        let o = NormalizeOptions { drop_unknown: Some(rng.percent(50)), ..Default::default() };
        let once = normalize(&text, &o).unwrap();
        assert!(once.ok, "case {case}\n{text}\n{:?}", once.diagnostics);
        assert_eq!(apply(&text, &once), once.output, "case {case}\n{text}");
        let twice = normalize(&once.output, &o).unwrap();
        assert!(twice.edits.is_empty() && twice.changes.is_empty(), "case {case}: not idempotent\n{text}\n---\n{}\n{:?}", once.output, twice.changes);
        for doc in docs(&once.output).into_iter().flatten() {
            check_normalized(&doc, &format!("case {case}\n{text}"));
        }
        changed += usize::from(!once.changes.is_empty());
    }
    assert_eq!(whole_rewrites(), rewrites, "a generated document needed the whole-rewrite fallback");
    eprintln!("normalize idempotent: {} cases ({changed} changed), {:?}", cases(), start.elapsed());
}

/// Every NIC has an integer vlan, no known field is null, addresses are canonical.
fn check_normalized(doc: &Value, ctx: &str) {
    let objects: Vec<&Value> = match doc["kind"].as_str() {
        Some("List") => doc["items"].as_array().unwrap().iter().collect(),
        _ => vec![doc],
    };
    for obj in objects {
        let status = &obj["status"];
        let nics = status["current"]["ips"].as_array().into_iter().flatten();
        let history = status["history"].as_array().into_iter().flatten().flat_map(|h| h["ips"].as_array().into_iter().flatten());
        for nic in nics.chain(history) {
            assert!(nic["vlan"].is_i64(), "{ctx}\nvlan: {nic}");
            for (k, v) in nic.as_object().unwrap() {
                const KNOWN: &[&str] = &["interface", "ipv4", "ipv6", "ipv4Pool", "ipv6Pool", "vlan", "ipv4Gateway", "ipv6Gateway", "cleanGateway", "routes", "mac"];
                assert!(!(v.is_null() && KNOWN.contains(&k.as_str())), "{ctx}\nnull {k}");
                if let (true, Some(t)) = (matches!(k.as_str(), "ipv4" | "ipv6" | "ipv4Gateway" | "ipv6Gateway"), v.as_str()) {
                    let addr = t.split('/').next().unwrap();
                    if let Ok(ip) = addr.parse::<std::net::IpAddr>() {
                        assert_eq!(ip.to_string(), addr, "{ctx}\nnot canonical: {t}");
                    } else {
                        assert!(!addr.contains("010."), "{ctx}\nleading zero: {t}");
                    }
                }
            }
        }
        assert!(!obj["metadata"].get("creationTimestamp").is_some_and(Value::is_null), "{ctx}");
    }
}

#[test]
#[ignore]
fn dump_review() {
    let request: Value = serde_json::from_str(&read("review-request.json")).unwrap();
    let response = convert_review(&request);
    fs::write(dir().join("review-response.json"), serde_json::to_string_pretty(&response).unwrap() + "\n").unwrap();
}

/// Mutated fixtures (broken YAML, anchors, tags, block scalars, stray indicators): normalize and
/// convert never panic, their edits reproduce their output, and an output that changed reads back.
#[test]
fn property_no_panic_on_mutated_input() {
    let mut inputs: Vec<String> = Vec::new();
    for folder in ["tests/fixtures/convert", "tests/fixtures/valid", "tests/fixtures/invalid"] {
        let d = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut names: Vec<PathBuf> = fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        inputs.extend(names.iter().filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json"))).map(|p| fs::read_to_string(p).unwrap()));
    }
    const SNIPPETS: &[&str] = &["&a ", "*a", "<<: *a\n", "!!str ", "|\n  x\n", ">-\n  y\n", "{", "}", "[", "]", ": ", "- ", "\n", "\t", "#", "'", "\"", "null", "~", "---\n", "\r\n", "é", "  ", "? ", "\\", ",", "0x10", "4095", "vlan: ", "ips: []\n", "current: null\n"];
    let mut rng = Rng(0x5eed_0004);
    let start = Instant::now();
    let n = cases() * 2;
    let (mut changed, mut failed) = (0, 0);
    let rewrites = whole_rewrites();
    for case in 0..n {
        let mut text = inputs[rng.below(inputs.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(3) {
                0 => {
                    let mut end = (at + rng.below(12)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => {
                    let snippet = rng.pick(SNIPPETS);
                    text.insert_str(at, snippet)
                }
            }
        }
        let (n, c) = (NormalizeOptions { drop_unknown: Some(rng.percent(50)), ..Default::default() }, opts(rng.percent(50)));
        let before_case = whole_rewrites();
        for r in [normalize(&text, &n).unwrap(), convert(&text, V1, &c).unwrap(), convert(&text, V2, &c).unwrap()] {
            assert_eq!(apply(&text, &r), r.output, "case {case}\n{text}");
            if r.output != text {
                // It reads back as far as the input did (duplicate keys in untouched documents stay).
                let back = spiderendpoint::yaml::parse(&r.output, spiderendpoint::yaml::Budget::default());
                let fatal = |s: &spiderendpoint::yaml::Stream| !s.complete || s.problems.iter().any(|p| !matches!(p.kind, spiderendpoint::yaml::ProblemKind::DuplicateKey | spiderendpoint::yaml::ProblemKind::ComplexKey));
                assert!(!fatal(&back), "case {case}: output does not read back {:?}\n{text}\n---\n{}", back.problems, r.output);
                changed += 1;
            }
            assert!(r.ok || !r.diagnostics.is_empty(), "case {case}: refused without a diagnostic\n{text}");
            failed += r.diagnostics.iter().filter(|d| d.code == "SE410").count();
        }
        if std::env::var("SHOW_REWRITES").is_ok() && whole_rewrites() > before_case {
            eprintln!("=== REWRITE case {case}\n{text}\n===");
        }
    }
    eprintln!(
        "mutated inputs: {n} cases, {changed} transformed outputs, {} whole rewrites, {failed} SE410, {:?}",
        whole_rewrites() - rewrites,
        start.elapsed()
    );
}

/// `cargo test --release --test transform large_list -- --ignored --nocapture`: time on a big List.
#[test]
#[ignore]
fn large_list() {
    for n in [1000usize, 4000] {
        let mut rng = Rng(7);
        let items: Vec<Node> = (0..n).map(|_| gen_v1(&mut rng)).collect();
        let text = write_block(&list(&items));
        let t = Instant::now();
        let r = conv(&text, V2, true);
        let there = t.elapsed();
        let t = Instant::now();
        let back = conv(&r.output, V1, false);
        eprintln!("List of {n} v1 endpoints, {} bytes: to v2beta1 {there:?}, back {:?} (ok {} {})", text.len(), t.elapsed(), r.ok, back.ok);
        assert_eq!(docs(&back.output), docs(&text));
    }
}

fn write_block(doc: &Node) -> String {
    emit::yaml(doc, &Style { comments: false, flow: 0, ..Style::plain(2, false) }, &mut Rng(1))
}

/// A v1 StatefulSet endpoint has no Pod owner reference: with the Pod in the same input (a cluster
/// export), convert takes its metadata.uid and says where from; without it, SE403 as before.
#[test]
fn missing_uid_comes_from_the_pod_of_the_same_input() {
    let endpoint = read("refusal-no-uid.v1.yaml");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo-sts-0\n  namespace: default\n  uid: 7c1e0a52-3f0d-4f4e-a9a3-1d2f3c4b5a69\nspec: {}\n";
    let other_ns = pod.replace("namespace: default", "namespace: other").replace("7c1e0a52", "00000000");
    let text = format!("{endpoint}---\n{other_ns}---\n{pod}");
    let r = conv(&text, V2, false);
    assert!(r.ok, "{:?}", r.diagnostics);
    let out = docs(&r.output);
    assert_eq!(out[0].as_ref().unwrap()["status"]["current"]["uid"], "7c1e0a52-3f0d-4f4e-a9a3-1d2f3c4b5a69");
    let note = r.changes.iter().find(|c| c.path == "/status/current/uid").expect("a change for the uid");
    assert_eq!(note.kind, ChangeKind::Invented);
    let line = text.lines().position(|l| l.contains("uid: 7c1e0a52")).unwrap() + 1;
    assert!(note.message.contains(&format!("Pod default/demo-sts-0 in the input (document 3, line {line}, metadata.uid)")), "{}", note.message);
    // the Pods are not touched, and a Pod of another namespace is no source
    assert_eq!(out[2], docs(pod)[0]);
    let r = conv(&format!("{endpoint}---\n{other_ns}"), V2, false);
    assert!(!r.ok);
    assert_eq!(r.diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["SE403"]);
}
