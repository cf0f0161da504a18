// The bundler matrix (issue 11): the packed package, installed offline from its tarball into an empty project
// as a user gets it, is built into a tiny page by each bundler with the configuration the README's "Bundlers"
// section shows (none, except Rollup's node-resolve plugin), and the page runs in headless Chromium
// (playwright-core on Debian's /usr/bin/chromium). Each page validates a known invalid endpoint and must give
// the very report the Node entry gives, including the expected first finding (code and position). The Vite
// dev servers serve the same page from source (with their dependency pre-bundling). Node bundles made by
// esbuild (--platform=node, CommonJS and ESM) run with node from a folder without node_modules.
//
//   node --test tests/bundlers/          (after `make build`; tests/bundlers' devDependencies from scripts/setup.sh)
//
// Prints a `# matrix:` line per case with its time, and `# total` at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, nodeIn, ROOT } from '../node/helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const require = createRequire(path.join(HERE, 'package.json'));
const bin = (name, file) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
const t0 = performance.now();
const timings = [];

// A known invalid endpoint: eight errors, the first an SE302 at 13:13 (see the README's CLI example).
const INPUT = readFileSync(path.join(ROOT, 'examples/invalid/v2beta1-errors.yaml'), 'utf8');
const FIRST = { code: 'SE302', line: 13, column: 13 };

// The page's script: what a user writes. `document.title` says when it is done; errors land in the page.
const PAGE_SOURCE = `import * as se from 'spiderendpoint';

const report = se.validate(${JSON.stringify(INPUT)});
window.__result = { version: se.version, report, rules: se.rules().length };
document.title = 'done';
`;
const NODE_CJS_SOURCE = `const se = require('spiderendpoint');
process.stdout.write(JSON.stringify({ version: se.version, report: se.validate(${JSON.stringify(INPUT)}), rules: se.rules().length }));
`;
const NODE_ESM_SOURCE = `import * as se from 'spiderendpoint';
process.stdout.write(JSON.stringify({ version: se.version, report: se.validate(${JSON.stringify(INPUT)}), rules: se.rules().length }));
`;
const html = (script) => `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundler test</title></head>\n<body>${script}</body></html>\n`;

const inst = installPackage(after);
const APP = inst.dir; // the consumer project: package.json and node_modules/spiderendpoint from the tarball
const OUT = path.join(inst.tmp, 'out');
let expected;
let browser;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: APP, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 180_000, ...opts,
    env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

