//! Unit tests of the text layer (the fixtures and property tests are in tests/transform.rs).

use serde_json::{json, Value};

use crate::release::ApiVersion;
use crate::{ConvertOptions, NormalizeOptions};

fn conv(text: &str, to: ApiVersion) -> super::TransformResult {
    super::convert(text, to, &ConvertOptions::default()).unwrap()
}

fn norm(text: &str) -> super::TransformResult {
    super::normalize(text, &NormalizeOptions::default()).unwrap()
}

fn parse(text: &str) -> Value {
    let s = crate::yaml::parse(text, crate::yaml::Budget::default());
    s.docs[0].root.as_ref().unwrap().to_json(text)
}

#[test]
fn normalize_respells_what_the_readers_read_differently() {
    // kubectl reads `node: n` as false: normalize writes what kubectl sends, unambiguously.
    let text = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a # the pod\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      vlan: 010 # octal\n      cleanGateway: yes\n      on: 1\n    node: n\n";
    let r = norm(text);
    assert_eq!(
        r.output,
        "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a # the pod\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      vlan: 8 # octal\n      cleanGateway: true\n      \"true\": 1\n    node: false\n"
    );
    let respelled: Vec<_> = r.changes.iter().filter(|c| c.kind == super::ChangeKind::Respelled).map(|c| c.path.as_str()).collect();
    assert_eq!(respelled, ["/status/current/ips/0/vlan", "/status/current/ips/0/cleanGateway", "/status/current/ips/0/true", "/status/current/node"]);
    // read as YAML 1.2, the same text respells the other way
    let r12 = super::normalize(text, &NormalizeOptions { yaml_version: Some(crate::yaml::YamlVersion::V1_2), ..Default::default() }).unwrap();
    assert!(r12.output.contains("vlan: 10 # octal") && r12.output.contains("node: \"n\"") && r12.output.contains("cleanGateway: \"yes\""), "{}", r12.output);
    // idempotent
    assert!(norm(&r.output).changes.is_empty());
}

#[test]
fn normalize_block_yaml_in_place() {
    let text = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a # the pod\nstatus:\n  current:\n    ips:\n    - cleanGateway: null\n      interface: eth0\n      ipv6: FD00::0:1/64\n    node: w1\n    uid: u\n  ownerControllerName: a\n  ownerControllerType: Pod\n";
    let r = norm(text);
    assert!(r.ok, "{:?}", r.diagnostics);
    assert_eq!(
        r.output,
        "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a # the pod\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      ipv6: fd00::1/64\n      vlan: 0\n    node: w1\n    uid: u\n  ownerControllerName: a\n  ownerControllerType: Pod\n"
    );
    let kinds: Vec<_> = r.changes.iter().map(|c| (c.kind, c.path.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (super::ChangeKind::Dropped, "/status/current/ips/0/cleanGateway"),
            (super::ChangeKind::Changed, "/status/current/ips/0/ipv6"),
            (super::ChangeKind::Defaulted, "/status/current/ips/0/vlan"),
        ]
    );
    let again = norm(&r.output);
    assert!(again.edits.is_empty() && again.changes.is_empty());
}

#[test]
fn json_flow_maps_are_rewritten_keeping_member_text() {
    let text = "{\n  \"apiVersion\": \"spiderpool.spidernet.io/v2beta1\",\n  \"kind\": \"SpiderEndpoint\",\n  \"metadata\": {\"name\": \"a\"},\n  \"status\": {\n    \"current\": {\n      \"uid\": \"u\",\n      \"node\": \"n\",\n      \"ips\": [{\"interface\": \"eth0\", \"mac\": \"aa:bb:cc:dd:ee:ff\", \"vlan\": 0}]\n    },\n    \"ownerControllerType\": \"Pod\",\n    \"ownerControllerName\": \"a\"\n  }\n}\n";
    let r = conv(text, ApiVersion::V1);
    assert!(r.ok, "{:?}", r.diagnostics);
    let out: Value = serde_json::from_str(&r.output).expect("valid JSON");
    assert_eq!(out["status"]["current"]["containerID"], json!(super::sha256::hex(b"u")));
    assert_eq!(out["status"]["ownerControllerType"], json!("None"));
    assert!(out["status"]["current"]["ips"][0].get("mac").is_none());
    assert!(r.output.contains("  \"metadata\": {\"name\": \"a\"},\n"), "{}", r.output);
    assert!(r.output.contains("\"ips\": [{\"interface\": \"eth0\", \"vlan\": 0}]"), "{}", r.output);
}

