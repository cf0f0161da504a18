// The work of tests/node/engine.test.mjs, run inside a child process on the installed package (this file is
// not a test: node --test runs only *.test.mjs). The test passes the API it imported (require, import or the
// browser entry) to one of these functions and prints the returned summary as JSON.
//
// Traps are forced through the engine's internal seam (`Symbol.for('spiderendpoint.engine')` on every API
// function: the current instance's raw wasm exports, and counters). No input is known to trap the engine
// after the core's fixes, so real traps are made the way real ones happen:
//   oom    - the instance's memory is grown to the 4 GiB limit, then a 4 MB input needs more: Rust's allocator
//            aborts, a RuntimeError (unreachable) in the middle of `validate`;
//   import - an import that the engine calls in the middle of a call throws (Uint8Array.prototype.set,
//            which the glue uses to copy bytes into wasm, is replaced for one call);
//   raw    - a raw export is called with an impossible argument (a 4 GiB allocation), outside any API call:
//            the next API call must notice and restart first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SEAM = Symbol.for('spiderendpoint.engine');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = (rel) => readFileSync(path.join(ROOT, 'examples', rel), 'utf8');
const INTERNAL = /^spiderendpoint: internal error in the engine \(/;

/** ~200 KB of valid SpiderEndpoints in one stream (distinct names and addresses). */
export function bigValid(bytes = 200 * 1024) {
  const ref = example('valid/v2beta1-reference.yaml');
  const docs = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = ref
      .replace('name: test-app-1-9dc78fb9-rs99d', `name: test-app-1-9dc78fb9-r${i}`)
      .replace('uid: e7b50a38-25c2-41d0-b332-7f619c69194e', `uid: e7b50a38-25c2-41d0-b332-${String(i).padStart(12, '0')}`)
      .replace('ipv4: 172.31.199.193/20', `ipv4: 172.31.${192 + (i >> 8) % 16}.${i % 256}/20`);
    docs.push(doc);
    size += doc.length + 4;
  }
  return docs.join('---\n');
}

function errorInfo(err) {
  if (!(err instanceof Error)) return { name: typeof err, message: String(err) };
  const cause = err.cause;
  return {
    name: err.name,
    ctor: err.constructor.name,
    message: err.message,
    cause: cause instanceof Error ? { ctor: cause.constructor.name, message: cause.message, isRuntimeError: cause instanceof WebAssembly.RuntimeError } : undefined,
  };
}

function attempt(f) {
  try {
    return { value: f() };
  } catch (err) {
    return { error: err };
  }
}

// --- Traps. Each returns what the caller saw (an error from the API call, or the raw trap).
export const TRAPS = {
  oom(se) {
    const mem = se.validate[SEAM].exports.memory;
    const pages = 65536 - mem.buffer.byteLength / 65536;
    mem.grow(pages); // throws if the host cannot reserve 4 GiB: the test then fails loudly
    return attempt(() => se.validate('x'.repeat(4 << 20)));
  },
  import(se) {
    // `set` lives on %TypedArray%.prototype; an own property of Uint8Array.prototype shadows it for one call.
    Object.defineProperty(Uint8Array.prototype, 'set', {
      configurable: true,
      writable: true,
      value() {
        throw new Error('injected failure of an import');
      },
    });
    try {
      return attempt(() => se.validate(new Uint8Array(Buffer.from('kind: SpiderEndpoint\n'))));
    } finally {
      delete Uint8Array.prototype.set;
    }
  },
  raw(se) {
    return attempt(() => se.validate[SEAM].exports.__wbindgen_malloc(0xfffffff0, 1));
  },
};

