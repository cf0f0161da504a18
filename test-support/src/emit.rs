//! The one YAML emitter (and a JSON writer that keeps key order): writes a [`Node`] tree in a style
//! drawn from a [`Source`]. [`Style`] says which YAML features it may use; what it writes always
//! reads back as the tree (for a tree without raw scalars, in both of the engine's readings: kubectl's
//! YAML 1.1 and YAML 1.2), so a test can compare the engine's reading with the generated value.
//!
//! The fuzz style ([`Style::fuzz`]) reads the fuzzer's bytes in a fixed order: the saved
//! `*_structured-*` crash inputs (tests/fixtures/crashes) depend on it, so a change of what it
//! draws, or in which order, makes them other inputs.

use crate::source::Source;
use crate::tree::{Key, Node};

/// What the emitter may write. Every feature that is off draws nothing from the source.
#[derive(Clone, Debug)]
pub struct Style {
    /// Indentation of a block mapping's children.
    pub indent: usize,
    /// Block sequences under a key indented (`key:\n  - x`) rather than not (`key:\n- x`).
    pub seq_indent: bool,
    /// Equal values anchored (`&aN`) and aliased (`*aN`) where the source says.
    pub anchors: bool,
    /// `!!int "5"` for some integers, `!!str` for plain strings that would read as something else.
    pub tags: bool,
    /// Strings as `|-` literal block scalars where they can be.
    pub literals: bool,
    /// `# comment` lines before keys and `# note` after values.
    pub comments: bool,
    /// Layout noise: blank lines, comments at odd columns, extra spaces around indicators and after
    /// values, `-   x`.
    pub noise: bool,
    /// Chance (k/256) that a non-empty collection under a key or in a sequence is written in flow style.
    pub flow: u8,
    /// The same for the document's root.
    pub flow_root: u8,
    /// Collections of more items or entries than this are always written in block style.
    pub flow_max_len: usize,
}

impl Style {
    /// The style of the structure-aware fuzz targets (every feature, 2-space indentation).
    pub fn fuzz(seq_indent: bool) -> Style {
        Style { indent: 2, seq_indent, anchors: true, tags: true, literals: true, comments: true, noise: false, flow: 25, flow_root: 20, flow_max_len: usize::MAX }
    }

    /// The amplification target's style: the tree has its anchors and aliases already; `flow` as
    /// [`Style::flow`] (and for the root) for collections of at most `flow_max_len` items.
    pub fn amplify(flow: u8, flow_max_len: usize) -> Style {
        Style { indent: 2, seq_indent: true, anchors: false, tags: false, literals: false, comments: false, noise: false, flow, flow_root: flow, flow_max_len }
    }

    /// Plain block YAML as Kubernetes tools write it: no anchors, tags or block scalars (what the
    /// transforms edit in place without the whole-rewrite fallback, and what the fast YAML path reads).
    pub fn plain(indent: usize, seq_indent: bool) -> Style {
        Style { indent, seq_indent, anchors: false, tags: false, literals: false, comments: true, noise: false, flow: 25, flow_root: 0, flow_max_len: usize::MAX }
    }
}

/// One YAML document (its lines, each ending with a line break; no `---`).
pub fn yaml<S: Source>(node: &Node, style: &Style, source: &mut S) -> String {
    let mut e = Emitter { out: String::new(), c: source, style, anchors: Vec::new() };
    e.document(node);
    e.out
}

/// JSON keeping the tree's key order: on one line (`indent` None) or indented by `indent`.
pub fn json(node: &Node, indent: Option<usize>) -> String {
    fn write(v: &Node, indent: Option<usize>, level: usize, out: &mut String) {
        let nl = |out: &mut String, l: usize| {
            if let Some(i) = indent {
                out.push('\n');
                out.push_str(&" ".repeat(i * l));
            }
        };
        let sep = if indent.is_some() { "," } else { ", " };
        match v {
            Node::Map(m) if !m.is_empty() => {
                out.push('{');
                for (n, (k, v)) in m.iter().enumerate() {
                    if n > 0 {
                        out.push_str(sep);
                    }
                    nl(out, level + 1);
                    let (Key::Str(k) | Key::Raw(k)) = k else { panic!("a YAML-only key in JSON") };
                    out.push_str(&format!("{}: ", serde_json::to_string(k).unwrap()));
                    write(v, indent, level + 1, out);
                }
                nl(out, level);
                out.push('}');
            }
            Node::Seq(items) if !items.is_empty() => {
                out.push('[');
                for (n, v) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(sep);
                    }
                    nl(out, level + 1);
                    write(v, indent, level + 1, out);
                }
                nl(out, level);
                out.push(']');
            }
            other => out.push_str(&other.to_json().to_string()),
        }
    }
    let mut out = String::new();
    write(node, indent, 0, &mut out);
    out
}

