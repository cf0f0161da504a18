// Browser and bundler entry (package.json conditions `browser` and `module`: Vite, webpack, esbuild, Rollup,
// for the browser and for Node bundles alike): the engine (pkg/engine.mjs, built into dist/web/spiderendpoint.js)
// on the .wasm carried inline, as base64 in dist/web/wasm-inline.js. Nothing to configure in a bundler: no
// asset to emit, no URL to resolve at run time, no top-level await, no dev-server pre-bundling pitfall. The
// module is compiled once, synchronously, when this module is evaluated, so the API is ready at once, as in
// Node; the engine instantiates it again, synchronously, whenever it replaces an instance after an internal
// error (a trap). To load a separate .wasm file instead (streaming compilation, cached apart from the JS),
// import `spiderendpoint/web` and call its `init({ module_or_path })`.
import { __spiderendpointEngine } from './dist/web/spiderendpoint.js';
import { wasmBase64 } from './dist/web/wasm-inline.js';

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const se = __spiderendpointEngine(new WebAssembly.Module(decode(wasmBase64)));

export const validate = se.validate;
export const validateObject = se.validateObject;
export const validateFiles = se.validateFiles;
export const audit = se.audit;
export const fix = se.fix;
export const releases = se.releases;
export const normalize = se.normalize;
export const convert = se.convert;
export const convertReview = se.convertReview;
export const rules = se.rules;
export const schema = se.schema;
/** The version of the Rust core (equals this package's version). */
export const version = se.version;
