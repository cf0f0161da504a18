// The CLI of the installed package, run over examples/ and generated inputs: every output format, exit codes,
// stdin, the directory walk, --strict, --max-warnings, --quiet, --spiderpool-version, convert/normalize --write.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, diagList, installPackage, ROOT } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ERRORS_YAML = 'examples/invalid/v2beta1-errors.yaml';
const QUERY_API_YAML = 'examples/valid/v2beta1-query-api.yaml'; // valid, one warning (SE313)

const json = (args, opts) => {
  const r = cli(inst, ['validate', '--format', 'json', ...args], opts);
  assert.equal(r.stderr, '', 'no stderr output');
  return { ...r, report: JSON.parse(r.stdout) };
};

const validDoc = (overrides = {}) => {
  const o = { name: 'pod-a', ns: 'default', uid: 'e7b50a38-25c2-41d0-b332-7f619c69194e', ipv4: '10.6.0.21/16', vlan: '0', ...overrides };
  return `apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: ${o.name}
  namespace: ${o.ns}
status:
  current:
    uid: ${o.uid}
    node: worker-1
    ips:
    - interface: eth0
      ipv4: ${o.ipv4}
      ipv4Pool: default-v4
      vlan: ${o.vlan}
  ownerControllerType: Pod
  ownerControllerName: ${o.name}
`;
};