/** (a) Every kind of trap, each followed by a 200 KB input that must give the report it gave before. */
export function recovery(se) {
  const seam = se.validate[SEAM];
  const big = bigValid();
  const expected = JSON.stringify(se.validate(big));
  const report = JSON.parse(expected);
  const out = { bigBytes: big.length, documents: report.summary.documents, valid: report.summary.valid, traps: [] };
  for (const kind of ['oom', 'import', 'raw', 'oom']) {
    const before = seam.stats();
    const seen = TRAPS[kind](se);
    const after = attempt(() => JSON.stringify(se.validate(big)));
    const st = seam.stats();
    out.traps.push({
      kind,
      threw: seen.error ? errorInfo(seen.error) : null,
      returned: 'value' in seen,
      sameReportAfter: after.value === expected,
      afterError: after.error ? errorInfo(after.error) : null,
      restarts: st.restarts - before.restarts,
      newInstance: st.current !== before.current,
    });
  }
  // The stack, exhausted around a call: whatever happened, the next call is right.
  {
    const before = seam.stats();
    const r = onExhaustedStack(() => se.validate('kind: SpiderEndpoint\nmetadata: {name: [a, [b, [c]]]}\n'));
    const after = attempt(() => JSON.stringify(se.validate(big)));
    out.stack = {
      returned: 'value' in r,
      errors: r.errors.length,
      errorKinds: [...new Set(r.errors.map((e) => e.constructor.name))],
      restarts: seam.stats().restarts - before.restarts,
      sameReportAfter: after.value === expected,
    };
  }
  // Misuse does not restart anything.
  const st = seam.stats();
  const misuse = attempt(() => se.validate(42));
  out.misuse = errorInfo(misuse.error);
  out.createdByMisuse = seam.stats().created - st.created;
  out.stats = seam.stats();
  return out;
}

/**
 * Calls f with the JavaScript stack nearly exhausted: recurses until the stack overflows, then tries f at each
 * level on the way back until one call returns. The first tries overflow in JavaScript (before wasm is entered:
 * nothing to repair), the next ones inside wasm (a fault: the engine drops the instance; the caller may see the
 * RangeError itself, when even the engine's error cannot be built on the remaining stack). Errors are collected
 * and returned with the value.
 */
export function onExhaustedStack(f) {
  const errors = [];
  const dive = () => {
    let r;
    try {
      r = dive();
    } catch {
      r = undefined;
    }
    if (r !== undefined) return r;
    try {
      return { value: f() };
    } catch (err) {
      errors.push(err);
      return undefined;
    }
  };
  const r = dive() ?? {};
  return { ...r, errors };
}

// --- Misuse: calls that must throw a TypeError or Error, never touch the instance's health.
function detachedBytes() {
  const buf = new ArrayBuffer(16);
  const view = new Uint8Array(buf);
  structuredClone(buf, { transfer: [buf] });
  return view;
}
const throwing = () => {
  throw new Error('user code throws');
};
const hostileProxy = (target) => new Proxy(target, { get: throwing, getPrototypeOf: throwing, ownKeys: throwing, has: throwing, getOwnPropertyDescriptor: throwing });
const cyclic = () => {
  const o = { a: 1 };
  o.self = o;
  return o;
};

export function misuseCalls(se) {
  const text = example('valid/v2beta1-reference.yaml');
  const detached = detachedBytes();
  const proxyBytes = hostileProxy(new Uint8Array(8));
  const proxyOptions = hostileProxy({});
  const badJson = { toJSON: () => undefined };
  const throwJson = { toJSON: throwing };
  const getter = { get spiderpoolVersion() { throw new Error('getter'); } };
  return [
    // Found in JavaScript, before wasm is entered.
    ['toJSON undefined', () => se.validate(text, badJson)],
    ['detached Uint8Array', () => se.validate(detached)],
    ['Proxy input', () => se.normalize(proxyBytes)],
    ['Proxy options', () => se.validate(text, proxyOptions)],
    ['throwing toJSON', () => se.convert(text, 'v1', throwJson)],
    ['throwing getter', () => se.schema(getter)],
    ['number input', () => se.validate(42)],
    ['cyclic value', () => se.validateObject(cyclic())],
    ['BigInt value', () => se.validateObject({ n: 1n })],
    ['undefined value', () => se.validateObject(undefined)],
    ['null review', () => se.convertReview(null)],
    ['review toJSON undefined', () => se.convertReview(badJson)],
    ['string options', () => se.validate(text, 'strict')],
    // Found by the engine (a JsError returned by Rust): wasm is entered and returns normally.
    ['unknown toVersion', () => se.convert(text, 'v3')],
    ['wrong option type', () => se.validate(text, { maxDepth: 'deep' })],
    ['unknown spiderpool version', () => se.validate(text, { spiderpoolVersion: 'not-a-version' })],
  ];
}

/**
 * n calls taken in turn from `calls` (`[label, call]` pairs); `onThrow(label, err)` sees each exception.
 * Returns how many calls did not throw.
 */
