// @ts-check
'use strict';
// The command dispatch and the process wiring of the spiderendpoint CLI (bin/spiderendpoint.js runs it).
// No dependencies: Node's standard library and the package's own WebAssembly core.

const { EXIT_OK, EXIT_USAGE, UsageError, lib } = require('./core.js');
const { HELP } = require('./help.js');
const { errorLine, safe } = require('./safe.js');

/** @type {Record<string, () => (argv: string[]) => number | Promise<number>>} */
const COMMANDS = {
  validate: () => require('./commands/validate.js').cmdValidate,
  audit: () => require('./commands/audit.js').cmdAudit,
  normalize: () => require('./commands/normalize.js').cmdNormalize,
  convert: () => require('./commands/convert.js').cmdConvert,
  schema: () => require('./commands/schema.js').cmdSchema,
  rules: () => require('./commands/rules.js').cmdRules,
};

/**
 * Runs one command line; returns the exit code (usage errors are thrown).
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
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
    default:
      if (Object.hasOwn(COMMANDS, cmd)) return COMMANDS[cmd]()(rest);
      throw new UsageError(`unknown command '${cmd}' (expected validate, audit, normalize, convert, schema or rules; see --help)`);
  }
}

/**
 * The process around main(): exit code, usage errors as one line on standard error, EPIPE as a quiet end.
 * Output is flushed before exiting: process.exitCode is set instead of calling process.exit().
 * @param {string[]} argv
 */
function run(argv) {
  process.stdout.on('error', (err) => {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === 'EPIPE') process.exit(process.exitCode || 0); // e.g. `spiderendpoint ... | head`
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      errorLine(err instanceof Error ? err.message : String(err));
      if (!(err instanceof UsageError) && process.env.SPIDERENDPOINT_DEBUG) {
        process.stderr.write(`${String(err && err.stack).split('\n').map(safe).join('\n')}\n`);
      }
      process.exitCode = EXIT_USAGE;
    },
  );
}

module.exports = { main, run };
