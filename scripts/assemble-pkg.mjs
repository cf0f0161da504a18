// Builds pkg/dist from wasm-bindgen's output: the engine modules, TypeScript declarations and module-format markers.
//
//   node scripts/assemble-pkg.mjs TYPES.d.ts BINDGEN_DIR
//
// BINDGEN_DIR is what scripts/build.sh keeps of wasm-bindgen's output (BINDGEN_DIR/{nodejs,web}: the glue, its
// .d.ts and the optimized .wasm); it is never modified here, so this script can run again on every build.
// TYPES.d.ts is the output of `cargo run --features ts --bin gen-types` (declarations generated with ts-rs
// from the Rust types). This script writes pkg/dist (into pkg/dist.new, then swapped in):
//   - dist/web/spiderendpoint.js (ES module): wasm-bindgen's `web` glue turned into a factory, `__se_glue(WebAssembly)`,
//     that evaluates the glue in a fresh function scope each time. One scope backs the module's own exports,
//     the raw wasm-bindgen API of `spiderendpoint/web` (`init`/`initSync`, then the functions), unchanged; the
//     engine of pkg/engine.mjs, inlined after it and exported as `__spiderendpointEngine` (internal), makes one
//     scope per wasm instance, so that a trapped instance can be replaced by a fresh one. dist/web/api-node.js and
//     dist/web/api-inline.js use it.
//   - dist/node/spiderendpoint.js (CommonJS): the same factory and engine, for dist/node/api.js.
//   - the package's API, the one list of its named exports (from the wasm exports, in docs/api.md's order),
//     each module on one engine: dist/node/api.js (CommonJS) and dist/web/api-node.js (ES module) on the .wasm
//     read from dist/web, dist/web/api-inline.js (ES module) on the .wasm carried inline as base64
//     (dist/web/wasm-inline.js). The entries re-export them: index.cjs, index.mjs, index.browser.mjs.
//   - dist/index.d.cts and dist/index.d.mts (the package's public types): the generated types, the
//     wasm-bindgen signatures, and `version` as a string constant (the JS API exposes it as a property);
//   - the generated types in dist/web/spiderendpoint.d.ts too;
//   - marks dist/node as CommonJS and dist/web as ES modules (nested package.json "type");
//   - smoke-tests both engine modules (including the replacement of a faulted instance) and keeps
//     pkg/package.json's version equal to the crate's.
// No data shape is written by hand here; a signature that names an undeclared type fails the build, and so
// does glue whose shape is not the one the factory transformation expects.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'pkg');
const dist = path.join(pkgDir, 'dist');
const CRATE = 'spiderendpoint';
const EXPECTED = ['validate', 'validateObject', 'validateFiles', 'audit', 'fix', 'releases', 'normalize', 'convert', 'convertReview', 'rules', 'schema', 'version'];
const BEGIN = '// ---- begin: types generated from the Rust core (ts-rs) ----';
const END = '// ---- end: types generated from the Rust core ----';

function fail(msg) {
  console.error(`assemble-pkg: ${msg}`);
  process.exit(1);
}

// SE_PARTIAL_API=1 (never in CI): while the core is being written, assemble what exists, with warnings.
const partial = process.env.SE_PARTIAL_API === '1' && !process.env.CI ? (m) => console.error(`assemble-pkg: warning: ${m}`) : fail;

const [typesFile, bindgenArg] = process.argv.slice(2);
if (!typesFile || !bindgenArg) fail('usage: assemble-pkg.mjs TYPES.d.ts BINDGEN_DIR');
const bindgen = path.resolve(bindgenArg);
const out = `${dist}.new`;
let types = readFileSync(typesFile, 'utf8').replace(/\r\n/g, '\n').trim();
if (!/\bexport\s+(interface|type)\s+\w+/.test(types)) fail(`${typesFile} declares no exported type (gen-types output?)`);
// ts-rs may emit `import type { X } from "./X"` lines between separately exported files; in one file they are
// both unnecessary and unresolvable.
types = types.replace(/^import type .*;?\s*$/gm, '').replace(/\n{3,}/g, '\n\n').trim();

