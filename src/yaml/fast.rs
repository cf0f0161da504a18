//! Fast path for the block YAML that Kubernetes tools write.
//!
//! [`parse_fast`] reads the common subset of YAML in one pass over the bytes, line by line, and
//! builds the same tree as [`super::loader::parse`] (same values, same byte spans). It returns
//! `None` as soon as the input leaves the subset, and the caller falls back to the full loader.
//!
//! The subset: `---` document markers, comments, blank lines, block mappings, block sequences
//! (indented, indentless, `- key: v` compact mappings, `- - x`), single-line plain, single- and
//! double-quoted scalars, empty values and the empty flow collections `[]` and `{}`.
//!
//! Everything else bails: flow collections with content, anchors, aliases, tags, block scalars,
//! multi-line scalars, `?` keys, `<<` merge keys, directives, `...`, tabs, a CR not followed by an
//! LF (CRLF is a line break, as in saphyr), other control characters, a byte order mark, keys
//! longer than 1000 bytes, nesting at the depth budget, and any input the loader would report a
//! problem for (duplicate keys included).
//!
//! The spans follow saphyr's token positions exactly:
//! - a block mapping starts at its first key; a block sequence at its first `-`, except an
//!   indentless one (`key:` then `- x` at the key's column), which starts after its first `- `;
//! - a block collection ends where its last child ends;
//! - `key:` with no value is a null at the `:` (zero width); `-` with no value is a null just
//!   after the `-` and the spaces (and comment) that follow it;
//! - a quoted scalar ends at its closing quote, `[]` and `{}` at their closing bracket;
//! - a document starts at its `---` (or at its root) and ends at its root's end; an empty explicit
//!   document ends at the end of the next `---`, or at the end of the text.

use std::borrow::Cow;

use super::{prescan, Budget, Document, Entry, Node, Sink, Span, Stream, Value};

/// Parses `text` if it is in the fast subset; `Some(s)` is always equal to `loader::parse(text)`.
pub fn parse_fast(text: &str, budget: Budget) -> Option<Stream<'_>> {
    let mut docs = Vec::new();
    parse_into(text, budget, &mut docs)?;
    Some(Stream { docs, problems: Vec::new(), complete: true })
}

/// [`parse_fast`] handing each document to `sink` as soon as it is read. `None`: the input left
/// the subset, and the documents given so far are void (the caller reads the text again).
pub(super) fn parse_into<'a>(text: &'a str, budget: Budget, sink: &mut dyn Sink<'a>) -> Option<()> {
    let mut p = Fast {
        s: Scan::new(text),
        max_depth: budget.max_depth,
        yaml_version: budget.yaml_version,
        stack: Vec::with_capacity(16),
        entries: Vec::with_capacity(64),
        items: Vec::with_capacity(64),
        pending: None,
        non_json: std::cell::Cell::new(false),
        ambiguous: std::cell::Cell::new(false),
        sink,
        doc_start: None,
        root: None,
    };
    p.run()?;
    if p.non_ascii && !non_ascii_ok(text) {
        return None;
    }
    Some(())
}

/// A key at `p` of `text` (`key:` on one line), read as [`parse_fast`] reads keys: its value, its
/// span and the position of its `:`. `None` for a key outside the fast subset (non-ASCII included).
/// With [`line_value`], this lets a caller read a few lines of a large document without parsing
/// the rest of it (the audit reads a Pod's fields this way).
pub fn line_key(text: &str, p: usize, version: super::YamlVersion) -> Option<(Cow<'_, str>, Span, usize)> {
    let mut s = Scan::new(text);
    let tok = s.token(p)?;
    let Term::Colon(colon) = tok.term else { return None };
    key_ok(&tok, colon, version)?;
    (!s.non_ascii).then_some((tok.text, tok.span, colon))
}

