#!/usr/bin/env node
'use strict';
// spiderendpoint CLI: validate, normalize and convert Spiderpool SpiderEndpoint documents.
// No dependencies: Node's standard library and the package's own WebAssembly core.

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { pathToFileURL } = require('node:url');

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIP_DIRS = new Set(['.git', 'node_modules']);
const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'];

class UsageError extends Error {}

let core;
function lib() {
  if (!core) core = require('../index.cjs');
  return core;
}

// ---------------------------------------------------------------- help texts

// The options of validate, normalize and convert that say how the input is read (see readingOptions).
const READING_HELP = `      --field-validation MODE  what unknown fields and duplicate keys are, as kubectl apply --validate:
                               strict (default: errors, the API server refuses the object), warn
                               (warnings) or ignore (infos)
      --validate=MODE          kubectl's spelling of --field-validation: strict (or true), warn,
                               ignore (or false); a bare --validate is strict
      --yaml-version V         how plain scalars are read: 1.1 (default) as kubectl does (yes is true,
                               010 is 8), 1.2 as a YAML 1.2 consumer does (yq, editors, the yaml package)
`;

const HELP = {
  main: `Usage: spiderendpoint <command> [options]

Validate, normalize and convert Spiderpool SpiderEndpoint documents (YAML or JSON).

Commands:
  validate [FILE|DIR|-]...        check documents; directories are searched for *.yaml, *.yml, *.json
  normalize [FILE|-]...           rewrite documents the way the API server stores them
  convert --to VERSION [FILE|-]...  convert between spiderpool.spidernet.io/v1 and v2beta1
  schema                          print the JSON Schema (draft-07) of a SpiderEndpoint
  rules                           list the diagnostic codes

Options:
  -h, --help       help for a command: spiderendpoint <command> --help
  -V, --version    print the version

Exit codes: 0 no errors, 1 errors found (or warnings with --strict / over --max-warnings),
            2 usage or I/O error.
`,
  validate: `Usage: spiderendpoint validate [options] [FILE|DIR|-]...

Checks every SpiderEndpoint in the given files. Directories are searched recursively for *.yaml, *.yml
and *.json (skipping .git and node_modules); "-" (or no argument with piped input) reads standard input.
Documents of other kinds are reported as skipped.

Options:
  -f, --format FORMAT          text (default), json, sarif, github, junit
  -o, --output FILE            write the report to FILE instead of standard output (see "Writing files")
      --spiderpool-version V   check against Spiderpool release V (e.g. 0.6, v0.9.3, 1.2);
                               default: the newest release of each document's apiVersion
${READING_HELP}      --strict                 warnings fail the run (exit 1)
      --max-warnings N         fail (exit 1) when there are more than N warnings
  -q, --quiet                  report errors only (warnings still count for --strict/--max-warnings)
  -v, --verbose                text format: also list each document with its status
      --stdin-filename NAME    the file name to report for standard input (default "-")
      --color, --no-color      force or disable colour (default: on a terminal, unless NO_COLOR is set)
  -h, --help                   show this help

Every human-readable line shows control characters, escape sequences and bidi controls from the input
escaped (\\n, \\u001b...), so no line can be forged. The counts and the exit code include every finding,
also those a report does not list (at most 10000 per file, errors first); each format says when some
are not listed.

Writing files: a regular file is replaced atomically (a temporary file in the same directory, then a
rename; its mode, and its owner where the process may set it, are kept). A symlink is written through to
its target and stays a link. A file with several hard links is rewritten in place, so every link sees the
new content. Devices (/dev/null...) and FIFOs are written in place; "-" and /dev/stdout are standard output.

Exit codes: 0 no errors, 1 errors (or warnings with --strict / over --max-warnings), 2 usage or I/O error.
`,
  normalize: `Usage: spiderendpoint normalize [options] [FILE|-]...

Prints each document normalized (null fields pruned, vlan defaulted...; comments, order and untouched lines
kept) to standard output, or rewrites the files with --write. The change report goes to standard error.

Options:
  -w, --write                  rewrite the files (see "Writing files"); a file whose transformation
                               failed is never touched
      --drop-unknown           also drop fields the API server would prune
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest)
${READING_HELP}  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

Writing files: a regular file is replaced atomically (a temporary file in the same directory, then a
rename; its mode, and its owner where the process may set it, are kept). A symlink is written through to
its target and stays a link. A file with several hard links is rewritten in place, so every link sees the
new content. Devices (/dev/null...) and FIFOs are written in place; "-" and /dev/stdout are standard output.

Exit codes: 0 success, 1 a document could not be transformed, 2 usage or I/O error.
`,
  convert: `Usage: spiderendpoint convert --to v1|v2beta1 [options] [FILE|-]...

Converts SpiderEndpoint documents between spiderpool.spidernet.io/v1 (Spiderpool <= 0.3) and v2beta1.
The converted text goes to standard output (or back into the files with --write); the loss/change report
goes to standard error.

Options:
  -t, --to VERSION             target apiVersion: v1 or v2beta1 (required)
      --lossless               keep the fields the target cannot hold in an annotation (restored on the way back)
  -w, --write                  rewrite the files (see "Writing files"); a file whose conversion failed
                               is never touched
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest of the target version)
${READING_HELP}  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

Writing files: a regular file is replaced atomically (a temporary file in the same directory, then a
rename; its mode, and its owner where the process may set it, are kept). A symlink is written through to
its target and stays a link. A file with several hard links is rewritten in place, so every link sees the
new content. Devices (/dev/null...) and FIFOs are written in place; "-" and /dev/stdout are standard output.

Exit codes: 0 success, 1 a document could not be converted, 2 usage or I/O error.
`,
  schema: `Usage: spiderendpoint schema [options]

Prints the JSON Schema (draft-07) of a SpiderEndpoint, e.g. for yaml-language-server.

Options:
      --spiderpool-version V   the schema of Spiderpool release V (default: the newest)
      --api-version VERSION    v1 or v2beta1 (default: the version of that release)
  -o, --output FILE            write to FILE instead of standard output (see "Writing files")
  -h, --help                   show this help

Writing files: a regular file is replaced atomically (a temporary file in the same directory, then a
rename; its mode, and its owner where the process may set it, are kept). A symlink is written through to
its target and stays a link. A file with several hard links is rewritten in place, so every link sees the
new content. Devices (/dev/null...) and FIFOs are written in place; "-" and /dev/stdout are standard output.
`,
  rules: `Usage: spiderendpoint rules [options]

Lists every diagnostic code with its rule name, default severity and summary.

Options:
  -f, --format FORMAT   text (default), json or markdown
  -h, --help            show this help
`,
};