function cycle(calls, n, onThrow) {
  let notThrown = 0;
  for (let i = 0; i < n; i++) {
    const [label, call] = calls[i % calls.length];
    try {
      call();
      notThrown++;
    } catch (err) {
      onThrow(label, err);
    }
  }
  return notThrown;
}

/** (b) n misuse calls in a loop, then valid calls that must still be right; no restart may happen. */
export function misuse(se, n) {
  const seam = se.validate[SEAM];
  const text = example('valid/list.yaml');
  const big = bigValid();
  const expected = [JSON.stringify(se.validate(text)), JSON.stringify(se.validate(big))];
  const before = seam.stats();
  const calls = misuseCalls(se);
  const seen = new Map(calls.map(([label]) => [label, { count: 0, ctor: new Set(), message: null }]));
  let internal = 0;
  const t0 = performance.now();
  const notThrown = cycle(calls, n, (label, err) => {
    const s = seen.get(label);
    s.count++;
    s.ctor.add(err.constructor.name);
    if (s.message === null) s.message = err.message;
    if (INTERNAL.test(err.message)) internal++;
  });
  const ms = performance.now() - t0;
  const after = [JSON.stringify(se.validate(text)), JSON.stringify(se.validate(big))];
  const st = seam.stats();
  return {
    n,
    ms,
    notThrown,
    internal,
    kinds: Object.fromEntries([...seen].map(([k, v]) => [k, { count: v.count, ctor: [...v.ctor], message: v.message }])),
    validAfter: after.map((a, i) => a === expected[i]),
    created: st.created - before.created,
    restarts: st.restarts - before.restarts,
    memoryBefore: before.memoryBytes,
    memoryAfter: st.memoryBytes,
  };
}

/**
 * The raw `spiderendpoint/web` API (no engine wrapper: the glue and src/wasm.rs alone) with misuse that used
 * to throw across the wasm frames (2,850 such calls exhausted the shadow stack). n calls, then valid calls.
 */
export function rawMisuse(web, n) {
  const text = example('valid/list.yaml');
  const expected = JSON.stringify(web.validate(text));
  const detached = detachedBytes();
  class LyingLength extends Uint8Array {
    get length() {
      throw new Error('length getter');
    }
  }
  const lying = new LyingLength(Buffer.from(text));
  const calls = [
    ['toJSON undefined', () => web.validate(text, { toJSON: () => undefined })],
    ['schema toJSON undefined', () => web.schema({ toJSON: () => undefined })],
    ['value toJSON undefined', () => web.validateObject({ toJSON: () => undefined })],
    ['detached Uint8Array', () => web.validate(detached)],
    ['Proxy input', () => web.validate(hostileProxy(new Uint8Array(8)))],
    ['Proxy options', () => web.validate(text, hostileProxy({}))],
    ['review with a throwing getter', () => web.convertReview({ get request() { throw new Error('getter'); } })],
  ];
  const seen = {};
  const notThrown = cycle(calls, n, (label, err) => {
    seen[label] ??= { ctor: err.constructor.name, message: err.message };
  });
  // A subclass whose `length` getter throws is read through its internal slots: not misuse.
  const viaSubclass = attempt(() => JSON.stringify(web.validate(lying)));
  return { n, notThrown, seen, validAfter: JSON.stringify(web.validate(text)) === expected, subclass: viaSubclass.value === expected };
}

