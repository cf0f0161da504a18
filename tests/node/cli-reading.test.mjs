// The CLI's reading options (issue 9), on the installed package: --field-validation strict|warn|ignore (and
// kubectl's spelling --validate=strict|warn|ignore|true|false, a bare --validate being strict) and
// --yaml-version 1.1|1.2, for validate, normalize and convert; their usage errors; the JSON shape unchanged.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, installPackage } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-reading-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A valid SpiderEndpoint; `nic` lines go into its one NIC entry, `node` is the node's spelling. */
const endpoint = ({ nic = '', node = 'worker-1', metadata = '' } = {}) => `apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: pod-a
  namespace: default
${metadata}status:
  current:
    uid: e7b50a38-25c2-41d0-b332-7f619c69194e
    node: ${node}
    ips:
    - interface: eth0
      ipv4: 10.6.0.21/16
      ipv4Pool: default-v4
${nic}      vlan: 0
  ownerControllerType: Pod
  ownerControllerName: pod-a
`;

function file(name, text) {
  const p = path.join(scratch, name);
  writeFileSync(p, text);
  return p;
}

const UNKNOWN = file('unknown-field.yaml', endpoint({ nic: '      ipv4gateway: 10.6.0.1\n' }));   // line 14
const DUPLICATE = file('duplicate-key.yaml', endpoint({ metadata: '  namespace: default\n' })); // line 6
const SPELLINGS = file('spellings.yaml', endpoint({ nic: '      cleanGateway: yes\n', node: 'no' })); // node line 9, cleanGateway line 14

/** validate --format json: the exit code, and every finding as "line code severity". */
function check(args) {
  const r = cli(inst, ['validate', '--format', 'json', ...args]);
  assert.equal(r.stderr, '', `no stderr for ${args.join(' ')}`);
  const report = JSON.parse(r.stdout);
  const findings = report.results.flatMap((res) => [...res.diagnostics, ...res.documents.flatMap((d) => d.diagnostics)])
    .map((d) => `${d.line} ${d.code} ${d.severity}`);
  return { code: r.code, findings, report };
}

