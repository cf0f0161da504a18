// @ts-check
'use strict';
// The sarif format: SARIF 2.1.0 (GitHub code scanning and other static-analysis viewers).

const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { jsonText } = require('../safe.js');
const { allDiagnostics, omittedFail, omittedText } = require('../report.js');

/** @param {string} sev */
function sarifLevel(sev) {
  return sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'note';
}

/**
 * The artifactLocation of a file: relative names against %SRCROOT% (the working directory).
 * @param {string} file
 * @returns {{uri: string, uriBaseId?: string}}
 */
function artifactUri(file) {
  if (file === '-') return { uri: 'stdin' };
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const rel = file.split(path.sep).join('/').replace(/^(\.\/)+/, '');
  // Percent-encode each segment so that the uri is a valid relative reference (RFC 3986).
  return { uri: rel.split('/').map((seg) => encodeURIComponent(seg)).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * A SARIF region from a finding's (or a related location's) position.
 * @param {{line: number, column: number, endLine: number, endColumn: number, utf16Offset: number, utf16EndOffset: number}} d
 */
function region(d) {
  return {
    startLine: d.line,
    startColumn: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    charOffset: d.utf16Offset,
    charLength: Math.max(0, d.utf16EndOffset - d.utf16Offset),
  };
}

/** @type {import('../report.js').Formatter} */
function formatSarif(results, summary, opts) {
  const rules = opts.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const driverRules = rules.map((r) => ({
    id: r.code,
    name: r.rule,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.help },
    help: { text: r.help },
    ...(r.docs ? { helpUri: r.docs } : {}),
    defaultConfiguration: { level: sarifLevel(r.severity) },
    properties: { tags: ['spiderendpoint'] },
  }));
  /** @type {Record<string, unknown>[]} */
  const sarifResults = [];
  // Run-level messages a consumer must see: findings a report does not list, --max-warnings exceeded.
  /** @type {Record<string, unknown>[]} */
  const notifications = [];
  results.forEach((r, i) => {
    const artifactLocation = artifactUri(r.file);
    if (r.skipped) {
      notifications.push({
        descriptor: { id: 'skipped-template' },
        level: 'note',
        message: { text: `${r.file}: skipped: ${r.skipped.reason}` },
        locations: [{ physicalLocation: { artifactLocation } }],
      });
    }
    // Findings an inline comment suppresses are results too, marked as suppressed in the source.
    const listed = [...allDiagnostics(r)].map(({ d, doc }) => ({ d, doc, isSuppressed: false }));
    const suppressed = (r.suppressed || []).map((d) => ({ d, doc: null, isSuppressed: true }));
    for (const { d, doc, isSuppressed } of [...listed, ...suppressed]) {
      /** @type {Record<string, unknown>} */
      const res = {
        ruleId: d.code,
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{
          physicalLocation: { artifactLocation, region: region(d) },
          ...(d.path ? { logicalLocations: [{ fullyQualifiedName: d.path, kind: 'object' }] } : {}),
        }],
        ...(d.related && d.related.length ? {
          relatedLocations: d.related.map((rel, k) => ({
            id: k,
            physicalLocation: { artifactLocation: rel.file !== undefined && rel.file !== null ? artifactUri(rel.file) : artifactLocation, region: region(rel) },
            message: { text: rel.message },
          })),
        } : {}),
        ...(isSuppressed ? { suppressions: [{ kind: 'inSource', ...(d.suppressedBy ? { properties: { line: d.suppressedBy.line } } : {}) }] } : {}),
        properties: {
          rule: d.rule,
          path: d.path,
          ...(doc ? { document: doc.index, ...(doc.item !== undefined && doc.item !== null ? { item: doc.item } : {}) } : {}),
        },
      };
      if (ruleIndex.has(d.code)) res.ruleIndex = ruleIndex.get(d.code);
      if (d.fix && Array.isArray(d.fix.edits) && d.fix.edits.length) {
        res.fixes = [{
          description: { text: d.fix.message },
          artifactChanges: [{
            artifactLocation,
            replacements: d.fix.edits.map((e) => ({
              deletedRegion: { charOffset: e.utf16Offset, charLength: Math.max(0, e.utf16EndOffset - e.utf16Offset) },
              insertedContent: { text: e.newText },
            })),
          }],
        }];
      }
      sarifResults.push(res);
    }
    const o = opts.omits[i];
    if (o.any) {
      notifications.push({
        descriptor: { id: 'omitted-findings' },
        level: omittedFail(o, opts.strict) ? 'error' : 'warning',
        message: { text: `${r.file}: ${omittedText(o)}` },
        locations: [{ physicalLocation: { artifactLocation } }],
        properties: { omitted: o.total, errors: o.errors, warnings: o.warnings, infos: o.infos },
      });
    }
  });
  if (opts.tooManyWarnings) {
    notifications.push({ descriptor: { id: 'max-warnings' }, level: 'error', message: { text: opts.tooManyWarnings } });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'spiderendpoint',
          semanticVersion: opts.version,
          version: opts.version,
          rules: driverRules,
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + path.sep).href } },
      artifacts: results.map((r) => ({ location: artifactUri(r.file), properties: { summary: r.summary } })),
      columnKind: 'utf16CodeUnits',
      results: sarifResults,
      invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
      properties: { summary },
    }],
  };
  return jsonText(log);
}

module.exports = { formatSarif };
