//! `convert --to v2beta1` needs each endpoint's Pod UID. Spiderpool 0.3 recorded it only in an
//! owner reference, which StatefulSet Pods' endpoints lack; when the input also holds the Pod (a
//! cluster export), its `metadata.uid` is the source, and the change report says so.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::text::LineIndex;
use crate::yaml::{Node, Stream};

use super::outcome::Note;
use super::ChangeKind;

/// The UIDs of the Pods of one input, by namespace and name, with where each was found.
#[derive(Default)]
pub struct PodUids(HashMap<(String, String), (String, String)>);

impl PodUids {
    /// Every `v1` `Pod` with a `metadata.uid` (documents and List items). The first of a name wins.
    pub fn collect(stream: &Stream, index: &LineIndex) -> PodUids {
        let mut pods = HashMap::new();
        for (di, doc) in stream.docs.iter().enumerate() {
            let Some(root) = &doc.root else { continue };
            for found in crate::list::objects(root) {
                let crate::list::Found::Object { node, .. } = found else { continue };
                if node.get("kind").and_then(Node::as_str) != Some("Pod") || node.get("apiVersion").and_then(Node::as_str) != Some("v1") {
                    continue;
                }
                let meta = node.get("metadata");
                let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str);
                let (Some(name), Some(uid)) = (field("name"), field("uid").filter(|u| !u.is_empty())) else { continue };
                let line = meta.and_then(|m| m.get("uid")).map_or(0, |n| index.position(n.span.start).line);
                let key = (field("namespace").unwrap_or("").to_string(), name.to_string());
                pods.entry(key).or_insert_with(|| (uid.to_string(), format!("document {}, line {line}", di + 1)));
            }
        }
        PodUids(pods)
    }

    /// Sets `status.current.uid` of a converted (v2beta1) object that has none from the Pod of the
    /// same namespace and name; the note says where it came from.
    pub fn fill_uid(&self, obj: &mut Value) -> Option<Note> {
        if self.0.is_empty() {
            return None;
        }
        let meta = obj.get("metadata");
        let text = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
        let key = (text("namespace").unwrap_or("").to_string(), text("name")?.to_string());
        let (uid, at) = self.0.get(&key)?;
        let cur: &mut Map<String, Value> = obj.get_mut("status")?.get_mut("current")?.as_object_mut()?;
        if cur.get("uid").is_some_and(Value::is_string) {
            return None;
        }
        let to = Value::String(uid.clone());
        cur.insert("uid".into(), to.clone());
        let pod = if key.0.is_empty() { key.1.clone() } else { format!("{}/{}", key.0, key.1) };
        Some(Note::new(ChangeKind::Invented, "/status/current/uid", format!("uid taken from Pod {pod} in the input ({at}, metadata.uid)")).to(&to))
    }
}
