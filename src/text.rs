//! Positions in the source text: byte offsets to 1-based lines, UTF-16 columns and UTF-16 offsets.

/// A line/column view of one source text. Line breaks are `\n`, `\r\n` and a lone `\r` (as in YAML).
#[derive(Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the first byte of each line.
    starts: Vec<usize>,
    /// UTF-16 offset of the start of each line; empty when the text is ASCII (then UTF-16 = bytes).
    utf16_starts: Vec<usize>,
}

/// The length of the line break at `bytes[i]` (`\n`, `\r\n` or a lone `\r`, as in YAML), if one
/// starts there.
pub fn line_break_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'\n' => Some(1),
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => Some(2),
        b'\r' => Some(1),
        _ => None,
    }
}

/// How many `\n` bytes `bytes` holds: 64-byte blocks summed as bytes, which the optimizer turns
/// into vector compares (SSE2, wasm simd128); much faster than visiting each line of a large text.
pub fn count_newlines(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(64);
    let mut n = 0;
    for block in &mut blocks {
        n += block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize;
    }
    n + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The positions of the line feeds of `bytes` from `from` on, 64 bytes at a time.
pub fn line_feeds(bytes: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    LineFeeds { bytes, at: from, mask: 0 }
}

/// Line feeds found in 64-byte blocks: `mask` holds those of the block at `at - 64` not yet
/// handed out.
struct LineFeeds<'a> {
    bytes: &'a [u8],
    at: usize,
    mask: u64,
}

impl Iterator for LineFeeds<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.at >= self.bytes.len() {
                return None;
            }
            self.mask = lf_mask(self.bytes, self.at);
            self.at += 64;
        }
        let i = self.at - 64 + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(i)
    }
}

/// Bit k set when `bytes[at + k]` is a line feed (for k < 64 and inside `bytes`): four 16-byte
/// vector compares (SSE2, part of every x86_64; wasm simd128), memchr near the end.
#[inline]
fn lf_mask(bytes: &[u8], at: usize) -> u64 {
    masks::<false>(bytes, at).0
}

/// [`lf_mask`] of the 64 bytes at `at`, whether they hold a tab or a CR, and whether they hold a
/// byte that is not ASCII.
#[inline]
pub fn lf_mask_odd(bytes: &[u8], at: usize) -> (u64, bool, bool) {
    masks::<true>(bytes, at)
}

/// [`lf_mask`], and with `ODD` whether the 64 bytes hold a tab or a CR (two more compares) and
/// whether they hold a non-ASCII byte (its high bit).
#[inline(always)]
fn masks<const ODD: bool>(bytes: &[u8], at: usize) -> (u64, bool, bool) {
    if at + 64 > bytes.len() {
        let rest = &bytes[at..];
        let lf = memchr::memchr_iter(b'\n', rest).fold(0, |m, k| m | 1 << k);
        return (lf, ODD && memchr::memchr2(b'\t', b'\r', rest).is_some(), ODD && !rest.is_ascii());
    }
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use core::arch::x86_64::*;
        // SAFETY: `at + 64 <= bytes.len()`, so the four 16-byte loads are inside `bytes`; loadu has
        // no alignment requirement; SSE2 is part of the target.
        unsafe {
            let p = bytes.as_ptr().add(at);
            let (lf, tab, cr) = (_mm_set1_epi8(b'\n' as i8), _mm_set1_epi8(b'\t' as i8), _mm_set1_epi8(b'\r' as i8));
            let (mut m, mut odd, mut high) = (0u64, _mm_setzero_si128(), _mm_setzero_si128());
            for k in 0..4 {
                let v = _mm_loadu_si128(p.add(16 * k) as *const __m128i);
                m |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) as u16 as u64) << (16 * k);
                if ODD {
                    odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
                    high = _mm_or_si128(high, v);
                }
            }
            (m, ODD && _mm_movemask_epi8(odd) != 0, ODD && _mm_movemask_epi8(high) != 0)
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: `at + 64 <= bytes.len()`, so the four 16-byte loads are inside `bytes`; v128_load
        // has no alignment requirement.
        unsafe {
            let p = bytes.as_ptr().add(at);
            let (lf, tab, cr) = (u8x16_splat(b'\n'), u8x16_splat(b'\t'), u8x16_splat(b'\r'));
            let (mut m, mut odd, mut high) = (0u64, u8x16_splat(0), u8x16_splat(0));
            for k in 0..4 {
                let v = v128_load(p.add(16 * k) as *const v128);
                m |= (u8x16_bitmask(u8x16_eq(v, lf)) as u64) << (16 * k);
                if ODD {
                    odd = v128_or(odd, v128_or(u8x16_eq(v, tab), u8x16_eq(v, cr)));
                    high = v128_or(high, v);
                }
            }
            (m, ODD && v128_any_true(odd), ODD && u8x16_bitmask(high) != 0)
        }
    }
    #[cfg(not(any(all(target_arch = "x86_64", target_feature = "sse2"), all(target_arch = "wasm32", target_feature = "simd128"))))]
    {
        let block = &bytes[at..at + 64];
        let m = block.iter().enumerate().fold(0, |m, (k, &c)| m | u64::from(c == b'\n') << k);
        (m, ODD && block.iter().any(|&c| c == b'\t' || c == b'\r'), ODD && !block.is_ascii())
    }
}

