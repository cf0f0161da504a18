#!/usr/bin/env node
// Editor re-lint latency in Chromium: how long `validate` takes on a 1,000-line stream and a 50,000-line List
// in the browser build (pkg/dist/web, wasm-bindgen `web` target), after a one-character edit, as a live linter
// runs it on every keystroke.
//
//   node bench/editor-latency.mjs [--json] [--runs-small 21] [--runs-large 9]
//
// Serves the repository's pkg/ and target/bench/ plus bench/editor-harness.html from a node:http server on
// 127.0.0.1 (port 0), drives /usr/bin/chromium headless with playwright-core, and prints a table (stderr) and,
// with --json, one JSON line on stdout. Also writes target/bench/editor.json. Needs the corpus
// (bench/gen-corpus.mjs writes editor-1k.yaml and editor-50k-list.yaml) and `make build`.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const OUT = join(ROOT, 'target', 'bench');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const flag = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const asJson = args.includes('--json');
const CASES = [
  { name: '1,000-line YAML stream (editor-1k.yaml)', file: 'editor-1k.yaml', runs: flag('--runs-small', 21), warmup: 5 },
  { name: '50,000-line `kind: List` (editor-50k-list.yaml)', file: 'editor-50k-list.yaml', runs: flag('--runs-large', 9), warmup: 2 },
];

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.yaml': 'text/plain; charset=utf-8', '.json': 'application/json', '.ts': 'text/plain' };
const PKG = resolve(process.env.BENCH_PKG_DIR || join(ROOT, 'pkg')); // override only to test the harness
const MOUNTS = [['/pkg/', PKG], ['/corpus/', OUT]];

function serve() {
  const harness = readFileSync(join(HERE, 'editor-harness.html'));
  // cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs
  const iso = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': MIME['.html'], ...iso });
      res.end(harness);
      return;
    }
    for (const [prefix, dir] of MOUNTS) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...iso });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function main() {
  for (const c of CASES) if (!existsSync(join(OUT, c.file))) throw new Error(`missing ${join(OUT, c.file)}: run node bench/gen-corpus.mjs`);
  if (!existsSync(join(PKG, 'dist', 'web', 'spiderendpoint.js'))) throw new Error('missing pkg/dist/web/spiderendpoint.js: run make build');
  const { chromium } = require('playwright-core');
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const result = { browser: `Chromium ${browser.version()}`, cases: [] };
  try {
    const page = await browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.ready === true || window.loadError !== undefined, null, { timeout: 60_000 });
    const loadError = await page.evaluate(() => window.loadError);
    if (loadError) throw new Error(`harness failed to load the package: ${loadError}`);
    for (const c of CASES) {
      const r = await page.evaluate(([url, o]) => window.relint(url, o), [`/corpus/${c.file}`, { runs: c.runs, warmup: c.warmup }]);
      result.cases.push({ name: c.name, file: c.file, ...r });
      process.stderr.write(`  ${c.name}: ${r.lines} lines, median ${r.medianMs.toFixed(2)} ms (range ${r.minMs.toFixed(2)}–${r.maxMs.toFixed(2)}, cold ${r.coldMs.toFixed(1)} ms, ${r.runs} runs), `
        + `${r.summary.documents} documents, ${r.summary.errors} errors\n`);
    }
    if (consoleErrors.length) result.consoleErrors = consoleErrors;
  } finally {
    await browser.close();
    server.close();
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'editor.json'), JSON.stringify(result, null, 2) + '\n');
  if (asJson) process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
