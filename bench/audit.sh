#!/usr/bin/env bash
# Audit benchmark (native Rust): generated consistent v2beta1 exports of 10,000 and 50,000 Pods
# (realistic ~5 KB Pods, their SpiderEndpoints, ~100 Pods per SpiderIPPool, 4 SpiderSubnets), audited
# whole, beside `validate` of the same endpoints alone. Each run is its own process under
# /usr/bin/time -v (peak RSS). Prints a Markdown table and writes target/bench/audit.{md,json}.
# Each run is repeated AUDIT_BENCH_ROUNDS times (default 7), audit and validate in turn; the table shows the
# fastest (the machine is shared).
# Environment: AUDIT_BENCH_SIZES (default "10000 50000"), AUDIT_BENCH_DIR (default target/bench/audit).
# The driver is tests/audit_bench.rs (an ignored test; the generator is tests/audit_gen/mod.rs). Then the CLI
# (pkg/bin, the wasm core) audits the largest export once: wall, CPU and peak RSS (AUDIT_BENCH_CLI=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${AUDIT_BENCH_SIZES:-"10000 50000"}
dir=${AUDIT_BENCH_DIR:-target/bench/audit}
mkdir -p "$dir" target/bench
bin=$(cargo test --release --test audit_bench --no-run --message-format=json 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){try{const m=JSON.parse(l);if(m.executable&&m.target&&m.target.name==="audit_bench")console.log(m.executable)}catch{}}})')
[ -x "$bin" ] || { echo "audit bench: driver not built" >&2; exit 1; }
run() { # mode file -> JSON line with peak RSS
  local out
  out=$( { AUDIT_BENCH_RUN=$1 AUDIT_BENCH_FILE=$2 /usr/bin/time -v "$bin" --ignored --nocapture --test-threads=1 bench_driver; } 2>&1 )
  local line rss
  line=$(grep -o -m1 "{\"mode\".*}" <<<"$out")
  rss=$(grep -m1 'Maximum resident set size' <<<"$out" | awk '{print $NF}')
  echo "${line%\}},\"peakRssKb\":$rss}"
}
json="["
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| Pods | run | input MB | wall s | CPU s | MB/s (wall) | peak RSS MB | RSS / input | findings |\n|---|---|---|---|---|---|---|---|---|\n' | tee "target/bench/audit.md"
for n in $sizes; do
  if [ ! -f "$dir/export-$n.yaml" ]; then
    AUDIT_BENCH_GEN=$n AUDIT_BENCH_OUT=$dir "$bin" --ignored --nocapture bench_driver >/dev/null
  fi
  # The rounds alternate audit and validate, so that both meet the same state of a shared machine.
  audits=(); validates=()
  for _ in $(seq "${AUDIT_BENCH_ROUNDS:-7}"); do
    audits+=("$(run audit "$dir/export-$n.yaml")")
    validates+=("$(run validate "$dir/endpoints-$n.yaml")")
  done
  for spec in "audit export" "validate endpoints"; do
    set -- $spec
    if [ "$1" = audit ]; then rounds=("${audits[@]}"); else rounds=("${validates[@]}"); fi
    r=$(node -e 'const rs = process.argv.slice(1).map(JSON.parse); rs.sort((a, b) => a.cpuSeconds - b.cpuSeconds); const best = rs[0]; best.peakRssKb = Math.max(...rs.map(x => x.peakRssKb)); best.seconds = Math.min(...rs.map(x => x.seconds)); best.mbPerSecond = best.bytes / 1e6 / best.seconds; console.log(JSON.stringify(best))' "${rounds[@]}")
    json="$json$r,"
    node -e '
      const r = JSON.parse(process.argv[1]); const n = process.argv[2];
      const mb = r.bytes / 1e6, rss = r.peakRssKb / 1024;
      console.log(`| ${n} | ${r.mode} (${process.argv[3]}) | ${mb.toFixed(1)} | ${r.seconds.toFixed(3)} | ${r.cpuSeconds.toFixed(3)} | ${r.mbPerSecond.toFixed(1)} | ${rss.toFixed(0)} | ${(rss / mb).toFixed(2)} | ${r.findings} |`);
    ' "$r" "$n" "$2" | tee -a "target/bench/audit.md"
  done
done
# The CLI (the npm package's wasm core, as a nightly job runs it) on the largest export: one run, peak RSS.
# `-f json -o /dev/null`: the whole report and summary are built and serialized, not printed.
if [ "${AUDIT_BENCH_CLI:-1}" != 0 ] && [ -f pkg/dist/web/spiderendpoint_bg.wasm ]; then
  n=${sizes##* }
  f="$dir/export-$n.yaml"
  out=$( { /usr/bin/time -v node pkg/bin/spiderendpoint.js audit -f json -o /dev/null "$f"; } 2>&1 ) && code=0 || code=$?
  wall=$(grep -m1 'Elapsed (wall clock)' <<<"$out" | awk '{print $NF}' | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  cpu=$(awk '/User time|System time/ { s += $NF } END { print s }' <<<"$out")
  rss=$(grep -m1 'Maximum resident set size' <<<"$out" | awk '{print $NF}')
  bytes=$(stat -c %s "$f")
  r=$(node -e 'const [b, w, c, k, code] = process.argv.slice(1).map(Number); console.log(JSON.stringify({ mode: "audit-cli", bytes: b, seconds: w, cpuSeconds: c, mbPerSecond: b / 1e6 / w, peakRssKb: k, exitCode: code }))' "$bytes" "$wall" "$cpu" "$rss" "$code")
  json="$json$r,"
  node -e '
    const r = JSON.parse(process.argv[1]); const mb = r.bytes / 1e6, rss = r.peakRssKb / 1024;
    console.log(`| ${process.argv[2]} | audit from the CLI (wasm, node; exit ${r.exitCode}) | ${mb.toFixed(1)} | ${r.seconds.toFixed(3)} | ${r.cpuSeconds.toFixed(3)} | ${r.mbPerSecond.toFixed(1)} | ${rss.toFixed(0)} | ${(rss / mb).toFixed(2)} | |`);
  ' "$r" "$n" | tee -a "target/bench/audit.md"
fi
echo "${json%,}]" > target/bench/audit.json
node -e '
  const rs = require("./target/bench/audit.json");
  const native = rs.filter((r) => r.mode !== "audit-cli");
  for (let i = 0; i + 1 < native.length; i += 2) {
    const a = native[i], v = native[i + 1];
    console.log(`audit / validate of the same endpoints: CPU ${(a.cpuSeconds / v.cpuSeconds).toFixed(2)}x, wall ${(a.seconds / v.seconds).toFixed(2)}x (audit reads ${(a.bytes / v.bytes).toFixed(1)}x the bytes)`);
  }
' | tee -a target/bench/audit.md
