// @ts-check
'use strict';
// What the command bodies of validate and audit share: the flags common to both (--help, --format,
// --max-warnings), reading the inputs in order (an I/O problem is a one-line message and the run goes on),
// the verdict from the summaries, the rendering in the chosen format and the exit code.

const { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib } = require('./core.js');
const { HELP } = require('./help.js');
const { parse, str, colorOption, bareValidate, COLOR_SPEC, READING_SPEC } = require('./args.js');
const { readOrReport, writeOut, writeMessage } = require('./files.js');
const { progress } = require('./walk.js');
const { errorLine } = require('./safe.js');
const { colorEnabled } = require('./paint.js');
const { emptySummary, addSummary, omissions } = require('./report.js');
const { FORMATS, formatter } = require('./format/index.js');

/**
 * @typedef {import('./report.js').FileResult} FileResult
 * @typedef {import('./report.js').Diagnostic} Diagnostic
 * @typedef {import('./report.js').FormatOptions} FormatOptions
 * @typedef {import('./files.js').Input} Input
 * @typedef {import('./args.js').Values} Values
 * @typedef {{values: Values, positionals: string[], format: string, maxWarnings: number | undefined}} Run
 */

/** @type {Record<string, import('./args.js').OptionSpec>} the flags of both validate and audit */
const RUN_SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'spiderpool-version': { type: 'string' },
  ...READING_SPEC,
  rule: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'no-gitignore': { type: 'boolean' },
  strict: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'stdin-filename': { type: 'string' },
  ...COLOR_SPEC,
};

/**
 * The command line of a run, or null when --help was asked for (and printed).
 * @param {string[]} argv the arguments after the command
 * @param {Record<string, import('./args.js').OptionSpec>} spec
 * @param {'validate' | 'audit'} command
 * @returns {Run | null}
 */
function startRun(argv, spec, command) {
  const { values, positionals } = parse(bareValidate(argv), spec);
  if (values.help) {
    process.stdout.write(HELP[command]);
    return null;
  }
  const format = str(values, 'format') || 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  let maxWarnings;
  const mw = str(values, 'max-warnings');
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`--max-warnings expects a non-negative integer, not '${mw}'`);
    maxWarnings = Number(mw);
  }
  return { values, positionals, format, maxWarnings };
}

/**
 * Reads the inputs in order: `read` is the command's own I/O (its error becomes a one-line message and the
 * other inputs are read), `size` the bytes it got, `take` what the input becomes (a template's skipped result,
 * a file to check...).
 * @template R, T
 * @param {Input[]} inputs
 * @param {{stdinName: string, implicitStdin: boolean}} o
 * @param {{read: (input: Input) => Promise<R>, size: (raw: R) => number, take: (raw: R, input: Input, name: string) => T}} f
 * @returns {Promise<{slots: T[], ioFailed: boolean}>}
 */
async function readInputs(inputs, o, f) {
  /** @type {T[]} */
  const slots = [];
  let ioFailed = false;
  const bar = progress(inputs.length, inputs.length >= 20 && Boolean(process.stderr.isTTY));
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    bar.tick(i);
    const raw = await readOrReport(input, f.read);
    if (raw === null) {
      ioFailed = true;
      continue;
    }
    // No argument and nothing piped in (e.g. a CI step without input): a mistake, not an empty success.
    if (input.stdin && o.implicitStdin && f.size(raw) === 0) {
      throw new UsageError('no input: give files, directories or - for standard input (see --help)');
    }
    slots.push(f.take(raw, input, input.stdin ? o.stdinName : input.file));
  }
  bar.done();
  return { slots, ioFailed };
}

/**
 * The results with only their errors (--quiet).
 * @param {FileResult[]} results
 * @returns {FileResult[]}
 */
function onlyErrors(results) {
  /** @param {Diagnostic[]} ds */
  const errors = (ds) => ds.filter((d) => d.severity === 'error');
  return results.map((r) => ({
    ...r,
    diagnostics: errors(r.diagnostics),
    documents: r.documents.map((doc) => ({ ...doc, diagnostics: errors(doc.diagnostics) })),
  }));
}

/**
 * Ends a run: the verdict from the summaries, the report in the run's format (or `diff`, for --fix-dry-run)
 * written to standard output or --output, and the exit code.
 * @param {Run} run
 * @param {FileResult[]} results
 * @param {{ioFailed: boolean, diff?: string, formatOptions?: Partial<FormatOptions>,
 *   epilogue?: (color: boolean) => string}} o `epilogue`: text added after the text format's report
 * @returns {number} the exit code
 */
function finishRun(run, results, o) {
  const { values, format, maxWarnings } = run;
  const summary = emptySummary();
  const omits = results.map((r) => {
    const omitted = omissions(r);
    addSummary(summary, r.summary, omitted);
    summary.files++;
    if (r.skipped) summary.templates++;
    return omitted;
  });
  // The exit code comes from the summaries, which count every finding (listed or not), before --quiet
  // hides anything. An invalid document fails the run even if its errors were not listed.
  let failed = summary.errors > 0 || summary.invalid > 0;
  if (values.strict && summary.warnings > 0) failed = true;
  let tooManyWarnings;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    failed = true;
    tooManyWarnings = `too many warnings: ${summary.warnings} > --max-warnings ${maxWarnings}`;
  }

  const output = str(values, 'output');
  if (o.diff !== undefined) {
    // The diff is the output; the report's verdict is the exit code (and --max-warnings says why).
    if (tooManyWarnings) errorLine(tooManyWarnings);
    writeResult(o.diff, output);
  } else {
    const shown = values.quiet ? onlyErrors(results) : results;
    const toFile = output !== undefined && output !== '-';
    const color = colorEnabled(process.stdout, toFile ? false : colorOption(values));
    /** @type {FormatOptions} */
    const opts = {
      color, verbose: Boolean(values.verbose), strict: Boolean(values.strict), version: lib().version, omits, tooManyWarnings, maxWarnings,
      rules: format === 'sarif' ? lib().rules() : [], ...o.formatOptions,
    };
    let text = formatter(format)(shown, summary, opts);
    if (format === 'text' && o.epilogue) text = `${text}\n${o.epilogue(color)}`;
    // The machine formats keep their own channel clean; a person reading the log sees why the run failed.
    if (tooManyWarnings && (format === 'json' || format === 'sarif' || format === 'junit')) errorLine(tooManyWarnings);
    writeResult(text, output);
  }
  if (o.ioFailed) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * @param {string} text
 * @param {string | undefined} output -o/--output
 */
function writeResult(text, output) {
  try {
    writeOut(text, output);
  } catch (err) {
    throw new UsageError(writeMessage(output, err));
  }
}

module.exports = { RUN_SPEC, startRun, readInputs, finishRun };
