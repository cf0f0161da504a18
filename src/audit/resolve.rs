//! Byte offsets to line/column/UTF-16 positions for a set of offsets, in one pass over the text
//! (no per-line table: a 500 MB export would need one of 100+ MB). Same results as `LineIndex`.

use super::model::FileScan;
use crate::text::Position;

pub struct Positions {
    sorted: Vec<(usize, Position)>,
}

impl Positions {
    pub fn new(text: &str, mut offsets: Vec<usize>) -> Positions {
        let bytes = text.as_bytes();
        if crate::text::ascii_lf(bytes) {
            return Positions::ascii_lf(bytes, offsets, &[]);
        }
        offsets.sort_unstable();
        offsets.dedup();
        let mut sorted = Vec::with_capacity(offsets.len());
        let (mut i, mut line, mut line_start, mut utf16, mut line_utf16) = (0usize, 1usize, 0usize, 0usize, 0usize);
        let simple = memchr::memchr(b'\r', bytes).is_none();
        for off in offsets {
            let mut target = off.min(text.len());
            while !text.is_char_boundary(target) {
                target -= 1;
            }
            if simple {
                // Only `\n` breaks: counted per segment; UTF-16 units up to the last line start, then the rest.
                let seg = &bytes[i..target];
                if let Some(nl) = memchr::memrchr(b'\n', seg) {
                    line += crate::text::count_newlines(seg);
                    utf16 += utf16_len(&text[i..=i + nl]);
                    i += nl + 1;
                    line_start = i;
                    line_utf16 = utf16;
                }
                utf16 += utf16_len(&text[i..target]);
                i = target;
            } else {
                while i < target {
                    let b = bytes[i];
                    if let Some(len) = crate::text::line_break_len(bytes, i) {
                        if i + len > target && len == 2 {
                            // target between \r and \n: stays on this line
                            utf16 += 1;
                            i += 1;
                            continue;
                        }
                        i += len;
                        utf16 += len;
                        line += 1;
                        line_start = i;
                        line_utf16 = utf16;
                        continue;
                    }
                    let ch_len = utf8_len(b);
                    let c = &text[i..(i + ch_len).min(text.len())];
                    utf16 += utf16_len(c);
                    i += ch_len;
                }
            }
            let _ = line_start;
            sorted.push((off, Position { line, column: utf16 - line_utf16 + 1, utf16 }));
        }
        Positions { sorted }
    }

    /// [`Positions::new`] helped by what the split saw of the text's lines: its anchors, line
    /// starts with their 0-based line numbers (the starts of the pieces, sorted), so that an offset
    /// just before an anchor (an object's end) is counted back from it instead of from the
    /// previous offset: the bytes between the objects' starts and ends are not scanned again. Texts
    /// with non-ASCII bytes or CRs take the general path.
    pub fn anchored(text: &str, offsets: Vec<usize>, scan: Option<&FileScan>) -> Positions {
        let bytes = text.as_bytes();
        if !scan.is_some_and(|l| l.ascii_lf) && !crate::text::ascii_lf(bytes) {
            return Positions::new(text, offsets);
        }
        Positions::ascii_lf(bytes, offsets, scan.map_or(&[][..], |l| &l.anchors[..]))
    }

    /// The positions in an ASCII text with `\n` breaks only: columns are byte columns and UTF-16
    /// offsets are byte offsets, so only lines are counted, from the previous offset or back from
    /// the next anchor (see [`Positions::anchored`]).
    fn ascii_lf(bytes: &[u8], mut offsets: Vec<usize>, anchors: &[(usize, usize)]) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let count = crate::text::count_newlines;
        let mut sorted = Vec::with_capacity(offsets.len());
        // `line` (1-based) and `line_start` are those of position `i`.
        let (mut i, mut line, mut line_start, mut next) = (0usize, 1usize, 0usize, 0usize);
        for off in offsets {
            let target = off.min(bytes.len());
            while next < anchors.len() && anchors[next].0 < target {
                next += 1;
            }
            let seg = &bytes[i..target];
            line = match anchors.get(next) {
                // Counted back from the anchor at or after `target`, when nearer than `i`.
                Some(&(a, l)) if a - target < target - i => l + 1 - count(&bytes[target..a]),
                _ => line + count(seg),
            };
            if let Some(nl) = memchr::memrchr(b'\n', seg) {
                line_start = i + nl + 1;
            }
            i = target;
            sorted.push((off, Position { line, column: target - line_start + 1, utf16: target }));
        }
        Positions { sorted }
    }

    pub fn get(&self, offset: usize) -> Position {
        match self.sorted.binary_search_by_key(&offset, |x| x.0) {
            Ok(i) => self.sorted[i].1,
            Err(_) => Position { line: 1, column: 1, utf16: 0 },
        }
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        _ => 1,
    }
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;

    #[test]
    fn anchored_agrees_with_line_index() {
        let text = "- a: 1\n  b: 2\n\n- c: 3\n  d:\n  - 4\n- e\nf: 1\n".repeat(30);
        let idx = LineIndex::new(&text);
        // Anchors at some line starts (as the split gives them), offsets everywhere.
        let anchors: Vec<(usize, usize)> = std::iter::once(0).chain(text.match_indices("\n-").map(|(i, _)| i + 1)).map(|a| (a, idx.position(a).line - 1)).collect();
        for step in [1, 3, 7, 40] {
            let offs: Vec<usize> = (0..=text.len() + 2).step_by(step).collect();
            let p = Positions::anchored(&text, offs.clone(), Some(&FileScan { anchors: anchors.clone(), ascii_lf: true, marks: Vec::new() }));
            for o in offs {
                assert_eq!(p.get(o), idx.position(o), "offset {o}, step {step}");
            }
        }
        assert_eq!(Positions::anchored("é\nx", vec![3], Some(&FileScan { anchors: vec![(0, 0)], ascii_lf: false, marks: Vec::new() })).get(3), idx_of("é\nx", 3));
    }

    fn idx_of(t: &str, o: usize) -> Position {
        LineIndex::new(t).position(o)
    }

    #[test]
    fn agrees_with_line_index() {
        let long_ascii = "key: value\n  nested: 1\n\n".repeat(40);
        let long_utf8 = "név: é😀\nx\n".repeat(40);
        for text in ["ab\ncd\nef", "é😀x\ny\n\nz", "a\r\nb\rc\n😀d", "", &long_ascii, &long_utf8] {
            let offs: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let p = Positions::new(text, offs.clone());
            let idx = LineIndex::new(text);
            for o in offs {
                assert_eq!(p.get(o), idx.position(o), "{text:?} at {o}");
            }
        }
    }
}
