//! Builds the spanned tree from saphyr-parser events.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as CharSpan, Tag};

use super::prescan;
use super::{escape_pointer, Budget, Document, Entry, Node, Problem, ProblemKind, Span, Stream, Value, Weight, YamlVersion};

/// Parses a YAML stream. Never panics; problems are returned in `Stream::problems`.
pub fn parse(text: &str, budget: Budget) -> Stream<'_> {
    let mut loader = Loader {
        text,
        offsets: Offsets::new(text),
        budget,
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded: Weight::default(),
        docs: Vec::new(),
        problems: Vec::new(),
        doc_index: 0,
        doc_start: 0,
        merges_or_tags: false,
        non_json: false,
        ambiguous: false,
    };
    if let Some((at, c)) = prescan::forbidden_char(text) {
        loader.problem(
            ProblemKind::ControlChar,
            Span::new(at, at + c.len_utf8()),
            format!(
                "character U+{:04X} is not allowed in YAML (is this a binary or corrupted file?)",
                c as u32
            ),
        );
        return loader.finish(false);
    }
    let complete = loader.run();
    loader.finish(complete)
}

enum Frame<'a> {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node<'a>>,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry<'a>>,
        /// The key read and waiting for its value; `is_merge` for a plain `<<`.
        key: Option<PendingKey<'a>>,
        /// Merge sources, each with the number of entries written before it.
        merges: Vec<(Node<'a>, usize)>,
        /// Key -> index of its entry, once the map has 16 entries (a scan before that).
        seen: Option<HashMap<String, usize>>,
        /// The end of the furthest value written: a duplicate key's value replaces the first
        /// one's in place, so the last entry need not be the last in the text.
        end: usize,
    },
}

struct PendingKey<'a> {
    key: Cow<'a, str>,
    span: Span,
    is_merge: bool,
    /// A non-scalar key: the value is read and dropped.
    skip: bool,
}

struct Loader<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    budget: Budget,
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, (Node<'a>, Weight)>,
    /// What alias expansion produced so far (nodes and bytes of text).
    expanded: Weight,
    docs: Vec<Document<'a>>,
    problems: Vec<Problem>,
    doc_index: usize,
    doc_start: usize,
    /// The document being read has merge keys or tags.
    merges_or_tags: bool,
    /// The document being read has a value or key JSON cannot carry.
    non_json: bool,
    /// The document being read has a plain scalar or key the two readers read differently.
    ambiguous: bool,
}

