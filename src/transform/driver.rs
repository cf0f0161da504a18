//! Runs a transform over one input: finds the SpiderEndpoints (documents and List items),
//! transforms each one, patches the source text, and reads the result back to make sure every
//! document says exactly what was intended (falling back to rewriting a document whole, and
//! refusing it if even that fails).

use std::collections::HashSet;

use serde_json::Value;

use crate::diagnostic::{apply_edits, Finding, TextEdit};
use crate::release::ApiVersion;
use crate::rules::Rule;
use crate::text::LineIndex;
use crate::yaml::{self, Node, ProblemKind, Span};
use crate::options::InputOptions;

use super::normalize::normalize_object;
use super::outcome::Outcome;
use super::patch::{Edit, Patcher};
use super::{convert_object, pointer, Change, ChangeKind, Op, TransformResult};

thread_local! {
    /// Documents this thread had to rewrite whole (fine edits did not read back right).
    static REWRITES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many documents this thread rewrote whole so far (tests use it to prove that comments and
/// formatting were kept, i.e. no fallback happened).
pub(super) fn rewrites() -> usize {
    REWRITES.with(|r| r.get())
}

/// One object to transform: a document root or a List item.
struct Unit<'n, 'a> {
    item: Option<usize>,
    /// JSON Pointer of the object in its document (`""`, `/items/N`, `/items/N/items/M`).
    base: String,
    node: &'n Node<'a>,
}

/// A document that changes.
struct Plan<'n, 'a> {
    doc: usize,
    root: &'n Node<'a>,
    target: Value,
    /// Index of its first change in the change list (to withdraw them if the document fails).
    changes: std::ops::Range<usize>,
    /// normalize: scalars and keys written in the spelling every YAML reader reads alike.
    respell: Vec<Edit>,
    /// normalize: merge keys or tags to write out (only a rewrite of the whole document does).
    rewrite: bool,
}

pub(super) fn run(text: &str, options: &InputOptions, op: Op) -> TransformResult {
    let index = LineIndex::new(text);
    if let Some(refused_) = crate::input::too_large(text.len(), options.max_bytes()) {
        return refused(text, &index, vec![refused_]);
    }
    let stream = yaml::parse(text, options.budget());
    let mut findings = Vec::new();
    let mut bad_docs = HashSet::new();
    let mut fatal = !stream.complete;
    for p in &stream.problems {
        match p.kind {
            ProblemKind::DuplicateKey | ProblemKind::ComplexKey => {
                bad_docs.insert(p.document);
            }
            _ => fatal = true,
        }
    }
    if fatal {
        let all = stream.problems.iter().map(problem_finding).collect();
        return refused(text, &index, all);
    }

    // convert --to v2beta1 takes a missing Pod UID from a Pod of the same input
    let pods = match op {
        Op::Convert { target: ApiVersion::V2beta1, .. } => super::pods::PodUids::collect(&stream, &index),
        _ => Default::default(),
    };
    let mut ok = true;
    let mut changes: Vec<Change> = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    // normalize: a document kubectl never sends is commented out, so that every reader reads the
    // output as kubectl reads the input.
    let mut ignored = Vec::new();
    let mut comment_out: Vec<Edit> = Vec::new();
    if let Op::Normalize { .. } = op {
        for (di, doc) in stream.docs.iter().enumerate() {
            // (A U+FEFF on the lines commented out, also one before the document's first token,
            // would be a byte order mark in a comment, which YAML refuses: such a document stays
            // as it is.)
            let bom_inside = text.get(line_start(text, doc.span.start)..doc.span.end).is_some_and(|t| t.contains('\u{feff}'));
            if crate::check::reading::ignored_by_kubectl(text, doc, di, options.budget().yaml_version) && !bom_inside {
                ignored.push(di);
                comment_out.extend(comment_lines(text, doc.span));
                changes.push(Change {
                    document: di,
                    item: None,
                    kind: ChangeKind::Dropped,
                    path: String::new(),
                    message: "kubectl never sends this document (it follows `...` without a `---` line): commented out, so that YAML 1.2 readers do not read it either".into(),
                    from: None,
                    to: None,
                });
            }
        }
    }
    for (di, doc) in stream.docs.iter().enumerate() {
        let Some(root) = &doc.root else { continue };
        if ignored.contains(&di) {
            continue;
        }
        let first_change = changes.len();
        let mut target: Option<Value> = None;
        let mut respell = Vec::new();
        let mut all_converted = true;
        let mut reported_bad = false;
        for unit in units(root) {
            let Some(source) = crate::list::endpoint_version(unit.node) else { continue };
            let obj = unit.node.to_json(text);
            let outcome = transform(&obj, source, op, &pods);
            let respellings = match op {
                Op::Normalize { .. } if doc.ambiguous && !bad_docs.contains(&di) => crate::check::reading::respellings(text, unit.node, &unit.base, options.budget().yaml_version),
                _ => Vec::new(),
            };
            if outcome.value == obj && outcome.issues.is_empty() && respellings.is_empty() {
                continue;
            }
            for r in respellings {
                changes.push(Change {
                    document: di,
                    item: unit.item,
                    kind: ChangeKind::Respelled,
                    path: r.path,
                    message: format!("`{}` written as `{}`: kubectl (YAML 1.1) and YAML 1.2 readers read it alike", r.from, r.to),
                    from: Some(Value::String(r.from)),
                    to: Some(Value::String(r.to.clone())),
                });
                respell.push((r.span, r.to));
                target.get_or_insert_with(|| root.to_json(text));
            }
            if bad_docs.contains(&di) {
                if !reported_bad {
                    findings.extend(stream.problems.iter().filter(|p| p.document == di).map(problem_finding));
                    reported_bad = true;
                }
                ok = false;
                all_converted = false;
                continue;
            }
            for issue in &outcome.issues {
                let path = format!("{}{}", unit.base, issue.path);
                findings.push(Finding::new(issue.rule, pointer::span_of(root, &path), path, issue.message.clone()));
            }
            if outcome.refused() {
                ok = false;
                all_converted = false;
                continue;
            }
            if outcome.value != obj {
                let t = target.get_or_insert_with(|| root.to_json(text));
                pointer::set(t, &unit.base, outcome.value);
                changes.extend(outcome.notes.into_iter().map(|n| Change {
                    document: di,
                    item: unit.item,
                    kind: n.kind,
                    path: format!("{}{}", unit.base, n.path),
                    message: n.message,
                    from: n.from,
                    to: n.to,
                }));
            }
        }
        if let (Op::Convert { target: to, .. }, Some(t)) = (op, target.as_mut()) {
            if all_converted {
                list_api_version(t, to, di, &mut changes);
            }
        }
        let version = options.budget().yaml_version;
        let rewrite = matches!(op, Op::Normalize { .. }) && doc.merges_or_tags && version == yaml::YamlVersion::V1_1 && !bad_docs.contains(&di) && units(root).iter().any(|u| crate::list::endpoint_version(u.node).is_some());
        if rewrite {
            changes.push(Change {
                document: di,
                item: None,
                kind: ChangeKind::Respelled,
                path: String::new(),
                message: "merge keys (`<<`) and tags written out as plain values: YAML 1.2 readers read `<<` as a key and refuse unknown tags (the document is rewritten whole, without its comments)".into(),
                from: None,
                to: None,
            });
            target.get_or_insert_with(|| root.to_json(text));
        }
        if let Some(t) = target {
            plans.push(Plan { doc: di, root, target: t, changes: first_change..changes.len(), respell, rewrite });
        }
    }

    let (output, edits, failed) = write(text, &stream, &plans, &comment_out, &ignored, options);
    let mut withdrawn = HashSet::new();
    for i in failed {
        let p = &plans[i];
        let at = p.root.span.start;
        findings.push(Finding::new(Rule::TransformFailed, Span::new(at, at), "", "the edited document did not read back as intended; it is left unchanged"));
        withdrawn.extend(p.changes.clone());
        ok = false;
    }
    let changes = changes.into_iter().enumerate().filter(|(i, _)| !withdrawn.contains(i)).map(|(_, c)| c).collect();
    finish(&index, ok, output, edits, changes, findings)
}

fn transform(obj: &Value, source: ApiVersion, op: Op, pods: &super::pods::PodUids) -> Outcome {
    match op {
        Op::Normalize { drop_unknown, release } => {
            let era = match release {
                Some(r) if r.era().api_version() == source => r.era(),
                _ => crate::release::Era::newest(source),
            };
            normalize_object(obj, era, drop_unknown)
        }
        Op::Convert { target, .. } if target == source => Outcome { value: obj.clone(), notes: Vec::new(), issues: Vec::new() },
        Op::Convert { target, era, lossless } => convert_object(obj, source, target, era, lossless, pods),
    }
}

/// A `SpiderEndpointList` follows its items to the new version.
fn list_api_version(root: &mut Value, to: ApiVersion, doc: usize, changes: &mut Vec<Change>) {
    let is_list = root.get("kind").and_then(Value::as_str) == Some("SpiderEndpointList");
    let api = root.get("apiVersion").and_then(Value::as_str).and_then(ApiVersion::parse);
    if let (true, Some(from)) = (is_list, api) {
        if from != to {
            let new = Value::String(to.full().into());
            pointer::set(root, "/apiVersion", new.clone());
            changes.push(Change {
                document: doc,
                item: None,
                kind: ChangeKind::Changed,
                path: "/apiVersion".into(),
                message: format!("the SpiderEndpointList is now {}, like its items", to.full()),
                from: Some(Value::String(from.full().into())),
                to: Some(new),
            });
        }
    }
}

/// Patches the text and reads it back; a document whose edits do not read back right is
/// rewritten whole, and left unchanged if even that fails. Returns the output, its edits and the
/// indices of the plans left out.
///
/// When the output as a whole does not read back (a syntax error, documents gained or lost, an
/// edit leaking into another document), the plans to blame are found by halving (`culprits`):
/// only they go on to the whole rewrite, so that one document's trouble does not rewrite (or drop,
/// a root `&a {…}` cannot be rewritten whole) the others, and a second run has nothing left to do.
fn write(text: &str, stream: &yaml::Stream, plans: &[Plan], comment_out: &[Edit], ignored: &[usize], options: &InputOptions) -> (String, Vec<Edit>, Vec<usize>) {
    let mut whole: Vec<bool> = plans.iter().map(|p| p.rewrite).collect();
    let mut dropped = vec![false; plans.len()];
    let halvings = (usize::BITS - plans.len().leading_zeros()) as usize;
    let mut search = Search { tests: (4 * halvings + 4).min(16 + (1 << 20) / text.len().max(1)) };
    loop {
        let edits = plan_edits(text, plans, &mut whole, &dropped, comment_out);
        let output = apply_edits(text, &edits);
        let suspects: Vec<usize> = (0..plans.len()).filter(|&i| !dropped[i]).collect();
        let bad = match verify(text, stream, &output, plans, &dropped, ignored, options) {
            Some(bad) if !bad.is_empty() => bad,
            None if !suspects.is_empty() => {
                search.culprits(suspects, |set| {
                    let mut others = vec![true; plans.len()];
                    for &i in set {
                        others[i] = false;
                    }
                    let output = apply_edits(text, &plan_edits(text, plans, &mut whole.clone(), &others, comment_out));
                    verify(text, stream, &output, plans, &others, ignored, options).is_none()
                })
            }
            _ => {
                let failed = (0..plans.len()).filter(|&i| dropped[i]).collect();
                return (output, edits, failed);
            }
        };
        for i in bad {
            if whole[i] {
                dropped[i] = true;
            } else {
                whole[i] = true;
                REWRITES.with(|r| r.set(r.get() + 1));
            }
        }
    }
}

/// The edits of the plans not `left_out` (each whole or fine, as `whole` says; a plan whose
/// respelling a fine edit would cover switches to whole) and the comment-outs: sorted, one copy
/// of equal edits (an aliased node is edited once per use, at its anchor), and none overlapping a
/// kept one (the read-back check catches what that breaks).
fn plan_edits(text: &str, plans: &[Plan], whole: &mut [bool], left_out: &[bool], comment_out: &[Edit]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for (i, p) in plans.iter().enumerate().filter(|(i, _)| !left_out[*i]) {
        let patcher = Patcher::new(text, p.root);
        if !whole[i] {
            let mut own = patcher.document(p.root, &p.target);
            if p.respell.is_empty() {
                edits.extend(own);
                continue;
            }
            // A respelled scalar inside an edit of the patcher (which may copy source text) can
            // only be written by rewriting the document whole, from its value.
            own.sort_by_key(|(s, _)| (s.start, s.end));
            let covered = |span: Span| {
                let at = own.partition_point(|(s, _)| s.start <= span.start);
                own[..at].iter().rev().take_while(|(s, _)| s.end > span.start || s.start == span.start).any(|(s, _)| s.end > s.start && s.end >= span.end)
            };
            if !p.respell.iter().any(|(span, _)| covered(*span)) {
                edits.extend(p.respell.iter().cloned());
                edits.extend(own);
                continue;
            }
            whole[i] = true;
        }
        edits.extend(patcher.rewrite(p.root, &p.target));
    }
    edits.extend(comment_out.iter().cloned());
    edits.sort_by_key(|(s, _)| (s.start, s.end));
    edits.dedup();
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if kept.last().is_none_or(|last: &Edit| e.0.start >= last.0.end) {
            kept.push(e);
        }
    }
    kept
}

/// The search for the plans whose edits break the output as a whole, within a number of trial
/// read-backs (each parses the whole output): about four per halving of the plans, enough to
/// single out one or two, and no more than 16 parses of the input plus 1 MiB of parsing (so a
/// large input costs at most ~17 more parses); past it, a group still suspected is blamed whole.
struct Search {
    tests: usize,
}

impl Search {
    /// The plans of `suspects` (whose edits together break the output) to blame: halves that
    /// break it alone are searched on; a set whose halves only break it together is blamed whole.
    fn culprits(&mut self, suspects: Vec<usize>, mut breaks: impl FnMut(&[usize]) -> bool) -> Vec<usize> {
        let mut blamed = Vec::new();
        let mut stack = vec![suspects];
        while let Some(set) = stack.pop() {
            if set.len() <= 1 || self.tests < 2 {
                blamed.extend(set);
                continue;
            }
            self.tests -= 2;
            let (left, right) = set.split_at(set.len() / 2);
            let (l, r) = (breaks(left), breaks(right));
            if !l && !r {
                blamed.extend(set);
                continue;
            }
            if l {
                stack.push(left.to_vec());
            }
            if r {
                stack.push(right.to_vec());
            }
        }
        blamed.sort_unstable();
        blamed
    }
}

/// Indices of the plans whose document does not read back as its target; `None` when the output
/// as a whole does not read back. Documents without a plan, or whose plan is `dropped`, must read
/// back as they were.
fn verify(text: &str, stream: &yaml::Stream, output: &str, plans: &[Plan], dropped: &[bool], ignored: &[usize], options: &InputOptions) -> Option<Vec<usize>> {
    let back = yaml::parse(output, options.budget());
    // The documents the output must have: the input's, less the ones commented out.
    let kept: Vec<(usize, &yaml::Document)> = stream.docs.iter().enumerate().filter(|(i, _)| !ignored.contains(i)).collect();
    if !back.complete || back.docs.len() != stream.docs.len() - ignored.len() || back.problems.iter().any(|p| !matches!(p.kind, ProblemKind::DuplicateKey | ProblemKind::ComplexKey)) {
        return None;
    }
    // The plan of each document (at most one), found without a search per document.
    let mut plan_of = vec![None; stream.docs.len()];
    for (i, p) in plans.iter().enumerate() {
        plan_of[p.doc] = Some(i);
    }
    // A transformed document had no key problems (such documents are refused): it must not gain any.
    let mut bad: Vec<usize> = back.problems.iter().filter_map(|pr| plan_of.get(pr.document).copied().flatten()).filter(|&i| !dropped[i]).collect();
    for ((di, before), after) in kept.into_iter().zip(&back.docs) {
        let got = after.root.as_ref().map(|r| r.to_json(output));
        match plan_of[di] {
            Some(i) if !dropped[i] => {
                if got.as_ref() != Some(&plans[i].target) {
                    bad.push(i);
                }
            }
            _ => {
                if got != before.root.as_ref().map(|r| r.to_json(text)) {
                    return None; // an edit leaked into another document
                }
            }
        }
    }
    bad.sort_unstable();
    bad.dedup();
    Some(bad)
}

/// The start of the line `at` is on.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Edits that comment out every line of `span` (`# ` at each line start).
fn comment_lines(text: &str, span: Span) -> Vec<Edit> {
    let start = line_start(text, span.start);
    let mut out = vec![(Span::new(start, start), "# ".to_string())];
    for (i, b) in text.as_bytes()[start..span.end].iter().enumerate() {
        let at = start + i + 1;
        if *b == b'\n' && at < span.end {
            out.push((Span::new(at, at), "# ".to_string()));
        }
    }
    out
}

fn units<'n, 'a>(root: &'n Node<'a>) -> Vec<Unit<'n, 'a>> {
    crate::list::objects(root)
        .into_iter()
        .filter_map(|found| match found {
            crate::list::Found::Object { item, base, node } => Some(Unit { item, base, node }),
            crate::list::Found::BadList { .. } => None,
        })
        .collect()
}

fn problem_finding(p: &yaml::Problem) -> Finding {
    let rule = crate::check::problem_rule(p.kind);
    let mut message = p.message.clone();
    if matches!(p.kind, ProblemKind::DuplicateKey | ProblemKind::ComplexKey) {
        message.push_str("; the document is not transformed");
    }
    Finding::new(rule, p.span, p.path.clone(), message)
}

fn refused(text: &str, index: &LineIndex, findings: Vec<Finding>) -> TransformResult {
    finish(index, false, text.to_string(), Vec::new(), Vec::new(), findings)
}

fn finish(index: &LineIndex, ok: bool, output: String, edits: Vec<Edit>, changes: Vec<Change>, mut findings: Vec<Finding>) -> TransformResult {
    findings.sort_by_key(|f| (f.span.start, f.rule.code()));
    TransformResult {
        ok,
        output,
        edits: edits.into_iter().map(|(span, t)| TextEdit::new(index, span, t)).collect(),
        changes,
        diagnostics: findings.iter().map(|f| f.resolve(index)).collect(),
    }
}

#[cfg(test)]
mod search_tests {
    use super::Search;

    /// The plans blamed when those of `culprits` break the output (alone, or `together` only).
    fn blame(n: usize, tests: usize, culprits: &[usize], together: bool) -> (Vec<usize>, usize) {
        let mut search = Search { tests };
        let mut calls = 0;
        let blamed = search.culprits((0..n).collect(), |set| {
            calls += 1;
            if together {
                culprits.iter().all(|c| set.contains(c))
            } else {
                culprits.iter().any(|c| set.contains(c))
            }
        });
        (blamed, calls)
    }

    #[test]
    fn halving_finds_the_plans_to_blame() {
        let (blamed, calls) = blame(100, 64, &[37], false);
        assert_eq!(blamed, vec![37]);
        assert!(calls <= 2 * 7, "two trials per halving, 7 halvings of 100: {calls}");
        assert_eq!(blame(100, 64, &[3, 90], false).0, vec![3, 90]);
        assert_eq!(blame(1, 64, &[0], false), (vec![0], 0));
        // two plans that break the output only together: the smallest halved set holding both
        assert_eq!(blame(8, 64, &[2, 3], true).0, vec![2, 3]);
        assert_eq!(blame(8, 64, &[3, 4], true).0, (0..8).collect::<Vec<_>>());
        // out of trials: the group still suspected is blamed whole
        assert_eq!(blame(100, 4, &[37], false).0, (25..50).collect::<Vec<_>>());
    }
}
