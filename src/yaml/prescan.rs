//! Checks done on the raw text before the YAML parser sees it: characters YAML forbids (NUL and
//! other controls, which the parser would report as an opaque scanner error) and tabs used for
//! indentation (reported per line, with a fix).

use super::Span;

/// The first character YAML does not allow in a stream, as (byte offset, char).
pub fn forbidden_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    if text.is_ascii() {
        return bytes
            .iter()
            .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
            .map(|i| (i, bytes[i] as char));
    }
    text.char_indices().find(|&(i, c)| !(is_printable(c) || c == '\u{feff}' && i == 0))
}

fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        || c == '\u{feff}'
}

/// Spans of the leading whitespace of every line whose indentation contains a tab (and which has
/// content after it).
pub fn tab_indents(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if !text.contains('\t') {
        return out;
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        let indent = &line[..indent_len];
        let rest = line[indent_len..].trim_end();
        if indent.contains('\t') && !rest.is_empty() && !rest.starts_with('#') {
            out.push(Span::new(line_start, line_start + indent_len));
        }
        line_start += line.len();
    }
    out
}
