//! Differential tests of the YAML fast path (`yaml::parse_fast`) against the saphyr-based loader
//! (`yaml::parse_slow`): whenever the fast path answers, its answer must equal the loader's
//! exactly (tree, values, byte spans, problems, `complete`).

use std::fs;
use std::path::{Path, PathBuf};

use spiderendpoint::yaml::{parse, parse_fast, parse_slow, Budget, Node, ProblemKind, Span, Stream, Value};
use test_support::emit::{self, Style};
use test_support::{Node as Gen, Rng, Source};

/// Equal, or equal but for NaN (which is not equal to itself).
fn same(a: &Stream<'_>, b: &Stream<'_>) -> bool {
    a == b || format!("{a:?}") == format!("{b:?}")
}

/// Asserts the contract on one input; returns whether the fast path accepted it.
fn differential(text: &str, budget: Budget) -> bool {
    let slow = parse_slow(text, budget);
    match parse_fast(text, budget) {
        None => false,
        Some(fast) => {
            if !same(&fast, &slow) {
                let (f, s) = (flatten(&fast), flatten(&slow));
                let at = f.iter().zip(&s).position(|(a, b)| a != b).unwrap_or(f.len().min(s.len()));
                panic!(
                    "fast path differs from the loader on {text:?}\nfirst difference:\n  fast: {:?}\n  slow: {:?}",
                    f.get(at),
                    s.get(at)
                );
            }
            true
        }
    }
}

/// One line per node (path, value, spans), to show where two streams differ.
fn flatten(s: &Stream<'_>) -> Vec<String> {
    fn walk(n: &Node<'_>, path: String, out: &mut Vec<String>) {
        match &n.value {
            Value::Map(entries) => {
                out.push(format!("{path} map {:?}", n.span));
                for e in entries {
                    walk(&e.value, format!("{path}/{}@{:?}", e.key, e.key_span), out);
                }
            }
            Value::Seq(items) => {
                out.push(format!("{path} seq {:?}", n.span));
                for (i, it) in items.iter().enumerate() {
                    walk(it, format!("{path}/{i}"), out);
                }
            }
            v => out.push(format!("{path} {v:?} {:?}", n.span)),
        }
    }
    let mut out = vec![format!("complete {} docs {}", s.complete, s.docs.len())];
    for (i, d) in s.docs.iter().enumerate() {
        out.push(format!("doc {i} {:?}", d.span));
        if let Some(r) = &d.root {
            walk(r, format!("doc{i}"), &mut out);
        }
    }
    out.extend(s.problems.iter().map(|p| format!("{p:?}")));
    out
}

/// The fast path must accept `text`, and agree with the loader.
fn accepted(text: &str) -> Stream<'_> {
    assert!(differential(text, Budget::default()), "fast path refused {text:?}");
    parse_fast(text, Budget::default()).unwrap()
}

fn root<'a>(s: &'a Stream<'a>) -> &'a Node<'a> {
    s.docs[0].root.as_ref().unwrap()
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

// ---------------------------------------------------------------------------------------------
// Fixtures and examples

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(p);
        }
    }
}

