//! A small JSON reader that keeps byte offsets (into the decoded text), reports duplicate keys, and
//! maps offsets back to the YAML source when the scalar holding the JSON maps 1:1 (or through its
//! escapes) onto its source text.
//!
//! Strings and keys borrow from the text unless they hold escapes: a pool's `allocatedIPs` has
//! thousands of records of three strings each, and an allocation per string was most of its cost.

use std::borrow::Cow;
use std::hash::BuildHasherDefault;

use crate::hash::Mix;
use crate::yaml::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum JValue<'a> {
    Null,
    Bool(bool),
    Num,
    Str(Cow<'a, str>),
    Arr(Vec<JNode<'a>>),
    Obj(Vec<JEntry<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct JNode<'a> {
    pub value: JValue<'a>,
    pub span: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct JEntry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: (usize, usize),
    pub value: JNode<'a>,
}

impl<'a> JNode<'a> {
    pub fn get(&self, key: &str) -> Option<&JEntry<'a>> {
        match &self.value {
            JValue::Obj(es) => es.iter().rev().find(|e| e.key == key),
            _ => None,
        }
    }
    /// The string value, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JValue::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self.value {
            JValue::Null => "null",
            JValue::Bool(_) => "boolean",
            JValue::Num => "number",
            JValue::Str(_) => "string",
            JValue::Arr(_) => "array",
            JValue::Obj(_) => "object",
        }
    }
}

/// A parse error at a decoded offset.
#[derive(Debug, Clone, PartialEq)]
pub struct JError {
    pub at: usize,
    pub message: String,
}

/// A duplicate key: the later key's span and the first's.
pub type Duplicate = ((usize, usize), (usize, usize), String);

const MAX_DEPTH: usize = 64;

/// Objects with more entries than this find a key's first entry through a map, smaller ones by a scan.
const SCAN_KEYS: usize = 8;

pub fn parse(text: &str) -> Result<(JNode<'_>, Vec<Duplicate>), JError> {
    let mut p = P { b: text.as_bytes(), s: text, i: 0, dups: Vec::new() };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok((v, p.dups))
}

/// The end of the run of bytes from `i` that a JSON string holds as they are: the index of the first
/// `"`, `\` or control character (or the end). Eight bytes at a time: in each word, a byte equal to
/// `"` or `\` becomes zero after the XOR and `x - 0x01…` sets the high bit of a zero byte; `x - 0x20…`
/// sets it for a byte below 0x20. A borrow can only flag bytes above a flagged one, so the lowest
/// flagged byte is exact.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let hit = below(w ^ (ONES * b'"' as u64), 1) | below(w ^ (ONES * b'\\' as u64), 1) | below(w, 0x20);
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
        i += 1;
    }
    i
}

type KeyIndex<'a> = std::collections::HashMap<Cow<'a, str>, usize, BuildHasherDefault<Mix>>;

/// The index of the first entry with `key`: a scan while the object is small; past [`SCAN_KEYS`]
/// entries a map (built then), which the caller extends with each new key.
fn first_with_key<'a>(entries: &[JEntry<'a>], index: &mut Option<KeyIndex<'a>>, key: &str) -> Option<usize> {
    if index.is_none() && entries.len() > SCAN_KEYS {
        let mut m = KeyIndex::with_capacity_and_hasher(entries.len() * 2, Default::default());
        for (i, e) in entries.iter().enumerate() {
            m.entry(e.key.clone()).or_insert(i);
        }
        *index = Some(m);
    }
    match index {
        Some(m) => m.get(key).copied(),
        None => entries.iter().position(|e| e.key == key),
    }
}

