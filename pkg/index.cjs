'use strict';
// CommonJS entry: the engine (pkg/engine.mjs, built into dist/node/spiderendpoint.js) on the package's one .wasm
// (dist/web/spiderendpoint_bg.wasm), compiled once, synchronously, so the API is ready at once. (Bundlers do
// not get this file: the `module` condition gives them index.browser.mjs, which carries the .wasm inline.) The engine replaces its wasm instance by a fresh
// one after an internal error (a trap), and rejects misuse before it reaches wasm.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createEngine } = require('./dist/node/spiderendpoint.js');

const se = createEngine(new WebAssembly.Module(readFileSync(path.join(__dirname, 'dist', 'web', 'spiderendpoint_bg.wasm'))));

exports.validate = se.validate;
exports.validateObject = se.validateObject;
exports.validateFiles = se.validateFiles;
exports.audit = se.audit;
exports.fix = se.fix;
exports.releases = se.releases;
exports.normalize = se.normalize;
exports.convert = se.convert;
exports.convertReview = se.convertReview;
exports.rules = se.rules;
exports.schema = se.schema;
/** The version of the Rust core (equals this package's version). */
exports.version = se.version;
