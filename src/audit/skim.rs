//! Reading a Pod from its lines: Pods are most of an export and the audit needs few of their
//! fields, so only the lines of those fields are read, straight into a small tree (the values and
//! spans the YAML parser gives them; the network-status block scalar is kept as its lines stand,
//! for the JSON in it), and the rest is passed over. The item's line table comes from the split
//! (split.rs); the walk looks only at the lines at most as indented as the mapping it reads, and
//! passes over the lines of a skipped section (a Pod's `spec.containers`,
//! `status.conditions`, ...) by their indentation alone. Anything outside kubectl's plain layout
//! (tabs, CRs, comments or flow collections in a read section, multi-line scalars, anchors,
//! repeated keys, ...) returns `None`: the caller parses the item whole.

use std::borrow::Cow;

use crate::yaml::{line_key, line_value, Entry, Node, Span, Value, YamlVersion};

/// What is read of a Pod: `All` a key's whole value, `Sub` only the listed child keys.
enum Want {
    All,
    /// Like `All`, and a literal block scalar (`|-`) is read too.
    Block,
    Sub(&'static [(&'static str, Want)]),
}

const POD_WANT: &[(&str, Want)] = &[
    ("apiVersion", Want::All),
    ("kind", Want::All),
    (
        "metadata",
        Want::Sub(&[
            (
                "annotations",
                Want::Sub(&[
                    ("ipam.spidernet.io/ippool", Want::All),
                    ("ipam.spidernet.io/ippools", Want::All),
                    ("ipam.spidernet.io/subnet", Want::All),
                    ("ipam.spidernet.io/subnets", Want::All),
                    ("k8s.v1.cni.cncf.io/network-status", Want::Block),
                    ("kubevirt.io/migrationJobName", Want::All),
                ]),
            ),
            ("creationTimestamp", Want::All),
            ("deletionGracePeriodSeconds", Want::All),
            ("deletionTimestamp", Want::All),
            ("name", Want::All),
            ("namespace", Want::All),
            ("ownerReferences", Want::All),
            ("uid", Want::All),
        ]),
    ),
    ("spec", Want::Sub(&[("hostNetwork", Want::All), ("restartPolicy", Want::All), ("terminationGracePeriodSeconds", Want::All)])),
    ("status", Want::Sub(&[("phase", Want::All), ("podIPs", Want::All), ("reason", Want::All)])),
];

/// One line of the item: where it starts, its indentation (the item's own `- ` counting as two
/// spaces) and its first byte after the indentation (`\n` when blank).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    indent: usize,
    lead: u8,
}

impl Line {
    fn blank(&self) -> bool {
        self.lead == b'\n'
    }
    fn comment(&self) -> bool {
        self.lead == b'#'
    }
}

/// The fields the audit reads of a block-style Pod item (at indent 2; the first line may start with
/// the item's `- `), as a tree whose spans are offsets in `item`. `starts` is the item's line table
/// (split.rs: the start of each line, then the item's length), and the item has no tab (which could
/// make a skipped line less indented than it looks) and no CR. `None` when the item is not a Pod
/// in kubectl's plain layout (then the caller parses it whole).
pub fn read_pod<'a>(item: &'a str, version: YamlVersion, starts: &[usize]) -> Option<Node<'a>> {
    if !is_pod(item) {
        return None;
    }
    let b = item.as_bytes();
    let it = Item { t: item, b, dash: b.starts_with(b"- "), version, starts };
    let mut entries = Vec::with_capacity(POD_WANT.len());
    it.walk(0, 2, 0, POD_WANT, &mut entries)?;
    Some(map_node(entries, 2))
}

/// An item's line table as `read_pod` wants it, `None` when it holds a tab or a CR (for tests; the
/// audit has it from the split).
#[cfg(test)]
pub fn line_table(item: &str) -> Option<Vec<usize>> {
    let feeds = item.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < item.len());
    (!item.contains(['\t', '\r'])).then(|| std::iter::once(0).chain(feeds).chain([item.len()]).collect())
}