/// The character a JSON escape `\c` stands for, when `c` is one of the one-character escapes.
fn one_char_escape(c: u8) -> Option<char> {
    Some(match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

struct P<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    dups: Vec<Duplicate>,
}

impl<'a> P<'a> {
    fn err(&self, m: &str) -> JError {
        JError { at: self.i.min(self.b.len()), message: m.to_string() }
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn value(&mut self, depth: usize) -> Result<JNode<'a>, JError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        let start = self.i;
        let Some(&c) = self.b.get(self.i) else { return Err(self.err("unexpected end of the JSON text")) };
        let value = match c {
            b'{' => {
                self.i += 1;
                let mut entries: Vec<JEntry> = Vec::new();
                let mut index: Option<KeyIndex> = None;
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.b.get(self.i) != Some(&b'"') {
                            return Err(self.err("expected a string key"));
                        }
                        let ks = self.i;
                        let key = self.string()?;
                        let key_span = (ks, self.i);
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return Err(self.err("expected `:`"));
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value(depth + 1)?;
                        match first_with_key(&entries, &mut index, &key) {
                            Some(first) => self.dups.push((key_span, entries[first].key_span, key.to_string())),
                            None => {
                                if let Some(m) = &mut index {
                                    m.insert(key.clone(), entries.len());
                                }
                            }
                        }
                        entries.push(JEntry { key, key_span, value: v });
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `}`")),
                        }
                    }
                }
                JValue::Obj(entries)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `]`")),
                        }
                    }
                }
                JValue::Arr(items)
            }
            b'"' => JValue::Str(self.string()?),
            b't' if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                JValue::Bool(true)
            }
            b'f' if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                JValue::Bool(false)
            }
            b'n' if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                JValue::Null
            }
            b'-' | b'0'..=b'9' => {
                while self.i < self.b.len() && matches!(self.b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.i += 1;
                }
                if self.s[start..self.i].parse::<f64>().is_err() {
                    return Err(JError { at: start, message: "invalid number".into() });
                }
                JValue::Num
            }
            _ => return Err(self.err("expected a JSON value")),
        };
        Ok(JNode { value, span: (start, self.i) })
    }
    fn string(&mut self) -> Result<Cow<'a, str>, JError> {
        self.i += 1; // opening quote
        let start = self.i;
        self.i = plain_run_end(self.b, self.i);
        // Without escapes the value is the text between the quotes (the run stops at ASCII bytes
        // only, so on char boundaries).
        if self.b.get(self.i) == Some(&b'"') {
            self.i += 1;
            return Ok(Cow::Borrowed(&self.s[start..self.i - 1]));
        }
        let mut out = String::from(&self.s[start..self.i]);
        loop {
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let esc = self.b.get(self.i + 1).copied();
                    self.i += 2;
                    match esc {
                        Some(b'u') => {
                            let hex = self.s.get(self.i..self.i + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                            let Some(h) = hex else { return Err(self.err("invalid \\u escape")) };
                            self.i += 4;
                            out.push(char::from_u32(h).unwrap_or('\u{fffd}'));
                        }
                        _ => match esc.and_then(one_char_escape) {
                            Some(ch) => out.push(ch),
                            None => return Err(JError { at: self.i - 2, message: "invalid escape".into() }),
                        },
                    }
                }
                Some(_) => return Err(self.err("control character in a JSON string")),
                None => return Err(self.err("unterminated JSON string")),
            }
            let run = self.i;
            self.i = plain_run_end(self.b, self.i);
            out.push_str(&self.s[run..self.i]);
        }
    }
}

/// Maps offsets in a scalar's decoded value to source byte offsets.
#[derive(Debug, Clone)]
pub enum Mapper {
    /// The decoded text starts at this source offset and maps 1:1.
    Shift(usize),
    /// Source offset of each decoded byte (plus one past the end).
    Table(Vec<usize>),
    /// No faithful mapping: every offset points at the scalar.
    Whole(Span),
}

