// @ts-check
'use strict';
// The run's report, shared by the output formats: per-file results, the run summary, what a report counts
// but does not list, and the one diagnostic line every human-readable format prints.

const { safe, plural } = require('./safe.js');
const { painter } = require('./paint.js');

/**
 * @typedef {import('spiderendpoint').Diagnostic} Diagnostic
 * @typedef {import('spiderendpoint').DocumentReport} DocumentReport
 * @typedef {import('spiderendpoint').Report} Report
 * @typedef {import('spiderendpoint').Summary} Summary
 * @typedef {import('spiderendpoint').RuleInfo} RuleInfo
 * @typedef {import('./paint.js').Painter} Painter
 * @typedef {import('spiderendpoint').RelatedLocation} RelatedLocation
 * @typedef {{applied: number, passes: number, written: boolean}} FixResult what --fix did to a file
 * @typedef {Report & {file: string, skipped?: {reason: string}, fixed?: FixResult}} FileResult one file's
 *   report, with the name it is reported under; `skipped`: a template, not checked
 * @typedef {{files: number, templates: number, documents: number, valid: number, invalid: number, skipped: number,
 *   errors: number, warnings: number, infos: number, suppressed: number, truncated: boolean, omitted: number}} RunSummary
 * @typedef {{errors: number, warnings: number, infos: number, total: number, known: boolean, any: boolean}} Omitted
 * @typedef {{color: boolean, verbose: boolean, strict: boolean, version: string, omits: Omitted[],
 *   tooManyWarnings: string | undefined, maxWarnings: number | undefined, rules: RuleInfo[],
 *   audit?: import('spiderendpoint').AuditSummary}} FormatOptions `audit`: the summary of an audit run
 * @typedef {(results: FileResult[], summary: RunSummary, opts: FormatOptions) => string} Formatter
 */

// The engine lists at most this many findings per file; its summary counts them all.
const LISTED_PER_FILE = 10000;
/** @type {Record<string, 'errors' | 'warnings' | 'infos'>} */
const SEVERITY_KEY = { error: 'errors', warning: 'warnings', info: 'infos' };
/** @type {('documents' | 'valid' | 'invalid' | 'skipped' | 'errors' | 'warnings' | 'infos' | 'suppressed')[]} */
const COUNTS = ['documents', 'valid', 'invalid', 'skipped', 'errors', 'warnings', 'infos', 'suppressed'];

/** @returns {RunSummary} */
function emptySummary() {
  return {
    files: 0, templates: 0, documents: 0, valid: 0, invalid: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0,
    truncated: false, omitted: 0,
  };
}

/**
 * The result of a file that is not checked (a template): no findings, and why.
 * @param {string} file
 * @param {string} reason
 * @returns {FileResult}
 */
function skippedResult(file, reason) {
  return {
    file,
    skipped: { reason },
    diagnostics: [],
    documents: [],
    suppressed: [],
    summary: { documents: 0, valid: 0, invalid: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0, truncated: false, omitted: 0 },
  };
}

/**
 * Adds a file's summary (and what its report leaves out, see omissions()) to the run's summary.
 * @param {RunSummary} total
 * @param {Summary} s
 * @param {Omitted} omitted
 */
function addSummary(total, s, omitted) {
  for (const k of COUNTS) total[k] += Number(s && s[k]) || 0;
  if ((s && s.truncated) || omitted.total > 0) total.truncated = true;
  total.omitted += omitted.total;
}

/**
 * All diagnostics of a result (file-level first, then per document), each with its document.
 * @param {Report} result
 * @returns {Generator<{d: Diagnostic, doc: DocumentReport | null}>}
 */
function* allDiagnostics(result) {
  for (const d of result.diagnostics) yield { d, doc: null };
  for (const doc of result.documents) for (const d of doc.diagnostics) yield { d, doc };
}

/**
 * What a file's report counts but does not list. The engine's summary counts every finding and gives the
 * number left out (`omitted`); the split by severity is the summary's count minus the listed findings.
 * `known` is false when an engine only sets `truncated`. Computed before --quiet hides anything.
 * @param {Report} report
 * @returns {Omitted}
 */
function omissions(report) {
  const s = report.summary || {};
  const listed = { errors: 0, warnings: 0, infos: 0 };
  for (const { d } of allDiagnostics(report)) listed[SEVERITY_KEY[d.severity] || 'infos']++;
  const errors = Math.max(0, (Number(s.errors) || 0) - listed.errors);
  const warnings = Math.max(0, (Number(s.warnings) || 0) - listed.warnings);
  const infos = Math.max(0, (Number(s.infos) || 0) - listed.infos);
  const total = Math.max(Number(s.omitted) || 0, errors + warnings + infos);
  return { errors, warnings, infos, total, known: total > 0 || !s.truncated, any: total > 0 || Boolean(s.truncated) };
}

