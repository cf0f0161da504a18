#!/usr/bin/env node
// Builds the static page into www/dist/: bundles www/src/*.js with esbuild (ESM, minified), copies
// index.html (with the CSP filled in), the CSS, the icon, the examples, and the two builds of the wasm core
// with their JS glue (both made by scripts/build.sh): the validate-only build the page loads first
// (target/se-bindgen/validate/, as spiderendpoint_validate{.js,_bg.wasm}) and the full build it loads
// when normalize or convert is first used (pkg/dist/web/). The result is plain files for any static host.
//
//   node www/build.mjs            (from the repo root or from www/)
//   SE_WASM_DIR=path node www/build.mjs   to take the full wasm build from elsewhere
//   SE_WASM_VALIDATE_DIR=path node www/build.mjs   the same for the validate-only build
//   node www/build.mjs --dev      unminified, with source maps (for profiling)
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { META_CSP } from './csp.mjs';

const WWW = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(WWW, '..');
const DIST = join(WWW, 'dist');
const WASM_DIR = resolve(ROOT, process.env.SE_WASM_DIR || 'pkg/dist/web');
const WASM_VALIDATE_DIR = resolve(ROOT, process.env.SE_WASM_VALIDATE_DIR || 'target/se-bindgen/validate');
const GLUE = 'spiderendpoint.js';
const WASM = 'spiderendpoint_bg.wasm';
const GLUE_VALIDATE = 'spiderendpoint_validate.js';
const WASM_VALIDATE = 'spiderendpoint_validate_bg.wasm';

const DEV = process.argv.includes('--dev');
const t0 = performance.now();
for (const f of [join(WASM_DIR, GLUE), join(WASM_DIR, WASM), join(WASM_VALIDATE_DIR, GLUE_VALIDATE), join(WASM_VALIDATE_DIR, WASM_VALIDATE)]) {
  if (!existsSync(f)) {
    console.error(`build: ${relative(ROOT, f)} is missing; build the wasm core first (scripts/build.sh).`);
    process.exit(1);
  }
}

await rm(DIST, { recursive: true, force: true });
await mkdir(join(DIST, 'examples'), { recursive: true });
await mkdir(join(DIST, 'img'), { recursive: true });

// The wasm-bindgen glue stays a separate file next to the bundles (core.js and worker.js import it by URL).
const glueExternal = {
  name: 'wasm-glue-external',
  setup(b) {
    b.onResolve({ filter: /(^|\/)spiderendpoint(_validate)?\.js$/ }, (a) => ({ path: `./${a.path.split('/').pop()}`, external: true }));
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
await copyFile(join(WASM_VALIDATE_DIR, GLUE_VALIDATE), join(DIST, GLUE_VALIDATE));
await copyFile(join(WASM_VALIDATE_DIR, WASM_VALIDATE), join(DIST, WASM_VALIDATE));

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
const first = await readFile(join(DIST, WASM_VALIDATE));
console.log(`  wasm loaded before the first diagnostic: ${WASM_VALIDATE} ${first.length} B, gzip -9 ${gzipSync(first, { level: 9 }).length} B`);
