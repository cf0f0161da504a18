//! Text edits that turn a parsed node into a target JSON value while leaving every untouched byte
//! alone: a changed scalar is replaced in place (keeping its quoting), a removed block entry is
//! deleted with its line(s), a new entry is inserted on its own line with its siblings'
//! indentation. A flow collection (and so JSON) whose members change is rewritten as a whole,
//! keeping the text of the members that stay. Comments outside the rewritten spans survive.

use serde_json::{Map, Value};

use crate::diagnostic::apply_edits;
use crate::yaml::{Entry, Node, Span, Value as Y};

use super::render::{double_quoted, key_order, Renderer, Style};

pub type Edit = (Span, String);

/// How a node hangs in its parent.
#[derive(Clone, Copy, PartialEq)]
pub enum Owner {
    Root,
    /// The value of a block mapping entry with this key span.
    Entry(Span),
    /// An item of a block sequence.
    Item,
    /// A member of a flow collection.
    Flow,
}

pub struct Patcher<'a> {
    src: &'a str,
    r: Renderer,
}

/// True when `node` already equals `v` (no edit needed).
pub fn same(src: &str, node: &Node, v: &Value) -> bool {
    match (&node.value, v) {
        (Y::Map(es), Value::Object(m)) => {
            es.len() == m.len() && es.iter().all(|e| m.get(e.key.as_ref()).is_some_and(|x| same(src, &e.value, x)))
        }
        (Y::Seq(items), Value::Array(a)) => items.len() == a.len() && items.iter().zip(a).all(|(n, x)| same(src, n, x)),
        (Y::Map(_) | Y::Seq(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        _ => node.to_json(src) == *v,
    }
}

impl<'a> Patcher<'a> {
    pub fn new(src: &'a str, root: &Node) -> Self {
        Patcher { src, r: Renderer { style: detect_style(src, root) } }
    }

    /// Edits for a whole document root.
    pub fn document(&self, root: &Node, target: &Value) -> Vec<Edit> {
        let mut out = Vec::new();
        self.node(root, target, Owner::Root, &mut out);
        out
    }

    /// One edit re-rendering the whole root (the fallback when fine edits do not read back right).
    pub fn rewrite(&self, root: &Node, target: &Value) -> Vec<Edit> {
        let mut out = Vec::new();
        self.replace(root, target, Owner::Root, &mut out);
        out
    }

    fn node(&self, node: &Node, target: &Value, owner: Owner, out: &mut Vec<Edit>) {
        if same(self.src, node, target) {
            return;
        }
        match (&node.value, target) {
            (Y::Map(entries), Value::Object(obj)) if !entries.is_empty() && !obj.is_empty() => {
                if self.is_flow(node) {
                    self.flow_map(node, entries, obj, out)
                } else {
                    self.block_map(node, entries, obj, owner, out)
                }
            }
            (Y::Seq(items), Value::Array(arr)) if items.len() == arr.len() => {
                let child = if self.is_flow(node) { Owner::Flow } else { Owner::Item };
                for (n, t) in items.iter().zip(arr) {
                    self.node(n, t, child, out);
                }
            }
            _ => self.replace(node, target, owner, out),
        }
    }

    fn block_map(&self, node: &Node, entries: &[Entry], obj: &Map<String, Value>, owner: Owner, out: &mut Vec<Edit>) {
        let survivors: Vec<&Entry> = entries.iter().filter(|e| obj.contains_key(e.key.as_ref())).collect();
        let Some(first) = survivors.first() else {
            return self.replace(node, &Value::Object(obj.clone()), owner, out);
        };
        let nl = self.r.style.nl;
        let key_col = self.col(entries[0].key_span.start);
        let indent = " ".repeat(key_col);
        // The first entry may share its line with `- ` (a map in a sequence item): its slot is inline.
        let inline_head = !self.only_space_before(entries[0].key_span.start);
        let head_deleted = !obj.contains_key(entries[0].key.as_ref());
        for (i, e) in entries.iter().enumerate() {
            if obj.contains_key(e.key.as_ref()) {
                continue;
            }
            if inline_head && head_deleted && entries[..=i].iter().all(|x| !obj.contains_key(x.key.as_ref())) {
                continue; // part of the deleted head run, removed below in one piece
            }
            let start = self.line_start(e.key_span.start);
            let end = self.line_end_incl(self.content_end(&e.value));
            out.push((Span::new(start, end), String::new()));
        }
        if inline_head && head_deleted {
            // Pull the first surviving entry into the inline slot.
            out.push((Span::new(entries[0].key_span.start, first.key_span.start), String::new()));
        }
        for e in &survivors {
            self.node(&e.value, &obj[e.key.as_ref()], Owner::Entry(e.key_span), out);
        }
        // Insert the new keys, each group after the surviving entry that precedes it.
        // New strings are double-quoted when the siblings' strings all are.
        let strings: Vec<&Entry> = survivors.iter().copied().filter(|e| matches!(e.value.value, Y::Str(_))).collect();
        let quoted = !strings.is_empty() && strings.iter().all(|e| self.src.as_bytes().get(e.value.span.start) == Some(&b'"'));
        let source: Vec<String> = survivors.iter().map(|e| e.key.to_string()).collect();
        let order = key_order(&source, obj);
        let mut group: Vec<&str> = Vec::new();
        let mut before: Option<&Entry> = None;
        let flush = |group: &mut Vec<&str>, before: Option<&Entry>, out: &mut Vec<Edit>| {
            if group.is_empty() {
                return;
            }
            let lines: Vec<String> = group
                .iter()
                .map(|k| match &obj[*k] {
                    Value::String(v) if quoted => format!("{}: {}", self.r.key(k, false), double_quoted(v)),
                    v => format!("{}{}", self.r.key(k, false), self.r.after_key(v, key_col, None)),
                })
                .collect();
            match before {
                Some(prev) => {
                    let at = self.line_end_incl(self.content_end(&prev.value));
                    let mut text: String = lines.iter().map(|l| format!("{indent}{l}{nl}")).collect();
                    if at == self.src.len() && !self.src.ends_with('\n') {
                        text = format!("{nl}{}", text.strip_suffix(nl).unwrap_or(&text));
                    }
                    out.push((Span::new(at, at), text));
                }
                None if inline_head => {
                    let at = first.key_span.start;
                    let text: String = lines.iter().map(|l| format!("{l}{nl}{indent}")).collect();
                    out.push((Span::new(at, at), text));
                }
                None => {
                    let at = self.line_start(first.key_span.start);
                    let text: String = lines.iter().map(|l| format!("{indent}{l}{nl}")).collect();
                    out.push((Span::new(at, at), text));
                }
            }
            group.clear();
        };
        for k in &order {
            match survivors.iter().find(|e| e.key == k.as_str()) {
                Some(e) => {
                    flush(&mut group, before, out);
                    before = Some(e);
                }
                None => group.push(k),
            }
        }
        flush(&mut group, before, out);
    }

    /// Rewrites a flow mapping whose members change, keeping the text of the members that stay.
    fn flow_map(&self, node: &Node, entries: &[Entry], obj: &Map<String, Value>, out: &mut Vec<Edit>) {
        let keys: Vec<String> = entries.iter().map(|e| e.key.to_string()).collect();
        if keys.len() == obj.len() && keys.iter().all(|k| obj.contains_key(k)) {
            for e in entries {
                self.node(&e.value, &obj[e.key.as_ref()], Owner::Flow, out);
            }
            return;
        }
        let src = self.src;
        let body = &src[node.span.start..node.span.end];
        let multiline = body.contains('\n');
        let e0 = &entries[0];
        let lead = cut(src, node.span.start + 1, e0.key_span.start);
        let last = &entries[entries.len() - 1];
        let trail_start = self.content_end(&last.value).min(node.span.end.saturating_sub(1));
        let trail = cut(src, trail_start, node.span.end.saturating_sub(1)).trim_start_matches(',');
        let sep = match entries.get(1) {
            Some(e1) => cut(src, self.content_end(&e0.value), e1.key_span.start).to_string(),
            None if multiline => format!(",{lead}"),
            None => ", ".to_string(),
        };
        let kv = cut(src, e0.key_span.end, e0.value.span.start);
        let kv = if kv.trim().starts_with(':') { kv } else { ": " };
        let layout = multiline.then(|| self.col(e0.key_span.start).saturating_sub(self.r.style.flow_step));
        let mut parts = Vec::new();
        for k in key_order(&keys, obj) {
            match entries.iter().find(|e| e.key == k.as_str()) {
                Some(e) => {
                    let mut local = Vec::new();
                    self.node(&e.value, &obj[k.as_str()], Owner::Flow, &mut local);
                    let value = shifted(src, Span::new(e.value.span.start, self.content_end(&e.value)), &local);
                    parts.push(format!("{}{value}", cut(src, e.key_span.start, e.value.span.start.max(e.key_span.end))));
                }
                None => {
                    let inner = layout.map(|l| l + self.r.style.flow_step);
                    parts.push(format!("{}{kv}{}", self.r.key(&k, true), self.r.flow(&obj[k.as_str()], inner, None)));
                }
            }
        }
        let text = format!("{{{lead}{}{trail}}}", parts.join(&sep));
        out.push((node.span, text));
    }

    /// Replaces a node with a rendering of `target` in the style its place calls for.
    fn replace(&self, node: &Node, target: &Value, owner: Owner, out: &mut Vec<Edit>) {
        let r = &self.r;
        let is_scalar = !matches!(node.value, Y::Map(_) | Y::Seq(_));
        let has_text = node.span.end > node.span.start;
        let collection = matches!(target, Value::Object(m) if !m.is_empty()) || matches!(target, Value::Array(a) if !a.is_empty());
        // An empty `[]`/`{}` in a block document becomes a block collection.
        let empty_flow = self.is_flow(node) && !r.style.json && owner != Owner::Flow && node.span.end - node.span.start == 2;
        if owner == Owner::Flow || (self.is_flow(node) && !empty_flow) {
            let text = match target {
                Value::Object(_) | Value::Array(_) => {
                    let layout = (self.src[node.span.start..node.span.end].contains('\n') || (r.style.pretty && collection))
                        .then(|| self.line_indent(node.span.start));
                    r.flow(target, layout, Some(node))
                }
                _ => r.scalar(target, true, Some(&self.src[node.span.start..node.span.end])),
            };
            out.push((Span::new(node.span.start, self.content_end(node)), text));
            return;
        }
        let block_scalar = if is_scalar { self.block_scalar_indicator(node) } else { None };
        if is_scalar && has_text && !collection && block_scalar.is_none() {
            let like = &self.src[node.span.start..self.content_end(node)];
            let text = match target {
                Value::Object(_) | Value::Array(_) => r.inline(target, false),
                _ => r.scalar(target, false, Some(like)),
            };
            out.push((Span::new(node.span.start, self.content_end(node)), text));
            return;
        }
        match owner {
            Owner::Entry(key_span) => {
                let colon = self.src[key_span.end..].find(':').map_or(key_span.end, |i| key_span.end + i);
                let start = colon + 1;
                let end = if has_text { self.content_end(node).max(start) } else { start };
                let text = r.after_key(target, self.col(key_span.start), Some(node));
                out.push((Span::new(start, end), text[1..].to_string()));
            }
            Owner::Item | Owner::Root | Owner::Flow => {
                let start = block_scalar.unwrap_or_else(|| self.block_start(node));
                let end = self.content_end(node).max(start);
                out.push((Span::new(start, end), r.block(target, self.col(start), Some(node))));
            }
        }
    }

    /// The position of the `|` or `>` of a block scalar.
    fn block_scalar_indicator(&self, node: &Node) -> Option<usize> {
        let before = self.src[..node.span.start].trim_end_matches([' ', '\t', '\r', '\n']);
        let header = before.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
        header.ends_with(['|', '>']).then(|| header.len() - 1)
    }

    fn is_flow(&self, node: &Node) -> bool {
        matches!(node.value, Y::Map(_) | Y::Seq(_)) && matches!(self.src.as_bytes().get(node.span.start), Some(b'{' | b'['))
    }

    /// Where a node's text begins: for a block sequence, its first `-`.
    fn block_start(&self, node: &Node) -> usize {
        if let Y::Seq(items) = &node.value {
            if !self.is_flow(node) && !items.is_empty() {
                let before = self.src[..node.span.start].trim_end_matches([' ', '\t']);
                if before.ends_with('-') {
                    return before.len() - 1;
                }
            }
        }
        node.span.start
    }

    /// End of a node's own text: without the whitespace a block scalar's span carries, and
    /// without the spaces and comment the parser counts into a quoted scalar's span.
    fn content_end(&self, node: &Node) -> usize {
        match &node.value {
            Y::Map(es) if !self.is_flow(node) && !es.is_empty() => self.content_end(&es[es.len() - 1].value),
            Y::Seq(items) if !self.is_flow(node) && !items.is_empty() => self.content_end(&items[items.len() - 1]),
            Y::Map(_) | Y::Seq(_) => node.span.end,
            _ => {
                let text = &self.src[node.span.start..node.span.end];
                let body = skip_properties(text);
                let offset = node.span.start + (text.len() - body.len());
                match quoted_len(body) {
                    Some(n) => offset + n,
                    None => node.span.start + text.trim_end_matches([' ', '\t', '\r', '\n']).len(),
                }
            }
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.src[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// The start of the line after the one containing `at` (or the end of the text).
    fn line_end_incl(&self, at: usize) -> usize {
        match self.src[at..].find('\n') {
            Some(i) => at + i + 1,
            None => self.src.len(),
        }
    }

    fn col(&self, at: usize) -> usize {
        self.src[self.line_start(at)..at].chars().count()
    }

    fn line_indent(&self, at: usize) -> usize {
        let start = self.line_start(at);
        self.src[start..at].len() - self.src[start..at].trim_start_matches(' ').len()
    }

    fn only_space_before(&self, at: usize) -> bool {
        self.src[self.line_start(at)..at].bytes().all(|b| b == b' ')
    }
}

/// The text after a scalar's tag and anchor (`!!str &a "x"` -> `"x"`).
fn skip_properties(mut text: &str) -> &str {
    while text.starts_with(['!', '&']) {
        match text.find([' ', '\t', '\n', '\r']) {
            Some(i) => text = text[i..].trim_start_matches([' ', '\t', '\n', '\r']),
            None => return text,
        }
    }
    text
}

/// The length of a quoted scalar at the start of `text`, closing quote included.
fn quoted_len(text: &str) -> Option<usize> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            ('"', b'\\') => i += 2,
            ('"', b'"') => return Some(i + 1),
            ('\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            ('\'', b'\'') => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The text of `span` with `edits` applied (edits outside it, which only aliased nodes can
/// produce, are left out: the read-back check then falls back to a whole rewrite).
fn shifted(src: &str, span: Span, edits: &[Edit]) -> String {
    let local: Vec<Edit> = edits
        .iter()
        .filter(|(s, _)| span.start <= s.start && s.start <= s.end && s.end <= span.end)
        .map(|(s, t)| (Span::new(s.start - span.start, s.end - span.start), t.clone()))
        .collect();
    apply_edits(cut(src, span.start, span.end), &local)
}

/// `src[a..b]`, or `""` when that is not a range of it (spans of aliased nodes point elsewhere).
fn cut(src: &str, a: usize, b: usize) -> &str {
    src.get(a..b).unwrap_or("")
}

/// Reads the document's indentation habits from its first nested collections.
fn detect_style(src: &str, root: &Node) -> Style {
    // The document's own lines (and the break that ends its last one) tell its line-break style;
    // looking at the whole text for each document would make a stream quadratic.
    let end = root.span.end + memchr::memchr(b'\n', &src.as_bytes()[root.span.end..]).map_or(0, |i| i + 1);
    let crlf = memchr::memmem::find(&src.as_bytes()[root.span.start..end], b"\r\n").is_some();
    let mut style = Style { nl: if crlf { "\r\n" } else { "\n" }, ..Style::default() };
    let line_start = |at: usize| src[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = |at: usize| src[line_start(at)..at].chars().count();
    let is_flow = |n: &Node| matches!(src.as_bytes().get(n.span.start), Some(b'{' | b'['));
    if is_flow(root) {
        style.pretty = src[root.span.start..root.span.end].contains('\n');
        if let Y::Map(es) = &root.value {
            style.json = es.first().is_some_and(|e| src.as_bytes().get(e.key_span.start) == Some(&b'"'));
        }
    }
    let (mut map_found, mut seq_found, mut flow_found) = (false, false, false);
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            Y::Map(es) => {
                // Whether a flow mapping spans lines, asked once per mapping (not once per entry).
                let multiline_flow = !flow_found && is_flow(n) && memchr::memchr(b'\n', &src.as_bytes()[n.span.start..n.span.end]).is_some();
                for e in es {
                    let v = &e.value;
                    match &v.value {
                        Y::Map(c) if !c.is_empty() && !map_found && !is_flow(n) && !is_flow(v) && c[0].key_span.start > e.key_span.end => {
                            let d = col(c[0].key_span.start).saturating_sub(col(e.key_span.start));
                            if d > 0 {
                                style.map_step = d;
                                map_found = true;
                            }
                        }
                        Y::Seq(items) if !items.is_empty() && !seq_found && !is_flow(n) && !is_flow(v) => {
                            let before = src[..v.span.start].trim_end_matches(' ');
                            if before.ends_with('-') && before.len() > e.key_span.end {
                                style.seq_indent = col(before.len() - 1).saturating_sub(col(e.key_span.start));
                                seq_found = true;
                            }
                        }
                        _ => {}
                    }
                    if multiline_flow && !flow_found {
                        let open = line_start(n.span.start);
                        let indent = src[open..n.span.start].len() - src[open..n.span.start].trim_start_matches(' ').len();
                        let d = col(e.key_span.start).saturating_sub(indent);
                        if d > 0 {
                            style.flow_step = d;
                            flow_found = true;
                        }
                    }
                    stack.push(v);
                }
            }
            Y::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
        if map_found && seq_found && flow_found {
            break;
        }
    }
    style
}