const declared = new Set([...types.matchAll(/\bexport\s+(?:declare\s+)?(?:interface|type|enum|const enum|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));

// --- The wasm-bindgen signatures (the nodejs target's .d.ts has exactly the exported functions).
const nodeDts = path.join(bindgen, 'nodejs', `${CRATE}.d.ts`);
const webDts = path.join(bindgen, 'web', `${CRATE}.d.ts`);
const webGlue = path.join(bindgen, 'web', `${CRATE}.js`);
const wasmFile = path.join(bindgen, 'web', `${CRATE}_bg.wasm`);
for (const f of [nodeDts, webDts, webGlue, wasmFile]) if (!existsSync(f)) fail(`${path.relative(root, f)} is missing`);

const stripInjected = (s) => {
  const a = s.indexOf(BEGIN);
  const b = s.indexOf(END);
  return a >= 0 && b > a ? s.slice(0, a) + s.slice(b + END.length).replace(/^\n+/, '') : s;
};
const nodeSrc = stripInjected(readFileSync(nodeDts, 'utf8'));
const webSrc = stripInjected(readFileSync(webDts, 'utf8'));

// Trailing parameters declared `x: T | undefined` (wasm-bindgen's `unchecked_param_type = "T | undefined"`)
// may be omitted in JS: declare them `x?: T`, which is what TypeScript callers need. (Declaring them with
// `unchecked_optional_param_type = "T"` in src/wasm.rs makes wasm-bindgen emit that form directly.)
function splitTopLevel(s) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote && s[i - 1] !== '\\') quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c) && !(c === '>' && s[i - 1] === '=')) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (s.slice(start).trim()) parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}
function optionalTrailing(src) {
  return src.replace(/^(export function [A-Za-z_$][\w$]*\()(.*)(\): .*;)$/gm, (line, head, params, tail) => {
    const ps = splitTopLevel(params);
    for (let i = ps.length - 1; i >= 0; i--) {
      const m = /^([A-Za-z_$][\w$]*)(\??): ([\s\S]+)$/.exec(ps[i]);
      if (!m) break;
      const members = splitTopLevel(m[3].replace(/\|/g, ',')); // union members at the top level
      if (m[2] === '?') continue;
      if (members.length < 2 || members[members.length - 1] !== 'undefined') break;
      ps[i] = `${m[1]}?: ${m[3].replace(/\s*\|\s*undefined\s*$/, '')}`;
    }
    return `${head}${ps.join(', ')}${tail}`;
  });
}

