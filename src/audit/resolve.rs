//! Byte offsets to line/column/UTF-16 positions for a set of offsets, in one pass over the text
//! (no per-line table: a 500 MB export would need one of 100+ MB). Same results as `LineIndex`.

use crate::text::Position;

pub struct Positions {
    sorted: Vec<(usize, Position)>,
}

impl Positions {
    pub fn new(text: &str, mut offsets: Vec<usize>) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut sorted = Vec::with_capacity(offsets.len());
        let (mut i, mut line, mut line_start, mut utf16, mut line_utf16) = (0usize, 1usize, 0usize, 0usize, 0usize);
        if crate::text::ascii_lf(bytes) {
            // Columns are byte columns and UTF-16 offsets are byte offsets: only lines are counted.
            for off in offsets {
                let target = off.min(text.len());
                let seg = &bytes[i..target];
                line += crate::text::count_newlines(seg);
                if let Some(nl) = memchr::memrchr(b'\n', seg) {
                    line_start = i + nl + 1;
                }
                i = target;
                sorted.push((off, Position { line, column: target - line_start + 1, utf16: target }));
            }
            return Positions { sorted };
        }
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
