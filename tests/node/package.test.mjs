// The packed npm package, installed offline into an empty folder: contents, require, import, the browser
// entry, `spiderendpoint/web`, npx, and one API everywhere.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { installPackage, nodeIn, PKG, ROOT } from './helpers.mjs';

const API = ['audit', 'convert', 'convertReview', 'fix', 'normalize', 'releases', 'rules', 'schema', 'validate', 'validateFiles', 'validateObject', 'version'];

// Synchronous, at the top level, so that its cleanup is registered on the root (a hook's own `after` would
// run as soon as that hook ends).
const inst = installPackage(after);

// Prints, as JSON, what the given entry returns for the same calls; used to compare all entries.
const PROBE = `
  const list = fs.readFileSync(${JSON.stringify(path.join(ROOT, 'examples/valid/list.yaml'))});
  const out = {
    keys: Object.keys(se).filter((k) => k !== 'default' && k !== '__esModule').sort(),
    version: se.version,
    report: se.validate(new Uint8Array(list)),
    reportText: se.validate(list.toString('utf8')),
    rules: se.rules(),
    object: se.validateObject({ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderEndpoint',
      metadata: { name: 'x', namespace: 'default' },
      status: { current: { uid: 'e7b50a38-25c2-41d0-b332-7f619c69194e', node: 'n1', ips: [{ interface: 'eth0', vlan: '7' }] },
        ownerControllerType: 'Pod', ownerControllerName: 'x' } }),
  };
  let threw = null;
  try { se.validate(42); } catch (e) { threw = String(e && e.message || e); }
  out.misuse = threw;
  process.stdout.write(JSON.stringify(out));
`;

