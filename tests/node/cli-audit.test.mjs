// `spiderendpoint audit` (the installed package's CLI) on tests/fixtures/audit/: every fixture's expected
// findings (the `# expect:` header lines, the same ones tests/audit_fixtures.rs checks against the core)
// come out in json with both ends, in text as `file:line:col ... (see file:line:col)` and in SARIF as
// relatedLocations; the summary as text and as json data (equal to the package API's); exit codes;
// --spiderpool-version; no 32 MiB budget as validate has.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, installPackage, nodeIn, ROOT } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-audit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const DIR = 'tests/fixtures/audit';
const fixture = (name) => `${DIR}/${name}`;
const run = (args, opts) => cli(inst, ['audit', ...args], opts);
const jsonRun = (args, opts) => {
  const r = run(['-f', 'json', ...args], opts);
  return { ...r, report: JSON.parse(r.stdout) };
};

/** The header of a fixture: its options (as flags) and expected findings. */
function header(name) {
  const text = readFileSync(path.join(ROOT, DIR, name), 'utf8');
  const flags = [];
  const expect = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const o = /^# options: spiderpoolVersion=(\S+)/.exec(line);
    if (o) flags.push('--spiderpool-version', o[1]);
    const e = /^# expect: (.*)$/.exec(line);
    if (e && e[1] !== '(none)') expect.push(e[1].trim());
  }
  return { flags, expect };
}

/** A diagnostic as the fixtures' expect lines write it: `CODE SEVERITY PATH LINE [-> PATH LINE]...`. */
function expectLine(d) {
  return [`${d.code} ${d.severity} ${d.path || '-'} ${d.line}`, ...(d.related || []).map((r) => `-> ${r.path || '-'} ${r.line}`)].join(' ');
}

function diagnostics(report) {
  return report.results.flatMap((r) => [...r.diagnostics, ...r.documents.flatMap((doc) => doc.diagnostics)]);
}

const FIXTURES = readdirSync(path.join(ROOT, DIR)).filter((f) => f.endsWith('.yaml')).sort();

describe('audit on every fixture', { timeout: 300_000 }, () => {
  test('the fixtures are there, faulty and consistent ones', () => {
    assert.ok(FIXTURES.length >= 40, `${FIXTURES.length} fixtures`);
    assert.ok(FIXTURES.some((f) => header(f).expect.length === 0));
    assert.ok(FIXTURES.some((f) => header(f).expect.some((e) => e.includes('->'))));
  });
  for (const name of FIXTURES) {
    test(`${name}: json lists exactly the expected findings with both ends; text names both places; exit code`, () => {
      const { flags, expect } = header(name);
      const r = jsonRun([...flags, fixture(name)]);
      const ds = diagnostics(r.report);
      assert.deepEqual(ds.map(expectLine).sort(), [...expect].sort());
      const errors = ds.filter((d) => d.severity === 'error').length;
      assert.equal(r.code, errors > 0 ? 1 : 0, r.stderr);
      assert.equal(r.report.summary.errors, errors);
      const t = run([...flags, '--no-color', fixture(name)]);
      assert.equal(t.code, r.code);
      for (const d of ds) {
        const related = (d.related || []).map((x) => ` (see ${x.file ?? fixture(name)}:${x.line}:${x.column})`).join('');
        const line = `${fixture(name)}:${d.line}:${d.column} ${d.severity} ${d.code} `;
        assert.ok(t.stdout.split('\n').some((l) => l.startsWith(line) && l.endsWith(related)), `text lacks ${line}...${related}\n${t.stdout}`);
      }
    });
  }
});

