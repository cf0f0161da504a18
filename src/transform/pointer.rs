//! JSON Pointers (RFC 6901) over `serde_json::Value`, and from a pointer back to a source span.

use serde_json::Value;

use crate::yaml::{escape_pointer, join_pointer, Node, Span, Value as Y};

/// Splits a pointer into unescaped reference tokens (`""` is the whole document).
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// Joins a parent pointer and one unescaped token.
pub fn join(parent: &str, token: &str) -> String {
    join_pointer(parent, &[&escape_pointer(token)])
}

pub fn get<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    tokens(pointer).iter().try_fold(root, |v, t| child(v, t))
}

fn child<'v>(v: &'v Value, token: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(token),
        Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

fn child_mut<'v>(v: &'v mut Value, token: &str) -> Option<&'v mut Value> {
    match v {
        Value::Object(m) => m.get_mut(token),
        Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    }
}

/// Sets the value at `pointer`; the parent must exist (an object, or an array with that index).
/// Returns false when it does not.
pub fn set(root: &mut Value, pointer: &str, value: Value) -> bool {
    let toks = tokens(pointer);
    let Some((last, parents)) = toks.split_last() else {
        *root = value;
        return true;
    };
    let Some(parent) = parents.iter().try_fold(root, |v, t| child_mut(v, t)) else { return false };
    match parent {
        Value::Object(m) => {
            m.insert(last.clone(), value);
            true
        }
        Value::Array(a) => match last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Removes the member at `pointer` from its object (array elements are not removed: that would
/// shift the others). Returns the removed value.
pub fn remove(root: &mut Value, pointer: &str) -> Option<Value> {
    let toks = tokens(pointer);
    let (last, parents) = toks.split_last()?;
    let parent = parents.iter().try_fold(root, |v, t| child_mut(v, t))?;
    match parent {
        Value::Object(m) => m.remove(last),
        _ => None,
    }
}

/// The source span a pointer designates: the key of the deepest existing member (so a message
/// about `/status/current/uid` points at `current:` when `uid` is missing), or the node itself.
pub fn span_of(root: &Node, pointer: &str) -> Span {
    let mut node = root;
    let mut span = first_key_span(root);
    for t in tokens(pointer) {
        let next = match &node.value {
            Y::Map(entries) => entries.iter().find(|e| e.key == t.as_str()).map(|e| (e.key_span, &e.value)),
            Y::Seq(items) => t.parse::<usize>().ok().and_then(|i| items.get(i)).map(|n| (n.span, n)),
            _ => None,
        };
        match next {
            Some((s, n)) => {
                span = s;
                node = n;
            }
            None => break,
        }
    }
    span
}

fn first_key_span(node: &Node) -> Span {
    match &node.value {
        Y::Map(entries) if !entries.is_empty() => entries[0].key_span,
        _ => Span::new(node.span.start, node.span.start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_set_remove() {
        let mut v = json!({"a": {"b/c": [1, {"d": 2}]}});
        assert_eq!(get(&v, "/a/b~1c/1/d"), Some(&json!(2)));
        assert!(set(&mut v, "/a/b~1c/1/e", json!("x")));
        assert!(!set(&mut v, "/a/missing/e", json!("x")));
        assert_eq!(remove(&mut v, "/a/b~1c/1/d"), Some(json!(2)));
        assert_eq!(v, json!({"a": {"b/c": [1, {"e": "x"}]}}));
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(join("/a", "x~y/z"), "/a/x~0y~1z");
    }
}
