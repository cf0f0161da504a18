//! The wasm boundary itself (src/wasm.rs), in Node: `wasm-pack test --node -- --test wasm_boundary`
//! (`make test-wasm`). The options it accepts and refuses, string and byte input, the errors it throws on
//! misuse (plain `Error`s: the page and the package tell misuse from a trap by that), and the shapes it
//! returns. What the core finds is tested natively (tests/*.rs); here only what crosses the boundary.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array, JSON};
use spiderendpoint::wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const V1: &str = include_str!("../../examples/valid/v1-replicaset.yaml");
const V2_JSON: &str = include_str!("../../examples/valid/v2beta1-dual-stack.json");

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).expect("an object")
}

fn keys(v: &JsValue) -> Vec<String> {
    let mut k: Vec<String> = Object::keys(v.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
    k.sort();
    k
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number"))
}

const EP: &str = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: pod-a\n  namespace: default\nstatus:\n  current:\n    ips:\n    - interface: eth0\n      ipv4: 10.6.1.21/24\n      ipv4Pool: pool-a\n    node: node-1\n    uid: 0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b\n  ownerControllerName: pod-a\n  ownerControllerType: Pod\n";

/// The misuse error a call threw: a plain `Error` (prototype `Error.prototype`) named by its kind; its
/// message.
fn misuse_of(r: Result<JsValue, JsValue>, kind: &str) -> String {
    let err = r.expect_err("misuse must throw");
    let e: &js_sys::Error = err.dyn_ref().expect("an Error");
    assert_eq!(
        Object::get_prototype_of(&err),
        Object::get_prototype_of(&js_sys::Error::new("x")),
        "misuse is a plain Error, not a subclass (the page treats anything else as a crashed instance)"
    );
    assert_eq!(String::from(e.name()), kind, "the error's name is the kind of misuse ({})", String::from(e.message()));
    e.message().into()
}

/// A wrong argument or option (`InvalidArgument`).
fn misuse(r: Result<JsValue, JsValue>) -> String {
    misuse_of(r, "InvalidArgument")
}

fn codes(report: &JsValue) -> Vec<String> {
    Array::from(&get(report, "diagnostics")).iter().map(|d| get(&d, "code").as_string().unwrap()).collect()
}

/// The codes of the file's and every document's diagnostics.
fn codes_all(report: &JsValue) -> Vec<String> {
    let mut all = codes(report);
    for doc in Array::from(&get(report, "documents")).iter() {
        all.extend(codes(&doc));
    }
    all
}

#[wasm_bindgen_test]
fn validate_returns_a_report_of_plain_objects() {
    let r = wasm::validate(text(V1), JsValue::UNDEFINED).unwrap();
    assert_eq!(keys(&r), ["diagnostics", "documents", "summary", "suppressed"]);
    let summary = get(&r, "summary");
    assert_eq!(num(&summary, "documents"), 1.0);
    assert_eq!(num(&summary, "valid"), 1.0);
    let docs = Array::from(&get(&r, "documents"));
    let doc = docs.get(0);
    assert_eq!(get(&doc, "apiVersion").as_string().as_deref(), Some("spiderpool.spidernet.io/v1"));
    assert_eq!(get(&doc, "name").as_string().as_deref(), Some("nginx-7c5ddbdf54-8xk2m"));
    assert!(Array::is_array(&get(&doc, "diagnostics")));
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn validate_reads_json_and_flow_yaml() {
    let j = wasm::validate(text(V2_JSON), JsValue::NULL).unwrap();
    assert_eq!(num(&get(&j, "summary"), "documents"), 1.0);
    assert_eq!(num(&get(&j, "summary"), "valid"), 1.0);
}

/// The page's first module (`--no-default-features`): no loader, so input outside the block YAML subset gets
/// `null` (the page then loads the full module); the instance keeps working.
#[cfg(not(feature = "full"))]
#[wasm_bindgen_test]
fn the_validate_only_module_answers_null_outside_the_fast_subset() {
    assert!(wasm::validate(text(V2_JSON), JsValue::UNDEFINED).unwrap().is_null());
    assert!(wasm::validate(text("a: &x 1\nb: *x\n"), JsValue::UNDEFINED).unwrap().is_null());
    let r = wasm::validate(text(V1), JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&get(&r, "summary"), "valid"), 1.0, "its embedded CRDs (schemas/fast/) are read");
    let r = wasm::validate(text("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nstatus: 3\n"), JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&get(&r, "summary"), "invalid"), 1.0);
}

