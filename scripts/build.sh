#!/usr/bin/env bash
# Builds the npm package in pkg/dist from the Rust crate:
#   cargo (wasm32, release) -> wasm-bindgen (nodejs + web) -> wasm-opt -O3 (npm binaryen) -> scripts/assemble-pkg.mjs
#   (the engine modules made from the web glue and pkg/engine.mjs, TypeScript declarations).
# and the page's first module (www/build.mjs copies it; the package does not ship it):
#   cargo (wasm32, profile wasm-page, --no-default-features: validate only, no YAML loader) -> wasm-bindgen (web,
#   out-name spiderendpoint_validate) -> wasm-opt -Oz --converge, in target/se-bindgen/validate.
# wasm-bindgen's output is kept in target/se-bindgen. Incremental: when the .wasm that cargo produced, the tools
# and this script are unchanged, wasm-bindgen and wasm-opt are skipped and pkg/dist is assembled again from
# target/se-bindgen, so a rebuild after a JS-only change takes a few seconds.
# Tools come from scripts/setup.sh (`make setup`); nothing is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

CRATE=spiderendpoint
DIST=pkg/dist
BINDGEN=target/se-bindgen
WASM_OPT=node_modules/.bin/wasm-opt
t0=$(date +%s.%N)
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# 0. The tools, at the versions this repository pins.
WBV=$(cargo pkgid wasm-bindgen 2>/dev/null | sed 's/.*[@#]//') || true
[ -n "$WBV" ] || die "cannot read the wasm-bindgen version from Cargo.lock (run 'cargo generate-lockfile'?)"
command -v wasm-bindgen >/dev/null || die "wasm-bindgen is not installed: run 'make setup'"
[ "$(wasm-bindgen --version)" = "wasm-bindgen $WBV" ] \
  || die "wasm-bindgen CLI is '$(wasm-bindgen --version)' but Cargo.lock has $WBV: run 'make setup'"
[ -x "$WASM_OPT" ] || die "$WASM_OPT is missing (npm binaryen): run 'make setup'"

# 1. The Rust core for wasm32.
step "cargo build --release --target wasm32-unknown-unknown"
cargo build --release --target wasm32-unknown-unknown --lib
WASM=target/wasm32-unknown-unknown/release/$CRATE.wasm
[ -f "$WASM" ] || die "$WASM was not produced (is crate-type cdylib?)"
step "cargo build --profile wasm-page --target wasm32-unknown-unknown --no-default-features (the page's first module)"
cargo build --profile wasm-page --target wasm32-unknown-unknown --lib --no-default-features
WASM_PAGE=target/wasm32-unknown-unknown/wasm-page/$CRATE.wasm
[ -f "$WASM_PAGE" ] || die "$WASM_PAGE was not produced"

# 2. wasm-bindgen + wasm-opt into $BINDGEN, skipped when nothing that feeds them changed.
stamp=$( { sha256sum "$WASM" "$WASM_PAGE" scripts/build.sh | cut -d' ' -f1; wasm-bindgen --version; "$WASM_OPT" --version; } | sha256sum | cut -d' ' -f1)
if [ -f "$BINDGEN/.stamp" ] && [ "$(cat "$BINDGEN/.stamp")" = "$stamp" ] \
   && [ -f "$BINDGEN/nodejs/${CRATE}.d.ts" ] && [ -f "$BINDGEN/web/${CRATE}_bg.wasm" ] \
   && [ -f "$BINDGEN/validate/${CRATE}_validate_bg.wasm" ]; then
  step "wasm-bindgen/wasm-opt: up to date"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/se-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # web: the glue of every JS module of the package (assemble-pkg turns it into a factory); nodejs: only its
  # .d.ts is used (the exported signatures, without the web target's init declarations).
  for t in nodejs web; do
    step "wasm-bindgen --target $t"
    wasm-bindgen --target "$t" --remove-name-section --remove-producers-section --out-dir "$tmp/$t" "$WASM"
    rm -f "$tmp/$t/${CRATE}_bg.wasm.d.ts"   # describes raw wasm exports; only bundler-target users need it
  done
  rm -f "$tmp/nodejs/${CRATE}_bg.wasm" "$tmp/nodejs/${CRATE}.js"
  step "wasm-opt -O3"
  "$WASM_OPT" -O3 --strip-debug --strip-producers "$tmp/web/${CRATE}_bg.wasm" -o "$tmp/opt.wasm"
  mv "$tmp/opt.wasm" "$tmp/web/${CRATE}_bg.wasm"
  step "wasm-bindgen --target web + wasm-opt -Oz --converge (the page's validate-only module)"
  wasm-bindgen --target web --remove-name-section --remove-producers-section --out-name "${CRATE}_validate" \
    --out-dir "$tmp/validate" "$WASM_PAGE"
  rm -f "$tmp/validate/${CRATE}_validate_bg.wasm.d.ts"
  "$WASM_OPT" -Oz --converge --strip-debug --strip-producers "$tmp/validate/${CRATE}_validate_bg.wasm" -o "$tmp/opt.wasm"
  mv "$tmp/opt.wasm" "$tmp/validate/${CRATE}_validate_bg.wasm"
  rm -rf "$BINDGEN" && mkdir -p "$BINDGEN"
  mv "$tmp/nodejs" "$tmp/web" "$tmp/validate" "$BINDGEN/"
  echo "$stamp" > "$BINDGEN/.stamp"
fi

# 3. pkg/dist: the engine modules, and TypeScript declarations generated from the Rust types (ts-rs) joined
#    with wasm-bindgen's signatures.
step "TypeScript declarations (cargo run --features ts --bin gen-types) and pkg/dist (scripts/assemble-pkg.mjs)"
types=$(mktemp "${TMPDIR:-/tmp}/se-types.XXXXXX")
cargo run --quiet --features ts --bin gen-types > "$types" || { rm -f "$types"; die "gen-types failed"; }
node scripts/assemble-pkg.mjs "$types" "$BINDGEN" || { rm -f "$types"; die "assemble-pkg failed"; }
rm -f "$types"

printf '==> pkg/dist built in %.1fs: wasm %s bytes (gzip %s); the page'"'"'s validate-only wasm %s bytes (gzip %s)\n' \
  "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" \
  "$(stat -c %s "$DIST/web/${CRATE}_bg.wasm")" "$(gzip -9c "$DIST/web/${CRATE}_bg.wasm" | wc -c)" \
  "$(stat -c %s "$BINDGEN/validate/${CRATE}_validate_bg.wasm")" "$(gzip -9c "$BINDGEN/validate/${CRATE}_validate_bg.wasm" | wc -c)" >&2
