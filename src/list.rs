//! The objects of a document, the one way `check` and `transform` find them: Kubernetes List
//! documents (`v1` `List`, `SpiderEndpointList`) and the objects they carry (kubectl flattens nested
//! Lists and applies every item, so nested Lists are walked too), and which of them are
//! SpiderEndpoints.

use crate::release::{ApiVersion, GROUP};
use crate::yaml::{Node, Value};

/// The kind this crate checks and transforms.
pub const ENDPOINT_KIND: &str = "SpiderEndpoint";

/// The apiVersion of a SpiderEndpoint as written (`None` for any other object, or one whose
/// apiVersion is not served). `check` diagnoses near misses (a kind typo, a missing apiVersion)
/// on top of this; `transform` touches only what this accepts.
pub fn endpoint_version(node: &Node) -> Option<ApiVersion> {
    if node.get("kind").and_then(Node::as_str) != Some(ENDPOINT_KIND) {
        return None;
    }
    node.get("apiVersion").and_then(Node::as_str).and_then(ApiVersion::parse)
}

/// Whether a mapping is a List whose `items` kubectl applies one by one.
pub fn is_list(node: &Node) -> bool {
    let kind = node.get("kind").and_then(Node::as_str);
    let api = node.get("apiVersion").and_then(Node::as_str);
    (kind == Some("List") && api.is_some_and(|a| a == "v1" || !a.contains('/')))
        || (kind == Some("SpiderEndpointList") && api.is_some_and(|a| a.starts_with(GROUP)))
}

/// What a document holds, in text order.
pub enum Found<'n, 'a> {
    /// An object: the document root, or an item of a (possibly nested) List. `item` counts the
    /// items of the document's Lists in text order; `base` is the JSON Pointer of the object.
    Object { item: Option<usize>, base: String, node: &'n Node<'a> },
    /// A List (at `base`) without an `items` array.
    BadList { base: String, node: &'n Node<'a> },
}

/// The objects of a document: the root itself when it is not a List, else the items of the List
/// and of every List nested in it (the Lists themselves are not objects). Iterative: nesting is
/// bounded by the depth budget only.
pub fn objects<'n, 'a>(root: &'n Node<'a>) -> Vec<Found<'n, 'a>> {
    if !is_list(root) {
        return vec![Found::Object { item: None, base: String::new(), node: root }];
    }
    let mut out = Vec::new();
    let mut ordinal = 0;
    // Lists being walked: (pointer of the list, its items, next item).
    let mut stack: Vec<(String, &'n [Node<'a>], usize)> = Vec::new();
    let open = |base: String, list: &'n Node<'a>, out: &mut Vec<Found<'n, 'a>>, stack: &mut Vec<(String, &'n [Node<'a>], usize)>| match list.entry("items") {
        Some(e) if e.value.as_seq().is_some() => stack.push((base, e.value.as_seq().unwrap_or_default(), 0)),
        Some(e) if e.value.value == Value::Null => {} // `items: null`: an empty list
        _ => out.push(Found::BadList { base, node: list }),
    };
    open(String::new(), root, &mut out, &mut stack);
    while let Some((base, items, next)) = stack.last_mut() {
        let Some(node) = items.get(*next) else {
            stack.pop();
            continue;
        };
        let at = format!("{base}/items/{next}");
        *next += 1;
        if node.as_map().is_some() && is_list(node) {
            open(at, node, &mut out, &mut stack);
        } else {
            out.push(Found::Object { item: Some(ordinal), base: at, node });
            ordinal += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Budget};

    #[test]
    fn nested_lists_are_flattened_in_text_order() {
        let src = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: [{kind: A}, {apiVersion: v1, kind: List, items: [{kind: B}]}, {apiVersion: v1, kind: List}]}\n- {kind: C}\n- {apiVersion: v1, kind: List, items: null}\n";
        let s = parse(src, Budget::default());
        let found: Vec<String> = objects(s.docs[0].root.as_ref().unwrap())
            .iter()
            .map(|f| match f {
                Found::Object { item, base, node } => format!("{item:?} {base} {}", node.get("kind").and_then(Node::as_str).unwrap()),
                Found::BadList { base, .. } => format!("bad {base}"),
            })
            .collect();
        assert_eq!(found, ["Some(0) /items/0/items/0 A", "Some(1) /items/0/items/1/items/0 B", "bad /items/0/items/2", "Some(2) /items/1 C"]);
    }
}
