// Differential test: our schema rules against an independent oracle, ajv running the upstream CRD's
// openAPIV3Schema after the API server's null pruning and defaulting. For thousands of mutated
// endpoints, "the oracle rejects" must equal "we report a schema error" (codes SE2xx, severity error),
// for every era. Nothing the CRD rejects may be reported valid; nothing it accepts may get a schema error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const Ajv = require('ajv');
const yaml = require('js-yaml');
const se = require(path.join(root, 'pkg'));

const ERAS = [
  { release: '0.3.7', file: 'spiderendpoints.v1.crd.yaml', api: 'v1' },
  { release: '0.4.0', file: 'spiderendpoints.v2beta1.v0.4.0.crd.yaml', api: 'v2beta1' },
  { release: '1.1.2', file: 'spiderendpoints.v2beta1.v1.1.2.crd.yaml', api: 'v2beta1' },
  { release: '1.2.0', file: 'spiderendpoints.v2beta1.crd.yaml', api: 'v2beta1' },
];

// Seeded PRNG (xorshift32) so failures reproduce.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function baseObject(api, r) {
  const nic = (i) => ({
    interface: i === 0 ? 'eth0' : `net${i}`,
    ipv4: `10.${i}.0.${5 + i}/24`, ipv4Pool: `pool-${i}`, ipv4Gateway: `10.${i}.0.1`,
    ipv6: `fd00:${i}::${5 + i}/64`, ipv6Pool: `pool6-${i}`, ipv6Gateway: `fd00:${i}::1`,
    cleanGateway: false, vlan: 0, routes: [{ dst: `172.16.${i}.0/24`, gw: `10.${i}.0.1` }],
  });
  const ips = Array.from({ length: 1 + Math.floor(r() * 2) }, (_, i) => nic(i));
  const status = api === 'v1'
    ? { current: { containerID: 'a'.repeat(64), creationTime: '2022-07-29T08:54:12Z', node: 'worker-1', ips },
        history: [{ containerID: 'b'.repeat(64), node: 'worker-1', ips: structuredClone(ips) }],
        ownerControllerType: 'StatefulSet', ownerControllerName: 'sts' }
    : { current: { uid: '11111111-2222-4333-8444-555555555555', node: 'worker-1', ips },
        ownerControllerType: 'Deployment', ownerControllerName: 'web' };
  return { apiVersion: `spiderpool.spidernet.io/${api}`, kind: 'SpiderEndpoint', metadata: { name: 'pod-a', namespace: 'default' }, status };
}

// Every (container, key) pair under status, for picking a mutation target.
function slots(obj) {
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); walk(x); });
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([v, k]); walk(v[k]); }
  };
  walk(obj.status);
  out.push([obj, 'status']);
  return out;
}

const VALUES = [null, 'x', '', 0, 1, -1, 4094, 4095, 4096, 1.5, true, false, [], {}, ['a'], { a: 1 }, '2022-07-29T08:54:12Z', 'not-a-date'];

function mutate(obj, r) {
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const s = slots(obj);
    const [container, key] = s[Math.floor(r() * s.length)];
    const op = r();
    if (op < 0.3 && !Array.isArray(container)) delete container[key];
    else if (op < 0.4 && !Array.isArray(container)) container[`${key}X`] = 'unknown';
    else container[key] = structuredClone(VALUES[Math.floor(r() * VALUES.length)]);
  }
  return obj;
}

// The API server's pruning of nulls in non-nullable fields (vlan null -> default 0), recursively.
function pruneNulls(v, schema) {
  if (Array.isArray(v)) return v.map((x) => pruneNulls(x, schema?.items));
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const sub = schema?.properties?.[k];
      if (x === null && sub && sub.default !== undefined) out[k] = sub.default;
      else if (x === null && sub) continue;
      else out[k] = sub ? pruneNulls(x, sub) : x;
    }
    return out;
  }
  return v;
}

for (const era of ERAS) {
  test(`CRD oracle agrees with the schema rules (${era.file})`, () => {
    const crd = yaml.load(readFileSync(path.join(root, 'schemas/crds', era.file), 'utf8'));
    const schema = crd.spec.versions[0].schema.openAPIV3Schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
    const check = ajv.compile(schema);
    const r = rng(0xC0FFEE + era.release.length * 7919);
    let rejected = 0;
    const N = 1500;
    for (let i = 0; i < N; i++) {
      const obj = mutate(baseObject(era.api, r), r);
      const oracleOk = check(pruneNulls(obj, schema));
      // The CRD's schema prunes unknown fields; strict field validation (the engine's default,
      // which makes them errors) is compared with kubectl in kubectl.test.mjs. Here: "warn".
      const report = se.validateObject(obj, { spiderpoolVersion: era.release, fieldValidation: 'warn' });
      const schemaErrors = report.documents.flatMap((d) => d.diagnostics)
        .filter((d) => d.severity === 'error' && d.code.startsWith('SE2'));
      if (!oracleOk) rejected++;
      assert.equal(schemaErrors.length === 0, oracleOk,
        `case ${i}: oracle ${oracleOk ? 'accepts' : 'rejects'} but we report ${JSON.stringify(schemaErrors.map((d) => `${d.code} ${d.path}`))}\n` +
        `${JSON.stringify(obj)}\najv: ${JSON.stringify(check.errors)}`);
    }
    // the mutations must exercise both outcomes
    assert.ok(rejected > N * 0.2 && rejected < N * 0.95, `rejected ${rejected}/${N}`);
  });
}