#[test]
fn fixtures_and_examples_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("tests/fixtures"), &mut paths);
    files(&root.join("examples"), &mut paths);
    paths.sort();
    assert!(paths.len() >= 14, "fixtures not found");
    let mut fast = 0;
    for p in &paths {
        let text = fs::read_to_string(p).unwrap();
        for budget in [Budget::default(), Budget { max_depth: 4, max_alias_nodes: 10, ..Budget::default() }] {
            if differential(&text, budget) {
                fast += 1;
            }
        }
        // Every prefix ending at a line break, too (truncated documents): the first 1,000 lines (the
        // fixtures are ~100 lines; a saved crash input of 5,001 one-line documents would take minutes).
        for (i, _) in text.match_indices('\n').take(1000) {
            differential(&text[..i], Budget::default());
            differential(&text[..=i], Budget::default());
        }
    }
    println!("fixtures: {} files, fast path accepted {fast} of {} parses", paths.len(), paths.len() * 2);
    // The valid YAML fixtures are kubectl-style block YAML: the fast path must take those that do
    // not use flow collections with content.
    for p in paths.iter().filter(|p| p.to_string_lossy().contains("valid/") && p.extension().unwrap() == "yaml") {
        let text = fs::read_to_string(p).unwrap();
        let flow =
            text.lines().any(|l| l.contains(": {") || l.contains("- {") || l.contains(": [") && !l.contains("[]"));
        let fast = parse_fast(&text, Budget::default()).is_some();
        println!("  {}: fast path {}", p.display(), if fast { "accepted" } else { "refused" });
        if !flow && !p.to_string_lossy().contains("invalid/") {
            assert!(fast, "fast path refused {}", p.display());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tricky cases

#[test]
fn trailing_comment() {
    let t = "key: value # comment\nother: x#not-a-comment\n";
    let s = accepted(t);
    assert_eq!(root(&s).get("key").unwrap().as_str(), Some("value"));
    assert_eq!(root(&s).get("other").unwrap().as_str(), Some("x#not-a-comment"));
}

#[test]
fn single_quotes_escape() {
    let t = "key: 'it''s'\nk2: 'a \"b\" \\n'\n";
    let s = accepted(t);
    assert_eq!(root(&s).get("key").unwrap().as_str(), Some("it's"));
    assert_eq!(root(&s).get("k2").unwrap().as_str(), Some("a \"b\" \\n"));
    assert_eq!(slice(t, root(&s).get("key").unwrap().span), "'it''s'");
}

#[test]
fn double_quotes_escapes() {
    let t = "key: \"a\\\"b\"\nk2: \"tab\\there\\nnl \\\\ \\/ \\x41\\u00e9\\U0001F600\"\nk3: \"\"\n";
    let s = accepted(t);
    assert_eq!(root(&s).get("key").unwrap().as_str(), Some("a\"b"));
    assert_eq!(root(&s).get("k2").unwrap().as_str(), Some("tab\there\nnl \\ / Aé😀"));
    assert_eq!(root(&s).get("k3").unwrap().as_str(), Some(""));
    // Escaped line break (multi-line) and unknown escapes are left to the loader.
    assert!(parse_fast("a: \"x\\\n y\"\n", Budget::default()).is_none());
    assert!(parse_fast("a: \"\\q\"\n", Budget::default()).is_none());
    differential("a: \"\\q\"\n", Budget::default());
}

#[test]
fn indentless_sequence_at_column_zero() {
    let t = "key:\n- a\n- b\nnext: 1\n";
    let s = accepted(t);
    let seq = root(&s).get("key").unwrap();
    assert_eq!(seq.as_seq().unwrap().len(), 2);
    // saphyr starts an indentless sequence after its first `- `.
    assert_eq!(seq.span, Span::new(7, 12));
}

#[test]
fn spacing() {
    let s = accepted("key:   spaced   \nk2  : v\nlist:\n  -    a\n  -   b: 1\n      c: 2\n");
    assert_eq!(root(&s).get("key").unwrap().as_str(), Some("spaced"));
    assert_eq!(root(&s).get("k2").unwrap().as_str(), Some("v"));
}

#[test]
fn colons_in_scalars() {
    let t = "a: b:c\nurl: http://x:8080/p?q=1\nq: \"x: y\"\nip: ::1\nk: 'a: b'\nt: 2024-01-01T00:00:00Z\n";
    let s = accepted(t);
    let r = root(&s);
    assert_eq!(r.get("a").unwrap().as_str(), Some("b:c"));
    assert_eq!(r.get("url").unwrap().as_str(), Some("http://x:8080/p?q=1"));
    assert_eq!(r.get("q").unwrap().as_str(), Some("x: y"));
    assert_eq!(r.get("ip").unwrap().as_str(), Some("::1"));
    // A plain value containing `: ` is an error: the loader reports it.
    assert!(parse_fast("a: b: c\n", Budget::default()).is_none());
    assert!(!parse("a: b: c\n", Budget::default()).problems.is_empty());
}

#[test]
fn nested_sequences() {
    let t = "- - nested\n  - two\n- - - deep\n-   - x\n";
    let s = accepted(t);
    let r = root(&s).as_seq().unwrap();
    assert_eq!(r[0].as_seq().unwrap()[1].as_str(), Some("two"));
    assert_eq!(r[1].as_seq().unwrap()[0].as_seq().unwrap()[0].as_str(), Some("deep"));
}

#[test]
fn trailing_spaces_and_no_final_newline() {
    accepted("a: 1   \nb: x  \nc:   \n- x   ");
    let t = "a:\n  b: 1\n  c: two";
    let s = accepted(t);
    assert_eq!(s.docs[0].span, Span::new(0, t.len()));
}

#[test]
fn crlf_line_breaks() {
    let t = "# c\r\n---\r\na: 1\r\nb: 'q'  # c\r\nl:\r\n- x\r\n-\r\n- k: []\r\n  e:\r\n---\r\n";
    let s = accepted(t);
    assert_eq!(s.docs.len(), 2);
    assert_eq!(slice(t, root(&s).get("b").unwrap().span), "'q'");
    // A CR alone is a line break for saphyr: left to it.
    assert!(parse_fast("a: 1\rb: 2\n", Budget::default()).is_none());
    assert!(parse_fast("a: x\ry\n", Budget::default()).is_none());
}

#[test]
fn comment_only_and_empty_documents() {
    assert!(accepted("# only a comment\n  # another\n\n").docs.is_empty());
    assert!(accepted("").docs.is_empty());
    let s = accepted("---");
    assert_eq!(s.docs.len(), 1);
    assert!(s.docs[0].root.is_none());
    let s = accepted("a: 1\n---\n");
    assert_eq!(s.docs.len(), 2);
    let s = accepted("---\n---\n# c\n--- # x\na: 1\n---\n\n");
    assert_eq!(s.docs.len(), 4);
}

#[test]
fn core_schema_values() {
    let t = "a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: 0x10\ng: 123456789012345678901234567890\nh: yes\ni:\nj: -.inf\nk: 0o17\nl: [ ]\nm: []\np: {}\n";
    let s = parse(t, Budget::default());
    let r = root(&s);
    assert_eq!(r.get("a").unwrap().value, Value::Int(1));
    assert_eq!(r.get("b").unwrap().value, Value::Str("1".into()));
    assert_eq!(r.get("g").unwrap().value, Value::BigInt);
    // `[ ]` is left to the loader, `[]` is not.
    assert!(parse_fast(t, Budget::default()).is_none());
    let t2 = t.replace("[ ]", "[]");
    let s = accepted(&t2);
    assert_eq!(root(&s).get("k").unwrap().value, Value::Int(15));
    assert_eq!(root(&s).get("p").unwrap().value, Value::Map(vec![]));
    // A key kubectl reads as a non-string (`n` is false) is left to the loader.
    assert!(parse_fast("n: 1\n", Budget::default()).is_none());
    assert!(parse_fast("n: 1\n", Budget { yaml_version: spiderendpoint::yaml::YamlVersion::V1_2, ..Budget::default() }).is_some());
}

#[test]
fn duplicate_keys_fall_back_with_identical_problems() {
    let t = "a:\n  b: 1\n  b: 2\n";
    assert!(parse_fast(t, Budget::default()).is_none());
    let s = parse(t, Budget::default());
    assert_eq!(s, parse_slow(t, Budget::default()));
    assert_eq!(s.problems[0].kind, ProblemKind::DuplicateKey);
    assert_eq!(s.problems[0].path, "/a/b");
    let many: String = (0..100).map(|i| format!("k{i}: {i}\n")).chain(["k7: again\n".to_string()]).collect();
    assert!(parse_fast(&many, Budget::default()).is_none());
    let ok: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    accepted(&ok);
}

#[test]
fn out_of_subset_falls_back() {
    for t in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        "? a\n: b\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "a:\tb\n",
        "a: 1\rb: 2\r",
        "\u{feff}a: 1\n",
        "a: b\n  continued\n",
        "a: 'multi\n  line'\n",
        "base: &b {x: 1}\nm:\n  <<: *b\n",
        "{\"a\": 1}",
        "plain root scalar\n",
        "a: b\0c\n",
        "a: 1\n b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
    ] {
        assert!(parse_fast(t, Budget::default()).is_none(), "fast path accepted {t:?}");
        assert_eq!(format!("{:?}", parse(t, Budget::default())), format!("{:?}", parse_slow(t, Budget::default())));
    }
}

#[test]
fn depth_budget() {
    let t = "a:\n  b:\n    c:\n      d: 1\n";
    for max_depth in 0..6 {
        differential(t, Budget { max_depth, max_alias_nodes: 100, ..Budget::default() });
    }
    assert!(parse_fast(t, Budget { max_depth: 3, max_alias_nodes: 100, ..Budget::default() }).is_none());
    assert!(parse_fast(t, Budget { max_depth: 4, max_alias_nodes: 100, ..Budget::default() }).is_some());
}

#[test]
fn non_ascii_spans_are_bytes() {
    let t = "name: \"é😀\"\nb: x\nc: 中文 # 注释\n- bad\n";
    assert!(parse_fast(t, Budget::default()).is_none());
    let t = "name: \"é😀\"\nb: x\nc: 中文 # 注释\nd: 'ü'\n";
    let s = accepted(t);
    let c = root(&s).entry("c").unwrap();
    assert_eq!(slice(t, c.value.span), "中文");
    // C1 controls are refused by the loader's prescan: left to it.
    assert!(parse_fast("a: \u{80}\n", Budget::default()).is_none());
}

#[test]
fn long_keys_fall_back() {
    let t = format!("{}: 1\n", "k".repeat(1500));
    assert!(parse_fast(&t, Budget::default()).is_none());
    differential(&t, Budget::default());
    let t = format!("k: {}\n", "v".repeat(5000));
    accepted(&t);
}

// ---------------------------------------------------------------------------------------------
// Generated documents

const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "uid",
    "labels",
    "annotations",
    "status",
    "spec",
    "current",
    "ips",
    "interface",
    "ipv4",
    "ipv6",
    "ipv4Pool",
    "ipv6Pool",
    "ipv4Gateway",
    "ipv6Gateway",
    "vlan",
    "routes",
    "dst",
    "gw",
    "node",
    "ownerControllerName",
    "ownerControllerType",
    "finalizers",
    "ownerReferences",
    "controller",
    "blockOwnerDeletion",
    "creationTimestamp",
    "resourceVersion",
    "generation",
    "app",
    "tier",
    "app.kubernetes.io/name",
    "k8s.v1.cni.cncf.io/networks",
    "ipam.spidernet.io/ippool",
    "cleanGateway",
    "x-y_z",
    "a b",
    "key.with.dots",
    "CamelCase",
    "n1",
    "_private",
    "$ref",
    "items",
    "data",
    "value",
];

