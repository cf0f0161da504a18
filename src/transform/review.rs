//! A conversion webhook's answer: an `apiextensions.k8s.io/v1` ConversionReview request in, the
//! review with its `response` out, by the API server's rules — the request uid echoed, the
//! objects converted in order to `desiredAPIVersion`, only labels and annotations changed in
//! metadata, `result.status` `Success` or `Failed` with a message. Conversions are lossless (the
//! API server converts on every read and write, so nothing may be lost on the way).

use serde_json::{json, Map, Value};

use crate::release::{ApiVersion, Era};
use crate::rules::Severity;

use super::convert_object;

pub fn convert_review(review: &Value) -> Value {
    let api = review.get("apiVersion").and_then(Value::as_str).unwrap_or("apiextensions.k8s.io/v1");
    let request = review.get("request");
    let uid = request.and_then(|r| r.get("uid")).and_then(Value::as_str).unwrap_or("");
    let response = match answer(review, request) {
        Ok(objects) => json!({"uid": uid, "convertedObjects": objects, "result": {"status": "Success"}}),
        Err(message) => json!({"uid": uid, "result": {"status": "Failed", "message": message}}),
    };
    json!({"apiVersion": api, "kind": "ConversionReview", "response": response})
}

fn answer(review: &Value, request: Option<&Value>) -> Result<Vec<Value>, String> {
    if review.get("kind").and_then(Value::as_str) != Some("ConversionReview") {
        return Err("not a ConversionReview (kind must be ConversionReview)".into());
    }
    let request = request.and_then(Value::as_object).ok_or("the ConversionReview has no request")?;
    let desired = request.get("desiredAPIVersion").and_then(Value::as_str).ok_or("request.desiredAPIVersion is missing")?;
    let target = ApiVersion::parse(desired).ok_or_else(|| {
        format!("cannot convert to {desired}: SpiderEndpoint exists as {} and {}", ApiVersion::V1.full(), ApiVersion::V2beta1.full())
    })?;
    let objects = request.get("objects").and_then(Value::as_array).ok_or("request.objects is missing")?;
    objects.iter().enumerate().map(|(i, obj)| convert_one(i, obj, target)).collect()
}

fn convert_one(i: usize, obj: &Value, target: ApiVersion) -> Result<Value, String> {
    let who = describe(i, obj);
    if obj.get("kind").and_then(Value::as_str) != Some("SpiderEndpoint") {
        return Err(format!("{who} is not a SpiderEndpoint"));
    }
    let api = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let source = ApiVersion::parse(api).ok_or_else(|| format!("{who} has apiVersion `{api}`, which is not a SpiderEndpoint version"))?;
    if source == target {
        return Ok(obj.clone());
    }
    let out = convert_object(obj, source, target, Era::newest(target), true, &Default::default());
    let errors: Vec<String> = out
        .issues
        .iter()
        .filter(|x| x.rule.severity() == Severity::Error)
        .map(|x| format!("{} {}: {}", x.rule.code(), x.rule.info().rule, x.message))
        .collect();
    if !errors.is_empty() {
        return Err(format!("{who} cannot be converted to {}: {}", target.full(), errors.join("; ")));
    }
    if metadata_rest(obj) != metadata_rest(&out.value) {
        return Err(format!("{who}: the conversion would change metadata other than labels and annotations"));
    }
    Ok(out.value)
}

/// Metadata without labels and annotations (what a conversion must not change).
fn metadata_rest(obj: &Value) -> Map<String, Value> {
    let mut m = obj.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
    m.remove("labels");
    m.remove("annotations");
    m
}

fn describe(i: usize, obj: &Value) -> String {
    let s = |k: &str| obj.get("metadata").and_then(|m| m.get(k)).and_then(Value::as_str);
    match (s("namespace"), s("name")) {
        (Some(ns), Some(n)) => format!("object {i} ({ns}/{n})"),
        (None, Some(n)) => format!("object {i} ({n})"),
        _ => format!("object {i}"),
    }
}