/// `kind: Pod` and `apiVersion: v1` among the item's first lines at indent 2 (kubectl writes them
/// first): looked at before anything else, as most items of an export that are not Pods are
/// SpiderEndpoints, parsed whole.
fn is_pod(item: &str) -> bool {
    let b = item.as_bytes();
    let (mut kind, mut api, mut at) = (false, false, 0);
    for k in 0..4 {
        let Some(line) = b.get(at..).filter(|l| l.len() > 2 && (l.starts_with(b"  ") || (k == 0 && l.starts_with(b"- ")))) else { break };
        let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
        let field = line[2..end].trim_ascii_end();
        kind |= field == b"kind: Pod";
        api |= field == b"apiVersion: v1";
        at += end + 1;
    }
    kind && api
}

/// A mapping node of `entries` (its span from its first key to its last value, as the parser's).
fn map_node(entries: Vec<Entry<'_>>, at: usize) -> Node<'_> {
    let span = match (entries.first(), entries.last()) {
        (Some(f), Some(l)) => Span::new(f.key_span.start, l.value.span.end.max(l.key_span.end)),
        _ => Span::new(at, at),
    };
    Node { value: Value::Map(entries), span }
}

/// A null value at `at` (zero width, as the parser places an empty value).
fn null(at: usize) -> Node<'static> {
    Node { value: Value::Null, span: Span::new(at, at) }
}

/// An item and its lines; lines are numbered from 0 (`k`), positions are byte offsets.
struct Item<'a, 's> {
    t: &'a str,
    b: &'a [u8],
    /// The item starts with its `- ` (as it stands in the List).
    dash: bool,
    version: YamlVersion,
    /// The start of each line, then the end of the text.
    starts: &'s [usize],
}

