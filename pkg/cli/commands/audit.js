// @ts-check
'use strict';
// `spiderendpoint audit`: a cluster export (Pods, SpiderEndpoints, SpiderIPPools, SpiderSubnets,
// SpiderReservedIPs; files, directories or standard input, all read together) checked object by object and
// across objects. The findings come in every format of validate; the text format adds a summary a person
// reads at a glance (per pool, per namespace, the suggested repairs as kubectl commands, never executed) and
// `--format json` carries that summary as data (`audit`).

const { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, UsageError, lib, callCore } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str, list, colorOption, COLOR_SPEC, READING_SPEC, bareValidate, readingOptions, inputArgs } = require('../args.js');
const fs = require('node:fs');
const { readInput, bytesOf, ioMessage, writeOut, writeMessage } = require('../files.js');
const { collectInputs, progress } = require('../walk.js');
const { errorLine, safe, plural } = require('../safe.js');
const { colorEnabled, painter } = require('../paint.js');
const { emptySummary, addSummary, omissions, skippedResult } = require('../report.js');
const { checkRelease, ruleLookup } = require('../settings.js');
const { ruleFlags } = require('../config.js');
const { patternSet } = require('../ignore.js');
const { templateReason } = require('../template.js');
const { FORMATS, formatter } = require('../format/index.js');
const path = require('node:path');

/**
 * @typedef {import('spiderendpoint').AuditOptions} AuditOptions
 * @typedef {import('spiderendpoint').AuditSummary} AuditSummary
 * @typedef {import('../report.js').FileResult} FileResult
 * @typedef {import('../paint.js').Painter} Painter
 */

/** @type {Record<string, import('../args.js').OptionSpec>} */
const SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'spiderpool-version': { type: 'string' },
  now: { type: 'string' },
  'max-bytes': { type: 'string' },
  rule: { type: 'string', multiple: true },
  ...READING_SPEC,
  ignore: { type: 'string', multiple: true },
  'no-gitignore': { type: 'boolean' },
  strict: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'stdin-filename': { type: 'string' },
  ...COLOR_SPEC,
};

/**
 * An input's text, read for a large export: a file is decoded as it is read (no Buffer of its size is kept
 * beside the text; the engine copies the text into the core once). A text with U+FFFD may come from bytes
 * that are not UTF-8: then the bytes go to the core, which reports where (SE002).
 * @param {import('../files.js').Input} input
 * @returns {Promise<{text: string, bytes?: Uint8Array}>}
 */
async function readText(input) {
  if (input.stdin) {
    const buf = await readInput(input);
    const text = buf.toString('utf8');
    return text.includes('\uFFFD') ? { text, bytes: bytesOf(buf) } : { text };
  }
  const text = fs.readFileSync(input.file, 'utf8');
  if (!text.includes('\uFFFD')) return { text };
  return { text, bytes: bytesOf(fs.readFileSync(input.file)) };
}

/**
 * The options of the audit from the flags.
 * @param {import('../args.js').Values} values
 * @returns {AuditOptions}
 */
function auditOptions(values) {
  /** @type {AuditOptions} */
  const options = { ...readingOptions(values) };
  const release = str(values, 'spiderpool-version');
  if (release !== undefined) {
    checkRelease(release);
    options.spiderpoolVersion = release;
  }
  const rules = ruleFlags(list(values, 'rule'), ruleLookup());
  if (Object.keys(rules).length) options.rules = /** @type {AuditOptions['rules']} */ (rules);
  const now = str(values, 'now');
  if (now !== undefined) options.now = now;
  const mb = str(values, 'max-bytes');
  if (mb !== undefined) {
    if (!/^\d+$/.test(mb)) throw new UsageError(`--max-bytes expects a non-negative integer, not '${mb}'`);
    options.maxBytes = Number(mb);
  }
  return options;
}

/**
 * The summary a person reads at a glance: per pool allocated/total and the leaked, stale and conflicting
 * addresses; per namespace the endpoints without Pods; the suggested repairs (never executed).
 * @param {AuditSummary} s
 * @param {Painter} p
 * @returns {string[]}
 */
