// @ts-check
'use strict';
// The github format: GitHub Actions workflow commands (annotations), then the summary line.

const { safe } = require('../safe.js');
const { painter } = require('../paint.js');
const { allDiagnostics, messageText, omittedFail, omittedText, summaryLine } = require('../report.js');

/** @param {string} s */
function ghEscapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @param {string} s */
function ghEscapeProperty(s) {
  return ghEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub workflow commands. Text from the input is made safe first (no control characters reach the log),
 * then escaped as the runner expects. GitHub shows only the first few annotations of each type per step,
 * so the run-level notes come first, then errors, warnings and notices.
 * @type {import('../report.js').Formatter}
 */
function formatGithub(results, summary, opts) {
  /** @type {string[]} */
  const notes = [];
  /** @type {Record<'error' | 'warning' | 'notice', string[]>} */
  const byLevel = { error: [], warning: [], notice: [] };
  results.forEach((r, i) => {
    const file = ghEscapeProperty(safe(r.file));
    if (r.skipped) notes.push(`::notice file=${file},title=skipped::${ghEscapeData(safe(`${r.file}: skipped: ${r.skipped.reason}`))}`);
    for (const { d } of allDiagnostics(r)) {
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${file}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${ghEscapeProperty(safe(`${d.code} ${d.rule}`))}`,
      ];
      byLevel[cmd].push(`::${cmd} ${props.join(',')}::${ghEscapeData(messageText(r.file, d))}`);
    }
    const o = opts.omits[i];
    if (o.any) {
      const cmd = omittedFail(o, opts.strict) ? 'error' : 'warning';
      notes.push(`::${cmd} file=${file},title=omitted findings::${ghEscapeData(safe(`${r.file}: ${omittedText(o)}`))}`);
    }
  });
  if (opts.tooManyWarnings) notes.push(`::error title=max-warnings::${ghEscapeData(opts.tooManyWarnings)}`);
  const out = [...notes, ...byLevel.error, ...byLevel.warning, ...byLevel.notice];
  out.push(summaryLine(summary, painter(false)));
  return out.join('\n') + '\n';
}

module.exports = { formatGithub };