const body = optionalTrailing(nodeSrc.replace(/^\/\* (?:tslint:disable|eslint-disable) \*\/\n/gm, '').trim());
const fnNames = [...body.matchAll(/^export function ([A-Za-z_$][\w$]*)\s*\(/gm)].map((m) => m[1]);
const missing = EXPECTED.filter((n) => !fnNames.includes(n));
const extra = fnNames.filter((n) => !EXPECTED.includes(n));
if (missing.length || extra.length) {
  partial(`the wasm exports differ from docs/api.md: ${missing.length ? `missing ${missing.join(', ')}` : ''}` +
    `${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`);
}

// Every capitalised type name in a signature must be declared by gen-types or be a standard one.
const BUILTIN = new Set(['Uint8Array', 'Array', 'ReadonlyArray', 'Record', 'Partial', 'Readonly', 'Promise', 'Map', 'Set',
  'Object', 'String', 'Number', 'Boolean', 'Error', 'ArrayBuffer', 'BufferSource']);
const undeclared = new Set();
for (const m of body.matchAll(/^export function [\s\S]*?;$/gm)) {
  const sig = m[0].replace(/"[^"]*"|'[^']*'/g, '');
  for (const id of sig.matchAll(/\b([A-Z][\w$]*)\b/g)) if (!declared.has(id[1]) && !BUILTIN.has(id[1])) undeclared.add(id[1]);
}
if (undeclared.size) {
  partial(`wasm-bindgen signatures name types that gen-types does not declare: ${[...undeclared].join(', ')}\n` +
    `  declared: ${[...declared].join(', ')}`);
}

// `version` is a function in wasm; the package exposes its value.
const versionRe = /(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?export function version\(\): string;/;
if (!versionRe.test(body)) fail('unexpected signature for version() (expected `(): string`)');
const api = body.replace(versionRe, '/** The version of the Rust core (equals the package version). */\nexport declare const version: string;');

const header = `/* spiderendpoint: generated by scripts/assemble-pkg.mjs from the Rust types (ts-rs) and wasm-bindgen; do not edit. */\n`;
const index = `${header}\n${BEGIN}\n${types}\n${END}\n\n${api}\n`;

// The per-target declarations get the same types so that `spiderendpoint/web` is self-contained.
const inject = (src) => {
  const lines = src.split('\n');
  let i = 0;
  while (i < lines.length && /^\/\* (?:tslint:disable|eslint-disable) \*\/$/.test(lines[i])) i++;
  return [...lines.slice(0, i), '', BEGIN, types, END, ...lines.slice(i)].join('\n').replace(/\n{3,}/g, '\n\n');
};

// --- The engine modules: wasm-bindgen's `web` glue as a factory, and pkg/engine.mjs.
const GENERATED = '// spiderendpoint: generated by scripts/assemble-pkg.mjs from wasm-bindgen\'s `web` glue and pkg/engine.mjs; do not edit.';
const GLUE_API = ['default', 'initSync', ...fnNames];
const INLINE = 'wasm-inline.js';
const GENERATED_INLINE = '// spiderendpoint: generated by scripts/assemble-pkg.mjs from spiderendpoint_bg.wasm; do not edit.';

// The glue's text as the body of `function __se_glue(WebAssembly) { ... }`: its exports become the factory's
// return value. Every assumption is checked; a wasm-bindgen release that changes them fails the build here.
function glueBody(src) {
  let body = src.replace(/\r\n/g, '\n');
  const selfTypes = '/* @ts-self-types="./spiderendpoint.d.ts" */\n';
  if (!body.startsWith(selfTypes)) fail(`web glue: expected the first line ${selfTypes.trim()}`);
  body = body.slice(selfTypes.length);
  const exported = [...body.matchAll(/^export function ([A-Za-z_$][\w$]*)\(/gm)].map((m) => m[1]);
  if ([...exported].sort().join() !== [...fnNames].sort().join()) {
    fail(`web glue: exports ${exported.join(', ')} differ from the nodejs declarations ${fnNames.join(', ')}`);
  }
  body = body.replace(/^export function /gm, 'function ');
  const tail = /^export \{ initSync, __wbg_init as default \};\n*$/m;
  if (!tail.test(body)) fail('web glue: expected it to end with `export { initSync, __wbg_init as default };`');
  body = body.replace(tail, '');
  const left = /^[ \t]*(?:export[\s{*]|import[\s{*'"])/m.exec(body);
  if (left) fail(`web glue: an import or export the factory cannot keep: ${body.slice(left.index).split('\n')[0]}`);
  const initSync = /^function initSync\(module\) \{\n([\s\S]*?)\n\}\n/m.exec(body);
  if (!initSync) fail('web glue: no `function initSync(module) {...}`');
  for (const needle of ['if (wasm !== undefined) return wasm;', 'new WebAssembly.Instance(module, imports)', 'return __wbg_finalize_init(instance, module);']) {
    if (!initSync[1].includes(needle)) fail(`web glue: initSync no longer contains \`${needle}\` (the engine instantiates through it)`);
  }
  if (!/\bwasm = instance\.exports;/.test(body)) fail('web glue: `wasm = instance.exports;` not found');
  if (!/^async function __wbg_init\(/m.test(body)) fail('web glue: no `async function __wbg_init(`');
  if (/globalThis\.WebAssembly|window\.WebAssembly|self\.WebAssembly/.test(body)) fail('web glue: reaches WebAssembly other than through the scope');
  if (/\b__se_/.test(body)) fail('web glue: uses the __se_ prefix reserved for the factory');
  return body.trim();
}

// pkg/engine.mjs without its `export` (checked: no imports, one export, createEngine).
function engineSource(glue) {
  const file = path.join(pkgDir, 'engine.mjs');
  const src = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  if (/^[ \t]*import[\s{*'"]/m.test(src)) fail('pkg/engine.mjs must not import anything (it is inlined into two module formats)');
  const exports = [...src.matchAll(/^export\b.*$/gm)].map((m) => m[0]);
  if (exports.length !== 1 || !exports[0].startsWith('export function createEngine(')) {
    fail(`pkg/engine.mjs must export exactly \`function createEngine(\`; it has: ${exports.join(' | ') || 'nothing'}`);
  }
  // Its top-level names share the module scope with the factory: the glue must not use them (it would see them).
  const names = [...src.matchAll(/^(?:export )?(?:async )?(?:function\*? |const |let |var |class )([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
  const clash = names.filter((n) => new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(glue));
  if (clash.length) fail(`pkg/engine.mjs names ${clash.join(', ')} are used by the glue too; rename them`);
  return src.replace(/^export function createEngine\(/m, 'function createEngine(').trim();
}

const glue = glueBody(readFileSync(webGlue, 'utf8'));
const engine = engineSource(glue);
const factory = (prelude, body) =>
  `function __se_glue(WebAssembly) {\n${prelude}${body}\n\nreturn { ${GLUE_API.map((n) => (n === 'default' ? 'default: __wbg_init' : n)).join(', ')} };\n}`;

const esm = `/* @ts-self-types="./spiderendpoint.d.ts" */
${GENERATED}
// The raw wasm-bindgen API (\`spiderendpoint/web\`: default init / initSync, then the functions) runs on one scope
// of the glue factory below; the package's entries use \`__spiderendpointEngine\` (internal, see pkg/engine.mjs),
// which makes a fresh scope for every wasm instance.

${factory('', glue)}

const __se_raw = __se_glue(globalThis.WebAssembly);
export default __se_raw.default;
export const { ${GLUE_API.filter((n) => n !== 'default').join(', ')} } = __se_raw;

// ---- pkg/engine.mjs ----
${engine}

/** @internal The engine of the package's ES module API (api-node.js, api-inline.js); not API. */
export function __spiderendpointEngine(wasmModule) {
  return createEngine(__se_glue, wasmModule);
}
`;

// In CommonJS, \`import.meta\` is a syntax error: the glue's default .wasm location (used only by its async
// init, which the engine never calls) becomes this file's URL.
const metaCount = glue.split('import.meta.url').length - 1;
if (metaCount !== 1) fail(`web glue: expected one \`import.meta.url\`, found ${metaCount}`);
const cjs = `'use strict';
${GENERATED}
// The engine behind index.cjs (dist/node/api.js; see pkg/engine.mjs): a factory of wasm-bindgen glue scopes, one
// per wasm instance. Internal: the package's API is index.cjs.

const __se_importMetaUrl = require('node:url').pathToFileURL(__filename).href;

${factory('', glue.replace('import.meta.url', '__se_importMetaUrl'))}

// ---- pkg/engine.mjs ----
${engine}

exports.createEngine = function (wasmModule) {
  return createEngine(__se_glue, wasmModule);
};
`;

const cjsDts = `/* spiderendpoint: generated by scripts/assemble-pkg.mjs; do not edit. Internal: the engine behind index.cjs. */
import type * as API from '../index.cjs';
/** Makes an engine on a compiled WebAssembly.Module of spiderendpoint_bg.wasm (dist/node/api.js does). */
export declare function createEngine(wasmModule: object): typeof API;
`;

// --- The package's API: the named exports of one engine, listed here once for all three module kinds.
const API = [...EXPECTED.filter((n) => fnNames.includes(n)), ...extra];
const GENERATED_API = '// spiderendpoint: generated by scripts/assemble-pkg.mjs (the API list: the wasm exports); do not edit.';
const VERSION_DOC = '/** The version of the Rust core (equals this package\'s version). */';
const apiLines = (line) => API.map((n) => `${n === 'version' ? `${VERSION_DOC}\n` : ''}${line(n)}`).join('\n');
const esmApi = (about, prelude, wasmModule) => `${GENERATED_API}
// ${about}
// The engine (pkg/engine.mjs, in ./${CRATE}.js) replaces its wasm instance by a fresh one after an internal error
// (a trap), and rejects misuse before it reaches wasm. Internal: the package's API is its entries.
${prelude}
const se = __spiderendpointEngine(${wasmModule});

${apiLines((n) => `export const ${n} = se.${n};`)}
`;
const apiNode = esmApi(
  'The API of index.mjs (Node, Deno, Bun): the engine on the .wasm next to this file, read from disk and compiled\n// synchronously, so the API is usable as soon as the import resolves (no top-level await).',
  `import { readFileSync } from 'node:fs';
import { __spiderendpointEngine } from './${CRATE}.js';
`,
  `new WebAssembly.Module(readFileSync(new URL('./${CRATE}_bg.wasm', import.meta.url)))`);
const apiInline = esmApi(
  `The API of index.browser.mjs (bundlers): the engine on the .wasm carried inline (./${INLINE}), compiled once,\n// synchronously, when this module is evaluated; the engine instantiates it again whenever it replaces an instance.`,
  `import { __spiderendpointEngine } from './${CRATE}.js';
import { wasmBase64 } from './${INLINE}';

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
`,
  'new WebAssembly.Module(decode(wasmBase64))');
const apiCjs = `'use strict';
${GENERATED_API}
// The API of index.cjs: the engine (pkg/engine.mjs, in ./${CRATE}.js) on the package's one .wasm
// (../web/${CRATE}_bg.wasm), compiled once, synchronously, so the API is ready at once. The engine replaces its
// wasm instance by a fresh one after an internal error (a trap), and rejects misuse before it reaches wasm.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createEngine } = require('./${CRATE}.js');

const se = createEngine(new WebAssembly.Module(readFileSync(path.join(__dirname, '..', 'web', '${CRATE}_bg.wasm'))));

${apiLines((n) => `exports.${n} = se.${n};`)}
`;

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'node'), { recursive: true });
mkdirSync(path.join(out, 'web'), { recursive: true });
writeFileSync(path.join(out, 'index.d.cts'), index);
writeFileSync(path.join(out, 'index.d.mts'), index);
writeFileSync(path.join(out, 'web', `${CRATE}.js`), esm);
writeFileSync(path.join(out, 'web', `${CRATE}.d.ts`), inject(optionalTrailing(webSrc)));
copyFileSync(wasmFile, path.join(out, 'web', `${CRATE}_bg.wasm`));
writeFileSync(path.join(out, 'node', `${CRATE}.js`), cjs);
writeFileSync(path.join(out, 'node', `${CRATE}.d.ts`), cjsDts);
// The .wasm is shipped once, in dist/web: index.cjs and index.mjs read it from there, `spiderendpoint/web`'s
// default init fetches it next to its glue, and the package exports it as `spiderendpoint/spiderendpoint_bg.wasm`.
// For bundlers (index.browser.mjs) the same bytes are inlined as base64 in an ES module (see below).
const wasmBytes = readFileSync(wasmFile);
writeFileSync(path.join(out, 'web', INLINE), `${GENERATED_INLINE}
// The bytes of spiderendpoint_bg.wasm (${wasmBytes.length} bytes, sha256 ${createHash('sha256').update(wasmBytes).digest('hex')}) as base64,
// for index.browser.mjs (api-inline.js): a bundler needs no asset handling and no top-level await to ship it. Internal, not API.
export const wasmBase64 = ${JSON.stringify(wasmBytes.toString('base64'))};
`);
writeFileSync(path.join(out, 'node', 'api.js'), apiCjs);
writeFileSync(path.join(out, 'web', 'api-node.js'), apiNode);
writeFileSync(path.join(out, 'web', 'api-inline.js'), apiInline);
writeFileSync(path.join(out, 'node', 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
writeFileSync(path.join(out, 'web', 'package.json'), JSON.stringify({ type: 'module' }) + '\n');

// --- Smoke tests of what was written, before it replaces pkg/dist: both engines give the same answers, a
// faulted instance is replaced (the fault is made through the internal seam: a raw allocation of 4 GiB, which
// Rust's allocator answers with an abort, i.e. a trap), and the raw web API still works.
const SEAM = Symbol.for('spiderendpoint.engine');
const probe = 'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpiont\nmetadata: {name: a}\n';
const wasmModule = new WebAssembly.Module(readFileSync(wasmFile));
async function smoke(label, createEngine) {
  const se = createEngine(wasmModule);
  const first = JSON.stringify(se.validate(probe));
  const seam = se.validate[SEAM];
  let trapped = null;
  try {
    seam.exports.__wbindgen_malloc(0xfffffff0, 1);
  } catch (err) {
    trapped = err;
  }
  if (!(trapped instanceof WebAssembly.RuntimeError)) fail(`${label}: the forced trap did not trap (${trapped})`);
  const again = JSON.stringify(se.validate(probe));
  const st = seam.stats();
  if (again !== first || st.restarts !== 1 || st.created !== 2) fail(`${label}: no clean restart after a trap: ${JSON.stringify(st)}`);
  let misuse = null;
  try {
    se.validate(42);
  } catch (err) {
    misuse = err;
  }
  if (!(misuse instanceof TypeError) || seam.stats().created !== 2) fail(`${label}: misuse did not throw a TypeError without a restart`);
  if (Object.keys(se).sort().join() !== [...API].sort().join()) {
    fail(`${label}: the engine's functions (${Object.keys(se).join(', ')}) are not the API (${API.join(', ')})`);
  }
  return { version: se.version, rules: se.rules(), first };
}
const require = createRequire(import.meta.url);
let viaCjs;
try {
  viaCjs = await smoke('dist/node (CommonJS)', require(path.join(out, 'node', `${CRATE}.js`)).createEngine);
  const web = await import(pathToFileURL(path.join(out, 'web', `${CRATE}.js`)).href);
  const viaEsm = await smoke('dist/web (ES module)', web.__spiderendpointEngine);
  if (JSON.stringify(viaCjs) !== JSON.stringify(viaEsm)) fail('the CommonJS and ES module engines disagree');
  web.initSync({ module: wasmModule });
  if (JSON.stringify(web.validate(probe)) !== viaEsm.first || web.version() !== viaEsm.version) fail('the raw web API (initSync) gives other answers');
} catch (err) {
  fail(`the engine modules in ${path.relative(root, out)} failed their smoke test: ${err && err.stack || err}`);
}
// Browsers let the main thread instantiate synchronously (what the engine does after a fault) only small
// modules: Chromium refuses above 8 MB.
const wasmSize = readFileSync(wasmFile).length;
if (wasmSize > 8 * 1024 * 1024) fail(`the .wasm is ${wasmSize} bytes: above 8 MB, browsers refuse the synchronous re-instantiation the engine does on their main thread`);
const { version, rules } = viaCjs;
if (typeof version !== 'string' || !Array.isArray(rules)) fail('the engine loaded but version/rules() returned unexpected values');

// `spiderendpoint/web` (dist/web/web.js): the raw wasm-bindgen API of dist/web/spiderendpoint.js (default init
// taking `{ module_or_path }`, initSync taking `{ module }`, then the functions), except `version`, which is a
// string as in every other entry (known without init: it is the crate version the engine just reported).
// dist/web/spiderendpoint.js itself stays the plain glue (the page in www/ uses it as it is).
const webVersionRe = /(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?export function version\(\): string;/;
const webApiDts = inject(optionalTrailing(webSrc));
if (!webVersionRe.test(webApiDts)) fail('web glue declarations: unexpected signature for version() (expected `(): string`)');
writeFileSync(path.join(out, 'web', 'web.d.ts'), webApiDts.replace(webVersionRe,
  '/** The version of the Rust core (equals the package version); readable before init. */\nexport declare const version: string;'));
writeFileSync(path.join(out, 'web', 'web.js'), `/* @ts-self-types="./web.d.ts" */
${GENERATED}
// \`spiderendpoint/web\`: the raw wasm-bindgen API, loaded explicitly with \`await init({ module_or_path })\` or
// \`initSync({ module })\`; \`version\` is a string, as in the package's other entries.
export { default, ${GLUE_API.filter((n) => n !== 'default' && n !== 'version').join(', ')} } from './${CRATE}.js';
/** The version of the Rust core (equals the package version). */
export const version = ${JSON.stringify(version)};
`);
try {
  const web = await import(pathToFileURL(path.join(out, 'web', 'web.js')).href);
  if (web.version !== version || typeof web.default !== 'function') fail('dist/web/web.js: version or init is wrong');
  if (JSON.stringify(web.validate(probe)) !== viaCjs.first) fail('dist/web/web.js gives other answers');
  const { wasmBase64 } = await import(pathToFileURL(path.join(out, 'web', INLINE)).href);
  if (!Buffer.from(wasmBase64, 'base64').equals(readFileSync(wasmFile))) fail(`dist/web/${INLINE} does not decode to the .wasm`);
} catch (err) {
  fail(`dist/web/web.js or dist/web/${INLINE} failed their smoke test: ${err && err.stack || err}`);
}
// The API modules behind the entries: every name of the API, and the engine's answers.
try {
  for (const [file, load] of [
    ['node/api.js', (f) => require(f)],
    ['web/api-node.js', (f) => import(pathToFileURL(f).href)],
    ['web/api-inline.js', (f) => import(pathToFileURL(f).href)],
  ]) {
    const api = await load(path.join(out, ...file.split('/')));
    if (Object.keys(api).sort().join() !== [...API].sort().join()) fail(`dist/${file} exports ${Object.keys(api).join(', ')}, not the API`);
    if (api.version !== version || JSON.stringify(api.validate(probe)) !== viaCjs.first) fail(`dist/${file} gives other answers`);
  }
} catch (err) {
  fail(`the API modules failed their smoke test: ${err && err.stack || err}`);
}

rmSync(dist, { recursive: true, force: true });
renameSync(out, dist);

const pkgJsonPath = path.join(pkgDir, 'package.json');
const pkgJsonText = readFileSync(pkgJsonPath, 'utf8');
const pkgJson = JSON.parse(pkgJsonText);
if (pkgJson.version !== version) {
  pkgJson.version = version;
  writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2) + '\n');
  console.error(`assemble-pkg: pkg/package.json version set to ${version} (the crate version)`);
}
console.error(`assemble-pkg: ${declared.size} generated types, ${fnNames.length} exports, ${rules.length} rules, version ${version}; engines checked`);