/// The value at `p` of `text` that ends its line (a single-line scalar, `[]` or `{}`, maybe then a
/// comment), read as [`parse_fast`] reads values: the node and where the line ends (its `\n` or the
/// end of the text). `None` outside the fast subset (non-ASCII included).
pub fn line_value(text: &str, p: usize, version: super::YamlVersion) -> Option<(Node<'_>, usize)> {
    let mut s = Scan::new(text);
    let tok = s.token(p)?;
    let Term::Eol(end) = tok.term else { return None };
    if s.non_ascii {
        return None;
    }
    let value = match tok.kind {
        Kind::Plain => super::resolve::plain(&tok.text, version).unwrap_or(Value::Str(tok.text)),
        Kind::Quoted => Value::Str(tok.text),
        Kind::EmptySeq => Value::Seq(Vec::new()),
        Kind::EmptyMap => Value::Map(Vec::new()),
    };
    Some((Node { value, span: tok.span }, end))
}

/// Whether `tok` (followed by the `:` at `colon`) is a key of the fast subset.
fn key_ok(tok: &Token<'_>, colon: usize, version: super::YamlVersion) -> Option<()> {
    match tok.kind {
        Kind::Plain if tok.text == "<<" => return None,
        // A key some reader takes for a non-string (`on:`, `1:`): the loader handles it.
        Kind::Plain if super::resolve::key(&tok.text, version).is_some() => return None,
        Kind::Plain | Kind::Quoted => {}
        Kind::EmptySeq | Kind::EmptyMap => return None,
    }
    (colon - tok.span.start <= MAX_KEY).then_some(())
}

/// Non-ASCII text: no character the loader refuses up front, and no byte order mark (which ends a
/// plain scalar and is only allowed between documents).
#[cold]
fn non_ascii_ok(text: &str) -> bool {
    prescan::forbidden_char(text).is_none() && !text.contains('\u{feff}')
}

// Byte classes (bit flags).
/// Stops a plain scalar: space, `:`, line feed, control, non-ASCII.
const PLAIN: u8 = 1;
/// Stops a single-quoted scalar: `'`, line feed, control, non-ASCII.
const SQ: u8 = 2;
/// Stops a double-quoted scalar: `"`, `\`, line feed, control, non-ASCII.
const DQ: u8 = 4;
/// Stops a comment: line feed, control, non-ASCII.
const CMT: u8 = 8;
/// Refused everywhere: controls other than line feed (tab and CR included), DEL.
const BAD: u8 = 16;
/// A byte of a multi-byte UTF-8 character.
const HIGH: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c == b'\n' {
            PLAIN | SQ | DQ | CMT
        } else if c < 0x20 || c == 0x7f {
            PLAIN | SQ | DQ | CMT | BAD
        } else if c >= 0x80 {
            PLAIN | SQ | DQ | CMT | HIGH
        } else if c == b' ' || c == b':' {
            PLAIN
        } else if c == b'\'' {
            SQ
        } else if c == b'"' || c == b'\\' {
            DQ
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Longest key accepted (saphyr refuses simple keys longer than 1024 characters).
const MAX_KEY: usize = 1000;

/// Start of an indentless sequence not known yet (it is set by its first `-`).
const UNSET: usize = usize::MAX;

/// An open block collection. Its children wait on the parser's `entries` / `items` stacks from
/// `base` on, and move to a vector of the exact size when it closes (one allocation each).
enum Frame<'a> {
    Map {
        indent: usize,
        start: usize,
        base: usize,
        /// The key whose value is being read.
        key: Option<(Cow<'a, str>, Span)>,
    },
    Seq {
        indent: usize,
        start: usize,
        base: usize,
        /// `- x` at the column of the key that owns the sequence.
        indentless: bool,
    },
}

impl Frame<'_> {
    #[inline]
    fn indent(&self) -> usize {
        match self {
            Frame::Map { indent, .. } | Frame::Seq { indent, .. } => *indent,
        }
    }
}

