//! Amplification: small inputs that expand (anchors on big scalars, maps and sequences; aliases
//! repeated and nested, also as keys; merge keys; long single lines; many keys; nesting near the
//! depth budget; Lists in Lists; repeated documents), written by [`crate::emit`].

use serde_json::Value;
use spiderendpoint::ValidateOptions;

use crate::emit::{self, Style};
use crate::endpoints::{bases, mutate};
use crate::known::known;
use crate::source::{Choices, Source};
use crate::tree::{Key, Node};

pub struct Amplified {
    pub text: String,
    pub options: ValidateOptions,
    pub drop_unknown: bool,
    pub lossless: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Scalar,
    Seq,
    Map,
    /// A whole endpoint (a map).
    Endpoint,
    /// A List (a map).
    List,
}

struct Amp<'c, 'd> {
    c: &'c mut Choices<'d>,
    /// Bytes of text still to spend.
    room: usize,
    /// Anchors of the current document: their shape.
    anchors: Vec<Shape>,
    /// Anchors not to alias (defined in an earlier slot, which may come later in the text).
    hidden: std::ops::Range<usize>,
    max_depth: usize,
}

const SIZES: &[usize] = &[0, 1, 8, 100, 1000, 1023, 1025, 10_000, 65_536, 131_072, 1 << 20];
const COUNTS: &[usize] = &[1, 2, 9, 16, 17, 64, 100, 1000, 10_000, 40_000, 100_000];

impl Amp<'_, '_> {
    fn spend(&mut self, n: usize) -> bool {
        if n > self.room {
            return false;
        }
        self.room -= n;
        true
    }

    /// A size or count from `table` (sorted), the smaller ones more often (the lesser of two
    /// picks: big texts are slow to check and the aliases make the big expansions anyway), no more
    /// than `room / per` (the budget of this text).
    fn amount(&mut self, table: &[usize], per: usize) -> usize {
        let i = self.c.below(table.len()).min(self.c.below(table.len()));
        table[i].min(self.room / per.max(1))
    }

    fn anchor(&mut self, shape: Shape, h: Node) -> (usize, Node) {
        self.anchors.push(shape);
        let id = self.anchors.len() - 1;
        (id, Node::Anchor(id, Box::new(h)))
    }

    fn alias_of(&mut self, want: &[Shape]) -> Option<usize> {
        let ids: Vec<usize> = (0..self.anchors.len()).filter(|&i| want.contains(&self.anchors[i]) && !self.hidden.contains(&i)).collect();
        if ids.is_empty() {
            return None;
        }
        // the newest anchors most often (they are the biggest in a chain)
        let k = self.c.below(ids.len() + 2).min(ids.len() - 1);
        Some(ids[ids.len() - 1 - k])
    }

    /// A scalar of about `size` bytes in one of several styles.
    fn big_scalar(&mut self, size: usize) -> Node {
        if !self.spend(size + 2) {
            return Node::Raw("x".into());
        }
        let n = size.max(1);
        match self.c.below(7) {
            0 => Node::Raw("x".repeat(n)),
            1 => Node::Raw(format!("{}lol", "lol ".repeat(n / 4))),
            2 => Node::Raw("9".repeat(n)), // an integer out of range (BigInt)
            3 => {
                // quotes and escapes: JSON output doubles them
                let s: String = "\"\\é😀\n\t".chars().cycle().take(n / 3 + 1).collect();
                Node::Raw(serde_json::to_string(&s).unwrap())
            }
            4 => Node::Raw(format!("'{}'", "it''s ".repeat(n / 6 + 1).trim_end())),
            5 => Node::Literal((0..n / 81 + 1).map(|i| format!("line{i:03}{}", "x".repeat(72))).collect()),
            _ => Node::Raw(format!("10.{}.0.5/24", n % 256)),
        }
    }

    /// A small scalar (a value of a generated key, an element).
    fn small(&mut self) -> Node {
        self.spend(6);
        Node::Raw(self.c.pick(&["1", "x", "~", "eth0", "10.1.0.5/24", "\"\"", "true", "[]", "{}", "0"]).to_string())
    }

