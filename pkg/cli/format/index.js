// @ts-check
'use strict';
// The output formats of validate, by name.

/** @type {Record<string, () => import('../report.js').Formatter>} */
const FORMATTERS = {
  text: () => require('./text.js').formatText,
  json: () => require('./json.js').formatJson,
  sarif: () => require('./sarif.js').formatSarif,
  github: () => require('./github.js').formatGithub,
  junit: () => require('./junit.js').formatJunit,
};

const FORMATS = Object.keys(FORMATTERS);

/**
 * The formatter of a format name (only the one used is loaded).
 * @param {string} name one of FORMATS
 */
function formatter(name) {
  return FORMATTERS[name]();
}

module.exports = { FORMATS, formatter };
