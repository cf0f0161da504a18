// @ts-check
'use strict';
// The json format: every file's report as the core returns it, with its file name, and the run summary.
// `formatVersion` changes when a field changes meaning or goes away (new fields may come without it).

const { jsonText } = require('../safe.js');

const FORMAT_VERSION = 1;

/** @type {import('../report.js').Formatter} */
function formatJson(results, summary, opts) {
  const maxWarnings = opts.maxWarnings === undefined ? {} : {
    maxWarnings: {
      limit: opts.maxWarnings,
      warnings: summary.warnings,
      exceeded: Boolean(opts.tooManyWarnings),
      ...(opts.tooManyWarnings ? { message: opts.tooManyWarnings } : {}),
    },
  };
  // `audit`: the summary of `spiderendpoint audit` (per pool, per namespace, repairs), as the core returns it.
  const audit = opts.audit === undefined ? {} : { audit: opts.audit };
  return jsonText({ formatVersion: FORMAT_VERSION, tool: { name: 'spiderendpoint', version: opts.version }, results, summary, ...maxWarnings, ...audit });
}

module.exports = { formatJson, FORMAT_VERSION };