// ---------------------------------------------------------------- small helpers

function plural(n, word, many) {
  return `${n} ${n === 1 ? word : many || `${word}s`}`;
}

function colorEnabled(stream, opt) {
  if (opt === true) return true;
  if (opt === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '' && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && process.env.TERM !== 'dumb';
}

function painter(enabled) {
  const wrap = (open, close) => (s) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : String(s));
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    severity(sev) {
      if (sev === 'error') return this.red(sev);
      if (sev === 'warning') return this.yellow(sev);
      return this.cyan(sev);
    },
  };
}

const IO_REASONS = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

function ioMessage(file, err) {
  const what = file === '-' ? 'standard input' : `'${file}'`;
  return `cannot read ${what}: ${IO_REASONS[err && err.code] || (err && err.message) || String(err)}`;
}

function writeMessage(file, err) {
  const reasons = { ...IO_REASONS, ENOENT: 'no such directory', ENXIO: 'cannot be opened for writing (a socket?)' };
  return `cannot write '${file}': ${reasons[err && err.code] || (err && err.message) || String(err)}`;
}

/** A plain Uint8Array over the bytes (a Buffer may be a view into a shared pool). */
function bytesOf(buf) {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------- safe rendering

// Characters that must never reach a terminal or a log as they are: C0 controls (a newline would start a
// forged `file:line:col error ...` line, ESC starts terminal escape sequences such as `\e]0;` or `\e]52;`),
// DEL, C1 controls (U+009B is a one-character CSI), and the line/paragraph separators and bidi controls
// that reorder or split what is shown (U+061C, U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const hex4 = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text from the input (keys, values, file names...) made safe for a terminal: unsafe characters escaped. */
function safe(s) {
  return String(s).replace(UNSAFE, (c) => NAMED_ESCAPES[c] || hex4(c));
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 and the separators/bidi controls as they are.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text with every character a terminal could act on written as a \uXXXX escape (same JSON value). */
function jsonText(value) {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, hex4) + '\n';
}

/** One line on standard error, every character made safe. */
function errorLine(msg) {
  process.stderr.write(`spiderendpoint: ${safe(msg)}\n`);
}

// ---------------------------------------------------------------- writing files

// The process's own standard streams: written through the stream, never opened or replaced.
const STD_STREAMS = new Map([
  ['/dev/stdout', 1], ['/dev/fd/1', 1], ['/proc/self/fd/1', 1],
  ['/dev/stderr', 2], ['/dev/fd/2', 2], ['/proc/self/fd/2', 2],
]);

function writeOut(text, outputFile) {
  if (outputFile === undefined || outputFile === '-') {
    process.stdout.write(text);
  } else {
    writeTarget(outputFile, text);
  }
}

/**
 * Writes data to `file` according to what the name refers to:
 * - a regular file with one link (or no file yet): a temporary file in the same directory, then a rename,
 *   so readers see the old or the new content, never a mix. Mode and (where the process may set it) owner
 *   and group are kept; when the owner cannot be kept but the file is writable, it is rewritten in place;
 * - a regular file with several hard links: rewritten in place (same inode), so every link sees the change;
 * - a symlink: written through to its target with these rules (the link stays a link; a dangling link
 *   gets its target created);
 * - a character or block device, a FIFO: opened and written in place (nothing is created or renamed);
 * - /dev/stdout, /dev/stderr (and their /dev/fd, /proc/self/fd names): the process's own stream.
 * Returns how the file was written ('replaced', 'in place', 'stream').
 */
function writeTarget(file, data) {
  const std = STD_STREAMS.get(path.resolve(file));
  if (std !== undefined) {
    (std === 1 ? process.stdout : process.stderr).write(data);
    return 'stream';
  }
  let st = null;
  try {
    st = fs.statSync(file); // follows symlinks
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  if (st === null) return replaceFile(finalLinkTarget(file), data, null); // new file (or a dangling link's target)
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (!st.isFile()) return writeInPlace(file, data, false); // device, FIFO (a socket fails to open: ENXIO)
  const real = fs.realpathSync(file);
  if (st.nlink > 1) return writeInPlace(real, data, true);
  return replaceFile(real, data, st);
}

/** Follows a chain of symlinks whose end does not exist; returns the path to create. */
function finalLinkTarget(file) {
  let p = file;
  for (let hops = 0; hops < 40; hops++) {
    let lst;
    try {
      lst = fs.lstatSync(p);
    } catch (err) {
      if (err.code === 'ENOENT') return p;
      throw err;
    }
    if (!lst.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/** Opens an existing file for writing without creating or replacing it; truncates regular files. */
function writeInPlace(file, data, regular) {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | (fs.constants.O_NOCTTY || 0));
  try {
    fs.writeFileSync(fd, data);
    if (regular) {
      fs.ftruncateSync(fd, Buffer.byteLength(data));
      fs.fsyncSync(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
  return 'in place';
}

/** Temporary file + rename in the target's directory. `st`: the stat of the file it replaces, or null. */
function replaceFile(target, data, st) {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd;
  try {
    fd = fs.openSync(tmp, 'wx', st ? st.mode & 0o777 : 0o644);
  } catch (err) {
    // A directory we may not create files in, but a file we may write: rewrite it in place.
    if (st && (err.code === 'EACCES' || err.code === 'EPERM')) return writeInPlace(target, data, true);
    throw err;
  }
  let renamed = false;
  try {
    if (st) {
      const own = fs.fstatSync(fd);
      if (own.uid !== st.uid || own.gid !== st.gid) {
        try {
          fs.fchownSync(fd, st.uid, st.gid); // root can; others only to a group they belong to
        } catch {
          let writable = false;
          try {
            fs.accessSync(target, fs.constants.W_OK);
            writable = true;
          } catch {
            /* not writable: replacing it (with this process as owner) is the only way */
          }
          if (writable) {
            fs.closeSync(fd);
            fd = undefined;
            fs.unlinkSync(tmp);
            return writeInPlace(target, data, true);
          }
        }
      }
      fs.fchmodSync(fd, st.mode & 0o7777); // after chown, which clears set-user-ID bits
    }
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
    renamed = true;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (!renamed) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }
  return 'replaced';
}

/** Parses argv for one command; unknown options are usage errors. */
function parse(argv, options) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(String(err.message).replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option'));
  }
}

function colorOption(values) {
  if (values['no-color']) return false;
  if (values.color) return true;
  return undefined;
}

function spiderpoolVersionOption(values) {
  return values['spiderpool-version'] !== undefined ? { spiderpoolVersion: values['spiderpool-version'] } : {};
}

// ---------------------------------------------------------------- reading options

const FIELD_VALIDATIONS = ['strict', 'warn', 'ignore'];
const YAML_VERSIONS = ['1.1', '1.2'];
// kubectl's --validate: strict, warn, ignore, or a boolean as Go's strconv.ParseBool reads it (true: strict,
// false: ignore); see GetValidationDirective in k8s.io/kubectl/pkg/cmd/util.
const VALIDATE_BOOLEANS = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => [v, 'strict']),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => [v, 'ignore']),
]);

/** The options of validate, normalize and convert that say how the input is read. */
const READING_SPEC = {
  'field-validation': { type: 'string' },
  validate: { type: 'string' },
  'yaml-version': { type: 'string' },
};

/**
 * kubectl's `--validate` takes its value after '=' only: a bare `--validate` means strict (pflag's
 * NoOptDefVal), and the next argument is not its value. parseArgs would take that next argument as the
 * value, so a bare `--validate` is rewritten to `--validate=strict` first. A bare `--validate` followed by
 * one of its values (`--validate warn`) is a usage error: kubectl would read strict and a stray argument.
 */
function bareValidate(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--validate') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && (FIELD_VALIDATIONS.includes(next) || VALIDATE_BOOLEANS.has(next))) {
      throw new UsageError(`write --validate=${next} (with '='): as in kubectl, a bare --validate means strict (see --help)`);
    }
    out.push('--validate=strict');
  }
  return out;
}