// --- (c) The soak.
function hostileInputs() {
  const laughs = example('invalid/billion-laughs.yaml');
  const ref = example('valid/v2beta1-reference.yaml');
  const list = example('valid/list.yaml');
  const aliasBomb = (n, scalar) => `a: &a ${'x'.repeat(scalar)}\nb: [${Array(n).fill('*a').join(', ')}]\n`;
  const garbage = (seed, len) => {
    const b = new Uint8Array(len);
    let x = seed >>> 0;
    for (let i = 0; i < len; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      b[i] = x >>> 24;
    }
    return b;
  };
  const cheap = [
    (se) => se.validate('['.repeat(10_000)),
    (se) => se.validate('{'.repeat(5_000) + '}'.repeat(4_000)),
    (se) => se.normalize('['.repeat(3_000) + ']'.repeat(3_000), { maxDepth: 1e9 }),
    (se) => se.validate(aliasBomb(200, 1024)),
    (se) => se.normalize(aliasBomb(300, 512)),
    (se) => se.convert(aliasBomb(300, 512), 'v2beta1'),
    (se) => se.validate(new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a])),
    (se) => se.validate('kind: Spider\0Endpoint\n\0\0'),
    (se, i) => se.validate(garbage(i, 2048)),
    (se, i) => se.normalize(garbage(i + 1, 512)),
    (se) => se.validate(list, { maxBytes: 10 }),
    (se) => se.validate(laughs, { maxAliasNodes: 1 }),
    (se) => se.validate(ref.replace('vlan: 0', `vlan: ${'9'.repeat(40)}`)),
    (se) => se.validate(`\ufeff${ref}`.replace(/\n/g, '\r\n')),
    (se) => se.convert(ref, 'v1', { lossless: true, maxDepth: 0 }),
    (se) => se.validateObject({ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderEndpoint', status: { current: { ips: Array(50).fill({ vlan: -1 }) } } }),
    (se) => se.convertReview({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'u', desiredAPIVersion: 'spiderpool.spidernet.io/v1', objects: [1, 'x', null, { kind: 'SpiderEndpoint' }] } }),
  ];
  const heavy = [
    (se) => se.validate(laughs),
    (se) => se.validate(`${'- '.repeat(10_000)}x\n`),
    (se) => se.normalize(`${'- '.repeat(20_000)}x\n`, { maxDepth: 1e9 }),
    (se) => se.validate(aliasBomb(2000, 8192)),
    (se) => se.validate(`kind: ${'x'.repeat(1 << 20)}\n`),
    (se) => se.validate(Array(500).fill(ref).join('---\n')),
    (se) => onExhaustedStack(() => se.validate(aliasBomb(50, 64))),
  ];
  return { cheap, heavy };
}

function validCalls(se) {
  const files = ['valid/list.yaml', 'valid/stream.yaml', 'valid/v1-replicaset.yaml', 'valid/v1-statefulset.yaml',
    'valid/v2beta1-dual-stack.json', 'valid/v2beta1-multi-nic.yaml', 'valid/v2beta1-query-api.yaml', 'valid/v2beta1-reference.yaml',
    'invalid/kind-typo.yaml', 'invalid/list-bad-item.yaml', 'invalid/stream-conflicts.yaml', 'invalid/syntax-error.yaml',
    'invalid/v1-no-container-id.yaml', 'invalid/v2beta1-errors.yaml', 'invalid/wrong-types.json'];
  const calls = [];
  for (const f of files) {
    const text = example(f);
    const bytes = new Uint8Array(Buffer.from(text));
    calls.push([`validate ${f}`, () => se.validate(text)]);
    calls.push([`validate bytes ${f}`, () => se.validate(bytes, { spiderpoolVersion: '1.2' })]);
    calls.push([`normalize ${f}`, () => se.normalize(text)]);
    calls.push([`convert v1 ${f}`, () => se.convert(text, 'v1')]);
    calls.push([`convert v2beta1 ${f}`, () => se.convert(bytes, 'v2beta1', { lossless: true })]);
  }
  const obj = JSON.parse(example('valid/v2beta1-dual-stack.json'));
  calls.push(['validateObject', () => se.validateObject(obj)]);
  const v1 = {
    apiVersion: 'spiderpool.spidernet.io/v1', kind: 'SpiderEndpoint',
    metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '2f6c1a7e-93b4-4d0a-8e51-6b7c9d0e1f23' }] },
    status: { current: { containerID: 'abc', node: 'n1', ips: [{ interface: 'eth0', ipv4: '10.1.0.5/16', ipv4Pool: 'p4', vlan: 0 }] }, ownerControllerType: 'None' },
  };
  calls.push(['convertReview', () => se.convertReview({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'r', desiredAPIVersion: 'spiderpool.spidernet.io/v2beta1', objects: [v1] } })]);
  calls.push(['rules', () => se.rules()]);
  calls.push(['schema', () => se.schema({ spiderpoolVersion: '0.6', apiVersion: 'v2beta1' })]);
  class LyingLength extends Uint8Array {
    get length() {
      throw new Error('length getter');
    }
  }
  const lying = new LyingLength(Buffer.from(example('valid/list.yaml')));
  calls.push(['Uint8Array subclass with a throwing length getter', () => se.validate(lying)]);
  const big = bigValid();
  const bigCall = ['validate 200 KB', () => se.validate(big)];
  return { calls, bigCall };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
