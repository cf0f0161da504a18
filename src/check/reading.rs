//! How the object is read: plain scalars that kubectl (YAML 1.1) and YAML 1.2 tools read
//! differently, and what makes kubectl refuse a file before it sends anything.

use super::structural::json_text;
use crate::diagnostic::Finding;
use crate::rules::Rule;
use crate::yaml::resolve::{self, YamlVersion};
use crate::yaml::{escape_pointer, Document, Node, Span, Value};

/// A plain key or scalar that the two readers read differently.
struct Spelling<'s> {
    span: Span,
    path: String,
    text: &'s str,
    /// The active reader's value and the other reader's, as text for messages.
    active: String,
    other: String,
    /// The spelling every reader reads as the active reader does (`None`: no such spelling, e.g.
    /// an infinity).
    unambiguous: Option<String>,
    key: bool,
}

/// Calls `f` for every plain key and scalar of `root` (at `base`) the two readers read
/// differently, except scalars at a JSON Pointer in `skip`. JSON Pointers are only built for what
/// is found: the walk keeps a trail of (parent, step) that a pointer is read back from.
fn each_spelling<'s>(src: &'s str, root: &Node, base: &str, version: YamlVersion, skip: &[&str], mut f: impl FnMut(Spelling<'s>)) {
    #[derive(Clone, Copy)]
    enum Step<'n> {
        Root,
        Key(&'n str),
        Index(usize),
    }
    let mut trail: Vec<(usize, Step)> = vec![(0, Step::Root)];
    let pointer = |trail: &[(usize, Step)], mut at: usize, last: Option<&str>| {
        let mut steps = Vec::new();
        while at != 0 {
            steps.push(trail[at].1);
            at = trail[at].0;
        }
        let mut path = String::from(base);
        for step in steps.iter().rev() {
            match step {
                Step::Key(k) => path.push_str(&format!("/{}", escape_pointer(k))),
                Step::Index(i) => path.push_str(&format!("/{i}")),
                Step::Root => {}
            }
        }
        if let Some(k) = last {
            path.push_str(&format!("/{}", escape_pointer(k)));
        }
        path
    };
    let mut stack: Vec<(&Node, usize)> = vec![(root, 0)];
    while let Some((node, at)) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for e in entries.iter().rev() {
                    if let Some(sp) = key_spelling(src, e.key_span, &e.key, || pointer(&trail, at, Some(&e.key)), version) {
                        f(sp);
                    }
                    trail.push((at, Step::Key(&e.key)));
                    stack.push((&e.value, trail.len() - 1));
                }
            }
            Value::Seq(items) => {
                for (i, n) in items.iter().enumerate().rev() {
                    trail.push((at, Step::Index(i)));
                    stack.push((n, trail.len() - 1));
                }
            }
            _ => {
                if let Some(sp) = value_spelling(src, node, || pointer(&trail, at, None), version).filter(|sp| !skip.contains(&sp.path.as_str())) {
                    f(sp);
                }
            }
        }
    }
}

/// SE011 for every plain key and scalar of `root` (at `base`) that the two readers read
/// differently, except where another finding already speaks about that value (`skip`: the paths of
/// wrong types, whose message explains kubectl's reading itself).
pub fn spellings(src: &str, root: &Node, base: &str, version: YamlVersion, skip: &[&str], out: &mut Vec<Finding>) {
    each_spelling(src, root, base, version, skip, |sp| {
        let what = if sp.key { "key " } else { "" };
        let msg = format!("{} reads the plain {what}`{}` as {} (as checked here), {} as {}", version.reader(), sp.text, sp.active, version.other().reader(), sp.other);
        let mut f = Finding::new(Rule::Yaml11Spelling, sp.span, sp.path, msg);
        // A key's fix keeps the text the author wrote (most likely what was meant).
        // Only the value's fix keeps what kubectl reads (a safe fix); the key's changes it.
        if sp.key {
            let fix = format!("\"{}\"", sp.text);
            f = f.with_fix(format!("Write `{fix}`"), vec![(sp.span, fix)]);
        } else if let Some(fix) = sp.unambiguous {
            f = f.with_safe_fix(format!("Write `{fix}`"), vec![(sp.span, fix)]);
        }
        out.push(f);
    });
}

