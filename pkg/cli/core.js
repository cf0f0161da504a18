// @ts-check
'use strict';
// The package's own core (loaded on first use, so --help costs no WebAssembly compile), exit codes and
// the usage error every command throws for a mistake on the command line.

/** @typedef {typeof import('spiderendpoint')} Core */

// WebAssembly's trap type (the Node.js typings of the supported versions do not declare WebAssembly).
const { RuntimeError } = /** @type {{WebAssembly: {RuntimeError: ErrorConstructor}}} */ (/** @type {unknown} */ (globalThis)).WebAssembly;

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

/** A mistake on the command line or an I/O problem that ends the run with exit code 2. */
class UsageError extends Error {}

/** @type {Core | undefined} */
let core;

/**
 * The package's own entry, loaded once by its name (a package may require itself through its "exports"), so
 * the CLI depends on no file layout inside the package.
 */
function lib() {
  if (!core) core = require('spiderendpoint');
  return core;
}

/**
 * Calls into the core; a thrown error there means misuse (e.g. an unknown option value): a usage error.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
function callCore(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RuntimeError) {
      throw new Error(`internal error in the WebAssembly core (${err.message}); please report it with the input`);
    }
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Lets the memory of a retired wasm instance go now. The engine retires an instance that grew past its
 * recycle size after the call (an audit of a 300 MB export leaves ~450 MB of wasm memory behind), but only
 * a garbage collection frees it, and V8 may run none before the report is rendered, which would then add to
 * that peak. A full collection here (through `--expose-gc`, set for this process when first needed) makes
 * the peak RSS that of the audit itself. Best effort: without it the run is the same, only bigger.
 */
function releaseMemory() {
  try {
    require('node:v8').setFlagsFromString('--expose-gc');
    /** @type {() => void} */ (require('node:vm').runInNewContext('gc'))();
  } catch {
    // not available in this runtime: the memory goes at the next collection
  }
}

module.exports = { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib, callCore, releaseMemory };
