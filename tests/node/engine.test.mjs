// The engine wrapper of the installed package (pkg/engine.mjs, built into dist/): it survives traps (a fresh
// wasm instance after any fault), misuse leaks nothing, and a long mixed run stays correct with flat memory.
// Each scenario runs in its own child process on the packed, installed package, through the entry under test
// (require, import, or the browser entry); the work is in tests/node/engine-child.mjs.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, nodeIn } from './helpers.mjs';

const inst = installPackage(after);
const CHILD = JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-child.mjs'));
const INTERNAL = /^spiderendpoint: internal error in the engine \(.+\); the engine was restarted — please report this input$/;

// Node's fetch cannot read file: URLs; for the browser entry, this shim answers them like a static server.
const shim = path.join(inst.tmp, 'fetch-shim.mjs');
writeFileSync(shim, `
  import { readFile } from 'node:fs/promises';
  const real = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'file:') return real(input, init);
    return new Response(await readFile(url), { headers: { 'content-type': 'application/wasm' } });
  };
`);

const ENTRIES = {
  require: { args: [], load: `const se = createRequire(process.cwd() + '/')('spiderendpoint');` },
  import: { args: [], load: `const se = await import('spiderendpoint');` },
  browser: { args: ['--conditions=browser', '--import', shim], load: `const se = await import('spiderendpoint');` },
};