/// What follows a scalar on its line.
#[derive(Clone, Copy)]
enum Term {
    /// Nothing but spaces and maybe a comment: the end of the line (the position of its `\n`, or
    /// the end of the text).
    Eol(usize),
    /// A mapping value indicator `:` at this position.
    Colon(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    Quoted,
    EmptySeq,
    EmptyMap,
}

struct Token<'a> {
    kind: Kind,
    text: Cow<'a, str>,
    span: Span,
    term: Term,
}

struct Fast<'a, 's> {
    /// The text and its scalar reader.
    s: Scan<'a>,
    max_depth: usize,
    yaml_version: super::YamlVersion,
    stack: Vec<Frame<'a>>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<Entry<'a>>,
    /// Items of the open sequences, innermost last.
    items: Vec<Node<'a>>,
    /// After `key:` or `-` with nothing more on the line: where the empty value (a null) would be.
    pending: Option<usize>,
    /// The document being read has a value JSON cannot carry (`.inf`, `.nan`).
    non_json: std::cell::Cell<bool>,
    /// The document being read has a scalar the two readers read differently.
    ambiguous: std::cell::Cell<bool>,
    /// Takes each finished document.
    sink: &'s mut dyn Sink<'a>,
    /// The `---` of the current document, if it has one.
    doc_start: Option<usize>,
    root: Option<Node<'a>>,
}

/// Reads scalars (and `[]` / `{}`) on one line of the text: what the parser does within a line,
/// also used alone by [`line_key`] and [`line_value`].
struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    /// Non-ASCII bytes were passed over (the caller checks them once).
    non_ascii: bool,
}

impl<'a> std::ops::Deref for Fast<'a, '_> {
    type Target = Scan<'a>;
    fn deref(&self) -> &Scan<'a> {
        &self.s
    }
}

