#!/usr/bin/env bash
# Installs what `make build`, `make test` and `make demo` need, idempotently, from the package registries
# only (crates.io, npm, Debian). A second run takes a few seconds and installs nothing.
#
#   WANT_BROWSER=0 scripts/setup.sh   skip Chromium (only the page's browser test needs it)
#   WANT_KUBECTL=0 scripts/setup.sh   skip kubectl (only the kubectl differential test needs it; it skips without)
#
# Never installs Debian's `binaryen`: its wasm-opt (v108) corrupts wasm-bindgen's externref table; the build
# uses wasm-opt from the npm `binaryen` package instead (see ../shared/docs/toolchain.md).
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=${WANT_BROWSER:-1}
want_kubectl=${WANT_KUBECTL:-1}
log() { printf 'setup: %s\n' "$*" >&2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# 0. Prerequisites of the machine image.
for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null || { log "'$tool' is not installed (this project expects Rust via rustup and Node >= 18)"; exit 1; }
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
  || { log "Node $(node --version) is too old (>= 18 needed)"; exit 1; }

# 1. Chromium (Debian) for the page's browser test, driven by playwright-core with executablePath.
if [ "$want_browser" = 1 ] && { [ -d tests/browser ] || [ -d www ]; } && ! command -v chromium >/dev/null; then
  log "installing chromium (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# 1b. kubectl, the oracle of tests/oracle/kubectl.test.mjs (it reads YAML offline: no cluster needed). Any kubectl
#     on PATH is kept; otherwise Debian's `kubernetes-client` (bookworm: 1.20, older than the 1.32 the test was
#     written against, but it reads YAML the same way). Non-fatal: without kubectl that test says it skipped.
if [ "$want_kubectl" = 1 ] && ! command -v kubectl >/dev/null; then
  if command -v apt-get >/dev/null; then
    log "installing kubectl (apt: kubernetes-client)"
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq kubernetes-client >/dev/null; }; then
      log "could not install kubernetes-client; the kubectl differential test will be skipped"
    fi
  else
    log "kubectl is not installed and apt-get is unavailable; the kubectl differential test will be skipped"
  fi
fi

# 2. Rust wasm target (no-op, and no network, when present).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 3. wasm-bindgen CLI at exactly the version in Cargo.lock (the crate and the CLI must match).
#    `--locked` fails for 0.2.130 on this registry (its lock pins a webpki-roots the index lacks): fall back.
WBV=$(cargo pkgid wasm-bindgen | sed 's/.*[@#]//')
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBV" ]; then
  log "installing wasm-bindgen-cli $WBV (about 2 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WBV" --locked \
    || cargo install wasm-bindgen-cli --version "$WBV" --force
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBV" ]; then
  log "wasm-bindgen on PATH is '$(wasm-bindgen --version 2>/dev/null || echo none)', expected $WBV (is ~/.cargo/bin on PATH?)"
  exit 1
fi

# 3b. wasm-pack (crates.io; the npm `wasm-pack` package downloads its binary from GitHub in a postinstall, which
#     fails offline), for `make wasm-pack` and `make test-wasm`. Any version >= 0.13 on PATH is kept; a fresh
#     install takes about 2 minutes on a quiet 2-core machine (4 min of CPU; 35 min wall under a load of 12). It uses the wasm-bindgen CLI
#     above and never downloads (see Cargo.toml [package.metadata.wasm-pack] and the Makefile's --mode no-install).
WASM_PACK_VERSION=0.15.1
wp=$(wasm-pack --version 2>/dev/null | sed 's/^wasm-pack //' || true)
if [ -z "$wp" ] || [ "$(printf '%s\n0.13.0\n' "$wp" | sort -V | head -1)" != 0.13.0 ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (about 2 minutes on 2 cores)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

# 4. npm dev tooling: the root (binaryen's wasm-opt, typescript), the page (www/), the benchmarks (bench/) and
#    the bundlers of the bundler matrix (tests/bundlers/: Vite 5/6/8, webpack, esbuild, Rollup, playwright-core).
npm_deps() {
  local dir=$1
  [ -f "$dir/package.json" ] || return 0
  local marker="$dir/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ ! "$dir/package.json" -nt "$marker" ] \
     && { [ ! -f "$dir/package-lock.json" ] || [ ! "$dir/package-lock.json" -nt "$marker" ]; }; then
    return 0
  fi
  log "npm dependencies in $dir/"
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
}
npm_deps .
npm_deps www
npm_deps bench
npm_deps tests/bundlers
log "ok"
