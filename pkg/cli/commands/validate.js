// @ts-check
'use strict';
// `spiderendpoint validate`: check files, directories or standard input and report in one of five formats.

const { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str, colorOption, COLOR_SPEC, READING_SPEC, bareValidate, inputArgs } = require('../args.js');
const { writeOut, writeMessage } = require('../files.js');
const { collectInputs } = require('../walk.js');
const { errorLine } = require('../safe.js');
const { colorEnabled } = require('../paint.js');
const { emptySummary, addSummary, omissions } = require('../report.js');
const { resolveSettings } = require('../settings.js');
const { checkInputs } = require('../check.js');
const { FORMATS, formatter } = require('../format/index.js');

/**
 * @typedef {import('../report.js').FileResult} FileResult
 * @typedef {import('../report.js').Diagnostic} Diagnostic
 */

/** @type {Record<string, import('../args.js').OptionSpec>} */
const SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'spiderpool-version': { type: 'string' },
  ...READING_SPEC,
  rule: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'no-gitignore': { type: 'boolean' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
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
  let maxWarnings;
  const mw = str(values, 'max-warnings');
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`--max-warnings expects a non-negative integer, not '${mw}'`);
    maxWarnings = Number(mw);
  }
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run exclude each other');
  const fix = values.fix ? 'fix' : values['fix-dry-run'] ? 'dry-run' : null;
  const { args, implicitStdin } = inputArgs(positionals, 'files, directories');
  if (fix === 'fix' && args.includes('-')) throw new UsageError('--fix cannot rewrite standard input (--fix-dry-run shows the diff)');
  const settings = resolveSettings(values, process.cwd());
  const stdinName = str(values, 'stdin-filename') || '-';

  /** @type {string[]} */
  const problems = [];
  const inputs = collectInputs(args, problems, settings.walk);
  for (const msg of problems) errorLine(msg);
  const checked = await checkInputs(inputs, { options: settings.options, stdinName, implicitStdin, fix });
  const results = checked.results;
  const ioFailed = problems.length > 0 || checked.ioFailed;
  // Nothing could be read: the one-line messages above are the whole output.
  if (ioFailed && !results.length) return EXIT_USAGE;

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
  if (fix === 'dry-run') {
    // The diff is the output; the report's verdict is the exit code (and --max-warnings says why).
    if (tooManyWarnings) errorLine(tooManyWarnings);
    writeResult(checked.diffs.join(''), output);
  } else {
    const shown = values.quiet ? onlyErrors(results) : results;
    const toFile = output !== undefined && output !== '-';
    const color = colorEnabled(process.stdout, toFile ? false : colorOption(values));
    const opts = {
      color, verbose: Boolean(values.verbose), strict: Boolean(values.strict), version: lib().version, omits, tooManyWarnings, maxWarnings,
      rules: format === 'sarif' ? lib().rules() : [],
    };
    const text = formatter(format)(shown, summary, opts);
    // The machine formats keep their own channel clean; a person reading the log sees why the run failed.
    if (tooManyWarnings && (format === 'json' || format === 'sarif' || format === 'junit')) errorLine(tooManyWarnings);
    writeResult(text, output);
  }
  if (ioFailed) return EXIT_USAGE;
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

module.exports = { cmdValidate };