/// A resolved position: 1-based line and column (UTF-16 code units), UTF-16 offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub utf16: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        if ascii_lf(bytes) {
            // The common case: only `\n` breaks, and UTF-16 offsets equal byte offsets.
            return LineIndex { text, starts: lf_starts(bytes), utf16_starts: Vec::new() };
        }
        let ascii = text.is_ascii();
        let mut starts = vec![0];
        let mut utf16_starts = if ascii { Vec::new() } else { vec![0] };
        let mut utf16 = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(len) = line_break_len(bytes, i) {
                i += len;
                utf16 += len;
                starts.push(i);
                if !ascii {
                    utf16_starts.push(utf16);
                }
                continue;
            }
            if !ascii {
                utf16 += utf16_len_of_lead(b);
            }
            i += 1;
        }
        LineIndex { text, starts, utf16_starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Resolves a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        if self.utf16_starts.is_empty() {
            return Position { line: line + 1, column: offset - start + 1, utf16: offset };
        }
        let col16: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position { line: line + 1, column: col16 + 1, utf16: self.utf16_starts[line] + col16 }
    }

    /// UTF-16 offset of a byte offset.
    pub fn utf16(&self, offset: usize) -> usize {
        self.position(offset).utf16
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len())
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Whether the text is ASCII without a `\r` (in wasm one pass, 16 bytes at a time: `is_ascii` reads 4).
pub fn ascii_lf(bytes: &[u8]) -> bool {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let mut chunks = bytes.chunks_exact(4096);
        let cr = u8x16_splat(b'\r');
        for chunk in chunks.by_ref() {
            let (mut high, mut crs) = (u8x16_splat(0), u8x16_splat(0));
            for block in chunk.chunks_exact(16) {
                // SAFETY: `block` is 16 bytes; v128_load has no alignment requirement.
                let v = unsafe { v128_load(block.as_ptr() as *const v128) };
                high = v128_or(high, v);
                crs = v128_or(crs, u8x16_eq(v, cr));
            }
            if u8x16_bitmask(high) != 0 || v128_any_true(crs) {
                return false;
            }
        }
        chunks.remainder().iter().all(|&b| b < 0x80 && b != b'\r')
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        bytes.is_ascii() && memchr::memchr(b'\r', bytes).is_none()
    }
}

/// `bytes.is_ascii()`, in wasm 16 bytes at a time (`is_ascii` reads 4 there).
pub fn is_ascii(bytes: &[u8]) -> bool {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let mut chunks = bytes.chunks_exact(4096);
        for chunk in chunks.by_ref() {
            let mut high = u8x16_splat(0);
            for block in chunk.chunks_exact(16) {
                // SAFETY: `block` is 16 bytes; v128_load has no alignment requirement.
                high = v128_or(high, unsafe { v128_load(block.as_ptr() as *const v128) });
            }
            if u8x16_bitmask(high) != 0 {
                return false;
            }
        }
        chunks.remainder().is_ascii()
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        bytes.is_ascii()
    }
}

