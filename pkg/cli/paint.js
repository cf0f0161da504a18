// @ts-check
'use strict';
// Colour: whether to use it (flags, NO_COLOR, FORCE_COLOR, a terminal) and the painter that applies it.

/**
 * @typedef {(s: string | number) => string} Paint
 * @typedef {{bold: Paint, dim: Paint, red: Paint, green: Paint, yellow: Paint, cyan: Paint,
 *   severity: (sev: string) => string}} Painter
 */

/**
 * @param {{isTTY?: boolean}} stream
 * @param {boolean | undefined} opt --color (true), --no-color (false) or neither
 */
function colorEnabled(stream, opt) {
  if (opt === true) return true;
  if (opt === false) return false;
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/**
 * @param {boolean} enabled
 * @returns {Painter}
 */
function painter(enabled) {
  /** @type {(open: number, close: number) => Paint} */
  const wrap = (open, close) => (s) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : String(s));
  const p = {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    /** @param {string} sev */
    severity(sev) {
      if (sev === 'error') return p.red(sev);
      if (sev === 'warning') return p.yellow(sev);
      return p.cyan(sev);
    },
  };
  return p;
}

module.exports = { colorEnabled, painter };
