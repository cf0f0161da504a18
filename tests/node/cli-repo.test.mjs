// The CLI in a repository (tests/fixtures/repo, copied to a temporary folder): .gitignore files and ignore
// patterns, templates, the config file and --rule, inline suppressions, checks across files, --fix and
// --fix-dry-run, files named twice, unknown releases, --max-warnings, document numbers, format versions.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, installPackage, nodeIn, ROOT } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-repo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'repo');
let copies = 0;

/** A fresh copy of the fixture repository; returns its folder. */
function repo() {
  const dir = path.join(scratch, `repo-${++copies}`);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const REPO = repo(); // read-only use
const run = (args, opts = {}) => cli(inst, args, { cwd: REPO, ...opts });
const jsonRun = (args, opts) => {
  const r = run(['validate', '-f', 'json', ...args], opts);
  return { ...r, report: JSON.parse(r.stdout) };
};
const files = (report) => report.results.map((r) => r.file).sort();
const all = (result) => [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)];
const codes = (result) => all(result).map((d) => d.code).sort();
const byFile = (report, file) => report.results.find((r) => r.file === file);

/** The library of the installed package, in a child process: fn is a function body given `se`. */
function lib(body) {
  const r = nodeIn(inst, ['-e', `const se = require('spiderendpoint'); process.stdout.write(JSON.stringify((() => { ${body} })()));`]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const MANIFESTS = [
  'manifests/a.yaml', 'manifests/fixable.yaml', 'manifests/no-status.yaml', 'manifests/suppressed.yaml',
  'manifests/team-b/b.yaml', 'manifests/uid.yaml',
];
const CHART = ['chart/Chart.yaml', 'chart/templates/endpoint.yaml', 'chart/values.yaml'];

describe('the directory walk: .gitignore files and ignore patterns', () => {
  test('.gitignore (nested too) and the config file\'s ignore leave files out; the config file is no input', () => {
    const { report } = jsonRun(['.']);
    assert.deepEqual(files(report), [...CHART, ...MANIFESTS, 'raw-template.yaml']);
  });

  test('--no-gitignore reads what the .gitignore files leave out (not what the config ignores)', () => {
    const { report } = jsonRun(['--no-gitignore', '.']);
    assert.deepEqual(files(report), ['build/out.yaml', ...CHART, 'manifests/a.yaml', 'manifests/fixable.yaml', 'manifests/ignored-here.yaml',
      'manifests/no-status.yaml', 'manifests/scratch.local.yaml', 'manifests/suppressed.yaml', 'manifests/team-b/b.yaml', 'manifests/uid.yaml',
      'raw-template.yaml']);
  });

  test('--ignore (repeatable, gitignore syntax) on top; a negated pattern takes a file back', () => {
    const { report } = jsonRun(['--ignore', 'chart/', '--ignore', 'manifests/*.yaml', '--ignore', '!uid.yaml', '.']);
    assert.deepEqual(files(report), ['manifests/team-b/b.yaml', 'manifests/uid.yaml', 'raw-template.yaml']);
  });

  test('--no-config: the config\'s ignore no longer applies', () => {
    const { report } = jsonRun(['--no-config', '.']);
    assert.ok(files(report).includes('generated/x.yaml'));
  });

  test('a file named as an argument is read even when ignored', () => {
    const { report, code } = jsonRun(['manifests/scratch.local.yaml']);
    assert.deepEqual(files(report), ['manifests/scratch.local.yaml']);
    assert.equal(code, 1);
  });

  test('the same file named twice, by two paths or through a symlink, is checked once', () => {
    const dir = repo();
    symlinkSync(path.join(dir, 'manifests', 'a.yaml'), path.join(dir, 'link.yaml'));
    const { report } = jsonRun(['manifests/a.yaml', './manifests/a.yaml', 'manifests/../manifests/a.yaml', 'link.yaml', 'manifests/'], { cwd: dir });
    assert.deepEqual(report.results.map((r) => r.file), ['manifests/a.yaml', ...MANIFESTS.slice(1).map((f) => path.join('manifests/', f.slice(10)))]);
    assert.equal(report.summary.files, MANIFESTS.length);
  });
});

describe('templates', () => {
  test('a Helm chart\'s templates and {{ }} text are skipped with a reason, not syntax errors; the exit code is theirs', () => {
    const { report, code } = jsonRun(['chart', 'raw-template.yaml']);
    assert.equal(code, 0);
    const tpl = byFile(report, 'chart/templates/endpoint.yaml');
    assert.match(tpl.skipped.reason, /Helm chart template/);
    assert.deepEqual(tpl.diagnostics, []);
    assert.match(byFile(report, 'raw-template.yaml').skipped.reason, /\{\{ \.\.\. \}\} outside a YAML string on line 1/);
    assert.equal(byFile(report, 'chart/values.yaml').skipped, undefined);
    assert.equal(report.summary.templates, 2);
    const text = run(['validate', 'chart', 'raw-template.yaml']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^chart\/templates\/endpoint\.yaml: skipped: a Helm chart template \(in templates\/ of the chart chart\)/m);
    assert.match(text.stdout, /^4 files \(2 templates skipped\), /m);
  });

  test('every format says a template was skipped', () => {
    assert.match(run(['validate', '-f', 'github', 'raw-template.yaml']).stdout, /^::notice file=raw-template\.yaml,title=skipped::raw-template\.yaml: skipped: a template/m);
    const sarif = JSON.parse(run(['validate', '-f', 'sarif', 'raw-template.yaml']).stdout);
    assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].descriptor.id, 'skipped-template');
    assert.match(run(['validate', '-f', 'junit', 'raw-template.yaml']).stdout, /<skipped message="a template \(\{\{ \.\.\. \}\} outside/);
  });
});

describe('the config file and --rule', () => {
  test('found upward from the working directory: rule severities apply (SE313 off, SE319 an error)', () => {
    const { report } = jsonRun(['.'], { cwd: path.join(REPO, 'manifests') });
    assert.deepEqual(codes(byFile(report, 'uid.yaml')), []);
    const ns = all(byFile(report, 'no-status.yaml'));
    assert.deepEqual(ns.map((d) => [d.code, d.severity]), [['SE319', 'error']]);
  });

  test('--rule wins over the config, per rule; codes and rule names both work', () => {
    const { report } = jsonRun(['--rule', 'SE319=off', '--rule', 'uid-not-uuid=error', 'manifests/no-status.yaml', 'manifests/uid.yaml']);
    assert.deepEqual(codes(byFile(report, 'manifests/no-status.yaml')), []);
    assert.deepEqual(all(byFile(report, 'manifests/uid.yaml')).map((d) => [d.code, d.severity]), [['SE313', 'error']]);
  });

  test('--no-config and --config FILE', () => {
    const { report } = jsonRun(['--no-config', 'manifests/uid.yaml']);
    assert.deepEqual(all(report.results[0]).map((d) => [d.code, d.severity]), [['SE313', 'warning']]);
    const other = path.join(scratch, 'other.json');
    writeFileSync(other, JSON.stringify({ rules: { SE313: 'info' } }));
    const r2 = jsonRun(['--config', other, 'manifests/uid.yaml']);
    assert.deepEqual(all(r2.report.results[0]).map((d) => [d.code, d.severity]), [['SE313', 'info']]);
  });

  test('the config\'s spiderpoolVersion, fieldValidation and yamlVersion are validate\'s defaults', () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'spiderendpoint.config.json'), JSON.stringify({ fieldValidation: 'warn', yamlVersion: '1.2', spiderpoolVersion: '0.3' }));
    writeFileSync(path.join(dir, 'extra.yaml'), readFileSync(path.join(dir, 'manifests', 'a.yaml'), 'utf8').replace('  namespace: default\n', '  namespace: default\n  bogus: 1\n'));
    const { report } = jsonRun(['extra.yaml'], { cwd: dir });
    // Spiderpool 0.3 serves only v1: the v2beta1 document is not served.
    assert.ok(codes(report.results[0]).includes('SE103'), JSON.stringify(codes(report.results[0])));
    const flags = jsonRun(['--spiderpool-version', '1.2', 'extra.yaml'], { cwd: dir });
    const unknown = all(flags.report.results[0]).filter((d) => d.code === 'SE204');
    assert.deepEqual(unknown.map((d) => d.severity), ['warning']); // fieldValidation warn from the config
  });

  const INVALID = [
    ['{"rules": {"SE313": "loud"}}', /"rules": "SE313" must be "off", "info", "warning" or "error"/],
    ['{"rules": {"SE999": "off"}}', /"rules": unknown rule "SE999"/],
    ['{"ignores": []}', /unknown key "ignores"/],
    ['{"ignore": "build/"}', /"ignore" must be an array of gitignore patterns/],
    ['{"fieldValidation": "lenient"}', /"fieldValidation" must be "strict", "warn" or "ignore"/],
    ['{"spiderpoolVersion": "99"}', /"spiderpoolVersion": .*known releases|"spiderpoolVersion": .*0\.3/],
    ['{\n  "rules": {\n    "SE313": off\n  }\n}', /not JSON/],
    ['[]', /expected a JSON object/],
  ];
  for (const [text, want] of INVALID) {
    test(`an invalid config is a usage error saying where: ${JSON.stringify(text)}`, () => {
      const dir = repo();
      const file = path.join(dir, 'spiderendpoint.config.json');
      writeFileSync(file, text);
      const r = run(['validate', 'manifests/a.yaml'], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`spiderendpoint: invalid config file ${file}: `), r.stderr);
      assert.match(r.stderr, want);
    });
  }

  test('--rule with a bad value is a usage error', () => {
    for (const [arg, want] of [['SE313', /--rule expects CODE=/], ['SE313=loud', /--rule: "SE313" must be/], ['nope=off', /--rule: unknown rule "nope"/]]) {
      const r = run(['validate', '--rule', arg, 'manifests/a.yaml']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, want);
    }
  });
});