describe('the packed tarball', { timeout: 180_000 }, () => {
  test('contains exactly the package files, with README and LICENSE', () => {
    // The CLI's modules (pkg/cli/, see the next test) are listed apart: they change more often.
    const files = [...inst.files].filter((f) => !f.startsWith('cli/')).sort();
    assert.deepEqual(files, [
      'LICENSE',
      'README.md',
      'bin/spiderendpoint.js',
      'dist/index.d.cts',
      'dist/index.d.mts',
      'dist/node/api.js',
      'dist/node/package.json',
      'dist/node/spiderendpoint.d.ts',
      'dist/node/spiderendpoint.js',
      'dist/web/api-inline.js',
      'dist/web/api-node.js',
      'dist/web/package.json',
      'dist/web/spiderendpoint.d.ts',
      'dist/web/spiderendpoint.js',
      'dist/web/spiderendpoint_bg.wasm',
      'dist/web/wasm-inline.js',
      'dist/web/web.d.ts',
      'dist/web/web.js',
      'index.browser.mjs',
      'index.cjs',
      'index.mjs',
      'package.json',
    ]);
    assert.match(readFileSync(path.join(inst.installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  });

  test("ships every module of the CLI (pkg/cli/**/*.js) and nothing else of pkg/cli/", () => {
    const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
    const modules = walk(path.join(PKG, 'cli')).filter((f) => f.endsWith('.js')).map((f) => path.relative(PKG, f).split(path.sep).join('/'));
    assert.ok(modules.length >= 10, modules.join(' '));
    assert.deepEqual(inst.files.filter((f) => f.startsWith('cli/')).sort(), modules.sort());
  });

  test('ships the .wasm once: one binary (Node entries, spiderendpoint/web) and its base64 copy (bundler entry)', () => {
    const wasms = inst.files.filter((f) => f.endsWith('.wasm'));
    assert.deepEqual(wasms, ['dist/web/spiderendpoint_bg.wasm']);
    const bytes = readFileSync(path.join(inst.installed, wasms[0]));
    const inline = readFileSync(path.join(inst.installed, 'dist/web/wasm-inline.js'), 'utf8');
    const b64 = /export const wasmBase64 = "([A-Za-z0-9+/=]+)";/.exec(inline);
    assert.ok(b64, 'dist/web/wasm-inline.js exports wasmBase64');
    assert.ok(Buffer.from(b64[1], 'base64').equals(bytes), 'the inline copy is the same module');
    console.log(`# packed ${inst.tgz.split('/').pop()}: ${statSync(inst.tgz).size} bytes`);
  });

  test('names its repository, homepage and issue tracker', () => {
    const pj = JSON.parse(readFileSync(path.join(inst.installed, 'package.json'), 'utf8'));
    assert.equal(pj.homepage, 'https://github.com/spiderendpoint/spiderendpoint#readme');
    assert.deepEqual(pj.repository, { type: 'git', url: 'git+https://github.com/spiderendpoint/spiderendpoint.git', directory: 'pkg' });
    assert.deepEqual(pj.bugs, { url: 'https://github.com/spiderendpoint/spiderendpoint/issues' });
  });

  test('has zero runtime dependencies, a bin, and the crate version', () => {
    const pj = JSON.parse(readFileSync(path.join(inst.installed, 'package.json'), 'utf8'));
    assert.equal(pj.name, 'spiderendpoint');
    assert.equal(pj.license, 'Apache-2.0');
    for (const k of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      assert.ok(!pj[k] || Object.keys(pj[k]).length === 0, `${k} must be empty`);
    }
    assert.deepEqual(pj.bin, { spiderendpoint: 'bin/spiderendpoint.js' });
    const cargo = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
    assert.equal(pj.version, /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1]);
    // The bin is executable once installed.
    assert.ok(statSync(path.join(inst.installed, 'bin/spiderendpoint.js')).mode & 0o111);
    // The consumer's lockfile shows that nothing else was installed.
    const lock = JSON.parse(readFileSync(path.join(inst.dir, 'package-lock.json'), 'utf8'));
    assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/spiderendpoint']);
  });
});

describe('one API everywhere', { timeout: 180_000 }, () => {
  let viaRequire;

  test('require() loads synchronously (CommonJS)', () => {
    const r = nodeIn(inst, ['-e', `const fs = require('node:fs'); const se = require('spiderendpoint');\n${PROBE}`]);
    assert.equal(r.code, 0, r.stderr);
    viaRequire = JSON.parse(r.stdout);
    assert.deepEqual(viaRequire.keys, API);
    const pj = JSON.parse(readFileSync(path.join(inst.installed, 'package.json'), 'utf8'));
    assert.equal(viaRequire.version, pj.version);
    // The List example: two valid SpiderEndpoints, both in document 0, items 0 and 1.
    const docs = viaRequire.report.documents.map((d) => [d.index, d.item, d.kind, d.namespace, d.name, d.status, d.line]);
    assert.deepEqual(docs, [
      [0, 0, 'SpiderEndpoint', 'default', 'web-7d4b9c6f5-abcde', 'valid', 7],
      [0, 1, 'SpiderEndpoint', 'prod', 'db-0', 'valid', 38],
    ]);
    assert.equal(viaRequire.report.summary.documents, 2);
    // Bytes and text give the same report.
    assert.deepEqual(viaRequire.reportText, viaRequire.report);
    // validateObject: paths are JSON Pointers into the object; the string vlan is SE202.
    const d = viaRequire.object.documents[0].diagnostics.find((x) => x.code === 'SE202');
    assert.ok(d, JSON.stringify(viaRequire.object));
    assert.equal(d.path, '/status/current/ips/0/vlan');
    // Rules carry help text.
    assert.ok(viaRequire.rules.length >= 20);
    for (const rule of viaRequire.rules) {
      assert.match(rule.code, /^SE\d{3}$/);
      assert.ok(rule.help.length > 10, rule.code);
    }
    // Misuse throws, with a message.
    assert.match(viaRequire.misuse, /string or a Uint8Array/);
  });

  test('import loads the ES module build (Node condition) with the same results', () => {
    const r = nodeIn(inst, ['--input-type=module', '-e', `import fs from 'node:fs'; import * as se from 'spiderendpoint';\n${PROBE}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), viaRequire);
    // It is the web build instantiated with initSync, not the CommonJS one.
    const resolved = nodeIn(inst, ['--input-type=module', '-e', `process.stdout.write(import.meta.resolve('spiderendpoint'))`]);
    assert.match(resolved.stdout, /\/node_modules\/spiderendpoint\/index\.mjs$/);
  });

  test('the bundler entry (browser and module conditions) fetches nothing, carries the .wasm inline, same results', () => {
    // Any fetch would be a bug: the entry must not depend on an asset a bundler may not emit.
    const shim = path.join(inst.tmp, 'no-fetch-shim.mjs');
    writeFileSync(shim, `globalThis.fetch = async (input) => { throw new Error('fetch(' + String(input && (input.url || input)) + ')'); };\n`);
    for (const condition of ['browser', 'module']) {
      for (const [how, code] of [
        ['import', `import fs from 'node:fs'; import * as se from 'spiderendpoint';
          const url = import.meta.resolve('spiderendpoint');
          if (!url.endsWith('/index.browser.mjs')) throw new Error('resolved ' + url);`],
        // A bundler resolving require() with the module condition gets the same ES module (the condition's purpose).
        ['require', `import fs from 'node:fs'; import { createRequire } from 'node:module';
          const url = createRequire(import.meta.url).resolve('spiderendpoint');
          if (${JSON.stringify(condition)} === 'module' && !url.endsWith('/index.browser.mjs')) throw new Error('resolved ' + url);
          const se = await import(url);`],
      ]) {
        // The engine's guarantee holds there too: a trap (forced through the internal seam) costs one restart.
        const trap = `const seam = se.validate[Symbol.for('spiderendpoint.engine')];
          let trapped = null; try { seam.exports.__wbindgen_malloc(0xfffffff0, 1); } catch (e) { trapped = e; }
          if (!(trapped instanceof WebAssembly.RuntimeError) || seam.stats().restarts !== 0) throw new Error('no trap: ' + trapped);
          se.validate('a: 1');
          if (seam.stats().restarts !== 1) throw new Error('no restart: ' + JSON.stringify(seam.stats()));`;
        const r = nodeIn(inst, [`--conditions=${condition}`, '--import', shim, '--input-type=module', '-e', `${code}\n${trap}\n${PROBE}`]);
        assert.equal(r.code, 0, `${condition}/${how}: ${r.stderr}`);
        assert.deepEqual(JSON.parse(r.stdout), viaRequire, `${condition}/${how}`);
      }
    }
  });

  test("'spiderendpoint/web' exposes the raw web build with an explicit init; version is a string before init", () => {
    const r = nodeIn(inst, ['--input-type=module', '-e', `
      import fs from 'node:fs';
      import init, { validate, version } from 'spiderendpoint/web';
      const warnings = [];
      console.warn = (...a) => warnings.push(a.join(' '));
      const before = version;
      const wasmUrl = import.meta.resolve('spiderendpoint/spiderendpoint_bg.wasm');
      await init({ module_or_path: fs.readFileSync(new URL(wasmUrl)) });
      const rep = validate('apiVersion: spiderpool.spidernet.io/v2beta1\\nkind: SpiderEndpiont\\nmetadata: {name: a}\\n');
      process.stdout.write(JSON.stringify({ before, v: version, warnings, codes: rep.documents[0].diagnostics.map((d) => d.code) }));
    `]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.before, viaRequire.version);
    assert.equal(out.v, viaRequire.version);
    assert.deepEqual(out.warnings, [], 'init({ module_or_path }) is the current wasm-bindgen form: no deprecation warning');
    assert.ok(out.codes.includes('SE101'), out.codes.join());
  });

  test('findings are returned, never thrown: broken YAML gives a positioned SE003', () => {
    const r = nodeIn(inst, ['-e', `
      const se = require('spiderendpoint');
      const rep = se.validate('apiVersion: spiderpool.spidernet.io/v2beta1\\nkind: [SpiderEndpoint\\n');
      process.stdout.write(JSON.stringify(rep.diagnostics.map((d) => [d.code, d.severity, d.line > 0, d.column > 0])));
    `]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [['SE003', 'error', true, true]]);
  });

  test('normalize, convert and convertReview are callable from the package', () => {
    const v1 = readFileSync(path.join(ROOT, 'examples/valid/v1-replicaset.yaml'), 'utf8');
    const r = nodeIn(inst, ['-e', `
      const se = require('spiderendpoint');
      const v1 = require('node:fs').readFileSync(0, 'utf8');
      const conv = se.convert(v1, 'v2beta1');
      const norm = se.normalize(v1);
      let threw = false; try { se.convert(v1, 'v3'); } catch { threw = true; }
      process.stdout.write(JSON.stringify({ ok: conv.ok, out: conv.output, kinds: conv.changes.map((c) => c.kind),
        normOk: typeof norm.ok, threw }));
    `], { input: v1 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, true);
    assert.equal(out.normOk, 'boolean');
    assert.equal(out.threw, true, 'an unknown toVersion is misuse and throws');
    assert.match(out.out, /^apiVersion: spiderpool\.spidernet\.io\/v2beta1$/m);
    assert.deepEqual([...new Set(out.kinds)].sort(), ['changed', 'dropped', 'invented'], 'apiVersion changed, history dropped, uid invented');
  });
});

test('convertReview answers a ConversionReview (the webhook contract)', { timeout: 60_000 }, () => {
  const r = nodeIn(inst, ['-e', `
    const se = require('spiderendpoint');
    const v1 = { apiVersion: 'spiderpool.spidernet.io/v1', kind: 'SpiderEndpoint',
      metadata: { name: 'p', namespace: 'default',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '2f6c1a7e-93b4-4d0a-8e51-6b7c9d0e1f23' }] },
      status: { current: { containerID: 'abc', node: 'n1', ips: [{ interface: 'eth0', ipv4: '10.1.0.5/16', ipv4Pool: 'p4', vlan: 0 }] },
        ownerControllerType: 'None' } };
    const ask = (uid, objects) => se.convertReview({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview',
      request: { uid, desiredAPIVersion: 'spiderpool.spidernet.io/v2beta1', objects } });
    const ok = ask('req-1', [v1]);
    const noUid = structuredClone(v1); delete noUid.metadata.ownerReferences;
    const bad = ask('req-2', [noUid]);
    process.stdout.write(JSON.stringify({ ok, bad }));
  `]);
  assert.equal(r.code, 0, r.stderr);
  const { ok, bad } = JSON.parse(r.stdout);
  assert.equal(ok.kind, 'ConversionReview');
  assert.equal(ok.response.uid, 'req-1');
  assert.equal(ok.response.result.status, 'Success');
  const [obj] = ok.response.convertedObjects;
  assert.equal(obj.apiVersion, 'spiderpool.spidernet.io/v2beta1');
  assert.equal(obj.status.current.uid, '2f6c1a7e-93b4-4d0a-8e51-6b7c9d0e1f23');
  assert.equal(obj.status.ownerControllerType, 'Pod');
  assert.equal(bad.response.uid, 'req-2');
  assert.equal(bad.response.result.status, 'Failed');
  assert.match(bad.response.result.message, /SE403/);
});

describe('the bin', { timeout: 180_000 }, () => {
  test('npx spiderendpoint runs the installed bin offline', () => {
    const r = spawnSync('npx', ['--offline', '--no-install', 'spiderendpoint', '--version'], {
      cwd: inst.dir, encoding: 'utf8', env: inst.env, timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const pj = JSON.parse(readFileSync(path.join(inst.installed, 'package.json'), 'utf8'));
    assert.equal(r.stdout.trim(), pj.version);
  });

  test('the node_modules/.bin link validates a file', () => {
    const r = spawnSync(inst.bin, ['validate', path.join(ROOT, 'examples/valid/v2beta1-reference.yaml')], {
      cwd: inst.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1 file, 1 document: 1 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings, 0 infos\n');
  });
});