#[wasm_bindgen_test]
fn a_diagnostic_has_positions_in_utf8_and_utf16() {
    let r = wasm::validate(text("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: é\nstatus: 3\n"), JsValue::UNDEFINED).unwrap();
    let diags = Array::from(&get(&r, "diagnostics"));
    let all: Vec<JsValue> = diags.iter().chain(Array::from(&get(&Array::from(&get(&r, "documents")).get(0), "diagnostics")).iter()).collect();
    let d = all.iter().find(|d| get(d, "path").as_string().as_deref() == Some("/status")).expect("a diagnostic for `status: 3`").clone();
    for k in ["code", "rule", "severity", "message", "path", "line", "column", "endLine", "endColumn", "offset", "endOffset", "utf16Offset", "utf16EndOffset"] {
        assert!(!get(&d, k).is_undefined(), "diagnostic field {k}");
    }
    // `é` is 2 bytes in UTF-8 and 1 code unit in UTF-16: offsets after it differ by one.
    assert_eq!(num(&d, "offset") - num(&d, "utf16Offset"), 1.0);
}

#[wasm_bindgen_test]
fn bytes_are_read_as_utf8() {
    let bytes = Uint8Array::from(V1.as_bytes());
    let r = wasm::validate(bytes.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&get(&r, "summary"), "valid"), 1.0);
    let bad = Uint8Array::from(&b"kind: \xff\n"[..]);
    let r = wasm::validate(bad.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(codes(&r), ["SE002"], "invalid UTF-8 is a finding, not a throw");
    // A view on part of a buffer: only its bytes.
    let buf = Uint8Array::from(format!("xxxx{V1}").as_bytes());
    let view = buf.subarray(4, buf.length());
    assert_eq!(num(&get(&wasm::validate(view.into(), JsValue::UNDEFINED).unwrap(), "summary"), "valid"), 1.0);
}