/**
 * "12 findings not listed (2 errors, 10 warnings): ..."
 * @param {Omitted} o
 */
function omittedText(o) {
  if (!o.known) return `more findings than listed: a report lists at most ${LISTED_PER_FILE} findings per file`;
  const parts = [
    o.errors ? plural(o.errors, 'error') : '',
    o.warnings ? plural(o.warnings, 'warning') : '',
    o.infos ? plural(o.infos, 'info', 'infos') : '',
  ].filter(Boolean);
  return `${plural(o.total, 'finding')} not listed${parts.length ? ` (${parts.join(', ')})` : ''}: a report lists at most ${LISTED_PER_FILE} findings per file, errors first; the counts include them all`;
}

/**
 * Whether the findings left out of a file's report fail the run.
 * @param {Omitted} o
 * @param {boolean} strict
 */
function omittedFail(o, strict) {
  return o.errors > 0 || (strict && o.warnings > 0);
}

/**
 * The closing line: "3 files, 4 documents: 2 valid, 1 invalid, 1 skipped; 2 errors, 0 warnings, 0 infos".
 * @param {RunSummary} s
 * @param {Painter} p
 */
function summaryLine(s, p) {
  const files = `${plural(s.files, 'file')}${s.templates ? ` (${plural(s.templates, 'template')} skipped)` : ''}`;
  const docs = `${files}, ${plural(s.documents, 'document')}: ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped`;
  const counts = [
    s.errors ? p.red(plural(s.errors, 'error')) : plural(s.errors, 'error'),
    s.warnings ? p.yellow(plural(s.warnings, 'warning')) : plural(s.warnings, 'warning'),
    plural(s.infos, 'info', 'infos'),
    ...(s.suppressed ? [`${s.suppressed} suppressed`] : []),
  ].join(', ');
  let tail = '';
  if (s.omitted > 0) tail = ` (${plural(s.omitted, 'finding')} not listed)`;
  else if (s.truncated) tail = ' (some files have more findings than listed)';
  return `${docs}; ${counts}${tail}`;
}

const PLAIN = painter(false);

/**
 * "file:line:col" of a related location (a location without a file is in `file`).
 * @param {string} file
 * @param {RelatedLocation} rel
 */
function relatedPlace(file, rel) {
  return `${rel.file !== undefined && rel.file !== null ? rel.file : file}:${rel.line}:${rel.column}`;
}

/**
 * A finding's message with the places of its related locations (e.g. the other file of a duplicate) as
 * `file:line:col`, which editors and terminals make clickable, made safe: `message (see a.yaml:3:9)`.
 * @param {string} file
 * @param {Diagnostic} d
 */
function messageText(file, d) {
  const related = (d.related || []).map((rel) => ` (see ${relatedPlace(file, rel)})`).join('');
  return safe(`${d.message}${related}`);
}

/**
 * The one line of a finding in every human-readable output: `file:line:col severity code message`, every
 * part from the input made safe; coloured by `p` (plain by default).
 * @param {string} file
 * @param {Diagnostic} d
 * @param {Painter} [p]
 */
function diagnosticLine(file, d, p = PLAIN) {
  return `${p.bold(`${safe(file)}:${d.line}:${d.column}`)} ${p.severity(safe(d.severity))} ${p.dim(safe(d.code))} ${messageText(file, d)}`;
}

/**
 * A document as people count them, the same everywhere the CLI prints one (and as the core's messages
 * say it): 1-based documents, List items by their index in `items` ("document 3, item 0").
 * @param {{index: number, item?: number | null}} doc
 */
function documentName(doc) {
  return `document ${doc.index + 1}${doc.item !== undefined && doc.item !== null ? `, item ${doc.item}` : ''}`;
}

/**
 * "namespace/name" of a document, or "(unnamed)".
 * @param {DocumentReport} doc
 */
function documentId(doc) {
  return [doc.namespace, doc.name].filter((x) => x != null && x !== '').join('/') || '(unnamed)';
}

module.exports = {
  LISTED_PER_FILE, emptySummary, skippedResult, addSummary, allDiagnostics, omissions, omittedText, omittedFail, summaryLine,
  diagnosticLine, messageText, relatedPlace, documentName, documentId,
};
