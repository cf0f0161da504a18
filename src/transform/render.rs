//! Text for new or replaced values, in the style of the document around them: block YAML with the
//! document's indentation, YAML flow, or JSON (compact or pretty). Maps keep the key order of the
//! source node they replace ("guide"); new keys go where the SpiderEndpoint types put them.

use serde_json::{Map, Value};

use crate::yaml::{Node, Value as Y};

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// The document is JSON: keys and strings are always double-quoted.
    pub json: bool,
    /// Columns a nested block mapping is indented by.
    pub map_step: usize,
    /// Columns a block sequence's `-` is indented by under its key (0: kubectl style).
    pub seq_indent: usize,
    /// Columns a pretty-printed flow collection indents its members by.
    pub flow_step: usize,
    /// The root is a flow collection written over several lines (pretty-printed JSON).
    pub pretty: bool,
    pub nl: &'static str,
}

impl Default for Style {
    fn default() -> Self {
        Style { json: false, map_step: 2, seq_indent: 0, flow_step: 2, pretty: false, nl: "\n" }
    }
}

/// Layout of a flow collection: `None` = one line, `Some(indent)` = members on their own lines
/// at `indent + flow_step`, the closing bracket at `indent`.
pub type Layout = Option<usize>;

/// The field order of the Go types (ObjectMeta, status, PodIPAllocation, IPAllocationDetail,
/// Route), merged into one list whose relative order is right inside every object.
const RANK: &[&str] = &[
    "apiVersion", "kind", "metadata", "status", "items", "current", "history", "ownerControllerType",
    "ownerControllerName", "name", "generateName", "namespace", "selfLink", "containerID", "uid", "node", "ips",
    "creationTime", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
    "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    "interface", "ipv4", "ipv6", "ipv4Pool", "ipv6Pool", "vlan", "ipv4Gateway", "ipv6Gateway", "cleanGateway",
    "routes", "mac", "dst", "gw", "controller", "blockOwnerDeletion",
];

fn rank(key: &str) -> usize {
    RANK.iter().position(|k| *k == key).unwrap_or(usize::MAX)
}

/// True when the keys are in alphabetical order (as kubectl writes them).
fn alphabetical(keys: &[String]) -> bool {
    keys.len() >= 2 && keys.windows(2).all(|w| w[0] <= w[1])
}

/// Where `key` goes among `existing` (in order): alphabetically, or by the Go field order
/// (unknown keys last).
pub fn insert_position(existing: &[String], key: &str, alphabetically: bool) -> usize {
    if alphabetically {
        return existing.iter().position(|k| k.as_str() > key).unwrap_or(existing.len());
    }
    let r = rank(key);
    if r == usize::MAX {
        return existing.len();
    }
    existing.iter().position(|k| rank(k) > r).unwrap_or(existing.len())
}

/// The final key order of `target`: the keys of `source` that remain, in their order, with the
/// new keys inserted alphabetically when the source keys are sorted, else by the Go field order.
pub fn key_order(source: &[String], target: &Map<String, Value>) -> Vec<String> {
    let mut order: Vec<String> = source.iter().filter(|k| target.contains_key(k.as_str())).cloned().collect();
    let sorted = alphabetical(&order);
    let known: std::collections::HashSet<&str> = source.iter().map(String::as_str).collect();
    let mut new: Vec<&String> = target.keys().filter(|k| !known.contains(k.as_str())).collect();
    new.sort_by_key(|k| (rank(k), k.as_str()));
    if order.is_empty() {
        // nothing to keep (no guide): the sorted keys, without a quadratic insertion
        return new.into_iter().cloned().collect();
    }
    for k in new {
        let at = insert_position(&order, k, sorted);
        order.insert(at, k.clone());
    }
    order
}

