#!/usr/bin/env node
// Throughput, size and memory benchmark of the spiderendpoint package against the pure-JS pipelines a user would
// otherwise write: js-yaml + ajv and yaml + ajv, ajv compiled once from the upstream CRD's openAPIV3Schema.
//
//   node --expose-gc bench/bench.mjs [--rounds 7] [--warmup 1] [--no-native] [--no-editor] [--no-memory]
//        [--no-json] [--allow-missing-pkg] [--kubeconform-strict] [--strict-targets]
//
// (re-executes itself with --expose-gc when started without it). Needs the corpus (bench/gen-corpus.mjs) and the
// built package (make build). Writes target/bench/results.json and target/bench/results.md and prints the table.
//
// Fairness: every pipeline gets the very same JS string (read once); runs alternate round-robin with the starting
// pipeline rotated each round (A B C, B C A, C A B, ...) so drift and thermal/noise effects spread evenly; each run
// starts right after a full GC with the previous run's result already dropped, and the GC work a pipeline causes
// inside its own run is part of its time; warm-up rounds (not counted) let the JITs and the wasm tier-up settle.
// MB = 10^6 bytes of UTF-8 input.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const OUT = join(ROOT, 'target', 'bench');
const CRD = join(ROOT, 'schemas', 'crds', 'spiderendpoints.v2beta1.crd.yaml');
const PKG = resolve(process.env.BENCH_PKG_DIR || join(ROOT, 'pkg')); // override only to test the harness
const WASM = join(PKG, 'dist', 'web', 'spiderendpoint_bg.wasm');
// The wasm the page loads before its first diagnostic (the validate-only module; www/build.mjs copies it from
// here into www/dist). The size target is about it; the package's module is reported next to it.
const PAGE_WASM = resolve(process.env.BENCH_PAGE_WASM || join(ROOT, 'target', 'se-bindgen', 'validate', 'spiderendpoint_validate_bg.wasm'));
const require = createRequire(import.meta.url);

const TARGETS = { jsyaml: 3, yaml: 30, wasmGzipBytes: 150_000 };

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = { rounds: 7, warmup: 1, native: true, editor: true, memory: true, json: true, allowMissingPkg: false,
    kubeconformStrict: false, strictTargets: false, child: null, input: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--warmup') o.warmup = Number(argv[++i]);
    else if (a === '--no-native') o.native = false;
    else if (a === '--no-editor') o.editor = false;
    else if (a === '--no-memory') o.memory = false;
    else if (a === '--no-json') o.json = false;
    else if (a === '--allow-missing-pkg') o.allowMissingPkg = true;
    else if (a === '--kubeconform-strict') o.kubeconformStrict = true;
    else if (a === '--strict-targets') o.strictTargets = true;
    else if (a === '--child-memory') o.child = argv[++i];
    else if (a === '--input') o.input = argv[++i];
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 16).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// ------------------------------------------------------------------ ajv from the CRD (kubeconform's openapi2jsonschema)
// openapi2jsonschema.py keeps the openAPIV3Schema as it is (types, required, minimum/maximum, items, properties),
// turns `format: int-or-string` into oneOf string|integer and, by default, adds `additionalProperties: false` to
// every nested object with properties. The brief asks to validate like the CRD itself (unknown fields are pruned by
// the apiserver, not rejected), so that last step is off unless --kubeconform-strict. Descriptions and the
// int32/int64 formats (which ajv does not know; kubeconform's validator ignores unknown formats) are dropped;
// `default` is kept (ajv ignores it without useDefaults).
function crdToJsonSchema(openapi, { nestedAdditionalFalse }) {
  const walk = (node, isRoot) => {
    if (Array.isArray(node)) return node.map((x) => walk(x, false));
    if (node === null || typeof node !== 'object') return node;
    if (node.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description') continue;
      if (k === 'format' && (v === 'int32' || v === 'int64')) continue;
      if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, walk(pv, false)]));
      else out[k] = walk(v, false);
    }
    if (nestedAdditionalFalse && !isRoot && out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
    return out;
  };
  return walk(openapi, true);
}

