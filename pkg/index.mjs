// ES module entry for Node (and Deno/Bun): the engine (pkg/engine.mjs, built into dist/web/spiderendpoint.js)
// on the .wasm next to it, read from disk and compiled synchronously, so the API is usable as soon as the import resolves (no
// top-level await). The engine replaces its wasm instance by a fresh one after an internal error (a trap),
// and rejects misuse before it reaches wasm. The API's named exports are generated (scripts/assemble-pkg.mjs
// lists them once for every entry): dist/web/api-node.js.
export * from './dist/web/api-node.js';
