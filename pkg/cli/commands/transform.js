// @ts-check
'use strict';
// What `normalize` and `convert` share: read files (or standard input), transform each, print the output
// (or rewrite the files with --write) and the change report on standard error.

const fs = require('node:fs');
const { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib, callCore } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str, colorOption, COLOR_SPEC, READING_SPEC, bareValidate, readingOptions, spiderpoolVersionOption, inputArgs } = require('../args.js');
const { readOrReport, bytesOf, tryIo, writeOrReport } = require('../files.js');
const { errorLine, safe, jsonText, plural } = require('../safe.js');
const { colorEnabled, painter } = require('../paint.js');
const { diagnosticLine, documentName } = require('../report.js');
const { checkRelease } = require('../settings.js');

/**
 * @typedef {import('spiderendpoint').TransformResult} TransformResult
 * @typedef {import('spiderendpoint').Change} Change
 * @typedef {import('spiderendpoint').Diagnostic} Diagnostic
 * @typedef {import('spiderendpoint').TextEdit} TextEdit
 * @typedef {import('../files.js').Input} Input
 * @typedef {{file: string, ok: boolean, changed: boolean, written: boolean, changes: Change[],
 *   diagnostics: Diagnostic[], edits: TextEdit[]}} TransformReport
 */

/**
 * A value of a change, short (at most 60 characters) and safe for the terminal.
 * @param {unknown} v
 */
function describeValue(v) {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  // Cut by code point (never inside a surrogate pair), then make it safe for the terminal.
  const chars = Array.from(s);
  return safe(chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : s);
}

/**
 * The inputs of a transform: files and "-"; directories are usage problems.
 * @param {string[]} args
 * @param {string} kind
 * @param {string[]} problems
 */
function transformInputs(args, kind, problems) {
  /** @type {Input[]} */
  const inputs = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ file: '-', stdin: true });
      continue;
    }
    const st = tryIo(arg, () => fs.statSync(arg), problems);
    if (st === undefined) continue;
    if (st.isDirectory()) {
      problems.push(`'${arg}' is a directory (${kind} takes files)`);
      continue;
    }
    inputs.push({ file: arg });
  }
  return inputs;
}

/**
 * Several outputs as one YAML stream.
 * @param {string[]} outputs
 */
function joinStream(outputs) {
  let text = '';
  outputs.forEach((o, i) => {
    if (i > 0 && !/^---(\s|$)/.test(o)) text += '---\n';
    text += o;
    if (o.length && !o.endsWith('\n')) text += '\n';
  });
  return text;
}

/**
 * The text report on standard error: findings, changes, failures and the summary line.
 * @param {'normalize' | 'convert'} kind
 * @param {TransformReport[]} reports
 * @param {{files: number, ok: number, failed: number, changed: number, written: number}} summary
 * @param {{quiet: boolean, write: boolean, to: string | undefined, color: boolean}} o
 */
function textReport(kind, reports, summary, o) {
  const p = painter(o.color);
  /** @type {string[]} */
  const lines = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (o.quiet && d.severity !== 'error') continue;
      lines.push(diagnosticLine(r.file, d, p));
    }
    if (!o.quiet) {
      for (const c of r.changes) {
        const where = documentName({ index: c.document, item: c.item });
        const fromTo = c.from !== undefined || c.to !== undefined
          ? ` ${p.dim(`(${describeValue(c.from) || '-'} -> ${describeValue(c.to) || '-'})`)}` : '';
        lines.push(`${p.bold(safe(r.file))}: ${where}: ${safe(c.kind)} ${safe(c.path || '/')}: ${safe(c.message)}${fromTo}`);
      }
    }
    if (!r.ok) lines.push(`${p.bold(safe(r.file))}: ${p.red(kind === 'convert' ? 'not converted' : 'not normalized')}${o.write ? ' (file left unchanged)' : ' (output keeps the failing documents unchanged)'}`);
  }
  const verb = kind === 'convert' ? `converted to ${o.to}` : 'normalized';
  let tail = `${plural(summary.files, 'file')} ${verb}: ${summary.ok} ok, ${summary.failed ? p.red(`${summary.failed} failed`) : '0 failed'}, ${summary.changed} changed`;
  if (o.write) tail += `, ${summary.written} rewritten`;
  lines.push(tail);
  return lines.join('\n') + '\n';
}

