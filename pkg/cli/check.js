// @ts-check
'use strict';
// One validate run over its inputs: read every file, set templates aside, apply fixes (--fix,
// --fix-dry-run), and check the rest together (the core's validateFiles: each file as validate checks it,
// plus the checks across files, such as one endpoint defined in two files).

const { lib, callCore } = require('./core.js');
const { readInput, bytesOf, writeOrReport } = require('./files.js');
const { readInputs } = require('./run.js');
const { errorLine } = require('./safe.js');
const { templateReason } = require('./template.js');
const { skippedResult } = require('./report.js');
const { unifiedDiff } = require('./diff.js');

/**
 * @typedef {import('spiderendpoint').ValidateOptions} ValidateOptions
 * @typedef {import('./files.js').Input} Input
 * @typedef {import('./report.js').FileResult} FileResult
 * @typedef {import('./report.js').FixResult} FixResult
 * @typedef {'fix' | 'dry-run' | null} FixMode
 * @typedef {{name: string, text: string | Uint8Array, fixed?: FixResult}} Checked a file to check, as it is (after fixes)
 */

/**
 * Applies the safe fixes to one file (--fix writes it, atomically; --fix-dry-run prints a unified diff).
 * Unsafe fixes are listed on standard error, never applied. Returns the text to check and what was done.
 * @param {string} name the name the file is reported under
 * @param {Input} input
 * @param {string} text
 * @param {ValidateOptions} options
 * @param {FixMode} mode
 * @param {string[]} diffs the diffs of --fix-dry-run, collected
 * @returns {{text: string, fixed: FixResult, ioFailed: boolean}}
 */
function applyFixes(name, input, text, options, mode, diffs) {
  const res = callCore(() => lib().fix(text, options));
  let written = false;
  let ioFailed = false;
  if (res.changed && mode === 'fix') {
    written = writeOrReport(input.file, res.output);
    ioFailed = !written;
  } else if (res.changed && mode === 'dry-run') {
    diffs.push(unifiedDiff(name, text, res.output));
  }
  if (res.applied.length) {
    const codes = [...new Set(res.applied.map((d) => d.code))].join(', ');
    const verb = mode === 'fix' ? (written ? 'fixed' : 'not written') : 'would fix';
    errorLine(`${name}: ${verb}: ${res.applied.length} finding${res.applied.length === 1 ? '' : 's'} (${codes})`);
  }
  // What is left with a fix is what --fix must not apply on its own.
  for (const d of [...res.report.diagnostics, ...res.report.documents.flatMap((doc) => doc.diagnostics)]) {
    if (d.fix && !d.fix.safe) errorLine(`${name}:${d.line}:${d.column}: ${d.code}: unsafe fix not applied (review it): ${d.fix.message}`);
  }
  return {
    text: written || mode === 'dry-run' ? res.output : text,
    fixed: { applied: written || mode === 'dry-run' ? res.applied.length : 0, passes: res.passes, written },
    ioFailed,
  };
}

/**
 * Reads and checks the inputs. Returns the results in input order and whether some I/O failed.
 * @param {Input[]} inputs
 * @param {{options: ValidateOptions, stdinName: string, implicitStdin: boolean, fix: FixMode}} o
 * @returns {Promise<{results: FileResult[], ioFailed: boolean, diffs: string[]}>}
 */
async function checkInputs(inputs, o) {
  /** @type {string[]} */
  const diffs = [];
  let fixFailed = false;
  const { slots, ioFailed } = await readInputs(inputs, o, {
    read: readInput,
    size: (buf) => buf.length,
    /** @returns {FileResult | Checked} */
    take: (buf, input, name) => {
      const text = buf.toString('utf8');
      const reason = templateReason(input.stdin ? '-' : input.file, text);
      if (reason !== null) return skippedResult(name, reason);
      // Bytes that are not UTF-8 go to the core as they are (it reports where); fixes need text.
      if (o.fix && Buffer.from(text, 'utf8').equals(buf)) {
        const f = applyFixes(name, input, text, o.options, o.fix, diffs);
        if (f.ioFailed) fixFailed = true;
        return { name, text: f.text, fixed: f.fixed };
      }
      return { name, text: bytesOf(buf) };
    },
  });
  /** @type {Checked[]} */
  const toCheck = /** @type {Checked[]} */ (slots.filter((s) => !('file' in s)));
  // One call for the whole run: every file crosses the boundary once, and the cross-file checks see all.
  const run = toCheck.length ? callCore(() => lib().validateFiles(toCheck.map((c) => ({ name: c.name, text: c.text })), o.options)) : { files: [] };
  let k = 0;
  const results = slots.map((s) => {
    if ('file' in s) return s;
    const checked = toCheck[k];
    const report = run.files[k++].report;
    return { file: checked.name, ...report, ...(checked.fixed ? { fixed: checked.fixed } : {}) };
  });
  return { results, ioFailed: ioFailed || fixFailed, diffs };
}

module.exports = { checkInputs };
