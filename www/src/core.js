// The wasm core in the page: compiled once, instantiated in the main thread (small inputs, instant
// feedback) and in a Web Worker (big or slow inputs) that gets the same compiled module.
//
// Robustness (see www/README.md, "When the core fails or is slow"):
// - A trap (RuntimeError: unreachable, out of bounds, a stack overflow...) leaves a wasm instance in an
//   unknown state, so an instance that trapped is never used again. In the worker: the worker is
//   terminated and the next call starts a fresh one (from the same compiled module). In the page: later
//   calls go to the worker (or, without workers, to a fresh instance in a new glue scope).
// - A worker that dies (uncaught error) or takes longer than WORKER_TIMEOUT_MS is terminated and replaced.
// - Main-thread time budget: a check that took longer than MAIN_BUDGET_MS (in the page or in the worker)
//   moves every later call of the session to the worker. The first check of a document the page loads by
//   itself (saved draft, share link) always runs in the worker (`preferWorker`), and only a quick result
//   there lets later calls come back to the main thread. So reloading a page whose draft froze it cannot
//   freeze it again.
//
// Two builds of the core (see scripts/build.sh): the page starts with the validate-only module (the
// smaller download before the first diagnostic), and loads the full one (audit, normalize, convert) the first
// time one of those is asked for; from then on every call, validate included, uses the full module, in
// the page and in a fresh worker (the validate-only worker finishes its pending calls, then stops).
import { flattenAudit, flattenReport } from './report.js';
import { isMisuse, trapInstance } from './failure.js';

/** Inputs longer than this (UTF-16 code units, ~200 KB) are processed in the worker. */
export const WORKER_THRESHOLD = 200_000;
/** A call that takes longer than this (ms) moves the rest of the session to the worker. */
export const MAIN_BUDGET_MS = 50;
/**
 * The budget of the first call of each operation on an instance: the engine compiles the wasm functions
 * it reaches lazily, so a first call takes 45-75 ms even for a 500-byte document (measured in Chromium).
 */
export const COLD_BUDGET_MS = 250;
/** A worker call that takes longer than this is stopped (the worker is terminated and replaced). */
export const WORKER_TIMEOUT_MS = 60_000;

const WORKER_URL = new URL('./worker.js', import.meta.url);
/** The builds of the core the page can load: each a wasm-bindgen `web` glue, its .wasm and its operations. */
export const TIERS = {
  validate: {
    name: 'validate',
    glue: new URL('./spiderendpoint_validate.js', import.meta.url),
    wasm: new URL('./spiderendpoint_validate_bg.wasm', import.meta.url),
    ops: ['validate'],
  },
  full: {
    name: 'full',
    glue: new URL('./spiderendpoint.js', import.meta.url),
    wasm: new URL('./spiderendpoint_bg.wasm', import.meta.url),
    ops: ['validate', 'audit', 'normalize', 'convert'],
  },
};

/**
 * Test hooks, only when the page was opened with `window.__SE_TEST_HOOKS__ = true` set before its
 * scripts ran (Playwright's addInitScript). Page content cannot set it: the CSP allows no inline script.
 */
const TEST_HOOKS = globalThis.__SE_TEST_HOOKS__ === true;

const modulePromises = new Map();
function compileModule(tier) {
  if (!modulePromises.has(tier.name)) {
    const p = (async () => {
      const res = await fetch(tier.wasm);
      if (!res.ok) throw new Error(`could not load ${tier.wasm.pathname} (HTTP ${res.status})`);
      const type = res.headers.get('content-type') || '';
      if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) return WebAssembly.compileStreaming(res);
      return WebAssembly.compile(await res.arrayBuffer());
    })();
    modulePromises.set(tier.name, p);
    p.catch(() => modulePromises.delete(tier.name));  // a failed download may be tried again
  }
  return modulePromises.get(tier.name);
}

/** A fresh instance of a tier's module: its glue imported (in a new scope when `scope` is given), then init. */
async function instantiate(tier, module, scope) {
  const url = new URL(tier.glue);
  if (scope) url.searchParams.set('instance', String(scope));
  const api = await import(url.href);
  const raw = await api.default({ module_or_path: module });
  return { api, raw, warm: new Set() };
}

/** The worker could not be started (blocked, unsupported): the page runs the core itself. */
class WorkerUnavailable extends Error {}

/**
 * The core failed on an input (a trap, a dead or stuck worker), as opposed to a misuse error (a wrong
 * argument, which the core reports by throwing a plain Error). The instance that failed is gone.
 */
export class CoreCrash extends Error {
  constructor(message, { where, reason }) {
    super(message);
    this.name = 'CoreCrash';
    this.where = where;     // 'main' | 'worker'
    this.reason = reason;   // 'trap' | 'died' | 'timeout'
  }
}