const PLAIN_VALUES: &[&str] = &[
    "spiderpool.spidernet.io/v2beta1",
    "SpiderEndpoint",
    "v1",
    "List",
    "Pod",
    "worker-1",
    "eth0",
    "net1",
    "10.6.1.21/16",
    "10.6.0.1",
    "fd00:10:6::21/64",
    "fd00::1",
    "::1",
    "default-v4-ippool",
    "http://example.com:8080/x",
    "2026-11-01T10:00:00Z",
    "3c1e4b8a-9f2d-4e6a-b7c5-d8e9f0a1b2c3",
    "0",
    "1",
    "42",
    "-7",
    "+3",
    "007",
    "0x1F",
    "0o17",
    "1.5",
    "-0.25",
    "1e3",
    "2.5E-3",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "true",
    "false",
    "True",
    "FALSE",
    "null",
    "Null",
    "~",
    "yes",
    "no",
    "on",
    "off",
    "a:b",
    "a,b",
    "x]y",
    "x}y",
    "a#b",
    "semi;colon",
    "at@sign",
    "-dash",
    "?q",
    ":colon",
    "back\\slash",
    "it's",
    "say \"hi\"",
    "percent%",
    "with spaces inside",
    "123456789012345678901234567890",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1_000",
    "0b101",
    "+.inf",
    "1.",
    "中文",
    "é",
    "😀 emoji",
    "ünï",
    "a\u{a0}nbsp",
];