describe('inline suppressions', () => {
  test('json lists the suppressed findings with the comment\'s line; text counts them', () => {
    const { report, code } = jsonRun(['manifests/suppressed.yaml']);
    assert.equal(code, 0);
    const r = report.results[0];
    assert.deepEqual(codes(r), []);
    assert.deepEqual(r.suppressed.map((d) => d.code).sort(), ['SE306', 'SE317']);
    const next = r.suppressed.find((d) => d.code === 'SE317');
    assert.equal(next.suppressedBy.line, next.line - 1);
    assert.equal(report.summary.suppressed, 2);
    const text = run(['validate', 'manifests/suppressed.yaml']);
    assert.match(text.stdout, /; 0 errors, 0 warnings, 0 infos, 2 suppressed$/m);
  });

  test('sarif carries them as results suppressed in the source', () => {
    const sarif = JSON.parse(run(['validate', '-f', 'sarif', 'manifests/suppressed.yaml']).stdout);
    const results = sarif.runs[0].results;
    assert.deepEqual(results.map((x) => [x.ruleId, x.suppressions && x.suppressions[0].kind]).sort(), [['SE306', 'inSource'], ['SE317', 'inSource']]);
  });
});

describe('checks across files', () => {
  const B = 'manifests/team-b/b.yaml';
  test('an endpoint defined twice and an IP claimed twice in two files: found, with the other file', () => {
    const { report, code } = jsonRun(['manifests/a.yaml', B]);
    assert.equal(code, 1);
    assert.deepEqual(codes(byFile(report, 'manifests/a.yaml')), []);
    const found = all(byFile(report, B)).filter((d) => d.code === 'SE315' || d.code === 'SE316');
    assert.deepEqual(found.map((d) => d.code).sort(), ['SE315', 'SE316']);
    for (const d of found) {
      assert.equal(d.related.length, 1);
      assert.equal(d.related[0].file, 'manifests/a.yaml');
      assert.ok(d.related[0].line >= 1);
    }
    // Each file alone passes.
    assert.equal(run(['validate', B]).code, 0);
  });

  test('text and github name both places; sarif has relatedLocations with the other file\'s uri', () => {
    const text = run(['validate', 'manifests/a.yaml', B]).stdout;
    const line = text.split('\n').find((l) => l.includes(' SE315 '));
    assert.ok(line.startsWith(`${B}:`), line);
    assert.match(line, / \(see manifests\/a\.yaml:\d+:\d+\)$/);
    const gh = run(['validate', '-f', 'github', 'manifests/a.yaml', B]).stdout.split('\n').find((l) => l.includes('SE315'));
    assert.match(gh, /^::error file=manifests\/team-b\/b\.yaml,.*::.*manifests\/a\.yaml:\d+:\d+\)$/);
    const sarif = JSON.parse(run(['validate', '-f', 'sarif', 'manifests/a.yaml', B]).stdout);
    const res = sarif.runs[0].results.find((x) => x.ruleId === 'SE315');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'manifests/team-b/b.yaml');
    assert.equal(res.relatedLocations[0].physicalLocation.artifactLocation.uri, 'manifests/a.yaml');
    assert.ok(res.relatedLocations[0].physicalLocation.region.startLine >= 1);
    assert.equal(typeof res.relatedLocations[0].message.text, 'string');
  });
});

