// A report lists at most 10,000 findings per file. The CLI's counts, exit code and --max-warnings must still
// count every finding, errors must never be the ones left out (as long as there are no more than 10,000), and
// every format must say when some are (issue 13, item 1). The inputs are the issue's: a finding flood and
// then `vlan: 99999`; 10,000 documents with a warning and then a bad one; 20,000 warnings with
// --max-warnings 15000; and more than 10,000 errors. The warnings are SE306 (a NIC without ipv4Pool), whose
// severity does not depend on options; the issue's own input (10,000 unknown `null` fields: warnings or
// errors depending on the field validation mode) is checked with assertions that hold either way.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, endpointYaml, installPackage, nicsYaml } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-trunc-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const BAD_NIC = '    - interface: last\n      ipv4: 11.0.0.1/8\n      ipv4Pool: p\n      vlan: 99999\n';

// One document: 10,000 NICs without ipv4Pool (SE306 warnings), then a NIC with an out-of-range vlan (SE203).
const WARNINGS_THEN_VLAN = path.join(scratch, 'warnings-then-vlan.yaml');
writeFileSync(WARNINGS_THEN_VLAN, endpointYaml({ name: 'flood', ips: nicsYaml(10_000) + BAD_NIC }));
// 10,000 documents with one warning each (no ipv4Pool: SE306), then a document with an error.
const DOCS = path.join(scratch, 'warning-docs-then-bad.yaml');
writeFileSync(DOCS, [
  ...Array.from({ length: 10_000 }, (_, i) => endpointYaml({ i, pool: null })),
  endpointYaml({ i: 10_000, vlan: '99999' }),
].join('---\n'));
// The input: 10,000 unknown null fields under status, then vlan: 99999 (a 139 KB file).
const NULLS = path.join(scratch, 'nulls-then-vlan.yaml');
writeFileSync(NULLS, endpointYaml({ name: 'nulls', vlan: '99999', extraStatus: Array.from({ length: 10_000 }, (_, i) => `  f${i}: null\n`).join('') }));
// 20,000 warnings in one document.
const MANY_WARNINGS = path.join(scratch, 'twenty-thousand-warnings.yaml');
writeFileSync(MANY_WARNINGS, endpointYaml({ name: 'many', ips: nicsYaml(20_000) }));
// 10,005 errors in one document: here errors have to be left out, and that fails the run.
const MANY_ERRORS = path.join(scratch, 'many-errors.yaml');
writeFileSync(MANY_ERRORS, endpointYaml({ name: 'errs', ips: nicsYaml(10_005, '      ipv4Pool: p\n      vlan: 99999\n') }));

const plural = (n, word, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const run = (format, args) => cli(inst, ['validate', '--format', format, ...args]);
const listed = (result) => [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)];

