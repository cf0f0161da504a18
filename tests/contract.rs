//! Exact-JSON contract tests: the serialized shapes of `validate()`'s report and of a transform
//! result are a public contract (the CLI's `--format json`, the JS API). Any change here is a
//! breaking change for CI scripts that parse them.

use serde_json::{json, Value};
use spiderendpoint::{validate, ApiVersion, ValidateOptions};
use test_support::VALID;

/// [`VALID`] with a quoted vlan, no namespace and the owner type `None`, then a ConfigMap.
fn input() -> String {
    let endpoint = VALID.replace("  namespace: default\n", "").replace("vlan: 0", "vlan: \"7\"").replace("ownerControllerType: Pod", "ownerControllerType: None");
    endpoint + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
}

/// The exact JSON of an error diagnostic of [`input`] on one line, from `column` to `end_column`
/// (bytes `offset..end_offset`), with a fix of one edit that replaces that span: every field
/// written out, so a field added, removed or renamed fails the comparison. [`input`] is ASCII, so
/// UTF-16 offsets are byte offsets.
fn error_with_fix(
    (code, rule): (&str, &str),
    message: &str,
    path: &str,
    (line, column, end_column, offset, end_offset): (usize, usize, usize, usize, usize),
    (fix, safe, new_text): (&str, bool, &str),
) -> Value {
    json!({
        "code": code, "rule": rule, "severity": "error", "message": message, "path": path,
        "line": line, "column": column, "endLine": line, "endColumn": end_column,
        "offset": offset, "endOffset": end_offset, "utf16Offset": offset, "utf16EndOffset": end_offset,
        "fix": {"message": fix, "safe": safe, "edits": [
            {"offset": offset, "endOffset": end_offset, "utf16Offset": offset, "utf16EndOffset": end_offset, "newText": new_text}
        ]}
    })
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
                    error_with_fix(
                        ("SE202", "wrong-type"),
                        "`vlan` must be an integer, but is a string (\"7\")",
                        "/status/current/ips/0/vlan",
                        (13, 13, 16, v, v + 3),
                        ("Remove the quotes", false, "7")
                    ),
                    error_with_fix(
                        ("SE314", "owner-type-none"),
                        "`ownerControllerType: None` is the v1 spelling; Spiderpool 0.4 and later write `Pod` for a Pod without a controller",
                        "/status/ownerControllerType",
                        (15, 24, 28, n, n + 4),
                        ("Write `Pod`", true, "Pod")
                    )
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
