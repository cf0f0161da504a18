'use strict';
// CommonJS entry: the engine (pkg/engine.mjs, built into dist/node/spiderendpoint.js) on the .wasm next to it,
// compiled once, synchronously, so the API is ready at once. The engine replaces its wasm instance by a fresh
// one after an internal error (a trap), and rejects misuse before it reaches wasm.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createEngine } = require('./dist/node/spiderendpoint.js');

const se = createEngine(new WebAssembly.Module(readFileSync(path.join(__dirname, 'dist', 'node', 'spiderendpoint_bg.wasm'))));

exports.validate = se.validate;
exports.validateObject = se.validateObject;
exports.validateFiles = se.validateFiles;
exports.fix = se.fix;
exports.releases = se.releases;
exports.normalize = se.normalize;
exports.convert = se.convert;
exports.convertReview = se.convertReview;
exports.rules = se.rules;
exports.schema = se.schema;
/** The version of the Rust core (equals this package's version). */
exports.version = se.version;
