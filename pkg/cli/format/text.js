// @ts-check
'use strict';
// The text format: one line per finding (and, with --verbose, per document), then the summary line.

const { safe } = require('../safe.js');
const { painter } = require('../paint.js');
const { allDiagnostics, diagnosticLine, documentId, documentName, omittedFail, omittedText, summaryLine } = require('../report.js');

/** @type {import('../report.js').Formatter} */
function formatText(results, summary, opts) {
  const p = painter(opts.color);
  /** @type {string[]} */
  const out = [];
  results.forEach((r, i) => {
    if (r.skipped) {
      out.push(`${p.bold(safe(r.file))}: ${p.dim(`skipped: ${safe(r.skipped.reason)}`)}`);
      return;
    }
    /** @type {{line: number, col: number, order: number, text: string}[]} */
    const lines = [];
    if (opts.verbose) {
      for (const doc of r.documents) {
        const st = doc.status === 'valid' ? p.green(doc.status) : doc.status === 'invalid' ? p.red(doc.status) : p.dim(safe(doc.status));
        lines.push({
          line: doc.line, col: 0, order: 0,
          text: `${p.bold(`${safe(r.file)}:${doc.line}:1`)} ${st} ${safe(doc.kind || '(no kind)')} ${safe(documentId(doc))} ${p.dim(safe(`(${documentName(doc)}${doc.apiVersion ? `, ${doc.apiVersion}` : ''})`))}`,
        });
      }
    }
    for (const { d } of allDiagnostics(r)) {
      lines.push({ line: d.line, col: d.column, order: 1, text: diagnosticLine(r.file, d, p) });
    }
    lines.sort((a, b) => a.line - b.line || a.order - b.order || a.col - b.col);
    for (const l of lines) out.push(l.text);
    const o = opts.omits[i];
    if (o.any) out.push(`${p.bold(safe(r.file))}: ${(omittedFail(o, opts.strict) ? p.red : p.yellow)(omittedText(o))}`);
  });
  out.push(summaryLine(summary, p));
  if (opts.tooManyWarnings) out.push(opts.tooManyWarnings);
  return out.join('\n') + '\n';
}

module.exports = { formatText };
