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
  -o, --output FILE            write the report to FILE instead of standard output
      --spiderpool-version V   check against Spiderpool release V (e.g. 0.6, v0.9.3, 1.2);
                               default: the newest release of each document's apiVersion
      --strict                 warnings fail the run (exit 1)
      --max-warnings N         fail (exit 1) when there are more than N warnings
  -q, --quiet                  report errors only (warnings still count for --strict/--max-warnings)
  -v, --verbose                text format: also list each document with its status
      --stdin-filename NAME    the file name to report for standard input (default "-")
      --color, --no-color      force or disable colour (default: on a terminal, unless NO_COLOR is set)
  -h, --help                   show this help

Exit codes: 0 no errors, 1 errors (or warnings with --strict / over --max-warnings), 2 usage or I/O error.
`,
  normalize: `Usage: spiderendpoint normalize [options] [FILE|-]...

Prints each document normalized (null fields pruned, vlan defaulted...; comments, order and untouched lines
kept) to standard output, or rewrites the files with --write. The change report goes to standard error.

Options:
  -w, --write                  rewrite the files in place (atomically); a file whose transformation
                               failed is never touched
      --drop-unknown           also drop fields the API server would prune
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest)
  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

Exit codes: 0 success, 1 a document could not be transformed, 2 usage or I/O error.
`,
  convert: `Usage: spiderendpoint convert --to v1|v2beta1 [options] [FILE|-]...

Converts SpiderEndpoint documents between spiderpool.spidernet.io/v1 (Spiderpool <= 0.3) and v2beta1.
The converted text goes to standard output (or back into the files with --write); the loss/change report
goes to standard error.

Options:
  -t, --to VERSION             target apiVersion: v1 or v2beta1 (required)
      --lossless               keep the fields the target cannot hold in an annotation (restored on the way back)
  -w, --write                  rewrite the files in place (atomically); a file whose conversion failed is
                               never touched
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest of the target version)
  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

Exit codes: 0 success, 1 a document could not be converted, 2 usage or I/O error.
`,
  schema: `Usage: spiderendpoint schema [options]

Prints the JSON Schema (draft-07) of a SpiderEndpoint, e.g. for yaml-language-server.

Options:
      --spiderpool-version V   the schema of Spiderpool release V (default: the newest)
      --api-version VERSION    v1 or v2beta1 (default: the version of that release)
  -o, --output FILE            write to FILE instead of standard output
  -h, --help                   show this help
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

function ioMessage(file, err) {
  const what = file === '-' ? 'standard input' : `'${file}'`;
  const reasons = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
    EMFILE: 'too many open files',
  };
  return `cannot read ${what}: ${reasons[err && err.code] || (err && err.message) || String(err)}`;
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

function writeOut(text, outputFile) {
  if (outputFile) {
    writeFileAtomic(outputFile, text);
  } else {
    process.stdout.write(text);
  }
}

function writeFileAtomic(file, data) {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    const fd = fs.openSync(tmp, 'wx', mode === undefined ? 0o644 : mode);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* the temporary file was never created */
    }
    throw err;
  }
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

function emptySummary() {
  return { files: 0, documents: 0, valid: 0, invalid: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, truncated: false };
}

function addSummary(total, s) {
  for (const k of ['documents', 'valid', 'invalid', 'skipped', 'errors', 'warnings', 'infos']) total[k] += Number(s && s[k]) || 0;
  // A file with more findings than the engine reports (10,000) has only the first ones listed.
  if (s && s.truncated) total.truncated = true;
}

function summaryLine(s, p) {
  const docs = `${plural(s.files, 'file')}, ${plural(s.documents, 'document')}: ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped`;
  const counts = [
    s.errors ? p.red(plural(s.errors, 'error')) : plural(s.errors, 'error'),
    s.warnings ? p.yellow(plural(s.warnings, 'warning')) : plural(s.warnings, 'warning'),
    plural(s.infos, 'info', 'infos'),
  ].join(', ');
  return `${docs}; ${counts}${s.truncated ? ' (some files have more findings than listed)' : ''}`;
}

/** All diagnostics of a result (file-level first, then per document), each with its document. */
function* allDiagnostics(result) {
  for (const d of result.diagnostics) yield { d, doc: null };
  for (const doc of result.documents) for (const d of doc.diagnostics) yield { d, doc };
}

