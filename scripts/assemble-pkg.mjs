// Finishes pkg/dist after wasm-bindgen: TypeScript declarations and module-format markers.
//
//   node scripts/assemble-pkg.mjs TYPES.d.ts
//
// TYPES.d.ts is the output of `cargo run --features ts --bin gen-types` (declarations generated with ts-rs
// from the Rust types). wasm-bindgen's .d.ts names those types in the exported signatures
// (`unchecked_return_type` / `unchecked_optional_param_type`) without declaring them, so this script:
//   - writes dist/index.d.cts and dist/index.d.mts (the package's public types): the generated types, the
//     wasm-bindgen signatures, and `version` as a string constant (the JS API exposes it as a property);
//   - puts the generated types into dist/node/spiderendpoint.d.ts and dist/web/spiderendpoint.d.ts too;
//   - marks dist/node as CommonJS and dist/web as ES modules (nested package.json "type");
//   - smoke-loads the Node build and keeps pkg/package.json's version equal to the crate's.
// No data shape is written by hand here; a signature that names an undeclared type fails the build.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'pkg');
const dist = path.join(pkgDir, 'dist');
const CRATE = 'spiderendpoint';
const EXPECTED = ['validate', 'validateObject', 'normalize', 'convert', 'convertReview', 'rules', 'schema', 'version'];
const BEGIN = '// ---- begin: types generated from the Rust core (ts-rs) ----';
const END = '// ---- end: types generated from the Rust core ----';

function fail(msg) {
  console.error(`assemble-pkg: ${msg}`);
  process.exit(1);
}

// SE_PARTIAL_API=1 (never in CI): while the core is being written, assemble what exists, with warnings.
const partial = process.env.SE_PARTIAL_API === '1' && !process.env.CI ? (m) => console.error(`assemble-pkg: warning: ${m}`) : fail;

const typesFile = process.argv[2];
if (!typesFile) fail('usage: assemble-pkg.mjs TYPES.d.ts');
let types = readFileSync(typesFile, 'utf8').replace(/\r\n/g, '\n').trim();
if (!/\bexport\s+(interface|type)\s+\w+/.test(types)) fail(`${typesFile} declares no exported type (gen-types output?)`);
// ts-rs may emit `import type { X } from "./X"` lines between separately exported files; in one file they are
// both unnecessary and unresolvable.
types = types.replace(/^import type .*;?\s*$/gm, '').replace(/\n{3,}/g, '\n\n').trim();

const declared = new Set([...types.matchAll(/\bexport\s+(?:declare\s+)?(?:interface|type|enum|const enum|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));

// --- The wasm-bindgen signatures (the nodejs target's .d.ts has exactly the exported functions).
const nodeDts = path.join(dist, 'node', `${CRATE}.d.ts`);
const webDts = path.join(dist, 'web', `${CRATE}.d.ts`);
for (const f of [nodeDts, webDts]) if (!existsSync(f)) fail(`${path.relative(root, f)} is missing`);

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
writeFileSync(path.join(dist, 'index.d.cts'), index);
writeFileSync(path.join(dist, 'index.d.mts'), index);

// The per-target declarations get the same types so that `spiderendpoint/web` is self-contained.
const inject = (src) => {
  const lines = src.split('\n');
  let i = 0;
  while (i < lines.length && /^\/\* (?:tslint:disable|eslint-disable) \*\/$/.test(lines[i])) i++;
  return [...lines.slice(0, i), '', BEGIN, types, END, ...lines.slice(i)].join('\n').replace(/\n{3,}/g, '\n\n');
};
writeFileSync(nodeDts, inject(optionalTrailing(nodeSrc)));
writeFileSync(webDts, inject(optionalTrailing(webSrc)));

writeFileSync(path.join(dist, 'node', 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
writeFileSync(path.join(dist, 'web', 'package.json'), JSON.stringify({ type: 'module' }) + '\n');

// Smoke test of the Node build, and the package version.
const require = createRequire(import.meta.url);
const wasm = require(path.join(dist, 'node', `${CRATE}.js`));
const version = wasm.version();
const rules = wasm.rules();
if (typeof version !== 'string' || !Array.isArray(rules)) fail('the Node build loaded but version()/rules() returned unexpected values');
const pkgJsonPath = path.join(pkgDir, 'package.json');
const pkgJsonText = readFileSync(pkgJsonPath, 'utf8');
const pkgJson = JSON.parse(pkgJsonText);
if (pkgJson.version !== version) {
  pkgJson.version = version;
  writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2) + '\n');
  console.error(`assemble-pkg: pkg/package.json version set to ${version} (the crate version)`);
}
console.error(`assemble-pkg: ${declared.size} generated types, ${fnNames.length} exports, ${rules.length} rules, version ${version}`);