function loadLibs(opts) {
  const jsyaml = require('js-yaml');
  const YAML = require('yaml');
  const Ajv = require('ajv');
  const crd = jsyaml.load(readFileSync(CRD, 'utf8'));
  const openapi = crd.spec.versions[0].schema.openAPIV3Schema;
  const schema = crdToJsonSchema(openapi, { nestedAdditionalFalse: opts.kubeconformStrict });
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validateSE = ajv.compile(schema);
  return { jsyaml, YAML, validateSE, schema, versions: {
    'js-yaml': require('js-yaml/package.json').version, yaml: require('yaml/package.json').version, ajv: require('ajv/package.json').version } };
}

function loadPkg() {
  if (!existsSync(join(PKG, 'package.json'))) return { error: `${PKG}/package.json not found (run make build)` };
  try {
    const pkg = require(PKG);
    if (typeof pkg.validate !== 'function') return { error: 'the package has no validate export' };
    let version = null;
    try { version = typeof pkg.version === 'function' ? pkg.version() : (pkg.version ?? null); } catch { /* ignore */ }
    return { pkg, version };
  } catch (e) {
    return { error: `require('${PKG}') failed: ${e.message}` };
  }
}

// ------------------------------------------------------------------ pipelines
// The JS pipelines do what a user script would: every YAML document, `kind: List` expanded, SpiderEndpoint
// v2beta1 objects validated with the compiled schema, everything else skipped. They return a small summary.
function makeChecker(validateSE) {
  return () => {
    const s = { documents: 0, valid: 0, invalid: 0, skipped: 0, errors: 0, syntaxErrors: 0 };
    const one = (doc) => {
      if (doc === null || doc === undefined) return;
      if (typeof doc === 'object' && doc.kind === 'List' && Array.isArray(doc.items)) { doc.items.forEach(one); return; }
      s.documents++;
      if (typeof doc !== 'object' || doc.apiVersion !== 'spiderpool.spidernet.io/v2beta1' || doc.kind !== 'SpiderEndpoint') { s.skipped++; return; }
      if (validateSE(doc)) s.valid++; else { s.invalid++; s.errors += validateSE.errors.length; }
    };
    return { s, one };
  };
}

function makePipelines(libs, pkgInfo) {
  const newCheck = makeChecker(libs.validateSE);
  const p = {};
  if (pkgInfo.pkg) {
    p.ours = (text) => {
      const r = pkgInfo.pkg.validate(text);
      const sm = r.summary;
      return { documents: sm.documents, valid: sm.valid, invalid: sm.invalid, skipped: sm.skipped, errors: sm.errors,
        warnings: sm.warnings, fileDiagnostics: r.diagnostics.length };
    };
  }
  p.jsyaml = (text) => {
    const { s, one } = newCheck();
    try { libs.jsyaml.loadAll(text).forEach(one); } catch { s.syntaxErrors++; }
    return s;
  };
  p.yaml = (text) => {
    const { s, one } = newCheck();
    for (const doc of libs.YAML.parseAllDocuments(text)) {
      if (doc.errors.length) { s.syntaxErrors += doc.errors.length; continue; }
      one(doc.toJS());
    }
    return s;
  };
  p.json = (text) => {
    const { s, one } = newCheck();
    try { one(JSON.parse(text)); } catch { s.syntaxErrors++; }
    return s;
  };
  return p;
}

const LABELS = {
  ours: 'spiderendpoint `validate` (wasm)',
  jsyaml: 'js-yaml `loadAll` + ajv',
  yaml: 'yaml `parseAllDocuments`→`toJS` + ajv',
  json: '`JSON.parse` + ajv',
  oursJson: 'spiderendpoint `validate` (wasm)',
};

