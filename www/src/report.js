// Shared by the page and the worker: turn the core's Report into one flat, sorted list of problems.

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };

/**
 * @returns {{problems: Array<object>, summary: object, documents: Array<object>}}
 * Each problem is the core's Diagnostic plus `doc` (document index), `item` (List item) and `name`.
 */
/**
 * The core's AuditReport of the editor's text (one file): its report flattened as validate's, plus the
 * audit summary (per pool, per namespace, repairs). Cross-object findings carry the other end in `related`.
 */
export function flattenAudit(report) {
  const file = report.files[0];
  return { ...flattenReport(file ? file.report : {}), audit: report.summary };
}

export function flattenReport(report) {
  const problems = [];
  for (const d of report.diagnostics || []) problems.push({ ...d, doc: null, item: null, name: null });
  const documents = [];
  for (const doc of report.documents || []) {
    documents.push({
      index: doc.index, item: doc.item ?? null, kind: doc.kind, apiVersion: doc.apiVersion,
      name: doc.name, namespace: doc.namespace, status: doc.status, line: doc.line, endLine: doc.endLine,
    });
    for (const d of doc.diagnostics || []) problems.push({ ...d, doc: doc.index, item: doc.item ?? null, name: doc.name });
  }
  problems.sort((a, b) => a.utf16Offset - b.utf16Offset || a.utf16EndOffset - b.utf16EndOffset
    || (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3));
  return { problems, summary: report.summary, documents };
}
