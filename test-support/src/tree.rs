//! The tree the emitter writes: JSON values with their key order kept, plus what only YAML has
//! (anchors, aliases, merge keys, literal block scalars) and scalars already spelled (`Raw`).

use serde_json::{Number, Value};

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Num(Number),
    /// A string, quoted or not as the emitter chooses.
    Str(String),
    /// A scalar as written (`yes`, `'q'`, `"\u00e9"`, `[]`; empty: nothing after the indicator).
    Raw(String),
    /// A literal block scalar's lines (`|-` in block context, a JSON string in flow).
    Literal(Vec<String>),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
    /// `&aN` on a node.
    Anchor(usize, Box<Node>),
    /// `*aN`
    Alias(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// A key quoted or not as the emitter chooses.
    Str(String),
    /// A key as written.
    Raw(String),
    /// `<<`
    Merge,
    /// An alias used as a key (`*aN : v`).
    Alias(usize),
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    pub fn int(i: i64) -> Node {
        Node::Num(i.into())
    }

    /// A map of string keys, in the given order.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(entries.into_iter().map(|(k, v)| (Key::Str(k.into()), v)).collect())
    }

    /// The tree of a JSON value (keys in the value's order).
    pub fn from_json(v: &Value) -> Node {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Num(n.clone()),
            Value::String(s) => Node::Str(s.clone()),
            Value::Array(a) => Node::Seq(a.iter().map(Node::from_json).collect()),
            Value::Object(m) => Node::Map(m.iter().map(|(k, v)| (Key::Str(k.clone()), Node::from_json(v))).collect()),
        }
    }

    /// The JSON value of a tree without YAML-only parts (raw scalars are taken as strings).
    pub fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Num(n) => Value::Number(n.clone()),
            Node::Str(s) | Node::Raw(s) => Value::String(s.clone()),
            Node::Literal(lines) => Value::String(lines.join("\n")),
            Node::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| match k {
                        Key::Str(k) | Key::Raw(k) => (k.clone(), v.to_json()),
                        Key::Merge | Key::Alias(_) => panic!("to_json of a YAML-only key"),
                    })
                    .collect(),
            ),
            Node::Anchor(_, inner) => inner.to_json(),
            Node::Alias(_) => panic!("to_json of an alias"),
        }
    }

    pub fn is_collection(&self) -> bool {
        matches!(self, Node::Seq(_) | Node::Map(_))
    }

    /// Items of a sequence or entries of a map (0 for anything else).
    pub fn size(&self) -> usize {
        match self {
            Node::Seq(v) => v.len(),
            Node::Map(v) => v.len(),
            _ => 0,
        }
    }

    pub fn is_empty_collection(&self) -> bool {
        self.is_collection() && self.size() == 0
    }

    /// The paths (indices into maps and sequences) of every node, root first.
    pub fn paths(&self) -> Vec<Vec<usize>> {
        fn walk(n: &Node, base: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            out.push(base.clone());
            let children: Box<dyn Iterator<Item = &Node>> = match n {
                Node::Map(entries) => Box::new(entries.iter().map(|(_, v)| v)),
                Node::Seq(items) => Box::new(items.iter()),
                _ => return,
            };
            for (i, c) in children.enumerate() {
                base.push(i);
                walk(c, base, out);
                base.pop();
            }
        }
        let mut out = Vec::new();
        walk(self, &mut Vec::new(), &mut out);
        out
    }

    /// The node at `path` (see [`Node::paths`]).
    pub fn at_mut(&mut self, path: &[usize]) -> &mut Node {
        let Some((&i, rest)) = path.split_first() else { return self };
        match self {
            Node::Map(entries) => entries[i].1.at_mut(rest),
            Node::Seq(items) => items[i].at_mut(rest),
            _ => self,
        }
    }
}