struct Emitter<'s, S: Source> {
    out: String,
    c: &'s mut S,
    style: &'s Style,
    /// Values anchored so far (implicit anchors) and their names.
    anchors: Vec<(Node, String)>,
}

/// Where a scalar is written: a mapping key, inside a flow collection, or a block value whose
/// parent collection is at the given indentation (block scalars allowed).
#[derive(Clone, Copy)]
enum Ctx {
    Key,
    Flow,
    Block(usize),
}

enum Props {
    None,
    Anchored,
    Alias(String),
}

/// A non-empty collection, or an anchor on one.
fn block_able(v: &Node) -> bool {
    match v {
        Node::Anchor(_, inner) => block_able(inner),
        v => v.is_collection() && !v.is_empty_collection(),
    }
}

/// The length of a collection (under its anchor).
fn len_of(v: &Node) -> usize {
    match v {
        Node::Anchor(_, inner) => len_of(inner),
        v => v.size(),
    }
}

impl<S: Source> Emitter<'_, S> {
    /// Written in block style: a non-empty collection unless the source says flow.
    fn in_block(&mut self, v: &Node, flow: u8) -> bool {
        block_able(v) && (len_of(v) > self.style.flow_max_len || !self.c.chance(flow))
    }

    fn document(&mut self, v: &Node) {
        if self.in_block(v, self.style.flow_root) {
            match v {
                Node::Anchor(id, inner) => {
                    self.out.push_str(&format!("&a{id}\n"));
                    self.block(inner, 0, false);
                }
                v => self.block(v, 0, false),
            }
        } else {
            let s = self.inline(v, Ctx::Block(0));
            self.out.push_str(&s);
            self.out.push('\n');
        }
    }

    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    /// An alias to an equal value anchored before, or a fresh anchor (`&aN `, written to `out`), or nothing.
    fn properties(&mut self, v: &Node, out: &mut String) -> Props {
        if !self.style.anchors {
            return Props::None;
        }
        if let Some(i) = self.anchors.iter().position(|(a, _)| a == v) {
            if self.c.chance(120) {
                return Props::Alias(format!("*{}", self.anchors[i].1));
            }
        }
        if self.c.chance(12) {
            let name = format!("a{}", self.anchors.len());
            self.anchors.push((v.clone(), name.clone()));
            out.push('&');
            out.push_str(&name);
            out.push(' ');
            return Props::Anchored;
        }
        Props::None
    }

    /// Layout noise before an entry or item at `indent`: a comment line, a blank line.
    fn noise_before(&mut self, indent: usize) {
        if self.style.noise {
            if self.c.chance(20) {
                let col = if self.c.chance(128) { indent } else { self.c.below(8) };
                self.indent(col);
                self.out.push_str("# full-line comment: with - stuff\n");
            }
            if self.c.chance(20) {
                self.out.push_str(if self.c.chance(128) { "\n" } else { "   \n" });
            }
        }
    }

    /// The space after an indicator (more than one with noise).
    fn space(&mut self) {
        if self.style.noise && self.c.chance(40) {
            self.out.push_str(self.c.pick(&["  ", "   ", "    "]));
        } else {
            self.out.push(' ');
        }
    }

    /// With noise, a comment (or blanks) at the end of a line that carries no value yet.
    fn noise_after(&mut self) {
        if self.style.noise {
            if self.c.chance(30) {
                self.space();
                let text = self.c.pick(&["note", "TODO: x", "a: b", "- x", "'q", "#", ""]);
                self.out.push_str(&format!("# {text}"));
            }
            if self.c.chance(15) {
                self.out.push_str("  ");
            }
        }
    }

    fn key(&mut self, k: &Key) -> String {
        match k {
            Key::Str(t) => self.scalar_string(t, Ctx::Key),
            Key::Raw(t) => t.clone(),
            Key::Merge => "<<".to_string(),
            Key::Alias(id) => format!("*a{id} "),
        }
    }

    /// A block collection at `indent`; `positioned` when the cursor already stands there (after `- `).
    fn block(&mut self, v: &Node, indent: usize, positioned: bool) {
        match v {
            Node::Map(m) => {
                for (i, (k, val)) in m.iter().enumerate() {
                    if i > 0 || !positioned {
                        self.noise_before(indent);
                        if self.style.comments && self.c.chance(10) {
                            self.indent(indent);
                            self.out.push_str("# comment\n");
                        }
                        self.indent(indent);
                    }
                    let key = self.key(k);
                    self.out.push_str(&key);
                    if self.style.noise && self.c.chance(12) {
                        self.out.push_str("  ");
                    }
                    self.out.push(':');
                    self.value_after_indicator(val, indent, true);
                }
            }
            Node::Seq(a) => {
                for (i, item) in a.iter().enumerate() {
                    if i > 0 || !positioned {
                        self.noise_before(indent);
                        self.indent(indent);
                    }
                    self.out.push('-');
                    self.value_after_indicator(item, indent, false);
                }
            }
            _ => unreachable!("block of a scalar"),
        }
    }

    /// The indentation of a block collection under a key of a mapping at `indent`.
    fn child_indent(&self, v: &Node, indent: usize) -> usize {
        if matches!(v, Node::Seq(_)) && !self.style.seq_indent {
            indent
        } else {
            indent + self.style.indent
        }
    }

    /// The value after `key:` (of a mapping at `indent`) or `-` (of a sequence at `indent`), then the line break.
    fn value_after_indicator(&mut self, v: &Node, indent: usize, after_key: bool) {
        if let Node::Anchor(id, inner) = v {
            return self.anchored(*id, inner, indent);
        }
        if self.in_block(v, self.style.flow) {
            let mut props = String::new();
            match self.properties(v, &mut props) {
                Props::Alias(alias) => {
                    self.out.push(' ');
                    self.out.push_str(&alias);
                    self.out.push('\n');
                }
                Props::Anchored => {
                    // `key: &a` / `- &a`, then the collection on the next lines
                    self.out.push(' ');
                    self.out.push_str(props.trim_end());
                    self.out.push('\n');
                    self.block(v, indent + self.style.indent, false);
                }
                Props::None if after_key => {
                    self.noise_after();
                    self.out.push('\n');
                    let child = self.child_indent(v, indent);
                    self.block(v, child, false);
                }
                Props::None if self.c.chance(40) => {
                    self.noise_after();
                    self.out.push('\n');
                    self.block(v, indent + self.style.indent, false);
                }
                Props::None => {
                    // compact: `- key: v` / `- - x` (with noise `-   key: v`)
                    let extra = if self.style.noise && self.c.chance(40) { 1 + self.c.below(2) } else { 0 };
                    self.indent(1 + extra);
                    self.block(v, indent + 2 + extra, true);
                }
            }
            return;
        }
        if let Node::Literal(lines) = v {
            return self.literal(lines, indent);
        }
        if matches!(v, Node::Null) && self.c.chance(30) {
            // `key:` / `-` with nothing after it is null
            self.noise_after();
            self.out.push('\n');
            return;
        }
        let s = self.inline(v, Ctx::Block(indent));
        if !s.is_empty() {
            self.space();
        } else if self.style.noise && self.c.chance(80) {
            self.out.push(' ');
        }
        self.out.push_str(&s);
        if self.style.comments && self.c.chance(8) && !s.contains('\n') {
            self.out.push_str(" # note");
        } else if !s.contains('\n') {
            self.noise_after();
        }
        self.out.push('\n');
    }

    /// `&aN` after an indicator, then the node: a block collection on the next lines, a literal, or
    /// a flow rendering on the same line.
    fn anchored(&mut self, id: usize, inner: &Node, indent: usize) {
        self.out.push_str(&format!(" &a{id}"));
        match inner {
            Node::Seq(_) | Node::Map(_) if self.in_block(inner, self.style.flow) => {
                self.out.push('\n');
                self.block(inner, indent + self.style.indent, false);
            }
            Node::Literal(lines) => self.literal(lines, indent),
            _ => {
                self.out.push(' ');
                let s = self.inline(inner, Ctx::Flow);
                self.out.push_str(&s);
                self.out.push('\n');
            }
        }
    }

    /// ` |-` and the lines, two deeper than the parent collection.
    fn literal(&mut self, lines: &[String], indent: usize) {
        self.out.push_str(" |-\n");
        for l in lines {
            self.indent(indent + 2);
            self.out.push_str(l);
            self.out.push('\n');
        }
    }

    /// A flow rendering (scalars, `{...}`, `[...]`), with properties.
    fn inline(&mut self, v: &Node, ctx: Ctx) -> String {
        let mut s = String::new();
        if let Props::Alias(alias) = self.properties(v, &mut s) {
            return alias;
        }
        match v {
            Node::Null => s.push_str(self.c.pick(&["null", "~", "null", "Null", "NULL"])),
            Node::Bool(b) => s.push_str(if *b { self.c.pick(&["true", "True", "TRUE"]) } else { self.c.pick(&["false", "False", "FALSE"]) }),
            Node::Num(n) => {
                let t = n.to_string();
                if self.style.tags && n.is_i64() && self.c.chance(10) {
                    s.push_str(&format!("!!int \"{t}\""));
                } else {
                    s.push_str(&t);
                }
            }
            Node::Str(t) => {
                let r = self.scalar_string(t, ctx);
                s.push_str(&r);
            }
            Node::Raw(t) => s.push_str(t),
            Node::Literal(lines) => s.push_str(&serde_json::to_string(&lines.join("\n")).unwrap()),
            Node::Alias(id) => s.push_str(&format!("*a{id}")),
            Node::Anchor(id, inner) => {
                let r = self.inline(inner, Ctx::Flow);
                s.push_str(&format!("&a{id} {r}"));
            }
            Node::Seq(a) => {
                s.push('[');
                for (i, item) in a.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    let r = self.inline(item, Ctx::Flow);
                    s.push_str(&r);
                }
                s.push(']');
            }
            Node::Map(m) => {
                s.push('{');
                for (i, (k, val)) in m.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    let key = self.key(k);
                    s.push_str(&key);
                    s.push_str(": ");
                    let r = self.inline(val, Ctx::Flow);
                    s.push_str(&r);
                }
                s.push('}');
            }
        }
        s
    }

    /// A string as a plain, single-quoted, double-quoted or literal block scalar.
    fn scalar_string(&mut self, t: &str, ctx: Ctx) -> String {
        let style = self.c.below(8);
        if plain_safe(t) && style < 5 {
            if kubectl_reads_otherwise(t) {
                // `on`, `010`, `1_000`: kubectl's YAML 1.1 reading differs from YAML 1.2's
                return serde_json::to_string(t).unwrap();
            }
            if resolves_to_non_string(t) {
                return if matches!(ctx, Ctx::Key) || !self.style.tags { serde_json::to_string(t).unwrap() } else { format!("!!str {t}") };
            }
            return t.to_string();
        }
        if style == 5 && !t.chars().any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}') {
            return format!("'{}'", t.replace('\'', "''"));
        }
        if let (6, Ctx::Block(indent), true) = (style, ctx, self.style.literals) {
            if literal_safe(t) {
                // `|-` then the lines, two deeper than the parent collection (auto-detected indentation)
                let pad = " ".repeat(indent + 2);
                let body: String = t.split('\n').map(|l| if l.is_empty() { "\n".to_string() } else { format!("\n{pad}{l}") }).collect();
                return format!("|-{body}");
            }
        }
        serde_json::to_string(t).unwrap()
    }
}