// ------------------------------------------------------------------ timing
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function timeAlternating(entries, text, { rounds, warmup, label }) {
  // entries: [[name, fn]], same `text` for every run
  const bytes = Buffer.byteLength(text, 'utf8');
  const times = Object.fromEntries(entries.map(([n]) => [n, []]));
  const summaries = {};
  let keep = null;
  const total = warmup + rounds;
  for (let r = 0; r < total; r++) {
    const order = entries.map((_, i) => entries[(i + r) % entries.length]);
    for (const [name, fn] of order) {
      keep = null;
      globalThis.gc(); globalThis.gc();
      const t0 = performance.now();
      keep = fn(text);
      const t1 = performance.now();
      if (r >= warmup) times[name].push((t1 - t0) / 1000);
      summaries[name] = keep;
      process.stderr.write(`  ${label} ${r < warmup ? 'warm-up' : 'round ' + (r - warmup + 1)}/${r < warmup ? warmup : rounds} ${name}: ${(t1 - t0).toFixed(0)} ms\n`);
    }
  }
  keep = null;
  const out = {};
  for (const [name] of entries) {
    const ts = times[name];
    const med = median(ts);
    out[name] = {
      bytes, runs: ts.length, seconds: ts, medianSeconds: med, mbPerSec: bytes / 1e6 / med,
      minMbPerSec: bytes / 1e6 / Math.max(...ts), maxMbPerSec: bytes / 1e6 / Math.min(...ts),
      docsPerSec: (summaries[name].documents ?? 0) / med, summary: summaries[name],
    };
  }
  return out;
}

// ------------------------------------------------------------------ what each side finds (untimed)
// The generator plants one mistake in ~1 % of the documents and lists them in corpus.meta.json; compare the
// documents each side reports invalid with that list.
function detection(meta, text, libs, pkgInfo) {
  if (!Array.isArray(meta.planted)) return null;
  const planted = new Set(meta.planted.map((p) => p.index));
  const score = (invalid) => ({ planted: planted.size, found: [...planted].filter((i) => invalid.has(i)).length,
    extra: [...invalid].filter((i) => !planted.has(i)).length });
  const out = {};
  const ajvInvalid = new Set();
  libs.jsyaml.loadAll(text).forEach((d, i) => { if (!libs.validateSE(d)) ajvInvalid.add(i); });
  out.ajv = score(ajvInvalid);
  if (pkgInfo.pkg) {
    const r = pkgInfo.pkg.validate(text);
    out.ours = score(new Set(r.documents.filter((d) => d.status === 'invalid').map((d) => d.index)));
  }
  return out;
}

// ------------------------------------------------------------------ memory: one child process per pipeline
function childMemory(opts) {
  const libs = loadLibs(opts);
  const pkgInfo = opts.child === 'ours' ? loadPkg() : {};
  if (opts.child === 'ours' && !pkgInfo.pkg) throw new Error(pkgInfo.error);
  const fn = makePipelines(libs, pkgInfo)[opts.child];
  const text = readFileSync(opts.input, 'utf8');
  globalThis.gc();
  const before = process.memoryUsage();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const s = fn(text);
  const t1 = performance.now();
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ pipeline: opts.child, rssBefore: before.rss, maxRssBefore: maxBefore, peakRss: peak,
    overBaseline: peak - before.rss, seconds: (t1 - t0) / 1000, documents: s.documents }) + '\n');
}

function measureMemory(names, input) {
  const res = {};
  for (const name of names) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child-memory', name, '--input', input],
      { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) { res[name] = { error: (r.stderr || '').trim().split('\n').slice(-3).join(' ') }; continue; }
    res[name] = JSON.parse(r.stdout.trim().split('\n').pop());
    process.stderr.write(`  memory ${name}: peak RSS ${(res[name].peakRss / 1e6).toFixed(1)} MB\n`);
  }
  return res;
}

