use super::*;

fn root(text: &str) -> Node<'_> {
    let s = parse(text, Budget::default());
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    s.docs.into_iter().next().unwrap().root.unwrap()
}

#[test]
fn core_schema_scalars() {
    let text = "a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: 0x10\ng: 123456789012345678901234567890\nh: yes\ni:\n";
    let s = parse(text, Budget { yaml_version: YamlVersion::V1_2, ..Budget::default() });
    let r = s.docs[0].root.as_ref().unwrap();
    let v = |k: &str| r.get(k).unwrap().value.clone();
    assert_eq!(v("a"), Value::Int(1));
    assert_eq!(v("b"), Value::Str("1".into()));
    assert_eq!(v("c"), Value::Bool(true));
    assert_eq!(v("d"), Value::Null);
    assert_eq!(v("e"), Value::Float(1.5));
    assert_eq!(v("f"), Value::Int(16));
    assert_eq!(v("g"), Value::BigInt);
    assert_eq!(v("h"), Value::Str("yes".into()));
    assert_eq!(v("i"), Value::Null);
}

#[test]
fn kubectl_scalars_by_default() {
    let r = root("a: yes\nb: '010'\nc: 010\nd: 1_000\ne: 10.0\nf: 1e400\ng: !!str on\nh: !!binary aGk=\ni: !custom x\non: 1\n'n': 2\n");
    let v = |k: &str| r.get(k).unwrap_or_else(|| panic!("{k}")).value.clone();
    assert_eq!(v("a"), Value::Bool(true));
    assert_eq!(v("b"), Value::Str("010".into()));
    assert_eq!(v("c"), Value::Int(8));
    assert_eq!(v("d"), Value::Int(1000));
    assert_eq!(v("e"), Value::Int(10));
    assert_eq!(v("f"), Value::Str("1e400".into()));
    assert_eq!(v("g"), Value::Str("on".into()));
    assert_eq!(v("h"), Value::Str("hi".into()));
    assert_eq!(v("i"), Value::Str("x".into()));
    assert_eq!(v("true"), Value::Int(1), "the plain key `on` is \"true\" to kubectl");
    assert_eq!(v("n"), Value::Int(2), "a quoted key stays text");
}

#[test]
fn spans_are_byte_offsets() {
    let text = "a: \"é😀\"\nb: x\n";
    let r = root(text);
    let b = r.entry("b").unwrap();
    assert_eq!(&text[b.key_span.start..b.key_span.end], "b");
    assert_eq!(&text[b.value.span.start..b.value.span.end], "x");
    let a = r.get("a").unwrap();
    assert_eq!(&text[a.span.start..a.span.end], "\"é😀\"");
}

#[test]
fn block_collection_span_ends_at_last_child() {
    let text = "a:\n  b: 1\n  c: [1, 2]\n# trailing\nd: 2\n";
    let r = root(text);
    let a = r.get("a").unwrap();
    assert_eq!(&text[a.span.start..a.span.end], "b: 1\n  c: [1, 2]");
}

#[test]
fn duplicate_keys_are_reported_with_path() {
    let s = parse("a:\n  b: 1\n  b: 2\n", Budget::default());
    assert_eq!(s.problems.len(), 1);
    let p = &s.problems[0];
    assert_eq!(p.kind, ProblemKind::DuplicateKey);
    assert_eq!(p.path, "/a/b");
    assert_eq!(p.span, Span::new(12, 13));
    assert_eq!(p.related, Some(Span::new(5, 6)));
    // kubectl keeps the last value; a YAML 1.2 reading keeps the first
    assert_eq!(s.docs[0].root.as_ref().unwrap().get("a").unwrap().get("b").unwrap().value, Value::Int(2));
    let s = parse("a:\n  b: 1\n  b: 2\n", Budget { yaml_version: YamlVersion::V1_2, ..Budget::default() });
    assert_eq!(s.docs[0].root.as_ref().unwrap().get("a").unwrap().get("b").unwrap().value, Value::Int(1));
}

#[test]
fn many_keys_duplicate_detection_uses_set() {
    let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k50: dup\n");
    let s = parse(&text, Budget::default());
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].path, "/k50");
}

#[test]
fn multi_document_and_empty_documents() {
    let s = parse("a: 1\n---\n---\nb: 2\n", Budget::default());
    assert_eq!(s.docs.len(), 3);
    assert!(s.docs[1].root.is_none());
    assert!(s.docs[2].root.is_some());
}

#[test]
fn billion_laughs_is_refused_fast() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let s = parse(&text, Budget::default());
    assert!(!s.complete);
    assert_eq!(s.problems.last().unwrap().kind, ProblemKind::AliasLimit);
}

#[test]
fn deep_nesting_is_refused() {
    let text = "[".repeat(10_000);
    let s = parse(&text, Budget::default());
    assert_eq!(s.problems[0].kind, ProblemKind::DepthLimit);
    assert!(s.problems[0].message.contains("nesting"), "{}", s.problems[0].message);
}

#[test]
fn nul_byte_is_reported_at_its_offset() {
    let s = parse("a: b\0c\n", Budget::default());
    assert_eq!(s.problems[0].kind, ProblemKind::ControlChar);
    assert_eq!(s.problems[0].span, Span::new(4, 5));
}

#[test]
fn tab_indentation_replaces_scanner_error() {
    let s = parse("a:\n\tb: 1\n", Budget::default());
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert_eq!(s.problems[0].kind, ProblemKind::TabIndent);
    assert_eq!(s.problems[0].span, Span::new(3, 4));
}

#[test]
fn merge_keys_apply_with_explicit_keys_winning() {
    let r = root("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n");
    let m = r.get("m").unwrap();
    assert_eq!(m.get("x").unwrap().value, Value::Int(1));
    assert_eq!(m.get("z").unwrap().value, Value::Int(3));
}

#[test]
fn bom_and_crlf() {
    let text = "\u{feff}a: 1\r\nb: x\r\n";
    let r = root(text);
    let b = r.get("b").unwrap();
    assert_eq!(&text[b.span.start..b.span.end], "x");
}

#[test]
fn json_input() {
    let r = root("{\"a\": {\"b\": [1, 2.5, null]}}");
    assert_eq!(r.get("a").unwrap().get("b").unwrap().as_seq().unwrap()[1].value, Value::Float(2.5));
}

#[test]
fn pointers_are_joined_and_indexed() {
    let mut p = super::join_pointer("/items/3", &["status", "current"]);
    assert_eq!(p, "/items/3/status/current");
    super::push_index(&mut p, 0);
    super::push_index(&mut p, 1207);
    assert_eq!(p, "/items/3/status/current/0/1207");
    let mut q = super::join_pointer("", &[]);
    super::push_index(&mut q, usize::MAX);
    assert_eq!(q, format!("/{}", usize::MAX));
}

#[test]
fn same_is_string_equality() {
    let words = ["", "a", "b", "ab", "ba", "ipv4Pool", "ipv6Pool", "ipv4Gateway", "ipv6Gateway", "ownerControllerName", "ownerControllerNamf", "é", "e"];
    for a in words {
        for b in words {
            assert_eq!(super::same(a, b), a == b, "{a:?} {b:?}");
        }
    }
}
