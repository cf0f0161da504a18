'use strict';
// CommonJS entry: loads the WebAssembly module synchronously (wasm-bindgen `nodejs` target).
const wasm = require('./dist/node/spiderendpoint.js');

exports.validate = wasm.validate;
exports.validateObject = wasm.validateObject;
exports.normalize = wasm.normalize;
exports.convert = wasm.convert;
exports.convertReview = wasm.convertReview;
exports.rules = wasm.rules;
exports.schema = wasm.schema;
/** The version of the Rust core (equals this package's version). */
exports.version = wasm.version();
