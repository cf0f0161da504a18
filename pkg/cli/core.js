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

module.exports = { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib, callCore };