impl<'a> Loader<'a> {
    fn run(&mut self) -> bool {
        let mut parser = Parser::new_from_str(self.text);
        let mut started = false;
        while let Some(next) = parser.next_event() {
            let (event, cspan) = match next {
                Ok(ev) => ev,
                Err(err) => {
                    let at = self.offsets.byte(*err.marker());
                    if err.info().to_ascii_lowercase().contains("recursion limit") {
                        // saphyr's own flow-nesting guard (255 levels) fires before ours can.
                        let msg = if self.budget.max_depth < 255 {
                            self.depth_message()
                        } else {
                            "flow collections (`[`, `{`) nested deeper than 255 levels, the YAML reader's limit; refusing to read further".to_string()
                        };
                        self.problem(ProblemKind::DepthLimit, Span::new(at, at), msg);
                    } else {
                        self.problem(ProblemKind::Syntax, Span::new(at, at), capitalize_first(err.info()));
                    }
                    return false;
                }
            };
            if matches!(event, Event::Scalar(..)) {
                self.offsets.scalar_lines(cspan);
            }
            let span = self.span(cspan);
            let ok = match event {
                Event::DocumentStart(_) => {
                    if started {
                        self.doc_index += 1;
                    }
                    started = true;
                    self.doc_start = span.start;
                    self.stack.clear();
                    true
                }
                Event::Scalar(text, ScalarStyle::Plain, 0, None) if text.is_empty() && self.stack.is_empty() => {
                    self.docs.push(Document { root: None, span: Span::new(self.doc_start, span.end), merges_or_tags: std::mem::take(&mut self.merges_or_tags), non_json: std::mem::take(&mut self.non_json), ambiguous: std::mem::take(&mut self.ambiguous) });
                    true
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.merges_or_tags |= tag.is_some();
                    let span = if anchor != 0 || tag.is_some() { skip_properties(self.text, span) } else { span };
                    let span = match style {
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => quoted_span(self.text, span),
                        ScalarStyle::Literal | ScalarStyle::Folded => trim_end(self.text, span),
                        _ => span,
                    };
                    let (value, refused) = resolve(text.clone(), style, tag.as_deref(), self.budget.yaml_version);
                    if style == ScalarStyle::Plain && tag.is_none() {
                        self.ambiguous |= super::resolve::plain_and_ambiguity(&text, self.budget.yaml_version).1;
                    }
                    if let Some(msg) = refused {
                        self.problem(ProblemKind::KubectlRefuses, span, msg);
                    }
                    // kubectl refuses a `.inf`/`.nan` value and a null key, but writes a `.nan` key as text
                    let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                    self.non_json |= if is_key { value == Value::Null } else { matches!(value, Value::Float(f) if !f.is_finite()) };
                    let node = Node { value, span };
                    self.scalar(node, text, style, anchor)
                }
                Event::SequenceStart(anchor, tag) => {
                    self.merges_or_tags |= tag.is_some();
                    self.open(Frame::Seq { start: span.start, anchor, items: Vec::new() }, span)
                }
                Event::MappingStart(anchor, tag) => {
                    self.merges_or_tags |= tag.is_some();
                    self.open(
                    Frame::Map {
                        start: span.start,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                        merges: Vec::new(),
                        seen: None,
                        end: 0,
                    },
                    span,
                )
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span),
                Event::Alias(id) => self.alias(id, span),
                Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => true,
            };
            if !ok {
                return false;
            }
        }
        true
    }

