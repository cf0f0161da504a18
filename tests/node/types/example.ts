// Calls every export of the package with its real types. Compiled by tests/node/types.test.mjs with
// `tsc --noEmit` (as .mts and .cts under module node16, as .ts under moduleResolution bundler), with the
// declarations of the installed tarball. The @ts-expect-error lines prove the types are not `any`.
import { audit, convert, convertReview, fix, normalize, releases, rules, schema, validate, validateFiles, validateObject, version } from 'spiderendpoint';
import type {
  AuditOptions,
  AuditReport,
  PoolSummary,
  Change,
  ChangeKind,
  ConvertOptions,
  Diagnostic,
  DocumentReport,
  FieldValidation,
  FilesReport,
  FixResult,
  RelatedLocation,
  RuleCode,
  Fix,
  NormalizeOptions,
  Report,
  RuleInfo,
  Summary,
  TextEdit,
  TransformResult,
  ValidateOptions,
  YamlVersion,
} from 'spiderendpoint';

const text = 'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata: {name: a}\n';
const options: ValidateOptions = { spiderpoolVersion: '1.2', maxBytes: 1 << 20, maxDepth: 32, maxAliasNodes: 10_000 };
// How the input is read: kubectl's YAML 1.1 (default) or YAML 1.2; kubectl's --validate (default strict).
const yamlVersions: YamlVersion[] = ['1.1', '1.2'];
const fieldValidations: FieldValidation[] = ['strict', 'warn', 'ignore'];
const reading: ValidateOptions = { yamlVersion: yamlVersions[1], fieldValidation: fieldValidations[1] };
const asYaml12: Report = validate(text, { yamlVersion: '1.2', fieldValidation: 'ignore' });