describe('an error after 10,000 warnings is counted, listed and fails the run', { timeout: 300_000 }, () => {
  for (const [label, file, documents] of [['10,000 warnings, then vlan: 99999', WARNINGS_THEN_VLAN, 1], ['10,000 warning documents, then a bad one', DOCS, 10_001]]) {
    test(`${label}: json`, () => {
      const r = run('json', [file]);
      assert.equal(r.code, 1, 'the error fails the run');
      const { results, summary } = JSON.parse(r.stdout);
      assert.deepEqual(summary, { files: 1, templates: 0, suppressed: 0, documents, valid: documents - 1, invalid: 1, skipped: 0, errors: 1, warnings: 10_000, infos: 0, truncated: true, omitted: 1 });
      const ds = listed(results[0]);
      assert.equal(ds.length, 10_000, 'the report lists 10,000 findings');
      assert.deepEqual(ds.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`), [`SE203 /status/current/ips/${documents === 1 ? 10_000 : 0}/vlan`], 'the error is listed');
      assert.equal(results[0].summary.omitted, 1);
    });

    test(`${label}: text`, () => {
      const r = run('text', [file]);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 10_002);
      assert.equal(lines.filter((l) => / error SE203 `vlan` 99999 /.test(l)).length, 1);
      assert.equal(lines.at(-2), `${file}: 1 finding not listed (1 warning): a report lists at most 10000 findings per file, errors first; the counts include them all`);
      assert.equal(lines.at(-1), `1 file, ${documents} document${documents > 1 ? 's' : ''}: ${documents - 1} valid, 1 invalid, 0 skipped; 1 error, 10000 warnings, 0 infos (1 finding not listed)`);
      // --quiet lists the error only, but keeps the counts and the note.
      const q = cli(inst, ['validate', '--quiet', file]);
      assert.equal(q.code, 1);
      const ql = q.stdout.trimEnd().split('\n');
      assert.equal(ql.length, 3);
      assert.match(ql[0], /:\d+:13 error SE203 /);
      assert.match(ql[1], /: 1 finding not listed \(1 warning\)/);
      assert.match(ql[2], /; 1 error, 10000 warnings, 0 infos \(1 finding not listed\)$/);
    });

    test(`${label}: github`, () => {
      const r = run('github', [file]);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      // Run-level notes first, then errors: GitHub shows only the first annotations of each type.
      assert.match(lines[0], /^::warning file=[^,]+,title=omitted findings::.*: 1 finding not listed \(1 warning\)/);
      assert.match(lines[1], /^::error file=[^,]+,line=\d+,col=13,endLine=\d+,endColumn=18,title=SE203 out-of-range::`vlan` 99999 /);
      assert.equal(lines.filter((l) => l.startsWith('::error ')).length, 1);
      assert.equal(lines.filter((l) => l.startsWith('::warning ')).length, 10_000, '9,999 listed warnings and the note');
      assert.match(lines.at(-1), /; 1 error, 10000 warnings, 0 infos \(1 finding not listed\)$/);
    });

    test(`${label}: junit`, () => {
      const r = run('junit', [file]);
      assert.equal(r.code, 1);
      const x = r.stdout;
      assert.match(x, /<testsuites name="spiderendpoint" tests="\d+" failures="1" errors="0" skipped="0">/);
      assert.match(x, /<property name="errors" value="1"\/>\n\s*<property name="warnings" value="10000"\/>\n\s*<property name="infos" value="0"\/>\n\s*<property name="omitted" value="1"\/>/);
      assert.match(x, /<failure message="SE203 `vlan` 99999 [^"]*" type="SE203">/);
      assert.match(x, /<testcase classname="[^"]+" name="\(findings not listed\)">\n\s*<system-out>[^<]*: 1 finding not listed \(1 warning\)/);
    });

    test(`${label}: sarif`, () => {
      const r = run('sarif', [file]);
      assert.equal(r.code, 1);
      const sarifRun = JSON.parse(r.stdout).runs[0];
      assert.equal(sarifRun.results.length, 10_000);
      assert.deepEqual(sarifRun.results.filter((x) => x.level === 'error').map((x) => x.ruleId), ['SE203']);
      const notes = sarifRun.invocations[0].toolExecutionNotifications;
      assert.equal(notes.length, 1);
      assert.equal(notes[0].descriptor.id, 'omitted-findings');
      assert.equal(notes[0].level, 'warning');
      assert.match(notes[0].message.text, /1 finding not listed \(1 warning\)/);
      assert.deepEqual(notes[0].properties, { omitted: 1, errors: 0, warnings: 1, infos: 0 });
      assert.equal(sarifRun.properties.summary.omitted, 1);
      assert.equal(sarifRun.properties.summary.errors, 1);
      assert.equal(sarifRun.artifacts[0].properties.summary.warnings, 10_000);
    });
  }

  test('--max-warnings that is not exceeded does not hide the error', () => {
    const r = cli(inst, ['validate', '--max-warnings', '10000', '--format', 'json', WARNINGS_THEN_VLAN]);
    assert.equal(r.code, 1, 'the error fails the run');
    assert.equal(r.stderr, '', 'no "too many warnings": 10000 is not above 10000');
  });
});

describe("the issue's own input: 10,000 unknown null fields, then vlan: 99999", { timeout: 300_000 }, () => {
  test('every count includes every finding, the run fails, and every format says what is not listed', () => {
    const j = run('json', [NULLS]);
    assert.equal(j.code, 1, 'the error fails the run');
    const { results, summary: s } = JSON.parse(j.stdout);
    const ds = listed(results[0]);
    assert.equal(ds.length, 10_000);
    assert.ok(s.errors >= 1 && s.invalid === 1 && s.truncated);
    assert.equal(s.omitted, s.errors + s.warnings + s.infos - 10_000, 'omitted = counted - listed');
    assert.ok(s.omitted >= 1);
    const listedErrors = ds.filter((d) => d.severity === 'error').length;
    // Either the vlan error is listed, or errors are among the omitted ones (more than 10,000 errors).
    assert.ok(ds.some((d) => d.code === 'SE203') || s.errors > listedErrors, 'the vlan error is counted');
    assert.ok(listedErrors === Math.min(s.errors, 10_000), 'errors are listed first');
    const errorsOmitted = s.errors - listedErrors;

    const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info', 'infos')}`;
    const t = run('text', [NULLS]);
    assert.equal(t.code, 1);
    const lines = t.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), `1 file, 1 document: 0 valid, 1 invalid, 0 skipped; ${counts} (${plural(s.omitted, 'finding')} not listed)`);
    assert.ok(lines.at(-2).startsWith(`${NULLS}: ${plural(s.omitted, 'finding')} not listed (`), lines.at(-2));

    const g = run('github', [NULLS]);
    assert.equal(g.code, 1);
    const gl = g.stdout.split('\n');
    assert.ok(gl[0].startsWith(`::${errorsOmitted ? 'error' : 'warning'} file=${NULLS},title=omitted findings::`), gl[0]);
    assert.ok(gl.some((l) => l.startsWith('::error ')));
    assert.ok(gl.some((l) => l.endsWith(`; ${counts} (${plural(s.omitted, 'finding')} not listed)`)));

    const u = run('junit', [NULLS]);
    assert.equal(u.code, 1);
    assert.match(u.stdout, /<testsuites name="spiderendpoint" tests="\d+" failures="[1-9]\d*"/);
    assert.ok(u.stdout.includes(`<property name="errors" value="${s.errors}"/>`));
    assert.ok(u.stdout.includes(`<property name="omitted" value="${s.omitted}"/>`));

    const sr = run('sarif', [NULLS]);
    assert.equal(sr.code, 1);
    const sarifRun = JSON.parse(sr.stdout).runs[0];
    assert.equal(sarifRun.results.length, 10_000);
    const note = sarifRun.invocations[0].toolExecutionNotifications[0];
    assert.equal(note.properties.omitted, s.omitted);
    assert.equal(note.level, errorsOmitted ? 'error' : 'warning');
  });
});