/** {fieldValidation?, yamlVersion?} from --field-validation, --validate and --yaml-version; checks the values. */
function readingOptions(values) {
  const options = {};
  let fv = values['field-validation'];
  if (fv !== undefined && !FIELD_VALIDATIONS.includes(fv)) {
    throw new UsageError(`--field-validation expects strict, warn or ignore, not '${fv}'`);
  }
  if (values.validate !== undefined) {
    const v = values.validate;
    const mode = FIELD_VALIDATIONS.includes(v) ? v : VALIDATE_BOOLEANS.get(v);
    if (mode === undefined) throw new UsageError(`--validate expects strict (or true), warn or ignore (or false), not '${v}'`);
    if (fv !== undefined && fv !== mode) {
      throw new UsageError(`--field-validation ${fv} and --validate=${v} disagree; give one of them`);
    }
    fv = mode;
  }
  if (fv !== undefined) options.fieldValidation = fv;
  const yv = values['yaml-version'];
  if (yv !== undefined) {
    if (!YAML_VERSIONS.includes(yv)) throw new UsageError(`--yaml-version expects 1.1 (kubectl's reading, the default) or 1.2, not '${yv}'`);
    options.yamlVersion = yv;
  }
  return options;
}

/** Calls into the core; a thrown error there means misuse (e.g. an unknown option value): a usage error. */
function callCore(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      throw new Error(`internal error in the WebAssembly core (${err.message}); please report it with the input`);
    }
    throw new UsageError(err && err.message ? err.message : String(err));
  }
}

// ---------------------------------------------------------------- input collection

/**
 * Expands the positional arguments into a list of inputs: {file, stdin?}. Directories are walked
 * recursively (sorted, symlinked directories visited once). I/O problems are collected, not thrown.
 */
function collectInputs(args, problems) {
  const inputs = [];
  const seen = new Set();
  const add = (file, extra) => {
    if (seen.has(file)) return;
    seen.add(file);
    inputs.push({ file, ...extra });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', { stdin: true });
      continue;
    }
    let st;
    try {
      st = fs.statSync(arg);
    } catch (err) {
      problems.push(ioMessage(arg, err));
      continue;
    }
    if (!st.isDirectory()) {
      add(arg);
      continue;
    }
    const before = inputs.length;
    const visited = new Set();
    const walk = (dir) => {
      let real;
      try {
        real = fs.realpathSync(dir);
      } catch (err) {
        problems.push(ioMessage(dir, err));
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      let entries;
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        problems.push(ioMessage(dir, err));
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const target = fs.statSync(full);
            isDir = target.isDirectory();
            isFile = target.isFile();
          } catch {
            continue; // a dangling link inside a tree is not an input
          }
        }
        if (isDir) {
          if (!SKIP_DIRS.has(entry.name)) walk(full);
        } else if (isFile && EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          add(full);
        }
      }
    };
    walk(arg);
    if (inputs.length === before && !problems.length) {
      problems.push(`no *.yaml, *.yml or *.json files in '${arg}'`);
    }
  }
  return inputs;
}

