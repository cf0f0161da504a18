//! Exact-JSON contract tests: the serialized shapes of `validate()`'s report and of a transform
//! result are a public contract (the CLI's `--format json`, the JS API). Any change here is a
//! breaking change for CI scripts that parse them.

use serde_json::json;
use spiderendpoint::{validate, ApiVersion, ValidateOptions};
use test_support::VALID;

/// [`VALID`] with a quoted vlan, no namespace and the owner type `None`, then a ConfigMap.
fn input() -> String {
    let endpoint = VALID.replace("  namespace: default\n", "").replace("vlan: 0", "vlan: \"7\"").replace("ownerControllerType: Pod", "ownerControllerType: None");
    endpoint + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
}

#[test]
fn report_shape_is_exact() {
    let input = input();
    let report = validate(&input, &ValidateOptions::default()).unwrap();
    let got = serde_json::to_value(&report).unwrap();
    let (v, n) = (input.find("\"7\"").unwrap(), input.find("None").unwrap());
    let want = json!({
        "diagnostics": [],
        "documents": [
            {
                "index": 0,
                "apiVersion": "spiderpool.spidernet.io/v2beta1",
                "kind": "SpiderEndpoint",
                "namespace": null,
                "name": "pod-a",
                "status": "invalid",
                "line": 1,
                "endLine": 15,
                "diagnostics": [
                    {
                        "code": "SE202", "rule": "wrong-type", "severity": "error",
                        "message": "`vlan` must be an integer, but is a string (\"7\")",
                        "path": "/status/current/ips/0/vlan",
                        "line": 13, "column": 13, "endLine": 13, "endColumn": 16,
                        "offset": v, "endOffset": v + 3, "utf16Offset": v, "utf16EndOffset": v + 3,
                        "fix": {"message": "Remove the quotes", "safe": false, "edits": [
                            {"offset": v, "endOffset": v + 3, "utf16Offset": v, "utf16EndOffset": v + 3, "newText": "7"}
                        ]}
                    },
                    {
                        "code": "SE314", "rule": "owner-type-none", "severity": "error",
                        "message": "`ownerControllerType: None` is the v1 spelling; Spiderpool 0.4 and later write `Pod` for a Pod without a controller",
                        "path": "/status/ownerControllerType",
                        "line": 15, "column": 24, "endLine": 15, "endColumn": 28,
                        "offset": n, "endOffset": n + 4, "utf16Offset": n, "utf16EndOffset": n + 4,
                        "fix": {"message": "Write `Pod`", "safe": true, "edits": [
                            {"offset": n, "endOffset": n + 4, "utf16Offset": n, "utf16EndOffset": n + 4, "newText": "Pod"}
                        ]}
                    }
                ]
            },
            {
                "index": 1,
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "namespace": null,
                "name": "x",
                "status": "skipped",
                "line": 17,
                "endLine": 19,
                "diagnostics": []
            }
        ],
        "summary": {"documents": 2, "valid": 0, "invalid": 1, "skipped": 1, "errors": 2, "warnings": 0, "infos": 0, "truncated": false, "omitted": 0, "suppressed": 0},
        "suppressed": []
    });
    assert_eq!(got, want, "\n{}", serde_json::to_string_pretty(&got).unwrap());
}

#[test]
fn list_items_carry_item_and_pointer_into_items() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: spiderpool.spidernet.io/v2beta1\n  kind: SpiderEndpoint\n  metadata: {name: a}\n";
    let got = serde_json::to_value(validate(text, &ValidateOptions::default()).unwrap()).unwrap();
    let doc = &got["documents"][0];
    assert_eq!(doc["index"], json!(0));
    assert_eq!(doc["item"], json!(0));
    assert_eq!(doc["line"], json!(4));
    assert_eq!(doc["diagnostics"][0]["code"], json!("SE319"));
    assert_eq!(doc["diagnostics"][0]["path"], json!("/items/0/status"));
}

#[test]
fn transform_result_shape_is_exact() {
    let v1 = "apiVersion: spiderpool.spidernet.io/v1\nkind: SpiderEndpoint\nmetadata:\n  name: p\nstatus:\n  current:\n    containerID: abc\n    node: n1\n  ownerControllerType: None\n";
    let result = spiderendpoint::convert(v1, ApiVersion::V2beta1, &Default::default()).unwrap();
    let got = serde_json::to_value(&result).unwrap();
    let keys: Vec<&str> = got.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["changes", "diagnostics", "edits", "ok", "output"]);
    // no Pod owner reference: refused, unchanged, one SE403 error at the `current` key
    assert_eq!(got["ok"], json!(false));
    assert_eq!(got["output"], json!(v1));
    assert_eq!(got["changes"], json!([]));
    assert_eq!(got["diagnostics"][0]["code"], json!("SE403"));
    assert_eq!(got["diagnostics"][0]["severity"], json!("error"));
}
