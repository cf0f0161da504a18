//! Splitting an input into the parts read on their own: each YAML document, and each item of a
//! `kind: List` written in kubectl's block style (`items:` and the items' `- ` at column 0). One
//! scan of the line feeds, 64 bytes at a time, finds the lines at column 0 that split the text,
//! counts the lines, and builds each item's line table as it goes (what skim.rs reads a Pod
//! from), so that no byte of an export is scanned twice. An item is handed out as soon as the
//! next one starts, before the document's `kind: List` line (kubectl writes it after the items)
//! is seen; a document that turns out not to be a List retracts its items and comes whole.

/// A part of the text read on its own, handed out in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'l> {
    /// One item of a block-style List (its text starts with the item's `-`) at 0-based line
    /// `line`, with its line table unless it holds a tab or a CR (or more than 65,536 lines): the
    /// start of each of its lines relative to the item (0 first), then its length.
    Item { start: usize, end: usize, doc: usize, item: usize, line: usize, lines: Option<&'l [usize]> },
    /// A whole YAML document, at 0-based line `line`.
    Doc { start: usize, end: usize, doc: usize, line: usize },
    /// The items of document `doc` handed out so far were not items: the document is not a List.
    /// Its `Doc` follows.
    Retract { doc: usize },
}

/// Splits `text`, handing each piece to `on`. Returns whether the text is ASCII without tabs or
/// CRs (seen on the way; `false` does not tell which).
pub fn split(text: &str, on: impl FnMut(Piece<'_>)) -> bool {
    let b = text.as_bytes();
    let mut s = Scan { b, on, doc: 0, doc_start: 0, doc_line: 0, kind_list: false, in_items: false, items_done: false, items: 0, open: None, lines: Vec::new(), odd: false };
    let mut line = 0;
    if !b.is_empty() {
        s.line_start(0, 0, false);
    }
    let (mut at, mut plain) = (0, true);
    while at < b.len() {
        let (mut m, odd, high) = crate::text::lf_mask_odd(b, at);
        plain &= !(odd | high);
        // A tab or CR in this block: the item open now, and any item starting in it, has one.
        s.odd |= odd;
        while m != 0 {
            let next = at + m.trailing_zeros() as usize + 1;
            m &= m - 1;
            line += 1;
            if next < b.len() {
                // Indented and blank lines, comments and CR-led lines at column 0 are inside an
                // item (most lines): only the open item's table takes them.
                if matches!(b[next], b' ' | b'\n' | b'#' | b'\r') {
                    s.inside(next);
                } else {
                    s.line_start(next, line, odd);
                }
            }
        }
        at += 64;
    }
    s.finish_doc(b.len());
    plain
}

/// The state of the scan: the document being read and its open item.
struct Scan<'a, F> {
    b: &'a [u8],
    on: F,
    doc: usize,
    doc_start: usize,
    doc_line: usize,
    /// Seen a `kind: List` line at column 0.
    kind_list: bool,
    /// Seen the `items:` line at column 0; a later column-0 line that is not an item ends them.
    in_items: bool,
    items_done: bool,
    /// Items handed out of this document.
    items: usize,
    /// The item being read: its start and line.
    open: Option<(usize, usize)>,
    /// The open item's line table so far, and whether a tab or CR was seen since it opened.
    lines: Vec<usize>,
    odd: bool,
}

/// The most lines an item's table holds (a Pod has a few hundred): a longer item is parsed whole,
/// so that a hostile one cannot make the table many times its own size.
const MAX_TABLE_LINES: usize = 1 << 16;

impl<'a, F: FnMut(Piece<'_>)> Scan<'a, F> {
    /// A line at `at` inside the open item, if any: into its table.
    #[inline(always)]
    fn inside(&mut self, at: usize) {
        if let Some((start, _)) = self.open {
            if self.lines.len() < MAX_TABLE_LINES {
                self.lines.push(at - start);
            } else {
                self.odd = true;
            }
        }
    }

    /// The line at `at` (0-based line `line`; `odd`: its block holds a tab or a CR).
    #[inline(never)]
    fn line_start(&mut self, at: usize, line: usize, odd: bool) {
        let c = self.b[at];
        // Indented and blank lines, comments and CR-led lines at column 0 are inside an item.
        if c == b' ' || c == b'\n' || c == b'#' || c == b'\r' {
            self.inside(at);
            return;
        }
        if at > self.doc_start && c == b'-' && is_doc_marker(&self.b[at..]) {
            self.finish_doc(at);
            (self.doc_start, self.doc_line) = (at, line);
            self.doc += 1;
            return;
        }
        let rest_blank = |n: usize| self.b[at + n..].iter().take_while(|&&c| c != b'\n').all(u8::is_ascii_whitespace);
        if self.b[at..].starts_with(b"kind: List") && rest_blank(10) {
            self.kind_list = true;
        }
        if self.in_items && !self.items_done {
            self.close_item(at);
            if c == b'-' && matches!(self.b.get(at + 1), None | Some(b' ' | b'\n' | b'\r')) {
                self.open = Some((at, line));
                self.lines.clear();
                self.lines.push(0);
                self.odd = odd;
            } else {
                self.items_done = true;
            }
            return;
        }
        if self.b[at..].starts_with(b"items:") && rest_blank(6) {
            self.in_items = true;
        }
    }

    /// Hands out the open item, ending at `end` (without a table when it holds a tab or a CR, or
    /// is too long).
    fn close_item(&mut self, end: usize) {
        let Some((start, line)) = self.open.take() else { return };
        self.lines.push(end - start);
        let lines = (!self.odd).then_some(&self.lines[..]);
        (self.on)(Piece::Item { start, end, doc: self.doc, item: self.items, line, lines });
        self.items += 1;
    }

    /// Ends the document at `end`: its last item, or the whole document (retracting its items
    /// when it is not a List); then resets for the next.
    fn finish_doc(&mut self, end: usize) {
        if self.kind_list && self.in_items && (self.items > 0 || self.open.is_some()) {
            self.close_item(end);
        } else {
            if self.items > 0 {
                (self.on)(Piece::Retract { doc: self.doc });
            }
            self.open = None;
            (self.on)(Piece::Doc { start: self.doc_start, end, doc: self.doc, line: self.doc_line });
        }
        (self.kind_list, self.in_items, self.items_done, self.items) = (false, false, false, 0);
    }
}