/** A usage error: exit 2, nothing on stdout, one line on stderr matching `re`. */
function usage(args, re) {
  const r = cli(inst, args);
  assert.equal(r.code, 2, `${args.join(' ')} exits 2 (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', `${args.join(' ')} prints nothing on stdout`);
  assert.match(r.stderr.trimEnd(), re, args.join(' '));
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, 'a one-line message');
}

describe('--field-validation (kubectl apply --validate)', { timeout: 180_000 }, () => {
  test('strict is the default: an unknown field is an error and the run fails', () => {
    for (const args of [[], ['--field-validation', 'strict'], ['--field-validation=strict'], ['--validate=strict'], ['--validate=true'], ['--validate']]) {
      const { code, findings } = check([...args, UNKNOWN]);
      assert.equal(code, 1, args.join(' ') || '(default)');
      assert.deepEqual(findings, ['14 SE204 error'], args.join(' ') || '(default)');
    }
  });

  test('warn: the unknown field is a warning, the run passes (unless --strict)', () => {
    for (const args of [['--field-validation', 'warn'], ['--validate=warn']]) {
      const { code, findings, report } = check([...args, UNKNOWN]);
      assert.equal(code, 0, args.join(' '));
      assert.deepEqual(findings, ['14 SE204 warning'], args.join(' '));
      assert.equal(report.summary.warnings, 1);
      assert.equal(report.summary.valid, 1);
    }
    assert.equal(check(['--field-validation', 'warn', '--strict', UNKNOWN]).code, 1, '--strict: warnings fail');
  });

  test('ignore: the unknown field is an info, the run passes', () => {
    for (const args of [['--field-validation', 'ignore'], ['--validate=ignore'], ['--validate=false'], ['--validate=0']]) {
      const { code, findings, report } = check([...args, UNKNOWN]);
      assert.equal(code, 0, args.join(' '));
      assert.deepEqual(findings, ['14 SE204 info'], args.join(' '));
      assert.equal(report.summary.infos, 1);
      assert.equal(check(['--strict', ...args, UNKNOWN]).code, 0, 'infos never fail the run');
    }
  });

  test('duplicate keys follow it too', () => {
    const sev = (args) => check([...args, DUPLICATE]).findings.filter((f) => f.includes('SE006'));
    assert.deepEqual(sev([]), ['6 SE006 error']);
    assert.deepEqual(sev(['--validate=warn']), ['6 SE006 warning']);
    assert.deepEqual(sev(['--field-validation', 'ignore']), ['6 SE006 info']);
  });

  test('text output says what the API server does with the field', () => {
    const strict = cli(inst, ['validate', UNKNOWN]);
    assert.match(strict.stdout, /:14:7 error SE204 unknown field `ipv4gateway`: `kubectl apply` refuses the object/);
    const warn = cli(inst, ['validate', '--validate=warn', UNKNOWN]);
    assert.equal(warn.code, 0);
    assert.match(warn.stdout, /:14:7 warning SE204 unknown field `ipv4gateway`: the API server drops it and warns/);
    assert.match(warn.stdout, /1 valid, 0 invalid, 0 skipped; 0 errors, 1 warning, 0 infos\n$/);
  });

  test('the options work on standard input and in every format', () => {
    const text = endpoint({ nic: '      ipv4gateway: 10.6.0.1\n' });
    const stdin = cli(inst, ['validate', '--field-validation', 'warn', '-'], { input: text });
    assert.equal(stdin.code, 0);
    assert.match(stdin.stdout, /^-:14:7 warning SE204 /);
    for (const format of ['sarif', 'github', 'junit']) {
      assert.equal(cli(inst, ['validate', '--format', format, UNKNOWN]).code, 1, format);
      assert.equal(cli(inst, ['validate', '--format', format, '--validate=ignore', UNKNOWN]).code, 0, format);
    }
    const gh = cli(inst, ['validate', '--format', 'github', '--validate=warn', UNKNOWN]);
    assert.match(gh.stdout, /^::warning file=[^\n]*,line=14,col=7,[^\n]*title=SE204 unknown-field::/m);
  });
});

describe('--yaml-version', { timeout: 180_000 }, () => {
  test('1.1 (default) reads as kubectl: `yes` is a boolean, `no` is not a node name', () => {
    for (const args of [[], ['--yaml-version', '1.1']]) {
      const { code, findings } = check([...args, SPELLINGS]);
      assert.equal(code, 1, args.join(' ') || '(default)');
      assert.deepEqual(findings, ['9 SE202 error', '14 SE011 warning'], args.join(' ') || '(default)');
    }
  });

  test('1.2 reads as a YAML 1.2 consumer: `cleanGateway: yes` becomes an error, `node: no` a warning', () => {
    for (const args of [['--yaml-version', '1.2'], ['--yaml-version=1.2']]) {
      const { code, findings } = check([...args, SPELLINGS]);
      assert.equal(code, 1, args.join(' '));
      assert.deepEqual(findings, ['9 SE011 warning', '14 SE202 error'], args.join(' '));
    }
    const text = cli(inst, ['validate', '--yaml-version', '1.2', SPELLINGS]);
    assert.match(text.stdout, /:14:21 error SE202 `cleanGateway` must be a boolean, but is a string \("yes"\)/);
  });

  test('both options together', () => {
    const both = endpoint({ nic: '      cleanGateway: yes\n      ipv4gateway: 10.6.0.1\n' });
    const p = file('both.yaml', both);
    assert.deepEqual(check(['--yaml-version', '1.2', '--validate=ignore', p]).findings, ['14 SE202 error', '15 SE204 info']);
    assert.deepEqual(check(['--validate=warn', p]).findings, ['14 SE011 warning', '15 SE204 warning']);
    assert.equal(check(['--validate=warn', p]).code, 0);
  });
});

describe('normalize and convert take them too', { timeout: 180_000 }, () => {
  test('normalize respells for the chosen reading and reports "respelled" changes', () => {
    const kubectl = cli(inst, ['normalize', '--format', 'json', SPELLINGS]);
    assert.equal(kubectl.code, 0, kubectl.stderr);
    assert.match(kubectl.stdout, /\n {4}node: false\n/);
    assert.match(kubectl.stdout, /\n {6}cleanGateway: true\n/);
    const yaml12 = cli(inst, ['normalize', '--format', 'json', '--yaml-version', '1.2', SPELLINGS]);
    assert.equal(yaml12.code, 0, yaml12.stderr);
    assert.match(yaml12.stdout, /\n {4}node: "no"\n/);
    assert.match(yaml12.stdout, /\n {6}cleanGateway: "yes"\n/);
    const report = JSON.parse(yaml12.stderr);
    assert.deepEqual(report.results[0].changes.map((c) => `${c.kind} ${c.path}`),
      ['respelled /status/current/node', 'respelled /status/current/ips/0/cleanGateway']);
    const text = cli(inst, ['normalize', '--yaml-version=1.2', SPELLINGS]);
    assert.match(text.stderr, /document 1: respelled \/status\/current\/node: /);
  });

  test('convert and normalize accept --field-validation and --validate', () => {
    for (const args of [['--field-validation', 'warn'], ['--validate=ignore'], ['--validate'], ['--yaml-version', '1.2']]) {
      const conv = cli(inst, ['convert', '--to', 'v1', ...args, UNKNOWN]);
      assert.equal(conv.code, 0, `convert ${args.join(' ')}: ${conv.stderr}`);
      assert.match(conv.stdout, /^apiVersion: spiderpool\.spidernet\.io\/v1$/m);
      const norm = cli(inst, ['normalize', ...args, UNKNOWN]);
      assert.equal(norm.code, 0, `normalize ${args.join(' ')}: ${norm.stderr}`);
    }
  });
});

describe('usage errors and help', { timeout: 180_000 }, () => {
  test('a wrong value is a usage error (exit 2) that names the accepted values', () => {
    for (const cmd of [['validate'], ['normalize'], ['convert', '--to', 'v1']]) {
      usage([...cmd, '--field-validation', 'warning', UNKNOWN], /^spiderendpoint: --field-validation expects strict, warn or ignore, not 'warning'$/);
      usage([...cmd, '--field-validation=true', UNKNOWN], /--field-validation expects strict, warn or ignore, not 'true'/);
      usage([...cmd, '--validate=yes', UNKNOWN], /^spiderendpoint: --validate expects strict \(or true\), warn or ignore \(or false\), not 'yes'$/);
      usage([...cmd, '--yaml-version', '1.3', UNKNOWN], /^spiderendpoint: --yaml-version expects 1\.1 \(kubectl's reading, the default\) or 1\.2, not '1\.3'$/);
      usage([...cmd, '--yaml-version=v1.2', UNKNOWN], /--yaml-version expects 1\.1 .* or 1\.2, not 'v1\.2'/);
    }
  });

  test('a bare --validate followed by a value asks for "=", as kubectl reads it as strict', () => {
    usage(['validate', '--validate', 'warn', UNKNOWN], /^spiderendpoint: write --validate=warn \(with '='\): as in kubectl, a bare --validate means strict/);
    usage(['normalize', '--validate', 'false', UNKNOWN], /write --validate=false \(with '='\)/);
    // After `--` every argument is a file, and a file is not a value.
    const r = cli(inst, ['validate', '--validate', '--', UNKNOWN]);
    assert.equal(r.code, 1);
  });

  test('--field-validation and --validate may not disagree', () => {
    usage(['validate', '--field-validation', 'warn', '--validate=ignore', UNKNOWN], /--field-validation warn and --validate=ignore disagree/);
    assert.equal(check(['--field-validation', 'warn', '--validate=warn', UNKNOWN]).code, 0, 'agreeing is fine');
    assert.equal(check(['--field-validation', 'ignore', '--validate=false', UNKNOWN]).code, 0, 'false is ignore');
  });

  test('a usage error comes before any file is read', () => {
    usage(['validate', '--yaml-version', '2', path.join(scratch, 'missing.yaml')], /--yaml-version expects/);
  });

  test('help of validate, normalize and convert lists the options', () => {
    for (const cmd of ['validate', 'normalize', 'convert']) {
      const r = cli(inst, [cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /--field-validation MODE {2}what unknown fields and duplicate keys are, as kubectl apply --validate:/, cmd);
      assert.match(r.stdout, /--validate=MODE {10}kubectl's spelling of --field-validation: strict \(or true\), warn,/, cmd);
      assert.match(r.stdout, /--yaml-version V {9}how plain scalars are read: 1\.1 \(default\) as kubectl does/, cmd);
    }
  });
});

describe('JSON output keeps its shape', { timeout: 180_000 }, () => {
  test('the same keys with and without the options', () => {
    const shape = (v) => (Array.isArray(v) ? v.map(shape) : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v);
    const plain = check([UNKNOWN]).report;
    const warn = check(['--field-validation', 'warn', '--yaml-version', '1.2', UNKNOWN]).report;
    assert.deepEqual(shape(warn), shape(plain));
    assert.deepEqual(Object.keys(warn), ['formatVersion', 'tool', 'results', 'summary']);
    // Only the severity (and the message) of the finding differ.
    const strip = (r) => JSON.stringify(r, (k, v) => (k === 'severity' || k === 'message' || k === 'status' ? undefined : v));
    const counts = (s) => ({ ...s, errors: 0, warnings: 0, infos: 0, valid: 0, invalid: 0 });
    assert.equal(strip({ ...warn, summary: counts(warn.summary), results: warn.results.map((r) => ({ ...r, summary: counts(r.summary) })) }),
      strip({ ...plain, summary: counts(plain.summary), results: plain.results.map((r) => ({ ...r, summary: counts(r.summary) })) }));
  });
});