    fn finish(mut self, complete: bool) -> Stream<'a> {
        if self.problems.iter().any(|p| p.kind == ProblemKind::Syntax) {
            // A tab in an indentation is the usual cause of a scanner error: report each one with a fix.
            let tabs = prescan::tab_indents(self.text);
            if !tabs.is_empty() {
                let idx = crate::text::LineIndex::new(self.text);
                let tab_lines: Vec<usize> = tabs.iter().map(|s| idx.position(s.start).line).collect();
                self.problems.retain(|p| {
                    p.kind != ProblemKind::Syntax || !tab_lines.contains(&idx.position(p.span.start).line)
                });
                for span in tabs {
                    self.problems.push(Problem {
                        kind: ProblemKind::TabIndent,
                        span,
                        message: "tab used for indentation; YAML allows only spaces".into(),
                        path: String::new(),
                        document: self.doc_index,
                        related: None,
                    });
                }
            }
        }
        Stream { docs: self.docs, problems: self.problems, complete }
    }

    fn span(&mut self, s: CharSpan) -> Span {
        let start = self.offsets.byte(s.start);
        let end = self.offsets.byte(s.end);
        Span::new(start, end)
    }

    fn problem(&mut self, kind: ProblemKind, span: Span, message: String) {
        let path = self.path();
        self.problems.push(Problem { kind, span, message, path, document: self.doc_index, related: None });
    }

    /// JSON Pointer of the node being built (from the open frames).
    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Seq { items, .. } => {
                    path.push('/');
                    path.push_str(&items.len().to_string());
                }
                Frame::Map { key: Some(k), .. } => {
                    path.push('/');
                    path.push_str(&escape_pointer(&k.key));
                }
                Frame::Map { key: None, .. } => {}
            }
        }
        path
    }

    fn depth_message(&self) -> String {
        format!("nesting deeper than {} levels; refusing to read further (limit: maxDepth)", self.budget.max_depth)
    }

    fn open(&mut self, frame: Frame<'a>, span: Span) -> bool {
        if self.stack.len() >= self.budget.max_depth {
            self.problem(ProblemKind::DepthLimit, span, self.depth_message());
            return false;
        }
        self.stack.push(frame);
        true
    }

    fn close(&mut self, end_span: Span) -> bool {
        let Some(frame) = self.stack.pop() else { return true };
        let (node, anchor) = match frame {
            Frame::Seq { start, anchor, items } => {
                let end = collection_end(end_span, items.last().map(|n| n.span.end), start);
                (Node { value: Value::Seq(items), span: Span::new(start, end) }, anchor)
            }
            Frame::Map { start, anchor, mut entries, merges, end: values_end, .. } => {
                let end = collection_end(end_span, (!entries.is_empty()).then_some(values_end), start);
                apply_merges(&mut entries, merges, self.budget.yaml_version);
                (Node { value: Value::Map(entries), span: Span::new(start, end) }, anchor)
            }
        };
        self.complete(node, anchor)
    }

    fn scalar(&mut self, node: Node<'a>, text: Cow<'a, str>, style: ScalarStyle, anchor: usize) -> bool {
        if let Some(Frame::Map { key: key @ None, .. }) = self.stack.last_mut() {
            let is_merge = style == ScalarStyle::Plain && text == "<<";
            self.merges_or_tags |= is_merge;
            // A plain key is a scalar like any other: kubectl's JSON keeps its value as text (`on` -> "true").
            let text = match (self.budget.yaml_version, &node.value) {
                (YamlVersion::V1_1, _) if is_merge => text,
                (YamlVersion::V1_1, Value::Str(s)) => s.clone(),
                (YamlVersion::V1_1, _) => super::resolve::key(&text, YamlVersion::V1_1).map_or(text, Cow::Owned),
                _ => text,
            };
            *key = Some(PendingKey { key: text, span: node.span, is_merge, skip: false });
            if anchor != 0 {
                let weight = node.weight();
                self.anchors.insert(anchor, (node, weight));
            }
            return true;
        }
        self.complete(node, anchor)
    }

    fn alias(&mut self, id: usize, span: Span) -> bool {
        let Some((_, weight)) = self.anchors.get(&id) else {
            self.problem(ProblemKind::Syntax, span, "alias to an unknown anchor".into());
            return false;
        };
        let weight = *weight;
        // An alias puts a copy of its anchor's tree here: it may not nest deeper than the budget,
        // and all copies together may not produce more nodes or text than the alias budgets allow.
        if self.stack.len() + weight.depth > self.budget.max_depth {
            self.problem(ProblemKind::DepthLimit, span, self.depth_message());
            return false;
        }
        self.expanded.nodes += weight.nodes;
        self.expanded.bytes += weight.bytes;
        if self.expanded.nodes > self.budget.max_alias_nodes || self.expanded.bytes > self.budget.max_alias_bytes {
            let msg = format!(
                "aliases expand to more than {} nodes or {} bytes of text (a \"billion laughs\" document?); refusing to read further (limits: maxAliasNodes, maxAliasBytes)",
                self.budget.max_alias_nodes, self.budget.max_alias_bytes
            );
            self.problem(ProblemKind::AliasLimit, span, msg);
            return false;
        }
        let node = self.anchors[&id].0.clone();
        if let Some(Frame::Map { key: key @ None, .. }) = self.stack.last_mut() {
            let text = match &node.value {
                Value::Str(s) => s.clone(),
                _ => Cow::Owned(node.to_json(self.text).to_string()),
            };
            *key = Some(PendingKey { key: text, span, is_merge: false, skip: false });
            return true;
        }
        self.complete(node, 0)
    }

    /// Attaches a finished node to its parent (or makes it the document root).
    fn complete(&mut self, node: Node<'a>, anchor: usize) -> bool {
        if anchor != 0 {
            let weight = node.weight();
            self.anchors.insert(anchor, (node.clone(), weight));
        }
        match self.stack.last_mut() {
            None => {
                let empty = node.value == Value::Null && node.span.start == node.span.end;
                let span = Span::new(self.doc_start.min(node.span.start), node.span.end);
                self.docs.push(Document { root: (!empty).then_some(node), span, merges_or_tags: std::mem::take(&mut self.merges_or_tags), non_json: std::mem::take(&mut self.non_json), ambiguous: std::mem::take(&mut self.ambiguous) });
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { key: key @ None, .. }) => {
                // A collection used as a key: not representable in JSON.
                *key = Some(PendingKey { key: Cow::Borrowed(""), span: node.span, is_merge: false, skip: true });
                let msg = "a mapping or sequence used as a key cannot be represented in JSON".to_string();
                self.problem(ProblemKind::ComplexKey, node.span, msg);
            }
            Some(Frame::Map { key, entries, merges, seen, end, .. }) => {
                let Some(k) = key.take() else { return true };
                if k.skip {
                    return true;
                }
                if k.is_merge {
                    merges.push((node, entries.len()));
                    return true;
                }
                *end = (*end).max(node.span.end);
                let found = match seen {
                    Some(map) => map.get(k.key.as_ref()).copied(),
                    None => entries.iter().position(|e| e.key == k.key),
                };
                let Some(i) = found else {
                    match seen {
                        Some(map) => {
                            map.insert(k.key.to_string(), entries.len());
                        }
                        None if entries.len() >= 16 => {
                            let mut map = HashMap::with_capacity(entries.len() * 2);
                            for (i, e) in entries.iter().enumerate() {
                                map.entry(e.key.to_string()).or_insert(i);
                            }
                            map.insert(k.key.to_string(), entries.len());
                            *seen = Some(map);
                        }
                        None => {}
                    }
                    entries.push(Entry { key: k.key, key_span: k.span, value: node });
                    return true;
                };
                let first = Some(entries[i].key_span);
                // kubectl's reader keeps the last value (the JSON it sends has one key); YAML 1.2
                // readers that accept duplicates at all keep the first.
                if self.budget.yaml_version == YamlVersion::V1_1 {
                    entries[i].value = node;
                }
                let msg = format!("duplicate key \"{}\"; strict field validation (kubectl's default) refuses it, and kubectl itself keeps the last value", k.key);
                let key_path = format!("{}/{}", self.path(), escape_pointer(&k.key));
                self.problems.push(Problem {
                    kind: ProblemKind::DuplicateKey,
                    span: k.span,
                    message: msg,
                    path: key_path,
                    document: self.doc_index,
                    related: first,
                });
            }
        }
        true
    }
}