async function readInput(input) {
  if (input.stdin) return readStdin();
  return fs.readFileSync(input.file);
}

// ---------------------------------------------------------------- progress

function progress(total, enabled) {
  if (!enabled) return { tick() {}, done() {} };
  let last = 0;
  return {
    tick(i) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\r\x1b[Kchecking ${i}/${total} files`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

// ---------------------------------------------------------------- validate

// The engine lists at most this many findings per file; its summary counts them all.
const LISTED_PER_FILE = 10000;
const SEVERITY_KEY = { error: 'errors', warning: 'warnings', info: 'infos' };

function emptySummary() {
  return { files: 0, documents: 0, valid: 0, invalid: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, truncated: false, omitted: 0 };
}

/** Adds a file's summary (and what its report leaves out, see omissions()) to the run's summary. */
function addSummary(total, s, omitted) {
  for (const k of ['documents', 'valid', 'invalid', 'skipped', 'errors', 'warnings', 'infos']) total[k] += Number(s && s[k]) || 0;
  if ((s && s.truncated) || omitted.total > 0) total.truncated = true;
  total.omitted += omitted.total;
}

/** All diagnostics of a result (file-level first, then per document), each with its document. */
function* allDiagnostics(result) {
  for (const d of result.diagnostics) yield { d, doc: null };
  for (const doc of result.documents) for (const d of doc.diagnostics) yield { d, doc };
}

/**
 * What a file's report counts but does not list: {total, errors, warnings, infos, known}. The engine's
 * summary counts every finding and gives the number left out (`omitted`); the split by severity is the
 * summary's count minus the listed findings. `known` is false when an engine only sets `truncated`.
 * Computed before --quiet hides anything.
 */
function omissions(report) {
  const s = report.summary || {};
  const listed = { errors: 0, warnings: 0, infos: 0 };
  for (const { d } of allDiagnostics(report)) listed[SEVERITY_KEY[d.severity] || 'infos']++;
  const o = {};
  for (const k of ['errors', 'warnings', 'infos']) o[k] = Math.max(0, (Number(s[k]) || 0) - listed[k]);
  o.total = Math.max(Number(s.omitted) || 0, o.errors + o.warnings + o.infos);
  o.known = o.total > 0 || !s.truncated;
  o.any = o.total > 0 || Boolean(s.truncated);
  return o;
}

/** "12 findings not listed (2 errors, 10 warnings): ..." */
function omittedText(o) {
  if (!o.known) return `more findings than listed: a report lists at most ${LISTED_PER_FILE} findings per file`;
  const parts = [
    o.errors ? plural(o.errors, 'error') : '',
    o.warnings ? plural(o.warnings, 'warning') : '',
    o.infos ? plural(o.infos, 'info', 'infos') : '',
  ].filter(Boolean);
  return `${plural(o.total, 'finding')} not listed${parts.length ? ` (${parts.join(', ')})` : ''}: a report lists at most ${LISTED_PER_FILE} findings per file, errors first; the counts include them all`;
}

/** Whether the findings left out of a file's report fail the run. */
function omittedFail(o, strict) {
  return o.errors > 0 || (strict && o.warnings > 0);
}

function summaryLine(s, p) {
  const docs = `${plural(s.files, 'file')}, ${plural(s.documents, 'document')}: ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped`;
  const counts = [
    s.errors ? p.red(plural(s.errors, 'error')) : plural(s.errors, 'error'),
    s.warnings ? p.yellow(plural(s.warnings, 'warning')) : plural(s.warnings, 'warning'),
    plural(s.infos, 'info', 'infos'),
  ].join(', ');
  let tail = '';
  if (s.omitted > 0) tail = ` (${plural(s.omitted, 'finding')} not listed)`;
  else if (s.truncated) tail = ' (some files have more findings than listed)';
  return `${docs}; ${counts}${tail}`;
}

function diagnosticText(file, d, p) {
  return `${p.bold(`${safe(file)}:${d.line}:${d.column}`)} ${p.severity(safe(d.severity))} ${p.dim(safe(d.code))} ${safe(d.message)}`;
}

function formatText(results, summary, opts) {
  const p = painter(opts.color);
  const out = [];
  results.forEach((r, i) => {
    const lines = [];
    if (opts.verbose) {
      for (const doc of r.documents) {
        const st = doc.status === 'valid' ? p.green(doc.status) : doc.status === 'invalid' ? p.red(doc.status) : p.dim(safe(doc.status));
        const id = [doc.namespace, doc.name].filter((x) => x != null && x !== '').join('/') || '(unnamed)';
        const where = doc.item !== undefined && doc.item !== null ? ` item ${doc.item}` : '';
        lines.push({
          line: doc.line, col: 0, order: 0,
          text: `${p.bold(`${safe(r.file)}:${doc.line}:1`)} ${st} ${safe(doc.kind || '(no kind)')} ${safe(id)} ${p.dim(safe(`(document ${doc.index}${where}${doc.apiVersion ? `, ${doc.apiVersion}` : ''})`))}`,
        });
      }
    }
    for (const { d } of allDiagnostics(r)) {
      lines.push({ line: d.line, col: d.column, order: 1, text: diagnosticText(r.file, d, p) });
    }
    lines.sort((a, b) => a.line - b.line || a.order - b.order || a.col - b.col);
    for (const l of lines) out.push(l.text);
    const o = opts.omits[i];
    if (o.any) out.push(`${p.bold(safe(r.file))}: ${(omittedFail(o, opts.strict) ? p.red : p.yellow)(omittedText(o))}`);
  });
  out.push(summaryLine(summary, p));
  if (opts.tooManyWarnings) out.push(opts.tooManyWarnings);
  return out.join('\n') + '\n';
}

function formatJson(results, summary) {
  return jsonText({ results, summary });
}

function sarifLevel(sev) {
  return sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'note';
}

function artifactUri(file) {
  if (file === '-') return { uri: 'stdin' };
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const rel = file.split(path.sep).join('/').replace(/^(\.\/)+/, '');
  // Percent-encode each segment so that the uri is a valid relative reference (RFC 3986).
  return { uri: rel.split('/').map((seg) => encodeURIComponent(seg)).join('/'), uriBaseId: '%SRCROOT%' };
}

function formatSarif(results, summary, opts) {
  const rules = opts.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const driverRules = rules.map((r) => ({
    id: r.code,
    name: r.rule,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.help },
    help: { text: r.help },
    defaultConfiguration: { level: sarifLevel(r.severity) },
    properties: { tags: ['spiderendpoint'] },
  }));
  const sarifResults = [];
  // Run-level messages a consumer must see: findings a report does not list, --max-warnings exceeded.
  const notifications = [];
  results.forEach((r, i) => {
    const artifactLocation = artifactUri(r.file);
    for (const { d, doc } of allDiagnostics(r)) {
      const res = {
        ruleId: d.code,
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation,
            region: {
              startLine: d.line,
              startColumn: d.column,
              endLine: d.endLine,
              endColumn: d.endColumn,
              charOffset: d.utf16Offset,
              charLength: Math.max(0, d.utf16EndOffset - d.utf16Offset),
            },
          },
          ...(d.path ? { logicalLocations: [{ fullyQualifiedName: d.path, kind: 'object' }] } : {}),
        }],
        properties: {
          rule: d.rule,
          path: d.path,
          ...(doc ? { document: doc.index, ...(doc.item !== undefined && doc.item !== null ? { item: doc.item } : {}) } : {}),
        },
      };
      if (ruleIndex.has(d.code)) res.ruleIndex = ruleIndex.get(d.code);
      if (d.fix && Array.isArray(d.fix.edits) && d.fix.edits.length) {
        res.fixes = [{
          description: { text: d.fix.message },
          artifactChanges: [{
            artifactLocation,
            replacements: d.fix.edits.map((e) => ({
              deletedRegion: { charOffset: e.utf16Offset, charLength: Math.max(0, e.utf16EndOffset - e.utf16Offset) },
              insertedContent: { text: e.newText },
            })),
          }],
        }];
      }
      sarifResults.push(res);
    }
    const o = opts.omits[i];
    if (o.any) {
      notifications.push({
        descriptor: { id: 'omitted-findings' },
        level: omittedFail(o, opts.strict) ? 'error' : 'warning',
        message: { text: `${r.file}: ${omittedText(o)}` },
        locations: [{ physicalLocation: { artifactLocation } }],
        properties: { omitted: o.total, errors: o.errors, warnings: o.warnings, infos: o.infos },
      });
    }
  });
  if (opts.tooManyWarnings) {
    notifications.push({ descriptor: { id: 'max-warnings' }, level: 'error', message: { text: opts.tooManyWarnings } });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'spiderendpoint',
          semanticVersion: opts.version,
          version: opts.version,
          rules: driverRules,
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + path.sep).href } },
      artifacts: results.map((r) => ({ location: artifactUri(r.file), properties: { summary: r.summary } })),
      columnKind: 'utf16CodeUnits',
      results: sarifResults,
      invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
      properties: { summary },
    }],
  };
  return jsonText(log);
}

function ghEscapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghEscapeProperty(s) {
  return ghEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub workflow commands. Text from the input is made safe first (no control characters reach the log),
 * then escaped as the runner expects. GitHub shows only the first few annotations of each type per step,
 * so the run-level notes come first, then errors, warnings and notices.
 */
function formatGithub(results, summary, opts) {
  const notes = [];
  const byLevel = { error: [], warning: [], notice: [] };
  results.forEach((r, i) => {
    const file = ghEscapeProperty(safe(r.file));
    for (const { d } of allDiagnostics(r)) {
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${file}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${ghEscapeProperty(safe(`${d.code} ${d.rule}`))}`,
      ];
      byLevel[cmd].push(`::${cmd} ${props.join(',')}::${ghEscapeData(safe(d.message))}`);
    }
    const o = opts.omits[i];
    if (o.any) {
      const cmd = omittedFail(o, opts.strict) ? 'error' : 'warning';
      notes.push(`::${cmd} file=${file},title=omitted findings::${ghEscapeData(safe(`${r.file}: ${omittedText(o)}`))}`);
    }
  });
  if (opts.tooManyWarnings) notes.push(`::error title=max-warnings::${ghEscapeData(opts.tooManyWarnings)}`);
  const out = [...notes, ...byLevel.error, ...byLevel.warning, ...byLevel.notice];
  out.push(summaryLine(summary, painter(false)));
  return out.join('\n') + '\n';
}

