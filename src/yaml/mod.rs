//! YAML (and JSON, a subset of YAML 1.2) into a tree whose every node knows its byte span.
//!
//! The event parser is `saphyr-parser` (YAML 1.2, passes the yaml-test-suite). This module builds the
//! tree iteratively (no recursion, so deep input cannot overflow the stack), resolves plain scalars
//! with the YAML 1.2 core schema, reports duplicate keys, and enforces the budgets on nesting depth
//! and alias expansion that make hostile input ("billion laughs") fail fast with a clear message.
//!
//! [`parse`] first tries the fast path (`fast.rs`), a one-pass reader of the block YAML that
//! Kubernetes tools write, which gives up (`None`) on anything outside that subset; its result is
//! always identical to the loader's. [`parse_slow`] is the loader alone.
//!
//! Without the `full` feature (wasm32 only: the page's validate-only module, see scripts/build.sh)
//! the loader is not linked: an input outside the fast subset gives an empty, incomplete stream and
//! [`take_loader_needed`] says so, for the boundary to tell its caller to use the full module.

mod fast;
mod loader;
mod prescan;
pub mod resolve;
pub mod subset;

use std::borrow::Cow;

pub use fast::{line_key, line_value, parse_fast};
pub use resolve::YamlVersion;

/// Parses a YAML stream. Never panics; problems are returned in `Stream::problems`.
pub fn parse(text: &str, budget: Budget) -> Stream<'_> {
    let mut docs = Vec::new();
    let Ending { problems, complete } = parse_each(text, budget, &mut docs);
    Stream { docs, problems, complete }
}

/// Takes the documents of a stream in order, as they are read.
pub trait Sink<'a> {
    fn doc(&mut self, doc: Document<'a>);
    /// The documents given so far are void: the stream is read again from its start.
    fn restart(&mut self);
}

impl<'a> Sink<'a> for Vec<Document<'a>> {
    fn doc(&mut self, doc: Document<'a>) {
        self.push(doc);
    }
    fn restart(&mut self) {
        self.clear();
    }
}

/// What [`parse_each`] returns after the last document: the stream's problems and whether the
/// reading completed (as in [`Stream`]).
pub struct Ending {
    pub problems: Vec<Problem>,
    pub complete: bool,
}

/// [`parse`], handing each document to `sink` as soon as it is read: a caller that checks and drops
/// each one never holds the whole tree (on the bench corpus, reading and dropping 10,000 documents
/// one by one takes 55 % of the time it takes when they are held: the tree of one document stays in
/// the cache). Input outside the fast subset is read by the loader whole, then given in order.
pub fn parse_each<'a>(text: &'a str, budget: Budget, sink: &mut dyn Sink<'a>) -> Ending {
    if fast::parse_into(text, budget, sink).is_some() {
        return Ending { problems: Vec::new(), complete: true };
    }
    sink.restart();
    let stream = slow(text, budget);
    for doc in stream.docs {
        sink.doc(doc);
    }
    Ending { problems: stream.problems, complete: stream.complete }
}

#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
fn slow(text: &str, budget: Budget) -> Stream<'_> {
    loader::parse(text, budget)
}

#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
fn slow(_text: &str, _budget: Budget) -> Stream<'_> {
    LOADER_NEEDED.with(|c| c.set(true));
    Stream { docs: Vec::new(), problems: Vec::new(), complete: false }
}

