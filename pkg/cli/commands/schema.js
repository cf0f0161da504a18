// @ts-check
'use strict';
// `spiderendpoint schema`: the JSON Schema (draft-07) of a SpiderEndpoint.

const { EXIT_OK, UsageError, lib, callCore } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str, spiderpoolVersionOption } = require('../args.js');
const { writeOut, writeMessage } = require('../files.js');
const { checkRelease } = require('../settings.js');

/**
 * @param {string[]} argv the arguments after `schema`
 * @returns {number} the exit code
 */
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
  /** @type {import('spiderendpoint').SchemaOptions} */
  const options = spiderpoolVersionOption(values);
  if (options.spiderpoolVersion !== undefined) checkRelease(options.spiderpoolVersion);
  const apiVersion = str(values, 'api-version');
  if (apiVersion !== undefined) {
    const v = apiVersion.replace(/^spiderpool\.spidernet\.io\//, '');
    if (v !== 'v1' && v !== 'v2beta1') throw new UsageError(`--api-version expects v1 or v2beta1, not '${apiVersion}'`);
    options.apiVersion = v;
  }
  const schema = callCore(() => lib().schema(options));
  const output = str(values, 'output');
  try {
    writeOut(JSON.stringify(schema, null, 2) + '\n', output);
  } catch (err) {
    throw new UsageError(writeMessage(output, err));
  }
  return EXIT_OK;
}

module.exports = { cmdSchema };