fn is_doc_marker(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// The pieces of `text` without retracted items (and without line tables).
pub fn pieces(text: &str) -> Vec<Piece<'static>> {
    let mut out = Vec::new();
    let _ = split(text, |p| match p {
        Piece::Item { start, end, doc, item, line, .. } => out.push(Piece::Item { start, end, doc, item, line, lines: None }),
        Piece::Retract { doc } => out.retain(|q| !matches!(q, Piece::Item { doc: d, .. } if *d == doc)),
        Piece::Doc { start, end, doc, line } => out.push(Piece::Doc { start, end, doc, line }),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_and_block_list_items() {
        let t = "a: 1\n---\napiVersion: v1\nitems:\n- kind: Pod\n  x: 1\n# c\n- kind: Pod\nkind: List\n---\nb: 2\n";
        let p = pieces(t);
        assert_eq!(p.len(), 4);
        match p[1] {
            Piece::Item { start, end, item, line, .. } => {
                assert_eq!(&t[start..end], "- kind: Pod\n  x: 1\n# c\n");
                assert_eq!((item, line), (0, 4));
            }
            _ => panic!("{p:?}"),
        }
        match p[2] {
            Piece::Item { start, end, line, .. } => assert_eq!((&t[start..end], line), ("- kind: Pod\n", 7)),
            _ => panic!(),
        }
        assert!(matches!(p[3], Piece::Doc { doc: 2, line: 9, .. }));
    }

    #[test]
    fn a_very_long_item_comes_without_a_table() {
        for (n, table) in [(MAX_TABLE_LINES, true), (MAX_TABLE_LINES + 1, false)] {
            let t = format!("items:\n- a\n{}kind: List\n", "  b\n".repeat(n - 1));
            let mut got = Vec::new();
            split(&t, |p| got.push(matches!(p, Piece::Item { lines: Some(l), .. } if l.len() == n + 1)));
            assert_eq!(got, [table], "{n} lines");
        }
    }

    #[test]
    fn items_of_a_document_that_is_no_list_are_retracted() {
        let t = "items:\n- a\n- b\nkind: Other\n---\nitems:\n- c\nkind: List\n";
        let mut seen = Vec::new();
        assert!(split(t, |p| seen.push(format!("{p:?}"))));
        assert!(!split("a: é\n", |_| {}));
        assert_eq!(seen.len(), 5, "{seen:#?}");
        assert!(seen[2].starts_with("Retract { doc: 0 }"), "{seen:#?}");
        assert!(seen[3].starts_with("Doc { start: 0, end: 27, doc: 0, line: 0 }"), "{seen:#?}");
        assert!(seen[4].contains("doc: 1, item: 0, line: 6, lines: Some([0, 4])"), "{seen:#?}");
    }

    /// Random texts of the split's significant lines: the pieces, lines and line tables are those
    /// a line-by-line reading gives.
    #[test]
    fn line_tables_and_lines_match_the_text() {
        let parts = ["- a: 1\n", "  b: x\n", "\n", "# c\n", "items:\n", "kind: List\n", "---\n", "\tt: 1\n", "  \r\n", "- y\n", "k: v\n", "  long line with enough bytes to cross a block or two of the scan\n"];
        let mut seed = 11u32;
        for _ in 0..400 {
            let n = { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; seed as usize % 40 };
            let mut t = String::new();
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                t.push_str(parts[seed as usize % parts.len()]);
            }
            // Pieces come in text order (a Doc after a Retract starts where its items' document does).
            let (mut covered, mut doc_start) = (0, 0);
            let plain = split(&t, |p| match p {
                Piece::Item { start, end, line, lines, .. } => {
                    assert_eq!(line, t[..start].matches('\n').count(), "{t:?}");
                    let item = &t[start..end];
                    if let Some(table) = lines {
                        assert!(!item.contains(['\t', '\r']), "{t:?}");
                        let want: Vec<usize> = std::iter::once(0).chain(item.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < item.len())).chain([item.len()]).collect();
                        assert_eq!(table, &want[..], "{t:?}");
                    } else {
                        assert!(item.contains(['\t', '\r']) || t[start.saturating_sub(64)..(end + 64).min(t.len())].contains(['\t', '\r']), "{t:?}");
                    }
                    assert!(start >= covered && end > start, "{t:?}");
                    covered = end;
                }
                Piece::Doc { start, end, line, .. } => {
                    assert_eq!(line, t[..start].matches('\n').count(), "{t:?}");
                    assert!(start >= covered.min(doc_start) && end >= start, "{t:?}");
                    (covered, doc_start) = (end, end);
                }
                Piece::Retract { .. } => covered = doc_start,
            });
            assert_eq!(plain, !t.contains(['\t', '\r']), "{t:?}");
        }
    }
}
