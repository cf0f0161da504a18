//! Every call into the engine goes through here (same names as the library's functions), so that
//! each one is timed against the time-per-byte budget ([`crate::timing`]), and what the engine
//! really works on (aliases expanded) is known.

use spiderendpoint::yaml::{Budget, Stream};
use spiderendpoint::{ApiVersion, ConvertOptions, InputOptions, Misuse, NormalizeOptions, Report, TransformResult, ValidateOptions};

use crate::timing::timed;

pub fn validate(text: &str, opts: &ValidateOptions) -> Result<Report, Misuse> {
    timed("validate", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::validate(text, opts))
}
pub fn validate_bytes(data: &[u8], opts: &ValidateOptions) -> Result<Report, Misuse> {
    let eff = || std::str::from_utf8(data).map_or(data.len(), |t| effective_len(t, budget_of(opts.input())));
    timed("validate", data, eff, || spiderendpoint::validate_bytes(data, opts))
}
pub fn normalize(text: &str, opts: &NormalizeOptions) -> Result<TransformResult, Misuse> {
    timed("normalize", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::normalize(text, opts))
}
pub fn normalize_bytes(data: &[u8], opts: &NormalizeOptions) -> Result<TransformResult, Misuse> {
    timed("normalize", data, || data.len(), || spiderendpoint::transform::normalize_bytes(data, opts))
}
pub fn convert(text: &str, to: ApiVersion, opts: &ConvertOptions) -> Result<TransformResult, Misuse> {
    timed("convert", text.as_bytes(), || effective_len(text, budget_of(opts.input())), || spiderendpoint::convert(text, to, opts))
}
pub fn convert_bytes(data: &[u8], to: ApiVersion, opts: &ConvertOptions) -> Result<TransformResult, Misuse> {
    timed("convert", data, || data.len(), || spiderendpoint::transform::convert_bytes(data, to, opts))
}
pub fn parse(text: &str, budget: Budget) -> Stream<'_> {
    timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse(text, budget))
}
pub fn parse_fast(text: &str, budget: Budget) -> Option<Stream<'_>> {
    timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse_fast(text, budget))
}
pub fn parse_slow(text: &str, budget: Budget) -> Stream<'_> {
    timed("parse", text.as_bytes(), || effective_len(text, budget), || spiderendpoint::yaml::parse_slow(text, budget))
}

/// The YAML budget the engine uses for these options.
pub fn budget_of(opts: InputOptions) -> Budget {
    opts.budget()
}

/// The size the engine really works on: the text, plus what its aliases expand to (8 bytes per
/// node, `- x\n`, plus the bytes of text), which the alias budgets bound. A billion-laughs input
/// just under the budgets may take the time of its expansion; a path superlinear in it is a
/// finding. Only computed for a call over half the budget of its length (it parses the text ~40
/// times).
pub fn effective_len(text: &str, budget: spiderendpoint::yaml::Budget) -> usize {
    let (nodes, bytes) = alias_expansion(text, budget);
    text.len() + 8 * nodes + bytes
}

/// How many nodes and bytes of text the aliases of `text` expand to under `budget` (at most the
/// budgets: the loader stops there). Found by bisecting the alias budgets, since the loader refuses
/// (AliasLimit) exactly when the expansion passes them; the last answer is kept, as the same text
/// goes through validate, normalize and convert in turn.
fn alias_expansion(text: &str, budget: spiderendpoint::yaml::Budget) -> (usize, usize) {
    use spiderendpoint::yaml::{Budget, ProblemKind};
    if !text.contains('*') {
        return (0, 0);
    }
    type Key = (u64, usize, usize, usize, usize);
    static LAST: std::sync::Mutex<Option<(Key, (usize, usize))>> = std::sync::Mutex::new(None);
    let key: Key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        (h.finish(), text.len(), budget.max_depth, budget.max_alias_nodes, budget.max_alias_bytes)
    };
    if let Some((k, v)) = *LAST.lock().unwrap_or_else(|e| e.into_inner()) {
        if k == key {
            return v;
        }
    }
    let refused = |nodes: usize, bytes: usize| {
        let b = Budget { max_alias_nodes: nodes, max_alias_bytes: bytes, ..budget };
        spiderendpoint::yaml::parse_slow(text, b).problems.iter().any(|p| p.kind == ProblemKind::AliasLimit)
    };
    // the least limit in 0..=max that is not refused, or max when even max is
    let least = |max: usize, refused_at: &dyn Fn(usize) -> bool| {
        if refused_at(max) {
            return max;
        }
        let (mut lo, mut hi) = (0, max);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if refused_at(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        hi
    };
    let nodes = least(budget.max_alias_nodes, &|n| refused(n, usize::MAX));
    let bytes = least(budget.max_alias_bytes, &|b| refused(usize::MAX, b));
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, (nodes, bytes)));
    (nodes, bytes)
}