function formatText(results, summary, opts) {
  const p = painter(opts.color);
  const out = [];
  for (const r of results) {
    const lines = [];
    if (opts.verbose) {
      for (const doc of r.documents) {
        const st = doc.status === 'valid' ? p.green(doc.status) : doc.status === 'invalid' ? p.red(doc.status) : p.dim(doc.status);
        const id = [doc.namespace, doc.name].filter((x) => x != null && x !== '').join('/') || '(unnamed)';
        const where = doc.item !== undefined && doc.item !== null ? ` item ${doc.item}` : '';
        lines.push({
          line: doc.line, col: 0, order: 0,
          text: `${p.bold(`${r.file}:${doc.line}:1`)} ${st} ${doc.kind || '(no kind)'} ${id} ${p.dim(`(document ${doc.index}${where}${doc.apiVersion ? `, ${doc.apiVersion}` : ''})`)}`,
        });
      }
    }
    for (const { d } of allDiagnostics(r)) {
      lines.push({
        line: d.line, col: d.column, order: 1,
        text: `${p.bold(`${r.file}:${d.line}:${d.column}`)} ${p.severity(d.severity)} ${p.dim(d.code)} ${d.message}`,
      });
    }
    lines.sort((a, b) => a.line - b.line || a.order - b.order || a.col - b.col);
    for (const l of lines) out.push(l.text);
  }
  out.push(summaryLine(summary, p));
  return out.join('\n') + '\n';
}