    /// A map of `n` generated keys (`k0`, `k1`, ... or unknown-looking ones), values small or aliases.
    fn many_keys(&mut self, n: usize) -> Node {
        let n = if known("rewrite-quadratic-keys") { n.min(2000) } else { n };
        let alias = self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]).filter(|_| self.c.chance(100));
        let prefix = self.c.pick(&["k", "x-", "ipv4Gatway", "Vlan", "metadata.labels.", "😀"]);
        let mut entries = Vec::with_capacity(n);
        let v = match alias {
            Some(a) => Node::Alias(a),
            None => self.small(),
        };
        for i in 0..n {
            if !self.spend(prefix.len() + 10) {
                break;
            }
            entries.push((Key::Raw(format!("{prefix}{i}")), v.clone()));
        }
        Node::Map(entries)
    }

    /// `n` copies of an alias (or of a small value when there is no anchor yet).
    fn repeated(&mut self, n: usize) -> Node {
        let target = self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]);
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            if !self.spend(6) {
                break;
            }
            items.push(match target {
                Some(a) => Node::Alias(a),
                None => Node::Raw("x".into()),
            });
        }
        Node::Seq(items)
    }

    /// Nesting `depth` levels deep (sequences or maps), a scalar or an alias at the bottom.
    fn nested(&mut self, depth: usize) -> Node {
        let maps = self.c.below(2) == 0;
        let mut h = match self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map]).filter(|_| self.c.chance(100)) {
            Some(a) => Node::Alias(a),
            None => self.small(),
        };
        for _ in 0..depth {
            if !self.spend(4) {
                break;
            }
            h = if maps { Node::Map(vec![(Key::Raw("a".into()), h)]) } else { Node::Seq(vec![h]) };
        }
        h
    }

    /// A map that merges earlier maps (`<<: *m` or `<<: [*m1, *m2]`), with a few keys of its own.
    fn merging(&mut self) -> Node {
        let mut entries = Vec::new();
        let maps = [Shape::Map, Shape::Endpoint, Shape::List];
        if self.c.below(2) == 0 {
            if let Some(a) = self.alias_of(&maps) {
                entries.push((Key::Merge, Node::Alias(a)));
            }
        } else {
            let n = self.amount(&[2, 3, 10, 100, 1000], 6);
            let mut list = Vec::new();
            for _ in 0..n {
                match self.alias_of(&maps) {
                    Some(a) if self.spend(6) => list.push(Node::Alias(a)),
                    _ => break,
                }
            }
            if !list.is_empty() {
                entries.push((Key::Merge, Node::Seq(list)));
            }
        }
        for i in 0..self.c.below(4) {
            entries.push((Key::Raw(format!("k{i}")), self.small()));
        }
        if entries.is_empty() {
            entries.push((Key::Raw("k".into()), self.small()));
        }
        Node::Map(entries)
    }

    /// Aliases used as keys: `*a : 1` for each earlier anchor picked (a scalar key is its text, a
    /// mapping key its JSON rendering).
    fn alias_keys(&mut self) -> Node {
        let n = self.amount(&[1, 2, 10, 100, 1000], 8);
        let mut entries = Vec::new();
        for _ in 0..n {
            match self.alias_of(&[Shape::Scalar, Shape::Map, Shape::Seq]) {
                Some(a) if self.spend(8) => entries.push((Key::Alias(a), self.small())),
                _ => break,
            }
        }
        if entries.is_empty() {
            entries.push((Key::Raw("k".into()), self.small()));
        }
        Node::Map(entries)
    }

    /// An endpoint from the bases, as a tree.
    fn endpoint(&mut self) -> Node {
        let b = bases();
        let mut v = b[self.c.below(b.len() - 1)].clone(); // not the ConfigMap
        if self.c.chance(60) {
            mutate(&mut v, self.c);
        }
        let h = Node::from_json(&v);
        self.spend(json_len(&v));
        h
    }

    /// A List of `n` items: endpoints, aliases of earlier endpoints/Lists, nested Lists.
    fn list(&mut self, n: usize, depth: usize) -> Node {
        let mut items = Vec::new();
        for _ in 0..n {
            if self.room < 64 {
                break;
            }
            let item = match self.c.below(5) {
                0 | 1 => self.endpoint(),
                2 if depth < 6 => {
                    let m = self.amount(&[0, 1, 2, 10, 100], 400);
                    self.list(m, depth + 1)
                }
                _ => match self.alias_of(&[Shape::Endpoint, Shape::List]) {
                    Some(a) => {
                        self.spend(6);
                        Node::Alias(a)
                    }
                    None => self.endpoint(),
                },
            };
            items.push(item);
        }
        let (api, kind) = self.c.pick(&[("v1", "List"), ("spiderpool.spidernet.io/v2beta1", "SpiderEndpointList"), ("v1", "List")]);
        self.spend(40);
        Node::Map(vec![
            (Key::Raw("apiVersion".into()), Node::Raw(api.into())),
            (Key::Raw("kind".into()), Node::Raw(kind.into())),
            (Key::Raw("items".into()), Node::Seq(items)),
        ])
    }

    /// One anchored definition (what the rest of the document aliases).
    fn definition(&mut self) -> Node {
        let (shape, h) = match self.c.below(9) {
            0 | 1 => {
                let size = self.amount(SIZES, 1);
                (Shape::Scalar, self.big_scalar(size))
            }
            2 => {
                let n = self.amount(COUNTS, 12);
                (Shape::Map, self.many_keys(n))
            }
            3 => {
                // one level of a billion laughs: n aliases of the newest anchor
                let n = self.amount(&[2, 9, 10, 16, 100, 316, 1000], 6);
                (Shape::Seq, self.repeated(n))
            }
            4 => (Shape::Map, self.merging()),
            5 => (Shape::Endpoint, self.endpoint()),
            6 => {
                let n = self.amount(&[1, 2, 10, 100], 400);
                (Shape::List, self.list(n, 0))
            }
            7 => {
                let d = self.near(self.max_depth);
                let h = self.nested(d);
                (if matches!(h, Node::Map(_)) { Shape::Map } else { Shape::Seq }, h)
            }
            _ => (Shape::Map, self.alias_keys()),
        };
        self.anchor(shape, h).1
    }

    /// A number near `n` (a budget): a little under, at, or a little over it, or half of it.
    fn near(&mut self, n: usize) -> usize {
        match self.c.below(6) {
            0 => n.saturating_sub(2),
            1 => n.saturating_sub(1),
            2 => n,
            3 => n + 1,
            4 => n / 2,
            _ => n.saturating_sub(8),
        }
    }

    /// A hostile value for a slot of an endpoint (or the root of a document).
    fn hostile(&mut self) -> Node {
        match self.c.below(10) {
            0 => match self.alias_of(&[Shape::Scalar, Shape::Seq, Shape::Map, Shape::Endpoint, Shape::List]) {
                Some(a) => Node::Alias(a),
                None => self.small(),
            },
            1 | 2 => {
                let n = self.amount(COUNTS, 6);
                self.repeated(n)
            }
            3 => {
                let n = self.amount(COUNTS, 12);
                self.many_keys(n)
            }
            4 => self.merging(),
            5 => self.alias_keys(),
            6 => {
                let d = self.near(self.max_depth);
                self.nested(d)
            }
            7 => {
                let size = self.amount(SIZES, 1);
                self.big_scalar(size)
            }
            8 => {
                let n = self.amount(&[1, 2, 10, 100, 1000], 400);
                self.list(n, 0)
            }
            _ => self.definition(),
        }
    }
}

