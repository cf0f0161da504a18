// Browser / bundler entry: the engine (pkg/engine.mjs, built into dist/web/spiderendpoint.js). The .wasm is
// located with `new URL(..., import.meta.url)`, which Vite, webpack 5, Rollup and esbuild understand, fetched
// and compiled once with top-level await; the engine instantiates that module again, synchronously, whenever
// it replaces an instance after an internal error (a trap). For explicit control over loading, import
// `spiderendpoint/web` and call its default `init()` yourself.
import { __spiderendpointEngine } from './dist/web/spiderendpoint.js';

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`spiderendpoint: failed to fetch ${url}: ${response.status} ${response.statusText}`);
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('Content-Type') === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  // A server that does not say application/wasm: compile the bytes.
  return WebAssembly.compile(await response.arrayBuffer());
}

const se = __spiderendpointEngine(await compile(new URL('./dist/web/spiderendpoint_bg.wasm', import.meta.url)));

export const validate = se.validate;
export const validateObject = se.validateObject;
export const validateFiles = se.validateFiles;
export const fix = se.fix;
export const releases = se.releases;
export const normalize = se.normalize;
export const convert = se.convert;
export const convertReview = se.convertReview;
export const rules = se.rules;
export const schema = se.schema;
/** The version of the Rust core (equals this package's version). */
export const version = se.version;