fn guide_keys(guide: Option<&Node>) -> Vec<String> {
    match guide.map(|g| &g.value) {
        Some(Y::Map(entries)) => entries.iter().map(|e| e.key.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The guide's children by key, indexed once per mapping (a lookup per key would be quadratic in
/// the keys of one mapping). The first of duplicate keys wins, as `Node::get` does.
fn guide_children<'n, 'a>(guide: Option<&'n Node<'a>>) -> std::collections::HashMap<&'n str, &'n Node<'a>> {
    let mut out = std::collections::HashMap::new();
    if let Some(Y::Map(entries)) = guide.map(|g| &g.value) {
        for e in entries {
            out.entry(e.key.as_ref()).or_insert(&e.value);
        }
    }
    out
}

fn guide_item<'n, 'a>(guide: Option<&'n Node<'a>>, i: usize) -> Option<&'n Node<'a>> {
    guide.and_then(|g| g.as_seq()).and_then(|s| s.get(i))
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

pub struct Renderer {
    pub style: Style,
}

impl Renderer {
    /// A scalar, an empty collection, or (in flow) any value on one line.
    pub fn inline(&self, v: &Value, flow: bool) -> String {
        match v {
            Value::Object(_) | Value::Array(_) => self.flow(v, None, None),
            _ => self.scalar(v, flow, None),
        }
    }

    /// A scalar; `like` is the source text it replaces (its quoting style is kept).
    pub fn scalar(&self, v: &Value, flow: bool, like: Option<&str>) -> String {
        match v {
            Value::String(s) if self.style.json => json_string(s),
            Value::String(s) => match like.and_then(|t| t.chars().next()) {
                Some('\'') if !needs_escape(s) => format!("'{}'", s.replace('\'', "''")),
                Some('"') => double_quoted(s),
                _ => yaml_string(s, flow),
            },
            other => other.to_string(),
        }
    }

    pub fn key(&self, k: &str, flow: bool) -> String {
        if self.style.json {
            json_string(k)
        } else {
            yaml_string(k, flow)
        }
    }

    /// The text after a block mapping key (including the `:`): `": value"` or a nested block.
    pub fn after_key(&self, v: &Value, key_col: usize, guide: Option<&Node>) -> String {
        let nl = self.style.nl;
        match v {
            Value::Object(m) if !m.is_empty() => {
                let col = key_col + self.style.map_step;
                format!(":{nl}{}{}", spaces(col), self.block(v, col, guide))
            }
            Value::Array(a) if !a.is_empty() => {
                let col = key_col + self.style.seq_indent;
                format!(":{nl}{}{}", spaces(col), self.block(v, col, guide))
            }
            _ => format!(": {}", self.inline(v, false)),
        }
    }

    /// A value in block style whose first line starts at column `col` (already positioned);
    /// the following lines are indented to `col`.
    pub fn block(&self, v: &Value, col: usize, guide: Option<&Node>) -> String {
        let nl = self.style.nl;
        match v {
            Value::Object(m) if !m.is_empty() => {
                let order = key_order(&guide_keys(guide), m);
                let children = guide_children(guide);
                let lines: Vec<String> = order
                    .iter()
                    .map(|k| format!("{}{}", self.key(k, false), self.after_key(&m[k.as_str()], col, children.get(k.as_str()).copied())))
                    .collect();
                lines.join(&format!("{nl}{}", spaces(col)))
            }
            Value::Array(a) if !a.is_empty() => {
                let lines: Vec<String> =
                    a.iter().enumerate().map(|(i, item)| format!("- {}", self.block(item, col + 2, guide_item(guide, i)))).collect();
                lines.join(&format!("{nl}{}", spaces(col)))
            }
            _ => self.inline(v, false),
        }
    }

    /// A value in flow style (JSON when the document is JSON).
    pub fn flow(&self, v: &Value, layout: Layout, guide: Option<&Node>) -> String {
        let nl = self.style.nl;
        let (open, close, parts): (&str, &str, Vec<String>) = match v {
            Value::Object(m) => {
                let order = key_order(&guide_keys(guide), m);
                let children = guide_children(guide);
                let inner = layout.map(|i| i + self.style.flow_step);
                let parts = order
                    .iter()
                    .map(|k| format!("{}: {}", self.key(k, true), self.flow(&m[k.as_str()], inner, children.get(k.as_str()).copied())))
                    .collect();
                ("{", "}", parts)
            }
            Value::Array(a) => {
                let inner = layout.map(|i| i + self.style.flow_step);
                let parts = a.iter().enumerate().map(|(i, x)| self.flow(x, inner, guide_item(guide, i))).collect();
                ("[", "]", parts)
            }
            _ => return self.scalar(v, true, None),
        };
        if parts.is_empty() {
            return format!("{open}{close}");
        }
        match layout {
            None => format!("{open}{}{close}", parts.join(", ")),
            Some(indent) => {
                let inner = spaces(indent + self.style.flow_step);
                format!("{open}{nl}{inner}{}{nl}{}{close}", parts.join(&format!(",{nl}{inner}")), spaces(indent))
            }
        }
    }
}

pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| double_quoted(s))
}

/// Characters that only a double-quoted scalar can carry (as escapes).
fn needs_escape(s: &str) -> bool {
    s.chars().any(|c| {
        (c as u32) < 0x20 || matches!(c, '\u{7f}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}')
    })
}

/// A YAML double-quoted scalar (also valid JSON).
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c.encode_utf8(&mut [0; 4])) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string as a plain scalar when that reads back as the same string in YAML 1.2 and 1.1
/// (kubectl), else double-quoted.
pub fn yaml_string(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_string()
    } else if !needs_escape(s) && s.contains(['"', '\\']) {
        // JSON text and the like read better single-quoted (nothing to escape but `'`).
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quoted(s)
    }
}

fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.starts_with([' ', '\t']) || s.ends_with([' ', '\t', ':']) || needs_escape(s) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`=<~".contains(first) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    if flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    !looks_typed(s)
}

/// True when a plain scalar with this text would not be read as a string by YAML 1.2 or 1.1.
fn looks_typed(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n") {
        return true;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(c) = unsigned.chars().next() else { return false };
    if !(c.is_ascii_digit() || c == '.') {
        return false;
    }
    if unsigned.replace('_', "").parse::<f64>().is_ok() {
        return true;
    }
    let l = unsigned.to_ascii_lowercase();
    let digits = |prefix: &str, ok: fn(char) -> bool| l.strip_prefix(prefix).is_some_and(|d| !d.is_empty() && d.chars().all(|c| c == '_' || ok(c)));
    if digits("0x", |c| c.is_ascii_hexdigit()) || digits("0o", |c| c.is_digit(8)) || digits("0b", |c| c == '0' || c == '1') || l == ".inf" || l == ".nan" {
        return true;
    }
    // YAML 1.1 sexagesimal numbers (1:20) and timestamps (2022-07-29...).
    if s.contains(':') && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '_' | '+' | '-')) {
        return true;
    }
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_or_quoted() {
        assert_eq!(yaml_string("{\"a\":\"it's\"}", false), "'{\"a\":\"it''s\"}'");
        for s in ["0b7e7c3a-1f2d", "0x1g", "eth0", "172.18.40.47/16", "fd00:10:244::10/64", "10.6.0.1", "a b", "pod-uid-123", "StatefulSet"] {
            assert_eq!(yaml_string(s, false), s, "{s}");
        }
        for s in ["", "0", "1.5", "yes", "Off", "null", "~x", "- a", "a: b", "a #b", "1:20", "2022-07-29T08:54:12Z", "0x1f", " a", "a\nb", "-1", "1e3", "*x", "trailing:"] {
            assert!(yaml_string(s, false).starts_with('"'), "{s}");
        }
        assert_eq!(yaml_string("a,b", true), "\"a,b\"");
        assert_eq!(double_quoted("a\"\\\u{1}\u{85}"), "\"a\\\"\\\\\\u0001\\u0085\"");
    }

    #[test]
    fn key_positions() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(insert_position(&s(&["containerID", "node", "ips"]), "uid", false), 1);
        assert_eq!(insert_position(&s(&["ips", "node"]), "uid", true), 2);
        assert_eq!(insert_position(&s(&["node", "ips", "x"]), "creationTime", false), 2);
        assert_eq!(insert_position(&s(&["name"]), "annotations", false), 1);
        let m = json!({"node": 1, "ips": 2, "containerID": 3, "creationTime": 4}).as_object().unwrap().clone();
        assert_eq!(key_order(&[], &m), ["containerID", "node", "ips", "creationTime"]);
    }

    #[test]
    fn block_and_flow() {
        let r = Renderer { style: Style::default() };
        let v = json!({"b": [1, {"x": "z", "w": []}], "a": {}});
        assert_eq!(r.block(&v, 2, None), "a: {}\n  b:\n  - 1\n  - w: []\n    x: z");
        assert_eq!(r.flow(&v, None, None), "{a: {}, b: [1, {w: [], x: z}]}");
        assert_eq!(r.inline(&json!("y"), false), "\"y\"");
        let j = Renderer { style: Style { json: true, ..Style::default() } };
        assert_eq!(j.flow(&json!({"a": [1]}), Some(2), None), "{\n    \"a\": [\n      1\n    ]\n  }");
    }
}
