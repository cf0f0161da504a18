// The engine wrapper: the one place that owns the WebAssembly instance behind the package's API.
//
// This file is a build input, not a shipped module. scripts/assemble-pkg.mjs inlines it, next to the
// wasm-bindgen glue turned into a factory (`newGlue(WebAssembly)` evaluates the glue in a fresh function
// scope), into dist/node/spiderendpoint.js (CommonJS, used by index.cjs) and dist/web/spiderendpoint.js
// (ES module, used by index.mjs and index.browser.mjs). It must stay free of imports and declare one export,
// `createEngine`.
//
// What it guarantees:
// - Misuse is found in JavaScript, before wasm is entered: the input must be a string or a genuine
//   Uint8Array (copied here, so a detached one throws a TypeError now); options, values and reviews are
//   serialized with JSON.stringify here, so a throwing toJSON, getter or Proxy throws here, and the engine
//   only ever sees plain data. The one exception is audit's `{ name, size, read }` file: `read` is called
//   by the engine, through a catching import, so its exception comes back as misuse; it may not call the
//   engine again (that throws). Misuse that the Rust side finds (an unknown option...) comes back as an Error
//   thrown by the glue after the wasm call has returned normally, and the instance stays in use.
// - Any exception that escapes a wasm export (a trap: unreachable, out of memory, out of bounds; a stack
//   overflow; an exception from an import in the middle of a call) leaves the instance suspect: its shadow
//   stack, allocator or tables may be broken. The instance is dropped, the caller gets an Error that says
//   so (with the original exception as `cause`), and the next call runs on a fresh instance of the same
//   compiled WebAssembly.Module (instantiation is cheap; compilation happens once).
// - Memory: wasm memory never shrinks, so an instance that grew past RECYCLE_BYTES (a big or hostile input)
//   is replaced after the call that grew it; the old one is garbage-collected.
//
// Test seam (internal, not API): every exported function carries `Symbol.for('spiderendpoint.engine')`, an
// object with `exports` (the current instance's raw wasm exports, as the glue sees them) and `stats()`
// (instances created, restarted after a fault, recycled for memory, still alive; memory of the current one).

export function createEngine(newGlue, wasmModule) {
  const RECYCLE_BYTES = 64 * 1024 * 1024;
  const RealWebAssembly = globalThis.WebAssembly;
  const stats = { created: 0, restarts: 0, recycled: 0, finalized: 0 };
  const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(() => { stats.finalized++; }) : null;
  let current = null;

  // A fresh glue scope and instance. The glue instantiates with `new WebAssembly.Instance(...)` in its
  // initSync; the `WebAssembly` it sees is this one, which wraps every function export so that an exception
  // escaping wasm marks the instance as faulted.
  function instantiate() {
    const rec = { id: stats.created + 1, glue: null, exports: null, faulted: false, fault: undefined };
    const wrapExports = (raw) => {
      const out = {};
      for (const name of Object.keys(raw)) {
        const value = raw[name];
        out[name] = typeof value !== 'function' ? value : function (...args) {
          try {
            return value(...args);
          } catch (err) {
            if (!rec.faulted) {
              rec.faulted = true;
              rec.fault = err;
            }
            throw err;
          }
        };
      }
      return out;
    };
    const WebAssembly = {
      __proto__: RealWebAssembly,
      Instance: function Instance(module, imports) {
        rec.exports = wrapExports(new RealWebAssembly.Instance(module, imports).exports);
        return { exports: rec.exports };
      },
    };
    let glue;
    try {
      glue = newGlue(WebAssembly);
      const exports = glue.initSync({ module: wasmModule });
      if (rec.exports === null || exports !== rec.exports) {
        throw new Error('the wasm-bindgen glue did not instantiate through WebAssembly.Instance');
      }
    } catch (err) {
      throw new Error(`spiderendpoint: cannot start the engine (${describe(err)})`, { cause: err });
    }
    rec.glue = glue;
    stats.created++;
    if (registry !== null) registry.register(glue, undefined);
    return rec;
  }

  function retire(rec) {
    if (current === rec) current = null;
    if (rec.faulted) stats.restarts++;
    else stats.recycled++;
    rec.glue = null;
    rec.exports = null;
  }

  function instance() {
    let rec = current;
    if (rec === null || rec.faulted) {
      if (rec !== null) retire(rec);
      rec = instantiate();
      current = rec;
    }
    return rec;
  }

  let running = false;
  function run(name, a, b, c) {
    // A `read` callback of audit runs inside a call: it may not call the engine again.
    if (running) throw new Error('spiderendpoint: the engine was called from inside one of its calls (a read callback)');
    const rec = instance();
    running = true;
    try {
      return rec.glue[name](a, b, c);
    } catch (err) {
      if (!rec.faulted) throw err; // misuse found by the engine: the instance is intact
      const fault = rec.fault;
      retire(rec);
      throw internalError(fault);
    } finally {
      running = false;
      if (rec === current && rec.exports.memory.buffer.byteLength > RECYCLE_BYTES) retire(rec);
    }
  }

  const api = {
    validate(input, options) {
      const text = inputArg(input);
      return run('validate', text, optionsArg(options));
    },
    validateObject(value, options) {
      const opts = optionsArg(options);
      // The same call as `validate(JSON.stringify(value))`, which is what the engine does with an object.
      return run('validate', jsonText(value, 'value is not JSON-serializable'), opts);
    },
    normalize(input, options) {
      const text = inputArg(input);
      return run('normalize', text, optionsArg(options));
    },
    convert(input, toVersion, options) {
      const text = inputArg(input);
      // toVersion is checked by the engine (a type check that runs no user code).
      return run('convert', text, toVersion, optionsArg(options));
    },
    convertReview(review) {
      if (typeof review !== 'object' || review === null) throw new TypeError('review must be an object (a ConversionReview)');
      return run('convertReview', JSON.parse(jsonText(review, 'review is not JSON-serializable')));
    },
    validateFiles(files, options) {
      const opts = optionsArg(options);
      return run('validateFiles', filesArg(files), opts);
    },
    audit(files, options) {
      const opts = optionsArg(options);
      return run('audit', filesArg(files, true), opts);
    },
    fix(input, options) {
      if (typeof input !== 'string') throw new TypeError('input must be a string');
      return run('fix', input, optionsArg(options));
    },
    releases() {
      return run('releases');
    },
    rules() {
      return run('rules');
    },
    schema(options) {
      return run('schema', optionsArg(options));
    },
  };
  const version = run('version');

  const seam = Object.freeze({
    get exports() {
      return instance().exports;
    },
    stats() {
      return {
        created: stats.created,
        restarts: stats.restarts,
        recycled: stats.recycled,
        live: registry === null ? undefined : stats.created - stats.finalized,
        current: current === null ? null : current.id,
        memoryBytes: current === null ? 0 : current.exports.memory.buffer.byteLength,
        recycleBytes: RECYCLE_BYTES,
      };
    },
  });
  for (const fn of Object.values(api)) Object.defineProperty(fn, Symbol.for('spiderendpoint.engine'), { value: seam });
  return { ...api, version };
}

