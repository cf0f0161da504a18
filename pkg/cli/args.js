// @ts-check
'use strict';
// Command-line parsing shared by the commands: node:util parseArgs with usage errors, colour flags and the
// options that say how the input is read (--field-validation, kubectl's --validate, --yaml-version).

const { parseArgs } = require('node:util');
const { UsageError } = require('./core.js');

/**
 * @typedef {{type: 'string' | 'boolean', short?: string, multiple?: boolean}} OptionSpec
 * @typedef {Record<string, string | boolean | string[] | undefined>} Values
 * @typedef {{fieldValidation?: 'strict' | 'warn' | 'ignore', yamlVersion?: '1.1' | '1.2'}} ReadingOptions
 */

/**
 * Parses argv for one command; unknown options are usage errors.
 * @param {string[]} argv
 * @param {Record<string, OptionSpec>} options
 * @returns {{values: Values, positionals: string[]}}
 */
function parse(argv, options) {
  try {
    const r = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
    return { values: /** @type {Values} */ (r.values), positionals: r.positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(msg.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option'));
  }
}

/**
 * A string option's value (undefined when absent).
 * @param {Values} values
 * @param {string} name
 * @returns {string | undefined}
 */
function str(values, name) {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A repeatable string option's values.
 * @param {Values} values
 * @param {string} name
 * @returns {string[]}
 */
function list(values, name) {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * --color: true, --no-color: false, neither: undefined.
 * @param {Values} values
 */
function colorOption(values) {
  if (values['no-color']) return false;
  if (values.color) return true;
  return undefined;
}

/** @type {Record<string, OptionSpec>} */
const COLOR_SPEC = { color: { type: 'boolean' }, 'no-color': { type: 'boolean' } };

const FIELD_VALIDATIONS = ['strict', 'warn', 'ignore'];
const YAML_VERSIONS = ['1.1', '1.2'];
// kubectl's --validate: strict, warn, ignore, or a boolean as Go's strconv.ParseBool reads it (true: strict,
// false: ignore); see GetValidationDirective in k8s.io/kubectl/pkg/cmd/util.
const VALIDATE_BOOLEANS = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => /** @type {[string, string]} */ ([v, 'strict'])),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => /** @type {[string, string]} */ ([v, 'ignore'])),
]);

/**
 * The options of validate, normalize and convert that say how the input is read.
 * @type {Record<string, OptionSpec>}
 */
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
 * @param {string[]} argv
 */
function bareValidate(argv) {
  /** @type {string[]} */
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

/**
 * {fieldValidation?, yamlVersion?} from --field-validation, --validate and --yaml-version; checks the values.
 * @param {Values} values
 * @returns {ReadingOptions}
 */
function readingOptions(values) {
  /** @type {ReadingOptions} */
  const options = {};
  let fv = str(values, 'field-validation');
  if (fv !== undefined && !FIELD_VALIDATIONS.includes(fv)) {
    throw new UsageError(`--field-validation expects strict, warn or ignore, not '${fv}'`);
  }
  const v = str(values, 'validate');
  if (v !== undefined) {
    const mode = FIELD_VALIDATIONS.includes(v) ? v : VALIDATE_BOOLEANS.get(v);
    if (mode === undefined) throw new UsageError(`--validate expects strict (or true), warn or ignore (or false), not '${v}'`);
    if (fv !== undefined && fv !== mode) {
      throw new UsageError(`--field-validation ${fv} and --validate=${v} disagree; give one of them`);
    }
    fv = mode;
  }
  if (fv !== undefined) options.fieldValidation = /** @type {'strict' | 'warn' | 'ignore'} */ (fv);
  const yv = str(values, 'yaml-version');
  if (yv !== undefined) {
    if (!YAML_VERSIONS.includes(yv)) throw new UsageError(`--yaml-version expects 1.1 (kubectl's reading, the default) or 1.2, not '${yv}'`);
    options.yamlVersion = /** @type {'1.1' | '1.2'} */ (yv);
  }
  return options;
}

/**
 * {spiderpoolVersion?} from --spiderpool-version.
 * @param {Values} values
 * @returns {{spiderpoolVersion?: string}}
 */
function spiderpoolVersionOption(values) {
  const v = str(values, 'spiderpool-version');
  return v !== undefined ? { spiderpoolVersion: v } : {};
}

/**
 * The positional arguments, or "-" for piped standard input when there are none.
 * @param {string[]} positionals
 * @param {string} what "files, directories" or "files"
 */
function inputArgs(positionals, what) {
  if (positionals.length) {
    if (positionals.filter((a) => a === '-').length > 1) throw new UsageError("standard input ('-') can be given only once");
    return { args: positionals, implicitStdin: false };
  }
  if (process.stdin.isTTY) throw new UsageError(`no input: give ${what} or - for standard input (see --help)`);
  return { args: ['-'], implicitStdin: true };
}

module.exports = {
  parse, str, list, colorOption, COLOR_SPEC, READING_SPEC, bareValidate, readingOptions, spiderpoolVersionOption, inputArgs,
  FIELD_VALIDATIONS, YAML_VERSIONS,
};
