//! Lossless mode: what a conversion cannot carry over is kept in ONE annotation and put back when
//! the object is converted back.
//!
//! Annotation `spiderendpoint.io/lossless`, a JSON object:
//!
//! ```json
//! {"apiVersion": "spiderpool.spidernet.io/v1",
//!  "restore": {"/status/current/containerID": "5c7a...", "/status/history": [...]},
//!  "remove": ["/status/ownerControllerName"],
//!  "was": {"/status/ownerControllerName": "demo-sts"}}
//! ```
//!
//! `apiVersion` is the version the data belongs to: it is used (and the annotation removed) only
//! when converting to that version. After the plain conversion, each `restore` pointer is set to
//! its value and each `remove` pointer removed — provided the field still holds what it held when
//! the annotation was written (`was`; a pointer missing from `was` was absent). A field edited
//! since keeps the edit (warning SE409). Pointers are limited to `/status…`, `/metadata`,
//! `/metadata/annotations…` and `/metadata/labels…`, so a conversion webhook never changes other
//! metadata.
//!
//! The annotation holds exactly the difference between the original object and what the plain
//! conversion back would produce, so converting there and back gives the original object.

use serde_json::{Map, Value};

use crate::rules::Rule;

use super::outcome::{Issue, Note};
use super::pointer;
use super::{ChangeKind, LOSSLESS_ANNOTATION};

#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub path: String,
    /// What the field held in the converted object when the annotation was written (`None`: absent).
    pub was: Option<Value>,
    /// The value to put back (`None`: remove the field).
    pub value: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub api_version: String,
    pub ops: Vec<Op>,
}

/// The JSON Pointer of the annotation in an object.
pub fn annotation_path() -> String {
    pointer::join("/metadata/annotations", LOSSLESS_ANNOTATION)
}

impl Record {
    pub fn encode(&self) -> String {
        let mut restore = Map::new();
        let mut remove = Vec::new();
        let mut was = Map::new();
        for op in &self.ops {
            match &op.value {
                Some(v) => {
                    restore.insert(op.path.clone(), v.clone());
                }
                None => remove.push(Value::String(op.path.clone())),
            }
            if let Some(w) = &op.was {
                was.insert(op.path.clone(), w.clone());
            }
        }
        let mut m = Map::new();
        m.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        if !restore.is_empty() {
            m.insert("restore".into(), Value::Object(restore));
        }
        if !remove.is_empty() {
            m.insert("remove".into(), Value::Array(remove));
        }
        if !was.is_empty() {
            m.insert("was".into(), Value::Object(was));
        }
        Value::Object(m).to_string()
    }

    pub fn decode(text: &str) -> Result<Record, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        let Value::Object(m) = v else { return Err("not a JSON object".into()) };
        if let Some(k) = m.keys().find(|k| !matches!(k.as_str(), "apiVersion" | "restore" | "remove" | "was")) {
            return Err(format!("unknown member `{k}`"));
        }
        let api_version = m.get("apiVersion").and_then(Value::as_str).ok_or("`apiVersion` (a string) is missing")?.to_string();
        let was = match m.get("was") {
            None => Map::new(),
            Some(Value::Object(w)) => w.clone(),
            Some(_) => return Err("`was` is not an object".into()),
        };
        let check = |p: &str| -> Result<(), String> {
            if p.starts_with('/') {
                Ok(())
            } else {
                Err(format!("`{p}` is not a JSON Pointer"))
            }
        };
        let mut ops = Vec::new();
        match m.get("restore") {
            None => {}
            Some(Value::Object(r)) => {
                for (p, v) in r {
                    check(p)?;
                    ops.push(Op { path: p.clone(), was: was.get(p).cloned(), value: Some(v.clone()) });
                }
            }
            Some(_) => return Err("`restore` is not an object".into()),
        }
        match m.get("remove") {
            None => {}
            Some(Value::Array(r)) => {
                for p in r {
                    let p = p.as_str().ok_or("`remove` holds a non-string")?;
                    check(p)?;
                    ops.push(Op { path: p.to_string(), was: was.get(p).cloned(), value: None });
                }
            }
            Some(_) => return Err("`remove` is not an array".into()),
        }
        Ok(Record { api_version, ops })
    }
}

/// The object without the annotation (and without `annotations`/`metadata` left empty by its
/// removal), and the annotation decoded when there was one.
pub fn take(obj: &Value) -> (Value, Option<Result<Record, String>>) {
    let Some(raw) = obj.pointer("/metadata/annotations").and_then(|a| a.get(LOSSLESS_ANNOTATION)) else {
        return (obj.clone(), None);
    };
    let record = match raw.as_str() {
        Some(s) => Record::decode(s),
        None => Err("the annotation value is not a string".into()),
    };
    let mut out = obj.clone();
    pointer::remove(&mut out, &annotation_path());
    if out.pointer("/metadata/annotations").and_then(Value::as_object).is_some_and(Map::is_empty) {
        pointer::remove(&mut out, "/metadata/annotations");
        if out.get("metadata").and_then(Value::as_object).is_some_and(Map::is_empty) {
            pointer::remove(&mut out, "/metadata");
        }
    }
    (out, Some(record))
}