describe('audit output', { timeout: 300_000 }, () => {
  test('a consistent export: exit 0, no findings, the pools in the summary', () => {
    const r = jsonRun([fixture('consistent-v2beta1.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(diagnostics(r.report), []);
    assert.ok(r.report.audit.poolTable.length > 0);
    for (const p of r.report.audit.poolTable) assert.deepEqual([p.leaked, p.stale, p.conflicting], [[], [], []]);
    assert.deepEqual(r.report.audit.repairs, []);
    const t = run(['--no-color', fixture('consistent-v2beta1.yaml')]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^1 file, \d+ documents: \d+ valid, 0 invalid, 0 skipped; 0 errors, 0 warnings, 0 infos$/m);
    assert.match(t.stdout, /^Audit summary$/m);
    assert.doesNotMatch(t.stdout, /Suggested repairs/);
  });

  test('--format json carries the summary as data: the same as the API returns', () => {
    const name = fixture('rp1-leaked-ip.yaml');
    const r = jsonRun([name]);
    const script = `const se = require('spiderendpoint'); const fs = require('fs');
      process.stdout.write(JSON.stringify(se.audit([{ name: ${JSON.stringify(name)}, text: fs.readFileSync(${JSON.stringify(path.join(ROOT, name))}, 'utf8') }]).summary));`;
    const api = nodeIn(inst, ['-e', script]);
    assert.equal(api.code, 0, api.stderr);
    assert.deepEqual(r.report.audit, JSON.parse(api.stdout));
    const pool = r.report.audit.poolTable.find((p) => p.leaked.length);
    assert.ok(pool, 'a pool with a leaked address');
    assert.ok(r.report.audit.repairs.some((x) => x.codes.includes('SE621') && x.commands.every((c) => c.startsWith('kubectl '))));
  });

  test('text: per pool allocated/total and the leaked, stale and conflicting addresses; endpoints without Pods; repairs', () => {
    const names = ['rp1-leaked-ip.yaml', 'ep2-stale-endpoint.yaml', 'x1-ip-in-two-pools.yaml', 'ep4-leaked-endpoint.yaml'];
    for (const name of names) {
      const j = jsonRun([fixture(name)]).report.audit;
      const t = run(['--no-color', fixture(name)]).stdout;
      const summary = t.slice(t.indexOf('\nAudit summary\n'));
      assert.ok(summary.length > 20, t);
      for (const p of j.poolTable) {
        assert.match(summary, new RegExp(`^  ${p.name} +${p.allocated}/${p.total ?? '\\?'} +${p.leaked.length} +${p.stale.length} +${p.conflicting.length}$`, 'm'));
        for (const [what, ips] of [['leaked', p.leaked], ['stale', p.stale], ['conflicting', p.conflicting]]) {
          if (ips.length) assert.ok(summary.includes(`  ${p.name} ${what}: ${ips.join(', ')}\n`), `${name}: ${what}\n${summary}`);
        }
      }
      for (const n of j.namespaces) assert.ok(summary.includes(`  ${n.namespace}: ${n.endpointsWithoutPods.join(', ')}\n`), summary);
      for (const rep of j.repairs) for (const c of rep.commands) assert.ok(summary.includes(`  ${c}\n`), summary);
    }
    const some = names.map((n) => jsonRun([fixture(n)]).report.audit);
    assert.ok(some.some((s) => s.poolTable.some((p) => p.leaked.length)), 'leaked shown somewhere');
    assert.ok(some.some((s) => s.poolTable.some((p) => p.stale.length)), 'stale shown somewhere');
    assert.ok(some.some((s) => s.poolTable.some((p) => p.conflicting.length)), 'conflicting shown somewhere');
    assert.ok(some.some((s) => s.namespaces.length), 'endpoints without Pods shown somewhere');
  });

  test('SARIF: both ends, the other one as a relatedLocation', () => {
    const name = fixture('rp2-stale-record.yaml');
    const j = diagnostics(jsonRun([name]).report).filter((d) => d.related && d.related.length);
    assert.ok(j.length > 0);
    const r = run(['-f', 'sarif', name]);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.stdout).runs[0].results;
    for (const d of j) {
      const s = results.find((x) => x.ruleId === d.code && x.locations[0].physicalLocation.region.startLine === d.line);
      assert.ok(s, `${d.code} at ${d.line}`);
      const rel = s.relatedLocations.map((x) => [x.physicalLocation.artifactLocation.uri, x.physicalLocation.region.startLine, x.physicalLocation.region.startColumn]);
      for (const x of d.related) assert.ok(rel.some(([uri, line, col]) => uri.endsWith(x.file ?? name) && line === x.line && col === x.column), JSON.stringify(rel));
    }
  });

  test('github and junit formats work for audit too', () => {
    const name = fixture('rp1-leaked-ip.yaml');
    const g = run(['-f', 'github', name]);
    assert.equal(g.code, 1);
    assert.match(g.stdout, /^::error file=tests\/fixtures\/audit\/rp1-leaked-ip\.yaml,line=20,/m);
    const u = run(['-f', 'junit', name]);
    assert.equal(u.code, 1);
    assert.match(u.stdout, /<testsuites[\s\S]*SE621/);
  });

  test('files read together: the related end in another file carries its name', () => {
    const text = readFileSync(path.join(ROOT, DIR, 'rp2-stale-record.yaml'), 'utf8');
    const r0 = jsonRun([fixture('rp2-stale-record.yaml')]).report;
    assert.ok(r0.summary.errors > 0);
    writeFileSync(path.join(scratch, 'whole.yaml'), text);
    const w = jsonRun([path.join(scratch, 'whole.yaml'), fixture('consistent-v2beta1.yaml')]).report;
    const cross = diagnostics(w).filter((d) => (d.related || []).some((x) => x.file));
    assert.ok(cross.length > 0, 'findings across the two files');
    assert.ok(cross.every((d) => d.related.every((x) => x.file === undefined || x.file.endsWith('.yaml'))));
  });

  test('--spiderpool-version selects behaviours; an unknown release is a usage error', () => {
    const name = fixture('p4-allocated-count.yaml');
    const now = diagnostics(jsonRun([name]).report).find((d) => d.code === 'SE604');
    const old = diagnostics(jsonRun(['--spiderpool-version', '0.9.0', name]).report).find((d) => d.code === 'SE604');
    assert.equal(now.severity, 'error');
    assert.equal(old.severity, 'warning');
    assert.equal(run(['--spiderpool-version', '0.9.0', name]).code, 0);
    const bad = run(['--spiderpool-version', '9.9', name]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /9\.9/);
  });

  test('--rule sets a severity (code or name) or turns a rule off; an unknown rule is a usage error', () => {
    const name = fixture('rp1-leaked-ip.yaml');
    const base = diagnostics(jsonRun([name]).report).find((d) => d.code === 'SE621');
    assert.equal(base.severity, 'error');
    const warned = jsonRun(['--rule', 'SE621=warning', name]);
    assert.equal(warned.code, 0);
    assert.equal(diagnostics(warned.report).find((d) => d.code === 'SE621').severity, 'warning');
    const off = jsonRun(['--rule', `${base.rule}=off`, name]);
    assert.equal(diagnostics(off.report).filter((d) => d.code === 'SE621').length, 0);
    assert.equal(run(['--rule', 'SE999=off', name]).code, 2);
  });

  test('suppression comments: the silenced finding is listed as suppressed, counted apart, and does not fail the run', () => {
    const text = readFileSync(path.join(ROOT, DIR, 'rp1-leaked-ip.yaml'), 'utf8');
    const file = path.join(scratch, 'suppressed.yaml');
    writeFileSync(file, text.replace("    allocatedIPs: '", "    # spiderendpoint-disable-next-line SE621 -- reviewed\n    allocatedIPs: '"));
    const r = jsonRun([file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(diagnostics(r.report), []);
    assert.equal(r.report.summary.suppressed, 1);
    assert.equal(r.report.audit.suppressed, 1);
    const [s] = r.report.results[0].suppressed;
    assert.deepEqual([s.code, s.line, s.suppressedBy.line], ['SE621', 21, 20]);
    const t = run([file]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /0 errors, 0 warnings, 0 infos, 1 suppressed/);
    const sarif = JSON.parse(run(['-f', 'sarif', file]).stdout);
    assert.deepEqual(sarif.runs[0].results.map((x) => [x.ruleId, x.suppressions?.[0]?.kind]), [['SE621', 'inSource']]);
    // An unknown rule in the comment is SE014, where it is written.
    writeFileSync(file, `# spiderendpoint-disable-file SE9999\n${text}`);
    const u = jsonRun([file]);
    assert.deepEqual(u.report.results[0].diagnostics.map((d) => [d.code, d.line, d.column]), [['SE014', 1, 31]]);
    assert.equal(u.report.summary.suppressed, 0);
  });

  test('exit codes: --strict, --max-warnings, a missing file, an unknown format', () => {
    const name = fixture('p4-allocated-count.yaml');
    assert.equal(run(['--spiderpool-version', '0.9.0', '--strict', name]).code, 1);
    assert.equal(run(['--spiderpool-version', '0.9.0', '--max-warnings', '0', name]).code, 1);
    assert.equal(run(['--spiderpool-version', '0.9.0', '--max-warnings', '1', name]).code, 0);
    assert.equal(run([path.join(scratch, 'missing.yaml')]).code, 2);
    assert.equal(run(['-f', 'xml', name]).code, 2);
    const h = run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^Usage: spiderendpoint audit/);
  });

  test('standard input and directories', () => {
    const text = readFileSync(path.join(ROOT, DIR, 'rp1-leaked-ip.yaml'), 'utf8');
    const s = jsonRun(['--stdin-filename', 'export.yaml', '-'], { input: text });
    assert.equal(s.code, 1);
    assert.equal(s.report.results[0].file, 'export.yaml');
    assert.ok(diagnostics(s.report).some((d) => d.code === 'SE621'));
    const d = jsonRun([DIR]);
    assert.equal(d.report.results.length, FIXTURES.length);
  });

  test('a file that is not UTF-8: SE002 at the bad byte, the other files audited', () => {
    const bad = path.join(scratch, 'bad.yaml');
    writeFileSync(bad, Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a'), Buffer.from([0xff]), Buffer.from('\n')]));
    const r = jsonRun([bad, fixture('rp1-leaked-ip.yaml')]);
    assert.equal(r.code, 1);
    const [b, good] = r.report.results;
    assert.deepEqual(b.diagnostics.map((d) => [d.code, d.line, d.column]), [['SE002', 4, 10]]);
    assert.ok(diagnostics({ results: [good] }).some((d) => d.code === 'SE621'));
    // A real U+FFFD in a UTF-8 file is text, not an encoding error.
    const fffd = path.join(scratch, 'fffd.yaml');
    writeFileSync(fffd, readFileSync(path.join(ROOT, DIR, 'consistent-v2beta1.yaml'), 'utf8') + '# \uFFFD\n');
    const ok = jsonRun([fffd]);
    assert.equal(ok.code, 0, JSON.stringify(diagnostics(ok.report)));
  });

  test('no 32 MiB budget: a 40 MiB export is audited; --max-bytes refuses above it', () => {
    const base = readFileSync(path.join(ROOT, DIR, 'consistent-v2beta1.yaml'), 'utf8');
    const big = path.join(scratch, 'big.yaml');
    const pad = `# ${'x'.repeat(1 << 20)}\n`;
    writeFileSync(big, base + pad.repeat(40));
    const v = cli(inst, ['validate', '-f', 'json', big]);
    assert.ok(diagnostics(JSON.parse(v.stdout)).some((d) => /budget|bytes/.test(d.message)), 'validate refuses it');
    const r = jsonRun([big]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(diagnostics(r.report), []);
    assert.ok(r.report.audit.pods > 0);
    const small = jsonRun(['--max-bytes', String(1 << 20), big]);
    assert.equal(small.code, 1);
    assert.ok(diagnostics(small.report).some((d) => /budget of audit/.test(d.message)));
  });

  test('a template is set aside, also when its `{{` straddles the 1 MiB read chunks; `{{` in a string is audited', () => {
    const base = readFileSync(path.join(ROOT, DIR, 'consistent-v2beta1.yaml'), 'utf8');
    // The comment ends one byte before the 1 MiB boundary, so the next line's `{{` is split across two reads.
    const pad = `# ${'x'.repeat((1 << 20) - Buffer.byteLength(base) - 4)}\n`;
    const tpl = path.join(scratch, 'tpl.yaml');
    writeFileSync(tpl, `${base}${pad}{{ .Values.x }}: 1\n`);
    assert.equal(readFileSync(tpl).indexOf('{{'), (1 << 20) - 1, 'the braces straddle the chunk boundary');
    const t = jsonRun([tpl, fixture('rp1-leaked-ip.yaml')]);
    assert.equal(t.code, 1, t.stderr);
    assert.match(t.report.results[0].skipped.reason, /template \(\{\{ \.\.\. \}\} outside a YAML string on line \d+\)/);
    assert.ok(diagnostics({ results: [t.report.results[1]] }).some((d) => d.code === 'SE621'), 'the other file is audited');
    const piped = jsonRun(['-'], { input: readFileSync(tpl, 'utf8') });
    assert.ok(piped.report.results[0].skipped, 'standard input: the same');
    const quoted = path.join(scratch, 'quoted.yaml');
    writeFileSync(quoted, `${base}# note: "{{ not a template }}"\n`);
    const q = jsonRun([quoted]);
    assert.equal(q.code, 0, JSON.stringify(q.report.results[0]));
    assert.equal(q.report.results[0].skipped, undefined);
    assert.ok(q.report.audit.pods > 0);
  });
});

describe('audit(files) reads a `{ name, size, read }` file straight into the core', { timeout: 120_000 }, () => {
  // Each case in the installed package, through require: the report of a file given as
  // { name, size, read } equals that of the same bytes as { name, text }; what read does wrong is misuse.
  const probe = (body) => {
    const code = `
      const se = require('spiderendpoint');
      const fs = require('node:fs');
      const text = fs.readFileSync(${JSON.stringify(path.join(ROOT, DIR, 'rp1-leaked-ip.yaml'))});
      const out = {};
      const error = (f) => { try { f(); return null; } catch (e) { return e.name + ': ' + e.message; } };
      ${body}
      process.stdout.write(JSON.stringify(out));`;
    const r = nodeIn(inst, ['-e', code]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  test('the same report as the text; the view is the core\'s memory, filled once', () => {
    const out = probe(`
      let calls = 0;
      const read = (into) => {
        calls++;
        out.viewLength = into.length;
        out.inWasm = into.buffer.byteLength > into.length && into.byteOffset > 0 && !(into.buffer instanceof SharedArrayBuffer);
        into.set(text);
        return text.length;
      };
      out.read = se.audit([{ name: 'a.yaml', size: text.length, read }]);
      out.text = se.audit([{ name: 'a.yaml', text }]);
      out.calls = calls;
      // fewer bytes than the size: only those are read
      const cut = text.indexOf('\\n', text.length >> 1) + 1;
      out.short = se.audit([{ name: 'a.yaml', size: text.length + 100, read: (into) => { into.set(text.subarray(0, cut)); return cut; } }]);
      out.shortText = se.audit([{ name: 'a.yaml', text: text.subarray(0, cut) }]);
      out.bad = se.audit([{ name: 'b.yaml', size: 3, read: (into) => { into.set([0x61, 0x3a, 0xff]); return 3; } }]).files[0].report.diagnostics.map((d) => d.code);
    `);
    assert.deepEqual(out.read, out.text);
    assert.ok(out.text.files[0].report.summary.errors > 0, 'the fixture has findings');
    assert.equal(out.calls, 1);
    assert.equal(out.viewLength, Buffer.byteLength(readFileSync(path.join(ROOT, DIR, 'rp1-leaked-ip.yaml'))));
    assert.equal(out.inWasm, true);
    assert.deepEqual(out.short, out.shortText);
    assert.deepEqual(out.bad, ['SE002']);
  });

  test('misuse: a bad size or read, a read that throws, returns too much or calls the engine; the engine goes on', () => {
    const out = probe(`
      const one = (f) => [{ name: 'x.yaml', ...f }];
      out.size = error(() => se.audit(one({ size: -1, read: () => 0 })));
      out.fraction = error(() => se.audit(one({ size: 1.5, read: () => 0 })));
      out.notFn = error(() => se.audit(one({ size: 1, read: 'no' })));
      out.throws = error(() => se.audit(one({ size: 4, read: () => { throw new Error('disk on fire'); } })));
      out.tooMuch = error(() => se.audit(one({ size: 4, read: () => 5 })));
      out.notNumber = error(() => se.audit(one({ size: 4, read: () => 'all' })));
      out.reentrant = error(() => se.audit(one({ size: 4, read: () => { se.validate('a: 1'); return 0; } })));
      out.after = se.audit([{ name: 'a.yaml', text }]).files[0].report.summary.errors;
      out.stats = se.audit[Symbol.for('spiderendpoint.engine')].stats().restarts;
    `);
    assert.match(out.size, /^TypeError: files\[0\]\.size must be an integer/);
    assert.match(out.fraction, /^TypeError: files\[0\]\.size/);
    assert.match(out.notFn, /^TypeError: files\[0\] needs a string or Uint8Array `text`, or `size` and a `read` function/);
    assert.equal(out.throws, 'InvalidArgument: x.yaml: read failed: disk on fire');
    assert.match(out.tooMuch, /^InvalidArgument: x\.yaml: read must return the number of bytes it wrote \(0 to 4\)/);
    assert.match(out.notNumber, /^InvalidArgument: x\.yaml: read must return/);
    assert.match(out.reentrant, /^InvalidArgument: x\.yaml: read failed: spiderendpoint: the engine was called from inside one of its calls/);
    assert.ok(out.after > 0);
    assert.equal(out.stats, 0, 'no instance was lost');
  });
});
