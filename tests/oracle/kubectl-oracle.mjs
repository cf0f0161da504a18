// The kubectl differential oracle: generates the variants, has kubectl read them, computes both verdicts and
// the normalize read-back. Used by kubectl.test.mjs (see there for what is compared and why).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKubectl, readAll } from './kubectl-run.mjs';
import { generateVariants } from './kubectl-variants.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const Ajv = require('ajv');
const yaml = require('js-yaml');

const SEED = Number(process.env.KUBECTL_ORACLE_SEED || 0x5EED);
const BATCH = Number(process.env.KUBECTL_ORACLE_BATCH || 40); // files per kubectl process (1: one process per file)
const ENGINE_OPTIONS = process.env.KUBECTL_ORACLE_OPTIONS ? JSON.parse(process.env.KUBECTL_ORACLE_OPTIONS) : undefined;

// The era the engine checks by default: the newest release serving each apiVersion (see crd-oracle).
const ERAS = {
  'spiderpool.spidernet.io/v1': 'spiderendpoints.v1.crd.yaml',
  'spiderpool.spidernet.io/v2beta1': 'spiderendpoints.v2beta1.crd.yaml',
};

// ObjectMeta and OwnerReference fields (strict field validation checks metadata against them).
const OBJECT_META = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences',
  'finalizers', 'managedFields']);
const OWNER_REF = new Set(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// Spiderpool's own rules (not checked by the API server); SE311/SE312 (ObjectMeta) are modelled above.
const SEMANTIC = /^SE3(0[1-9]|10|1[3-8])$/;

function loadSchemas() {
  const out = {};
  for (const [api, file] of Object.entries(ERAS)) {
    const crd = yaml.load(readFileSync(path.join(root, 'schemas/crds', file), 'utf8'));
    const schema = crd.spec.versions[0].schema.openAPIV3Schema;
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
    out[api] = { schema, check: ajv.compile(schema) };
  }
  return out;
}

// What the API server stores: nulls of defined fields pruned (replaced by the default when there is one),
// missing fields with a default added. Unknown fields are kept (the oracle reports them separately).
export function storeForm(v, schema) {
  if (Array.isArray(v)) return v.map((x) => storeForm(x, schema?.items));
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const sub = schema?.properties?.[k];
      if (x === null && sub && sub.default !== undefined) out[k] = structuredClone(sub.default);
      else if (x === null && sub) continue;
      else out[k] = sub ? storeForm(x, sub) : x;
    }
    if (schema?.properties && (schema.type === 'object' || !schema.type)) {
      for (const [k, sub] of Object.entries(schema.properties)) {
        if (!(k in out) && sub.default !== undefined) out[k] = structuredClone(sub.default);
      }
    }
    return out;
  }
  return v;
}

function unknownFields(v, schema, p, out) {
  if (Array.isArray(v)) { v.forEach((x, i) => unknownFields(x, schema?.items, `${p}/${i}`, out)); return out; }
  if (!v || typeof v !== 'object' || !schema?.properties) return out;
  for (const [k, x] of Object.entries(v)) {
    const sub = schema.properties[k];
    if (!sub) out.push(`${p}/${k}`);
    else unknownFields(x, sub, `${p}/${k}`, out);
  }
  return out;
}

function metaProblems(meta) {
  const out = [];
  if (meta === undefined || meta === null) return ['metadata.name is required'];
  if (typeof meta !== 'object' || Array.isArray(meta)) return ['metadata is not an object'];
  for (const k of Object.keys(meta)) if (!OBJECT_META.has(k)) out.push(`unknown field /metadata/${k}`);
  const name = meta.name;
  if (name === undefined || name === null || name === '') { if (!meta.generateName) out.push('metadata.name is required'); }
  else if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  const ns = meta.namespace;
  if (ns !== undefined && ns !== null && ns !== '' && (typeof ns !== 'string' || ns.length > 63 || !DNS_LABEL.test(ns))) out.push(`metadata.namespace ${JSON.stringify(ns)} is not a DNS-1123 label`);
  for (const f of Array.isArray(meta.finalizers) ? meta.finalizers : []) {
    if (typeof f !== 'string' || !QUALIFIED_NAME.test(f) || f.split('/').pop().length > 63) out.push(`finalizer ${JSON.stringify(f)} is not a qualified name`);
  }
  (Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []).forEach((o, i) => {
    if (!o || typeof o !== 'object') { out.push(`ownerReferences[${i}] is not an object`); return; }
    for (const k of Object.keys(o)) if (!OWNER_REF.has(k)) out.push(`unknown field /metadata/ownerReferences/${i}/${k}`);
    for (const k of ['apiVersion', 'kind', 'name', 'uid']) if (typeof o[k] !== 'string' || o[k] === '') out.push(`ownerReferences[${i}].${k} is required`);
  });
  return out;
}

