//! Known bugs the long fuzz runs may step over (`FUZZ_KNOWN`).

use std::sync::OnceLock;

/// Known bugs the long fuzz runs may step over, so that they find the next one: a comma-separated
/// list of names in `FUZZ_KNOWN` (scripts/fuzz.sh passes it through). Unset in the smoke test and
/// for the saved crashes, which therefore fail until the bug is fixed.
///
/// Open bugs (see tests/fixtures/crashes/README.md):
/// - `remove-anchor`: a "Remove `key`" fix deletes an entry that defines an anchor used elsewhere.
/// - `rewrite-escalation`: one document that needs the whole-rewrite fallback sends the others
///   there too, and a root `&a {…}` cannot be rewritten whole: SE410, then the next run succeeds
///   (normalize/convert not idempotent).
/// - `directive-offsets`: after a `%` directive line with a non-ASCII character every span is off
///   (saphyr adds a byte count to its character index).
/// - `nan-key-flag`: for a plain key `.nan` or `.inf` the loader marks the document `non_json`
///   and the fast path does not (yaml_fast).
/// - `rewrite-quadratic-keys`: the whole rewrite (normalize of an endpoint document with a merge key
///   or a tag, and every fallback) is quadratic in the keys of one mapping: src/transform/render.rs
///   `key_order` (`source.contains`) and `Renderer::block` (`guide_child`, a linear `get`). amplify
///   then makes no mapping of more than 2,000 keys.
/// - `se013-fix-indent`: SE013's "Insert `---`" for an indented document after `...` (`a: 1`,
///   `...`, `  k: v`) inserts the marker after the indentation (`  ---`), which is no marker, and
///   the YAML breaks.
/// - `comment-out-span`: normalize comments out a document kubectl never sends only up to the end
///   of its root's span, which ends at its last entry in list order: with a duplicate key (the last
///   value kept in the first one's place) lines after it stay, and the next run comments them out.
/// - `long-key-reports`: a long key aliased into many places is repeated in full in the path (and,
///   before 3537927, the message) of every diagnostic about it: reports far larger than the input.
///
/// Fixed, still accepted: `flow-entry-lines` ("Remove `key`" deleting whole lines inside a flow
/// mapping) and `duplicate-edits` (the same transform edit twice through an alias), both a6886fc;
/// `complex-key-out` (`[: ]` became `[{}: ]`), 5d7271e; `null-key-fix` (SE012's "Write `\"\"`"
/// for the empty key of `: a:` gave `"": a:`, which the reader refuses) and `respell-lost` (a
/// respelling reported but its edit covered by a flow-mapping edit, so the next run respelled it
/// again), both 60d106a; `comment-out-bom` (a document commented out with a U+FEFF inside: a byte
/// order mark in a comment), bb7bcd8; `se011-block-items` (no SE011 for `- yes` as the first item
/// of a block sequence of the wrong type), 1e94620.
pub fn known(name: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| std::env::var("FUZZ_KNOWN").unwrap_or_default().split(',').map(|s| s.trim().to_string()).collect())
        .iter()
        .any(|k| k == name)
}