describe('validate --format json (the CI contract)', { timeout: 180_000 }, () => {
  test('exact codes, paths and positions for the many-errors example', () => {
    const { code, report } = json([ERRORS_YAML]);
    assert.equal(code, 1);
    assert.deepEqual(Object.keys(report), ['formatVersion', 'tool', 'results', 'summary']);
    assert.equal(report.results.length, 1);
    const r = report.results[0];
    assert.equal(r.file, ERRORS_YAML, 'the path as given');
    assert.deepEqual(diagList(r), [
      '13:13 SE302 /status/current/ips/0/ipv4',
      '15:7 SE204 /status/current/ips/0/ipv4gateway',
      '16:13 SE202 /status/current/ips/0/vlan',
      '17:18 SE309 /status/current/ips/1/interface',
      '20:20 SE304 /status/current/ips/1/ipv6Gateway',
      '21:12 SE308 /status/current/ips/1/mac',
      '22:13 SE203 /status/current/ips/1/vlan',
      '23:24 SE314 /status/ownerControllerType',
    ]);
    const doc = r.documents[0];
    assert.deepEqual(
      [doc.index, doc.apiVersion, doc.kind, doc.namespace, doc.name, doc.status, doc.line],
      [0, 'spiderpool.spidernet.io/v2beta1', 'SpiderEndpoint', 'default', 'broken-app-7f9c8d6b5-zz9xq', 'invalid', 2],
    );
    // Every diagnostic carries the documented fields.
    for (const d of doc.diagnostics) {
      for (const k of ['code', 'rule', 'severity', 'message', 'path', 'line', 'column', 'endLine', 'endColumn', 'offset', 'endOffset', 'utf16Offset', 'utf16EndOffset']) {
        assert.ok(k in d, `${d.code} has ${k}`);
      }
    }
    // Regions cover the value, not the comment after it (plain and quoted scalars alike).
    const region = (code) => doc.diagnostics.filter((d) => d.code === code).map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
    assert.deepEqual(region('SE202'), ['16:13-16:18'], 'vlan: "100" is 5 characters wide');
    assert.deepEqual(region('SE308'), ['21:12-21:29']);
    assert.deepEqual(region('SE203'), ['22:13-22:17']);
    const typo = doc.diagnostics.find((d) => d.code === 'SE204');
    assert.equal(typo.severity, 'error', 'strict field validation (kubectl apply\'s default) refuses unknown fields');
    assert.match(typo.message, /ipv4Gateway/, 'did-you-mean');
    const none = doc.diagnostics.find((d) => d.code === 'SE314');
    assert.deepEqual(none.fix.edits.map((e) => e.newText), ['Pod']);
    assert.deepEqual(report.summary, { files: 1, templates: 0, suppressed: 0, documents: 1, valid: 0, invalid: 1, skipped: 0, errors: 8, warnings: 0, infos: 0, truncated: false, omitted: 0 });
  });

  test('a List, a multi-document stream and JSON input, position by position', () => {
    const { code, report } = json([
      'examples/invalid/list-bad-item.yaml',
      'examples/invalid/stream-conflicts.yaml',
      'examples/invalid/wrong-types.json',
      'examples/valid/stream.yaml',
    ]);
    assert.equal(code, 1);
    const [list, stream, jsonFile, mixed] = report.results;
    assert.deepEqual(list.documents.map((d) => [d.index, d.item, d.status, d.line]), [[0, 0, 'valid', 8], [0, 1, 'invalid', 20]]);
    assert.deepEqual(diagList(list), ['26:5 SE201 /items/1/status/current/uid', '28:7 SE201 /items/1/status/current/ips']);
    assert.deepEqual(stream.documents.map((d) => [d.index, d.status, d.line]), [[0, 'valid', 2], [1, 'invalid', 19]]);
    assert.deepEqual(diagList(stream), ['22:9 SE315 /metadata/name', '30:13 SE316 /status/current/ips/0/ipv4']);
    assert.deepEqual(diagList(jsonFile), [
      '4:25 SE311 /metadata/name',
      '10:92 SE304 /status/current/ips/0/ipv4Gateway',
      '10:120 SE202 /status/current/ips/0/cleanGateway',
      '10:135 SE202 /status/current/ips/0/vlan',
      '11:53 SE307 /status/current/ips/0/routes/0/gw',
    ]);
    assert.deepEqual(mixed.documents.map((d) => [d.index, d.kind, d.status]), [
      [0, 'SpiderEndpoint', 'valid'], [1, 'ConfigMap', 'skipped'], [2, 'SpiderEndpoint', 'valid'],
    ]);
    assert.deepEqual(diagList(mixed), []);
    assert.deepEqual(report.summary, { files: 4, templates: 0, suppressed: 0, documents: 8, valid: 4, invalid: 3, skipped: 1, errors: 9, warnings: 0, infos: 0, truncated: false, omitted: 0 });
  });

  test('file-level findings: syntax/tab errors and the alias bomb come back as diagnostics, at once', () => {
    const t0 = Date.now();
    const { code, report } = json(['examples/invalid/syntax-error.yaml', 'examples/invalid/billion-laughs.yaml', 'examples/invalid/kind-typo.yaml']);
    assert.ok(Date.now() - t0 < 10_000, 'the billion-laughs file does not stall');
    assert.equal(code, 1);
    const [syntax, bomb, typo] = report.results;
    assert.deepEqual(syntax.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['7:1 SE005']);
    assert.deepEqual(bomb.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['7:8 SE009']);
    assert.deepEqual(diagList(typo), ['2:7 SE101 /kind']);
    assert.match(typo.documents[0].diagnostics[0].message, /SpiderEndpoint/);
  });

  test('the whole examples/ tree: files in walk order, valid ones have no errors', () => {
    const { code, report } = json(['examples']);
    assert.equal(code, 1);
    const expected = [
      ...readdirSync(path.join(ROOT, 'examples/invalid')).sort().map((f) => `examples/invalid/${f}`),
      ...readdirSync(path.join(ROOT, 'examples/valid')).sort().map((f) => `examples/valid/${f}`),
    ].filter((f) => /\.(ya?ml|json)$/.test(f));
    assert.deepEqual(report.results.map((r) => r.file), expected);
    // The examples are independent illustrations: what they share across files (an address both
    // v2beta1-query-api.yaml and invalid/v2beta1-errors.yaml use) is found by the cross-file checks, which
    // name the other file; nothing else fails a valid example.
    const acrossFiles = (d) => (d.related || []).some((rel) => rel.file !== undefined);
    for (const r of report.results.filter((x) => x.file.startsWith('examples/valid/'))) {
      const errs = [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)].filter((d) => d.severity === 'error');
      assert.deepEqual(errs.filter((d) => !acrossFiles(d)), [], `${r.file} has no errors of its own`);
      for (const d of errs) assert.ok(['SE315', 'SE316'].includes(d.code) && d.related[0].file.startsWith('examples/'), `${r.file}: ${d.message}`);
      assert.ok(r.documents.every((d) => d.status !== 'invalid' || d.diagnostics.filter((x) => x.severity === 'error').every(acrossFiles)), r.file);
    }
    for (const r of report.results.filter((x) => x.file.startsWith('examples/invalid/'))) {
      const errs = [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)].filter((d) => d.severity === 'error');
      assert.ok(errs.length > 0, `${r.file} has errors`);
    }
    const s = report.summary;
    assert.equal(s.files, expected.length);
    assert.equal(s.documents, s.valid + s.invalid + s.skipped);
  });
});