/**
 * @param {'normalize' | 'convert'} kind
 * @param {string[]} argv the arguments after the command
 * @returns {Promise<number>} the exit code
 */
async function cmdTransform(kind, argv) {
  /** @type {Record<string, import('../args.js').OptionSpec>} */
  const spec = {
    write: { type: 'boolean', short: 'w' },
    format: { type: 'string', short: 'f' },
    'spiderpool-version': { type: 'string' },
    ...READING_SPEC,
    quiet: { type: 'boolean', short: 'q' },
    ...COLOR_SPEC,
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
  const format = str(values, 'format') || 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected text or json)`);
  // --field-validation/--validate are accepted for kubectl parity, but only validation has the option.
  const { fieldValidation: _unused, ...reading } = readingOptions(values);
  const to = str(values, 'to');
  if (kind === 'convert') {
    if (to === undefined) throw new UsageError('convert needs --to v1 or --to v2beta1');
    if (to !== 'v1' && to !== 'v2beta1') throw new UsageError(`--to expects v1 or v2beta1, not '${to}'`);
  }
  const { args } = inputArgs(positionals, 'files');
  const write = Boolean(values.write);
  const quiet = Boolean(values.quiet);
  if (write && args.includes('-')) throw new UsageError('--write cannot rewrite standard input');

  const base = { ...spiderpoolVersionOption(values), ...reading };
  /** @type {import('spiderendpoint').ConvertOptions} */
  const convertOptions = { ...base, ...(values.lossless ? { lossless: true } : {}) };
  /** @type {import('spiderendpoint').NormalizeOptions} */
  const normalizeOptions = { ...base, ...(values['drop-unknown'] ? { dropUnknown: true } : {}) };
  /** @param {string | Uint8Array} bytes @returns {TransformResult} */
  const run = (bytes) => (kind === 'convert'
    ? lib().convert(bytes, to === 'v1' ? 'v1' : 'v2beta1', convertOptions)
    : lib().normalize(bytes, normalizeOptions));
  const options = base;
  if (options.spiderpoolVersion !== undefined) {
    checkRelease(options.spiderpoolVersion);
    callCore(() => run('')); // a release that cannot be the target (e.g. v1 of a v2beta1-only release)
  }

  /** @type {string[]} */
  const problems = [];
  const inputs = transformInputs(args, kind, problems);
  for (const msg of problems) errorLine(msg);
  let ioFailed = problems.length > 0;

  /** @type {TransformReport[]} */
  const reports = [];
  const summary = { files: 0, ok: 0, failed: 0, changed: 0, written: 0 };
  /** @type {string[]} */
  const outputs = [];
  for (const input of inputs) {
    const buf = await readOrReport(input);
    if (buf === null) {
      ioFailed = true;
      continue;
    }
    const res = callCore(() => run(bytesOf(buf)));
    const hasError = res.diagnostics.some((d) => d.severity === 'error');
    const ok = Boolean(res.ok) && !hasError;
    const changed = res.output !== buf.toString('utf8');
    let written = false;
    if (write) {
      if (ok && changed) {
        written = writeOrReport(input.file, res.output);
        if (!written) ioFailed = true;
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
  if (!write && outputs.length) process.stdout.write(joinStream(outputs));

  if (format === 'json') {
    const shown = quiet ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') })) : reports;
    process.stderr.write(jsonText({ results: shown, summary }));
  } else {
    const color = colorEnabled(process.stderr, colorOption(values));
    process.stderr.write(textReport(kind, reports, summary, { quiet, write, to, color }));
  }
  if (ioFailed) return EXIT_USAGE;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

module.exports = { cmdTransform };