// ------------------------------------------------------------------ native Rust and the editor latency (subprocesses)
function runNative(corpus) {
  const env = { ...process.env };
  const build = spawnSync('cargo', ['build', '--release', '--example', 'bench_native'], { cwd: ROOT, encoding: 'utf8', env });
  if (build.status !== 0) return { error: 'cargo build --release --example bench_native failed', log: build.stderr.split('\n').filter((l) => /^error/.test(l)).slice(0, 5) };
  const r = spawnSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_native', '--', corpus], { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) return { error: `bench_native exited ${r.status}`, log: r.stderr.split('\n').slice(-5) };
  try { return JSON.parse(r.stdout.trim().split('\n').pop()); } catch (e) { return { error: `bench_native printed no JSON: ${e.message}` }; }
}

function runEditor() {
  const r = spawnSync(process.execPath, [join(HERE, 'editor-latency.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  process.stderr.write(r.stderr || '');
  if (r.status !== 0) return { error: `editor-latency.mjs exited ${r.status}`, log: (r.stderr || '').split('\n').slice(-5) };
  try { return JSON.parse(r.stdout.trim().split('\n').pop()); } catch (e) { return { error: `editor-latency.mjs printed no JSON: ${e.message}` }; }
}

// ------------------------------------------------------------------ machine facts
function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch { /* not Linux */ }
  let chromium = null;
  try {
    const r = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 20_000 });
    chromium = (r.stdout || '').trim() || null;
  } catch { /* none */ }
  let rustc = null;
  try { rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' }).stdout.trim() || null; } catch { /* none */ }
  return { cpu, cores: os.cpus().length, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version, v8: process.versions.v8, chromium, rustc, load: os.loadavg().map((x) => +x.toFixed(2)), date: new Date().toISOString() };
}

// ------------------------------------------------------------------ report
const f1 = (x) => (x == null || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fint = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

function renderMarkdown(R) {
  const L = [];
  const m = R.machine;
  L.push(`### spiderendpoint benchmark (${m.date.slice(0, 10)})`, '');
  L.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GiB RAM, ${m.os}; Node ${m.node} (V8 ${m.v8})`
    + `${m.chromium ? `; ${m.chromium}` : ''}${m.rustc ? `; ${m.rustc}` : ''}; load average at start ${m.load.join(' / ')}${R.loadEnd ? `, at end ${R.loadEnd.join(' / ')}` : ''}.`);
  const c = R.corpus;
  L.push(`Corpus: ${fint(c.documents)} SpiderEndpoint v2beta1 documents (seed ${c.seed}, ${c.invalidDocuments} with a planted mistake), `
    + `YAML stream ${mb(c.yamlBytes)}, JSON List ${mb(c.jsonBytes)}. Libraries: js-yaml ${R.versions['js-yaml']}, yaml ${R.versions.yaml}, `
    + `ajv ${R.versions.ajv} (compiled once from the CRD's openAPIV3Schema${R.options.kubeconformStrict ? ', with kubeconform\'s nested additionalProperties: false' : ''}). `
    + `Median of ${R.options.rounds} alternating rounds after ${R.options.warmup} warm-up round(s), full GC before each run; MB = 10^6 bytes.`, '');
  L.push('| pipeline | input | median MB/s | range MB/s | docs/s | ours is … × faster |', '|---|---|---:|---:|---:|---:|');
  const row = (label, input, r, ratio) => L.push(`| ${label} | ${input} | ${r.error ? 'n/a' : f1(r.mbPerSec)} | ${r.error ? '' : `${f1(r.minMbPerSec)}–${f1(r.maxMbPerSec)}`} | ${r.error ? '' : fint(r.docsPerSec)} | ${ratio} |`);
  const Y = R.yaml;
  if (Y.ours) row(LABELS.ours, 'YAML', Y.ours, '1.00×');
  else L.push(`| ${LABELS.ours} | YAML | not built | | | |`);
  for (const k of ['jsyaml', 'yaml']) row(LABELS[k], 'YAML', Y[k], Y.ours ? `${f1(Y.ours.mbPerSec / Y[k].mbPerSec)}×` : '–');
  if (R.native && !R.native.error) {
    L.push(`| native Rust \`spiderendpoint::validate\` (cargo --release, same crate) | YAML | ${f1(R.native.mb_per_s)} | ${f1(R.native.min_mb_per_s)}–${f1(R.native.max_mb_per_s)} | ${fint(R.native.docs_per_s)} | ${Y.ours ? `wasm = ${(100 * Y.ours.mbPerSec / R.native.mb_per_s).toFixed(0)} % of native` : '–'} |`);
  } else if (R.native) L.push(`| native Rust \`spiderendpoint::validate\` | YAML | n/a (${R.native.error}) | | | |`);
  if (R.json) {
    const J = R.json;
    if (J.ours) row(LABELS.oursJson, 'JSON', J.ours, '1.00×');
    row(LABELS.json, 'JSON', J.json, J.ours ? `${f1(J.ours.mbPerSec / J.json.mbPerSec)}×` : '–');
  }
  L.push('');
  // what each pipeline found (sanity: same documents seen)
  L.push('| pipeline | input | documents | valid | invalid | errors |', '|---|---|---:|---:|---:|---:|');
  const srow = (label, input, s) => s && L.push(`| ${label} | ${input} | ${fint(s.documents)} | ${fint(s.valid)} | ${fint(s.invalid)} | ${fint(s.errors)} |`);
  for (const k of ['ours', 'jsyaml', 'yaml']) srow(LABELS[k], 'YAML', Y[k]?.summary);
  if (R.json) { srow(LABELS.oursJson, 'JSON', R.json.ours?.summary); srow(LABELS.json, 'JSON', R.json.json?.summary); }
  L.push('');
  const D = R.detection;
  if (D) {
    const d = (x) => `${x.found} of ${x.planted}${x.extra ? `, ${x.extra} other documents` : ''}`;
    L.push(`Planted mistakes reported as invalid: spiderendpoint ${D.ours ? d(D.ours) : 'n/a'}; ajv (either parser) ${d(D.ajv)}. `
      + 'ajv sees only the schema; the package also checks the Spiderpool rules (CIDR form, gateway inside the subnet, duplicate addresses, ...).', '');
  }
  if (R.editor) {
    L.push('| editor re-lint in Chromium (`validate` after a one-character edit) | lines | bytes | median ms | range ms |', '|---|---:|---:|---:|---:|');
    if (R.editor.error) L.push(`| n/a (${R.editor.error}) | | | | |`);
    else for (const e of R.editor.cases) L.push(`| ${e.name} | ${fint(e.lines)} | ${fint(e.bytes)} | ${f1(e.medianMs)} | ${f1(e.minMs)}–${f1(e.maxMs)} |`);
    L.push('');
  }
  if (R.wasm.changedDuringRun) L.push('**Warning: `pkg/dist` was rebuilt while this ran: the rows below may mix two builds; rerun.**', '');
  L.push('| size / memory | value |', '|---|---:|');
  if (R.pageWasm.error) L.push(`| the page's first wasm | n/a (${R.pageWasm.error}) |`);
  else L.push(`| the page's first wasm (\`spiderendpoint_validate_bg.wasm\`), raw / gzip -9 | ${fint(R.pageWasm.raw)} B / ${fint(R.pageWasm.gzip9)} B (${kb(R.pageWasm.gzip9)}) |`);
  if (R.wasm.error) L.push(`| \`pkg/dist/web/spiderendpoint_bg.wasm\` | n/a (${R.wasm.error}) |`);
  else L.push(`| the package's wasm (\`spiderendpoint_bg.wasm\`), raw / gzip -9 | ${fint(R.wasm.raw)} B / ${fint(R.wasm.gzip9)} B (${kb(R.wasm.gzip9)}) |`);
  if (R.memory) {
    for (const [k, v] of Object.entries(R.memory)) {
      const [name, input] = k.split(':');
      if (v.error) L.push(`| peak RSS, ${LABELS[name]} on ${input} | n/a |`);
      else L.push(`| peak RSS, ${LABELS[name]} on ${input} (own process) | ${mb(v.peakRss)} (+${mb(v.overBaseline)} over the loaded process) |`);
    }
  }
  if (R.native && !R.native.error && R.native.peak_rss_bytes) L.push(`| peak RSS, native Rust (own process) | ${mb(R.native.peak_rss_bytes)} |`);
  L.push('', '| target | measured | result |', '|---|---:|:---:|');
  for (const t of R.targets) L.push(`| ${t.name} | ${t.measured} | ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL'} |`);
  L.push('');
  return L.join('\n');
}