const QUOTED_VALUES: &[&str] = &[
    "",
    " ",
    "true",
    "123",
    "null",
    "a: b",
    "# not a comment",
    "- dash",
    "[1, 2]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "tab\there",
    "new\nline",
    "é中文😀",
    "  padded  ",
    "%",
    "@",
    "`",
    "---",
    "...",
    "a'b\"c",
    "\u{85}nel",
    "\u{2028}",
];

fn gen_scalar(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => rng.pick(PLAIN_VALUES).to_string(),
        6 => format!("name-{}-{}", rng.below(1000), rng.pick(&["a", "b", "xyz"])),
        _ => {
            let v = rng.pick(QUOTED_VALUES);
            if rng.percent(50) {
                format!("'{}'", v.replace('\'', "''").replace(['\n', '\t'], " "))
            } else {
                let mut s = String::from("\"");
                for c in v.chars() {
                    match c {
                        '"' => s.push_str("\\\""),
                        '\\' => s.push_str("\\\\"),
                        '\n' => s.push_str("\\n"),
                        '\t' => s.push_str("\\t"),
                        '\u{85}' => s.push_str("\\N"),
                        '\u{2028}' => s.push_str(if rng.percent(50) { "\\L" } else { "\\u2028" }),
                        'é' if rng.percent(50) => s.push_str("\\u00e9"),
                        c => s.push(c),
                    }
                }
                s.push('"');
                s
            }
        }
    }
}

