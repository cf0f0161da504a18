//! The structure-aware generator: the fuzzer's bytes choose valid endpoints, mutations of their
//! values, a rendering (YAML block/flow, JSON, anchors, tags, comments: [`crate::emit`]) and
//! possibly text-level damage.

use serde_json::Value;

use crate::emit::{self, Style};
use crate::endpoints::{bases, mutate};
use crate::source::{Choices, Source};
use crate::tree::Node;

pub struct Generated {
    pub text: String,
    /// The value of each document.
    pub values: Vec<Value>,
    /// True when the text is exactly a rendering of `values` (no text-level damage).
    pub exact: bool,
}

/// Builds an input from the fuzzer's bytes (see [`validate_structured`]).
pub fn generate(data: &[u8]) -> Generated {
    let mut c = Choices::new(data);
    let ndocs = 1 + c.below(3);
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..ndocs {
        let mut v = bases()[c.below(bases().len())].clone();
        // a shared value between documents (duplicate names and IPs across documents)
        if !values.is_empty() && c.chance(40) {
            v = values[c.below(values.len())].clone();
        }
        for _ in 0..c.below(7) {
            mutate(&mut v, &mut c);
        }
        values.push(v);
    }
    let format = c.below(4);
    let mut text = String::new();
    if c.chance(30) {
        text.push_str("# generated\n");
    }
    for (i, v) in values.iter().enumerate() {
        if i > 0 || c.chance(60) {
            text.push_str("---\n");
        }
        match format {
            2 => {
                text.push_str(&serde_json::to_string_pretty(v).unwrap());
                text.push('\n');
            }
            3 => {
                text.push_str(&serde_json::to_string(v).unwrap());
                text.push('\n');
            }
            _ => {
                text.push_str(&emit::yaml(&Node::from_json(v), &Style::fuzz(format == 1), &mut c));
            }
        }
        if c.chance(20) {
            text.push_str("...\n");
        }
    }
    let mut exact = true;
    for _ in 0..c.below(4) {
        exact = false;
        damage(&mut text, &mut c);
    }
    Generated { text, values, exact }
}

const TOKENS: &[&str] = &[
    ": ", "- ", "&a ", "*a", "*a0", "!!int ", "!!str ", "!!map ", "!custom ", "\"", "'", "#", "{", "}", "[", "]", ",", "\t", "\0",
    "\u{feff}", "😀", "é", "\r", "\r\n", "\n", "---\n", "...\n", "? ", "|", ">", "<<: ", "<<: *a0\n", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
    "  ", "\\", "\u{7f}", "\u{85}", "\u{2028}", "@", "`", "%", "9999999999999999999999999999", "-.inf", ".nan", "0x", "0o8",
];

/// Text-level damage: CRLF, BOM, a tab indentation, a deletion, a duplicated or swapped line, a token.
pub fn damage(text: &mut String, c: &mut Choices) {
    let at = |text: &str, c: &mut Choices| {
        let mut i = c.below(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match c.below(9) {
        0 => *text = text.replace('\n', "\r\n"),
        1 => text.insert(0, '\u{feff}'),
        2 => {
            // a tab in one line's indentation
            let i = at(text, c);
            let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            text.insert(start, '\t');
        }
        3 => {
            let a = at(text, c);
            let len = c.below(32);
            let mut b = (a + len).min(text.len());
            while !text.is_char_boundary(b) {
                b += 1;
            }
            text.replace_range(a..b, "");
        }
        4 | 5 => {
            // duplicate or swap lines
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.len() >= 2 {
                let i = c.below(lines.len());
                let j = c.below(lines.len());
                let mut out: Vec<&str> = lines.clone();
                if c.below(2) == 0 {
                    out.insert(j, lines[i]);
                } else {
                    out.swap(i, j);
                }
                *text = out.concat();
            }
        }
        6 => {
            let i = at(text, c);
            text.truncate(i);
        }
        _ => {
            let i = at(text, c);
            let t = c.pick(TOKENS);
            text.insert_str(i, t);
        }
    }
}