impl std::ops::DerefMut for Fast<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.s
    }
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan { text, b: text.as_bytes(), non_ascii: false }
    }

    /// The byte at `i`, with the end of the text, and the CR of a CRLF, read as a line feed.
    #[inline]
    fn at(&self, i: usize) -> u8 {
        match self.b.get(i) {
            Some(b'\r') if self.b.get(i + 1) == Some(&b'\n') => b'\n',
            Some(&c) => c,
            None => b'\n',
        }
    }

    /// Space, line feed or end of text.
    #[inline]
    fn blank_or_eol(&self, i: usize) -> bool {
        matches!(self.at(i), b' ' | b'\n')
    }

    #[inline]
    fn skip_spaces(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// The end of the comment starting at `i`: the position of its line feed, or the text's end.
    fn comment_end(&mut self, mut i: usize) -> Option<usize> {
        let b = self.b;
        loop {
            while i < b.len() && CLASS[b[i] as usize] & CMT == 0 {
                i += 1;
            }
            if i >= b.len() {
                return Some(i);
            }
            let c = CLASS[b[i] as usize];
            if self.at(i) == b'\n' {
                return Some(i);
            }
            if c & BAD != 0 {
                return None;
            }
            self.non_ascii = true;
            i += 1;
        }
    }

    /// A scalar (or `[]` / `{}`) starting at `p`, and what follows it on the line.
    fn token(&mut self, p: usize) -> Option<Token<'a>> {
        let c = self.at(p);
        match c {
            b'\'' | b'"' => {
                let (text, after) = if c == b'\'' { self.single(p)? } else { self.double(p)? };
                let term = self.term_after(after)?;
                // The span ends at the closing quote (the loader trims saphyr's longer token).
                Some(Token { kind: Kind::Quoted, text, span: Span { start: p, end: after }, term })
            }
            b'[' | b'{' => {
                let (close, kind) = if c == b'[' { (b']', Kind::EmptySeq) } else { (b'}', Kind::EmptyMap) };
                if self.at(p + 1) != close {
                    return None;
                }
                let term = self.term_after(p + 2)?;
                Some(Token { kind, text: Cow::Borrowed(""), span: Span { start: p, end: p + 2 }, term })
            }
            b'-' | b'?' | b':' if self.blank_or_eol(p + 1) => None,
            b']' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b' ' => None,
            _ if CLASS[c as usize] & BAD != 0 || c == b'\n' => None,
            _ => {
                let (end, term) = self.plain(p)?;
                let text = Cow::Borrowed(&self.text[p..end]);
                Some(Token { kind: Kind::Plain, text, span: Span { start: p, end }, term })
            }
        }
    }

    /// What follows a quoted scalar or empty flow collection ending at `i`.
    fn term_after(&mut self, i: usize) -> Option<Term> {
        let k = self.skip_spaces(i);
        match self.at(k) {
            b'\n' => Some(Term::Eol(k.min(self.b.len()))),
            b'#' if k > i => Some(Term::Eol(self.comment_end(k)?)),
            b':' if self.blank_or_eol(k + 1) => Some(Term::Colon(k)),
            _ => None,
        }
    }

    /// A single-line plain scalar at `p`: its end (trailing spaces excluded) and what follows.
    #[inline]
    fn plain(&mut self, p: usize) -> Option<(usize, Term)> {
        let b = self.b;
        let n = b.len();
        let mut i = p;
        loop {
            while i < n && CLASS[b[i] as usize] & PLAIN == 0 {
                i += 1;
            }
            if i >= n {
                return Some((n, Term::Eol(n)));
            }
            match self.at(i) {
                b'\n' => return Some((i, Term::Eol(i))),
                b' ' => {
                    let k = self.skip_spaces(i + 1);
                    match self.at(k) {
                        b'\n' => return Some((i, Term::Eol(k.min(n)))),
                        b'#' => return Some((i, Term::Eol(self.comment_end(k)?))),
                        b':' if self.blank_or_eol(k + 1) => return Some((i, Term::Colon(k))),
                        _ => i = k,
                    }
                }
                b':' => {
                    if self.blank_or_eol(i + 1) {
                        return Some((i, Term::Colon(i)));
                    }
                    i += 1;
                }
                c if CLASS[c as usize] & HIGH != 0 => {
                    self.non_ascii = true;
                    i += 1;
                }
                _ => return None,
            }
        }
    }

    /// From `i`, the next ASCII byte of `class` (for a quoted scalar: its quote, escape, line feed
    /// or a control), passing over the other bytes and noting non-ASCII ones; `None` at the end.
    #[inline]
    fn next_stop(&mut self, mut i: usize, class: u8) -> Option<usize> {
        let b = self.b;
        loop {
            while i < b.len() && CLASS[b[i] as usize] & class == 0 {
                i += 1;
            }
            if CLASS[*b.get(i)? as usize] & HIGH == 0 {
                return Some(i);
            }
            self.non_ascii = true;
            i += 1;
        }
    }

    /// A single-line single-quoted scalar at `p`: its value and the position after the closing quote.
    fn single(&mut self, p: usize) -> Option<(Cow<'a, str>, usize)> {
        let mut i = p + 1;
        let mut seg = i;
        let mut owned: Option<String> = None;
        loop {
            i = self.next_stop(i, SQ)?;
            match self.b[i] {
                b'\'' if self.at(i + 1) == b'\'' => {
                    owned.get_or_insert_with(String::new).push_str(&self.text[seg..=i]);
                    i += 2;
                    seg = i;
                }
                b'\'' => break,
                _ => return None,
            }
        }
        Some((joined(owned, &self.text[seg..i]), i + 1))
    }

    /// A single-line double-quoted scalar at `p`: its value and the position after the closing quote.
    fn double(&mut self, p: usize) -> Option<(Cow<'a, str>, usize)> {
        let mut i = p + 1;
        let mut seg = i;
        let mut owned: Option<String> = None;
        loop {
            i = self.next_stop(i, DQ)?;
            match self.b[i] {
                b'"' => break,
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[seg..i]);
                    let (ch, len) = escape(&self.b[i + 1..])?;
                    s.push(ch);
                    i += 1 + len;
                    seg = i;
                }
                _ => return None,
            }
        }
        Some((joined(owned, &self.text[seg..i]), i + 1))
    }
}