/// A generated value: scalars already spelled (plain, quoted, escaped; empty: nothing after the `:`).
fn gen_value(rng: &mut Rng, depth: usize) -> Gen {
    let roll = rng.below(100);
    if depth >= 6 || roll < 55 {
        let s = match rng.below(20) {
            0 => String::new(),
            1 => "[]".into(),
            2 => "{}".into(),
            _ => gen_scalar(rng),
        };
        Gen::Raw(s)
    } else if roll < 80 {
        gen_map(rng, depth)
    } else {
        let n = 1 + rng.below(4);
        Gen::Seq((0..n).map(|_| gen_value(rng, depth + 1)).collect())
    }
}

fn gen_map(rng: &mut Rng, depth: usize) -> Gen {
    let n = 1 + rng.below(6);
    let mut keys: Vec<String> = Vec::new();
    while keys.len() < n {
        let mut k = rng.pick(KEYS).to_string();
        if rng.percent(10) {
            k = format!("{k}{}", rng.below(100));
        }
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    Gen::map(keys.into_iter().map(|k| (k, gen_value(rng, depth + 1))))
}

fn gen_stream(rng: &mut Rng) -> String {
    // block YAML only (what the fast path reads), in one style per stream
    let st = Style {
        indent: if rng.percent(80) { 2 } else { 1 + rng.below(4) },
        seq_indent: rng.percent(40),
        comments: rng.percent(50),
        noise: rng.percent(30),
        flow: 0,
        ..Style::plain(2, false)
    };
    let docs = 1 + rng.below(3);
    let mut out = String::new();
    if rng.percent(10) {
        out.push_str("# leading comment\n\n");
    }
    for d in 0..docs {
        if d > 0 || rng.percent(30) {
            out.push_str(if rng.percent(80) { "---\n" } else { "--- # doc\n" });
        }
        if rng.percent(5) {
            continue; // empty document
        }
        let g = match if rng.percent(90) { gen_map(rng, 0) } else { gen_value(rng, 1) } {
            scalar @ Gen::Raw(_) => Gen::map([("k", scalar)]),
            g => g,
        };
        out.push_str(&emit::yaml(&g, &st, rng));
    }
    if rng.percent(10) {
        out.push_str("---\n");
    }
    if rng.percent(10) {
        out.push_str("# trailing comment\n");
    }
    if rng.percent(10) {
        out.pop(); // no final newline
    }
    out
}

/// Breaks `text` in a way that may or may not stay in the fast subset (or in YAML).
fn mutate(rng: &mut Rng, text: &str) -> String {
    const SNIPPETS: &[&str] = &[
        "\t",
        "\r",
        "\r\n",
        "&a ",
        "*a",
        "!t ",
        "!!str ",
        "|",
        ">",
        "? ",
        ": ",
        ":",
        "#",
        " #",
        "\"",
        "'",
        "''",
        "[",
        "]",
        "{",
        "}",
        ",",
        "- ",
        "-",
        "...",
        "---",
        "--- ",
        "%",
        "@",
        "`",
        "\\",
        "\\\"",
        "\u{feff}",
        "é",
        "\0",
        "\x7f",
        "\u{85}",
        "\u{80}",
        " ",
        "  ",
        "\n",
        "\n  ",
        "\n- ",
        "\n---\n",
        "<<: ",
        "~",
        "0x",
        "[]",
        "{}",
        "[1]",
        "{a: b}",
        "a: b",
        "\"x\"",
        "'y'",
        "\"\\x4\"",
        "\"\\u12\"",
    ];
    let mut s = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let boundaries: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        let at = boundaries[rng.below(boundaries.len())];
        let lines: Vec<&str> = s.split_inclusive('\n').collect();
        match rng.below(7) {
            0..=2 => s.insert_str(at, rng.pick(SNIPPETS)),
            3 => {
                let end = boundaries.iter().copied().find(|&b| b >= at + 1 + rng.below(5)).unwrap_or(s.len());
                s.replace_range(at..end, "");
            }
            4 if !lines.is_empty() => {
                // Duplicate a line (often a duplicate key) or swap two.
                let i = rng.below(lines.len());
                let j = rng.below(lines.len());
                let mut ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                if rng.percent(50) {
                    let l = ls[i].clone();
                    ls.insert(j, l);
                } else {
                    ls.swap(i, j);
                }
                s = ls.concat();
            }
            5 if !lines.is_empty() => {
                // Re-indent a line.
                let i = rng.below(lines.len());
                let mut ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                match rng.below(4) {
                    0 => ls[i].insert(0, ' '),
                    1 => ls[i].insert_str(0, "  "),
                    _ => {
                        let k = ls[i].len() - ls[i].trim_start_matches(' ').len();
                        let drop = k.min(1 + rng.below(2));
                        ls[i].replace_range(..drop, "");
                    }
                }
                s = ls.concat();
            }
            _ => s.truncate(at),
        }
    }
    s
}

