#!/usr/bin/env bash
# `make bench` entry (the Makefile runs `make build` first): installs the bench's own npm dependencies when
# missing (bench/package-lock.json pins js-yaml, yaml, ajv and playwright-core), generates the corpus when missing
# or older than its generator, then runs bench/bench.mjs, which times the pipelines, runs the native Rust example
# and the Chromium editor latency, and writes target/bench/results.{md,json}; then bench/audit.sh (the audit of
# generated 10,000- and 50,000-Pod exports beside validate, and the CLI on the largest; AUDIT_BENCH=0 skips it).
# Arguments are passed to bench.mjs (e.g. --rounds 11, --no-editor, --no-native, --strict-targets).
# Environment: BENCH_COUNT (documents, default 10000), BENCH_SEED (default 20261127).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

count=${BENCH_COUNT:-10000}
seed=${BENCH_SEED:-20261127}
meta=target/bench/corpus.meta.json
regen=0
if [ ! -f target/bench/corpus.yaml ] || [ ! -f target/bench/corpus.json ] || [ ! -f "$meta" ] \
   || [ ! -f target/bench/editor-1k.yaml ] || [ ! -f target/bench/editor-50k-list.yaml ] \
   || [ bench/gen-corpus.mjs -nt "$meta" ]; then
  regen=1
elif ! node -e "const m=require('./$meta'); process.exit(m.documents===+process.argv[1] && m.seed===+process.argv[2] ? 0 : 1)" "$count" "$seed"; then
  regen=1
fi
if [ "$regen" = 1 ]; then
  node bench/gen-corpus.mjs --count "$count" --seed "$seed"
fi

node --expose-gc bench/bench.mjs "$@"

# The audit of generated cluster exports (bench/audit.sh: native audit vs validate of the same endpoints,
# then the CLI on the largest export with its peak RSS). AUDIT_BENCH=0 skips it.
if [ "${AUDIT_BENCH:-1}" != 0 ]; then
  echo
  echo "## audit (bench/audit.sh)"
  bash bench/audit.sh
fi
