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
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, nodeIn, ROOT } from '../node/helpers.mjs';
import { launchChromium } from '../browser/helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, 'package.json'));
const bin = (name, file) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
const t0 = performance.now();
const timings = [];

// A known invalid endpoint: eight errors, the first an SE302 at 13:13 (see the README's CLI example).
const INPUT = readFileSync(path.join(ROOT, 'examples/invalid/v2beta1-errors.yaml'), 'utf8');
const FIRST = { code: 'SE302', line: 13, column: 13 };

// The page's script: what a user writes, then (test only) the engine's recovery from a trap, forced through its
// internal seam: the bundled engine must replace the instance, synchronously, on the page's main thread.
// `document.title` says when it is done; errors land in the page.
const PAGE_SOURCE = `import * as se from 'spiderendpoint';

const report = se.validate(${JSON.stringify(INPUT)});
window.__result = { version: se.version, report, rules: se.rules().length };

const seam = se.validate[Symbol.for('spiderendpoint.engine')];
let trapped = false;
try { seam.exports.__wbindgen_malloc(0xfffffff0, 1); } catch (err) { trapped = err instanceof WebAssembly.RuntimeError; }
const again = JSON.stringify(se.validate(${JSON.stringify(INPUT)})) === JSON.stringify(report);
window.__recovery = { trapped, again, restarts: seam.stats().restarts };
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
    assert.deepEqual(await page.evaluate(() => window.__recovery), { trapped: true, again: true, restarts: 1 }, 'the engine recovers from a trap');
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

// One case of the matrix, with its time.
function matrixCase(name, fn) {
  test(name, async () => {
    const start = performance.now();
    try {
      await fn();
    } finally {
      const sec = ((performance.now() - start) / 1000).toFixed(1);
      timings.push(`${name}: ${sec} s`);
      console.log(`# matrix: ${name}: ${sec} s`);
    }
  });
}

before(async () => {
  mkdirSync(path.join(APP, 'src'), { recursive: true });
  writeFileSync(path.join(APP, 'src', 'index.js'), PAGE_SOURCE);
  writeFileSync(path.join(APP, 'index.html'), html('<script type="module" src="/src/index.js"></script>'));
  writeFileSync(path.join(APP, 'server.js'), NODE_CJS_SOURCE);
  writeFileSync(path.join(APP, 'server.mjs'), NODE_ESM_SOURCE);
  // The answer of the package's Node entry (CommonJS, unbundled) is what every bundle must give.
  const r = nodeIn(inst, ['server.js']);
  assert.equal(r.code, 0, r.stderr);
  expected = JSON.parse(r.stdout);
  checkResult(expected);
  browser = await launchChromium(require('playwright-core').chromium);
});

after(async () => {
  await browser?.close();
  console.log(`# total: ${((performance.now() - t0) / 1000).toFixed(1)} s (${timings.length} cases)`);
});

// The README's "Bundlers" section: its ```sh block of `npx TOOL ARGS` lines and its rollup.config.mjs block.
function readmeBundlers() {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('\n## Bundlers\n');
  assert.ok(at >= 0, 'README.md has no "## Bundlers" section');
  const section = readme.slice(at, readme.indexOf('\n## ', at + 5) >>> 0 || undefined);
  const sh = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(sh, 'the Bundlers section has no ```sh block');
  const commands = sh[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean).map((l) => {
    const [npx, tool, ...args] = l.split(/\s+/);
    assert.equal(npx, 'npx', l);
    return { line: l, tool, args };
  });
  const rollupConfig = /```js rollup\.config\.mjs\n([\s\S]*?)```/.exec(section);
  assert.ok(rollupConfig, 'the Bundlers section has no ```js rollup.config.mjs block');
  return { commands, rollupConfig: rollupConfig[1] };
}
const README = readmeBundlers();

const BIN = {
  vite5: bin('vite5', 'bin/vite.js'),
  vite6: bin('vite6', 'bin/vite.js'),
  vite8: bin('vite8', 'bin/vite.js'),
  webpack: bin('webpack', 'bin/webpack.js'),
  esbuild: bin('esbuild', 'bin/esbuild'),
  rollup: bin('rollup', 'dist/bin/rollup'),
};
const DIST = path.join(APP, 'dist');

// Runs a README command in the project (the tool from tests/bundlers/node_modules, as `npx` would find it).
function runReadme({ tool, args }, binary = BIN[tool]) {
  rmSync(DIST, { recursive: true, force: true });
  const isNode = !binary.endsWith('/esbuild');
  return isNode ? run(process.execPath, [binary, ...args]) : run(binary, args);
}
const outfile = (args) => args.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length);

