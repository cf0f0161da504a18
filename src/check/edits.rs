//! Text edits shared by quick fixes.

use crate::yaml::{Entry, Node, Span};

/// The span that deletes a block-mapping entry together with its whole line(s): from the start of
/// the key's line to the end of the value's line (newline included). `None` when the entry shares
/// its lines with other content (`- key: value` sequence items, trailing text) or its mapping
/// `parent` is a flow mapping or JSON object (removing a line there leaves a stray comma).
pub fn entry_lines(src: &str, parent: &Node, entry: &Entry) -> Option<Span> {
    if src.as_bytes().get(parent.span.start) == Some(&b'{') {
        return None;
    }
    let line_start = src[..entry.key_span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if !src[line_start..entry.key_span.start].bytes().all(|b| b == b' ') {
        return None;
    }
    let end = entry.value.span.end.max(entry.key_span.end);
    let rest_len = src[end..].find('\n').map_or(src.len() - end, |i| i + 1);
    let rest = src[end..end + rest_len].trim_end_matches(['\n', '\r']);
    if !(rest.trim().is_empty() || rest.trim_start().starts_with('#')) {
        return None;
    }
    Some(Span::new(line_start, end + rest_len))
}

/// `new` written with the quoting style of the scalar at `span` (so a fix in a JSON file stays JSON).
pub fn same_quotes(src: &str, span: Span, new: &str) -> String {
    match src.as_bytes().get(span.start) {
        Some(b'"') => format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\"")),
        Some(b'\'') => format!("'{}'", new.replace('\'', "''")),
        _ => new.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Budget};

    fn span_of(src: &str, key: &str) -> Option<String> {
        let s = parse(src, Budget::default());
        let root = s.docs[0].root.as_ref().unwrap();
        let parent = root.get("a").unwrap();
        let e = parent.entry(key).unwrap();
        entry_lines(src, parent, e).map(|sp| src[sp.start..sp.end].to_string())
    }

    #[test]
    fn quotes_are_kept() {
        let src = r#"{"a": 'b', c: d}"#;
        assert_eq!(same_quotes(src, Span::new(1, 4), "x\"y"), r#""x\"y""#);
        assert_eq!(same_quotes(src, Span::new(6, 9), "it's"), "'it''s'");
        assert_eq!(same_quotes(src, Span::new(11, 12), "e"), "e");
    }

    #[test]
    fn whole_lines_only() {
        assert_eq!(span_of("a:\n  x: 1\n  y: 2\n", "x").as_deref(), Some("  x: 1\n"));
        assert_eq!(span_of("a:\n  x: 1 # note\n  y: 2", "y").as_deref(), Some("  y: 2"));
        assert_eq!(span_of("a:\n  x:\n    - 1\n    - 2\n  y: 2\n", "x").as_deref(), Some("  x:\n    - 1\n    - 2\n"));
        assert_eq!(span_of("a: {x: 1, y: 2}\n", "x"), None);
        assert_eq!(span_of("a: {\n  x: 1,\n  y: 2\n}\n", "y"), None);
    }
}