impl<'a> Item<'a, '_> {
    #[inline]
    fn lines(&self) -> usize {
        self.starts.len() - 1
    }

    /// Where line `k` ends (the start of the next line, after its `\n`).
    #[inline]
    fn end(&self, k: usize) -> usize {
        self.starts[k + 1]
    }

    #[inline]
    fn line(&self, k: usize) -> Line {
        let start = self.starts[k];
        let first = if start == 0 && self.dash { 2 } else { 0 };
        let indent = first + leading_spaces(&self.b[start + first..]);
        Line { start, indent, lead: self.b.get(start + indent).copied().unwrap_or(b'\n') }
    }

    /// The end of the section of the key line `k` (at `indent`): the next key line at `indent` or
    /// less indented content line (the caller judges it), or the line count. Blank and comment
    /// lines, and sequence items at the key's indent, belong to the section; deeper lines are
    /// passed over without being looked at beyond their indentation.
    fn section_end(&self, k: usize, indent: usize) -> usize {
        let n = self.lines();
        let mut j = k + 1;
        while j < n {
            if shallow(self.b, self.starts[j], indent) {
                let l = self.line(j);
                if !(l.blank() || l.comment() || (l.indent == indent && l.lead == b'-')) {
                    return j;
                }
            }
            j += 1;
        }
        n
    }

    /// The first line in `[from, to)` that is not blank.
    fn next_content(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).find(|&k| !self.line(k).blank())
    }

    /// Reads the wanted entries of the block mapping whose first line is `from` (at `indent`,
    /// inside a mapping at `outer`) into `out`. Returns where the mapping ends: the first content
    /// line less indented, or the line count.
    fn walk(&self, from: usize, indent: usize, outer: usize, want: &[(&'static str, Want)], out: &mut Vec<Entry<'a>>) -> Option<usize> {
        let n = self.lines();
        let mut k = from;
        while k < n {
            let l = self.line(k);
            if l.blank() || l.comment() {
                k += 1;
                continue;
            }
            if l.indent < indent {
                // The end of this mapping; anything between it and the outer one is another layout.
                return (l.indent <= outer).then_some(k);
            }
            if l.indent > indent || l.lead == b'-' {
                return None;
            }
            let at = l.start + indent;
            let rb = &self.b[at..self.end(k)];
            if matches!(l.lead, b'"' | b'\'' | b'?' | b'&' | b'*' | b'!' | b'{' | b'[') {
                return None;
            }
            // The key's `:` is the first one followed by a space or the line's end (keys are
            // short: a byte loop beats memchr's set-up).
            let raw = (0..rb.len()).find(|&c| rb[c] == b':' && matches!(rb.get(c + 1), None | Some(b' ' | b'\n')))?;
            let raw_key = rb[..raw].trim_ascii_end();
            let Some((name, w)) = want.iter().find(|(name, _)| name.as_bytes() == raw_key) else {
                k = self.section_end(k, indent);
                continue;
            };
            // A wanted name followed by its `:` is a plain key as the parser reads it.
            let (key, key_span, colon) = if raw == name.len() { (Cow::Borrowed(*name), Span::new(at, at + raw), at + raw) } else { line_key(self.t, at, self.version)? };
            if out.iter().any(|e| e.key == key) {
                return None;
            }
            let inline = self.t[colon + 1..self.end(k)].trim();
            let (value, next) = match w {
                Want::Sub(sub) if inline.is_empty() => {
                    // The children, one level deeper (unless the value is something else).
                    match self.next_content(k + 1, n).map(|f| (f, self.line(f))) {
                        Some((f, c)) if c.indent > indent && c.lead != b'-' && !c.comment() => {
                            let mut entries = Vec::with_capacity(sub.len());
                            let next = self.walk(f, c.indent, indent, sub, &mut entries)?;
                            (map_node(entries, c.start + c.indent), next)
                        }
                        _ => self.section_value(k, indent, colon)?,
                    }
                }
                Want::Block if matches!(inline, "|" | "|-" | "|+") => {
                    let end = self.section_end(k, indent);
                    let text = self.literal_block(k + 1, end)?;
                    (Node { value: Value::Str(Cow::Borrowed(text)), span: Span::new(self.end(k), self.starts[end]) }, end)
                }
                _ => self.section_value(k, indent, colon)?,
            };
            out.push(Entry { key, key_span, value });
            k = next;
        }
        Some(n)
    }

    /// The first position after `p` that is not a space.
    #[inline]
    fn after_spaces(&self, mut p: usize) -> usize {
        while self.b.get(p) == Some(&b' ') {
            p += 1;
        }
        p
    }

    /// The value of the key on line `k` (at `indent`, its `:` at `colon`) and where its section
    /// ends: a scalar on the key's line, a block collection on the lines below, or a null.
    fn section_value(&self, k: usize, indent: usize, colon: usize) -> Option<(Node<'a>, usize)> {
        let end = self.section_end(k, indent);
        let p = self.after_spaces(colon + 1);
        match self.b.get(p) {
            None | Some(b'\n') => match self.next_content(k + 1, end) {
                None => Some((null(colon), end)),
                Some(f) => {
                    let (node, next) = self.block(f, indent)?;
                    self.next_content(next, end).is_none().then_some((node, end))
                }
            },
            Some(b'#' | b'|' | b'>') => None,
            Some(_) => {
                let (node, _) = line_value(self.t, p, self.version)?;
                // Nothing but blank lines below (a deeper line would continue the scalar).
                self.next_content(k + 1, end).is_none().then_some((node, end))
            }
        }
    }

    /// The block collection whose first line is `k`, in a mapping at `outer`: a sequence (`-`
    /// lines, at `outer` or deeper) or a deeper mapping. Returns it and the line after it.
    fn block(&self, k: usize, outer: usize) -> Option<(Node<'a>, usize)> {
        let l = self.line(k);
        match l.lead {
            b'-' => self.seq(k, l.indent),
            b'#' => None,
            _ if l.indent > outer => self.map(k, l.indent, l.start + l.indent),
            _ => None,
        }
    }

    /// The block mapping at `indent` whose first key is at `first` (on line `k`, maybe after a
    /// sequence's `- `), with scalar or block values. Returns it and the line after it.
    fn map(&self, k: usize, indent: usize, first: usize) -> Option<(Node<'a>, usize)> {
        let n = self.lines();
        let mut entries: Vec<Entry<'a>> = Vec::with_capacity(8);
        let mut i = k;
        let mut key_at = first;
        while i < n {
            if i != k {
                let l = self.line(i);
                if l.blank() {
                    i += 1;
                    continue;
                }
                if l.indent < indent {
                    break;
                }
                if l.indent > indent || matches!(l.lead, b'-' | b'#') {
                    return None;
                }
                key_at = l.start + indent;
            }
            let (key, key_span, colon) = line_key(self.t, key_at, self.version)?;
            if entries.iter().any(|e| e.key == key) {
                return None;
            }
            let p = self.after_spaces(colon + 1);
            let (value, next) = match self.b.get(p) {
                None | Some(b'\n') => match self.next_content(i + 1, n).map(|f| (f, self.line(f))) {
                    Some((f, l)) if l.indent > indent || (l.indent == indent && l.lead == b'-') => self.block(f, indent)?,
                    _ => (null(colon), i + 1),
                },
                Some(b'#' | b'|' | b'>') => return None,
                Some(_) => (line_value(self.t, p, self.version)?.0, i + 1),
            };
            entries.push(Entry { key, key_span, value });
            i = next;
        }
        Some((map_node(entries, first), i))
    }

    /// The block sequence whose `-` lines are at `indent`, from line `k`; its items are scalars
    /// or compact mappings (`- key: value` and keys below). Returns it and the line after it.
    fn seq(&self, k: usize, indent: usize) -> Option<(Node<'a>, usize)> {
        let n = self.lines();
        let mut items = Vec::with_capacity(4);
        let mut i = k;
        while i < n {
            let l = self.line(i);
            if l.blank() {
                i += 1;
                continue;
            }
            if l.indent < indent || (l.indent == indent && l.lead != b'-') {
                break;
            }
            if l.indent > indent || l.comment() {
                return None;
            }
            let dash = l.start + indent;
            let p = self.after_spaces(dash + 1);
            if p == dash + 1 || matches!(self.b.get(p), None | Some(b'\n' | b'#' | b'-' | b'|' | b'>')) {
                return None;
            }
            let (item, next) = match line_key(self.t, p, self.version) {
                Some(_) => self.map(i, p - l.start, p)?,
                None => (line_value(self.t, p, self.version)?.0, i + 1),
            };
            items.push(item);
            i = next;
        }
        let last = items.last()?.span.end;
        Some((Node { value: Value::Seq(items), span: Span::new(self.starts[k] + indent, last) }, i))
    }

    /// The content lines `[from, to)` of a literal block scalar, as they stand: its value for the
    /// JSON read from it (a JSON string cannot span lines, so the indentation the scalar drops, and
    /// its line breaks, are whitespace between JSON tokens). `None` when a content line is less
    /// indented than the first (the parser would not read one block) or there is none.
    fn literal_block(&self, from: usize, to: usize) -> Option<&'a str> {
        let mut ind = None;
        for k in from..to {
            let l = self.line(k);
            if !l.blank() && l.indent < *ind.get_or_insert(l.indent) {
                return None;
            }
        }
        ind.map(|_| &self.t[self.starts[from]..self.starts[to]])
    }
}