function formatJson(results, summary) {
  return JSON.stringify({ results, summary }, null, 2) + '\n';
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
  for (const r of results) {
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
      artifacts: results.map((r) => ({ location: artifactUri(r.file) })),
      columnKind: 'utf16CodeUnits',
      results: sarifResults,
      invocations: [{ executionSuccessful: true }],
      properties: { summary },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ghEscapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghEscapeProperty(s) {
  return ghEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function formatGithub(results, summary) {
  const out = [];
  for (const r of results) {
    for (const { d } of allDiagnostics(r)) {
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${ghEscapeProperty(r.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${ghEscapeProperty(`${d.code} ${d.rule}`)}`,
      ];
      out.push(`::${cmd} ${props.join(',')}::${ghEscapeData(d.message)}`);
    }
  }
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

function formatJunit(results, summary, opts) {
  const failing = (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning');
  const diagLine = (file, d) => `${file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = [];
  for (const r of results) {
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
      });
    }
    let sFail = 0;
    let sSkip = 0;
    const body = cases.map((c) => {
      const fails = c.diags.filter(failing);
      const others = c.diags.filter((d) => !failing(d));
      let inner = '';
      if (fails.length) {
        sFail++;
        inner += `      <failure message="${xmlEscape(`${fails[0].code} ${fails[0].message}`)}" type="${xmlEscape(fails[0].code)}">${xmlEscape(fails.map((d) => diagLine(r.file, d)).join('\n'))}</failure>\n`;
      } else if (c.skipped) {
        sSkip++;
        inner += '      <skipped message="not a SpiderEndpoint"/>\n';
      }
      if (others.length) inner += `      <system-out>${xmlEscape(others.map((d) => diagLine(r.file, d)).join('\n'))}</system-out>\n`;
      const open = `    <testcase classname="${xmlEscape(r.file)}" name="${xmlEscape(c.name)}"`;
      return inner ? `${open}>\n${inner}    </testcase>` : `${open}/>`;
    });
    tests += cases.length;
    failures += sFail;
    skipped += sSkip;
    suites.push(`  <testsuite name="${xmlEscape(r.file)}" tests="${cases.length}" failures="${sFail}" errors="0" skipped="${sSkip}">\n${body.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="spiderendpoint" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}

async function cmdValidate(argv) {
  const { values, positionals } = parse(argv, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'spiderpool-version': { type: 'string' },
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
  const options = spiderpoolVersionOption(values);
  const stdinName = values['stdin-filename'] || '-';

  const problems = [];
  const inputs = collectInputs(args, problems);
  for (const msg of problems) process.stderr.write(`spiderendpoint: ${msg}\n`);
  // An unknown --spiderpool-version is a usage error even when no file could be read.
  if (values['spiderpool-version'] !== undefined) callCore(() => lib().validate('', options));

  const results = [];
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
      process.stderr.write(`spiderendpoint: ${ioMessage(input.file, err)}\n`);
      continue;
    }
    // No argument and nothing piped in (e.g. a CI step without input): a mistake, not an empty success.
    if (input.stdin && implicitStdin && buf.length === 0) {
      throw new UsageError('no input: give files, directories or - for standard input (see --help)');
    }
    // One call per file: the whole stream (every document, List items) crosses the boundary once.
    const report = callCore(() => lib().validate(bytesOf(buf), options));
    const file = input.stdin ? stdinName : input.file;
    addSummary(summary, report.summary);
    summary.files++;
    results.push({ file, ...report });
  }
  bar.done();
  // Nothing could be read: the one-line messages above are the whole output.
  if (ioFailed && !results.length) return EXIT_USAGE;

  // What counts for the exit code is computed before --quiet hides anything.
  let failed = summary.errors > 0;
  if (values.strict && summary.warnings > 0) failed = true;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) failed = true;

  let shown = results;
  if (values.quiet) {
    const onlyErrors = (ds) => ds.filter((d) => d.severity === 'error');
    shown = results.map((r) => ({
      ...r,
      diagnostics: onlyErrors(r.diagnostics),
      documents: r.documents.map((doc) => ({ ...doc, diagnostics: onlyErrors(doc.diagnostics) })),
    }));
  }

  const color = colorEnabled(process.stdout, values.output ? false : colorOption(values));
  const opts = { color, verbose: values.verbose, strict: values.strict, version: lib().version };
  let text;
  switch (format) {
    case 'json':
      text = formatJson(shown, summary);
      break;
    case 'sarif':
      text = formatSarif(shown, summary, { ...opts, rules: lib().rules() });
      break;
    case 'github':
      text = formatGithub(shown, summary);
      break;
    case 'junit':
      text = formatJunit(shown, summary, opts);
      break;
    default:
      text = formatText(shown, summary, opts);
      if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
        text += `too many warnings: ${summary.warnings} > --max-warnings ${maxWarnings}\n`;
      }
  }
  try {
    writeOut(text, values.output);
  } catch (err) {
    throw new UsageError(`cannot write '${values.output}': ${err.code === 'ENOENT' ? 'no such directory' : err.message}`);
  }
  if (ioFailed) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

// ---------------------------------------------------------------- normalize / convert

function describeValue(v) {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

async function cmdTransform(kind, argv) {
  const spec = {
    write: { type: 'boolean', short: 'w' },
    format: { type: 'string', short: 'f' },
    'spiderpool-version': { type: 'string' },
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
  const { values, positionals } = parse(argv, spec);
  if (values.help) {
    process.stdout.write(HELP[kind]);
    return EXIT_OK;
  }
  const format = values.format || 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected text or json)`);
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

  const options = spiderpoolVersionOption(values);
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
  for (const msg of problems) process.stderr.write(`spiderendpoint: ${msg}\n`);
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
      process.stderr.write(`spiderendpoint: ${ioMessage(input.file, err)}\n`);
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
          writeFileAtomic(input.file, res.output);
          written = true;
        } catch (err) {
          ioFailed = true;
          process.stderr.write(`spiderendpoint: cannot write '${input.file}': ${err.message}\n`);
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
    process.stderr.write(JSON.stringify({ results: shown, summary }, null, 2) + '\n');
  } else {
    const lines = [];
    for (const r of reports) {
      for (const d of r.diagnostics) {
        if (values.quiet && d.severity !== 'error') continue;
        lines.push(`${p.bold(`${r.file}:${d.line}:${d.column}`)} ${p.severity(d.severity)} ${p.dim(d.code)} ${d.message}`);
      }
      if (!values.quiet) {
        for (const c of r.changes) {
          const where = `document ${c.document}${c.item !== undefined && c.item !== null ? ` item ${c.item}` : ''}`;
          const fromTo = c.from !== undefined || c.to !== undefined
            ? ` ${p.dim(`(${describeValue(c.from) || '-'} -> ${describeValue(c.to) || '-'})`)}` : '';
          lines.push(`${p.bold(r.file)}: ${where}: ${c.kind} ${c.path || '/'}: ${c.message}${fromTo}`);
        }
      }
      if (!r.ok) lines.push(`${p.bold(r.file)}: ${p.red(kind === 'convert' ? 'not converted' : 'not normalized')}${values.write ? ' (file left unchanged)' : ' (output keeps the failing documents unchanged)'}`);
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
    throw new UsageError(`cannot write '${values.output}': ${err.message}`);
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
      process.stderr.write(`spiderendpoint: ${err.message}\n`);
    } else {
      process.stderr.write(`spiderendpoint: ${err && err.message ? err.message : String(err)}\n`);
      if (process.env.SPIDERENDPOINT_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
