//! Renders a tree as YAML that the fast path (`fast.rs`) reads: block mappings and sequences,
//! double-quoted strings (JSON escapes, which YAML's double-quoted style shares), plain keys when
//! they are safe. Used to embed the CRDs in a form the validate-only wasm module can read without
//! the loader (`schemas/fast/`, kept in sync by `tests/schemas_fast.rs`).

use super::{Node, Value};

/// The YAML text of `node` (a mapping at the root), one line per scalar.
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => map(&mut out, node, 0),
        _ => {
            scalar(&mut out, node);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn key(out: &mut String, k: &str) {
    let plain = !k.is_empty()
        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        && k.as_bytes()[0].is_ascii_alphabetic();
    if plain {
        out.push_str(k);
    } else {
        quoted(out, k);
    }
}

fn quoted(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

fn scalar(out: &mut String, node: &Node) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format!("{f:?}")),
        Value::Str(s) => quoted(out, s),
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
        Value::BigInt => out.push_str("null"),
    }
}

fn is_block(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => !items.is_empty(),
        Value::Map(entries) => !entries.is_empty(),
        _ => false,
    }
}

/// Writes the entries of a non-empty mapping at `col`; the first line's indentation is written by the caller
/// when `first_inline` (after `- `), else here.
fn map(out: &mut String, node: &Node, col: usize) {
    map_at(out, node, col, false)
}

fn map_at(out: &mut String, node: &Node, col: usize, first_inline: bool) {
    let Value::Map(entries) = &node.value else { return };
    for (i, e) in entries.iter().enumerate() {
        if i > 0 || !first_inline {
            indent(out, col);
        }
        key(out, &e.key);
        out.push(':');
        value(out, &e.value, col);
    }
}

/// The value after `key:` (a mapping's children at col + 2, a sequence's items at col + 2).
fn value(out: &mut String, v: &Node, col: usize) {
    if !is_block(v) {
        out.push(' ');
        scalar(out, v);
        out.push('\n');
        return;
    }
    out.push('\n');
    match &v.value {
        Value::Map(_) => map(out, v, col + 2),
        Value::Seq(items) => seq(out, items, col + 2),
        _ => {}
    }
}

fn seq(out: &mut String, items: &[Node], col: usize) {
    for item in items {
        indent(out, col);
        out.push_str("- ");
        match &item.value {
            Value::Map(entries) if !entries.is_empty() => map_at(out, item, col + 2, true),
            Value::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                seq(out, inner, col + 2);
            }
            _ => {
                scalar(out, item);
                out.push('\n');
            }
        }
    }
}
