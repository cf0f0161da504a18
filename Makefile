# spiderendpoint: build, test and demo entry points. `make test` and `make demo` work from a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CLI := node pkg/bin/spiderendpoint.js

.PHONY: all readme setup build build-pkg build-www wasm-pack test typecheck clippy test-rust test-wasm test-node test-oracle test-browser test-bundlers fuzz-smoke demo bench serve clean

all: build

## setup: install the toolchain pieces (wasm target, wasm-bindgen CLI, wasm-pack, chromium, npm dev deps); idempotent
setup:
	bash scripts/setup.sh

## build: the npm package in pkg/dist (wasm + JS glue + TypeScript declarations), then the page (www/dist)
build: build-pkg build-www

build-pkg:
	bash scripts/build.sh

build-www: build-pkg
	node www/build.mjs

## wasm-pack: what a Rust user who builds with wasm-pack gets (target/wasm-pack/{web,nodejs}); offline, see Cargo.toml
wasm-pack:
	rm -rf target/wasm-pack
	wasm-pack --quiet build --mode no-install --target web --out-dir target/wasm-pack/web
	wasm-pack --quiet build --mode no-install --target nodejs --out-dir target/wasm-pack/nodejs
	node -e 'const m = require("./target/wasm-pack/nodejs"); const r = m.validate("kind: SpiderEndpoint\n"); if (!r.summary) process.exit(1); console.log("wasm-pack: target/wasm-pack/{web,nodejs} built, validate() answers")'

## test: setup, build, then every test suite (all suites run; the exit status is non-zero if any failed)
test: setup build
	$(MAKE) --no-print-directory -k typecheck clippy test-rust test-wasm wasm-pack test-node test-oracle test-browser test-bundlers fuzz-smoke

## typecheck: the CLI's JavaScript (// @ts-check + JSDoc, pkg/cli/tsconfig.json) against the package's generated
## declarations (pkg/dist, so after build-pkg), with TypeScript 7 and 5 (root devDependencies)
typecheck:
	@test -f pkg/dist/index.d.cts || { echo 'typecheck: pkg/dist is not built (make build-pkg)'; exit 1; }
	node node_modules/typescript/bin/tsc -p pkg/cli/tsconfig.json --pretty false
	node node_modules/typescript-5/bin/tsc -p pkg/cli/tsconfig.json --pretty false

# Clippy, warnings as errors: natively (every target, every feature) and on wasm32 (the boundary and its tests,
# for the package's module and for the page's validate-only one).
clippy:
	cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests --no-default-features -- -D warnings

# The scaling tests (time at n vs 4n) run optimized: a debug build's allocator noise blurs the ratios.
test-rust:
	INSTA_UPDATE=no cargo test --no-fail-fast
	cargo test --release --test scaling --test hostile --test audit_scaling

# The wasm boundary's own tests (tests/wasm/boundary.rs, wasm-bindgen-test) in Node, run by wasm-pack (no
# download: --mode no-install uses the wasm-bindgen-test-runner on PATH): the package's module, then the
# page's validate-only module.
test-wasm:
	wasm-pack test --node --mode no-install -- --test wasm_boundary
	wasm-pack test --node --mode no-install -- --test wasm_boundary --no-default-features

# The packed tarball, installed offline into a temporary folder, and the CLI/typing tests (tests/node).
test-node:
	node --test --test-concurrency=2 tests/node/

# Differential tests of the core against independent oracles (tests/oracle).
test-oracle:
	node --test tests/oracle/

# The page's end-to-end test in headless Chromium.
test-browser:
	node --test --test-concurrency=1 tests/browser/

# The bundler matrix: the packed package built into a page by Vite 5/6/8 (build and dev server), webpack 5,
# esbuild (ESM, IIFE, Node bundles) and Rollup, run in headless Chromium (tests/bundlers, its own npm devDependencies).
test-bundlers:
	node --test tests/bundlers/

# A quick fuzzing pass (the fuzz bodies on stable).
fuzz-smoke:
	bash scripts/fuzz-smoke.sh

## demo: set up, build, and run the CLI over examples/ (exits 0 although the invalid examples have errors)
demo: setup build
	@echo
	@echo '$$ spiderendpoint validate --verbose examples/'
	@$(CLI) validate --verbose examples/ || [ $$? -eq 1 ]
	@echo
	@echo '$$ spiderendpoint convert --to v2beta1 examples/valid/v1-replicaset.yaml'
	@$(CLI) convert --to v2beta1 examples/valid/v1-replicaset.yaml || [ $$? -eq 1 ]

## bench: the benchmarks (bench/run.sh)
bench: build
	bash bench/run.sh

## serve: the browser page on a local port (www/serve.mjs)
serve: build
	node www/serve.mjs

## readme: refresh the README's CLI examples with real output (pkg/README.md -> README.md usage block)
readme: build-pkg
	node scripts/update-readme.mjs

clean:
	rm -rf pkg/dist pkg/*.tgz www/dist
	cargo clean