describe('exit codes', { timeout: 180_000 }, () => {
  test('0 for valid input (warnings allowed), 1 for errors', () => {
    assert.equal(cli(inst, ['validate', 'examples/valid']).code, 0);
    assert.equal(cli(inst, ['validate', 'examples/valid/v2beta1-reference.yaml', ERRORS_YAML]).code, 1);
  });

  test('2 and a one-line message for a missing file; nothing on stdout', () => {
    const r = cli(inst, ['validate', 'no/such/file.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "spiderendpoint: cannot read 'no/such/file.yaml': no such file or directory\n");
  });

  test('2 when one of several files is missing; the others are still reported', () => {
    const r = cli(inst, ['validate', '--format', 'json', 'missing.yaml', 'examples/valid/v2beta1-reference.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "spiderendpoint: cannot read 'missing.yaml': no such file or directory\n");
    assert.deepEqual(JSON.parse(r.stdout).results.map((x) => x.file), ['examples/valid/v2beta1-reference.yaml']);
  });

  test('2 for an unreadable file, a directory without manifests, and usage errors', () => {
    const unreadable = path.join(scratch, 'unreadable.yaml');
    writeFileSync(unreadable, validDoc());
    chmodSync(unreadable, 0o000);
    const canRead = (() => { try { readFileSync(unreadable); return true; } catch { return false; } })();
    if (!canRead) { // root reads anything: the check only means something for other users
      const r = cli(inst, ['validate', unreadable]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `spiderendpoint: cannot read '${unreadable}': permission denied\n`);
    }
    chmodSync(unreadable, 0o644);
    const empty = path.join(scratch, 'empty-dir');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'notes.txt'), 'x');
    let r = cli(inst, ['validate', empty]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `spiderendpoint: no *.yaml, *.yml or *.json files in '${empty}'\n`);
    for (const args of [
      ['validate', '--format', 'xml', 'examples/valid'],
      ['validate', '--bogus', 'examples/valid'],
      ['validate', '--max-warnings', 'many', 'examples/valid'],
      ['validate', '--spiderpool-version', 'bogus', 'examples/valid'],
      ['frobnicate'],
      [],
    ]) {
      r = cli(inst, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    r = cli(inst, ['validate', '--format', 'xml', 'examples/valid']);
    assert.equal(r.stderr, "spiderendpoint: unknown format 'xml' (expected text, json, sarif, github, junit)\n");
    r = cli(inst, ['validate', '--bogus']);
    assert.equal(r.stderr, "spiderendpoint: unknown option '--bogus'\n");
    // No argument and nothing piped in: a mistake, not an empty success.
    r = cli(inst, ['validate'], { input: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^spiderendpoint: no input: /);
    r = cli(inst, ['validate', '--spiderpool-version', 'bogus', 'examples/valid']);
    assert.match(r.stderr, /^spiderendpoint: invalid Spiderpool release "bogus"[^\n]*\n$/);
    assert.equal(r.stdout, '');
  });

  test('--strict makes warnings fail', () => {
    assert.equal(cli(inst, ['validate', QUERY_API_YAML]).code, 0);
    const r = cli(inst, ['validate', '--strict', QUERY_API_YAML]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^examples\/valid\/v2beta1-query-api\.yaml:10:10 warning SE313 /m);
  });

  test('--max-warnings N fails above N warnings', () => {
    // examples/valid: SE104 in each v1 file and SE313 in the query-API sample.
    const { report } = json(['examples/valid']);
    const n = report.summary.warnings;
    assert.ok(n >= 2, `examples/valid has ${n} warnings`);
    assert.equal(cli(inst, ['validate', '--max-warnings', String(n), 'examples/valid']).code, 0);
    const r = cli(inst, ['validate', '--max-warnings', String(n - 1), 'examples/valid']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`too many warnings: ${n} > --max-warnings ${n - 1}\\n$`));
  });

  test('--quiet prints errors only, but warnings still count', () => {
    const r = cli(inst, ['validate', '--quiet', ERRORS_YAML, QUERY_API_YAML]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, / warning SE/);
    assert.match(r.stdout, / error SE302 /);
    // the 8 errors of the errors example (the two files claim no address twice: cross-file checks
    // are tested on tests/fixtures/repo in cli-repo.test.mjs)
    assert.match(r.stdout, /8 errors, 1 warning,/, 'the summary keeps the real counts');
    assert.equal(cli(inst, ['validate', '--quiet', '--strict', QUERY_API_YAML]).code, 1);
    const { report } = json(['--quiet', ERRORS_YAML, QUERY_API_YAML]);
    assert.ok(report.results.every((x) => x.documents.every((doc) => doc.diagnostics.every((d) => d.severity === 'error'))));
    assert.equal(report.summary.warnings, 1);
  });
});

describe('inputs', { timeout: 180_000 }, () => {
  test('stdin as -, with --stdin-filename, and piped input without arguments', () => {
    const text = readFileSync(path.join(ROOT, ERRORS_YAML), 'utf8');
    let r = cli(inst, ['validate', '--format', 'json', '-'], { input: text });
    assert.equal(r.code, 1);
    let report = JSON.parse(r.stdout);
    assert.equal(report.results[0].file, '-');
    assert.equal(diagList(report.results[0])[0], '13:13 SE302 /status/current/ips/0/ipv4');
    r = cli(inst, ['validate', '--stdin-filename', 'k8s/se.yaml'], { input: validDoc() });
    assert.equal(r.code, 0, r.stderr);
    r = cli(inst, ['validate', '--stdin-filename', 'k8s/se.yaml'], { input: validDoc({ vlan: '"7"' }) });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^k8s\/se\.yaml:14:13 error SE202 /m);
    r = cli(inst, ['validate', '--format', 'json'], { input: validDoc() });
    report = JSON.parse(r.stdout);
    assert.equal(report.results[0].file, '-');
    assert.equal(report.summary.valid, 1);
  });

  test('directory walk: recursive, *.yaml/*.yml/*.json only, sorted, skips node_modules/.git, survives link loops', () => {
    const dir = path.join(scratch, 'tree');
    mkdirSync(path.join(dir, 'b/deeper'), { recursive: true });
    mkdirSync(path.join(dir, 'a'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(path.join(dir, '.git'), { recursive: true });
    writeFileSync(path.join(dir, 'top.yaml'), validDoc({ name: 'top' }));
    writeFileSync(path.join(dir, 'a/one.yml'), validDoc({ name: 'one', ipv4: '10.6.0.22/16' }));
    writeFileSync(path.join(dir, 'b/deeper/two.JSON'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    writeFileSync(path.join(dir, 'b/deeper/bad.yaml'), validDoc({ name: 'bad', ipv4: '10.6.0.23', uid: 'e7b50a38-25c2-41d0-b332-7f619c69194f' }));
    writeFileSync(path.join(dir, 'b/readme.md'), '# not a manifest');
    writeFileSync(path.join(dir, 'node_modules/x/ignored.yaml'), 'kind: [');
    writeFileSync(path.join(dir, '.git/ignored.yaml'), 'kind: [');
    symlinkSync('..', path.join(dir, 'b/deeper/loop'));
    const { code, report } = json([dir]);
    assert.equal(code, 1);
    assert.deepEqual(report.results.map((r) => path.relative(dir, r.file)), ['a/one.yml', 'b/deeper/bad.yaml', 'b/deeper/two.JSON', 'top.yaml']);
    assert.deepEqual(diagList(report.results[1]), ['12:13 SE302 /status/current/ips/0/ipv4']);
    assert.equal(report.results[2].documents[0].status, 'skipped');
    assert.deepEqual(report.summary, { files: 4, templates: 0, suppressed: 0, documents: 4, valid: 2, invalid: 1, skipped: 1, errors: 1, warnings: 0, infos: 0, truncated: false, omitted: 0 });
  });

  test('--spiderpool-version selects the era: vlan 4095 is fine for 0.6.0, not for the newest', () => {
    const doc = validDoc({ vlan: '4095' });
    let r = cli(inst, ['validate', '--format', 'json', '-'], { input: doc });
    assert.equal(r.code, 1);
    assert.deepEqual(diagList(JSON.parse(r.stdout).results[0]), ['14:13 SE203 /status/current/ips/0/vlan']);
    r = cli(inst, ['validate', '--spiderpool-version', '0.6.0', '-'], { input: doc });
    assert.equal(r.code, 0, r.stdout);
    r = cli(inst, ['validate', '--spiderpool-version', 'v0.7.0', '-'], { input: doc });
    assert.equal(r.code, 1);
  });
});

describe('output formats', { timeout: 180_000 }, () => {
  test('text: file:line:col severity code message, sorted by line, and a summary line', () => {
    const r = cli(inst, ['validate', 'examples/invalid/stream-conflicts.yaml', QUERY_API_YAML]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^examples\/invalid\/stream-conflicts\.yaml:22:9 error SE315 \S/);
    assert.match(lines[1], /^examples\/invalid\/stream-conflicts\.yaml:30:13 error SE316 \S/);
    assert.match(lines[2], /^examples\/valid\/v2beta1-query-api\.yaml:10:10 warning SE313 \S/);
    assert.equal(lines[3], '2 files, 3 documents: 2 valid, 1 invalid, 0 skipped; 2 errors, 1 warning, 0 infos');
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
  });

  test('text --verbose lists every document with its status', () => {
    const r = cli(inst, ['validate', '--verbose', 'examples/valid/stream.yaml']);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')), [
      'examples/valid/stream.yaml:2:1 valid SpiderEndpoint',
      'examples/valid/stream.yaml:20:1 skipped ConfigMap',
      'examples/valid/stream.yaml:28:1 valid SpiderEndpoint',
      '1 file, 3',
    ]);
  });

  test('colour: on a terminal unless NO_COLOR; FORCE_COLOR and --color force it; --no-color wins', () => {
    const tty = (env) => spawnSync('script', ['-qefc', `${inst.bin} validate ${ERRORS_YAML}`, '/dev/null'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env },
    });
    let r = tty({});
    assert.equal(r.status, 1);
    assert.match(r.stdout, /\x1b\[31merror\x1b\[39m/);
    r = tty({ NO_COLOR: '1' });
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    assert.match(r.stdout, /:13:13 error SE302 /);
    assert.match(cli(inst, ['validate', ERRORS_YAML], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[31merror/);
    assert.match(cli(inst, ['validate', '--color', ERRORS_YAML]).stdout, /\x1b\[31merror/);
    assert.doesNotMatch(cli(inst, ['validate', '--no-color', ERRORS_YAML], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
  });

  test('progress on stderr when many files are checked on a terminal', () => {
    const dir = path.join(scratch, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `se-${String(i).padStart(2, '0')}.yaml`), validDoc({ name: `p${i}`, ipv4: `10.6.1.${i + 1}/16` }));
    // Make the run long enough for at least one progress tick (ticks are throttled to 10 per second).
    writeFileSync(path.join(dir, 'zz-big.yaml'), Array.from({ length: 3000 }, (_, i) => validDoc({ name: `big${i}`, ipv4: `10.${7 + Math.floor(i / 250)}.${i % 250}.1/16` })).join('---\n'));
    const r = spawnSync('script', ['-qefc', `${inst.bin} validate ${dir} 2>&1 >/dev/null`, '/dev/null'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TERM: 'xterm' },
    });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\rchecking \d+\/31 files|\r\x1b\[Kchecking \d+\/31 files/);
    // Not a terminal: no progress.
    assert.equal(cli(inst, ['validate', dir]).stderr, '');
  });

  test('sarif: SARIF 2.1.0 with rules (help text) and results with regions', () => {
    const r = cli(inst, ['validate', '--format', 'sarif', ERRORS_YAML, 'examples/invalid/billion-laughs.yaml']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'spiderendpoint');
    const rules = run.tool.driver.rules;
    const rulesFromCli = JSON.parse(cli(inst, ['rules', '--format', 'json']).stdout);
    assert.deepEqual(rules.map((x) => x.id), rulesFromCli.map((x) => x.code));
    for (const rule of rules) {
      assert.ok(rule.help && rule.help.text.length > 10, `${rule.id} has help text`);
      assert.ok(rule.shortDescription.text.length > 5);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.equal(run.results.length, 9);
    for (const res of run.results) {
      assert.match(res.ruleId, /^SE\d{3}$/);
      assert.equal(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.ok(['examples/invalid/v2beta1-errors.yaml', 'examples/invalid/billion-laughs.yaml'].includes(loc.artifactLocation.uri));
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(loc.region[k]) && loc.region[k] >= 1, k);
    }
    const first = run.results[0];
    assert.deepEqual([first.ruleId, first.level, first.locations[0].physicalLocation.region.startLine, first.locations[0].physicalLocation.region.startColumn], ['SE302', 'error', 13, 13]);
    assert.equal(run.results.find((x) => x.ruleId === 'SE204').level, 'error', 'strict field validation (the default)');
    const warn = JSON.parse(cli(inst, ['validate', '--format', 'sarif', QUERY_API_YAML]).stdout).runs[0].results[0];
    assert.deepEqual([warn.ruleId, warn.level], ['SE313', 'warning']);
    const withFix = run.results.find((x) => x.ruleId === 'SE314');
    assert.equal(withFix.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'Pod');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file:///'));
  });

  test('github: workflow commands with escaped properties and data', () => {
    const dir = path.join(scratch, 'gh');
    mkdirSync(dir);
    const odd = path.join(dir, 'a,b:c%d.yaml');
    writeFileSync(odd, validDoc({ vlan: '"7"' }));
    const r = cli(inst, ['validate', '--format', 'github', odd, QUERY_API_YAML]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    const escapedFile = odd.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/,/g, '%2C');
    assert.match(lines[0], new RegExp(`^::error file=${escapedFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=14,col=13,endLine=14,endColumn=16,title=SE202 wrong-type::\\S`));
    assert.match(lines[1], /^::warning file=examples\/valid\/v2beta1-query-api\.yaml,line=10,col=10,endLine=10,endColumn=23,title=SE313 uid-not-uuid::/);
    for (const l of lines.slice(0, 2)) assert.doesNotMatch(l.split('::')[2], /[\r\n]/);
    assert.match(lines[2], /^2 files, 2 documents/);
  });

  test('junit: one testsuite per file, one testcase per document, failures carry the findings', () => {
    const r = cli(inst, ['validate', '--format', 'junit', 'examples/invalid/stream-conflicts.yaml', 'examples/valid/stream.yaml', 'examples/invalid/syntax-error.yaml']);
    assert.equal(r.code, 1);
    const x = r.stdout;
    assert.match(x, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="spiderendpoint" tests="6" failures="2" errors="0" skipped="1">/);
    assert.match(x, /<testsuite name="examples\/invalid\/stream-conflicts\.yaml" tests="2" failures="1" errors="0" skipped="0">/);
    assert.match(x, /<testsuite name="examples\/valid\/stream\.yaml" tests="3" failures="0" errors="0" skipped="1">/);
    assert.match(x, /<testsuite name="examples\/invalid\/syntax-error\.yaml" tests="1" failures="1" errors="0" skipped="0">/);
    assert.match(x, /<failure message="SE315 [^"]*" type="SE315">examples\/invalid\/stream-conflicts\.yaml:22:9 error SE315 /);
    assert.match(x, /<skipped message="not a SpiderEndpoint"\/>/);
    assert.equal((x.match(/<testcase /g) || []).length, 6);
    assert.doesNotMatch(x.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/, 'entities escaped');
  });

  test('all formats report the same findings', () => {
    const files = ['examples/invalid', 'examples/valid'];
    const { report } = json(files);
    const n = report.results.reduce((a, r) => a + diagList(r).length, 0);
    const sarif = JSON.parse(cli(inst, ['validate', '--format', 'sarif', ...files]).stdout);
    assert.equal(sarif.runs[0].results.length, n);
    const gh = cli(inst, ['validate', '--format', 'github', ...files]).stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(gh.length, n);
    const text = cli(inst, ['validate', ...files]).stdout.split('\n').filter((l) => / (error|warning|info) SE\d{3} /.test(l));
    assert.equal(text.length, n);
  });

  test('--output writes the report to a file', () => {
    const out = path.join(scratch, 'report.sarif');
    const r = cli(inst, ['validate', '--format', 'sarif', '--output', out, ERRORS_YAML]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).version, '2.1.0');
  });
});

describe('other commands', { timeout: 180_000 }, () => {
  test('--help for every command, --version', () => {
    for (const cmd of ['validate', 'normalize', 'convert', 'schema', 'rules']) {
      const r = cli(inst, [cmd, '--help']);
      assert.equal(r.code, 0, cmd);
      assert.match(r.stdout, new RegExp(`^Usage: spiderendpoint ${cmd} `), cmd);
    }
    const r = cli(inst, ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes: 0 no errors, 1 errors found/);
    const pj = JSON.parse(readFileSync(path.join(inst.installed, 'package.json'), 'utf8'));
    assert.equal(cli(inst, ['--version']).stdout, `${pj.version}\n`);
  });

  test('rules: text table, json, markdown', () => {
    const list = JSON.parse(cli(inst, ['rules', '--format', 'json']).stdout);
    const codes = list.map((x) => x.code);
    for (const c of ['SE003', 'SE005', 'SE009', 'SE101', 'SE201', 'SE202', 'SE203', 'SE204', 'SE302', 'SE314', 'SE315', 'SE316']) assert.ok(codes.includes(c), c);
    const text = cli(inst, ['rules']).stdout.trimEnd().split('\n');
    assert.equal(text.length, list.length);
    assert.match(text.find((l) => l.startsWith('SE202')), /^SE202\s+error\s+wrong-type\s+\S/);
    const md = cli(inst, ['rules', '--format', 'markdown']).stdout.trimEnd().split('\n');
    assert.equal(md[0], '| code | rule | severity | summary |');
    assert.equal(md.length, list.length + 2);
  });

  test('schema: JSON Schema draft-07 per era; bad options are usage errors', () => {
    let r = cli(inst, ['schema']);
    assert.equal(r.code, 0, r.stderr);
    const newest = JSON.parse(r.stdout);
    assert.match(newest.$schema, /draft-07/);
    r = cli(inst, ['schema', '--api-version', 'v1']);
    assert.equal(r.code, 0, r.stderr);
    const v1 = JSON.stringify(JSON.parse(r.stdout));
    assert.match(v1, /containerID/);
    assert.doesNotMatch(JSON.stringify(newest), /containerID/);
    assert.equal(cli(inst, ['schema', '--api-version', 'v3']).code, 2);
    r = cli(inst, ['schema', '--spiderpool-version', 'not-a-version']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^spiderendpoint: .+\n$/);
  });
});

describe('convert and normalize', { timeout: 180_000 }, () => {
  test('convert --to v2beta1 prints the converted text and reports the losses on stderr', () => {
    const r = cli(inst, ['convert', '--to', 'v2beta1', 'examples/valid/v1-replicaset.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^apiVersion: spiderpool\.spidernet\.io\/v2beta1$/m);
    assert.match(r.stdout, /^# A Spiderpool 0\.3/m, 'comments are kept');
    assert.match(r.stdout, /uid: 2f6c1a7e-93b4-4d0a-8e51-6b7c9d0e1f23/, 'uid from the Pod owner reference');
    assert.match(r.stderr, /examples\/valid\/v1-replicaset\.yaml: document 1: dropped \/status\/history/);
    // The result validates.
    const v = cli(inst, ['validate', '-'], { input: r.stdout });
    assert.equal(v.code, 0, v.stdout);
  });

  test('convert --write rewrites converted files atomically and never touches a failed one', () => {
    const dir = path.join(scratch, 'write');
    mkdirSync(dir);
    const good = path.join(dir, 'good.yaml');
    const bad = path.join(dir, 'bad.yaml');
    copyFileSync(path.join(ROOT, 'examples/valid/v1-replicaset.yaml'), good);
    copyFileSync(path.join(ROOT, 'examples/valid/v1-statefulset.yaml'), bad); // no uid source: cannot convert
    chmodSync(good, 0o640);
    const badBefore = readFileSync(bad);
    const badMtime = statSync(bad).mtimeMs;
    const r = cli(inst, ['convert', '--to', 'v2beta1', '--write', '--format', 'json', good, bad]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const rep = JSON.parse(r.stderr);
    assert.deepEqual(rep.results.map((x) => [path.basename(x.file), x.ok, x.written]), [['good.yaml', true, true], ['bad.yaml', false, false]]);
    assert.ok(rep.results[1].diagnostics.some((d) => d.severity === 'error'));
    assert.deepEqual(rep.summary, { files: 2, ok: 1, failed: 1, changed: 1, written: 1 });
    assert.match(readFileSync(good, 'utf8'), /^apiVersion: spiderpool\.spidernet\.io\/v2beta1$/m);
    assert.equal(statSync(good).mode & 0o777, 0o640, 'mode kept');
    assert.deepEqual(readFileSync(bad), badBefore);
    assert.equal(statSync(bad).mtimeMs, badMtime);
    assert.deepEqual(readdirSync(dir).sort(), ['bad.yaml', 'good.yaml'], 'no temporary files left');
  });

  test('convert/normalize usage errors', () => {
    assert.equal(cli(inst, ['convert', 'examples/valid/v1-replicaset.yaml']).code, 2);
    assert.equal(cli(inst, ['convert', '--to', 'v3', 'examples/valid/v1-replicaset.yaml']).code, 2);
    assert.equal(cli(inst, ['convert', '--to', 'v1', '--write', '-'], { input: 'a: 1\n' }).code, 2);
    const r = cli(inst, ['normalize', 'nope.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "spiderendpoint: cannot read 'nope.yaml': no such file or directory\n");
  });

  test('normalize reads stdin, writes stdout, and passes --drop-unknown', () => {
    const input = validDoc().replace('      vlan: 0\n', '      vlan: null\n      extra: 1\n');
    let r = cli(inst, ['normalize', '-'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, input.replace('vlan: null', 'vlan: 0'));
    assert.match(r.stderr, /^-: document 1: defaulted \/status\/current\/ips\/0\/vlan: /m);
    r = cli(inst, ['normalize', '--drop-unknown', '-'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, validDoc(), 'null defaulted, the unknown field dropped, nothing else touched');
    assert.match(r.stderr, /^-: document 1: dropped \/status\/current\/ips\/0\/extra: /m);
    assert.match(r.stderr, /^1 file normalized: 1 ok, 0 failed, 1 changed$/m);
  });
});

describe('README', { timeout: 180_000 }, () => {
  test('every `$ spiderendpoint ...` example shows the real output, and README.md carries the same usage block', async () => {
    const { CONSOLE_BLOCK, USAGE_BLOCK, splitArgs } = await import('../../scripts/update-readme.mjs');
    const pkgReadme = readFileSync(path.join(ROOT, 'pkg', 'README.md'), 'utf8');
    const blocks = [...pkgReadme.matchAll(CONSOLE_BLOCK)];
    assert.ok(blocks.length >= 3);
    for (const [, args, shown] of blocks) {
      const { argv, merge } = splitArgs(args);
      const r = cli(inst, argv, { env: { NO_COLOR: '1' } });
      assert.equal(shown, merge ? r.stdout + r.stderr : r.stdout, `README example \`spiderendpoint ${args}\` is stale: run node scripts/update-readme.mjs`);
    }
    const rootReadme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(USAGE_BLOCK.exec(rootReadme)?.[0], USAGE_BLOCK.exec(pkgReadme)[0], 'run node scripts/update-readme.mjs');
    assert.match(rootReadme, /^make demo\b.*\nmake test\b/m, 'the README opens with make demo / make test');
  });
});