describe('--fix and --fix-dry-run', () => {
  const FIXABLE = 'manifests/fixable.yaml';
  const expected = lib(`const t = require('fs').readFileSync(${JSON.stringify(path.join(FIXTURE, FIXABLE))}, 'utf8'); return se.fix(t);`);

  test('--fix-dry-run prints a unified diff (git apply gives the --fix result) and writes nothing', () => {
    const dir = repo();
    const before = readFileSync(path.join(dir, FIXABLE), 'utf8');
    const r = run(['validate', '--fix-dry-run', FIXABLE], { cwd: dir });
    assert.equal(readFileSync(path.join(dir, FIXABLE), 'utf8'), before);
    assert.equal(expected.changed, true, 'the fixture has safe fixes');
    assert.ok(r.stdout.startsWith(`--- a/${FIXABLE}\n+++ b/${FIXABLE}\n@@ `), r.stdout);
    assert.match(r.stderr, new RegExp(`${FIXABLE}: would fix: ${expected.applied.length} finding`));
    const g = spawnSync('git', ['apply', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    assert.equal(readFileSync(path.join(dir, FIXABLE), 'utf8'), expected.output);
  });

  test('--fix rewrites the file atomically (a new inode, the mode kept), reports what is left, and is stable', () => {
    const dir = repo();
    const file = path.join(dir, FIXABLE);
    const st = statSync(file);
    const r = run(['validate', '--fix', '-f', 'json', FIXABLE], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), expected.output);
    const after = statSync(file);
    assert.notEqual(after.ino, st.ino);
    assert.equal(after.mode, st.mode);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.results[0].fixed, { applied: expected.applied.length, passes: expected.passes, written: true });
    assert.deepEqual(codes(report.results[0]), codes(expected.report));
    assert.equal(r.code, expected.report.summary.errors > 0 || expected.report.summary.invalid > 0 ? 1 : 0);
    const again = run(['validate', '--fix', FIXABLE], { cwd: dir });
    assert.equal(readFileSync(file, 'utf8'), expected.output);
    assert.doesNotMatch(again.stderr, /fixed:/);
  });

  test('unsafe fixes are listed on standard error, not applied', () => {
    const unsafe = all(expected.report).filter((d) => d.fix && !d.fix.safe);
    const dir = repo();
    const r = run(['validate', '--fix', FIXABLE], { cwd: dir });
    for (const d of unsafe) assert.match(r.stderr, new RegExp(`${FIXABLE}:${d.line}:${d.column}: ${d.code}: unsafe fix not applied`));
    assert.equal((r.stderr.match(/unsafe fix not applied/g) || []).length, unsafe.length);
  });

  test('--fix refuses standard input and --fix-dry-run; a file that needs no fix is untouched', () => {
    assert.equal(run(['validate', '--fix', '-'], { input: 'a: 1\n' }).code, 2);
    assert.equal(run(['validate', '--fix', '--fix-dry-run', 'manifests/a.yaml']).code, 2);
    const dir = repo();
    const st = statSync(path.join(dir, 'manifests', 'a.yaml'));
    run(['validate', '--fix', 'manifests/a.yaml'], { cwd: dir });
    assert.equal(statSync(path.join(dir, 'manifests', 'a.yaml')).ino, st.ino);
  });
});