#[test]
fn inline_head_entries_are_deleted_and_inserted() {
    let text = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nmetadata:\n  name: p\n  ownerReferences:\n  - {kind: Pod, name: p, uid: U}\nstatus:\n  current:\n    containerID: c\n    ips:\n    - ipv4Gateway: \"\"\n      interface: eth0\n    node: n\n  ownerControllerType: None\n";
    let r = conv(text, ApiVersion::V2beta1);
    assert!(r.ok, "{:?}", r.diagnostics);
    assert_eq!(
        r.output,
        "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: p\n  ownerReferences:\n  - {kind: Pod, name: p, uid: U}\nstatus:\n  current:\n    ips:\n    - interface: eth0\n    node: n\n    uid: U\n  ownerControllerName: p\n  ownerControllerType: Pod\n"
    );
    assert_eq!(parse(&r.output)["status"]["current"]["uid"], json!("U"));
}

#[test]
fn refusals_leave_the_document_and_report_the_rule() {
    let text = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nmetadata: {name: p}\nstatus: {ownerControllerType: None}\n";
    let r = conv(text, ApiVersion::V2beta1);
    assert!(!r.ok);
    assert_eq!(r.output, text);
    assert!(r.edits.is_empty() && r.changes.is_empty());
    assert_eq!(r.diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["SE401"]);
    assert_eq!(r.diagnostics[0].location.line, 4);
}

#[test]
fn misuse_is_an_error() {
    let o = ConvertOptions { spiderpool_version: Some("1.2".into()), ..Default::default() };
    assert!(super::convert("a: 1", ApiVersion::V1, &o).is_err());
    let o = NormalizeOptions { spiderpool_version: Some("nope".into()), ..Default::default() };
    assert!(super::normalize("a: 1", &o).is_err());
}

#[test]
fn quoted_scalars_keep_their_trailing_comment() {
    let text = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata: {name: a}\nstatus:\n  current:\n    ips:\n    - {interface: eth0, ipv4: \"010.0.0.1/8\" , vlan: 0}\n    - interface: eth1\n      ipv4: \"010.0.0.2/8\"   # second\n      vlan: 0\n    node: 'n'  # node\n    uid: u\n  ownerControllerName: \"\"     # empty\n  ownerControllerType: Pod\n";
    let r = norm(text);
    assert!(r.output.contains("ipv4: \"10.0.0.1/8\" , vlan: 0}"), "{}", r.output);
    assert!(r.output.contains("ipv4: \"10.0.0.2/8\"   # second\n"), "{}", r.output);
    let r = conv(text, ApiVersion::V1);
    assert!(r.output.contains("  ownerControllerType: None\n"), "{}", r.output);
    assert!(r.output.contains("  ownerControllerName: \"\"     # empty\n"), "{}", r.output);
}

#[test]
fn normalize_comments_out_a_document_kubectl_never_sends() {
    let text = "apiVersion: v1\nkind: ConfigMap\n...\napiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Secret\n";
    let r = norm(text);
    assert!(r.ok, "{:?}", r.diagnostics);
    assert_eq!(r.output, "apiVersion: v1\nkind: ConfigMap\n...\n# apiVersion: spiderpool.spidernet.io/v2beta1\n# kind: SpiderEndpoint\n# metadata:\n#   name: b\n---\napiVersion: v1\nkind: Secret\n");
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].kind, super::ChangeKind::Dropped);
    // with a YAML 1.2 reading nothing is dropped
    let r12 = super::normalize(text, &NormalizeOptions { yaml_version: Some(crate::yaml::YamlVersion::V1_2), ..Default::default() }).unwrap();
    assert!(!r12.output.contains('#'));
    // a U+FEFF in it cannot go into a comment: the document stays
    let bom = "apiVersion: v1\nkind: ConfigMap\n...\n{\"kind\": \"\u{feff}\"}\n";
    let r = norm(bom);
    assert!(r.ok && r.output == bom, "{:?}", r.output);
}