impl Mapper {
    /// `src` is the source text, `span` the scalar node's span, `decoded` its value.
    pub fn new(src: &str, span: Span, decoded: &str) -> Mapper {
        let Some(raw) = src.get(span.start..span.end) else { return Mapper::Whole(span) };
        let bytes = raw.as_bytes();
        match bytes.first() {
            Some(b'\'') | Some(b'"') if !raw.contains('\n') && !raw.contains('\r') => {
                let q = bytes[0];
                let inner_end = if bytes.len() >= 2 && bytes[bytes.len() - 1] == q { bytes.len() - 1 } else { return Mapper::Whole(span) };
                let inner = &raw[1..inner_end];
                if inner == decoded {
                    return Mapper::Shift(span.start + 1);
                }
                // Walk the escapes: each decoded byte gets the source offset of what produced it.
                let mut table = Vec::with_capacity(decoded.len() + 1);
                let ib = inner.as_bytes();
                let mut i = 0;
                while i < ib.len() {
                    let at = span.start + 1 + i;
                    if q == b'\'' && ib[i] == b'\'' {
                        table.push(at);
                        i += 2;
                    } else if q == b'"' && ib[i] == b'\\' {
                        let (len, produced) = match ib.get(i + 1) {
                            Some(b'x') => (4, 1),
                            Some(b'u') => (6, 0),
                            Some(b'U') => (10, 0),
                            Some(_) => (2, 1),
                            None => return Mapper::Whole(span),
                        };
                        if produced == 0 {
                            // The produced char's UTF-8 length is unknown here: decode it.
                            let hex = inner.get(i + 2..i + len).and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
                            let Some(c) = hex else { return Mapper::Whole(span) };
                            for _ in 0..c.len_utf8() {
                                table.push(at);
                            }
                        } else {
                            table.push(at);
                        }
                        i += len;
                    } else {
                        table.push(at);
                        i += 1;
                    }
                }
                table.push(span.start + 1 + ib.len());
                if table.len() == decoded.len() + 1 {
                    Mapper::Table(table)
                } else {
                    Mapper::Whole(span)
                }
            }
            _ => {
                // Plain or block scalar: the value (without a final line break) must appear once.
                let d = decoded.trim_end_matches('\n');
                if d.is_empty() || d.contains('\n') {
                    return Mapper::Whole(span);
                }
                match raw.find(d) {
                    Some(pos) if raw[pos + d.len()..].find(d).is_none() => Mapper::Shift(span.start + pos),
                    _ => Mapper::Whole(span),
                }
            }
        }
    }

    pub fn span(&self, (s, e): (usize, usize)) -> Span {
        match self {
            Mapper::Shift(base) => Span::new(base + s, base + e),
            Mapper::Table(t) => Span::new(t[s.min(t.len() - 1)], t[e.min(t.len() - 1)]),
            Mapper::Whole(span) => *span,
        }
    }

