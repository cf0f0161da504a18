#!/usr/bin/env bash
# The fuzz/property smoke of `make test`: the cargo-fuzz target bodies (fuzz/src/lib.rs) over a few
# thousand deterministic generated inputs on stable Rust (tests/fuzz_smoke.rs), plus every saved
# crash in tests/fixtures/crashes/. About 20 s in the debug profile that `cargo test` already built.
#
#   FUZZ_SMOKE_ITERS=N scripts/fuzz-smoke.sh    more (or fewer) inputs per body (default 1500)
#
# The real, coverage-guided fuzzing is scripts/fuzz.sh (nightly, cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
cargo test --quiet --test fuzz_smoke -- --include-ignored
echo "fuzz-smoke: ok in $(( $(date +%s) - t0 ))s (${FUZZ_SMOKE_ITERS:-1500} inputs per body)"
