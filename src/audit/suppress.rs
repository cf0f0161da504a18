//! Suppression comments in an audited file. The file is read piece by piece and has no whole tree,
//! so only the pieces that hold the mark are parsed again, to tell a comment from a scalar's text.
//!
//! A finding is silenced by a comment of the file and line of its primary location (where it is
//! reported). A cross-object finding whose related end is in another file is not silenced by a
//! comment in that other file: the comment must sit where the finding is reported, so that a reader
//! of that file sees why it is missing.

use super::split::{pieces, Piece};
use super::resolve::Positions;
use crate::diagnostic::Finding;
use crate::suppress::{merged, Suppressions};
use crate::yaml;

/// The directives of one file; SE014 findings (absolute spans) go to `problems`.
/// `cands`: where the mark occurs in the text (the split found them).
pub fn find(text: &str, cands: Vec<usize>, budget: yaml::Budget, problems: &mut Vec<Finding>) -> Suppressions {
    if cands.is_empty() {
        return Suppressions::default();
    }
    let mut spans = Vec::new();
    let mut owned = String::new();
    for piece in pieces(text) {
        let (start, end, item) = match piece {
            Piece::Doc { start, end, .. } => (start, end, false),
            Piece::Item { start, end, .. } => (start, end, true),
            Piece::Retract { .. } => continue,
        };
        let i = cands.partition_point(|&c| c < start);
        if cands.get(i).is_none_or(|&c| c >= end) {
            continue;
        }
        owned.clear();
        if item {
            // As read.rs reads an item: its `-` becomes a blank, so the item is a mapping at its column.
            owned.push(' ');
            owned.push_str(&text[start + 1..end]);
        } else {
            owned.push_str(&text[start..end]);
        }
        let stream = yaml::parse(&owned, budget);
        let mut local = Vec::new();
        for root in stream.docs.iter().filter_map(|d| d.root.as_ref()) {
            root.scalar_spans(&mut local);
        }
        spans.extend(local.into_iter().map(|s| crate::yaml::Span::new(s.start + start, s.end + start)));
    }
    let scalars = merged(spans);
    let positions = Positions::new(text, cands.clone());
    Suppressions::find_at(text, &cands, &scalars, &|at| positions.get(at).line, problems)
}