/// Strings written as plain scalars: identifiers, names, addresses (no indicator, space or `#`).
pub fn plain_safe(t: &str) -> bool {
    let mut chars = t.chars();
    let Some(first) = chars.next() else { return false };
    first.is_ascii_alphanumeric()
        && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | ':' | '-'))
        && !t.ends_with(':')
        && t.len() <= 200
}

/// Plain scalars kubectl's reader (go-yaml v2, YAML 1.1) may take for something else than the
/// same YAML 1.2 string, conservatively: its booleans, and anything that looks like a number (a
/// digit, sign or dot, then only number-ish characters). The emitter quotes them, so its text
/// reads the same in both (the engine reads as kubectl by default).
pub fn kubectl_reads_otherwise(t: &str) -> bool {
    const WORDS: &[&str] = &["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
    WORDS.contains(&t)
        || (t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_')))
}

/// YAML 1.2 core schema: plain scalars that are not strings (from the specification, not the library).
pub fn resolves_to_non_string(t: &str) -> bool {
    const WORDS: &[&str] = &["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"];
    if WORDS.contains(&t) {
        return true;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits(unsigned) {
        return true;
    }
    if let Some(h) = t.strip_prefix("0x") {
        if !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(o) = t.strip_prefix("0o") {
        if !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return true;
        }
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let (mant, exp) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some((a, b)) => (a.is_empty() && digits(b)) || (digits(a) && (b.is_empty() || digits(b))),
        None => digits(mant),
    };
    let exp_ok = exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mant_ok && exp_ok
}

/// Strings a `|N-` literal block can carry exactly: printable, no trailing newline, no trailing
/// spaces on a line, no line starting with a space, not empty.
pub fn literal_safe(t: &str) -> bool {
    !t.is_empty()
        && !t.ends_with('\n')
        && t.len() < 300
        && t.chars().all(|c| c == '\n' || (' '..='~').contains(&c))
        && t.split('\n').all(|l| !l.ends_with(' ') && !l.starts_with(' '))
}