/**
 * kubectl's verdict on one variant: {valid, reasons[]} from what kubectl read. Reasons start with a category:
 * `refused`, `CRD`, `strict`, `metadata`, `duplicate keys`, `no such type`, `spiderpool rule`.
 */
function kubectlVerdict(variant, k, schemas, se) {
  if (!k.ok) return { valid: false, reasons: [`refused: ${k.error.split('\n')[0]}`] };
  const reasons = [];
  if (!k.objects.length) reasons.push('refused: kubectl read no object');
  for (const [i, obj] of k.objects.entries()) {
    // Scope: the engine checks SpiderEndpoints and skips every other kind (a ConfigMap beside an endpoint,
    // or a `kind` respelled into another string such as "2022-07-29"): those are not judged here. A
    // SpiderEndpoint of an apiVersion no Spiderpool release serves has no type on the server.
    if (obj?.kind !== 'SpiderEndpoint') continue;
    const era = schemas[obj.apiVersion];
    if (!era) { reasons.push(`no such type: object ${i} is a SpiderEndpoint of apiVersion ${JSON.stringify(obj.apiVersion)}`); continue; }
    const stored = storeForm(obj, era.schema);
    if (!era.check(stored)) reasons.push(...era.check.errors.map((e) => `CRD: ${e.instancePath || '/'} ${e.message}`));
    const unknown = unknownFields(obj, { properties: { ...era.schema.properties, metadata: undefined } }, '', [])
      .filter((p) => !p.startsWith('/metadata'));
    reasons.push(...unknown.map((p) => `strict: unknown field ${p}`));
    reasons.push(...metaProblems(obj.metadata).map((m) => `metadata: ${m}`));
    const sem = se.validateObject(obj, ENGINE_OPTIONS).documents.flatMap((d) => d.diagnostics)
      .filter((d) => d.severity === 'error' && SEMANTIC.test(d.code));
    reasons.push(...sem.map((d) => `spiderpool rule: ${d.code} ${d.path}: ${d.message}`));
  }
  if (variant.dup) reasons.push('duplicate keys: written on purpose (issue 9 counts them as a strict-validation failure)');
  return { valid: reasons.length === 0, reasons };
}