function summaryText(s, p) {
  const out = [];
  const objects = [
    plural(s.pods, 'Pod'), plural(s.endpoints, 'SpiderEndpoint'), plural(s.pools, 'SpiderIPPool'),
    plural(s.subnets, 'SpiderSubnet'), plural(s.reservedIps, 'SpiderReservedIP'),
  ];
  if (s.other) objects.push(`${s.other} other (skipped)`);
  out.push(p.bold('Audit summary'));
  out.push(`  objects: ${objects.join(', ')}${s.referenceTime ? `; reference time ${safe(s.referenceTime)}` : ''}`);
  if (s.poolTable.length) {
    out.push(p.bold('Pools'));
    const rows = s.poolTable.map((t) => [safe(t.name), `${t.allocated}/${t.total === null ? '?' : t.total}`, t.leaked.length, t.stale.length, t.conflicting.length]);
    const head = ['pool', 'allocated/total', 'leaked', 'stale', 'conflicting'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (/** @type {(string|number)[]} */ r) => `  ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')}`.trimEnd();
    out.push(p.dim(line(head)));
    for (const r of rows) out.push(line(r));
    for (const t of s.poolTable) {
      for (const [what, ips] of /** @type {[string, string[]][]} */ ([['leaked', t.leaked], ['stale', t.stale], ['conflicting', t.conflicting]])) {
        if (ips.length) out.push(`  ${safe(t.name)} ${what}: ${ips.map(safe).join(', ')}`);
      }
    }
  }
  if (s.namespaces.length) {
    out.push(p.bold('Endpoints without Pods'));
    for (const n of s.namespaces) out.push(`  ${safe(n.namespace)}: ${n.endpointsWithoutPods.map(safe).join(', ')}`);
  }
  if (s.repairs.length) {
    out.push(p.bold('Suggested repairs (review before running; never run by spiderendpoint)'));
    for (const r of s.repairs) {
      out.push(`  # ${safe(r.title)} [${r.codes.map(safe).join(', ')}]`);
      for (const c of r.commands) out.push(`  ${safe(c)}`);
    }
  }
  return out;
}

/**
 * @param {string[]} argv the arguments after `audit`
 * @returns {Promise<number>} the exit code
 */
async function cmdAudit(argv) {
  const { values, positionals } = parse(bareValidate(argv), SPEC);
  if (values.help) {
    process.stdout.write(HELP.audit);
    return EXIT_OK;
  }
  const format = str(values, 'format') || 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  let maxWarnings;
  const mw = str(values, 'max-warnings');
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`--max-warnings expects a non-negative integer, not '${mw}'`);
    maxWarnings = Number(mw);
  }
  const options = auditOptions(values);
  const { args, implicitStdin } = inputArgs(positionals, 'files, directories');
  const stdinName = str(values, 'stdin-filename') || '-';
  const flags = list(values, 'ignore');
  const walk = { ignore: flags.length ? [patternSet(path.resolve(process.cwd()), flags)] : [], gitignore: !values['no-gitignore'] };

  /** @type {string[]} */
  const problems = [];
  const inputs = collectInputs(args, problems, walk);
  for (const msg of problems) errorLine(msg);
  let ioFailed = problems.length > 0;
  /** @type {(FileResult | {name: string, text: string | Uint8Array})[]} */
  const slots = [];
  const bar = progress(inputs.length, inputs.length >= 20 && Boolean(process.stderr.isTTY));
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    bar.tick(i);
    let text;
    let bytes;
    try {
      // No size limit here: the core has its own (maxBytes, 1 GiB per file by default).
      ({ text, bytes } = await readText(input));
    } catch (err) {
      ioFailed = true;
      errorLine(ioMessage(input.file, err));
      continue;
    }
    if (input.stdin && implicitStdin && text.length === 0) {
      throw new UsageError('no input: give files, directories or - for standard input (see --help)');
    }
    const name = input.stdin ? stdinName : input.file;
    const reason = templateReason(input.stdin ? '-' : input.file, text);
    slots.push(reason !== null ? skippedResult(name, reason) : { name, text: bytes || text });
  }
  bar.done();
  if (ioFailed && !slots.length) return EXIT_USAGE;

  const toAudit = /** @type {{name: string, text: string | Uint8Array}[]} */ (slots.filter((s) => !('file' in s)));
  const report = callCore(() => lib().audit(toAudit, options));
  toAudit.length = 0;
  let k = 0;
  /** @type {FileResult[]} */
  const results = slots.map((s) => {
    if ('file' in s) return s;
    const f = report.files[k++];
    return { file: f.name, ...f.report, suppressed: f.report.suppressed || [] };
  });

  const summary = emptySummary();
  const omits = results.map((r) => {
    const omitted = omissions(r);
    addSummary(summary, r.summary, omitted);
    summary.files++;
    if (r.skipped) summary.templates++;
    return omitted;
  });
  let failed = summary.errors > 0 || summary.invalid > 0;
  if (values.strict && summary.warnings > 0) failed = true;
  let tooManyWarnings;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    failed = true;
    tooManyWarnings = `too many warnings: ${summary.warnings} > --max-warnings ${maxWarnings}`;
  }

  const output = str(values, 'output');
  const toFile = output !== undefined && output !== '-';
  const color = colorEnabled(process.stdout, toFile ? false : colorOption(values));
  /** @param {import('spiderendpoint').Diagnostic[]} ds */
  const errors = (ds) => ds.filter((d) => d.severity === 'error');
  const shown = values.quiet
    ? results.map((r) => ({ ...r, diagnostics: errors(r.diagnostics), documents: r.documents.map((doc) => ({ ...doc, diagnostics: errors(doc.diagnostics) })) }))
    : results;
  const opts = {
    color, verbose: Boolean(values.verbose), strict: Boolean(values.strict), version: lib().version, omits, tooManyWarnings, maxWarnings,
    rules: format === 'sarif' ? lib().rules() : [], audit: report.summary,
  };
  let text = formatter(format)(shown, summary, opts);
  if (format === 'text') text = `${text}\n${summaryText(report.summary, painter(color)).join('\n')}\n`;
  if (tooManyWarnings && (format === 'json' || format === 'sarif' || format === 'junit')) errorLine(tooManyWarnings);
  try {
    writeOut(text, output);
  } catch (err) {
    throw new UsageError(writeMessage(output, err));
  }
  if (ioFailed) return EXIT_USAGE;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

module.exports = { cmdAudit, summaryText };