describe('--max-warnings counts every warning, listed or not', { timeout: 300_000 }, () => {
  test('20,000 warnings fail --max-warnings 15000 in every format; 20000 passes', () => {
    const args = ['--max-warnings', '15000', MANY_WARNINGS];
    const msg = 'too many warnings: 20000 > --max-warnings 15000';

    const j = cli(inst, ['validate', '--format', 'json', ...args]);
    assert.equal(j.code, 1);
    assert.equal(j.stderr, `spiderendpoint: ${msg}\n`);
    const { summary } = JSON.parse(j.stdout);
    assert.deepEqual(summary, { files: 1, templates: 0, suppressed: 0, documents: 1, valid: 1, invalid: 0, skipped: 0, errors: 0, warnings: 20_000, infos: 0, truncated: true, omitted: 10_000 });

    const t = cli(inst, ['validate', ...args]);
    assert.equal(t.code, 1);
    const lines = t.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 10_003);
    assert.match(lines.at(-3), /: 10000 findings not listed \(10000 warnings\): /);
    assert.equal(lines.at(-2), '1 file, 1 document: 1 valid, 0 invalid, 0 skipped; 0 errors, 20000 warnings, 0 infos (10000 findings not listed)');
    assert.equal(lines.at(-1), msg);

    const g = cli(inst, ['validate', '--format', 'github', ...args]);
    assert.equal(g.code, 1);
    const gl = g.stdout.split('\n');
    assert.match(gl[0], /^::warning file=[^,]+,title=omitted findings::.*: 10000 findings not listed \(10000 warnings\)/);
    assert.equal(gl[1], `::error title=max-warnings::${msg}`);

    const u = cli(inst, ['validate', '--format', 'junit', ...args]);
    assert.equal(u.code, 1);
    assert.match(u.stdout, /<testsuites name="spiderendpoint" tests="3" failures="1" errors="0" skipped="0">/);
    assert.match(u.stdout, /<testcase classname="spiderendpoint" name="--max-warnings 15000">\n\s*<failure message="too many warnings: 20000 &gt; --max-warnings 15000" type="max-warnings"\/>/);
    assert.match(u.stdout, /<property name="warnings" value="20000"\/>/);

    const s = cli(inst, ['validate', '--format', 'sarif', ...args]);
    assert.equal(s.code, 1);
    const notes = JSON.parse(s.stdout).runs[0].invocations[0].toolExecutionNotifications;
    assert.deepEqual(notes.map((n) => [n.descriptor.id, n.level]), [['omitted-findings', 'warning'], ['max-warnings', 'error']]);
    assert.equal(notes[1].message.text, msg);

    for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
      assert.equal(cli(inst, ['validate', '--format', format, '--max-warnings', '20000', MANY_WARNINGS]).code, 0, format);
      assert.equal(cli(inst, ['validate', '--format', format, '--strict', MANY_WARNINGS]).code, 1, `${format} --strict`);
    }
  });
});