/// saphyr's span of a scalar with an anchor or a tag starts at those properties; the value starts
/// after them (`&a 5`, `!!str x`, `&a !t "q"`).
fn skip_properties(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let mut i = span.start;
    while i < span.end && matches!(bytes.get(i), Some(b'&' | b'!')) {
        while i < span.end && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        while i < span.end && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
    }
    Span::new(i.min(span.end), span.end)
}

/// A block scalar's span runs on over its trailing line breaks and the next line's indentation.
fn trim_end(text: &str, span: Span) -> Span {
    let content = text.get(span.start..span.end).unwrap_or("");
    Span::new(span.start, span.start + content.trim_end().len())
}

/// saphyr's span of a quoted scalar runs on over trailing blanks and comments; this ends it at the
/// closing quote (`''` escapes a single quote, `\` escapes in double quotes).
pub(super) fn quoted_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let Some(&quote) = bytes.get(span.start) else { return span };
    if quote != b'\'' && quote != b'"' {
        return span;
    }
    let mut i = span.start + 1;
    while i < span.end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Span::new(span.start, i + 1),
            _ => i += 1,
        }
    }
    span
}

/// End of a collection: just after a flow collection's closing bracket (saphyr's token runs on
/// over trailing blanks and comments), else the end of its last child.
fn collection_end(end_span: Span, last_child_end: Option<usize>, start: usize) -> usize {
    if end_span.end > end_span.start {
        end_span.start + 1
    } else {
        last_child_end.unwrap_or(start)
    }
}

