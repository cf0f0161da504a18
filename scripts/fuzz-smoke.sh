#!/usr/bin/env bash
# The fuzz/property smoke of `make test`: the cargo-fuzz target bodies (test-support/src/bodies.rs) over a few
# thousand deterministic generated inputs on stable Rust (tests/fuzz_smoke.rs), plus every saved
# crash in tests/fixtures/crashes/. About 15 s in the debug profile that `cargo test` already built.
# Every engine call is timed against the time-per-byte budget (a slow call fails the smoke); the
# worst times per byte are printed at the end (kept in target/fuzz-smoke-timing.txt).
#
#   FUZZ_SMOKE_ITERS=N scripts/fuzz-smoke.sh    more (or fewer) inputs per body (default 1500;
#                                               normalize/convert a third, amplify a fifteenth)
#
# The real, coverage-guided fuzzing is scripts/fuzz.sh (nightly, cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
timing=$PWD/target/fuzz-smoke-timing.txt
rm -f "$timing"
FUZZ_TIMING_LOG=$timing cargo test --quiet --test fuzz_smoke -- --include-ignored --skip calibrate
echo "fuzz-smoke: ok in $(( $(date +%s) - t0 ))s (${FUZZ_SMOKE_ITERS:-1500} inputs per body); CPU time per engine call:"
sed 's/^/  /' "$timing" 2>/dev/null || true