/// 0 and the position after each line feed. In wasm, 64 bytes at a time with a bit mask of the line
/// feeds (`memchr_iter` restarts its search at every line, which cost 3.5 % of a `validate` of the
/// bench corpus); natively memchr's AVX2 search.
fn lf_starts(bytes: &[u8]) -> Vec<usize> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let mut starts = Vec::with_capacity(bytes.len() / 24 + 16);
        starts.push(0);
        starts.extend(line_feeds(bytes, 0).map(|i| i + 1));
        starts
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)).collect()
    }
}

/// UTF-16 units contributed by a UTF-8 byte: a lead byte of a 4-byte char counts 2, other leads 1,
/// continuation bytes 0.
fn utf16_len_of_lead(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0x80..=0xbf => 0,
        0xc0..=0xef => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_feeds_from_any_start() {
        let text: Vec<u8> = (0..300u32).map(|i| if i % 11 == 3 || i % 17 == 0 { b'\n' } else { b'a' }).collect();
        for from in [0, 1, 15, 16, 17, 100, 290, 299, 300] {
            let naive: Vec<usize> = (from..text.len()).filter(|&i| text[i] == b'\n').collect();
            assert_eq!(line_feeds(&text, from).collect::<Vec<_>>(), naive, "from {from}");
        }
    }

    #[test]
    fn masks_tell_line_feeds_tabs_and_crs() {
        for len in [1, 63, 64, 65, 130, 300] {
            let text: Vec<u8> = (0..len).map(|i| if i % 9 == 4 { b'\n' } else { b'a' }).collect();
            for at in (0..len).step_by(64) {
                let naive = (at..len.min(at + 64)).filter(|&i| text[i] == b'\n').fold(0u64, |m, i| m | 1 << (i - at));
                assert_eq!(lf_mask_odd(&text, at), (naive, false, false), "length {len} at {at}");
                for odd in [b'\t', b'\r', 0x80, 0xff] {
                    for k in (at..len.min(at + 64)).step_by(7) {
                        let mut t = text.clone();
                        t[k] = odd;
                        let (_, tab_cr, high) = lf_mask_odd(&t, at);
                        assert_eq!((tab_cr, high), (odd < 0x80, odd >= 0x80), "length {len}, {odd} at {k}");
                    }
                }
            }
        }
    }

    #[test]
    fn counts_newlines_in_and_after_whole_blocks() {
        for len in [0, 1, 63, 64, 65, 200, 1000] {
            let text: Vec<u8> = (0..len).map(|i| if i % 7 == 3 { b'\n' } else { b'a' }).collect();
            assert_eq!(count_newlines(&text), text.iter().filter(|&&b| b == b'\n').count(), "length {len}");
        }
        assert_eq!(count_newlines(&[b'\n'; 300]), 300);
    }

    #[test]
    fn ascii_positions() {
        let idx = LineIndex::new("ab\ncd\r\nef");
        assert_eq!(idx.position(0), Position { line: 1, column: 1, utf16: 0 });
        assert_eq!(idx.position(4), Position { line: 2, column: 2, utf16: 4 });
        assert_eq!(idx.position(7), Position { line: 3, column: 1, utf16: 7 });
        assert_eq!(idx.line_count(), 3);
    }

    #[test]
    fn non_ascii_positions_count_utf16() {
        // "é" is 2 bytes / 1 unit, "😀" is 4 bytes / 2 units.
        let text = "é😀x\ny";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(6), Position { line: 1, column: 4, utf16: 3 });
        assert_eq!(idx.position(8), Position { line: 2, column: 1, utf16: 5 });
        // inside a multi-byte char: clamped back to its start
        assert_eq!(idx.position(3), Position { line: 1, column: 2, utf16: 1 });
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let idx = LineIndex::new("a\rb");
        assert_eq!(idx.position(2).line, 2);
    }
}
