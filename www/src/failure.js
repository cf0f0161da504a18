// Shared by the page (core.js) and the worker: telling a misuse error from a failed instance, and the
// test-only trap.

/**
 * Misuse errors (a wrong argument or option) are plain Errors made by the core (wasm-bindgen's JsError).
 * Anything else (WebAssembly.RuntimeError from a trap, RangeError from a stack overflow, a TypeError from
 * a broken instance...) means the instance failed and must not be used again.
 */
export function isMisuse(err) {
  return err instanceof Error && Object.getPrototypeOf(err) === Error.prototype;
}

/**
 * Test hook only (the page honours it when opened by the browser tests, see core.js TEST_HOOKS): corrupts
 * an instance's memory, so that it could not work again, and makes it trap as a bug or a stack overflow
 * would.
 */
export function trapInstance(raw) {
  if (raw && raw.memory) new Uint8Array(raw.memory.buffer).fill(0xa5);
  // An invalid alignment makes wasm-bindgen's allocator abort: a real `unreachable` trap.
  if (raw && typeof raw.__wbindgen_malloc === 'function') raw.__wbindgen_malloc(16, 3);
  throw new WebAssembly.RuntimeError('unreachable (test trap)');
}
