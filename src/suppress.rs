//! Inline suppression comments:
//!
//! - `# spiderendpoint-disable-next-line [RULE ...]`: findings that start on the next line;
//! - `# spiderendpoint-disable-file [RULE ...]`: findings anywhere in the input.
//!
//! RULE is a code (`SE313`) or a rule name (`uid-not-uuid`), separated by spaces or commas; none
//! means every rule; text after `--` is a reason. A suppressed finding is reported as suppressed,
//! never dropped. Only real comments count: a `#` inside a quoted or block scalar is text.
//!
//! `audit` applies the comments of each file to the findings whose primary location is in that file
//! (`audit/suppress.rs`): a cross-object finding is silenced only where it is reported, never by a
//! comment in the file of its related end.

use memchr::memmem;

use crate::diagnostic::Finding;
use crate::rules::Rule;
use crate::text::LineIndex;
use crate::yaml::Span;

const MARK: &str = "spiderendpoint-disable";

/// Findings about the text itself, which no comment can silence.
fn unsilenceable(rule: Rule) -> bool {
    matches!(rule, Rule::InputTooLarge | Rule::InvalidUtf8 | Rule::YamlSyntax | Rule::ControlCharacter | Rule::DepthLimit | Rule::AliasLimit)
}

struct Directive {
    /// 1-based line of the comment.
    line: usize,
    /// The line it silences; `None` for the whole input.
    target: Option<usize>,
    /// `None`: every rule.
    rules: Option<Vec<Rule>>,
}

/// The suppression comments of one input.
#[derive(Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    /// Finds the directives of `text` at its `candidates` ([`candidates`]; the scalar spans are only
    /// needed when there are some), given the spans of its scalars ([`crate::yaml::Node::scalar_spans`]
    /// of every document; a `#` inside one is text); names that are no rule become SE014 findings in `problems`.
    pub fn find(text: &str, index: &LineIndex, candidates: &[usize], scalars: Vec<Span>, problems: &mut Vec<Finding>) -> Suppressions {
        if candidates.is_empty() {
            return Suppressions::default();
        }
        Suppressions::find_at(text, candidates, &merged(scalars), &|at| index.position(at).line, problems)
    }

    /// The directives at `candidates` (from [`candidates`]), given the spans of every scalar of `text`
    /// sorted and merged ([`merged`]) and the 1-based line of an offset: for inputs read piece by piece
    /// (the audit), which have no whole tree and no line table.
    pub fn find_at(text: &str, candidates: &[usize], scalars: &[Span], line_of: &dyn Fn(usize) -> usize, problems: &mut Vec<Finding>) -> Suppressions {
        let mut out = Suppressions::default();
        for &at in candidates {
            let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let before = text[line_start..at].trim_end_matches([' ', '\t']);
            // `#`, then the mark: the `#` begins a comment when it starts the line or follows a blank.
            let Some(hash_rel) = before.strip_suffix('#').map(str::len) else { continue };
            let hash = line_start + hash_rel;
            if hash > line_start && !text[..hash].ends_with([' ', '\t']) {
                continue;
            }
            if inside(scalars, hash) {
                continue;
            }
            let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
            let rest = &text[at + MARK.len()..line_end];
            let line = line_of(at);
            let (target, args) = if let Some(a) = rest.strip_prefix("-next-line") {
                (Some(line + 1), a)
            } else if let Some(a) = rest.strip_prefix("-file") {
                (None, a)
            } else {
                continue;
            };
            if !args.is_empty() && !args.starts_with([' ', '\t', ',']) {
                continue; // `spiderendpoint-disable-filex`: not ours
            }
            let args = args.split("--").next().unwrap_or("");
            let mut rules = Vec::new();
            for name in args.split([' ', '\t', ',']).filter(|s| !s.is_empty()) {
                let start = at + MARK.len() + (name.as_ptr() as usize - rest.as_ptr() as usize);
                let span = Span::new(start, start + name.len());
                match Rule::ALL.iter().find(|r| r.code().eq_ignore_ascii_case(name) || r.name() == name) {
                    Some(r) if unsilenceable(*r) => problems.push(Finding::new(Rule::InvalidSuppression, span, "", format!("{} ({}) cannot be suppressed: it is about the text itself", r.code(), r.name()))),
                    Some(r) => rules.push(*r),
                    None => problems.push(Finding::new(Rule::InvalidSuppression, span, "", format!("`{}` in a suppression comment is no rule code or name", crate::diagnostic::clip_to(name, 64)))),
                }
            }
            let all = args.split([' ', '\t', ',']).all(str::is_empty);
            out.directives.push(Directive { line, target, rules: if all { None } else { Some(rules) } });
        }
        out
    }

    /// The line of the comment that silences `finding` (at `line`), if one does.
    pub fn silencer(&self, finding: &Finding, line: usize) -> Option<usize> {
        if unsilenceable(finding.rule) || finding.rule == Rule::InvalidSuppression {
            return None;
        }
        self.directives
            .iter()
            .find(|d| d.target.is_none_or(|t| t == line) && d.rules.as_ref().is_none_or(|rs| rs.contains(&finding.rule)))
            .map(|d| d.line)
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }
}

/// Where the mark occurs in `text` (each a possible directive): one SIMD scan, usually none.
pub fn candidates(text: &str) -> Vec<usize> {
    memmem::find_iter(text.as_bytes(), MARK).collect()
}

/// Searches for the mark part by part (the audit searches each piece of a file while the split
/// has it in the cache): every mark that ends inside `..to` and was not found before.
pub struct MarkSearch {
    finder: memmem::Finder<'static>,
    /// Where the previous search ended.
    done: usize,
    pub found: Vec<usize>,
}

impl Default for MarkSearch {
    fn default() -> MarkSearch {
        MarkSearch { finder: memmem::Finder::new(MARK), done: 0, found: Vec::new() }
    }
}

impl MarkSearch {
    pub fn up_to(&mut self, text: &str, to: usize) {
        if to <= self.done {
            return;
        }
        // A mark across `done` was not found before: the search starts a mark's length earlier.
        let from = self.done.saturating_sub(MARK.len() - 1);
        self.found.extend(self.finder.find_iter(&text.as_bytes()[from..to]).map(|i| i + from));
        self.done = to;
    }
}

/// Scalar spans sorted by start and merged where they overlap.
pub fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Whether `at` is inside one of the merged spans (no scalar's text starts with a comment's `#`,
/// but a block scalar's span starts at its first content line, which may).
fn inside(spans: &[Span], at: usize) -> bool {
    let i = spans.partition_point(|s| s.start <= at);
    i > 0 && at < spans[i - 1].end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Searched part by part at every cut, the marks are those of one search of the whole text,
    /// marks across a cut included.
    #[test]
    fn marks_searched_part_by_part_are_those_of_the_whole() {
        let text = format!("a {MARK} b\n{MARK}{MARK}\nx {MARK}");
        let whole = candidates(&text);
        assert_eq!(whole.len(), 4);
        for a in 0..=text.len() {
            for b in (a..=text.len()).step_by(5) {
                let mut m = MarkSearch::default();
                for to in [a, a, b, text.len()] {
                    m.up_to(&text, to);
                }
                assert_eq!(m.found, whole, "cuts at {a}, {b}");
            }
        }
    }
}