function xmlEscape(s) {
  return String(s)
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Text from the input for XML: made safe (escaped control characters), then XML-escaped. */
const xmlSafe = (s) => xmlEscape(safe(s));

/**
 * One <testsuite> per file, one <testcase> per document. A document fails when a listed finding fails, and
 * also when it is invalid although its errors are not listed; findings a report leaves out get a testcase of
 * their own, failing when errors (or, with --strict, warnings) are among them. Each suite carries the
 * file's counts (all findings, listed or not) as properties.
 */
function formatJunit(results, summary, opts) {
  const failing = (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning');
  const diagLine = (file, d) => safe(`${file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = [];
  results.forEach((r, i) => {
    const o = opts.omits[i];
    const cases = [];
    const fileCase = { name: '(file)', diags: r.diagnostics, skipped: false };
    if (r.diagnostics.length || !r.documents.length) cases.push(fileCase);
    for (const doc of r.documents) {
      const id = [doc.namespace, doc.name].filter((x) => x != null && x !== '').join('/') || '(unnamed)';
      const item = doc.item !== undefined && doc.item !== null ? ` item ${doc.item}` : '';
      cases.push({
        name: `document ${doc.index}${item} (line ${doc.line}): ${doc.kind || '(no kind)'} ${id}`,
        diags: doc.diagnostics,
        skipped: doc.status === 'skipped',
        invalid: doc.status === 'invalid',
      });
    }
    if (o.any) cases.push({ name: '(findings not listed)', diags: [], omitted: o });
    let sFail = 0;
    let sSkip = 0;
    const body = cases.map((c) => {
      const fails = c.diags.filter(failing);
      const others = c.diags.filter((d) => !failing(d));
      const out = [];
      let inner = '';
      if (fails.length) {
        sFail++;
        inner += `      <failure message="${xmlSafe(`${fails[0].code} ${fails[0].message}`)}" type="${xmlSafe(fails[0].code)}">${xmlEscape(fails.map((d) => diagLine(r.file, d)).join('\n'))}</failure>\n`;
      } else if (c.invalid) {
        sFail++;
        inner += `      <failure message="invalid document; its errors are among the findings not listed" type="invalid">${xmlSafe(`${r.file}: ${omittedText(o)}`)}</failure>\n`;
      } else if (c.omitted && omittedFail(c.omitted, opts.strict)) {
        sFail++;
        inner += `      <failure message="${xmlSafe(omittedText(c.omitted))}" type="omitted-findings">${xmlSafe(`${r.file}: ${omittedText(c.omitted)}`)}</failure>\n`;
      } else if (c.skipped) {
        sSkip++;
        inner += '      <skipped message="not a SpiderEndpoint"/>\n';
      }
      if (others.length) out.push(...others.map((d) => diagLine(r.file, d)));
      if (c.omitted && !omittedFail(c.omitted, opts.strict)) out.push(safe(`${r.file}: ${omittedText(c.omitted)}`));
      if (out.length) inner += `      <system-out>${xmlEscape(out.join('\n'))}</system-out>\n`;
      const open = `    <testcase classname="${xmlSafe(r.file)}" name="${xmlSafe(c.name)}"`;
      return inner ? `${open}>\n${inner}    </testcase>` : `${open}/>`;
    });
    tests += cases.length;
    failures += sFail;
    skipped += sSkip;
    const s = r.summary || {};
    const props = [['errors', s.errors], ['warnings', s.warnings], ['infos', s.infos], ['omitted', o.total]]
      .map(([k, v]) => `      <property name="${k}" value="${Number(v) || 0}"/>`).join('\n');
    suites.push(`  <testsuite name="${xmlSafe(r.file)}" tests="${cases.length}" failures="${sFail}" errors="0" skipped="${sSkip}">\n    <properties>\n${props}\n    </properties>\n${body.join('\n')}\n  </testsuite>`);
  });
  if (opts.tooManyWarnings) {
    tests++;
    failures++;
    suites.push(`  <testsuite name="spiderendpoint" tests="1" failures="1" errors="0" skipped="0">\n    <testcase classname="spiderendpoint" name="--max-warnings ${opts.maxWarnings}">\n      <failure message="${xmlEscape(opts.tooManyWarnings)}" type="max-warnings"/>\n    </testcase>\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="spiderendpoint" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}

async function cmdValidate(argv) {
  const { values, positionals } = parse(bareValidate(argv), {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'spiderpool-version': { type: 'string' },
    ...READING_SPEC,
    strict: { type: 'boolean' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
    'stdin-filename': { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(HELP.validate);
    return EXIT_OK;
  }
  const format = values.format || 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  const reading = readingOptions(values);
  let maxWarnings;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings expects a non-negative integer, not '${values['max-warnings']}'`);
    maxWarnings = Number(values['max-warnings']);
  }
  let args = positionals;
  const implicitStdin = !args.length;
  if (implicitStdin) {
    if (process.stdin.isTTY) throw new UsageError('no input: give files, directories or - for standard input (see --help)');
    args = ['-'];
  }
  if (args.filter((a) => a === '-').length > 1) throw new UsageError("standard input ('-') can be given only once");
  const options = { ...spiderpoolVersionOption(values), ...reading };
  const stdinName = values['stdin-filename'] || '-';

  const problems = [];
  const inputs = collectInputs(args, problems);
  for (const msg of problems) errorLine(msg);
  // An unknown --spiderpool-version is a usage error even when no file could be read.
  if (values['spiderpool-version'] !== undefined) callCore(() => lib().validate('', options));

  const results = [];
  const omits = [];
  const summary = emptySummary();
  let ioFailed = problems.length > 0;
  const bar = progress(inputs.length, inputs.length >= 20 && Boolean(process.stderr.isTTY));
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    bar.tick(i);
    let buf;
    try {
      buf = await readInput(input);
    } catch (err) {
      ioFailed = true;
      errorLine(ioMessage(input.file, err));
      continue;
    }
    // No argument and nothing piped in (e.g. a CI step without input): a mistake, not an empty success.
    if (input.stdin && implicitStdin && buf.length === 0) {
      throw new UsageError('no input: give files, directories or - for standard input (see --help)');
    }
    // One call per file: the whole stream (every document, List items) crosses the boundary once.
    const report = callCore(() => lib().validate(bytesOf(buf), options));
    const file = input.stdin ? stdinName : input.file;
    const omitted = omissions(report);
    addSummary(summary, report.summary, omitted);
    summary.files++;
    results.push({ file, ...report });
    omits.push(omitted);
  }
  bar.done();
  // Nothing could be read: the one-line messages above are the whole output.
  if (ioFailed && !results.length) return EXIT_USAGE;

  // The exit code comes from the summaries, which count every finding (listed or not), before --quiet
  // hides anything. An invalid document fails the run even if its errors were not listed.
  let failed = summary.errors > 0 || summary.invalid > 0;
  if (values.strict && summary.warnings > 0) failed = true;
  let tooManyWarnings;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    failed = true;
    tooManyWarnings = `too many warnings: ${summary.warnings} > --max-warnings ${maxWarnings}`;
  }

  let shown = results;
  if (values.quiet) {
    const onlyErrors = (ds) => ds.filter((d) => d.severity === 'error');
    shown = results.map((r) => ({
      ...r,
      diagnostics: onlyErrors(r.diagnostics),
      documents: r.documents.map((doc) => ({ ...doc, diagnostics: onlyErrors(doc.diagnostics) })),
    }));
  }

  const toFile = values.output !== undefined && values.output !== '-';
  const color = colorEnabled(process.stdout, toFile ? false : colorOption(values));
  const opts = { color, verbose: values.verbose, strict: values.strict, version: lib().version, omits, tooManyWarnings, maxWarnings };
  let text;
  switch (format) {
    case 'json':
      text = formatJson(shown, summary);
      break;
    case 'sarif':
      text = formatSarif(shown, summary, { ...opts, rules: lib().rules() });
      break;
    case 'github':
      text = formatGithub(shown, summary, opts);
      break;
    case 'junit':
      text = formatJunit(shown, summary, opts);
      break;
    default:
      text = formatText(shown, summary, opts);
  }
  // The machine formats keep their own channel clean; a person reading the log sees why the run failed.
  if (tooManyWarnings && (format === 'json' || format === 'sarif' || format === 'junit')) errorLine(tooManyWarnings);
  try {
    writeOut(text, values.output);
  } catch (err) {
    throw new UsageError(writeMessage(values.output, err));
  }
  if (ioFailed) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

// ---------------------------------------------------------------- normalize / convert

function describeValue(v) {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  // Cut by code point (never inside a surrogate pair), then make it safe for the terminal.
  const chars = Array.from(s);
  return safe(chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : s);
}

async function cmdTransform(kind, argv) {
  const spec = {
    write: { type: 'boolean', short: 'w' },
    format: { type: 'string', short: 'f' },
    'spiderpool-version': { type: 'string' },
    ...READING_SPEC,
    quiet: { type: 'boolean', short: 'q' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  };
  if (kind === 'convert') {
    spec.to = { type: 'string', short: 't' };
    spec.lossless = { type: 'boolean' };
  } else {
    spec['drop-unknown'] = { type: 'boolean' };
  }
  const { values, positionals } = parse(bareValidate(argv), spec);
  if (values.help) {
    process.stdout.write(HELP[kind]);
    return EXIT_OK;
  }
  const format = values.format || 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected text or json)`);
  // --field-validation/--validate are accepted for kubectl parity, but only validation has the option.
  const { fieldValidation: _unused, ...reading } = readingOptions(values);
  if (kind === 'convert') {
    if (values.to === undefined) throw new UsageError('convert needs --to v1 or --to v2beta1');
    if (values.to !== 'v1' && values.to !== 'v2beta1') throw new UsageError(`--to expects v1 or v2beta1, not '${values.to}'`);
  }
  let args = positionals;
  if (!args.length) {
    if (process.stdin.isTTY) throw new UsageError('no input: give files or - for standard input (see --help)');
    args = ['-'];
  }
  if (args.filter((a) => a === '-').length > 1) throw new UsageError("standard input ('-') can be given only once");
  if (values.write && args.includes('-')) throw new UsageError('--write cannot rewrite standard input');

  const options = { ...spiderpoolVersionOption(values), ...reading };
  if (kind === 'convert' && values.lossless) options.lossless = true;
  if (kind === 'normalize' && values['drop-unknown']) options.dropUnknown = true;
  const run = (bytes) => (kind === 'convert' ? lib().convert(bytes, values.to, options) : lib().normalize(bytes, options));
  if (values['spiderpool-version'] !== undefined) callCore(() => run(''));

  const p = painter(colorEnabled(process.stderr, colorOption(values)));
  const problems = [];
  const inputs = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ file: '-', stdin: true });
      continue;
    }
    try {
      if (fs.statSync(arg).isDirectory()) {
        problems.push(`'${arg}' is a directory (${kind} takes files)`);
        continue;
      }
    } catch (err) {
      problems.push(ioMessage(arg, err));
      continue;
    }
    inputs.push({ file: arg });
  }
  for (const msg of problems) errorLine(msg);
  let ioFailed = problems.length > 0;

  const reports = [];
  const summary = { files: 0, ok: 0, failed: 0, changed: 0, written: 0 };
  const outputs = [];
  for (const input of inputs) {
    let buf;
    try {
      buf = await readInput(input);
    } catch (err) {
      ioFailed = true;
      errorLine(ioMessage(input.file, err));
      continue;
    }
    const res = callCore(() => run(bytesOf(buf)));
    const hasError = res.diagnostics.some((d) => d.severity === 'error');
    const ok = Boolean(res.ok) && !hasError;
    const changed = res.output !== buf.toString('utf8');
    let written = false;
    if (values.write) {
      if (ok && changed) {
        try {
          writeTarget(input.file, res.output);
          written = true;
        } catch (err) {
          ioFailed = true;
          errorLine(writeMessage(input.file, err));
        }
      }
    } else {
      outputs.push(res.output);
    }
    summary.files++;
    summary[ok ? 'ok' : 'failed']++;
    if (changed) summary.changed++;
    if (written) summary.written++;
    reports.push({ file: input.file, ok, changed, written, changes: res.changes, diagnostics: res.diagnostics, edits: res.edits });
  }

  // Nothing could be read: the one-line messages above are the whole output.
  if (ioFailed && !reports.length) return EXIT_USAGE;

  if (!values.write && outputs.length) {
    // Several inputs become one YAML stream.
    let text = '';
    outputs.forEach((o, i) => {
      if (i > 0 && !/^---(\s|$)/.test(o)) text += '---\n';
      text += o;
      if (o.length && !o.endsWith('\n')) text += '\n';
    });
    process.stdout.write(text);
  }

  if (format === 'json') {
    const shown = values.quiet
      ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') }))
      : reports;
    process.stderr.write(jsonText({ results: shown, summary }));
  } else {
    const lines = [];
    for (const r of reports) {
      for (const d of r.diagnostics) {
        if (values.quiet && d.severity !== 'error') continue;
        lines.push(diagnosticText(r.file, d, p));
      }
      if (!values.quiet) {
        for (const c of r.changes) {
          const where = `document ${c.document}${c.item !== undefined && c.item !== null ? ` item ${c.item}` : ''}`;
          const fromTo = c.from !== undefined || c.to !== undefined
            ? ` ${p.dim(`(${describeValue(c.from) || '-'} -> ${describeValue(c.to) || '-'})`)}` : '';
          lines.push(`${p.bold(safe(r.file))}: ${where}: ${safe(c.kind)} ${safe(c.path || '/')}: ${safe(c.message)}${fromTo}`);
        }
      }
      if (!r.ok) lines.push(`${p.bold(safe(r.file))}: ${p.red(kind === 'convert' ? 'not converted' : 'not normalized')}${values.write ? ' (file left unchanged)' : ' (output keeps the failing documents unchanged)'}`);
    }
    const verb = kind === 'convert' ? `converted to ${values.to}` : 'normalized';
    let tail = `${plural(summary.files, 'file')} ${verb}: ${summary.ok} ok, ${summary.failed ? p.red(`${summary.failed} failed`) : '0 failed'}, ${summary.changed} changed`;
    if (values.write) tail += `, ${summary.written} rewritten`;
    lines.push(tail);
    process.stderr.write(lines.join('\n') + '\n');
  }
  if (ioFailed) return EXIT_USAGE;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

// ---------------------------------------------------------------- schema / rules

function cmdSchema(argv) {
  const { values, positionals } = parse(argv, {
    'spiderpool-version': { type: 'string' },
    'api-version': { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    process.stdout.write(HELP.schema);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`schema takes no arguments (got '${positionals[0]}')`);
  const options = spiderpoolVersionOption(values);
  if (values['api-version'] !== undefined) {
    const v = values['api-version'].replace(/^spiderpool\.spidernet\.io\//, '');
    if (v !== 'v1' && v !== 'v2beta1') throw new UsageError(`--api-version expects v1 or v2beta1, not '${values['api-version']}'`);
    options.apiVersion = v;
  }
  const schema = callCore(() => lib().schema(options));
  try {
    writeOut(JSON.stringify(schema, null, 2) + '\n', values.output);
  } catch (err) {
    throw new UsageError(writeMessage(values.output, err));
  }
  return EXIT_OK;
}

function cmdRules(argv) {
  const { values, positionals } = parse(argv, { format: { type: 'string', short: 'f' } });
  if (values.help) {
    process.stdout.write(HELP.rules);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`rules takes no arguments (got '${positionals[0]}')`);
  const format = values.format || 'text';
  const rules = lib().rules();
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
  } else if (format === 'markdown') {
    const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const rows = rules.map((r) => `| ${cell(r.code)} | ${cell(r.rule)} | ${cell(r.severity)} | ${cell(r.summary)} |`);
    process.stdout.write(['| code | rule | severity | summary |', '|---|---|---|---|', ...rows].join('\n') + '\n');
  } else if (format === 'text') {
    const w = (k) => Math.max(...rules.map((r) => String(r[k]).length), 0);
    const [wc, wr, ws] = [w('code'), w('rule'), w('severity')];
    const rows = rules.map((r) => `${r.code.padEnd(wc)}  ${r.severity.padEnd(ws)}  ${r.rule.padEnd(wr)}  ${r.summary}`);
    process.stdout.write(rows.join('\n') + (rows.length ? '\n' : ''));
  } else {
    throw new UsageError(`unknown format '${format}' (expected text, json or markdown)`);
  }
  return EXIT_OK;
}

// ---------------------------------------------------------------- main

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      process.stderr.write(HELP.main);
      return EXIT_USAGE;
    case '-h':
    case '--help':
      process.stdout.write(HELP.main);
      return EXIT_OK;
    case 'help':
      if (rest[0] && HELP[rest[0]] && rest[0] !== 'main') {
        process.stdout.write(HELP[rest[0]]);
      } else if (rest[0]) {
        throw new UsageError(`unknown command '${rest[0]}'`);
      } else {
        process.stdout.write(HELP.main);
      }
      return EXIT_OK;
    case '-V':
    case '--version':
    case 'version':
      process.stdout.write(`${lib().version}\n`);
      return EXIT_OK;
    case 'validate':
      return cmdValidate(rest);
    case 'normalize':
      return cmdTransform('normalize', rest);
    case 'convert':
      return cmdTransform('convert', rest);
    case 'schema':
      return cmdSchema(rest);
    case 'rules':
      return cmdRules(rest);
    default:
      throw new UsageError(`unknown command '${cmd}' (expected validate, normalize, convert, schema or rules; see --help)`);
  }
}

// Output is flushed before exiting: set process.exitCode instead of calling process.exit().
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode || 0); // e.g. `spiderendpoint ... | head`
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      errorLine(err.message);
    } else {
      errorLine(err && err.message ? err.message : String(err));
      if (process.env.SPIDERENDPOINT_DEBUG) process.stderr.write(`${String(err && err.stack).split('\n').map(safe).join('\n')}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
