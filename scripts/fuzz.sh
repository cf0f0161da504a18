#!/usr/bin/env bash
# The bounded, coverage-guided fuzz run (cargo-fuzz / libFuzzer, nightly Rust): each target in turn,
# one process at a time (the machine is small), for a fixed time. A crash, timeout or out-of-memory
# input is minimized (`cargo fuzz tmin`) and saved as a regression fixture in
# tests/fixtures/crashes/<target>-<kind>-<hash>, which tests/fuzz_smoke.rs runs on every `make test`.
#
#   scripts/fuzz.sh                    every target, 60 s each
#   scripts/fuzz.sh 600 validate       one target for 10 minutes
#   FUZZ_SECONDS=300 scripts/fuzz.sh   every target, 5 minutes each
#
# Environment:
#   FUZZ_SECONDS   seconds per target when not given as the first argument (default 60)
#   FUZZ_RSS_MB    libFuzzer's memory limit (default 2048)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10; amplify,
#                  whose inputs go to 1 MiB and expand to the alias budgets, gets 3 times as long)
#   FUZZ_MAX_LEN   longest generated input in bytes (default 16384)
#   FUZZ_KNOWN     comma-separated known bugs the bodies step over (see test-support/src/known.rs),
#                  so a long run finds the next bug instead of the same one again
#   FUZZ_SLOW_FACTOR  scales the time-per-byte budget (default 1; 0 turns the check off)
#   FUZZ_TMIN_SECONDS longest minimization of a crash (default 300)
#
# Targets (fuzz/fuzz_targets/): validate, validate_structured, normalize, normalize_structured,
# convert, convert_structured, yaml_fast (fast YAML path == full loader whenever it accepts),
# amplify (anchors, aliases, merge keys, Lists and repeated documents built to expand).
# Every body times each engine call (thread CPU time): over 5 ms + 10 µs per byte (aliases
# expanded) twice in a row is a crash ("slow input"). The worst times per byte of a run are in
# fuzz/logs/<target>.timing (and the inputs in .timing.per-byte.input, .timing.share.input).
# The corpus grows in fuzz/corpus/<target>/ (only the seed-* files are committed); logs go to
# fuzz/logs/. Built without a sanitizer (the crate is safe Rust) and with debug assertions and
# overflow checks on.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ALL_TARGETS=(validate validate_structured normalize normalize_structured convert convert_structured yaml_fast amplify)

seconds=${FUZZ_SECONDS:-60}
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
rss=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-10}
max_len=${FUZZ_MAX_LEN:-16384}
FLAGS=(--sanitizer none --debug-assertions)
log() { printf '\033[1mfuzz.sh: %s\033[0m\n' "$*" >&2; }

# 1. The tools: nightly Rust and cargo-fuzz (from crates.io; `--locked` first, as scripts/setup.sh does).
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz (a few minutes on 2 cores)"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# 2. Build every target once (a few minutes the first time).
log "building ${targets[*]}"
if [ ${#targets[@]} -eq ${#ALL_TARGETS[@]} ]; then
  cargo +nightly fuzz build "${FLAGS[@]}"            # all of them
else
  for t in "${targets[@]}"; do cargo +nightly fuzz build "${FLAGS[@]}" "$t"; done
fi

mkdir -p fuzz/logs tests/fixtures/crashes
summary=()
failed=0
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || { log "no target $t"; exit 2; }
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  logf="fuzz/logs/$t.log"
  log "$t: ${seconds}s (log: $logf)"
  found() { ls -t "fuzz/artifacts/$t" | grep -E '^(crash|timeout|oom|leak)-' || true; }
  before=$(found | wc -l)
  set +e
  t_timeout=$timeout
  [ "$t" = amplify ] && t_timeout=$((3 * timeout))
  rm -f "fuzz/logs/$t.timing" "fuzz/logs/$t.timing".*.input
  FUZZ_TIMING_LOG="$ROOT/fuzz/logs/$t.timing" cargo +nightly fuzz run "${FLAGS[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss" -timeout="$t_timeout" -max_len="$max_len" \
    -report_slow_units=2 -print_final_stats=1 >"$logf" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logf" | grep -o '[0-9]*$' || true)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$logf" | grep -o '[0-9]*$' || true)
  rssmb=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$logf" | grep -o '[0-9]*$' || true)
  last=$(grep -E '^#[0-9]+' "$logf" | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  result=ok
  if [ $rc -ne 0 ]; then
    failed=1
    result="FAILED (exit $rc)"
    artifact=$(found | head -1)
    if [ "$(found | wc -l)" -gt "$before" ] && [ -n "$artifact" ]; then
      kind=${artifact%%-*}
      log "$t: $kind input fuzz/artifacts/$t/$artifact; minimizing"
      grep -m1 -B2 -A25 "panicked at\|ERROR: libFuzzer" "$logf" >&2 || true
      if [ "$kind" = crash ]; then
        # at most FUZZ_TMIN_SECONDS (slow targets minimize slowly): in a process group of its own,
        # killed as a whole (libFuzzer runs each attempt in a child process)
        setsid cargo +nightly fuzz tmin "${FLAGS[@]}" "$t" "fuzz/artifacts/$t/$artifact" -- -runs=20000 \
          >"fuzz/logs/$t.tmin.log" 2>&1 &
        tmin=$!
        ( sleep "${FUZZ_TMIN_SECONDS:-300}"; kill -- -"$tmin" 2>/dev/null ) &
        watchdog=$!
        wait "$tmin" || true
        kill "$watchdog" 2>/dev/null || true
      fi
      min=$(ls -t "fuzz/artifacts/$t" | grep '^minimized-from-' | head -1 || true)
      src="fuzz/artifacts/$t/${min:-$artifact}"
      hash=$(sha256sum "$src" | cut -c1-12)
      dest="tests/fixtures/crashes/$t-$kind-$hash"
      cp "$src" "$dest"
      result="$kind -> $dest ($(wc -c <"$dest") bytes)"
      log "$t: saved $dest"
    fi
  fi
  slow=$(grep -c 'Slowest unit' "$logf" || true)
  [ "${slow:-0}" -gt 0 ] && result="$result; $slow slow unit(s) > 2 s (see $logf)"
  grep -q 'slow input:' "$logf" && result="$result; slow input (time-per-byte budget)"
  # the worst µs per input byte (inputs of 1 KiB or more) and share of the budget, over all calls
  worst=$(awk '/calls/ { for (i = 1; i <= NF; i++) { if ($i == "worst" && $(i+2) == "µs/byte" && $(i+1) > w) w = $(i+1); if ($i == "share" && $(i+1) > s) s = $(i+1) } }
    END { if (w != "") printf "%.3f µs/byte, budget share %.3f", w, s }' "fuzz/logs/$t.timing" 2>/dev/null || true)
  summary+=("$(printf '%-22s %8s execs %7s/s  cov %6s  ft %7s  corpus %6s  rss %5s MB  worst %s  %s' \
    "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rssmb:-?}" "${worst:-?}" "$result")")
done

echo
echo "fuzz.sh: ${seconds}s per target, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(cargo +nightly --version)"
printf '%s\n' "${summary[@]}"
exit $failed
