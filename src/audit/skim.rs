//! Skimming a Pod: Pods are most of an export and the audit needs few of their fields, so only the
//! lines of those fields are kept (with the key lines above them, so that the parsed tree has the
//! same shape and the same values as the whole Pod's). The walk looks only at the lines that are
//! at most as indented as the mapping it reads: the lines of a skipped section (a Pod's
//! `spec.containers`, `status.conditions`, ...) are passed over 16 bytes at a time.

use crate::text::line_feeds;

/// What is kept of a Pod: `All` keeps a key's whole section, `Sub` only the listed child keys.
enum Want {
    All,
    /// Kept like `All`, except a literal block scalar (`|-`), which is decoded here instead (block
    /// scalars take the parser off its fast path).
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
    ("spec", Want::Sub(&[("hostNetwork", Want::All), ("nodeName", Want::All), ("restartPolicy", Want::All), ("terminationGracePeriodSeconds", Want::All)])),
    ("status", Want::Sub(&[("phase", Want::All), ("podIPs", Want::All), ("reason", Want::All)])),
];

/// What [`skim_pod`] keeps: the skimmed text, where each kept run starts (skimmed, item), and the
/// decoded block scalars.
pub type SkimmedPod = (String, Vec<(usize, usize)>, Vec<String>);

/// One line of the item: where it starts, its indentation (the item's own `- ` counting as two
/// spaces) and its first byte after the indentation (`\n` or `\r` when blank).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    indent: usize,
    lead: u8,
}

impl Line {
    fn blank(&self) -> bool {
        matches!(self.lead, b'\n' | b'\r')
    }
    fn comment(&self) -> bool {
        self.lead == b'#'
    }
}

/// The lines of a block-style Pod item (at indent 2; the first may start with the item's `- `)
/// that the audit reads, and where each kept run of lines starts in the skimmed and in the item
/// text. `None` when the item is not a Pod in kubectl's block style (then it is parsed whole).
pub fn skim_pod(item: &str) -> Option<SkimmedPod> {
    let b = item.as_bytes();
    // Tabs could make a skipped line less indented than it looks.
    if memchr::memchr(b'\t', b).is_some() {
        return None;
    }
    let it = Item { t: item, b, dash: b.starts_with(b"- ") };
    // A Pod: `kind: Pod` and `apiVersion: v1` among the top-level lines (kubectl writes them first).
    let top = |key: &str| {
        let mut at = 0;
        (0..4).find_map(|_| {
            let l = it.line(at);
            let end = it.line_end(at);
            at = end;
            (l.indent == 2).then(|| item[l.start + 2..end].strip_prefix(key).and_then(|v| v.strip_prefix(": ")).map(str::trim_end)).flatten()
        })
    };
    if top("kind") != Some("Pod") || top("apiVersion") != Some("v1") {
        return None;
    }
    let mut kept = Kept { keep: Vec::new(), blocks: Vec::new() };
    it.walk(0, 2, 0, POD_WANT, &mut kept)?;
    let mut out = String::with_capacity(kept.keep.iter().map(|(s, e)| e - s).sum());
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (s, e) in kept.keep {
        match pieces.last() {
            Some(&(ps, po)) if po + (out.len() - ps) == s => {}
            _ => pieces.push((out.len(), s)),
        }
        if s == 0 && it.dash {
            out.push_str("  ");
            out.push_str(&item[2..e]);
        } else {
            out.push_str(&item[s..e]);
        }
    }
    Some((out, pieces, kept.blocks))
}

struct Kept {
    /// Kept runs of lines (item offsets).
    keep: Vec<(usize, usize)>,
    blocks: Vec<String>,
}

struct Item<'a> {
    t: &'a str,
    b: &'a [u8],
    /// The item starts with its `- ` (as it stands in the List).
    dash: bool,
}