#[inline]
fn null(at: usize) -> Node<'static> {
    Node { value: Value::Null, span: Span { start: at, end: at } }
}

impl<'a> Fast<'a, '_> {
    fn run(&mut self) -> Option<()> {
        let b = self.b;
        let n = b.len();
        let mut pos = 0;
        while pos < n {
            let ls = pos;
            let i = self.skip_spaces(pos);
            if i >= n {
                break;
            }
            match self.at(i) {
                b'\n' => {
                    pos = i + 1;
                    continue;
                }
                b'#' => {
                    pos = self.comment_end(i)? + 1;
                    continue;
                }
                _ => {}
            }
            if i == ls {
                match b[i] {
                    b'-' if b[i..].starts_with(b"---") && self.blank_or_eol(i + 3) => {
                        self.end_doc(Some(i))?;
                        pos = self.line_end(i + 3)?;
                        continue;
                    }
                    b'.' if b[i..].starts_with(b"...") => return None,
                    b'%' => return None,
                    _ => {}
                }
            }
            pos = self.line(ls, i)?;
        }
        self.end_doc(None)
    }

    /// After a token ending at `i`: optional spaces, then the end of the line or a comment (which
    /// must follow a space). Returns the start of the next line.
    fn line_end(&mut self, i: usize) -> Option<usize> {
        let k = self.skip_spaces(i);
        match self.at(k) {
            b'\n' => Some(k + 1),
            b'#' if k > i => Some(self.comment_end(k)? + 1),
            _ => None,
        }
    }

    #[inline]
    fn after_term(&mut self, term: Term) -> Option<usize> {
        match term {
            Term::Eol(e) => Some(e + 1),
            Term::Colon(_) => None,
        }
    }

    fn open(&mut self, frame: Frame<'a>) -> Option<()> {
        if self.stack.len() >= self.max_depth {
            return None;
        }
        self.stack.push(frame);
        Some(())
    }

    #[inline]
    fn open_map(&mut self, indent: usize, start: usize) -> Option<()> {
        let base = self.entries.len();
        self.open(Frame::Map { indent, start, base, key: None })
    }

    #[inline]
    fn open_seq(&mut self, indent: usize, start: usize, indentless: bool) -> Option<()> {
        let base = self.items.len();
        self.open(Frame::Seq { indent, start, base, indentless })
    }

    /// Attaches a finished node to the innermost open collection (or makes it the root).
    #[inline]
    fn value(&mut self, node: Node<'a>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => {
                // A map only receives a value after its key was set.
                if let Some((k, key_span)) = key.take() {
                    self.entries.push(Entry { key: k, key_span, value: node });
                }
            }
        }
    }

    fn close(&mut self) -> Option<()> {
        let node = match self.stack.pop()? {
            Frame::Map { start, base, key, .. } => {
                let children = &self.entries[base..];
                if key.is_some() || has_duplicate(children) {
                    return None;
                }
                let end = children.last().map_or(start, |e| e.value.span.end);
                let entries: Vec<Entry<'a>> = self.entries.drain(base..).collect();
                Node { value: Value::Map(entries), span: Span::new(start, end) }
            }
            Frame::Seq { start, base, .. } => {
                if start == UNSET {
                    return None;
                }
                let end = self.items[base..].last().map_or(start, |n| n.span.end);
                let items: Vec<Node<'a>> = self.items.drain(base..).collect();
                Node { value: Value::Seq(items), span: Span::new(start, end) }
            }
        };
        self.value(node);
        Some(())
    }

    /// Ends the current document (at a `---` at `next`, or at the end of the text).
    fn end_doc(&mut self, next: Option<usize>) -> Option<()> {
        if let Some(p) = self.pending.take() {
            self.value(null(p));
        }
        while !self.stack.is_empty() {
            self.close()?;
        }
        match (self.root.take(), self.doc_start) {
            (Some(root), start) => {
                let start = start.map_or(root.span.start, |s| s.min(root.span.start));
                let span = Span::new(start, root.span.end);
                self.sink.doc(Document { root: Some(root), span, merges_or_tags: false, non_json: std::mem::take(self.non_json.get_mut()), ambiguous: std::mem::take(self.ambiguous.get_mut()) });
            }
            (None, Some(start)) => {
                let end = next.map_or(self.b.len(), |m| m + 3);
                self.sink.doc(Document { root: None, span: Span::new(start, end), merges_or_tags: false, non_json: std::mem::take(self.non_json.get_mut()), ambiguous: std::mem::take(self.ambiguous.get_mut()) });
            }
            (None, None) => {}
        }
        self.doc_start = next;
        Some(())
    }

    /// One line with content at `i` (`ls`: the line start, so the column is `i - ls`). Returns the
    /// start of the next line.
    fn line(&mut self, ls: usize, i: usize) -> Option<usize> {
        let indent = i - ls;
        let is_item = self.b[i] == b'-' && self.blank_or_eol(i + 1);

        // The value of a `key:` or `-` that ended the previous line.
        if let Some(p) = self.pending.take() {
            let (is_map, top) = match self.stack.last()? {
                Frame::Map { indent, .. } => (true, *indent),
                Frame::Seq { indent, .. } => (false, *indent),
            };
            if is_item && (indent > top || (is_map && indent == top)) {
                let indentless = indent == top;
                let start = if indentless { UNSET } else { i };
                self.open_seq(indent, start, indentless)?;
                return self.item(ls, i);
            }
            if indent > top {
                self.open_map(indent, i)?;
                return self.key_line(i);
            }
            self.value(null(p));
        }

        // Close the collections this line is outside of.
        while let Some(top) = self.stack.last() {
            let close = match top {
                Frame::Seq { indent: s, indentless: true, .. } => *s > indent || (*s == indent && !is_item),
                other => other.indent() > indent,
            };
            if !close {
                break;
            }
            self.close()?;
        }

        match self.stack.last() {
            None => {
                if self.root.is_some() {
                    return None;
                }
                if is_item {
                    self.open_seq(indent, i, false)?;
                    return self.item(ls, i);
                }
                self.open_map(indent, i)?;
                self.key_line(i)
            }
            Some(Frame::Map { indent: m, .. }) if *m == indent && !is_item => self.key_line(i),
            Some(Frame::Seq { indent: s, .. }) if *s == indent && is_item => self.item(ls, i),
            _ => None,
        }
    }

    /// `key: ...` at `i`, in the mapping on top of the stack.
    fn key_line(&mut self, i: usize) -> Option<usize> {
        let tok = self.token(i)?;
        let Term::Colon(colon) = tok.term else { return None };
        self.set_key(tok, colon)?;
        self.after_colon(colon)
    }

    fn set_key(&mut self, tok: Token<'a>, colon: usize) -> Option<()> {
        key_ok(&tok, colon, self.yaml_version)?;
        if tok.kind == Kind::Plain && super::resolve::plain_and_ambiguity(&tok.text, self.yaml_version).1 {
            self.ambiguous.set(true);
        }
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = Some((tok.text, tok.span)),
            _ => return None,
        }
        Some(())
    }

    /// The value after the `:` at `colon`.
    fn after_colon(&mut self, colon: usize) -> Option<usize> {
        let j = self.skip_spaces(colon + 1);
        match self.at(j) {
            b'\n' => {
                self.pending = Some(colon);
                return Some(j + 1);
            }
            b'#' => {
                self.pending = Some(colon);
                return Some(self.comment_end(j)? + 1);
            }
            b'-' if self.blank_or_eol(j + 1) => return None,
            _ => {}
        }
        let tok = self.token(j)?;
        let next = self.after_term(tok.term)?;
        let node = self.node(tok)?;
        self.value(node);
        Some(next)
    }

    /// A `- ` sequence entry at `i`, in the sequence on top of the stack.
    fn item(&mut self, ls: usize, mut i: usize) -> Option<usize> {
        // A loop rather than recursion for `- - - x`: the depth budget may be large.
        let p = loop {
            let mut p = self.skip_spaces(i + 1);
            if self.at(p) == b'#' {
                // saphyr places the entry after the comment that follows it.
                p = self.comment_end(p)?;
            }
            let p = p.min(self.b.len());
            if let Some(Frame::Seq { start, .. }) = self.stack.last_mut() {
                if *start == UNSET {
                    *start = p;
                }
            }
            match self.at(p) {
                b'\n' => {
                    self.pending = Some(p);
                    return Some(p + 1);
                }
                b'-' if self.blank_or_eol(p + 1) => {
                    self.open_seq(p - ls, p, false)?;
                    i = p;
                }
                _ => break p,
            }
        };
        let tok = self.token(p)?;
        if let Term::Colon(colon) = tok.term {
            self.open_map(p - ls, p)?;
            self.set_key(tok, colon)?;
            return self.after_colon(colon);
        }
        let next = self.after_term(tok.term)?;
        let node = self.node(tok)?;
        self.value(node);
        Some(next)
    }

    /// The node of a value token (plain scalars resolved with the core schema).
    fn node(&self, tok: Token<'a>) -> Option<Node<'a>> {
        let value = match tok.kind {
            Kind::Plain => {
                let (value, ambiguous) = super::resolve::plain_and_ambiguity(&tok.text, self.yaml_version);
                if ambiguous {
                    self.ambiguous.set(true);
                }
                match value {
                    Some(Value::Float(f)) if !f.is_finite() => {
                        self.non_json.set(true);
                        Value::Float(f)
                    }
                    v => v.unwrap_or(Value::Str(tok.text)),
                }
            }
            Kind::Quoted => Value::Str(tok.text),
            Kind::EmptySeq | Kind::EmptyMap => {
                // The loader opens (and closes) the flow collection: same depth budget.
                if self.stack.len() >= self.max_depth {
                    return None;
                }
                if tok.kind == Kind::EmptySeq {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                }
            }
        };
        Some(Node { value, span: tok.span })
    }

}