#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
thread_local! {
    static LOADER_NEEDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a [`parse`] since the last call met input that only the loader reads (and gave an empty
/// stream for it). Always `false` when the loader is built in.
pub fn take_loader_needed() -> bool {
    #[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
    return LOADER_NEEDED.with(|c| c.replace(false));
    #[cfg(any(feature = "full", not(target_arch = "wasm32")))]
    false
}

/// [`parse`] without the fast path: the saphyr-based loader (for tests and differential fuzzing).
pub fn parse_slow(text: &str, budget: Budget) -> Stream<'_> {
    loader::parse(text, budget)
}

/// Byte range `[start, end)` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end: end.max(start) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer literal that does not fit in an int64 (the text is at the node's span).
    BigInt,
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| same(&e.key, key)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry<'a>]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The JSON type name used in messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::BigInt => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// What a copy of this subtree costs (for the alias budgets): nodes, bytes of text in its keys
    /// and strings, and nesting depth (a scalar is 0).
    pub fn weight(&self) -> Weight {
        let mut w = Weight::default();
        let mut stack = vec![(self, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            w.nodes += 1;
            w.depth = w.depth.max(depth);
            match &node.value {
                Value::Seq(items) => {
                    w.depth = w.depth.max(depth + 1);
                    stack.extend(items.iter().map(|n| (n, depth + 1)));
                }
                Value::Map(entries) => {
                    w.depth = w.depth.max(depth + 1);
                    for e in entries {
                        w.bytes += e.key.len();
                        stack.push((&e.value, depth + 1));
                    }
                }
                Value::Str(s) => w.bytes += s.len(),
                _ => w.bytes += node.span.end - node.span.start,
            }
        }
        w
    }

    /// Appends the spans of every scalar of this subtree, keys included (in no particular order).
    pub fn scalar_spans(&self, out: &mut Vec<Span>) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Seq(items) => stack.extend(items),
                Value::Map(entries) => {
                    for e in entries {
                        out.push(e.key_span);
                        stack.push(&e.value);
                    }
                }
                _ => out.push(node.span),
            }
        }
    }

    /// Converts to a JSON value (integers that overflow int64 become their decimal text as a float).
    pub fn to_json(&self, src: &str) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::BigInt => src
                .get(self.span.start..self.span.end)
                .and_then(|t| t.trim().parse::<f64>().ok())
                .and_then(serde_json::Number::from_f64)
                .map_or(J::Null, J::Number),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(|n| n.to_json(src)).collect()),
            Value::Map(entries) => J::Object(
                entries.iter().map(|e| (e.key.to_string(), e.value.to_json(src))).collect(),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document<'a> {
    /// `None` for an empty document (only comments, or a bare `---`).
    pub root: Option<Node<'a>>,
    pub span: Span,
    /// The document uses merge keys (`<<`) or tags (`!!binary`, `!custom`), which kubectl's reader
    /// applies and YAML 1.2 readers read otherwise or refuse.
    pub merges_or_tags: bool,
    /// The document has a value or key JSON cannot carry (`.inf`, `.nan`, a null key): kubectl
    /// refuses it.
    pub non_json: bool,
    /// Some plain scalar or key of the document is read differently by kubectl (YAML 1.1) and YAML
    /// 1.2 readers (`yes`, `010`, key `on`): only then are spellings looked for.
    pub ambiguous: bool,
}

/// A problem found while reading the YAML itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
    /// JSON Pointer of the mapping or key concerned, when there is one.
    pub path: String,
    /// The YAML document (0-based) the problem is in.
    pub document: usize,
    /// A second place the message refers to (the first definition of a duplicate key).
    pub related: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Syntax,
    DuplicateKey,
    TabIndent,
    ControlChar,
    ComplexKey,
    DepthLimit,
    AliasLimit,
    /// Something kubectl's reader refuses although YAML allows it (a core tag the value does not fit).
    KubectlRefuses,
}

/// The result of reading one input. When a fatal problem (syntax, budget) stops the parser, the
/// documents completed before it are kept and `complete` is false.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream<'a> {
    pub docs: Vec<Document<'a>>,
    pub problems: Vec<Problem>,
    pub complete: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_depth: usize,
    pub max_alias_nodes: usize,
    pub max_alias_bytes: usize,
    /// How plain scalars are read (kubectl's YAML 1.1 by default).
    pub yaml_version: YamlVersion,
}

/// The deepest nesting any caller may ask for: every later stage may recurse this deep, and the
/// wasm stack (1 MiB) must hold it.
pub const MAX_DEPTH_LIMIT: usize = 1_000;

impl Default for Budget {
    fn default() -> Self {
        Budget { max_depth: 64, max_alias_nodes: 100_000, max_alias_bytes: 8 * 1024 * 1024, yaml_version: YamlVersion::V1_1 }
    }
}

/// The cost of a subtree for the alias budgets ([`Node::weight`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weight {
    pub nodes: usize,
    pub bytes: usize,
    pub depth: usize,
}

/// `base` followed by `/token` for each token (already escaped): the pointers built for every
/// object, without the formatting machinery (which costs several times more in wasm).
pub fn join_pointer(base: &str, tokens: &[&str]) -> String {
    let mut out = String::with_capacity(base.len() + tokens.iter().map(|t| t.len() + 1).sum::<usize>() + 4);
    out.push_str(base);
    for t in tokens {
        out.push('/');
        out.push_str(t);
    }
    out
}

/// Appends `/` and the decimal `i` (an array index token) to `path`.
pub fn push_index(path: &mut String, mut i: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    path.push('/');
    path.extend(digits[at..].iter().map(|&d| d as char));
}

/// Whether two keys are equal: `==` without the call to `memcmp` (in wasm a byte loop out of line,
/// which the lookups of keys in mappings and schemas spent 3 % of a `validate` of the bench corpus in).
#[inline]
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        if u64::from_le_bytes(x.try_into().unwrap_or_default()) != u64::from_le_bytes(y.try_into().unwrap_or_default()) {
            return false;
        }
    }
    let (ra, rb) = (ca.remainder(), cb.remainder());
    (0..ra.len()).all(|i| ra[i] == rb[i])
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn escape_pointer(token: &str) -> Cow<'_, str> {
    if memchr::memchr2(b'~', b'/', token.as_bytes()).is_some() {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests;