// validate / validateObject
const report: Report = validate(text, options);
const fromBytes: Report = validate(Uint8Array.from(text, (c) => c.charCodeAt(0)));
const fromObject: Report = validateObject({ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderEndpoint' }, { spiderpoolVersion: 'v0.6.1' });
const fileLevel: Diagnostic[] = report.diagnostics;
const doc: DocumentReport | undefined = report.documents[0];
const index: number | undefined = doc?.index;
const item: number | undefined = doc?.item;
const names: Array<string | null> = [doc?.apiVersion ?? null, doc?.kind ?? null, doc?.namespace ?? null, doc?.name ?? null];
const status: 'valid' | 'invalid' | 'skipped' | undefined = doc?.status;
const extent: [number, number] | undefined = doc ? [doc.line, doc.endLine] : undefined;
const diag: Diagnostic | undefined = doc?.diagnostics[0];
const severity: 'error' | 'warning' | 'info' | undefined = diag?.severity;
const where: number[] = diag
  ? [diag.line, diag.column, diag.endLine, diag.endColumn, diag.offset, diag.endOffset, diag.utf16Offset, diag.utf16EndOffset]
  : [];
const what: string[] = diag ? [diag.code, diag.rule, diag.message, diag.path] : [];
const diagFix: Fix | undefined = diag?.fix;
const edit: TextEdit | undefined = diagFix?.edits[0];
const replacement: string | undefined = edit?.newText;
const summary: Summary = fromBytes.summary;
const counts: number[] = [summary.documents, summary.valid, summary.invalid, summary.skipped, summary.errors, summary.warnings, summary.infos];

// normalize / convert / convertReview
const normalizeOptions: NormalizeOptions = { dropUnknown: true, spiderpoolVersion: '1.2', yamlVersion: '1.2' };
const normalized: TransformResult = normalize(text, normalizeOptions);
const convertOptions: ConvertOptions = { lossless: true, maxAliasBytes: 1 << 20, yamlVersion: '1.1' };
// @ts-expect-error each operation has its own options: fieldValidation is validate's
const wrongOptions: ConvertOptions = { fieldValidation: 'warn' };
void wrongOptions;
const converted: TransformResult = convert(Uint8Array.from(text, (c) => c.charCodeAt(0)), 'v1', convertOptions);
const back: TransformResult = convert(converted.output, 'v2beta1');
const ok: boolean = converted.ok && back.ok && normalized.ok;
const output: string = converted.output;
const edits: TextEdit[] = converted.edits;
const change: Change | undefined = converted.changes[0];
const changeKind: ChangeKind | undefined = change?.kind;
// Every kind of change, exhaustively: a kind added to the Rust enum fails this switch until it is handled here.
function describeChange(kind: ChangeKind): string {
  switch (kind) {
    case 'dropped': return 'removed: the target cannot hold it';
    case 'invented': return 'added: derived from other fields';
    case 'changed': return 'rewritten';
    case 'defaulted': return 'filled in as the API server does';
    case 'restored': return 'restored from the lossless annotation';
    case 'respelled': return 'written so that YAML 1.1 and 1.2 readers read it alike';
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}
const changeText: string = change ? describeChange(change.kind) : '';
const respelled: Change[] = normalized.changes.filter((c) => c.kind === 'respelled');
const changePath: string | undefined = change?.path;
const refusals: Diagnostic[] = converted.diagnostics;
const review: object = convertReview({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'ConversionReview',
  request: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', desiredAPIVersion: 'spiderpool.spidernet.io/v2beta1', objects: [] },
});

// rules / schema / version
const table: RuleInfo[] = rules();
const rule: RuleInfo | undefined = table[0];
const ruleText: string[] = rule ? [rule.code, rule.rule, rule.summary, rule.help] : [];
const ruleSeverity: 'error' | 'warning' | 'info' | undefined = rule?.severity;
const newest: object = schema();
const era: object = schema({ spiderpoolVersion: '0.3', apiVersion: 'v1' });
const engine: string = version;

// Misuse is a compile error.
// @ts-expect-error the input is text or bytes
validate(42);
// @ts-expect-error a misspelt option
validate(text, { spiderpoolVersoin: '1.2' });
// @ts-expect-error only v1 and v2beta1 exist
convert(text, 'v2');
// @ts-expect-error yamlVersion is "1.1" or "1.2", a string
validate(text, { yamlVersion: 1.2 });
// @ts-expect-error there is no YAML 1.3
normalize(text, { yamlVersion: '1.3' });
// @ts-expect-error fieldValidation is strict, warn or ignore (kubectl's booleans are the CLI's only)
convert(text, 'v1', { fieldValidation: true });
// @ts-expect-error fieldValidation is a closed set
validate(text, { fieldValidation: 'warning' });
// @ts-expect-error ChangeKind is a closed set
const notAKind: ChangeKind = 'renamed';
// @ts-expect-error convert needs the target version
convert(text);
// @ts-expect-error status is a closed set
const notAStatus: 'broken' | undefined = doc?.status;
// @ts-expect-error severity is a closed set
const notASeverity: 'fatal' | undefined = diag?.severity;
// @ts-expect-error `ok` is a boolean
const notABoolean: string = converted.ok;
// @ts-expect-error version is a string property, not a function
version();

export const used = [
  fromObject, fileLevel, index, item, names, status, extent, severity, where, what, replacement, counts, ok, output, edits,
  changeKind, changePath, refusals, review, ruleText, ruleSeverity, newest, era, engine, notAStatus, notASeverity, notABoolean,
  reading, asYaml12, changeText, respelled, notAKind,
];

// validateFiles / fix / releases, rule settings, related locations, suppressed findings
const run: FilesReport = validateFiles([{ name: 'a.yaml', text }, { name: 'b.yaml', text: new Uint8Array(0) }], { rules: { SE313: 'off', 'uid-not-uuid': 'warning' } });
const related: RelatedLocation[] = run.files[1].report.documents.flatMap((d) => d.diagnostics.flatMap((x) => x.related ?? []));
const relatedFile: string | undefined = related[0]?.file;
const suppressedLine: number | undefined = run.files[0].report.suppressed[0]?.suppressedBy?.line;
const fixed: FixResult = fix(text);
const fixedText: string = fixed.output;
const safe: boolean | undefined = fixed.applied[0]?.fix?.safe;
const known: string[] = releases();
const code: RuleCode = 'SE313';
// @ts-expect-error codes are the known ones
const notACode: RuleCode = 'SE999';
// @ts-expect-error rule levels are off, info, warning or error
validate(text, { rules: { SE313: 'loud' } });
void [relatedFile, suppressedLine, fixedText, safe, known, code, notACode];

// audit: a cluster export read as a whole; the summary is data
const auditOptions: AuditOptions = { spiderpoolVersion: '1.0', now: '2024-01-02T03:04:05Z', maxBytes: 1 << 30 };
const audited: AuditReport = audit([{ name: 'export.yaml', text }, { name: 'more.yaml', text: new Uint8Array(0) }], auditOptions);
const pool: PoolSummary | undefined = audited.summary.poolTable[0];
const poolTotal: number | null | undefined = pool?.total;
const leakedIps: string[] | undefined = pool?.leaked;
const orphans: string[] | undefined = audited.summary.namespaces[0]?.endpointsWithoutPods;
const repair: string[] | undefined = audited.summary.repairs[0]?.commands;
const crossEnd: RelatedLocation | undefined = audited.files[0].report.diagnostics[0]?.related?.[0];
// a file read straight into the core: read(into) fills the view and returns how many bytes it wrote
const readFile = { name: 'big.yaml', size: 3, read: (into: Uint8Array): number => { into.set([0x61, 0x3a, 0x20]); return 3; } };
const auditedRead: AuditReport = audit([readFile, { name: 'small.yaml', text }]);
// @ts-expect-error read must return the number of bytes it wrote
audit([{ name: 'x.yaml', size: 1, read: (into: Uint8Array) => { into.fill(0); } }]);
// @ts-expect-error audit options are not convert's
audit([], { lossless: true });
// @ts-expect-error files are { name, text }
audit(['export.yaml']);
void [poolTotal, leakedIps, orphans, repair, crossEnd, auditedRead];
