# spiderendpoint: build, test and demo entry points. `make test` and `make demo` work from a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CLI := node pkg/bin/spiderendpoint.js

.PHONY: all readme setup build build-pkg build-www test typecheck test-rust test-node test-oracle test-browser test-bundlers fuzz-smoke demo bench serve clean

all: build

## setup: install the toolchain pieces (wasm target, wasm-bindgen CLI, chromium, npm dev deps); idempotent
setup:
	bash scripts/setup.sh

## build: the npm package in pkg/dist (wasm + JS glue + TypeScript declarations), then the page if present
build: build-pkg build-www

build-pkg:
	bash scripts/build.sh

build-www: build-pkg
	@if [ -f www/build.mjs ]; then node www/build.mjs; fi

## test: setup, build, then every test suite (all suites run; the exit status is non-zero if any failed)
test: setup build
	$(MAKE) --no-print-directory -k typecheck test-rust test-node test-oracle test-browser test-bundlers fuzz-smoke

## typecheck: the CLI's JavaScript (// @ts-check + JSDoc, pkg/cli/tsconfig.json) against the package's generated
## declarations (pkg/dist, so after build-pkg), with TypeScript 7 and 5 (root devDependencies)
typecheck:
	@test -f pkg/dist/index.d.cts || { echo 'typecheck: pkg/dist is not built (make build-pkg)'; exit 1; }
	node node_modules/typescript/bin/tsc -p pkg/cli/tsconfig.json --pretty false
	node node_modules/typescript-5/bin/tsc -p pkg/cli/tsconfig.json --pretty false

# The scaling tests (time at n vs 4n) run optimized: a debug build's allocator noise blurs the ratios.
test-rust:
	cargo test --no-fail-fast
	cargo test --release --test scaling --test hostile --test audit_scaling

# The packed tarball, installed offline into a temporary folder, and the CLI/typing tests (tests/node).
test-node:
	node --test --test-concurrency=2 tests/node/

# Differential tests of the core against independent oracles (tests/oracle), when present.
test-oracle:
	@if [ -d tests/oracle ] && [ -n "$$(find tests/oracle -name '*.test.*js' -print -quit)" ]; then \
	  node --test tests/oracle/; \
	else echo "test-oracle: no tests/oracle/*.test.{js,mjs}, skipped"; fi

# The page's end-to-end test in headless Chromium, when the page exists.
test-browser:
	@if [ -d tests/browser ] && [ -n "$$(find tests/browser -name '*.test.*js' -print -quit)" ]; then \
	  node --test tests/browser/; \
	else echo "test-browser: no tests/browser/*.test.{js,mjs}, skipped"; fi

# The bundler matrix: the packed package built into a page by Vite 5/6/8 (build and dev server), webpack 5,
# esbuild (ESM, IIFE, Node bundles) and Rollup, run in headless Chromium (tests/bundlers, its own npm devDependencies).
test-bundlers:
	node --test tests/bundlers/

# Hook: a quick fuzzing pass, when scripts/fuzz-smoke.sh exists.
fuzz-smoke:
	@if [ -x scripts/fuzz-smoke.sh ] || [ -f scripts/fuzz-smoke.sh ]; then bash scripts/fuzz-smoke.sh; \
	else echo "fuzz-smoke: no scripts/fuzz-smoke.sh, skipped"; fi

## demo: set up, build, and run the CLI over examples/ (exits 0 although the invalid examples have errors)
demo: setup build
	@echo
	@echo '$$ spiderendpoint validate --verbose examples/'
	@$(CLI) validate --verbose examples/ || [ $$? -eq 1 ]
	@echo
	@echo '$$ spiderendpoint convert --to v2beta1 examples/valid/v1-replicaset.yaml'
	@$(CLI) convert --to v2beta1 examples/valid/v1-replicaset.yaml || [ $$? -eq 1 ]

## bench: the benchmarks (bench/run.sh, when present)
bench: build
	@if [ -f bench/run.sh ]; then bash bench/run.sh; else echo "bench: no bench/run.sh yet"; fi

## serve: the browser page on a local port (www/serve.mjs)
serve: build
	node www/serve.mjs

## readme: refresh the README's CLI examples with real output (pkg/README.md -> README.md usage block)
readme: build-pkg
	node scripts/update-readme.mjs

clean:
	rm -rf pkg/dist pkg/*.tgz www/dist
	cargo clean