/** Runs `call` (an expression over `se` and the child module `child`) in a child process; returns its JSON. */
function run(entry, call, { nodeArgs = [], timeout = 120_000 } = {}) {
  const { args, load } = ENTRIES[entry];
  const code = `
    import { createRequire } from 'node:module';
    import * as child from ${CHILD};
    ${load}
    const out = await (${call});
    process.stdout.write(JSON.stringify(out));
  `;
  const r = nodeIn(inst, [...nodeArgs, ...args, '--input-type=module', '-e', code], { timeout });
  assert.equal(r.code, 0, `${entry}: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('after a trap, the engine runs on a fresh instance', { timeout: 300_000 }, () => {
  for (const entry of Object.keys(ENTRIES)) {
    test(`${entry}: out of memory, a failing import and a raw trap, each followed by a 200 KB input`, () => {
      const out = run(entry, 'child.recovery(se)');
      assert.ok(out.bigBytes >= 200 * 1024, `${out.bigBytes} bytes`);
      assert.ok(out.documents > 300 && out.valid === out.documents, JSON.stringify(out));
      const [oom, imp, raw, oom2] = out.traps;
      // A trap inside an API call: a clear Error, with the RuntimeError as its cause.
      for (const t of [oom, oom2]) {
        assert.equal(t.kind, 'oom');
        assert.equal(t.threw?.ctor, 'Error', JSON.stringify(t));
        assert.match(t.threw.message, INTERNAL);
        assert.match(t.threw.message, /\(RuntimeError: unreachable\)/);
        assert.equal(t.threw.cause.isRuntimeError, true);
      }
      // An import that throws in the middle of a call: the same, with that exception as the cause.
      assert.match(imp.threw.message, INTERNAL);
      assert.deepEqual(imp.threw.cause, { ctor: 'Error', message: 'injected failure of an import', isRuntimeError: false });
      // A trap outside any API call (through the raw exports): the next call notices and restarts first.
      assert.equal(raw.threw.ctor, 'RuntimeError');
      for (const t of out.traps) {
        assert.equal(t.sameReportAfter, true, `${t.kind}: the 200 KB input after the trap: ${JSON.stringify(t.afterError)}`);
        assert.equal(t.restarts, 1, `${t.kind}: one restart`);
        assert.equal(t.newInstance, true);
      }
      // The stack exhausted around a call: a value in the end, and the next call is right.
      assert.equal(out.stack.returned, true);
      assert.equal(out.stack.sameReportAfter, true);
      // Misuse throws a TypeError and restarts nothing.
      assert.deepEqual([out.misuse.ctor, out.misuse.message], ['TypeError', 'input must be a string or a Uint8Array']);
      assert.equal(out.createdByMisuse, 0);
    });
  }

  test('an instance whose memory grew past the recycling threshold is replaced after the call', () => {
    const out = run('require', `(() => {
      const seam = se.validate[Symbol.for('spiderendpoint.engine')];
      const text = 'kind: SpiderEndpoint\\n';
      const expected = JSON.stringify(se.validate(text));
      const before = seam.stats();
      seam.exports.memory.grow(before.recycleBytes / 65536);
      const same = JSON.stringify(se.validate(text)) === expected;
      const mid = seam.stats();
      const again = JSON.stringify(se.validate(text)) === expected;
      return { before, mid, after: seam.stats(), same, again };
    })()`);
    assert.equal(out.same, true);
    assert.equal(out.again, true);
    assert.equal(out.mid.recycled, 1, JSON.stringify(out));
    assert.equal(out.mid.restarts, 0);
    assert.equal(out.mid.current, null, 'dropped after the call that grew it');
    assert.ok(out.after.memoryBytes < out.before.recycleBytes / 8, JSON.stringify(out.after));
  });
});

describe('misuse leaks nothing', { timeout: 300_000 }, () => {
  test('a million misuse calls through the package, then valid calls are still right (no restart)', () => {
    const out = run('require', 'child.misuse(se, 1_000_000)');
    assert.equal(out.notThrown, 0);
    assert.equal(out.internal, 0);
    assert.deepEqual(out.validAfter, [true, true]);
    assert.equal(out.created, 0, 'no new instance');
    assert.equal(out.restarts, 0);
    assert.equal(out.memoryAfter, out.memoryBefore, 'wasm memory did not grow');
    const k = out.kinds;
    for (const [label, v] of Object.entries(k)) assert.ok(v.count > 50_000, `${label}: ${v.count}`);
    // Found in JavaScript: TypeErrors, before wasm is entered.
    for (const label of ['toJSON undefined', 'detached Uint8Array', 'Proxy input', 'Proxy options', 'throwing toJSON', 'throwing getter',
      'number input', 'cyclic value', 'BigInt value', 'undefined value', 'null review', 'review toJSON undefined', 'string options']) {
      assert.deepEqual(k[label].ctor, ['TypeError'], label);
    }
    assert.equal(k['toJSON undefined'].message, 'options are not JSON-serializable');
    assert.equal(k['detached Uint8Array'].message, 'input is a detached or out-of-bounds Uint8Array');
    assert.equal(k['Proxy input'].message, 'input must be a string or a Uint8Array');
    assert.match(k['Proxy options'].message, /^options are not JSON-serializable \(Error: user code throws\)$/);
    assert.match(k['cyclic value'].message, /^value is not JSON-serializable \(TypeError: Converting circular structure/);
    assert.equal(k['null review'].message, 'review must be an object (a ConversionReview)');
    // Found by the engine: Errors thrown after the wasm call returned.
    assert.deepEqual(k['unknown toVersion'], { count: k['unknown toVersion'].count, ctor: ['Error'], message: 'toVersion must be "v1" or "v2beta1"' });
    assert.match(k['wrong option type'].message, /^invalid options: /);
    assert.deepEqual(k['unknown spiderpool version'].ctor, ['Error']);
  });

  test('the ES module entry: 200,000 misuse calls, then valid calls are still right', () => {
    const out = run('import', 'child.misuse(se, 200_000)');
    assert.equal(out.notThrown, 0);
    assert.deepEqual(out.validAfter, [true, true]);
    assert.equal(out.created, 0);
  });

  test("the raw 'spiderendpoint/web' API: misuse that used to unwind the wasm frames now throws cleanly", () => {
    const out = run('import', `(async () => {
      const web = await import('spiderendpoint/web');
      const fs = await import('node:fs');
      web.initSync({ module: fs.readFileSync(new URL(import.meta.resolve('spiderendpoint/spiderendpoint_bg.wasm'))) });
      return child.rawMisuse(web, 100_000);
    })()`);
    assert.equal(out.notThrown, 0, JSON.stringify(out.seen));
    assert.equal(out.validAfter, true, 'a valid call after 100,000 misuse calls');
    assert.equal(out.subclass, true, 'a Uint8Array subclass is read through its internal slots');
    assert.deepEqual(out.seen['toJSON undefined'], { ctor: 'Error', message: 'options are not JSON-serializable' });
    assert.deepEqual(out.seen['schema toJSON undefined'], { ctor: 'Error', message: 'options are not JSON-serializable' });
    assert.deepEqual(out.seen['value toJSON undefined'], { ctor: 'Error', message: 'value is not JSON-serializable' });
    assert.deepEqual(out.seen['detached Uint8Array'], { ctor: 'Error', message: 'input is a detached or out-of-bounds Uint8Array' });
    assert.deepEqual(out.seen['Proxy input'], { ctor: 'Error', message: 'input must be a string or a Uint8Array' });
  });
});

test('soak: 100,000 calls in one process mixing valid input, misuse, hostile input and traps', { timeout: 300_000 }, () => {
  const r = run('require', 'child.soak(se, 100_000)', { nodeArgs: ['--expose-gc'], timeout: 240_000 });
  const MB = 1024 * 1024;
  const summary = `${(r.ms / 1000).toFixed(1)} s; rss ${(r.baselineRss / MB).toFixed(0)} -> ${(r.endRss / MB).toFixed(0)} MiB; ` +
    `stats ${JSON.stringify(r.stats)}; valid ${r.valid}, misuse ${r.misuse}, hostile ${r.hostile} (${r.hostileInternal} internal errors), traps ${JSON.stringify(r.traps)}`;
  console.log(`# soak: ${summary}`);
  assert.equal(r.total, 100_000);
  // Every valid input gave its expected answer, to the end.
  assert.equal(r.validThrew, 0, JSON.stringify(r.firstValidError));
  assert.equal(r.validWrong, 0, JSON.stringify(r.firstWrong));
  assert.ok(r.valid > 60_000, summary);
  assert.equal(r.lastValid, true);
  // Misuse always threw, never as an internal error; hostile input gave a report or, at worst, an internal error.
  assert.equal(r.misuseNotThrown, 0);
  assert.equal(r.misuseInternal, 0);
  assert.equal(r.hostileOther, 0, JSON.stringify(r.firstHostileOther));
  // Every forced trap was seen, and each one cost exactly one restart (plus stack-overflow faults, if any).
  assert.equal(r.trapsUnseen, 0);
  assert.deepEqual(r.traps, { oom: 34, import: 33, raw: 33 });
  assert.ok(r.stats.restarts >= r.internalSeen + r.rawTraps, summary);
  assert.ok(r.internalSeen >= 66, summary);
  // Memory: one live instance, its wasm memory under the recycling threshold, the process back near its baseline.
  assert.equal(r.stats.live, 1, summary);
  assert.ok(r.stats.memoryBytes <= r.stats.recycleBytes, summary);
  assert.ok(r.endRss < r.baselineRss + 64 * MB, summary);
});