    pub fn faithful(&self) -> bool {
        !matches!(self, Mapper::Whole(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_offsets_and_duplicates() {
        let t = r#"{"a":{"pod":"x/y"},"a":1}"#;
        let (v, d) = parse(t).unwrap();
        let JValue::Obj(es) = &v.value else { panic!() };
        assert_eq!(es[0].key_span, (1, 4));
        assert_eq!(&t[es[0].value.span.0..es[0].value.span.1], r#"{"pod":"x/y"}"#);
        assert_eq!(d.len(), 1);
        assert!(parse("{\"a\":}").is_err());
        assert!(parse("{} x").is_err());
    }

    #[test]
    fn maps_quoted_scalars_back_to_source() {
        let src = r#"k: '{"a":"it''s"}'"#;
        let span = Span::new(3, src.len());
        let decoded = r#"{"a":"it's"}"#;
        let m = Mapper::new(src, span, decoded);
        let s = m.span((1, 4));
        assert_eq!(&src[s.start..s.end], "\"a\"");
        let s = m.span((5, 11));
        assert_eq!(&src[s.start..s.end], "\"it''s\"");
        let src2 = "k: \"{\\\"a\\\":1}\"";
        let m2 = Mapper::new(src2, Span::new(3, src2.len()), "{\"a\":1}");
        let s = m2.span((1, 4));
        assert_eq!(&src2[s.start..s.end], "\\\"a\\\"");
        let src3 = "k: |\n  {\"a\":1}\n";
        let m3 = Mapper::new(src3, Span::new(3, src3.len()), "{\"a\":1}\n");
        let s = m3.span((1, 4));
        assert_eq!(&src3[s.start..s.end], "\"a\"");
    }

    /// The string reader before [`plain_run_end`]: byte by byte, always a new `String`.
    fn string_ref(s: &str) -> Result<(String, usize), JError> {
        let b = s.as_bytes();
        let mut i = 1;
        let mut out = String::new();
        let err = |i: usize, m: &str| Err(JError { at: i.min(b.len()), message: m.into() });
        loop {
            let start = i;
            while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
                i += 1;
            }
            out.push_str(&s[start..i]);
            match b.get(i) {
                Some(b'"') => return Ok((out, i + 1)),
                Some(b'\\') => {
                    let esc = b.get(i + 1).copied();
                    i += 2;
                    match esc {
                        Some(b'u') => {
                            let Some(h) = s.get(i..i + 4).and_then(|h| u32::from_str_radix(h, 16).ok()) else { return err(i, "invalid \\u escape") };
                            i += 4;
                            out.push(char::from_u32(h).unwrap_or('\u{fffd}'));
                        }
                        _ => match esc.and_then(one_char_escape) {
                            Some(ch) => out.push(ch),
                            None => return err(i - 2, "invalid escape"),
                        },
                    }
                }
                Some(_) => return err(i, "control character in a JSON string"),
                None => return err(i, "unterminated JSON string"),
            }
        }
    }

    /// A seeded xorshift32 draw below `n` (no test-support here: on wasm32 it would link this crate twice).
    fn draws(mut seed: u32) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n.max(1)
        }
    }

    const PIECES: &[&str] = &["a", "Z", "0", " ", ".", "/", "~", "\"", "\\", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u0031", "\\ud83d", "\\u12", "\\x", "\t", "\u{1}", "\u{1f}", "\u{7f}", "é", "日本", "🦀"];

    #[test]
    fn strings_read_like_the_byte_by_byte_reader() {
        let mut below = draws(0x9e37_79b9);
        for round in 0..40_000 {
            // Up to 40 pieces: runs across the 8-byte words at every alignment.
            let mut t = String::from("\"");
            for _ in 0..below(40) {
                // Mostly plain pieces, so that long runs occur.
                let k = if below(3) == 0 { below(PIECES.len()) } else { below(7) };
                t.push_str(PIECES[k]);
            }
            if round % 5 != 0 {
                t.push('"');
            }
            for _ in 0..below(12) {
                t.push_str(PIECES[below(PIECES.len())]);
            }
            let mut p = P { b: t.as_bytes(), s: &t, i: 0, dups: Vec::new() };
            let got = p.string().map(|v| {
                // Borrowed exactly when the text has no escape before its closing quote.
                assert_eq!(matches!(v, Cow::Borrowed(_)), !t[1..p.i].contains('\\'), "{t:?}");
                (v.into_owned(), p.i)
            });
            assert_eq!(got, string_ref(&t), "{t:?}");
        }
    }

    #[test]
    fn duplicate_keys_found_like_a_full_scan() {
        let mut below = draws(0x85eb_ca6b);
        // `k1` and `k\u0031` are one key.
        let keys = ["k0", "k1", "k\\u0031", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13"];
        for _ in 0..3000 {
            let n = below(30);
            let pick = 2 + below(keys.len() - 2);
            let body: Vec<String> = (0..n).map(|i| format!("\"{}\":{i}", keys[below(pick)])).collect();
            let text = format!("{{{}}}", body.join(","));
            let (root, dups) = parse(&text).unwrap();
            let JValue::Obj(es) = &root.value else { panic!() };
            let mut want = Vec::new();
            for (j, e) in es.iter().enumerate() {
                if let Some(f) = es[..j].iter().find(|f| f.key == e.key) {
                    want.push((e.key_span, f.key_span, e.key.to_string()));
                }
            }
            assert_eq!(dups, want, "{text}");
            // The spans are the keys' text.
            for e in es {
                let raw = &text[e.key_span.0..e.key_span.1];
                assert_eq!(serde_json::from_str::<String>(raw).unwrap(), e.key, "{text}");
            }
        }
    }
}