/// One scalar or key `normalize` writes in the unambiguous spelling of the active reading.
pub struct Respelling {
    pub span: Span,
    pub path: String,
    pub from: String,
    pub to: String,
}

/// What `normalize` respells in `root` so that every reader reads what the active reader reads
/// (a key becomes the key the active reader makes of it, quoted: `on:` -> `"true":` for kubectl).
pub fn respellings(src: &str, root: &Node, base: &str, version: YamlVersion) -> Vec<Respelling> {
    let mut out = Vec::new();
    each_spelling(src, root, base, version, &[], |sp| {
        if let Some(to) = sp.unambiguous {
            out.push(Respelling { span: sp.span, path: sp.path, from: sp.text.to_string(), to });
        }
    });
    out.sort_by_key(|r| r.span.start);
    out
}

/// The text of a plain scalar at `span` (not quoted, not a block scalar, not an alias) that some
/// reader might read as a non-string (the cheap filter first: most scalars stop there).
fn plain_text(src: &str, span: Span) -> Option<&str> {
    let t = src.get(span.start..span.end)?;
    (!t.is_empty() && resolve::maybe_not_string(t.as_bytes()) && !t.contains(['\n', '\r'])).then_some(t)
}

/// The spelling every reader reads as `v`.
fn unambiguous(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) => quote(s),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => format!("{f:?}"),
        _ => return None,
    })
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn value_spelling<'s>(src: &'s str, node: &Node, path: impl FnOnce() -> String, version: YamlVersion) -> Option<Spelling<'s>> {
    let text = plain_text(src, node.span)?;
    let (k, y) = resolve::readings(text)?;
    let (active, other) = if version == YamlVersion::V1_1 { (k, y) } else { (y, k) };
    // A tagged or otherwise different scalar: not read from this text alone.
    if !same(&node.value, &active) {
        return None;
    }
    Some(Spelling { span: node.span, path: path(), text, active: json_text(&active), other: json_text(&other), unambiguous: unambiguous(&active), key: false })
}

fn key_spelling<'s>(src: &'s str, span: Span, key: &str, path: impl FnOnce() -> String, version: YamlVersion) -> Option<Spelling<'s>> {
    let text = plain_text(src, span)?;
    // A YAML 1.2 reader keeps a plain key's text: the readers differ only where kubectl's does not.
    let kubectl = resolve::key(text, YamlVersion::V1_1)?;
    let (active, other) = if version == YamlVersion::V1_1 { (kubectl, text.to_string()) } else { (text.to_string(), kubectl) };
    if active == other || key != active {
        return None;
    }
    Some(Spelling { span, path: path(), text, unambiguous: Some(quote(&active)), active: format!("\"{active}\""), other: format!("\"{other}\""), key: true })
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

/// What stops kubectl before it sends anything: `.inf`/`.nan` values (JSON has no such numbers),
/// a `%YAML` directive other than 1.1, a stream that starts with `...`. File-level findings.
/// This part reads the text alone; [`kubectl_refusals_in`] reads each document.
pub fn kubectl_refusals(src: &str, version: YamlVersion) -> Vec<Finding> {
    let mut out = Vec::new();
    if version != YamlVersion::V1_1 {
        return out;
    }
    // kubectl splits the stream on `---` lines itself before parsing: a directive ends up alone in
    // its own chunk, a `---` line with content after it is not a separator, and a stream that
    // starts with `...` has no node.
    let separator = |start: usize, out: &mut Vec<Finding>| {
        let end = memchr::memchr(b'\n', &src.as_bytes()[start..]).map_or(src.len(), |i| start + i);
        let t = src[start..end].trim_end_matches('\r');
        let rest = t[3..].trim_start_matches([' ', '\t']);
        if !rest.is_empty() && !rest.starts_with('#') {
            let msg = format!("kubectl refuses the file: it splits documents on `---` lines, and a `---` line may hold only a comment (\"invalid Yaml document separator: {rest}\")");
            out.push(Finding::new(Rule::KubectlRefuses, Span::new(start, start + t.len()), "", msg));
        }
    };
    if src.starts_with("---") {
        separator(0, &mut out);
    }
    // One searcher for every call (the audit calls this for each List item: building the searcher
    // each time cost more than searching the item).
    static SEPARATORS: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    for i in SEPARATORS.get_or_init(|| memchr::memmem::Finder::new(b"\n---")).find_iter(src.as_bytes()) {
        separator(i + 1, &mut out);
    }
    // Before the first content line: directives, a leading `...`.
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        let span = Span::new(at, at + t.len());
        at += line.len();
        if t.trim().is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('%') {
            let why = match t.strip_prefix("%YAML").map(|r| r.split_whitespace().next().unwrap_or("")) {
                Some(v) if v != "1.1" => format!("its YAML reader accepts only YAML 1.1 (\"found incompatible YAML document\"), not `%YAML {v}`"),
                _ => "it splits the stream on `---` lines, which leaves the directive without a document (\"did not find expected <document start>\")".to_string(),
            };
            out.push(Finding::new(Rule::KubectlRefuses, span, "", format!("kubectl refuses the file: {why}")));
            continue;
        }
        if t == "..." || t.starts_with("... ") {
            out.push(Finding::new(Rule::KubectlRefuses, Span::new(span.start, span.start + 3), "", "kubectl refuses the file: it starts with the document end marker `...` (\"did not find expected node content\")"));
        }
        break;
    }
    out
}

