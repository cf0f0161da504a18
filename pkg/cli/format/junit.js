// @ts-check
'use strict';
// The junit format: JUnit XML (one <testsuite> per file, one <testcase> per document).

const { safe } = require('../safe.js');
const { diagnosticLine, documentId, documentName, omittedFail, omittedText } = require('../report.js');

/**
 * @typedef {import('../report.js').Diagnostic} Diagnostic
 * @typedef {import('../report.js').Omitted} Omitted
 * @typedef {{name: string, diags: Diagnostic[], skipped?: string, invalid?: boolean, omitted?: Omitted}} Case
 */

/** @param {string} s */
function xmlEscape(s) {
  return String(s)
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Text from the input for XML: made safe (escaped control characters), then XML-escaped.
 * @param {string} s
 */
const xmlSafe = (s) => xmlEscape(safe(s));

/**
 * One <testsuite> per file, one <testcase> per document. A document fails when a listed finding fails, and
 * also when it is invalid although its errors are not listed; findings a report leaves out get a testcase of
 * their own, failing when errors (or, with --strict, warnings) are among them. Each suite carries the
 * file's counts (all findings, listed or not) as properties.
 * @type {import('../report.js').Formatter}
 */
function formatJunit(results, _summary, opts) {
  /** @param {Diagnostic} d */
  const failing = (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning');
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  /** @type {string[]} */
  const suites = [];
  results.forEach((r, i) => {
    const o = opts.omits[i];
    /** @param {Diagnostic} d */
    const diagLine = (d) => diagnosticLine(r.file, d);
    /** @type {Case[]} */
    const cases = [];
    if (r.diagnostics.length || !r.documents.length) cases.push({ name: '(file)', diags: r.diagnostics, skipped: r.skipped && r.skipped.reason });
    for (const doc of r.documents) {
      cases.push({
        name: `${documentName(doc)} (line ${doc.line}): ${doc.kind || '(no kind)'} ${documentId(doc)}`,
        diags: doc.diagnostics,
        skipped: doc.status === 'skipped' ? 'not a SpiderEndpoint' : undefined,
        invalid: doc.status === 'invalid',
      });
    }
    if (o.any) cases.push({ name: '(findings not listed)', diags: [], omitted: o });
    let sFail = 0;
    let sSkip = 0;
    const body = cases.map((c) => {
      const fails = c.diags.filter(failing);
      const others = c.diags.filter((d) => !failing(d));
      /** @type {string[]} */
      const out = [];
      let inner = '';
      if (fails.length) {
        sFail++;
        inner += `      <failure message="${xmlSafe(`${fails[0].code} ${fails[0].message}`)}" type="${xmlSafe(fails[0].code)}">${xmlEscape(fails.map(diagLine).join('\n'))}</failure>\n`;
      } else if (c.invalid) {
        sFail++;
        inner += `      <failure message="invalid document; its errors are among the findings not listed" type="invalid">${xmlSafe(`${r.file}: ${omittedText(o)}`)}</failure>\n`;
      } else if (c.omitted && omittedFail(c.omitted, opts.strict)) {
        sFail++;
        inner += `      <failure message="${xmlSafe(omittedText(c.omitted))}" type="omitted-findings">${xmlSafe(`${r.file}: ${omittedText(c.omitted)}`)}</failure>\n`;
      } else if (c.skipped) {
        sSkip++;
        inner += `      <skipped message="${xmlSafe(c.skipped)}"/>\n`;
      }
      if (others.length) out.push(...others.map(diagLine));
      if (c.omitted && !omittedFail(c.omitted, opts.strict)) out.push(safe(`${r.file}: ${omittedText(c.omitted)}`));
      if (out.length) inner += `      <system-out>${xmlEscape(out.join('\n'))}</system-out>\n`;
      const open = `    <testcase classname="${xmlSafe(r.file)}" name="${xmlSafe(c.name)}"`;
      return inner ? `${open}>\n${inner}    </testcase>` : `${open}/>`;
    });
    tests += cases.length;
    failures += sFail;
    skipped += sSkip;
    const s = r.summary;
    /** @type {[string, number][]} */
    const counts = [['errors', s.errors], ['warnings', s.warnings], ['infos', s.infos], ['omitted', o.total]];
    const props = counts.map(([k, v]) => `      <property name="${k}" value="${Number(v) || 0}"/>`).join('\n');
    suites.push(`  <testsuite name="${xmlSafe(r.file)}" tests="${cases.length}" failures="${sFail}" errors="0" skipped="${sSkip}">\n    <properties>\n${props}\n    </properties>\n${body.join('\n')}\n  </testsuite>`);
  });
  if (opts.tooManyWarnings) {
    tests++;
    failures++;
    suites.push(`  <testsuite name="spiderendpoint" tests="1" failures="1" errors="0" skipped="0">\n    <testcase classname="spiderendpoint" name="--max-warnings ${opts.maxWarnings}">\n      <failure message="${xmlEscape(opts.tooManyWarnings)}" type="max-warnings"/>\n    </testcase>\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="spiderendpoint" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}

module.exports = { formatJunit };
