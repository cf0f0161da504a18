// ES module entry for Node (and Deno/Bun): the `web` build, instantiated synchronously from the bytes
// next to it, so the API is usable as soon as the import resolves (no top-level await).
import { readFileSync } from 'node:fs';
import * as wasm from './dist/web/spiderendpoint.js';

wasm.initSync({ module: readFileSync(new URL('./dist/web/spiderendpoint_bg.wasm', import.meta.url)) });

export const validate = wasm.validate;
export const validateObject = wasm.validateObject;
export const normalize = wasm.normalize;
export const convert = wasm.convert;
export const convertReview = wasm.convertReview;
export const rules = wasm.rules;
export const schema = wasm.schema;
/** The version of the Rust core (equals this package's version). */
export const version = wasm.version();