#[wasm_bindgen_test]
fn input_of_another_type_is_misuse() {
    for v in [JsValue::from_f64(3.0), JsValue::UNDEFINED, JsValue::NULL, js("{}"), js("[1,2]"), js(r#"{"length":1,"0":65}"#)] {
        assert_eq!(misuse(wasm::validate(v, JsValue::UNDEFINED)), "input must be a string or a Uint8Array");
    }
    // Another typed array is not bytes.
    let u16 = js_sys::Uint16Array::new_with_length(2);
    assert_eq!(misuse(wasm::validate(u16.into(), JsValue::UNDEFINED)), "input must be a string or a Uint8Array");
}

#[wasm_bindgen_test]
fn options_are_read_and_unknown_ones_refused() {
    // maxBytes is applied: the input is refused unread (SE001).
    let r = wasm::validate(text(V1), js(r#"{"maxBytes": 10}"#)).unwrap();
    assert_eq!(codes(&r), ["SE001"]);
    // An unknown option, a wrong type, a value out of its set: misuse, naming what is wrong.
    let m = misuse(wasm::validate(text(V1), js(r#"{"maxbytes": 10}"#)));
    assert!(m.contains("unknown field `maxbytes`"), "{m}");
    let m = misuse(wasm::validate(text(V1), js(r#"{"maxBytes": "10"}"#)));
    assert!(m.starts_with("invalid options"), "{m}");
    let m = misuse(wasm::validate(text(V1), js(r#"{"yamlVersion": "1.3"}"#)));
    assert!(m.starts_with("invalid options"), "{m}");
    let m = misuse_of(wasm::validate(text(V1), js(r#"{"spiderpoolVersion": "banana"}"#)), "InvalidRelease");
    assert!(m.contains("banana"), "{m}");
    let m = misuse_of(wasm::validate(text(V1), js(r#"{"spiderpoolVersion": "9.9"}"#)), "UnknownRelease");
    assert!(m.contains("9.9"), "{m}");
    let m = misuse_of(wasm::validate(text(V1), js(r#"{"rules": {"SE999": "off"}}"#)), "UnknownRule");
    assert!(m.contains("SE999"), "{m}");
    // Each operation has its own options: validate refuses convert's and normalize's.
    for other in [r#"{"lossless": true}"#, r#"{"dropUnknown": true}"#, r#"{"apiVersion": "v1"}"#] {
        assert!(misuse(wasm::validate(text(V1), js(other))).contains("unknown field"), "{other}");
    }
    // rules: by code or by name; "off" removes the finding.
    let bad_uid = EP.replace("0b3f2e4c-6d1a-4f0e-9c8b-2a7d5e6f1a3b", "not-a-uuid");
    assert_eq!(codes_all(&wasm::validate(text(&bad_uid), JsValue::UNDEFINED).unwrap()), ["SE313"]);
    assert!(codes_all(&wasm::validate(text(&bad_uid), js(r#"{"rules": {"uid-not-uuid": "off"}}"#)).unwrap()).is_empty());
    // Options must be an object (or absent).
    assert_eq!(misuse(wasm::validate(text(V1), text("strict"))), "options must be an object");
    // undefined and null mean the defaults.
    assert!(wasm::validate(text(V1), JsValue::NULL).is_ok());
}

#[wasm_bindgen_test]
fn options_whose_reading_throws_are_misuse_not_a_crash() {
    // A toJSON that throws, a getter that throws (via a Proxy-free object made in JS), a cycle.
    let throwing = js_sys::Function::new_no_args("return { toJSON() { throw new Error('boom'); } };").call0(&JsValue::NULL).unwrap();
    assert_eq!(misuse(wasm::validate(text(V1), throwing)), "options are not JSON-serializable");
    let cyclic = js_sys::Function::new_no_args("const o = {}; o.self = o; return o;").call0(&JsValue::NULL).unwrap();
    assert_eq!(misuse(wasm::validate(text(V1), cyclic)), "options are not JSON-serializable");
    // The instance is still usable.
    assert!(wasm::validate(text(V1), JsValue::UNDEFINED).is_ok());
}

#[wasm_bindgen_test]
fn a_detached_buffer_is_misuse() {
    let bytes = Uint8Array::from(V1.as_bytes());
    // structuredClone with transfer detaches the original buffer.
    let detach = js_sys::Function::new_with_args("b", "structuredClone(b.buffer, { transfer: [b.buffer] });");
    detach.call1(&JsValue::NULL, &bytes).unwrap();
    let m = misuse(wasm::validate(bytes.into(), JsValue::UNDEFINED));
    assert!(m.contains("detached"), "{m}");
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn validate_object_reads_a_js_value() {
    let value = js(V2_JSON);
    let r = wasm::validate_object(value, JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&get(&r, "summary"), "valid"), 1.0);
    let f = js_sys::Function::new_no_args("return 1;");
    assert_eq!(misuse(wasm::validate_object(f.into(), JsValue::UNDEFINED)), "value is not JSON-serializable");
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn normalize_and_convert_return_transform_results() {
    let n = wasm::normalize(text(V1), JsValue::UNDEFINED).unwrap();
    assert_eq!(keys(&n), ["changes", "diagnostics", "edits", "ok", "output"]);
    assert_eq!(get(&n, "ok").as_bool(), Some(true));
    let c = wasm::convert(text(V1), text("v2beta1"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&c, "ok").as_bool(), Some(true));
    assert!(get(&c, "output").as_string().unwrap().contains("apiVersion: spiderpool.spidernet.io/v2beta1"));
    assert!(Array::from(&get(&c, "changes")).length() > 0);
    // Bytes too.
    let b = wasm::convert(Uint8Array::from(V1.as_bytes()).into(), text("v2beta1"), js(r#"{"lossless": true}"#)).unwrap();
    assert_eq!(get(&b, "ok").as_bool(), Some(true));
    for bad in [text("v3"), JsValue::UNDEFINED, JsValue::from_f64(1.0)] {
        assert_eq!(misuse(wasm::convert(text(V1), bad, JsValue::UNDEFINED)), "toVersion must be \"v1\" or \"v2beta1\"");
    }
    assert!(misuse(wasm::normalize(text(V1), js(r#"{"dropunknown": true}"#))).contains("unknown field"));
    // Per-operation options: normalize has dropUnknown, not lossless; convert the other way round; neither
    // has fieldValidation or rules (validate's).
    assert!(wasm::normalize(text(V1), js(r#"{"dropUnknown": true}"#)).is_ok());
    assert!(misuse(wasm::normalize(text(V1), js(r#"{"lossless": true}"#))).contains("unknown field"));
    assert!(misuse(wasm::convert(text(V1), text("v2beta1"), js(r#"{"dropUnknown": true}"#))).contains("unknown field"));
    assert!(misuse(wasm::convert(text(V1), text("v2beta1"), js(r#"{"rules": {}}"#))).contains("unknown field"));
    misuse_of(wasm::convert(text(V1), text("v1"), js(r#"{"spiderpoolVersion": "1.2"}"#)), "VersionNotServed");
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn validate_files_reports_per_file_and_across_files() {
    let b = EP.replace("pod-a\n  namespace", "pod-b\n  namespace");
    let files = Array::new();
    for (name, t) in [("a.yaml", text(EP)), ("b.yaml", Uint8Array::from(b.as_bytes()).into())] {
        let f = Object::new();
        Reflect::set(&f, &"name".into(), &name.into()).unwrap();
        Reflect::set(&f, &"text".into(), &t).unwrap();
        files.push(&f);
    }
    let r = wasm::validate_files(files.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(keys(&r), ["files", "summary"]);
    let fs = Array::from(&get(&r, "files"));
    assert_eq!(fs.length(), 2);
    assert_eq!(get(&fs.get(1), "name").as_string().as_deref(), Some("b.yaml"));
    let b_report = get(&fs.get(1), "report");
    assert_eq!(codes_all(&b_report), ["SE316"], "the IP claimed in a.yaml too");
    let d = Array::from(&get(&Array::from(&get(&b_report, "documents")).get(0), "diagnostics")).get(0);
    let rel = Array::from(&get(&d, "related")).get(0);
    assert_eq!(get(&rel, "file").as_string().as_deref(), Some("a.yaml"));
    assert_eq!(num(&get(&r, "summary"), "documents"), 2.0);
    // Misuse: not an array, an item without a name or text, a Proxy whose traps throw.
    for bad in [js("{}"), js(r#"[{"text": "a: 1"}]"#), js(r#"[{"name": "a", "text": 1}]"#), js("[1]")] {
        misuse(wasm::validate_files(bad, JsValue::UNDEFINED));
    }
    let proxy = js_sys::Function::new_no_args("return new Proxy([], { get() { throw new Error('trap'); } });").call0(&JsValue::NULL).unwrap();
    misuse(wasm::validate_files(proxy, JsValue::UNDEFINED));
    assert!(wasm::validate(text(V1), JsValue::UNDEFINED).is_ok(), "the instance is intact");
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn audit_reads_a_file_into_its_own_memory() {
    // { name, size, read }: read(into) fills a view of the core's memory and returns how many bytes it wrote.
    let file = |size: f64, body: &str| {
        let f = Object::new();
        Reflect::set(&f, &"name".into(), &"x.yaml".into()).unwrap();
        Reflect::set(&f, &"size".into(), &size.into()).unwrap();
        Reflect::set(&f, &"read".into(), &js_sys::Function::new_with_args("into", body)).unwrap();
        Array::of1(&f).into()
    };
    let bytes: Vec<String> = EP.bytes().map(|b| b.to_string()).collect();
    let fill = format!("into.set([{}]); return {};", bytes.join(","), EP.len());
    let read = wasm::audit(file(EP.len() as f64, &fill), JsValue::UNDEFINED).unwrap();
    let as_text = Array::new();
    let f = Object::new();
    Reflect::set(&f, &"name".into(), &"x.yaml".into()).unwrap();
    Reflect::set(&f, &"text".into(), &text(EP)).unwrap();
    as_text.push(&f);
    let want = wasm::audit(as_text.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(JSON::stringify(&read).unwrap(), JSON::stringify(&want).unwrap());
    // Fewer bytes than the size: only those; bytes that are not UTF-8: SE002, as for a Uint8Array.
    let short = wasm::audit(file(100.0, "into.set([97, 58, 32, 49]); return 4;"), JsValue::UNDEFINED).unwrap();
    let report = get(&Array::from(&get(&short, "files")).get(0), "report");
    assert_eq!(num(&get(&report, "summary"), "documents"), 1.0);
    let bad = wasm::audit(file(3.0, "into.set([97, 58, 255]); return 3;"), JsValue::UNDEFINED).unwrap();
    assert_eq!(codes(&get(&Array::from(&get(&bad, "files")).get(0), "report")), ["SE002"]);
    // Misuse, never a crash: a read that throws, returns too much or no number; a bad size; no function.
    assert_eq!(misuse(wasm::audit(file(4.0, "throw new Error('disk on fire');"), JsValue::UNDEFINED)), "x.yaml: read failed: disk on fire");
    assert!(misuse(wasm::audit(file(4.0, "return 5;"), JsValue::UNDEFINED)).contains("read must return the number of bytes it wrote (0 to 4)"));
    assert!(misuse(wasm::audit(file(4.0, "return 'all';"), JsValue::UNDEFINED)).contains("read must return"));
    for size in [-1.0, 1.5, f64::NAN, 5e9] {
        assert!(misuse(wasm::audit(file(size, "return 0;"), JsValue::UNDEFINED)).contains("non-negative integer `size`"));
    }
    let not_fn = js(r#"[{"name": "x.yaml", "size": 1, "read": "no"}]"#);
    assert_eq!(misuse(wasm::audit(not_fn, JsValue::UNDEFINED)), "a file's `read` must be a function");
    // More than the memory can hold: refused (try_reserve), not an abort.
    assert!(misuse(wasm::audit(file(4_294_967_295.0, "return 0;"), JsValue::UNDEFINED)).contains("not enough memory"));
    assert!(wasm::validate(text(V1), JsValue::UNDEFINED).is_ok(), "the instance is intact");
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn fix_applies_safe_fixes() {
    let broken = EP.replace("ownerControllerType: Pod", "ownerControllerType: None");
    let r = wasm::fix(text(&broken), JsValue::UNDEFINED).unwrap();
    assert_eq!(keys(&r), ["applied", "changed", "output", "passes", "report"]);
    assert_eq!(get(&r, "changed").as_bool(), Some(true));
    assert!(get(&r, "output").as_string().unwrap().contains("ownerControllerType: Pod"));
    assert_eq!(num(&get(&get(&r, "report"), "summary"), "valid"), 1.0);
    assert_eq!(misuse(wasm::fix(Uint8Array::from(EP.as_bytes()).into(), JsValue::UNDEFINED)), "input must be a string");
    assert!(misuse(wasm::fix(text(EP), js(r#"{"lossless": true}"#))).contains("unknown field"));
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn releases_lists_the_known_lines() {
    let r: Vec<String> = Array::from(&wasm::releases().unwrap()).iter().map(|v| v.as_string().unwrap()).collect();
    assert!(r.iter().any(|v| v == "0.3") && r.iter().any(|v| v == "1.2"), "{r:?}");
    // Each is accepted as spiderpoolVersion.
    for v in &r {
        assert!(wasm::validate(text(EP), js(&format!(r#"{{"spiderpoolVersion": "{v}"}}"#))).is_ok(), "{v}");
    }
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn convert_review_answers_and_refuses_non_objects() {
    let review = js(r#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"uid":"u1","desiredAPIVersion":"spiderpool.spidernet.io/v2beta1","objects":[]}}"#);
    let r = wasm::convert_review(review).unwrap();
    let resp = get(&r, "response");
    assert_eq!(get(&resp, "uid").as_string().as_deref(), Some("u1"));
    assert_eq!(misuse(wasm::convert_review(text("x"))), "review must be an object (a ConversionReview)");
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn rules_lists_rule_infos() {
    let rules = Array::from(&wasm::rules().unwrap());
    assert!(rules.length() > 10);
    let first = rules.get(0);
    for k in ["code", "rule", "severity", "summary", "help"] {
        assert!(get(&first, k).is_string(), "RuleInfo.{k}");
    }
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn schema_takes_its_own_options() {
    let s = wasm::schema(js(r#"{"apiVersion": "v1"}"#)).unwrap();
    assert_eq!(get(&s, "$schema").as_string().as_deref(), Some("http://json-schema.org/draft-07/schema#"));
    assert!(get(&s, "title").as_string().unwrap().contains("spiderpool.spidernet.io/v1"));
    assert!(wasm::schema(JsValue::UNDEFINED).is_ok());
    assert!(misuse_of(wasm::schema(js(r#"{"apiVersion": "v9"}"#)), "UnknownApiVersion").contains("v9"));
    assert!(misuse(wasm::schema(js(r#"{"lossless": true}"#))).contains("unknown field"));
}
