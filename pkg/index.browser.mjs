// Browser / bundler entry: the `web` build. The .wasm is located with `new URL(..., import.meta.url)`,
// which Vite, webpack 5, Rollup and esbuild understand, and fetched once with top-level await.
// For explicit control over loading, import `spiderendpoint/web` and call its default `init()` yourself.
import init, * as wasm from './dist/web/spiderendpoint.js';

await init();

export const validate = wasm.validate;
export const validateObject = wasm.validateObject;
export const normalize = wasm.normalize;
export const convert = wasm.convert;
export const convertReview = wasm.convertReview;
export const rules = wasm.rules;
export const schema = wasm.schema;
/** The version of the Rust core (equals this package's version). */
export const version = wasm.version();