fn json_len(v: &Value) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

/// Builds an input from the fuzzer's bytes (see [`amplify`]).
pub fn generate_amplified(data: &[u8], max_text: usize) -> Amplified {
    let mut c = Choices::new(data);
    let mut options = ValidateOptions::default();
    match c.below(8) {
        5 => options.max_depth = Some(c.pick(&[1000, 200, 65, 1_000_000])),
        6 => {
            options.max_alias_nodes = Some(c.pick(&[0, 10, 1000, 99_999]));
            options.max_alias_bytes = Some(c.pick(&[0, 100, 65_536, 8 << 20]));
        }
        7 => options.spiderpool_version = Some(c.pick(&["0.3.7", "v0.6.1", "1.2"]).into()),
        _ => {}
    }
    let drop_unknown = c.chance(128);
    let lossless = c.chance(128);
    let max_depth = options.max_depth.unwrap_or(64).min(1000);
    // block (small collections mostly in flow), indentless or not; flow (nearly all on one line); mixed
    let styles = [
        Style::amplify(200, 2),
        Style { seq_indent: false, ..Style::amplify(200, 2) },
        Style::amplify(255, usize::MAX),
        Style::amplify(80, usize::MAX),
    ];
    let style = c.below(4);
    let mut amp = Amp { c: &mut c, room: max_text, anchors: Vec::new(), hidden: 0..0, max_depth };
    let mut text = String::new();
    let ndocs = 1 + amp.c.below(3);
    for d in 0..ndocs {
        amp.anchors.clear();
        amp.hidden = 0..0;
        let start = text.len();
        // definitions first (a key of their own), then an endpoint or List with hostile slots
        let mut root = match amp.c.below(6) {
            0 => {
                let n = amp.amount(&[1, 2, 10, 100, 1000, 10_000], 400);
                amp.list(n, 0)
            }
            1 => Node::Map(vec![(Key::Raw("x".into()), amp.hostile())]),
            _ => amp.endpoint(),
        };
        let ndefs = amp.c.below(6);
        let mut defs = Vec::new();
        for _ in 0..ndefs {
            defs.push(amp.definition());
        }
        let defs_end = amp.anchors.len();
        for _ in 0..1 + amp.c.below(4) {
            // what an earlier slot anchored may come after this one in the text
            amp.hidden = defs_end..amp.anchors.len();
            let paths = root.paths();
            let p = paths[amp.c.below(paths.len())].clone();
            let slot = root.at_mut(&p);
            match (amp.c.below(4), slot) {
                // anchor the first item of a sequence and alias it many times
                (0, Node::Seq(items)) if !items.is_empty() && !matches!(items[0], Node::Alias(_) | Node::Anchor(..)) => {
                    let shape = if matches!(items[0], Node::Map(_)) { Shape::Map } else { Shape::Scalar };
                    let first = std::mem::replace(&mut items[0], Node::Raw("~".into()));
                    let (id, anchored) = amp.anchor(shape, first);
                    items[0] = anchored;
                    let n = amp.amount(COUNTS, 6);
                    for _ in 0..n {
                        items.push(Node::Alias(id));
                    }
                }
                // a merge key or more keys into a map
                (1, Node::Map(entries)) => {
                    let v = amp.hostile();
                    if amp.c.below(2) == 0 {
                        if let Some(a) = amp.alias_of(&[Shape::Map, Shape::Endpoint, Shape::List]) {
                            entries.push((Key::Merge, Node::Alias(a)));
                        }
                    }
                    let k = amp.c.pick(&["x", "spec", "labels", "ips", "items", "status", "metadata", "vlan"]);
                    entries.push((Key::Raw(k.into()), v));
                }
                (_, slot) => *slot = amp.hostile(),
            }
        }
        if !defs.is_empty() {
            let defs = if defs.len() == 1 { defs.pop().unwrap() } else { Node::Seq(defs) };
            match &mut root {
                Node::Map(entries) => entries.insert(0, (Key::Raw(amp.c.pick(&["defs", "x", "spec", "metadata"]).into()), defs)),
                other => *other = Node::Map(vec![(Key::Raw("defs".into()), defs), (Key::Raw("x".into()), other.clone())]),
            }
        }
        if d > 0 || amp.c.chance(60) {
            text.push_str("---\n");
        }
        text.push_str(&emit::yaml(&root, &styles[style], amp.c));
        // the same document again and again (anchors are per document)
        if amp.c.chance(40) {
            let doc = text[start..].to_string();
            let doc = if doc.starts_with("---\n") { doc } else { format!("---\n{doc}") };
            let n = amp.amount(&[1, 10, 100, 1000, 5000], doc.len());
            for _ in 0..n {
                text.push_str(&doc);
            }
            amp.room = amp.room.saturating_sub(n * doc.len());
        }
        if amp.room == 0 {
            break;
        }
    }
    Amplified { text, options, drop_unknown, lossless }
}
