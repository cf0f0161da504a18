//! The v1 <-> v2beta1 mapping of docs/api.md (Spiderpool has no conversion of its own), on JSON values. The plain conversions
//! never fail: they do what the mapping says and report it; [`check`] then refuses a result that
//! is not a valid object of the target version (run after a lossless restore, which can supply
//! what the mapping could not).

use serde_json::{Map, Value};

use crate::release::{ApiVersion, Era};
use crate::rules::Rule;
use crate::schema;

use super::outcome::{Issue, Note};
use super::sha256;
use super::ChangeKind::{Changed, Defaulted, Dropped, Invented};

/// The direct-owner kinds a v1 (Spiderpool <= 0.3) agent recorded.
const V1_OWNER_TYPES: &[&str] = &["None", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Unknown"];

/// Converts without looking at the lossless annotation.
pub fn plain(obj: &Value, target: ApiVersion) -> (Value, Vec<Note>) {
    match target {
        ApiVersion::V2beta1 => to_v2beta1(obj),
        ApiVersion::V1 => to_v1(obj),
    }
}

fn set_api_version(out: &mut Value, target: ApiVersion, notes: &mut Vec<Note>) {
    if let Value::Object(m) = out {
        let to = Value::String(target.full().into());
        let from = m.insert("apiVersion".into(), to.clone()).unwrap_or(Value::Null);
        notes.push(Note::new(Changed, "/apiVersion", format!("apiVersion is now {}", target.full())).from(&from).to(&to));
    }
}

fn to_v2beta1(obj: &Value) -> (Value, Vec<Note>) {
    let mut notes = Vec::new();
    let mut out = obj.clone();
    set_api_version(&mut out, ApiVersion::V2beta1, &mut notes);
    let meta = obj.get("metadata");
    let Some(Value::Object(status)) = out.get_mut("status") else { return (out, notes) };
    if let Some(Value::Object(cur)) = status.get_mut("current") {
        current_to_v2beta1(cur, meta, &mut notes);
    }
    if let Some(history) = status.remove("history") {
        let n = history.as_array().map_or(0, Vec::len);
        notes.push(
            Note::new(Dropped, "/status/history", format!("history ({n} earlier allocation{}) does not exist in v2beta1", plural(n)))
                .from(&history),
        );
    }
    if status.get("ownerControllerType").and_then(Value::as_str) == Some("None") {
        let to = Value::String("Pod".into());
        status.insert("ownerControllerType".into(), to.clone());
        notes.push(
            Note::new(Changed, "/status/ownerControllerType", "`None` (no controller) is called `Pod` since Spiderpool 0.4")
                .from(&Value::String("None".into()))
                .to(&to),
        );
    }
    let name = status.get("ownerControllerName");
    if matches!(name, None | Some(Value::Null)) || name.and_then(Value::as_str) == Some("") {
        let owner_type = status.get("ownerControllerType").and_then(Value::as_str).unwrap_or("");
        if let Some((value, source)) = owner_name(owner_type, meta) {
            let to = Value::String(value);
            let old = status.insert("ownerControllerName".into(), to.clone());
            let mut note = Note::new(Invented, "/status/ownerControllerName", format!("ownerControllerName (required in v2beta1) taken from {source}")).to(&to);
            if let Some(old) = old {
                note = note.from(&old);
            }
            notes.push(note);
        }
    }
    (out, notes)
}

fn current_to_v2beta1(cur: &mut Map<String, Value>, meta: Option<&Value>, notes: &mut Vec<Note>) {
    for (key, why) in [
        ("containerID", "the container ID is not recorded in v2beta1 (the Pod UID is)"),
        ("creationTime", "the allocation time is not recorded in v2beta1"),
    ] {
        if let Some(v) = cur.remove(key) {
            notes.push(Note::new(Dropped, format!("/status/current/{key}"), why).from(&v));
        }
    }
    if !cur.contains_key("uid") {
        if let Some((uid, pod)) = pod_owner(meta) {
            let to = Value::String(uid);
            cur.insert("uid".into(), to.clone());
            notes.push(
                Note::new(Invented, "/status/current/uid", format!("uid taken from the Pod owner reference (metadata.ownerReferences, Pod `{pod}`)")).to(&to),
            );
        }
    }
    if matches!(cur.get("ips"), None | Some(Value::Null)) {
        let to = Value::Array(Vec::new());
        let old = cur.insert("ips".into(), to.clone());
        let mut note = Note::new(Defaulted, "/status/current/ips", "ips is required in v2beta1: an empty list (no allocation)").to(&to);
        if let Some(old) = old {
            note = note.from(&old);
        }
        notes.push(note);
    }
    if let Some(Value::Array(ips)) = cur.get_mut("ips") {
        for (i, nic) in ips.iter_mut().enumerate() {
            let Value::Object(nic) = nic else { continue };
            for key in ["ipv4Gateway", "ipv6Gateway"] {
                if nic.get(key).and_then(Value::as_str) == Some("") {
                    let v = nic.remove(key).unwrap_or(Value::Null);
                    notes.push(
                        Note::new(Dropped, format!("/status/current/ips/{i}/{key}"), "an empty gateway means none: Spiderpool omits the field").from(&v),
                    );
                }
            }
        }
    }
}

/// `(uid, name)` of the first owner reference of kind Pod.
fn pod_owner(meta: Option<&Value>) -> Option<(String, String)> {
    let refs = meta?.get("ownerReferences")?.as_array()?;
    refs.iter().find_map(|r| {
        if r.get("kind")?.as_str()? != "Pod" {
            return None;
        }
        let uid = r.get("uid")?.as_str().filter(|u| !u.is_empty())?;
        Some((uid.to_string(), r.get("name").and_then(Value::as_str).unwrap_or("").to_string()))
    })
}

/// The owner controller's name for a v1 object that did not record it, and where it came from.
fn owner_name(owner_type: &str, meta: Option<&Value>) -> Option<(String, String)> {
    let controller = meta
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .and_then(|refs| {
            refs.iter().find(|r| {
                r.get("controller").and_then(Value::as_bool) == Some(true) && r.get("kind").and_then(Value::as_str) == Some(owner_type)
            })
        })
        .and_then(|r| r.get("name")?.as_str().filter(|n| !n.is_empty()));
    if let Some(n) = controller {
        return Some((n.to_string(), format!("the controller owner reference of kind {owner_type}")));
    }
    let name = meta?.get("name")?.as_str().filter(|n| !n.is_empty())?;
    match owner_type {
        "Pod" => Some((name.into(), "metadata.name (a Pod without controller is its own owner)".into())),
        "StatefulSet" => match name.rsplit_once('-') {
            Some((set, ordinal)) if !set.is_empty() && !ordinal.is_empty() && ordinal.bytes().all(|b| b.is_ascii_digit()) => {
                Some((set.into(), "metadata.name without its StatefulSet ordinal (a StatefulSet Pod is named <set>-<ordinal>)".into()))
            }
            _ => Some((name.into(), "metadata.name (not of the form <set>-<ordinal>; the StatefulSet name is not recorded in v1)".into())),
        },
        t => Some((name.into(), format!("metadata.name: the Pod name, since v1 did not record the {} name", if t.is_empty() { "controller" } else { t }))),
    }
}

fn to_v1(obj: &Value) -> (Value, Vec<Note>) {
    let mut notes = Vec::new();
    let mut out = obj.clone();
    set_api_version(&mut out, ApiVersion::V1, &mut notes);
    let meta = obj.get("metadata");
    let Some(Value::Object(status)) = out.get_mut("status") else { return (out, notes) };
    if let Some(Value::Object(cur)) = status.get_mut("current") {
        let uid = cur.remove("uid");
        if let Some(uid) = &uid {
            notes.push(Note::new(Dropped, "/status/current/uid", "v1 does not record the Pod UID").from(uid));
        }
        if !cur.contains_key("containerID") {
            let (id, source) = container_id(uid.as_ref(), meta);
            let to = Value::String(id);
            cur.insert("containerID".into(), to.clone());
            notes.push(Note::new(Invented, "/status/current/containerID", format!("containerID (required in v1) synthesized: {source}")).to(&to));
        }
        if let Some(Value::Array(ips)) = cur.get_mut("ips") {
            for (i, nic) in ips.iter_mut().enumerate() {
                if let Some(mac) = nic.as_object_mut().and_then(|n| n.remove("mac")) {
                    notes.push(Note::new(Dropped, format!("/status/current/ips/{i}/mac"), "v1 has no mac field").from(&mac));
                }
            }
        }
    }
    if status.get("ownerControllerType").and_then(Value::as_str) == Some("Pod") {
        let to = Value::String("None".into());
        status.insert("ownerControllerType".into(), to.clone());
        notes.push(
            Note::new(Changed, "/status/ownerControllerType", "`Pod` (no controller) was called `None` before Spiderpool 0.4")
                .from(&Value::String("Pod".into()))
                .to(&to),
        );
    }
    (out, notes)
}

/// The synthesized v1 containerID: the SHA-256 (hex, 64 characters like a runtime sandbox ID) of
/// the uid, or of `namespace/name` when there is no uid. Deterministic, so conversions repeat.
pub fn container_id(uid: Option<&Value>, meta: Option<&Value>) -> (String, String) {
    if let Some(uid) = uid.and_then(Value::as_str) {
        return (sha256::hex(uid.as_bytes()), format!("SHA-256 of the uid `{uid}`"));
    }
    let s = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str).unwrap_or("");
    let key = format!("{}/{}", s("namespace"), s("name"));
    (sha256::hex(key.as_bytes()), format!("SHA-256 of `{key}` (there is no uid)"))
}