/// The refusals of [`kubectl_refusals`] that one document causes: a root that is no object, a
/// null key, `.inf`/`.nan`.
pub fn kubectl_refusals_in(src: &str, doc: &Document, version: YamlVersion, out: &mut Vec<Finding>) {
    if version != YamlVersion::V1_1 {
        return;
    }
    let Some(root) = &doc.root else { return };
    if !doc.non_json && matches!(root.value, Value::Map(_)) {
        return;
    }
    let go_type = match &root.value {
        Value::Map(_) | Value::Null => None,
        Value::Seq(_) => Some("array"),
        Value::Str(_) => Some("string"),
        Value::Bool(_) => Some("bool"),
        _ => Some("number"),
    };
    if let Some(t) = go_type {
        out.push(Finding::new(Rule::KubectlRefuses, root.span, "", format!("kubectl refuses the file: a document is {} {t}, not an object (\"cannot unmarshal {t} into Go value of type unstructured.detector\")", if t == "array" { "an" } else { "a" })));
    }
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Map(es) => {
                for e in es {
                    // A plain null key (`~:`, `null:`) has no JSON key.
                    let key_text = src.get(e.key_span.start..e.key_span.end);
                    if e.key == "null" && matches!(key_text, Some("~" | "null" | "Null" | "NULL" | "")) {
                        let msg = "kubectl refuses the file: a null key cannot be a JSON key (\"unsupported map key of type: <nil>\")";
                        let mut f = Finding::new(Rule::KubectlRefuses, e.key_span, "", msg);
                        // Quoting a written null (`~`) keeps it a key; an empty key has nothing to quote.
                        if let Some(t) = key_text.filter(|t| !t.is_empty()) {
                            let quoted = format!("\"{t}\"");
                            f = f.with_fix(format!("Write `{quoted}`"), vec![(e.key_span, quoted)]);
                        }
                        out.push(f);
                    }
                    stack.push(&e.value);
                }
            }
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Float(f) if !f.is_finite() => {
                let what = if f.is_nan() { "NaN" } else if *f > 0.0 { "+Inf" } else { "-Inf" };
                let text = src.get(n.span.start..n.span.end).unwrap_or("");
                out.push(
                    Finding::new(Rule::KubectlRefuses, n.span, "", format!("kubectl refuses the file: `{text}` is {what}, which JSON cannot carry (\"json: unsupported value: {what}\")"))
                        .with_fix("Quote the value", vec![(n.span, format!("\"{text}\""))]),
                );
            }
            _ => {}
        }
    }
}

/// Whether kubectl drops `doc`, document `index` of the stream: kubectl splits the file on `---`
/// lines and reads one document from each part, so a document after `...` without a `---` is never sent.
pub fn ignored_by_kubectl(src: &str, doc: &Document, index: usize, version: YamlVersion) -> bool {
    index > 0 && version == YamlVersion::V1_1 && doc.root.is_some() && !src[doc.span.start.min(src.len())..].starts_with("---")
}