#[test]
fn generated_realistic_documents() {
    let mut rng = Rng(0x5eed_0001);
    let (mut total, mut fast, mut bytes) = (0usize, 0usize, 0usize);
    for _ in 0..iterations(4000) {
        let text = gen_stream(&mut rng);
        total += 1;
        bytes += text.len();
        if differential(&text, Budget::default()) {
            fast += 1;
        } else {
            // Every generated stream is in the fast subset unless it is not valid YAML for saphyr
            // (print the few that are refused, to see why).
            if total - fast <= 5 {
                println!("refused: {text:?}\n  slow problems: {:?}", parse_slow(&text, Budget::default()).problems);
            }
        }
        // The same stream with CRLF line breaks.
        if total % 4 == 0 {
            let crlf = text.replace('\n', "\r\n");
            assert!(
                differential(&crlf, Budget::default()) || !differential(&text, Budget::default()),
                "CRLF refused: {crlf:?}"
            );
        }
        // Small depth budgets: the fast path must refuse exactly where the loader would stop.
        if total % 10 == 0 {
            for max_depth in [1, 2, 3, 5] {
                differential(&text, Budget { max_depth, max_alias_nodes: 100, ..Budget::default() });
            }
        }
    }
    let rate = fast as f64 / total as f64;
    println!("realistic: {total} streams ({bytes} bytes), fast path accepted {fast} ({:.1}%)", rate * 100.0);
    assert!(rate >= 0.9, "fast path accepted only {:.1}% of realistic streams", rate * 100.0);
}

#[test]
fn generated_mutations() {
    let mut rng = Rng(0x5eed_0002);
    let (mut total, mut fast) = (0usize, 0usize);
    for _ in 0..iterations(6000) {
        let text = gen_stream(&mut rng);
        let bad = mutate(&mut rng, &text);
        total += 1;
        if differential(&bad, Budget::default()) {
            fast += 1;
        }
    }
    println!("mutated: {total} streams, fast path accepted {fast} ({:.1}%)", fast as f64 * 100.0 / total as f64);
}