impl Item<'_> {
    fn line(&self, start: usize) -> Line {
        let first = if start == 0 && self.dash { 2 } else { 0 };
        let indent = first + leading_spaces(&self.b[start + first..]);
        Line { start, indent, lead: self.b.get(start + indent).copied().unwrap_or(b'\n') }
    }

    /// The start of the line after the one at `start` (the end of the text for the last).
    fn line_end(&self, start: usize) -> usize {
        memchr::memchr(b'\n', &self.b[start..]).map_or(self.b.len(), |i| start + i + 1)
    }

    /// The start of the first line after the one at `start` that is indented at most `max`
    /// (blank lines included), or the end of the text.
    fn next_shallow(&self, start: usize, max: usize) -> usize {
        let b = self.b;
        for lf in line_feeds(b, start) {
            let s = lf + 1;
            if s >= b.len() || shallow(b, s, max) {
                return s.min(b.len());
            }
        }
        b.len()
    }

    /// The end of the section of the key line at `start` (at `indent`): the next key line at
    /// `indent` or less indented content line (the caller judges it), or the end of the text.
    /// Blank and comment lines, and sequence items at the key's indent, belong to the section.
    fn section_end(&self, start: usize, indent: usize) -> usize {
        let mut at = start;
        loop {
            at = self.next_shallow(at, indent);
            if at >= self.b.len() {
                return at;
            }
            let l = self.line(at);
            if !(l.blank() || l.comment() || (l.indent == indent && l.lead == b'-')) {
                return at;
            }
        }
    }

    /// Keeps the wanted sections of the block mapping whose first line is at `from` (at `indent`,
    /// inside a mapping at `outer`). Returns where the mapping ends: the first content line less
    /// indented, or the end of the text. `None` when the text leaves kubectl's layout (then the
    /// caller parses the item whole).
    fn walk(&self, from: usize, indent: usize, outer: usize, want: &[(&str, Want)], kept: &mut Kept) -> Option<usize> {
        let mut i = from;
        while i < self.b.len() {
            let l = self.line(i);
            if l.blank() || l.comment() {
                i = self.line_end(i);
                continue;
            }
            if l.indent < indent {
                // The end of this mapping; anything between it and the outer one is another layout.
                return (l.indent <= outer).then_some(i);
            }
            if l.indent > indent || l.lead == b'-' {
                return None;
            }
            let line_end = self.line_end(i);
            let rest = &self.t[i + indent..line_end];
            if rest.starts_with(['"', '\'', '?', '&', '*', '!', '{', '[']) {
                return None;
            }
            let colon = rest.as_bytes().windows(2).position(|w| w == b": ").or_else(|| rest.trim_end().strip_suffix(':').map(|k| k.len()))?;
            let Some((_, w)) = want.iter().find(|(k, _)| *k == &rest[..colon]) else {
                i = self.section_end(i, indent);
                continue;
            };
            let inline = rest[colon + 1..].trim();
            match w {
                Want::Sub(sub) => {
                    // `key: {}` or a sequence: kept whole; else the children, one level deeper.
                    let mut first = line_end;
                    while first < self.b.len() && self.line(first).blank() {
                        first = self.line_end(first);
                    }
                    let child = (first < self.b.len()).then(|| self.line(first));
                    if let Some(c) = child.filter(|c| inline.is_empty() && c.indent > indent && c.lead != b'-') {
                        kept.keep.push((i, line_end));
                        i = self.walk(c.start, c.indent, indent, sub, kept)?;
                        continue;
                    }
                }
                Want::Block if matches!(inline, "|" | "|-" | "|+") => {
                    let end = self.section_end(i, indent);
                    kept.blocks.push(self.literal_block(line_end, end)?);
                    i = end;
                    continue;
                }
                Want::All | Want::Block => {}
            }
            let end = self.section_end(i, indent);
            kept.keep.push((i, end));
            i = end;
        }
        Some(self.b.len())
    }

    /// The value of a literal block scalar from its content lines `[from, to)` (indentation of the
    /// first line removed; trailing line breaks do not matter to the JSON read from it).
    fn literal_block(&self, from: usize, to: usize) -> Option<String> {
        let mut out = String::new();
        let mut ind = None;
        let mut at = from;
        while at < to {
            let l = self.line(at);
            let end = self.line_end(at).min(to);
            if l.blank() {
                out.push('\n');
            } else {
                let ind = *ind.get_or_insert(l.indent);
                if l.indent < ind {
                    return None;
                }
                out.push_str(self.t[at + ind..end].trim_end_matches(['\n', '\r']));
                out.push('\n');
            }
            at = end;
        }
        ind.map(|_| out)
    }
}

/// Whether the line at `s` is indented at most `max` (a blank line is).
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
    fn finds_the_next_shallow_line() {
        let t = "a:\n      x\n    y\n\n  z\n        w\n b\n";
        let it = Item { t, b: t.as_bytes(), dash: false };
        let naive = |start: usize, max: usize| {
            let mut at = it.line_end(start);
            while at < t.len() && it.line(at).indent > max {
                at = it.line_end(at);
            }
            at
        };
        let mut starts = vec![0];
        starts.extend(t.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < t.len()));
        for &s in &starts {
            for max in 0..10 {
                assert_eq!(it.next_shallow(s, max), naive(s, max), "from {s} max {max}");
            }
        }
    }
}