function engineVerdict(se, text) {
  let report;
  try {
    report = se.validate(text, ENGINE_OPTIONS);
  } catch (e) {
    return { valid: false, threw: true, diags: [`validate threw: ${e.message}`] };
  }
  const all = [...report.diagnostics, ...report.documents.flatMap((d) => d.diagnostics)];
  return {
    valid: report.summary.errors === 0,
    diags: all.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.path ?? ''} ${d.message}`),
  };
}

const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : Object.is(x, -0) ? 0 : x));

// A plain scalar that a YAML 1.2 core reader resolves to a float but that overflows to ±Infinity: js-yaml 5
// leaves it a string (so its read-back would hide it), other 1.2 readers read Infinity.
const CORE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
function overflowingPlainFloats(text) {
  const out = [];
  try {
    for (const ev of yaml.parseEvents(text, {})) {
      if (ev.type === yaml.EVENT_SCALAR && ev.style === yaml.SCALAR_STYLE_PLAIN && ev.tagStart < 0) {
        const s = yaml.getScalarValue(text, ev);
        if (CORE_FLOAT.test(s) && !Number.isFinite(Number(s))) out.push(s);
      }
    }
  } catch { /* reported by load */ }
  return out;
}

export async function runOracle({ seed = SEED, log = () => {} } = {}) {
  const kubectl = findKubectl();
  if (!kubectl) return { kubectl: null };
  const se = require(path.join(root, 'pkg'));
  const schemas = loadSchemas();
  const t0 = Date.now();
  const variants = generateVariants({ seed });
  const dir = mkdtempSync(path.join(tmpdir(), 'se-kubectl-oracle-'));
  const stats = { processes: 0 };
  try {
    const files = variants.map((v) => {
      const f = path.join(dir, `v${String(v.id).padStart(4, '0')}.yaml`);
      writeFileSync(f, v.text);
      return f;
    });
    const reads = await readAll(kubectl, files, variants.map((v) => v.single), { stats, batch: BATCH });
    const tKubectl = Date.now();
    // Variants whose reading changed between kubectl releases are judged only by kubectl >= 1.27 (the issue's
    // reference is 1.32; 1.27-1.33 read every row of kubectl-table.md alike, 1.20 differs on `--- !!map`).
    const old = !(kubectl.minor >= 27);
    const judged = (v) => !(old && v.sensitive);
    const results = variants.filter(judged).map((v) => {
      const i = v.id;
      const k = reads[i];
      const kv = kubectlVerdict(v, k, schemas, se);
      const ev = engineVerdict(se, v.text);
      return { v, file: files[i], k, kv, ev, agree: kv.valid === ev.valid, normalize: null };
    });
    if (results.length < variants.length) {
      log(`kubectl ${kubectl.version} is older than 1.27: ${variants.length - results.length} variants whose reading changed since are not judged`);
    }
    const tEngine = Date.now();

    // Normalize: for the variants both call valid.
    const both = results.filter((r) => r.kv.valid && r.ev.valid);
    const nfiles = [];
    const nres = [];
    for (const r of both) {
      let n;
      try { n = se.normalize(r.v.text, ENGINE_OPTIONS); } catch (e) { r.normalize = { ok: false, problem: `normalize threw: ${e.message}` }; continue; }
      if (!n.ok) { r.normalize = { ok: false, problem: `normalize refused: ${n.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}` }; continue; }
      const f = r.file.replace(/\.yaml$/, '.normalized.yaml');
      writeFileSync(f, n.output);
      r.normalized = n.output;
      nfiles.push(f);
      nres.push(r);
    }
    const nreads = await readAll(kubectl, nfiles, nres.map((r) => r.v.single && !/^(---|\.\.\.)/m.test(r.normalized)), { stats, batch: BATCH });
    nres.forEach((r, i) => {
      const want = canon(r.k.objects.map((o) => {
        const era = o?.kind === 'SpiderEndpoint' ? schemas[o.apiVersion] : undefined;
        return era ? storeForm(o, era.schema) : o;
      }));
      const problems = [];
      const k2 = nreads[i];
      if (!k2.ok) problems.push(`kubectl refused the normalized text: ${k2.error.split('\n')[0]}`);
      else if (canon(k2.objects) !== want) problems.push(`kubectl reads the normalized text as ${canon(k2.objects)}`);
      let j;
      try { j = yaml.loadAll(r.normalized).filter((d) => d !== null && d !== undefined); } catch (e) { problems.push(`YAML 1.2 (js-yaml) refuses the normalized text: ${e.message.split('\n')[0]}`); }
      if (j && canon(j) !== want) problems.push(`YAML 1.2 (js-yaml) reads the normalized text as ${canon(j)}`);
      const inf = overflowingPlainFloats(r.normalized);
      if (inf.length) problems.push(`plain scalars a YAML 1.2 core reader reads as ±Infinity: ${inf.join(', ')}`);
      r.normalize = { ok: problems.length === 0, problem: problems.join('\n'), want };
    });
    const tEnd = Date.now();
    log(`kubectl oracle: ${variants.length} variants (seed ${seed}), kubectl ${kubectl.version}: ${stats.processes} kubectl processes; ` +
      `read ${tKubectl - t0} ms, engine ${tEngine - tKubectl} ms, normalize ${tEnd - tEngine} ms, total ${tEnd - t0} ms`);
    return { kubectl, variants, results, ms: tEnd - t0, stats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reporting.
export function describe(r) {
  const lines = [];
  lines.push(`--- variant #${r.v.id} [${r.v.cls}] from examples/valid/${r.v.base}: ${r.v.notes.join('; ')}`);
  lines.push(r.v.text.replace(/\r/g, '\\r').replace(/\ufeff/g, '\\ufeff').trimEnd().split('\n').map((l) => `    | ${l}`).join('\n'));
  const kOut = r.k.ok ? r.k.objects.map((o) => JSON.stringify(o)).join('\n    ') : r.k.error;
  lines.push(`  kubectl: ${r.kv.valid ? 'VALID' : 'INVALID'}${r.kv.reasons.length ? ` (${r.kv.reasons.join('; ')})` : ''}`);
  lines.push(`    read: ${kOut}`);
  lines.push(`  engine: ${r.ev.valid ? 'VALID' : 'INVALID'}`);
  for (const d of r.ev.diags) lines.push(`    ${d}`);
  if (r.normalize && !r.normalize.ok) {
    lines.push('  normalize:');
    lines.push(r.normalize.problem.split('\n').map((l) => `    ${l}`).join('\n'));
    if (r.normalized !== undefined) lines.push(r.normalized.trimEnd().split('\n').map((l) => `    N| ${l}`).join('\n'));
    if (r.normalize.want) lines.push(`    expected: ${r.normalize.want}`);
  }
  return lines.join('\n');
}