/// Whether the line at `s` starts with at most `max` spaces (an empty line does).
#[inline]
fn shallow(b: &[u8], s: usize, max: usize) -> bool {
    if max < 8 {
        if let Some(word) = b.get(s..s + 8) {
            let other = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ u64::from_le_bytes([b' '; 8]);
            let lanes = if max == 7 { u64::MAX } else { (1u64 << (8 * (max + 1))) - 1 };
            return other & lanes != 0;
        }
    }
    b[s..].iter().take(max + 1).position(|&c| c != b' ').is_some() || b.len() - s <= max
}

/// How many spaces `line` starts with, eight bytes at a time (Pod lines are deeply indented).
#[inline]
fn leading_spaces(line: &[u8]) -> usize {
    let mut n = 0;
    while let Some(word) = line.get(n..n + 8) {
        let other = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ u64::from_le_bytes([b' '; 8]);
        if other != 0 {
            return n + other.trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    n + line[n..].iter().take_while(|&&c| c == b' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_leading_spaces() {
        for line in ["", " ", "x", "   x", "        ", "         ", "        x\n", "  \n", "                 - a: b\n"] {
            assert_eq!(leading_spaces(line.as_bytes()), line.len() - line.trim_start_matches(' ').len(), "{line:?}");
        }
    }

    #[test]
    fn tells_shallow_lines() {
        let t = b"x\n  \n    y\n        z\n   ";
        for s in [0, 2, 5, 11, 21] {
            let indent = t[s..].iter().take_while(|&&c| c == b' ').count();
            for max in 0..10 {
                assert_eq!(shallow(t, s, max), indent <= max, "line at {s}, max {max}");
            }
        }
    }
}
