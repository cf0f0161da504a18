// Web Worker: runs the wasm core off the main thread for big inputs, so typing never waits for it.
// Messages in:  {type: 'init', module: WebAssembly.Module}
//               {id, op: 'validate'|'normalize'|'convert', text, to?, options}
// Messages out: {type: 'ready'} | {type: 'init-error', error} | {id, result, ms} | {id, error}
import * as core from './spiderendpoint.js';
import { flattenReport } from './report.js';

self.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') {
    try {
      core.initSync({ module: msg.module });
      self.postMessage({ type: 'ready' });
    } catch (err) {
      self.postMessage({ type: 'init-error', error: String(err && err.message || err) });
    }
    return;
  }
  const t0 = performance.now();
  try {
    let result;
    if (msg.op === 'validate') result = flattenReport(core.validate(msg.text, msg.options));
    else if (msg.op === 'normalize') result = core.normalize(msg.text, msg.options);
    else if (msg.op === 'convert') result = core.convert(msg.text, msg.to, msg.options);
    else throw new Error(`unknown operation ${msg.op}`);
    self.postMessage({ id: msg.id, result, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String(err && err.message || err) });
  }
};