function describe(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function crashMessage(detail, inWorker = false) {
  return `The checker crashed (${detail}). It was restarted${inWorker ? ' in a worker' : ''}; the next check uses a fresh instance.`;
}

let workerCount = 0;

class CoreWorker {
  constructor(module, glue, onGone) {
    this.nextId = 1;
    this.calls = new Map();   // id -> {resolve, reject, msg, timer}
    this.gone = false;
    this.started = false;
    this.onGone = onGone;
    this.serial = ++workerCount;
    this.warm = new Set();    // operations that ran once already on this instance (see COLD_BUDGET_MS)
    try {
      this.worker = new Worker(WORKER_URL, { type: 'module', name: `spiderendpoint-core-${this.serial}` });
    } catch (err) {
      throw new WorkerUnavailable(err.message);
    }
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') { this.started = true; return resolve(); }
        if (m.type === 'init-error') return reject(new WorkerUnavailable(m.error));
        const call = this.calls.get(m.id);
        if (!call) return;
        this.calls.delete(m.id);
        clearTimeout(call.timer);
        if (m.crashed) {
          // The instance trapped: it is never used again; calls queued behind this one move to a new worker.
          call.reject(new CoreCrash(crashMessage(m.error), { where: 'worker', reason: 'trap' }));
          this.retire({ requeue: true });
        } else if ('error' in m) {
          call.reject(new Error(m.error));
        } else {
          call.resolve({ result: m.result, ms: m.ms });
        }
        if (this.draining && this.calls.size === 0) this.stop();
      };
      const died = (e, what) => {
        e.preventDefault?.();
        if (!this.started) {
          reject(new WorkerUnavailable(e.message || what));
          return;
        }
        this.fail(new CoreCrash(`The checker's worker stopped (${e.message || what}). It was restarted; the next check uses a fresh instance.`,
          { where: 'worker', reason: 'died' }));
      };
      this.worker.onerror = (e) => died(e, 'the core worker failed');
      this.worker.onmessageerror = (e) => died(e, 'a message could not be read');
    });
    this.worker.postMessage({ type: 'init', module, glue: glue.href, testHooks: TEST_HOOKS });
    this.ready.catch(() => this.retire({ requeue: false }));
  }
  /** No new calls come here (the core moved to another module): stops once the pending calls are answered. */
  drain() {
    this.draining = true;
    if (this.calls.size === 0) this.stop();
  }
  /** Terminates an idle, draining worker (not a failure: nothing is re-sent or counted as a restart). */
  stop() {
    if (this.gone) return;
    this.gone = true;
    this.worker.terminate();
  }
  /** Rejects every pending call with `err` and retires the worker. */
  fail(err) {
    for (const c of this.calls.values()) { clearTimeout(c.timer); c.reject(err); }
    this.calls.clear();
    this.retire({ requeue: false });
  }
  /** Terminates the worker; pending calls are handed to the owner to be re-sent (requeue) or dropped. */
  retire({ requeue }) {
    if (this.gone) return;
    this.gone = true;
    this.worker.terminate();
    const pending = [...this.calls.values()];
    this.calls.clear();
    for (const c of pending) clearTimeout(c.timer);
    this.onGone(this, requeue ? pending : []);
    if (!requeue) for (const c of pending) c.reject(new CoreCrash('The checker was restarted.', { where: 'worker', reason: 'died' }));
  }
  async call(msg, transfer, timeoutMs = WORKER_TIMEOUT_MS) {
    await this.ready;
    if (this.gone) throw new CoreCrash('The checker was restarted.', { where: 'worker', reason: 'died' });
    return new Promise((resolve, reject) => this.send({ resolve, reject, msg, transfer, timeoutMs }));
  }
  send(call) {
    const id = this.nextId++;
    const timeoutMs = call.timeoutMs ?? WORKER_TIMEOUT_MS;
    call.timer = setTimeout(() => {
      if (!this.calls.has(id)) return;
      // Stuck (or far too slow): this call fails, the calls queued behind it move to a fresh worker.
      this.calls.delete(id);
      call.reject(new CoreCrash(`The check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. The checker was restarted.`,
        { where: 'worker', reason: 'timeout' }));
      this.retire({ requeue: true });
    }, timeoutMs);
    this.calls.set(id, call);
    this.worker.postMessage({ ...call.msg, id }, call.transfer || []);
  }
}

/** Runs one operation on a wasm-bindgen glue module (the page's, or a fresh one after a trap). */
function runOn(api, op, input, to, options) {
  if (op === 'validate') {
    // null: the validate-only module does not read this input (outside the block YAML subset).
    const report = api.validate(input, options);
    return report === null ? null : flattenReport(report);
  }
  if (op === 'audit') return flattenAudit(api.audit([{ name: 'editor', text: input }], options));
  if (op === 'normalize') return api.normalize(input, options);
  if (op === 'convert') return api.convert(input, to, options);
  throw new Error(`unknown operation ${op}`);
}

