// @ts-check
'use strict';
// The json format: every file's report as the core returns it, with its file name, and the run summary.

const { jsonText } = require('../safe.js');

/** @type {import('../report.js').Formatter} */
function formatJson(results, summary) {
  return jsonText({ results, summary });
}

module.exports = { formatJson };
