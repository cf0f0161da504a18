// @ts-check
'use strict';
// The config file: `spiderendpoint.config.json`, the first one found in the working directory or above it
// (or the file --config names; --no-config reads none). Its settings are the defaults of validate's flags;
// a flag given on the command line wins (for `rules`, per rule).

const fs = require('node:fs');
const path = require('node:path');
const { UsageError } = require('./core.js');
const { FIELD_VALIDATIONS, YAML_VERSIONS } = require('./args.js');

const CONFIG_NAME = 'spiderendpoint.config.json';
const SEVERITIES = ['off', 'info', 'warning', 'error'];

/**
 * @typedef {'off' | 'info' | 'warning' | 'error'} RuleSetting
 * @typedef {{spiderpoolVersion?: string, fieldValidation?: 'strict' | 'warn' | 'ignore',
 *   yamlVersion?: '1.1' | '1.2', ignore?: string[], gitignore?: boolean, rules?: Record<string, RuleSetting>}} ConfigValues
 * @typedef {{file: string, dir: string, values: ConfigValues}} Config
 */

/** @type {Record<string, (v: unknown) => string | null>} what each key takes (null: fine) */
const KEYS = {
  $schema: (v) => (typeof v === 'string' ? null : 'a string'),
  spiderpoolVersion: (v) => (typeof v === 'string' ? null : 'a string such as "1.2" (see spiderendpoint validate --help)'),
  fieldValidation: (v) => (typeof v === 'string' && FIELD_VALIDATIONS.includes(v) ? null : '"strict", "warn" or "ignore"'),
  yamlVersion: (v) => (typeof v === 'string' && YAML_VERSIONS.includes(v) ? null : '"1.1" or "1.2"'),
  ignore: (v) => (Array.isArray(v) && v.every((p) => typeof p === 'string') ? null : 'an array of gitignore patterns (strings)'),
  gitignore: (v) => (typeof v === 'boolean' ? null : 'true or false'),
  rules: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'an object such as {"SE313": "off"}'),
};

/**
 * The config file that applies in `cwd`: the first spiderendpoint.config.json in it or above it.
 * @param {string} cwd
 * @returns {string | null}
 */
function findConfig(cwd) {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, CONFIG_NAME);
    if (fs.existsSync(file)) return file;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * "line 3, column 5" of a UTF-16 offset.
 * @param {string} text
 * @param {number} offset
 */
function lineColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Reads and checks a config file; any problem is a usage error that names the file (and the place).
 * @param {string} file
 * @param {(key: string) => string | null} ruleCode the code of a rule given by code or name, or null
 * @returns {Config}
 */
function loadConfig(file, ruleCode) {
  /** @param {string} msg */
  const fail = (msg) => new UsageError(`invalid config file ${file}: ${msg}`);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err));
  }
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const at = /at position (\d+)/.exec(msg);
    throw fail(`not JSON${at ? ` (${lineColumn(text, Number(at[1]))})` : ''}: ${msg}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail('expected a JSON object');
  const obj = /** @type {Record<string, unknown>} */ (value);
  for (const [k, v] of Object.entries(obj)) {
    if (!Object.hasOwn(KEYS, k)) throw fail(`unknown key "${k}" (expected ${Object.keys(KEYS).filter((x) => x !== '$schema').join(', ')})`);
    const want = KEYS[k](v);
    if (want) throw fail(`"${k}" must be ${want}`);
  }
  /** @type {ConfigValues} */
  const values = { ...obj };
  delete (/** @type {Record<string, unknown>} */ (values)).$schema;
  if (obj.rules) values.rules = ruleSettings(/** @type {Record<string, unknown>} */ (obj.rules), ruleCode, (m) => fail(`"rules": ${m}`));
  return { file, dir: path.dirname(file), values };
}

/**
 * Rule settings keyed by code, checked: each key a rule code or name, each value a severity or "off".
 * @param {Record<string, unknown>} rules
 * @param {(key: string) => string | null} ruleCode
 * @param {(msg: string) => Error} fail
 * @returns {Record<string, RuleSetting>}
 */
function ruleSettings(rules, ruleCode, fail) {
  /** @type {Record<string, RuleSetting>} */
  const out = {};
  for (const [k, v] of Object.entries(rules)) {
    const code = ruleCode(k);
    if (code === null) throw fail(`unknown rule "${k}" (spiderendpoint rules lists them)`);
    if (typeof v !== 'string' || !SEVERITIES.includes(v)) throw fail(`"${k}" must be "off", "info", "warning" or "error"`);
    out[code] = /** @type {RuleSetting} */ (v);
  }
  return out;
}

/**
 * --rule CODE=SEVERITY flags (repeatable) as rule settings keyed by code.
 * @param {string[]} flags
 * @param {(key: string) => string | null} ruleCode
 */
function ruleFlags(flags, ruleCode) {
  /** @type {Record<string, unknown>} */
  const rules = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`--rule expects CODE=off|info|warning|error (e.g. SE313=off), not '${f}'`);
    rules[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return ruleSettings(rules, ruleCode, (m) => new UsageError(`--rule: ${m}`));
}

module.exports = { CONFIG_NAME, findConfig, loadConfig, ruleFlags };
