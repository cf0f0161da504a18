// @ts-check
'use strict';
// validate's settings: the config file's values, overridden by the command-line flags, checked once.

const path = require('node:path');
const { UsageError, lib, callCore } = require('./core.js');
const { str, list, readingOptions } = require('./args.js');
const { findConfig, loadConfig, ruleFlags } = require('./config.js');
const { patternSet } = require('./ignore.js');

/**
 * @typedef {import('spiderendpoint').ValidateOptions} ValidateOptions
 * @typedef {import('./args.js').Values} Values
 * @typedef {import('./config.js').Config} Config
 * @typedef {import('./walk.js').WalkOptions} WalkOptions
 * @typedef {{options: ValidateOptions, walk: WalkOptions, config: Config | null}} Settings
 */

/**
 * A function from a rule's code or name (codes in any case) to its code; null for unknown rules.
 * @returns {(key: string) => string | null}
 */
function ruleLookup() {
  /** @type {Map<string, string>} */
  const byKey = new Map();
  for (const r of lib().rules()) {
    byKey.set(r.code.toUpperCase(), r.code);
    byKey.set(r.rule, r.code);
  }
  return (key) => byKey.get(key) || byKey.get(key.toUpperCase()) || null;
}

/**
 * Checks a Spiderpool release with the core, which refuses malformed and unknown ones (its message lists
 * the known releases; they are added when it does not).
 * @param {string} version
 * @param {string} [where] where it comes from when not --spiderpool-version (the config file)
 */
function checkRelease(version, where) {
  try {
    callCore(() => lib().validate('', { spiderpoolVersion: version }));
  } catch (err) {
    const known = lib().releases();
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${where ? `${where}: ` : ''}${msg}${known.every((r) => msg.includes(r)) ? '' : ` (known releases: ${known.join(', ')})`}`);
  }
}

/**
 * The settings of a validate run from its flags and the config file (flags win).
 * @param {Values} values
 * @param {string} cwd
 * @returns {Settings}
 */
function resolveSettings(values, cwd) {
  const lookup = ruleLookup();
  /** @type {Config | null} */
  let config = null;
  if (!values['no-config']) {
    const explicit = str(values, 'config');
    const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfig(cwd);
    if (file !== null) config = loadConfig(file, lookup);
  } else if (str(values, 'config') !== undefined) {
    throw new UsageError('--config and --no-config exclude each other');
  }
  const c = config ? config.values : {};
  const reading = readingOptions(values);
  /** @type {ValidateOptions} */
  const options = {};
  const release = str(values, 'spiderpool-version');
  if (release !== undefined) {
    checkRelease(release);
    options.spiderpoolVersion = release;
  } else if (c.spiderpoolVersion !== undefined && config) {
    checkRelease(c.spiderpoolVersion, `invalid config file ${config.file}: "spiderpoolVersion"`);
    options.spiderpoolVersion = c.spiderpoolVersion;
  }
  const fieldValidation = reading.fieldValidation || c.fieldValidation;
  if (fieldValidation) options.fieldValidation = fieldValidation;
  const yamlVersion = reading.yamlVersion || c.yamlVersion;
  if (yamlVersion) options.yamlVersion = yamlVersion;
  const rules = { ...(c.rules || {}), ...ruleFlags(list(values, 'rule'), lookup) };
  if (Object.keys(rules).length) options.rules = rules;

  // The config file's patterns are relative to its folder, the flags' to the working directory; the flags
  // come last, so they win.
  const ignore = [];
  if (config && c.ignore && c.ignore.length) ignore.push(patternSet(config.dir, c.ignore));
  const flags = list(values, 'ignore');
  if (flags.length) ignore.push(patternSet(path.resolve(cwd), flags));
  const gitignore = !values['no-gitignore'] && c.gitignore !== false;
  return { options, walk: { ignore, gitignore }, config };
}

module.exports = { resolveSettings, checkRelease, ruleLookup };