/// Refusals (and warnings) for an object that should now be of version `target` in `era`.
pub fn check(obj: &Value, target: ApiVersion, era: Era) -> Vec<Issue> {
    let mut out = Vec::new();
    let status = obj.get("status").and_then(Value::as_object);
    if target == ApiVersion::V2beta1 {
        let Some(status) = status else {
            out.push(Issue::new(Rule::NoCurrent, "/status", "there is no status.current (no allocation); v2beta1 requires it, so there is nothing to convert"));
            return out;
        };
        let Some(cur) = status.get("current").and_then(Value::as_object) else {
            out.push(Issue::new(Rule::NoCurrent, "/status/current", "status.current is missing (the v1 object records no current allocation); v2beta1 requires it, so there is nothing to convert"));
            return out;
        };
        if !cur.get("uid").is_some_and(Value::is_string) {
            out.push(Issue::new(Rule::NoUidSource, "/status/current/uid", format!(
                "no Pod UID for status.current.uid (required in v2beta1): metadata.ownerReferences has no entry of kind Pod (Spiderpool 0.3 left it out for StatefulSet Pods). \
                 Convert it together with its Pod (`kubectl get pod,se -n NS -o yaml`), or look the UID up with `kubectl get pod NAME -o jsonpath='{{.metadata.uid}}'` and give it in the annotation {}: {{\"apiVersion\":\"{}\",\"restore\":{{\"/status/current/uid\":\"<pod uid>\"}}}}",
                super::LOSSLESS_ANNOTATION,
                ApiVersion::V2beta1.full()
            )));
        }
        if matches!(cur.get("node"), None | Some(Value::Null)) {
            out.push(Issue::new(Rule::MissingNode, "/status/current/node", "status.current.node is missing; v2beta1 requires the node name and it cannot be derived"));
        }
        if matches!(status.get("ownerControllerType"), None | Some(Value::Null)) {
            out.push(Issue::new(Rule::MissingOwnerType, "/status/ownerControllerType", "status.ownerControllerType is missing; v2beta1 requires it and it cannot be derived"));
        }
        if matches!(status.get("ownerControllerName"), None | Some(Value::Null)) {
            out.push(Issue::new(Rule::NoOwnerNameSource, "/status/ownerControllerName", "status.ownerControllerName is missing and there is no metadata.name to take it from"));
        }
    } else if let Some(t) = status.and_then(|s| s.get("ownerControllerType")).and_then(Value::as_str) {
        if !V1_OWNER_TYPES.contains(&t) {
            out.push(Issue::new(Rule::OwnerTypeNotInV1, "/status/ownerControllerType", format!(
                "ownerControllerType `{t}` was never written by a v1 agent (it recorded the direct owner: None, StatefulSet, DaemonSet, ReplicaSet, Job or Unknown); kept as is"
            )));
        }
    }
    vlan_range(obj, era, &mut out);
    out
}

fn vlan_range(obj: &Value, era: Era, out: &mut Vec<Issue>) {
    let Some(s) = schema::for_era(era).at(&["status", "current", "ips", "[]", "vlan"]) else { return };
    let ips = obj.pointer("/status/current/ips").and_then(Value::as_array);
    for (i, nic) in ips.into_iter().flatten().enumerate() {
        let Some(vlan) = nic.get("vlan").and_then(Value::as_i64) else { continue };
        let (min, max) = (s.minimum.unwrap_or(i64::MIN), s.maximum.unwrap_or(i64::MAX));
        if vlan < min || vlan > max {
            let hint = if era.api_version() == ApiVersion::V2beta1 && vlan == 4095 {
                "; Spiderpool 0.4.0–0.6.0 allowed 4095: convert for one of those releases (spiderpoolVersion 0.6.0) to keep it"
            } else {
                ""
            };
            out.push(Issue::new(
                Rule::VlanOutOfRangeForTarget,
                format!("/status/current/ips/{i}/vlan"),
                format!("vlan {vlan} is outside {min}..{max}, the range of {} in {}{hint}", era.api_version().full(), era.releases()),
            ));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
