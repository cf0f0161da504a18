// @ts-check
'use strict';
// `spiderendpoint validate`: check files, directories or standard input and report in one of five formats.

const { EXIT_OK, EXIT_USAGE, UsageError } = require('../core.js');
const { str, inputArgs } = require('../args.js');
const { collectInputs } = require('../walk.js');
const { errorLine } = require('../safe.js');
const { resolveSettings } = require('../settings.js');
const { checkInputs } = require('../check.js');
const { RUN_SPEC, startRun, finishRun } = require('../run.js');

/** @type {Record<string, import('../args.js').OptionSpec>} */
const SPEC = {
  ...RUN_SPEC,
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
};

/**
 * @param {string[]} argv the arguments after `validate`
 * @returns {Promise<number>} the exit code
 */
async function cmdValidate(argv) {
  const run = startRun(argv, SPEC, 'validate');
  if (!run) return EXIT_OK;
  const { values, positionals } = run;
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
  return finishRun(run, results, { ioFailed, diff: fix === 'dry-run' ? checked.diffs.join('') : undefined });
}

module.exports = { cmdValidate };