/// Writes the annotation (creating `metadata` and `annotations` when needed).
pub fn attach(obj: &mut Value, record: &Record) {
    let Value::Object(root) = obj else { return };
    let meta = root.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    let Value::Object(meta) = meta else { return };
    let ann = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
    if !ann.is_object() {
        *ann = Value::Object(Map::new());
    }
    if let Value::Object(ann) = ann {
        ann.insert(LOSSLESS_ANNOTATION.into(), Value::String(record.encode()));
    }
}

/// Operations turning `from` into `to`, as deep as the two agree on shape.
pub fn diff(from: &Value, to: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    walk(from, to, "", &mut ops);
    ops
}

fn walk(from: &Value, to: &Value, path: &str, ops: &mut Vec<Op>) {
    if from == to {
        return;
    }
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = pointer::join(path, k);
                match b.get(k) {
                    Some(vb) => walk(va, vb, &p, ops),
                    None => ops.push(Op { path: p, was: Some(va.clone()), value: None }),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    ops.push(Op { path: pointer::join(path, k), was: None, value: Some(vb.clone()) });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                walk(va, vb, &format!("{path}/{i}"), ops);
            }
        }
        _ => ops.push(Op { path: path.to_string(), was: Some(from.clone()), value: Some(to.clone()) }),
    }
}

fn allowed(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/status") || path == "/metadata" || under("/metadata/annotations") || under("/metadata/labels")
}

/// Applies the operations whose field still holds what it held (`was`). Returns the notes of
/// what was restored and the issues (conflicts, refused pointers).
pub fn apply(obj: &mut Value, ops: &[Op]) -> (Vec<Note>, Vec<Issue>) {
    let mut notes = Vec::new();
    let mut issues = Vec::new();
    let ann = annotation_path();
    for op in ops {
        if !allowed(&op.path) {
            issues.push(Issue::new(Rule::InvalidLosslessAnnotation, &ann, format!("`{}` is outside status, labels and annotations: not restored", op.path)));
            continue;
        }
        let current = pointer::get(obj, &op.path).cloned();
        if current != op.was {
            let now = current.map_or("absent".to_string(), |v| v.to_string());
            issues.push(Issue::new(Rule::RestoreConflict, &op.path, format!("`{}` changed since the lossless conversion (now {now}); the kept value was not restored", op.path)));
            continue;
        }
        let done = match &op.value {
            Some(v) => pointer::set(obj, &op.path, v.clone()),
            None => pointer::remove(obj, &op.path).is_some(),
        };
        if !done {
            issues.push(Issue::new(Rule::RestoreConflict, &op.path, format!("`{}` has no parent object any more; the kept value was not restored", op.path)));
            continue;
        }
        let mut note = Note::new(ChangeKind::Restored, &op.path, format!("restored from the {LOSSLESS_ANNOTATION} annotation"));
        note.from = op.was.clone();
        note.to = op.value.clone();
        notes.push(note);
    }
    (notes, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_apply_round_trip() {
        let from = json!({"status": {"a": 1, "b": [1, {"c": 2}], "gone": true}});
        let to = json!({"status": {"a": 2, "b": [1, {"c": 3, "d": null}], "new": "x"}});
        let ops = diff(&from, &to);
        let rec = Record { api_version: "v".into(), ops };
        let back = Record::decode(&rec.encode()).unwrap();
        let mut v = from.clone();
        let (notes, issues) = apply(&mut v, &back.ops);
        assert_eq!(v, to);
        assert!(issues.is_empty());
        assert_eq!(notes.len(), 5);
    }

    #[test]
    fn conflicts_and_forbidden_paths_are_reported() {
        let mut v = json!({"metadata": {"name": "a"}, "status": {"x": 1}});
        let ops = vec![
            Op { path: "/status/x".into(), was: Some(json!(2)), value: Some(json!(3)) },
            Op { path: "/metadata/name".into(), was: Some(json!("a")), value: Some(json!("b")) },
        ];
        let (notes, issues) = apply(&mut v, &ops);
        assert!(notes.is_empty());
        assert_eq!(issues.iter().map(|i| i.rule.code()).collect::<Vec<_>>(), ["SE409", "SE408"]);
        assert_eq!(v, json!({"metadata": {"name": "a"}, "status": {"x": 1}}));
    }

    #[test]
    fn take_removes_what_attach_created() {
        let orig = json!({"kind": "X"});
        let mut v = orig.clone();
        attach(&mut v, &Record { api_version: "v".into(), ops: vec![] });
        let (back, rec) = take(&v);
        assert_eq!(back, orig);
        assert_eq!(rec.unwrap().unwrap().api_version, "v");
        assert!(Record::decode("{\"apiVersion\":\"v\",\"extra\":1}").is_err());
        assert!(Record::decode("[]").is_err());
    }
}