describe('releases, --max-warnings, document numbers, format versions', () => {
  const releases = lib('return se.releases();');

  for (const v of ['99', '1.3']) {
    test(`--spiderpool-version ${v} is a usage error listing the known releases`, () => {
      for (const cmd of [['validate', 'manifests/a.yaml'], ['normalize', 'manifests/a.yaml'], ['schema']]) {
        const r = run([...cmd, '--spiderpool-version', v]);
        assert.equal(r.code, 2, `${cmd[0]}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        for (const rel of releases) assert.ok(r.stderr.includes(rel), `${cmd[0]} names ${rel}: ${r.stderr}`);
      }
    });
  }

  test('--max-warnings says why the run failed in every format', () => {
    const args = ['--no-config', '--max-warnings', '0', 'manifests/uid.yaml'];
    const want = 'too many warnings: 1 > --max-warnings 0';
    const out = (f) => run(['validate', '-f', f, ...args]);
    for (const f of ['text', 'github', 'junit', 'sarif', 'json']) assert.equal(out(f).code, 1, f);
    assert.ok(out('text').stdout.includes(want));
    assert.ok(out('github').stdout.includes(`::error title=max-warnings::${want}`));
    assert.ok(out('junit').stdout.includes(`<failure message="${want.replace('>', '&gt;')}" type="max-warnings"/>`));
    const sarif = JSON.parse(out('sarif').stdout);
    assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, want);
    const json = JSON.parse(out('json').stdout);
    assert.deepEqual(json.maxWarnings, { limit: 0, warnings: 1, exceeded: true, message: want });
  });

  test('documents are numbered from 1 in every human-readable line, as in the core\'s messages', () => {
    const dir = repo();
    const a = readFileSync(path.join(dir, 'manifests', 'a.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'two.yaml'), `${a}---\n${a}`);
    const text = run(['validate', '-v', 'two.yaml'], { cwd: dir }).stdout;
    assert.match(text, /^two\.yaml:1:1 valid SpiderEndpoint default\/pod-a \(document 1, /m);
    assert.match(text, /^two\.yaml:18:1 invalid SpiderEndpoint default\/pod-a \(document 2, /m);
    const dup = text.split('\n').find((l) => l.includes(' SE315 '));
    assert.match(dup, /document 1/, dup); // the core's message names the first definition
    assert.match(run(['validate', '-f', 'junit', 'two.yaml'], { cwd: dir }).stdout, /name="document 1 \(line 1\): SpiderEndpoint default\/pod-a"/);
    writeFileSync(path.join(dir, 'norm.yaml'), `${a}---\n${a.replace('vlan: 0', 'vlan: null')}`);
    assert.match(run(['normalize', 'norm.yaml'], { cwd: dir }).stderr, /^norm\.yaml: document 2: defaulted \/status\/current\/ips\/0\/vlan: /m);
    const json = JSON.parse(run(['validate', '-f', 'json', 'two.yaml'], { cwd: dir }).stdout);
    assert.deepEqual(json.results[0].documents.map((d) => d.index), [0, 1]); // data: 0-based indexes
  });

  test('json carries formatVersion 1; sarif rules carry helpUri from the rule docs', () => {
    assert.equal(jsonRun(['manifests/a.yaml']).report.formatVersion, 1);
    const rules = lib('return se.rules();');
    const sarif = JSON.parse(run(['validate', '-f', 'sarif', 'manifests/a.yaml']).stdout);
    const driver = sarif.runs[0].tool.driver.rules;
    assert.equal(driver.length, rules.length);
    for (const [i, r] of rules.entries()) {
      assert.ok(/^https?:\/\//.test(r.docs), r.code);
      assert.equal(driver[i].helpUri, r.docs);
    }
  });
});
