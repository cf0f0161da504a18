// @ts-check
'use strict';
// `spiderendpoint validate`: check files, directories or standard input and report in one of five formats.

const { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib, callCore } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str, colorOption, COLOR_SPEC, READING_SPEC, bareValidate, readingOptions, spiderpoolVersionOption, inputArgs } = require('../args.js');
const { readInput, bytesOf, ioMessage, writeOut, writeMessage } = require('../files.js');
const { collectInputs, progress } = require('../walk.js');
const { errorLine } = require('../safe.js');
const { colorEnabled } = require('../paint.js');
const { emptySummary, addSummary, omissions } = require('../report.js');
const { FORMATS, formatter } = require('../format/index.js');

/**
 * @typedef {import('../report.js').FileResult} FileResult
 * @typedef {import('../report.js').Omitted} Omitted
 * @typedef {import('../report.js').Diagnostic} Diagnostic
 */

/** @type {Record<string, import('../args.js').OptionSpec>} */
const SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'spiderpool-version': { type: 'string' },
  ...READING_SPEC,
  strict: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'stdin-filename': { type: 'string' },
  ...COLOR_SPEC,
};

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
 * @param {string[]} argv the arguments after `validate`
 * @returns {Promise<number>} the exit code
 */
async function cmdValidate(argv) {
  const { values, positionals } = parse(bareValidate(argv), SPEC);
  if (values.help) {
    process.stdout.write(HELP.validate);
    return EXIT_OK;
  }
  const format = str(values, 'format') || 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  const reading = readingOptions(values);
  let maxWarnings;
  const mw = str(values, 'max-warnings');
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`--max-warnings expects a non-negative integer, not '${mw}'`);
    maxWarnings = Number(mw);
  }
  const { args, implicitStdin } = inputArgs(positionals, 'files, directories');
  const options = { ...spiderpoolVersionOption(values), ...reading };
  const stdinName = str(values, 'stdin-filename') || '-';

  /** @type {string[]} */
  const problems = [];
  const inputs = collectInputs(args, problems);
  for (const msg of problems) errorLine(msg);
  // An unknown --spiderpool-version is a usage error even when no file could be read.
  if (options.spiderpoolVersion !== undefined) callCore(() => lib().validate('', options));

  /** @type {FileResult[]} */
  const results = [];
  /** @type {Omitted[]} */
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

  const shown = values.quiet ? onlyErrors(results) : results;
  const output = str(values, 'output');
  const toFile = output !== undefined && output !== '-';
  const color = colorEnabled(process.stdout, toFile ? false : colorOption(values));
  const opts = {
    color, verbose: Boolean(values.verbose), strict: Boolean(values.strict), version: lib().version, omits, tooManyWarnings, maxWarnings,
    rules: format === 'sarif' ? lib().rules() : [],
  };
  const text = formatter(format)(shown, summary, opts);
  // The machine formats keep their own channel clean; a person reading the log sees why the run failed.
  if (tooManyWarnings && (format === 'json' || format === 'sarif' || format === 'junit')) errorLine(tooManyWarnings);
  try {
    writeOut(text, output);
  } catch (err) {
    throw new UsageError(writeMessage(output, err));
  }
  if (ioFailed) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

module.exports = { cmdValidate };