// Serves dist/ (writing an index.html that loads the bundle, except where the bundler wrote one) and checks it.
async function checkDist(script) {
  if (script) writeFileSync(path.join(DIST, 'index.html'), html(script));
  const server = await serveDir(DIST);
  try {
    await checkPage(server.url);
  } finally {
    await server.close();
  }
}

describe('bundlers: the README commands', { timeout: 900_000, concurrency: 1 }, () => {
  const cmd = (pred, what) => {
    const found = README.commands.filter(pred);
    assert.ok(found.length > 0, `the README's Bundlers block has no command for ${what}`);
    return found;
  };
  const viteBuild = cmd((c) => c.tool === 'vite' && c.args[0] === 'build', 'vite build')[0];
  cmd((c) => c.tool === 'vite' && c.args.length === 0, 'the Vite dev server (npx vite)');
  for (const vite of ['vite5', 'vite6', 'vite8']) {
    matrixCase(`${vite} build`, async () => {
      runReadme(viteBuild, BIN[vite]);
      await checkDist(null);
    });
    // `npx vite`: the same dev server, started through Vite's API (so that the test picks a free port), with
    // the project as root, no config file and a cold dependency pre-bundling cache.
    matrixCase(`${vite} dev`, async () => {
      rmSync(path.join(APP, 'node_modules', '.vite'), { recursive: true, force: true });
      const { createServer: createViteServer } = await import(vite);
      const server = await createViteServer({ root: APP, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
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

  for (const c of cmd((c) => c.tool === 'webpack', 'webpack')) {
    matrixCase(`webpack 5: ${c.line}`, async () => {
      runReadme(c);
      await checkDist('<script src="main.js"></script>');
    });
  }

  for (const c of cmd((c) => c.tool === 'esbuild' && c.args[0] === 'src/index.js', 'esbuild (browser)')) {
    matrixCase(`esbuild: ${c.line}`, async () => {
      runReadme(c);
      const file = path.relative(DIST, path.join(APP, outfile(c.args)));
      await checkDist(c.args.includes('--format=esm') ? `<script type="module" src="${file}"></script>` : `<script src="${file}"></script>`);
    });
  }

  for (const c of cmd((c) => c.tool === 'rollup', 'rollup')) {
    matrixCase(`rollup: ${c.line}`, async () => {
      writeFileSync(path.join(APP, 'rollup.config.mjs'), README.rollupConfig);
      // The config's plugin, as the project would have it in its node_modules.
      const plugin = path.join(APP, 'node_modules', '@rollup', 'plugin-node-resolve');
      if (!existsSync(plugin)) {
        mkdirSync(path.dirname(plugin), { recursive: true });
        symlinkSync(path.join(HERE, 'node_modules', '@rollup', 'plugin-node-resolve'), plugin);
      }
      runReadme(c);
      await checkDist('<script type="module" src="index.js"></script>');
    });
  }

  // Node bundles: run from a folder without node_modules, so nothing but the bundle is there.
  for (const c of cmd((c) => c.tool === 'esbuild' && c.args.includes('--platform=node'), 'esbuild --platform=node')) {
    matrixCase(`esbuild: ${c.line}`, async () => {
      runReadme(c);
      const out = outfile(c.args);
      const alone = mkdtempSync(path.join(inst.tmp, 'alone-'));
      cpSync(path.join(APP, out), path.join(alone, path.basename(out)));
      const r = run(process.execPath, [path.basename(out)], { cwd: alone });
      checkResult(JSON.parse(r.stdout));
    });
  }

  test('the README covers every bundler of the matrix', () => {
    const esbuildNode = README.commands.filter((c) => c.tool === 'esbuild' && c.args.includes('--platform=node'));
    assert.deepEqual(esbuildNode.map((c) => c.args.includes('--format=esm')).sort(), [false, true], 'CommonJS and ESM Node bundles');
    const esbuildBrowser = README.commands.filter((c) => c.tool === 'esbuild' && !c.args.includes('--platform=node'));
    assert.deepEqual(esbuildBrowser.map((c) => c.args.includes('--format=esm')).sort(), [false, true], 'IIFE and ESM');
    assert.deepEqual([...new Set(README.commands.map((c) => c.tool))].sort(), ['esbuild', 'rollup', 'vite', 'webpack']);
  });
});
