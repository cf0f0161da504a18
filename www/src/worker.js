// Web Worker: runs the wasm core off the main thread for big or slow inputs, so typing never waits for it.
// Messages in:  {type: 'init', module: WebAssembly.Module, glue: string (URL of the module's wasm-bindgen
//                 glue: the validate-only or the full build, see core.js TIERS), testHooks?: boolean}
//               {id, op: 'validate'|'audit'|'normalize'|'convert', text, to?, options}
//               {id, op: 'audit-file', file: File, options}: an export audited from its bytes (see readInto)
// Messages out: {type: 'ready'} | {type: 'init-error', error} | {id, result, ms} | {id, error}
//               | {id, error, crashed: true}: the instance trapped (or failed otherwise than by a misuse
//                 error); the page terminates this worker and starts a fresh one. Calls that arrive after
//                 a crash are answered the same way without touching the instance.
import { flattenAudit, flattenReport } from './report.js';
import { isMisuse, trapInstance } from './failure.js';

let core = null;        // the glue module's exports
let raw = null;         // the instance's exports (initSync's result), for the test trap only
let testHooks = false;
let crashed = null;     // the first crash's message: this instance is never used again

/** Chunks of a file read at a time into the core's memory (the only copy the worker makes of a file). */
const READ_CHUNK = 8 << 20;

/**
 * The `read` of an audit file `{ name, size, read }` (see src/wasm.rs): fills the core's memory with the
 * File's bytes, a chunk at a time, with FileReaderSync (a worker's synchronous reader), so that no copy of the
 * whole file exists beside the core's.
 */
function readInto(file) {
  return (into) => {
    const reader = new FileReaderSync();
    let off = 0;
    while (off < into.length) {
      const chunk = new Uint8Array(reader.readAsArrayBuffer(file.slice(off, Math.min(into.length, off + READ_CHUNK))));
      if (chunk.length === 0) break;
      into.set(chunk, off);
      off += chunk.length;
    }
    return off;
  };
}

self.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') {
    // The page sends no call before 'ready', so nothing arrives while the glue is being imported.
    import(msg.glue).then((glue) => {
      raw = glue.initSync({ module: msg.module });
      core = glue;
      testHooks = msg.testHooks === true;
      self.postMessage({ type: 'ready' });
    }).catch((err) => {
      self.postMessage({ type: 'init-error', error: String(err && err.message || err) });
    });
    return;
  }
  if (crashed) {
    self.postMessage({ id: msg.id, error: crashed, crashed: true });
    return;
  }
  const t0 = performance.now();
  try {
    // Test hook (see core.js TEST_HOOKS): the page sets testTrap only when opened by the browser tests.
    if (msg.testTrap && testHooks) trapInstance(raw);
    if (msg.testDie && testHooks) {
      setTimeout(() => { throw new Error('test: the worker died'); }, 0);
      return;
    }
    let result;
    if (msg.op === 'validate') {
      // null: the validate-only module does not read this input; the page moves to the full module.
      const report = core.validate(msg.text, msg.options);
      result = report === null ? null : flattenReport(report);
    }
    else if (msg.op === 'audit') result = flattenAudit(core.audit([{ name: 'editor', text: msg.text }], msg.options));
    else if (msg.op === 'audit-file') result = flattenAudit(core.audit([{ name: msg.file.name, size: msg.file.size, read: readInto(msg.file) }], msg.options));
    else if (msg.op === 'normalize') result = core.normalize(msg.text, msg.options);
    else if (msg.op === 'convert') result = core.convert(msg.text, msg.to, msg.options);
    else throw new Error(`unknown operation ${msg.op}`);
    self.postMessage({ id: msg.id, result, ms: performance.now() - t0 });
  } catch (err) {
    if (isMisuse(err)) {
      self.postMessage({ id: msg.id, error: String(err.message) });
      return;
    }
    crashed = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    raw = null;
    self.postMessage({ id: msg.id, error: crashed, crashed: true });
  }
};