describe('more than 10,000 errors: the ones not listed fail the run and are announced as errors', { timeout: 300_000 }, () => {
  test('every format', () => {
    const j = run('json', [MANY_ERRORS]);
    assert.equal(j.code, 1);
    const { results, summary } = JSON.parse(j.stdout);
    assert.equal(summary.errors, 10_005);
    assert.equal(summary.omitted, 5);
    assert.equal(listed(results[0]).length, 10_000);
    assert.ok(listed(results[0]).every((d) => d.severity === 'error'));

    const t = run('text', [MANY_ERRORS]);
    assert.match(t.stdout, /: 5 findings not listed \(5 errors\): [^\n]*\n1 file, 1 document: 0 valid, 1 invalid, 0 skipped; 10005 errors, 0 warnings, 0 infos \(5 findings not listed\)\n$/);

    const g = run('github', [MANY_ERRORS]);
    assert.match(g.stdout.split('\n')[0], /^::error file=[^,]+,title=omitted findings::.*: 5 findings not listed \(5 errors\)/);

    const u = run('junit', [MANY_ERRORS]);
    assert.match(u.stdout, /failures="2"/);
    assert.match(u.stdout, /<testcase classname="[^"]+" name="\(findings not listed\)">\n\s*<failure message="5 findings not listed \(5 errors\)[^"]*" type="omitted-findings">/);

    const s = run('sarif', [MANY_ERRORS]);
    const note = JSON.parse(s.stdout).runs[0].invocations[0].toolExecutionNotifications[0];
    assert.equal(note.level, 'error');
    assert.deepEqual(note.properties, { omitted: 5, errors: 5, warnings: 0, infos: 0 });
  });

  test('several files: the counts and the omitted findings add up', () => {
    // The generated files define the same endpoints: the checks across files are off, to count each file's own.
    const { summary } = JSON.parse(run('json', ['--rule', 'SE315=off', '--rule', 'SE316=off', WARNINGS_THEN_VLAN, MANY_ERRORS, MANY_WARNINGS]).stdout);
    assert.deepEqual(
      [summary.files, summary.errors, summary.warnings, summary.omitted, summary.truncated],
      [3, 1 + 10_005, 10_000 + 20_000, 1 + 5 + 10_000, true],
    );
  });
});
