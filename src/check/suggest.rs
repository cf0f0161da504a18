//! Did-you-mean suggestions for near misses (`ipv4gateway` → `ipv4Gateway`, `SpiderEndpiont`).

/// The candidate closest to `word`: a case-insensitive match first, else the nearest within a small
/// edit distance (transpositions count as one edit).
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    if let Some(c) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let limit = if word.chars().count() >= 6 { 2 } else { 1 };
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 3 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let fields = ["ipv4Gateway", "ipv6Gateway", "interface", "vlan"];
        assert_eq!(did_you_mean("ipv4gateway", &fields), Some("ipv4Gateway"));
        assert_eq!(did_you_mean("interfce", &fields), Some("interface"));
        assert_eq!(did_you_mean("vlna", &fields), Some("vlan"));
        assert_eq!(did_you_mean("routing", &fields), None);
        assert_eq!(did_you_mean("SpiderEndpiont", &["SpiderEndpoint"]), Some("SpiderEndpoint"));
        assert_eq!(distance("abc", "abc"), 0);
    }
}
