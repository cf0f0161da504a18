'use strict';
// CommonJS entry: the engine (pkg/engine.mjs, built into dist/node/spiderendpoint.js) on the package's one .wasm
// (dist/web/spiderendpoint_bg.wasm), compiled once, synchronously, so the API is ready at once. (Bundlers do
// not get this file: the `module` condition gives them index.browser.mjs, which carries the .wasm inline.) The
// engine replaces its wasm instance by a fresh one after an internal error (a trap), and rejects misuse before
// it reaches wasm. The API's named exports are generated (scripts/assemble-pkg.mjs lists them once for every
// entry): dist/node/api.js, re-exported whole, a form that Node's ES module loader follows to find the names.
module.exports = require('./dist/node/api.js');
