//! Text edits shared by quick fixes.

use crate::yaml::{Entry, Node, Span};

/// The span that deletes a block-mapping entry together with its whole line(s): from the start of
/// the key's line to the end of the value's line (newline included). `None` when the entry shares
/// its lines with other content (`- key: value` sequence items, trailing text) or its mapping
/// `parent` is a flow mapping or JSON object (removing a line there leaves a stray comma).
///
/// Looks only at the entry's indentation and what follows it on its last line, so that many entries
/// on one long line cost time linear in the line, not quadratic. An entry that is not inside its
/// parent's text (merged in with `<<`) gets no span: removing its line would edit the merge source.
pub fn entry_lines(src: &str, parent: &Node, entry: &Entry) -> Option<Span> {
    let bytes = src.as_bytes();
    if bytes.get(parent.span.start) == Some(&b'{') {
        return None;
    }
    if entry.key_span.start < parent.span.start || entry.key_span.end > parent.span.end {
        return None;
    }
    let mut line_start = entry.key_span.start;
    while line_start > 0 && bytes[line_start - 1] == b' ' {
        line_start -= 1;
    }
    if line_start > 0 && !matches!(bytes[line_start - 1], b'\n' | b'\r') {
        return None;
    }
    let end = entry.value.span.end.max(entry.key_span.end);
    let mut i = end;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    match bytes.get(i) {
        None | Some(b'\n' | b'\r') => {}
        Some(b'#') => i += memchr::memchr2(b'\n', b'\r', &bytes[i..]).unwrap_or(bytes.len() - i),
        Some(_) => return None,
    }
    // The line break that ends the entry's last line goes with it.
    match (bytes.get(i), bytes.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => i += 2,
        (Some(b'\n' | b'\r'), _) => i += 1,
        _ => {}
    }
    // An entry that defines an anchor stays: an alias elsewhere may name it.
    let removed = &bytes[line_start..i];
    let anchor = memchr::memchr_iter(b'&', removed).any(|at| at == 0 || matches!(removed[at - 1], b' ' | b'\t' | b'-' | b':' | b'[' | b'{' | b','));
    if anchor {
        return None;
    }
    Some(Span::new(line_start, i))
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
        assert_eq!(span_of("a:\n  x: 1 # note\n  z: 2", "z").as_deref(), Some("  z: 2"));
        assert_eq!(span_of("a:\n  x:\n    - 1\n    - 2\n  z: 2\n", "x").as_deref(), Some("  x:\n    - 1\n    - 2\n"));
        assert_eq!(span_of("a: {x: 1, z: 2}\n", "x"), None);
        assert_eq!(span_of("a: {\n  x: 1,\n  z: 2\n}\n", "z"), None);
        assert_eq!(span_of("a:\n  x: 1\r  z: 2\r", "x").as_deref(), Some("  x: 1\r"), "a lone CR ends a line");
        // merged in from elsewhere: removing its line would edit the merge source
        assert_eq!(span_of("b: &b\n  x: 1\na:\n  <<: *b\n  z: 2\n", "x"), None);
    }
}