// Why a case disagrees: for "missed", the category of kubectl's first reason; for "extra", the engine's
// first error code.
function why(r) {
  if (!r.agree) {
    if (r.ev.valid) return `missed: ${r.kv.reasons[0].split(':')[0]}`;
    const e = r.ev.diags.find((d) => / error /.test(d));
    return `extra: ${e ? e.split(' ')[2] : '?'}`;
  }
  const p = r.normalize.problem;
  const parts = [];
  if (/^normalize (threw|refused)/m.test(p)) parts.push('refused');
  if (/^kubectl (refused|reads)/m.test(p)) parts.push('kubectl reads it otherwise');
  if (/^YAML 1\.2 .*refuses/m.test(p)) parts.push('YAML 1.2 refuses it');
  if (/^YAML 1\.2 .*reads/m.test(p)) parts.push('YAML 1.2 reads it otherwise');
  if (/Infinity/m.test(p)) parts.push('±Infinity for YAML 1.2');
  return `normalize: ${parts.join(', ')}`;
}

export function summarize(results) {
  const by = new Map();
  const reasons = new Map();
  for (const r of results) {
    const s = by.get(r.v.cls) ?? { cls: r.v.cls, n: 0, kvalid: 0, agree: 0, missed: 0, extra: 0, normChecked: 0, normBad: 0 };
    s.n++;
    if (r.kv.valid) s.kvalid++;
    if (r.agree) s.agree++;
    else if (r.ev.valid) s.missed++; // kubectl/server reject, the engine calls it valid
    else s.extra++; // the engine reports an error kubectl and the server do not
    if (r.normalize) { s.normChecked++; if (!r.normalize.ok) s.normBad++; }
    by.set(r.v.cls, s);
    if (!r.agree || (r.normalize && !r.normalize.ok)) {
      const key = `${r.v.cls.padEnd(15)} ${why(r)}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  const rows = [...by.values()];
  const tot = rows.reduce((a, s) => {
    for (const k of Object.keys(a)) if (k !== 'cls') a[k] += s[k];
    return a;
  }, { cls: 'total', n: 0, kvalid: 0, agree: 0, missed: 0, extra: 0, normChecked: 0, normBad: 0 });
  const fmt = (s) => `${s.cls.padEnd(15)} ${String(s.n).padStart(5)} ${String(s.kvalid).padStart(7)} ${String(s.agree).padStart(6)} ${String(s.missed).padStart(7)} ${String(s.extra).padStart(6)} ${`${s.normBad}/${s.normChecked}`.padStart(10)}`;
  return [
    'class           cases kubectl  agree  missed  extra  normalize',
    '                         valid',
    ...rows.map(fmt),
    fmt(tot),
    'missed: kubectl or the API server rejects, the engine says valid; extra: the engine reports an error kubectl',
    'and the API server do not; normalize: bad/checked read-backs of normalize() output (variants both call valid).',
    '',
    'class           why (missed: kubectl\'s first reason; extra: the engine\'s first error)      cases',
    ...[...reasons.entries()].sort().map(([k, n]) => `${k.padEnd(78)} ${String(n).padStart(4)}`),
  ].join('\n');
}