export class Core {
  /** Loads and instantiates the wasm core (its validate-only build) in this thread. */
  static async load() {
    const tier = TIERS.validate;
    const module = await compileModule(tier);
    return new Core(tier, module, await instantiate(tier, module));
  }
  constructor(tier, module, main) {
    this.tier = tier;        // the build in use (TIERS): validate-only until normalize or convert is asked for
    this.module = module;
    this.main = main;        // the main-thread instance {api, raw, warm}; null once it trapped
    this.upgrading = null;
    this.glueScopes = 0;
    this.worker = null;
    this.workerUnavailable = typeof Worker !== 'function';
    this.version = main.api.version();
    /** Why calls go to the worker whatever their size (null: small inputs run in the page). */
    this.offMain = null;
    this.trustGen = 0;
    this.restarts = { main: 0, worker: 0 };
    /**
     * Test hooks (null unless enabled, see TEST_HOOKS). trapNext: the next call traps its instance
     * ('main' | 'worker') or kills the worker ('worker-die'); slowMainMs: main-thread calls take at least
     * this long (a simulated slow core; initial value from window.__SE_TEST_SLOW_MAIN_MS__).
     */
    this.test = TEST_HOOKS
      ? { trapNext: null, slowMainMs: Number(globalThis.__SE_TEST_SLOW_MAIN_MS__) || 0, core: this }
      : null;
  }
  /** Whether the core can run an operation (normalize/convert load the full module on first use). */
  has(op) {
    return this.tier.ops.includes(op) || TIERS.full.ops.includes(op);
  }
  /**
   * Moves the core to the full module (once): compiled, instantiated in the page, and used by a new worker;
   * the validate-only worker answers what it has queued, then stops.
   */
  upgrade() {
    this.upgrading ??= (async () => {
      const tier = TIERS.full;
      const module = await compileModule(tier);
      const main = this.main ? await instantiate(tier, module) : null;
      this.tier = tier;
      this.module = module;
      // The operations the page's instance ran keep the normal budget on the new one: a slow check right
      // after the switch still moves the session to the worker, as it would have without the switch.
      if (this.main) this.main = { ...main, warm: this.main.warm };
      const old = this.worker;
      this.worker = null;
      old?.drain();
    })();
    this.upgrading.catch(() => { this.upgrading = null; });
    return this.upgrading;
  }
  /**
   * The next calls run in the worker until one comes back within the budget there. For documents the
   * page loads by itself (draft, share link): a check that froze the page must not run on load again.
   */
  preferWorker(reason = 'loaded document') {
    if (this.offMain === null || this.offMain.sticky === false) this.offMain = { reason, sticky: false };
    this.trustGen++;
  }
  /** Where the next call with this input runs. */
  placeFor(input) {
    if (this.workerUnavailable) return 'main';
    if (input.length > WORKER_THRESHOLD || this.offMain || !this.main) return 'worker';
    return 'main';
  }
  getWorker() {
    if (!this.worker) {
      this.worker = new CoreWorker(this.module, this.tier.glue, (w, pending) => {
        if (this.worker === w) this.worker = null;
        if (w.started) this.restarts.worker++;
        // Calls that were queued behind a trapping one run again on a fresh worker.
        for (const c of pending) {
          try { this.getWorker().call(c.msg, c.transfer, c.timeoutMs).then(c.resolve, c.reject); } catch (err) { c.reject(err); }
        }
      });
    }
    return this.worker;
  }
  /** A fresh main-thread instance in a new glue scope (used only when workers are unavailable). */
  async freshMain() {
    this.main = await instantiate(this.tier, this.module, ++this.glueScopes);
  }
  /**
   * Runs one operation: in the worker for big inputs (and after a slow or failed main-thread call), else
   * in the page. `input` is a string or (validate only) UTF-8 bytes.
   * Resolves {result, ms, where: 'main'|'worker'}; validate's result is flattened (see report.js).
   * Rejects with CoreCrash when the instance failed (it has been replaced), with Error for misuse.
   */
  async run(op, input, args = {}) {
    if (!this.tier.ops.includes(op)) await this.upgrade();
    const res = await this.runOnce(op, input, args);
    if (res.result !== null) return res;
    // The validate-only module reads the block YAML that Kubernetes tools write; for anything else (JSON,
    // flow collections, anchors, block scalars...) it answers null and the full module is loaded.
    await this.upgrade();
    return this.runOnce(op, input, args);
  }
  async runOnce(op, input, { to, options } = {}) {
    const trap = this.test?.trapNext ?? null;
    if (trap) this.test.trapNext = null;
    const gen = this.trustGen;
    let where = trap === 'main' ? 'main' : trap ? 'worker' : this.placeFor(input);
    if (where === 'worker') {
      try {
        const msg = { op, text: input, to, options };
        if (trap === 'worker') msg.testTrap = true;
        if (trap === 'worker-die') msg.testDie = true;
        const w = this.getWorker();
        const { result, ms } = await w.call(msg);
        // A null answer (the validate-only module cannot read this input) checked nothing: it neither
        // ends preferWorker nor counts against the budget; the full module's call that follows does.
        if (result !== null) this.account(ms, 'worker', gen, this.coldCall(w.warm, op));
        return { result, ms, where: 'worker' };
      } catch (err) {
        if (!(err instanceof WorkerUnavailable)) throw err;
        // No worker (blocked, or not supported here): carry on in this thread.
        this.workerUnavailable = true;
        this.worker = null;
        console.info(`spiderendpoint: running the core in the page (${err.message})`);
        where = 'main';
      }
    }
    if (!this.main) await this.freshMain();
    const { api, raw, warm } = this.main;
    const t0 = performance.now();
    let result;
    try {
      if (trap === 'main') trapInstance(raw);
      if (this.test?.slowMainMs) while (performance.now() - t0 < this.test.slowMainMs) { /* simulated slow core */ }
      result = runOn(api, op, input, to, options);
    } catch (err) {
      if (isMisuse(err)) throw err;
      // The instance trapped: never use it again.
      this.main = null;
      this.restarts.main++;
      if (!this.workerUnavailable) this.offMain = { reason: 'the core crashed in the page', sticky: true };
      throw new CoreCrash(crashMessage(describe(err), !this.workerUnavailable), { where: 'main', reason: 'trap' });
    }
    const ms = performance.now() - t0;
    if (result !== null) this.account(ms, 'main', gen, this.coldCall(warm, op));
    return { result, ms, where: 'main' };
  }
  /** Whether this is the first call of `op` on an instance (and notes that it ran). */
  coldCall(warm, op) {
    if (warm.has(op)) return false;
    warm.add(op);
    return true;
  }
  /** The time budget: a slow call moves the session to the worker; a quick worker call may end preferWorker. */
  account(ms, where, gen, cold) {
    if (ms > (cold ? COLD_BUDGET_MS : MAIN_BUDGET_MS)) {
      if (!this.offMain?.sticky) {
        this.offMain = { reason: `a check took ${Math.round(ms)} ms (${where === 'main' ? 'in the page' : 'in the worker'})`, sticky: true };
      }
    } else if (where === 'worker' && this.offMain && !this.offMain.sticky && gen === this.trustGen) {
      this.offMain = null;
    }
  }
  /**
   * Audits an export file that is not in the editor (of any size: the editor's 32 MiB budget does not apply).
   * In the worker, the File (a handle, not a copy) is read in chunks straight into the core's memory (see
   * worker.js): the page holds no copy of it. Without workers, the page reads it once into an ArrayBuffer
   * that is copied into the core, then let go. Resolves {result, ms, where} as run() does.
   */
  async auditFile(file, options) {
    if (!this.tier.ops.includes('audit')) await this.upgrade();
    if (!this.workerUnavailable) {
      try {
        const w = this.getWorker();
        // ~2 s per 10 MB on a slow machine, and never less than the usual budget.
        const timeoutMs = Math.max(WORKER_TIMEOUT_MS, (file.size / 1e6) * 200);
        const { result, ms } = await w.call({ op: 'audit-file', file, options }, [], timeoutMs);
        return { result, ms, where: 'worker' };
      } catch (err) {
        if (!(err instanceof WorkerUnavailable)) throw err;
        this.workerUnavailable = true;
        this.worker = null;
      }
    }
    let bytes = new Uint8Array(await file.arrayBuffer());
    if (!this.main) await this.freshMain();
    const t0 = performance.now();
    const read = (into) => {
      into.set(bytes.subarray(0, into.length));
      const n = Math.min(bytes.length, into.length);
      bytes = null;
      return n;
    };
    let result;
    try {
      result = flattenAudit(this.main.api.audit([{ name: file.name, size: bytes.length, read }], options));
    } catch (err) {
      if (isMisuse(err)) throw err;
      this.main = null;
      this.restarts.main++;
      throw new CoreCrash(crashMessage(describe(err)), { where: 'main', reason: 'trap' });
    }
    return { result, ms: performance.now() - t0, where: 'main' };
  }
  /** Diagnostics for raw bytes (used to explain a file that is not valid UTF-8). */
  async validateBytes(bytes, options) {
    return (await this.run('validate', bytes, { options })).result;
  }
}