/// Merge keys (`<<: *base`). kubectl's reader (go-yaml v2) assigns in document order: a merge
/// overrides the keys written before it, the keys written after it override the merge, and in
/// `<<: [*a, *b]` the earlier source wins. A YAML 1.2 reading lets every explicit key win.
/// Linear in the keys merged (a map from key to entry).
fn apply_merges<'a>(entries: &mut Vec<Entry<'a>>, merges: Vec<(Node<'a>, usize)>, version: YamlVersion) {
    if merges.is_empty() {
        return;
    }
    let mut index: HashMap<Cow<'a, str>, usize> = entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect();
    for (merge, written_before) in merges {
        let sources: Vec<Node<'a>> = match merge.value {
            Value::Seq(items) => items,
            other => vec![Node { value: other, span: merge.span }],
        };
        let mut merged: HashSet<Cow<'a, str>> = HashSet::new();
        for source in sources {
            let Value::Map(src) = source.value else { continue };
            for e in src {
                if !merged.insert(e.key.clone()) {
                    continue; // an earlier source of this merge has it
                }
                match index.get(&e.key) {
                    Some(&i) if version == YamlVersion::V1_1 && i < written_before => entries[i].value = e.value,
                    Some(_) => {}
                    None => {
                        index.insert(e.key.clone(), entries.len());
                        entries.push(e);
                    }
                }
            }
        }
    }
}

/// Resolves a scalar as the selected reader does (plain scalars by [`super::resolve::plain`], and the
/// core tags `!!str`, `!!int`, `!!binary`, ...). With kubectl's reader, a core tag its value does
/// not fit (`!!int 1.5`, `!!timestamp x`) stops kubectl: the message says so.
fn resolve<'a>(text: Cow<'a, str>, style: ScalarStyle, tag: Option<&Tag>, version: YamlVersion) -> (Value<'a>, Option<String>) {
    let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) else {
        if style != ScalarStyle::Plain || tag.is_some() {
            return (Value::Str(text), None);
        }
        return (super::resolve::plain(&text, version).unwrap_or(Value::Str(text)), None);
    };
    let resolved = super::resolve::plain(&text, version);
    let kind = |v: &Option<Value>| match v {
        None => "str",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Int(_) | Value::BigInt) => "int",
        Some(_) => "float",
    };
    let found = kind(&resolved);
    let value = match tag.suffix.as_str() {
        "str" => return (Value::Str(text), None),
        "binary" if version == YamlVersion::V1_1 => return (super::resolve::binary(&text).map_or(Value::Str(text), |s| Value::Str(Cow::Owned(s))), None),
        "timestamp" if version == YamlVersion::V1_1 => {
            let b = text.as_bytes();
            let date = b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
            return if date { (Value::Str(text), None) } else { (Value::Str(text.clone()), Some(format!("kubectl refuses the file: \"cannot decode !!str `{text}` as a !!timestamp\""))) };
        }
        "null" if found == "null" => Value::Null,
        "bool" if found == "bool" => resolved.unwrap_or(Value::Null),
        "int" if found == "int" => resolved.unwrap_or(Value::Null),
        "float" if found == "float" || found == "int" => resolved.unwrap_or(Value::Null),
        "null" | "bool" | "int" | "float" if version == YamlVersion::V1_1 => {
            let msg = format!("kubectl refuses the file: \"cannot decode !!{found} `{text}` as a !!{}\"", tag.suffix);
            return (Value::Str(text), Some(msg));
        }
        "null" => Value::Null,
        "bool" | "int" | "float" => resolved.unwrap_or(Value::Str(text)),
        _ => Value::Str(text),
    };
    (value, None)
}

pub(super) fn resolve_plain(t: &str) -> Value<'static> {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let b = t.as_bytes();
    let first = b[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(Cow::Borrowed(""));
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        return t.parse::<i64>().map_or(Value::BigInt, Value::Int);
    }
    if let Some(hex) = t.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16).map_or(Value::BigInt, Value::Int);
        }
    }
    if let Some(oct) = t.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
            return i64::from_str_radix(oct, 8).map_or(Value::BigInt, Value::Int);
        }
    }
    if is_core_float(digits) {
        if let Ok(f) = t.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(Cow::Borrowed(""))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (sign already stripped).
fn is_core_float(t: &str) -> bool {
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => all_digits(int) && all_digits(f) && !(int.is_empty() && f.is_empty()),
        None => !int.is_empty() && all_digits(int),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
    };
    mantissa_ok && exp_ok
}

