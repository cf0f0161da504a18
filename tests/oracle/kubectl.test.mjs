// Differential test: the engine's verdict on YAML text against kubectl's (issue 9: "the verdict is kubectl's
// verdict: read YAML as kubectl does, validate fields as kubectl's default does").
//
// A seeded generator (kubectl-variants.mjs) writes a few hundred variants of the valid examples (both
// apiVersions): scalar values and keys respelled with YAML 1.1-sensitive spellings, document markers,
// directives, merge keys, duplicate and unknown keys. The installed kubectl reads each one exactly as
// `kubectl apply -f` does (`kubectl label --local -f FILE probe=x -o json`, offline; kubectl-run.mjs).
//
// kubectl's verdict on a variant is "invalid" when
//   - kubectl refuses the file (its YAML reader, its JSON conversion, its ObjectMeta decoding), or
//   - the object it read fails what the API server checks with `kubectl apply`'s default
//     --validate=strict (fieldValidation=Strict):
//       * the CRD schema of the object's era (ajv, after the API server's null pruning and defaulting,
//         as in crd-oracle.test.mjs),
//       * strict field validation: fields the CRD (or ObjectMeta) does not define,
//       * ObjectMeta validation: name required and a DNS-1123 subdomain, namespace a DNS-1123 label,
//         finalizers qualified names, owner references complete,
//     or
//   - the file holds duplicate keys (issue 9 counts them as a strict-validation failure; kubectl itself
//     keeps the last value silently, see kubectl-table.md), or
//   - Spiderpool's own rules (SE3xx, not kubectl's business) fail on the object kubectl read: they come from
//     the engine's validateObject() on that object, so that this test isolates *reading* the YAML.
// The engine's verdict is "invalid" when validate(text) reports errors (summary.errors > 0).
//
// For variants both call valid, normalize(text) must give a text that kubectl and a YAML 1.2 reader (js-yaml
// 5, default core schema) both read as the object kubectl read from the original, as the API server stores
// it (nulls pruned, vlan defaulted).
//
//   node --test tests/oracle/                        (make test-oracle) asserts full agreement
//   node tests/oracle/kubectl.test.mjs --report      prints the disagreements grouped by spelling class
//   node tests/oracle/kubectl.test.mjs --report --verbose [--class NAME] [--limit N]   ... with every case
//   KUBECTL_ORACLE_SEED=123 KUBECTL_ORACLE_OPTIONS='{"yamlVersion":"1.1"}'   another seed / engine options
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findKubectl } from './kubectl-run.mjs';
import { describe, runOracle, summarize } from './kubectl-oracle.mjs';

const REPORT = process.argv.includes('--report');
const VERBOSE = process.argv.includes('--verbose');
const argOf = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };

// ---------------------------------------------------------------------------------------------------------
if (REPORT) {
  const run = await runOracle({ log: (s) => console.log(s) });
  if (!run.kubectl) {
    console.log('kubectl oracle: SKIPPED, kubectl is not installed (run `make setup`, or apt-get install kubernetes-client)');
    process.exit(0);
  }
  console.log(summarize(run.results));
  const cls = argOf('--class');
  const limit = Number(argOf('--limit') ?? Infinity);
  const bad = run.results.filter((r) => (!r.agree || (r.normalize && !r.normalize.ok)) && (!cls || r.v.cls === cls));
  if (VERBOSE) for (const r of bad.slice(0, limit)) console.log(`\n${describe(r)}`);
  else if (bad.length) console.log(`\n${bad.length} cases; add --verbose (and --class NAME, --limit N) to see them`);
} else {
  const kubectl = findKubectl();
  if (!kubectl) {
    test('kubectl differential test: SKIPPED because kubectl is not installed (`make setup` installs it; Debian: kubernetes-client)', { skip: 'kubectl is not installed' }, () => {});
  } else {
    let run;
    const detail = (list) => list.slice(0, 12).map(describe).join('\n\n') + (list.length > 12 ? `\n\n... and ${list.length - 12} more (node tests/oracle/kubectl.test.mjs --report --verbose)` : '');
    before(async () => {
      run = await runOracle({ log: (s) => console.log(s) });
      console.log(summarize(run.results));
    });

    test(`the generated variants exercise both verdicts (kubectl ${kubectl.version})`, () => {
      const valid = run.results.filter((r) => r.kv.valid).length;
      const n = run.results.length;
      assert.ok(n >= 250, `only ${n} variants`);
      assert.ok(valid > n * 0.2 && valid < n * 0.8, `kubectl accepts ${valid} of ${n}`);
      for (const api of ['v1', 'v2beta1']) assert.ok(run.results.some((r) => r.v.api === api && r.kv.valid), `no valid ${api} variant`);
    });

    test('the engine\'s verdict equals kubectl\'s on every variant', () => {
      const bad = run.results.filter((r) => !r.agree);
      assert.equal(bad.length, 0, `${bad.length} of ${run.results.length} variants disagree\n${summarize(run.results)}\n\n${detail(bad)}`);
    });

    test('normalize() output reads back, under kubectl and YAML 1.2, as the object kubectl read', () => {
      const checked = run.results.filter((r) => r.normalize);
      const bad = checked.filter((r) => !r.normalize.ok);
      assert.equal(bad.length, 0, `${bad.length} of ${checked.length} normalized variants read back differently\n\n${detail(bad)}`);
    });
  }
}
