// @ts-check
'use strict';
// `spiderendpoint audit`: a cluster export (Pods, SpiderEndpoints, SpiderIPPools, SpiderSubnets,
// SpiderReservedIPs; files, directories or standard input, all read together) checked object by object and
// across objects. The findings come in every format of validate; the text format adds a summary a person
// reads at a glance (per pool, per namespace, the suggested repairs as kubectl commands, never executed) and
// `--format json` carries that summary as data (`audit`).

const { EXIT_OK, EXIT_USAGE, UsageError, lib, callCore, releaseMemory } = require('../core.js');
const { str, list, readingOptions, inputArgs } = require('../args.js');
const fs = require('node:fs');
const { collectInputs } = require('../walk.js');
const { errorLine, safe, plural } = require('../safe.js');
const { painter } = require('../paint.js');
const { skippedResult } = require('../report.js');
const { checkRelease, ruleLookup } = require('../settings.js');
const { ruleFlags } = require('../config.js');
const { patternSet } = require('../ignore.js');
const { templateReason, linesOf } = require('../template.js');
const { RUN_SPEC, startRun, readInputs, finishRun } = require('../run.js');
const path = require('node:path');

/**
 * @typedef {import('spiderendpoint').AuditOptions} AuditOptions
 * @typedef {import('spiderendpoint').AuditSummary} AuditSummary
 * @typedef {import('../report.js').FileResult} FileResult
 * @typedef {import('../paint.js').Painter} Painter
 */

/** @type {Record<string, import('../args.js').OptionSpec>} */
const SPEC = {
  ...RUN_SPEC,
  now: { type: 'string' },
  'max-bytes': { type: 'string' },
};

/**
 * @typedef {{name: string, size: number, read: (into: Uint8Array) => number}} ReadFile a file the core reads
 *   into its own memory when the audit runs (see readInto)
 * @typedef {{size: number, template: string | null, read: (into: Uint8Array) => number}} Opened
 */

const CHUNK = 1 << 20;

/**
 * A regular file's bytes, a chunk at a time (the same buffer each time: use it before asking for the next).
 * @param {string} file
 * @returns {Generator<Buffer>}
 */
function* fileChunks(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An input opened for the audit: its size, whether it is a template, and a `read` that fills the core's
 * memory with its bytes when the audit runs (the engine's `{ name, size, read }` file). A regular file is
 * read twice, through a small buffer and then straight into the core: no JavaScript string or Buffer of
 * its size exists (an export is 300-500 MB). The first pass looks for `{{`, so that a template is set
 * aside as validate does; only a file that has one is read again, line by line, to tell. Standard input (and any file
 * that is not a regular one: a pipe, a device) is read once into chunks, handed over, then let go.
 * @param {import('../files.js').Input} input
 * @returns {Promise<Opened>}
 */
async function openInput(input) {
  if (input.stdin || !fs.statSync(input.file).isFile()) {
    /** @type {Buffer[]} */
    let chunks = [];
    for await (const chunk of input.stdin ? process.stdin : fs.createReadStream(input.file)) chunks.push(chunk);
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const braces = chunks.some((c, i) => c.includes('{{') || (c[c.length - 1] === 0x7b && chunks[i + 1]?.[0] === 0x7b));
    const template = templateReason(input.stdin ? '-' : input.file, braces ? linesOf(chunks) : '');
    return {
      size, template,
      read: (into) => {
        let off = 0;
        for (const c of chunks) {
          const n = Math.min(c.length, into.length - off);
          into.set(c.subarray(0, n), off);
          off += n;
        }
        chunks = [];
        return off;
      },
    };
  }
  const file = input.file;
  const fd = fs.openSync(file, 'r');
  let size = 0;
  let braces = false;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK + 1);
    let carry = 0; // the previous chunk's last byte, kept at chunk[0] so that a `{{` across chunks is seen
    for (;;) {
      const n = fs.readSync(fd, chunk, carry, CHUNK, null);
      if (n === 0) break;
      size += n;
      if (!braces && chunk.subarray(0, carry + n).includes('{{')) braces = true;
      chunk[0] = chunk[carry + n - 1];
      carry = 1;
    }
  } finally {
    fs.closeSync(fd);
  }
  const template = templateReason(file, braces ? linesOf(fileChunks(file)) : '');
  return {
    size, template,
    read: (into) => {
      const rfd = fs.openSync(file, 'r');
      try {
        let off = 0;
        while (off < into.length) {
          const n = fs.readSync(rfd, into, off, into.length - off, off);
          if (n === 0) break;
          off += n;
        }
        return off;
      } finally {
        fs.closeSync(rfd);
      }
    },
  };
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
  const run = startRun(argv, SPEC, 'audit');
  if (!run) return EXIT_OK;
  const { values, positionals } = run;
  const options = auditOptions(values);
  const { args, implicitStdin } = inputArgs(positionals, 'files, directories');
  const stdinName = str(values, 'stdin-filename') || '-';
  const flags = list(values, 'ignore');
  const walk = { ignore: flags.length ? [patternSet(path.resolve(process.cwd()), flags)] : [], gitignore: !values['no-gitignore'] };

  /** @type {string[]} */
  const problems = [];
  const inputs = collectInputs(args, problems, walk);
  for (const msg of problems) errorLine(msg);
  // No size limit here: the core has its own (maxBytes, 1 GiB per file by default).
  const read = await readInputs(inputs, { stdinName, implicitStdin }, {
    read: openInput,
    size: (o) => o.size,
    /** @returns {FileResult | ReadFile} */
    take: (o, _input, name) => (o.template !== null ? skippedResult(name, o.template) : { name, size: o.size, read: o.read }),
  });
  const slots = read.slots;
  const ioFailed = problems.length > 0 || read.ioFailed;
  if (ioFailed && !slots.length) return EXIT_USAGE;

  // The files are read into the core's memory during this call, one after the other.
  const report = callCore(() => lib().audit(/** @type {ReadFile[]} */ (slots.filter((s) => !('file' in s))), options));
  releaseMemory();
  let k = 0;
  /** @type {FileResult[]} */
  const results = slots.map((s) => {
    if ('file' in s) return s;
    const f = report.files[k++];
    return { file: f.name, ...f.report, suppressed: f.report.suppressed || [] };
  });
  return finishRun(run, results, {
    ioFailed,
    formatOptions: { audit: report.summary },
    epilogue: (color) => `${summaryText(report.summary, painter(color)).join('\n')}\n`,
  });
}

module.exports = { cmdAudit, summaryText };
