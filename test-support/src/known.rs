//! Known bugs the long fuzz runs may step over (`FUZZ_KNOWN`).

use std::sync::OnceLock;

/// Known bugs the long fuzz runs may step over, so that they find the next one: a comma-separated
/// list of names in `FUZZ_KNOWN` (scripts/fuzz.sh passes it through). Unset in the smoke test and
/// for the saved crashes, which therefore fail until the bug is fixed.
///
/// Open bugs (see tests/fixtures/crashes/README.md): none.
///
/// Fixed, still accepted: `flow-entry-lines` ("Remove `key`" deleting whole lines inside a flow
/// mapping) and `duplicate-edits` (the same transform edit twice through an alias), both a6886fc;
/// `complex-key-out` (`[: ]` became `[{}: ]`), 5d7271e; `null-key-fix` (SE012's "Write `\"\"`"
/// for the empty key of `: a:` gave `"": a:`, which the reader refuses) and `respell-lost` (a
/// respelling reported but its edit covered by a flow-mapping edit, so the next run respelled it
/// again), both 60d106a; `comment-out-bom` (a document commented out with a U+FEFF inside: a byte
/// order mark in a comment), bb7bcd8; `se011-block-items` (no SE011 for `- yes` as the first item
/// of a block sequence of the wrong type), 1e94620; `remove-anchor` (a "Remove" fix deleting an anchor's
/// definition) and `se013-fix-indent` (`  ---` after the indentation), 64dbddf; `long-key-reports` (a long
/// aliased key in every pointer), 2142413; `rewrite-quadratic-keys` (the whole rewrite quadratic in a
/// mapping's keys), 9be7ea4; `comment-out-span` (a mapping's span ending at its last entry in list order
/// after a duplicate key), 9453f8f. Fixed and no longer accepted (the fixtures hold them):
/// `nan-key-flag`, `directive-offsets`, 7c4a6ab; `rewrite-escalation`, 1978511 + 9040a82.
pub fn known(name: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| std::env::var("FUZZ_KNOWN").unwrap_or_default().split(',').map(|s| s.trim().to_string()).collect())
        .iter()
        .any(|k| k == name)
}