/// A quoted scalar's value: the text as is, or the unescaped part so far plus its last segment.
fn joined<'a>(owned: Option<String>, last: &'a str) -> Cow<'a, str> {
    match owned {
        None => Cow::Borrowed(last),
        Some(mut s) => {
            s.push_str(last);
            Cow::Owned(s)
        }
    }
}

/// A double-quoted escape (the bytes after the `\`): the character and the bytes it used. `None`
/// for an escaped line break (a multi-line scalar) or an invalid escape.
fn escape(rest: &[u8]) -> Option<(char, usize)> {
    let c = match *rest.first()? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let len = match rest[0] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = rest.get(1..=len)?;
            let mut v = 0u32;
            for &h in hex {
                v = (v << 4) | (h as char).to_digit(16)?;
            }
            return Some((char::from_u32(v)?, 1 + len));
        }
        _ => return None,
    };
    Some((c, 1))
}

/// Whether two entries of a mapping have the same key (the loader reports it: not our business).
fn has_duplicate(entries: &[Entry<'_>]) -> bool {
    let n = entries.len();
    if n <= 16 {
        for i in 1..n {
            let k = entries[i].key.as_bytes();
            if entries[..i].iter().any(|e| e.key.len() == k.len() && e.key.as_bytes() == k) {
                return true;
            }
        }
        return false;
    }
    let mut keys: Vec<&str> = entries.iter().map(|e| e.key.as_ref()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}