async function collect() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await settle();
  }
}

/**
 * (c) One process, `total` calls: mostly valid inputs (each compared with the answer a fresh engine gave at the
 * start), misuse, hostile inputs, and a trap every 1,000th call. Needs --expose-gc. Reports what it saw and the
 * memory at the start (after a warm-up) and at the end.
 */
export async function soak(se, total = 100_000) {
  const seam = se.validate[SEAM];
  const { calls, bigCall } = validCalls(se);
  const expected = new Map(calls.concat([bigCall]).map(([label, call]) => [label, JSON.stringify(call())]));
  const { cheap, heavy } = hostileInputs();
  const misuses = misuseCalls(se);
  const trapKinds = ['oom', 'import', 'raw'];
  const r = {
    total, valid: 0, validWrong: 0, firstWrong: null, validThrew: 0, firstValidError: null,
    hostile: 0, hostileInternal: 0, hostileOther: 0, firstHostileOther: null,
    misuse: 0, misuseNotThrown: 0, misuseInternal: 0, traps: {}, trapsUnseen: 0, internalSeen: 0, rawTraps: 0,
  };

  const step = (i) => {
    if (i % 1000 === 999) {
      const kind = trapKinds[(i / 1000 | 0) % trapKinds.length];
      const seen = TRAPS[kind](se);
      r.traps[kind] = (r.traps[kind] || 0) + 1;
      if (kind === 'raw') {
        if (seen.error instanceof WebAssembly.RuntimeError) r.rawTraps++;
        else r.trapsUnseen++;
      } else if (seen.error && INTERNAL.test(seen.error.message)) r.internalSeen++;
      else r.trapsUnseen++;
      return;
    }
    const slot = i % 20;
    if (slot === 0 || slot === 10) {
      r.hostile++;
      const h = i % 1000 === 500 ? heavy[(i / 1000 | 0) % heavy.length] : cheap[(i / 10 | 0) % cheap.length];
      try {
        const out = h(se, i);
        if (typeof out !== 'object' || out === null) throw new Error(`hostile input returned ${typeof out}`);
      } catch (err) {
        if (err instanceof Error && INTERNAL.test(err.message)) {
          r.hostileInternal++;
          r.internalSeen++;
        } else if (err instanceof RangeError && /call stack/.test(err.message)) {
          // the deep-recursion case ran out of JavaScript stack before entering wasm
        } else {
          r.hostileOther++;
          r.firstHostileOther ??= errorInfo(err);
        }
      }
      return;
    }
    if (slot === 5 || slot === 15 || slot === 7) {
      r.misuse++;
      const [, call] = misuses[(i / 20 | 0) % misuses.length];
      try {
        call();
        r.misuseNotThrown++;
      } catch (err) {
        if (INTERNAL.test(err.message)) r.misuseInternal++;
      }
      return;
    }
    r.valid++;
    const [label, call] = i % 500 === 250 ? bigCall : calls[(i * 7 + (i / 20 | 0)) % calls.length];
    try {
      const json = JSON.stringify(call());
      if (json !== expected.get(label)) {
        r.validWrong++;
        r.firstWrong ??= { i, label };
      }
    } catch (err) {
      r.validThrew++;
      r.firstValidError ??= { i, label, ...errorInfo(err) };
    }
  };

  // Warm-up: a first slice of the same mix, then the baseline.
  const WARM = 2_000;
  const t0 = performance.now();
  for (let i = 0; i < WARM; i++) step(i);
  await collect();
  r.baselineRss = process.memoryUsage().rss;
  r.baselineStats = seam.stats();
  for (let i = WARM; i < total; i++) {
    step(i);
    if (i % 10_000 === 0) await settle(); // let finalizers run now and then, as an event loop would
  }
  r.ms = performance.now() - t0;
  // The last call of all: a valid one.
  const [label, call] = calls[0];
  r.lastValid = JSON.stringify(call()) === expected.get(label);
  await collect();
  r.endRss = process.memoryUsage().rss;
  r.stats = seam.stats();
  return r;
}
