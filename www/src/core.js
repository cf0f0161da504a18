// The wasm core in the page: compiled once, instantiated in the main thread (small inputs, instant
// feedback) and, on demand, in a Web Worker (big inputs) that gets the same compiled module.
import init, * as wasm from './spiderendpoint.js';
import { flattenReport } from './report.js';

/** Inputs longer than this (UTF-16 code units, ~200 KB) are processed in the worker. */
export const WORKER_THRESHOLD = 200_000;

const WASM_URL = new URL('./spiderendpoint_bg.wasm', import.meta.url);
const WORKER_URL = new URL('./worker.js', import.meta.url);

let modulePromise = null;
function compileModule() {
  modulePromise ??= (async () => {
    const res = await fetch(WASM_URL);
    if (!res.ok) throw new Error(`could not load ${WASM_URL.pathname} (HTTP ${res.status})`);
    const type = res.headers.get('content-type') || '';
    if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) return WebAssembly.compileStreaming(res);
    return WebAssembly.compile(await res.arrayBuffer());
  })();
  return modulePromise;
}

/** The worker itself failed (not the operation it ran). */
class WorkerFailure extends Error {}

class CoreWorker {
  constructor(module) {
    this.nextId = 1;
    this.calls = new Map();
    try {
      this.worker = new Worker(WORKER_URL, { type: 'module', name: 'spiderendpoint-core' });
    } catch (err) {
      throw new WorkerFailure(err.message);
    }
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') return resolve();
        if (m.type === 'init-error') return reject(new WorkerFailure(m.error));
        const call = this.calls.get(m.id);
        if (!call) return;
        this.calls.delete(m.id);
        if ('error' in m) call.reject(new Error(m.error));
        else call.resolve({ result: m.result, ms: m.ms });
      };
      this.worker.onerror = (e) => {
        e.preventDefault();
        const err = new WorkerFailure(e.message || 'the core worker failed');
        reject(err);
        for (const c of this.calls.values()) c.reject(err);
        this.calls.clear();
      };
    });
    this.worker.postMessage({ type: 'init', module });
    this.ready.catch(() => this.worker.terminate());
  }
  async call(op, payload) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...payload });
    });
  }
}

export class Core {
  /** Loads and instantiates the wasm core in this thread. */
  static async load() {
    const module = await compileModule();
    await init({ module_or_path: module });
    return new Core(module);
  }
  constructor(module) {
    this.module = module;
    this.worker = null;
    this.workerBroken = typeof Worker !== 'function';
    this.version = wasm.version();
  }
  /** Whether this build of the core has an operation (normalize/convert may come later than validate). */
  has(op) {
    return typeof wasm[op] === 'function';
  }
  useWorker(text) {
    return text.length > WORKER_THRESHOLD;
  }
  getWorker() {
    this.worker ??= new CoreWorker(this.module);
    return this.worker;
  }
  /**
   * Runs one operation, in the worker for big inputs.
   * Resolves {result, ms, where: 'main'|'worker'}; validate's result is flattened (see report.js).
   */
  async run(op, text, { to, options } = {}) {
    if (this.useWorker(text) && !this.workerBroken) {
      try {
        const { result, ms } = await this.getWorker().call(op, { text, to, options });
        return { result, ms, where: 'worker' };
      } catch (err) {
        if (!(err instanceof WorkerFailure)) throw err;
        // No worker (blocked, or not supported here): carry on in this thread.
        this.workerBroken = true;
        console.info(`spiderendpoint: running the core in the page (${err.message})`);
      }
    }
    const t0 = performance.now();
    let result;
    if (op === 'validate') result = flattenReport(wasm.validate(text, options));
    else if (op === 'normalize') result = wasm.normalize(text, options);
    else if (op === 'convert') result = wasm.convert(text, to, options);
    else throw new Error(`unknown operation ${op}`);
    return { result, ms: performance.now() - t0, where: 'main' };
  }
  /** Diagnostics for raw bytes (used to explain a file that is not valid UTF-8). */
  validateBytes(bytes, options) {
    return flattenReport(wasm.validate(bytes, options));
  }
}