// ------------------------------------------------------------------ main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof globalThis.gc !== 'function') {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  if (opts.child) { childMemory(opts); return; }

  const yamlPath = join(OUT, 'corpus.yaml'), jsonPath = join(OUT, 'corpus.json');
  if (!existsSync(yamlPath) || !existsSync(jsonPath)) throw new Error(`corpus missing: run node bench/gen-corpus.mjs (expected ${yamlPath})`);
  const meta = JSON.parse(readFileSync(join(OUT, 'corpus.meta.json'), 'utf8'));
  const libs = loadLibs(opts);
  // the .wasm the timed runs use: read right after the package loaded it (another build may replace the file later)
  const wasmAtLoad = existsSync(WASM) ? readFileSync(WASM) : null;
  const pkgInfo = loadPkg();
  if (!pkgInfo.pkg && !opts.allowMissingPkg) throw new Error(`${pkgInfo.error}; run make build first (or pass --allow-missing-pkg for the baselines alone)`);
  if (!pkgInfo.pkg) process.stderr.write(`WARNING: ${pkgInfo.error}; measuring the baselines only\n`);
  const P = makePipelines(libs, pkgInfo);
  const mach = machine();
  process.stderr.write(`machine: ${mach.cpu}, ${mach.cores} cores, Node ${mach.node}, load ${mach.load.join(' ')}\n`);

  const R = { machine: mach, versions: { ...libs.versions, spiderendpoint: pkgInfo.version ?? null },
    options: { rounds: opts.rounds, warmup: opts.warmup, kubeconformStrict: opts.kubeconformStrict },
    corpus: { documents: meta.documents, seed: meta.seed, invalidDocuments: meta.invalidDocuments,
      yamlBytes: statSync(yamlPath).size, jsonBytes: statSync(jsonPath).size },
    pkgError: pkgInfo.error ?? null };

  // native first, so that cargo never compiles while JS is being timed
  if (opts.native) {
    process.stderr.write('native: cargo build/run --release --example bench_native\n');
    R.native = runNative(yamlPath);
    if (R.native.error) process.stderr.write(`  native: ${R.native.error}\n${(R.native.log || []).join('\n')}\n`);
    else process.stderr.write(`  native: ${f1(R.native.mb_per_s)} MB/s\n`);
  }

  const yamlText = readFileSync(yamlPath, 'utf8');
  const yEntries = [['ours', P.ours], ['jsyaml', P.jsyaml], ['yaml', P.yaml]].filter(([, fn]) => fn);
  process.stderr.write(`YAML: ${(R.corpus.yamlBytes / 1e6).toFixed(2)} MB, ${yEntries.map(([n]) => n).join(', ')}\n`);
  R.yaml = timeAlternating(yEntries, yamlText, { rounds: opts.rounds, warmup: opts.warmup, label: 'yaml' });

  if (opts.json) {
    const jsonText = readFileSync(jsonPath, 'utf8');
    const jEntries = [['ours', P.ours], ['json', P.json]].filter(([, fn]) => fn);
    R.json = timeAlternating(jEntries, jsonText, { rounds: opts.rounds, warmup: opts.warmup, label: 'json' });
  }

  R.detection = detection(meta, yamlText, libs, pkgInfo);

  if (wasmAtLoad) {
    R.wasm = { path: 'pkg/dist/web/spiderendpoint_bg.wasm', raw: wasmAtLoad.length, gzip9: gzipSync(wasmAtLoad, { level: 9 }).length,
      sha256: createHash('sha256').update(wasmAtLoad).digest('hex') };
  } else R.wasm = { error: 'not built' };
  if (existsSync(PAGE_WASM)) {
    const b = readFileSync(PAGE_WASM);
    R.pageWasm = { path: PAGE_WASM.slice(ROOT.length + 1), raw: b.length, gzip9: gzipSync(b, { level: 9 }).length };
  } else R.pageWasm = { error: 'not built' };

  if (opts.memory) {
    process.stderr.write('memory: one child process per pipeline\n');
    const names = yEntries.map(([n]) => n);
    R.memory = {};
    for (const [k, v] of Object.entries(measureMemory(names, yamlPath))) R.memory[`${k}:YAML`] = v;
  }

  if (opts.editor) {
    if (existsSync(join(PKG, 'dist', 'web', 'spiderendpoint.js'))) {
      process.stderr.write('editor: Chromium re-lint latency\n');
      R.editor = runEditor();
    } else R.editor = { error: 'pkg/dist/web not built' };
  }

  const Y = R.yaml;
  const ratio = (k) => (Y.ours ? Y.ours.mbPerSec / Y[k].mbPerSec : null);
  R.targets = [
    { name: `ours ≥ ${TARGETS.jsyaml}× js-yaml + ajv`, value: ratio('jsyaml'), measured: ratio('jsyaml') == null ? 'n/a' : `${f1(ratio('jsyaml'))}×`,
      pass: ratio('jsyaml') == null ? null : ratio('jsyaml') >= TARGETS.jsyaml },
    { name: `ours ≥ ${TARGETS.yaml}× yaml + ajv`, value: ratio('yaml'), measured: ratio('yaml') == null ? 'n/a' : `${f1(ratio('yaml'))}×`,
      pass: ratio('yaml') == null ? null : ratio('yaml') >= TARGETS.yaml },
    { name: `the page's first wasm ≤ ${TARGETS.wasmGzipBytes / 1000} KB gzipped (gzip -9, 1 KB = 1000 B)`, value: R.pageWasm.gzip9 ?? null,
      measured: R.pageWasm.gzip9 ? kb(R.pageWasm.gzip9) : 'n/a', pass: R.pageWasm.gzip9 ? R.pageWasm.gzip9 <= TARGETS.wasmGzipBytes : null },
  ];

  R.loadEnd = os.loadavg().map((x) => +x.toFixed(2));
  if (wasmAtLoad) {
    const now = existsSync(WASM) ? createHash('sha256').update(readFileSync(WASM)).digest('hex') : null;
    R.wasm.changedDuringRun = now !== R.wasm.sha256;
    if (R.wasm.changedDuringRun) process.stderr.write('WARNING: pkg/dist was rebuilt while the benchmark ran; rerun for consistent numbers\n');
  }
  mkdirSync(OUT, { recursive: true });
  const md = renderMarkdown(R);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(R, null, 2) + '\n');
  writeFileSync(join(OUT, 'results.md'), md);
  process.stdout.write('\n' + md + '\n');
  process.stdout.write(`results: ${join(OUT, 'results.md')} and results.json\n`);
  const failed = R.targets.some((t) => t.pass === false);
  const missing = !pkgInfo.pkg || (R.native && R.native.error) || (R.editor && R.editor.error);
  if (missing && !opts.allowMissingPkg) process.exitCode = 2;
  if (failed && opts.strictTargets) process.exitCode = 1;
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(2); });
