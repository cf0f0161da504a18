// ES module entry for Node (and Deno/Bun): the engine (pkg/engine.mjs, built into dist/web/spiderendpoint.js)
// on the .wasm next to it, read from disk and compiled synchronously, so the API is usable as soon as the import resolves (no
// top-level await). The engine replaces its wasm instance by a fresh one after an internal error (a trap),
// and rejects misuse before it reaches wasm.
import { readFileSync } from 'node:fs';
import { __spiderendpointEngine } from './dist/web/spiderendpoint.js';

const se = __spiderendpointEngine(new WebAssembly.Module(readFileSync(new URL('./dist/web/spiderendpoint_bg.wasm', import.meta.url))));

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