// A static file server (no fallback: a missing file is a 404, never an HTML page).
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json' };
async function serveDir(dir) {
  const server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html');
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Opens the page, waits for its result, and checks it against the Node entry's.
async function checkPage(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  try {
    await page.goto(url);
    // Done, or failed: an uncaught error ends the wait at once; a page that hangs, after 60 s.
    const deadline = Date.now() + 60_000;
    while ((await page.title()) !== 'done') {
      if (problems.some((p) => p.startsWith('pageerror')) || Date.now() > deadline) {
        assert.fail(`the page did not finish: ${problems.join('\n') || 'no error, no result in 60 s'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(problems, []);
    checkResult(result);
  } finally {
    await context.close();
  }
}

function checkResult(result) {
  const first = result.report.documents[0].diagnostics[0];
  assert.deepEqual({ code: first.code, line: first.line, column: first.column }, FIRST);
  assert.equal(result.report.summary.errors, 8);
  assert.deepEqual(result, expected);
}

// One case of the matrix: its output folder, its time.
function matrixCase(name, fn) {
  test(name, async () => {
    const start = performance.now();
    const dir = path.join(OUT, name.replace(/[^\w.-]+/g, '-'));
    mkdirSync(dir, { recursive: true });
    try {
      await fn(dir);
    } finally {
      const s = ((performance.now() - start) / 1000).toFixed(1);
      timings.push(`${name}: ${s} s`);
      console.log(`# matrix: ${name}: ${s} s`);
    }
  });
}

async function staticPage(dir, script) {
  writeFileSync(path.join(dir, 'index.html'), html(script));
  const server = await serveDir(dir);
  try {
    await checkPage(server.url);
  } finally {
    await server.close();
  }
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (scripts/setup.sh installs Debian's chromium)`);
  mkdirSync(path.join(APP, 'src'), { recursive: true });
  writeFileSync(path.join(APP, 'src', 'index.js'), PAGE_SOURCE);
  writeFileSync(path.join(APP, 'index.html'), html('<script type="module" src="/src/index.js"></script>'));
  writeFileSync(path.join(APP, 'node-cjs.js'), NODE_CJS_SOURCE);
  writeFileSync(path.join(APP, 'node-esm.mjs'), NODE_ESM_SOURCE);
  // The answer of the package's Node entry (CommonJS, unbundled) is what every bundle must give.
  const r = nodeIn(inst, ['node-cjs.js']);
  assert.equal(r.code, 0, r.stderr);
  expected = JSON.parse(r.stdout);
  checkResult(expected);
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  console.log(`# total: ${((performance.now() - t0) / 1000).toFixed(1)} s (${timings.length} cases)`);
});

describe('bundlers', { timeout: 900_000, concurrency: 1 }, () => {
  for (const vite of ['vite5', 'vite6', 'vite8']) {
    // `vite build` in the project, no config file.
    matrixCase(`${vite} build`, async (dir) => {
      run(process.execPath, [bin(vite, 'bin/vite.js'), 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn']);
      const server = await serveDir(dir);
      try {
        await checkPage(server.url);
      } finally {
        await server.close();
      }
    });
    // `vite` (the dev server) in the project, no config file, with a cold dependency pre-bundling cache.
    matrixCase(`${vite} dev`, async () => {
      rmSync(path.join(APP, 'node_modules', '.vite'), { recursive: true, force: true });
      const { createServer: createViteServer } = await import(vite);
      const server = await createViteServer({ root: APP, logLevel: 'warn', server: { host: '127.0.0.1', port: 0, strictPort: false } });
      try {
        await server.listen();
        await checkPage(server.resolvedUrls.local[0]);
        // The package was pre-bundled (the dev server's default, the case that used to fail).
        assert.ok(existsSync(path.join(APP, 'node_modules', '.vite', 'deps', 'spiderendpoint.js')), 'spiderendpoint was not pre-bundled');
      } finally {
        await server.close();
      }
    });
  }

  // webpack 5, production mode, its default entry (./src/index.js), no config file.
  matrixCase('webpack 5', async (dir) => {
    const webpack = require('webpack');
    const stats = await new Promise((resolve, reject) => {
      webpack({ mode: 'production', context: APP, output: { path: dir } }, (err, s) => (err ? reject(err) : resolve(s)));
    });
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    await staticPage(dir, '<script src="main.js"></script>');
  });

  // esbuild, as an ES module and as its default IIFE.
  for (const [label, extra, tag] of [
    ['esbuild --format=esm', ['--format=esm'], '<script type="module" src="main.js"></script>'],
    ['esbuild (iife)', [], '<script src="main.js"></script>'],
  ]) {
    matrixCase(label, async (dir) => {
      run(bin('esbuild', 'bin/esbuild'), ['src/index.js', '--bundle', '--platform=browser', ...extra, `--outfile=${path.join(dir, 'main.js')}`, '--log-level=warning']);
      await staticPage(dir, tag);
    });
  }

  // Rollup with @rollup/plugin-node-resolve (Rollup resolves no bare import without it).
  matrixCase('rollup', async (dir) => {
    const { rollup } = require('rollup');
    const { nodeResolve } = require('@rollup/plugin-node-resolve');
    const warnings = [];
    const bundle = await rollup({ input: path.join(APP, 'src', 'index.js'), plugins: [nodeResolve({ browser: true })], onwarn: (w) => warnings.push(w.message) });
    await bundle.write({ file: path.join(dir, 'main.js'), format: 'es' });
    await bundle.close();
    assert.deepEqual(warnings, []);
    await staticPage(dir, '<script type="module" src="main.js"></script>');
  });

  // Node bundles: run from a folder without node_modules, so nothing but the bundle is there.
  for (const [label, src, out, extra] of [
    ['esbuild --platform=node (require)', 'node-cjs.js', 'bundle.cjs', []],
    ['esbuild --platform=node --format=esm (import)', 'node-esm.mjs', 'bundle.mjs', ['--format=esm']],
  ]) {
    matrixCase(label, async (dir) => {
      run(bin('esbuild', 'bin/esbuild'), [src, '--bundle', '--platform=node', ...extra, `--outfile=${path.join(dir, out)}`, '--log-level=warning']);
      const alone = path.join(inst.tmp, `alone-${out}`);
      mkdirSync(alone, { recursive: true });
      cpSync(path.join(dir, out), path.join(alone, out));
      const r = run(process.execPath, [out], { cwd: alone });
      checkResult(JSON.parse(r.stdout));
    });
  }
});