/// Streams of random lines at random columns: mostly-legal structure with odd indentation,
/// indentless and compact sequences, empty values and entries, comments and markers.
fn gen_lines(rng: &mut Rng) -> String {
    const LINES: &[&str] = &[
        "k: v",
        "k:",
        "k: ",
        "k: # c",
        "- v",
        "-",
        "- ",
        "- # c",
        "- k: v",
        "- k:",
        "- - v",
        "- - k: v",
        "-   k: v",
        "# c",
        "",
        "   ",
        "---",
        "--- # d",
        "\"k\": 1",
        "'k' : x",
        "k: []",
        "k: {}",
        "- []",
        "- {}",
        "k: 'q' # c",
        "k: \"q\"   ",
        "k: a b c",
        "k: a:b",
        "k: -1",
        "-  - -",
        "- \"x\"",
        "k2: v",
        "k3:",
        "k: v # c",
        "- k2: 1",
    ];
    let n = 1 + rng.below(14);
    let mut out = String::new();
    let mut used = 0usize;
    for _ in 0..n {
        let col = [0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 6][rng.below(12)];
        let line = rng.pick(LINES);
        let line = if line.contains("k:") || line.contains("k2:") {
            // Mostly distinct keys, sometimes a duplicate.
            used += 1;
            let k = if rng.percent(10) { 0 } else { used };
            line.replacen("k:", &format!("k{k}:"), 1)
        } else {
            line.to_string()
        };
        if !line.starts_with("---") {
            out.push_str(&" ".repeat(col));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if rng.percent(20) {
        out.pop();
    }
    if rng.percent(10) {
        out = out.replace('\n', "\r\n");
    } else if rng.percent(3) {
        let at = rng.below(out.len() + 1);
        out.insert(at, '\r');
    }
    out
}

fn iterations(default: usize) -> usize {
    std::env::var("FAST_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn generated_random_lines() {
    let mut rng = Rng(0x5eed_0003);
    let (mut total, mut fast) = (0usize, 0usize);
    for _ in 0..iterations(20_000) {
        let text = gen_lines(&mut rng);
        total += 1;
        let max_depth = if rng.percent(10) { rng.below(4) } else { 64 };
        if differential(&text, Budget { max_depth, max_alias_nodes: 100, ..Budget::default() }) {
            fast += 1;
        }
    }
    println!("random lines: {total} streams, fast path accepted {fast} ({:.1}%)", fast as f64 * 100.0 / total as f64);
    assert!(fast > total / 10, "the structural fuzzer should exercise the fast path");
}

#[test]
fn scalar_resolution_matches_the_loader() {
    // Every short string over the characters that matter to the core schema, as a plain value.
    const CHARS: &[u8] = b"0179+-.eEeE0x0oXOabfinIN~tTlsuFALSNUrRgq_/:";
    let mut text = String::new();
    let mut rng = Rng(7);
    for i in 0..20_000 {
        let len = 1 + rng.below(7);
        let v: String = (0..len).map(|_| CHARS[rng.below(CHARS.len())] as char).collect();
        if v.ends_with(':') || v == "-" {
            continue; // not a plain scalar
        }
        text.push_str(&format!("k{i}: {v}\n"));
    }
    for w in [
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", "+.inf", "-.Inf",
        ".NaN", ".NAN", "0x1f", "0o17", "1e5", "-1.5E-3", "nulls", "Yes", "1_0", "0b1", "+", ".",
    ] {
        text.push_str(&format!("w{w}: {w}\n"));
    }
    // Chunks, so that a plain value that breaks the line structure only loses its chunk.
    let (mut fast, mut total) = (0, 0);
    for chunk in text.lines().collect::<Vec<_>>().chunks(50) {
        total += 1;
        if differential(&chunk.join("\n"), Budget::default()) {
            fast += 1;
        }
    }
    assert!(fast * 10 > total * 8, "{fast} of {total}");
}

#[test]
fn deep_compact_nesting_does_not_recurse() {
    // With a large depth budget, `- - - ... x` on one line must not overflow the stack.
    let t = format!("{}x\n", "- ".repeat(200_000));
    let budget = Budget { max_depth: 1_000_000, max_alias_nodes: 100, ..Budget::default() };
    let s = parse_fast(&t, budget).expect("in the subset");
    let mut n = s.docs[0].root.as_ref().unwrap();
    let mut depth = 1;
    while let Some(items) = n.as_seq() {
        n = &items[0];
        depth += 1;
    }
    assert_eq!(depth, 200_001);
    // Default budget: refused at the limit, as the loader refuses it.
    assert!(parse_fast(&t, Budget::default()).is_none());
    // (The tree is dropped on a thread with a big stack: drop glue is recursive.)
    std::thread::scope(|scope| {
        std::thread::Builder::new().stack_size(512 << 20).spawn_scoped(scope, move || drop(s)).unwrap().join().unwrap();
    });
}