// %TypedArray%.prototype[Symbol.toStringTag] reads an internal slot: "Uint8Array" for a Uint8Array of any
// realm (and a Node Buffer), undefined for anything else, a Proxy included, and it runs no user code.
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

function inputArg(input) {
  if (typeof input === 'string') return input;
  if (typedArrayTag.call(input) === 'Uint8Array') {
    // A private copy (the constructor reads the internal slots, no getter runs): the engine never sees the
    // caller's object, and a detached or out-of-bounds view throws here.
    try {
      return new Uint8Array(input);
    } catch (err) {
      throw new TypeError('input is a detached or out-of-bounds Uint8Array', { cause: err });
    }
  }
  throw new TypeError('input must be a string or a Uint8Array');
}

// The files of validateFiles and audit as plain copies: the engine sees no getters, and the caller's objects
// are read once. With `readable` (audit), a file may instead be `{ name, size, read }`: the engine allocates
// `size` bytes in its memory and calls `read(view)` once to fill them (a file read straight into the core's
// memory, no string and no second copy; see src/wasm.rs). The view is valid during that call only.
function filesArg(files, readable = false) {
  const shape = readable ? '{ name, text } or { name, size, read }' : '{ name, text }';
  if (!Array.isArray(files)) throw new TypeError(`files must be an array of ${shape}`);
  return files.map((f, i) => {
    if (typeof f !== 'object' || f === null) throw new TypeError(`files[${i}] must be an object ${shape}`);
    const { name, text } = f;
    if (typeof name !== 'string') throw new TypeError(`files[${i}].name must be a string`);
    if (readable && text === undefined) {
      const { size, read } = f;
      if (!Number.isSafeInteger(size) || size < 0 || size > 0xffffffff) throw new TypeError(`files[${i}].size must be an integer from 0 to 2^32 - 1`);
      if (typeof read !== 'function') throw new TypeError(`files[${i}] needs a string or Uint8Array \`text\`, or \`size\` and a \`read\` function`);
      return { name, size, read: (view) => read(view) };
    }
    return { name, text: inputArg(text) };
  });
}

// Options as plain data: undefined/null for the defaults, otherwise the JSON value of an object.
function optionsArg(options) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw new TypeError('options must be an object');
  return JSON.parse(jsonText(options, 'options are not JSON-serializable'));
}

function jsonText(value, message) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${message} (${describe(err)})`, { cause: err });
  }
  if (typeof json !== 'string') throw new TypeError(message);
  return json;
}

function internalError(cause) {
  try {
    void cause.stack; // format the stack now: the unformatted frames would keep the dropped instance alive
  } catch {
    // not an object, or a throwing getter: nothing to release
  }
  return new Error(`spiderendpoint: internal error in the engine (${describe(cause)}); the engine was restarted — please report this input`, { cause });
}

function describe(err) {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return String(err);
  } catch {
    return 'an unprintable exception';
  }
}
