#!/usr/bin/env node
// Builds the static page into www/dist/: bundles www/src/*.js with esbuild (ESM, minified), copies
// index.html (with the CSP filled in), the CSS, the icon, the examples, and the wasm core + its JS glue
// from pkg/dist/web/ (made by scripts/build.sh). The result is plain files for any static host.
//
//   node www/build.mjs            (from the repo root or from www/)
//   SE_WASM_DIR=path node www/build.mjs   to take the wasm build from elsewhere
//   node www/build.mjs --dev      unminified, with source maps (for profiling)
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { META_CSP } from './csp.mjs';

const WWW = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(WWW, '..');
const DIST = join(WWW, 'dist');
const WASM_DIR = resolve(ROOT, process.env.SE_WASM_DIR || 'pkg/dist/web');
const GLUE = 'spiderendpoint.js';
const WASM = 'spiderendpoint_bg.wasm';

const DEV = process.argv.includes('--dev');
const t0 = performance.now();
for (const f of [GLUE, WASM]) {
  if (!existsSync(join(WASM_DIR, f))) {
    console.error(`build: ${relative(ROOT, join(WASM_DIR, f))} is missing; build the wasm core first (scripts/build.sh).`);
    process.exit(1);
  }
}

await rm(DIST, { recursive: true, force: true });
await mkdir(join(DIST, 'examples'), { recursive: true });
await mkdir(join(DIST, 'img'), { recursive: true });

// The wasm-bindgen glue stays a separate file next to the bundles, imported as './spiderendpoint.js'.
const glueExternal = {
  name: 'wasm-glue-external',
  setup(b) {
    b.onResolve({ filter: /(^|\/)spiderendpoint\.js$/ }, () => ({ path: `./${GLUE}`, external: true }));
  },
};

const result = await build({
  entryPoints: { main: join(WWW, 'src/main.js'), worker: join(WWW, 'src/worker.js') },
  outdir: DIST,
  bundle: true,
  format: 'esm',
  minify: !DEV,
  sourcemap: DEV ? 'linked' : false,
  target: ['chrome100', 'firefox115', 'safari16.4'],
  loader: { '.yaml': 'text' },
  plugins: [glueExternal],
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const html = (await readFile(join(WWW, 'index.html'), 'utf8')).replace('%CSP%', META_CSP);
if (html.includes('%CSP%')) throw new Error('index.html: CSP placeholder left');
await writeFile(join(DIST, 'index.html'), html);
for (const f of ['style.css', 'favicon.svg']) await copyFile(join(WWW, f), join(DIST, f));
for (const f of await readdir(join(WWW, 'img'))) {
  if (f.endsWith('.svg')) await copyFile(join(WWW, 'img', f), join(DIST, 'img', f));
}
for (const f of await readdir(join(WWW, 'examples'))) {
  if (/\.(ya?ml|json)$/.test(f)) await copyFile(join(WWW, 'examples', f), join(DIST, 'examples', f));
}
await copyFile(join(WASM_DIR, GLUE), join(DIST, GLUE));
await copyFile(join(WASM_DIR, WASM), join(DIST, WASM));

// Licences of the npm packages bundled into main.js / worker.js (CodeMirror, Lezer... all MIT).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.set(m[1], join(WWW, 'node_modules', m[1]));
}
let notices = 'Third-party software bundled into main.js and worker.js\n';
for (const [name, dir] of [...packages].sort()) {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const lic = (await readdir(dir)).find((f) => /^licen[sc]e/i.test(f));
  notices += `\n==== ${name} ${pkg.version} (${pkg.license}) ====\n`;
  notices += lic ? (await readFile(join(dir, lic), 'utf8')).trim() + '\n' : `License: ${pkg.license}\n`;
}
await writeFile(join(DIST, 'THIRD-PARTY-NOTICES.txt'), notices);

let total = 0;
const lines = [];
for (const f of (await readdir(DIST, { recursive: true })).sort()) {
  const s = await stat(join(DIST, f));
  if (!s.isFile()) continue;
  total += s.size;
  lines.push(`  ${f.padEnd(34)} ${(s.size / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`built ${relative(process.cwd(), DIST) || '.'} in ${Math.round(performance.now() - t0)} ms (wasm from ${relative(ROOT, WASM_DIR)}):`);
console.log(lines.join('\n'));
console.log(`  ${'total'.padEnd(34)} ${(total / 1024).toFixed(1).padStart(8)} KiB`);