fn capitalize_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// saphyr reports positions in characters; this maps them to byte offsets. Positions arrive almost
/// in order, so a cursor that walks forward (or back) from the last answer is linear overall.
///
/// saphyr 0.3 counts the name and parameters of a `%` directive in bytes, not characters: after a
/// directive line with a non-ASCII character every index is ahead by its extra UTF-8 bytes (the
/// line numbers stay right). `directives` lists those lines; the drift of a position is the sum of
/// the extra bytes of the directive lines above it, but for a line a multi-line scalar took as
/// content (`--- |` then `%é`), which saphyr never scanned as a directive.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
    /// Empty unless a line starts with a `%` directive with a non-ASCII character (rare).
    directives: Vec<Directive>,
    /// `directives[..passed]` are above the line of the last position mapped; `drift` is the sum
    /// of their extra bytes (those not taken as content).
    passed: usize,
    drift: usize,
}

struct Directive {
    /// 1-based, as saphyr counts lines (`\n`, `\r\n`, a lone `\r`).
    line: usize,
    /// What saphyr's index runs ahead after the line.
    extra: usize,
    /// The line is inside a multi-line scalar: no directive, no drift.
    content: bool,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let directives = if ascii { Vec::new() } else { directive_lines(text) };
        Offsets { text, ascii, chars: 0, bytes: 0, directives, passed: 0, drift: 0 }
    }

    /// A scalar event: the directive-looking lines its span reaches into were its content (a block
    /// scalar's span starts at its first line of content, and may end at column 0 of the next line).
    fn scalar_lines(&mut self, span: CharSpan) {
        if self.directives.is_empty() {
            return;
        }
        let first = span.start.line();
        let last = if span.end.col() == 0 { span.end.line().saturating_sub(1) } else { span.end.line() };
        let from = self.directives.partition_point(|d| d.line < first);
        for (i, d) in self.directives.iter_mut().enumerate().skip(from).take_while(|(_, d)| d.line <= last) {
            if !d.content {
                d.content = true;
                if i < self.passed {
                    self.drift -= d.extra;
                }
            }
        }
    }

    fn byte(&mut self, m: Marker) -> usize {
        let mut char_index = m.index();
        if !self.directives.is_empty() {
            let line = m.line();
            while let Some(d) = self.directives.get(self.passed).filter(|d| d.line < line) {
                self.drift += if d.content { 0 } else { d.extra };
                self.passed += 1;
            }
            while let Some(d) = self.passed.checked_sub(1).map(|i| &self.directives[i]).filter(|d| d.line >= line) {
                self.drift -= if d.content { 0 } else { d.extra };
                self.passed -= 1;
            }
            char_index = char_index.saturating_sub(self.drift);
        }
        self.char_byte(char_index)
    }

    fn char_byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index {
            match self.text[self.bytes..].chars().next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => return self.bytes,
            }
        }
        while self.chars > char_index {
            match self.text[..self.bytes].chars().next_back() {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => break,
            }
        }
        self.bytes
    }
}

/// The lines saphyr scans as a `%` directive (a `%` at the start of a line, after any byte order
/// marks) whose name or parameters have a non-ASCII character, with the extra bytes saphyr counts:
/// those of every character up to the line break (or a byte order mark, where saphyr stops), unless
/// the name is `YAML` or `TAG`, whose values saphyr counts in characters.
fn directive_lines(text: &str) -> Vec<Directive> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut line, mut counted) = (1, 0);
    for at in memchr::memchr_iter(b'%', bytes) {
        let mut start = at;
        while start >= 3 && &bytes[start - 3..start] == "\u{feff}".as_bytes() {
            start -= 3;
        }
        if start > 0 && !matches!(bytes[start - 1], b'\n' | b'\r') {
            continue;
        }
        let rest = &text[at + 1..];
        let rest = &rest[..rest.find(['\n', '\r', '\u{feff}']).unwrap_or(rest.len())];
        let name = rest.split([' ', '\t']).next().unwrap_or("");
        let extra = rest.len() - rest.chars().count();
        if extra == 0 || name == "YAML" || name == "TAG" {
            continue;
        }
        while counted < start {
            match crate::text::line_break_len(bytes, counted) {
                Some(len) => {
                    line += 1;
                    counted += len;
                }
                None => counted += 1,
            }
        }
        out.push(Directive { line, extra, content: false });
    }
    out
}
