// Snapshot tests of what users see: the CLI (pkg/bin/spiderendpoint.js) over every fixture of
// tests/fixtures (but crashes/), in the text format (each diagnostic's line as printed, with -v each
// document's status line) and in the JSON format; for the convert fixtures also `convert` (`*.v1.*` to
// v2beta1, `*.v2beta1.*` to v1, the others both ways) and `normalize` (`normalize*`), whose reports go to
// standard error. The converted text itself is in the core's snapshots (tests/snapshots.rs).
//
// One CLI run per folder and command (a process per fixture would take a minute on a small machine);
// its output is cut into one snapshot per fixture, tests/snapshots/cli/<folder>__<file>.<command>.txt
// (the fixture's text lines, then its JSON result), and one per run, <folder>.<command>.txt (the exit
// codes, the summary lines, the JSON summary and standard output when it is not the report).
//
// A difference fails the test and is shown as a diff; `UPDATE_SNAPSHOTS=1 node --test
// tests/node/snapshots.test.mjs` rewrites the snapshots (and removes those of fixtures that are gone):
// review the result with `git diff tests/snapshots/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const BIN = path.join(ROOT, 'pkg', 'bin', 'spiderendpoint.js');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
const SNAPSHOTS = path.join(ROOT, 'tests', 'snapshots', 'cli');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** The fixture folders (but crashes/) and their files (YAML or JSON), as paths relative to the root. */
function folders() {
  const out = [];
  for (const folder of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    if (folder === 'crashes') continue;
    const files = readdirSync(path.join(FIXTURES, folder)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    out.push({ folder, files: files.map((f) => `tests/fixtures/${folder}/${f}`) });
  }
  return out;
}

/**
 * The runs of a folder: {name, args, files}. A file with a `# spiderpool-version: V` comment runs on
 * its own with --spiderpool-version V (as tests/fixtures.rs reads it).
 */
function runs({ folder, files }) {
  const out = [];
  const add = (name, args, group) => {
    const plain = group.filter((f) => !version(f));
    if (plain.length) out.push({ name, args, files: plain });
    for (const f of group.filter(version)) {
      out.push({ name: `${name}.${path.basename(f)}`, args: [...args, '--spiderpool-version', version(f)], files: [f] });
    }
  };
  add('validate-text', ['validate', '-v', '--no-color'], files);
  add('validate-json', ['validate', '--format', 'json'], files);
  if (folder === 'convert') {
    const base = (f) => path.basename(f);
    const normalize = files.filter((f) => base(f).startsWith('normalize'));
    const rest = files.filter((f) => !normalize.includes(f));
    for (const to of ['v1', 'v2beta1']) {
      const from = to === 'v1' ? '.v2beta1.' : '.v1.';
      const other = to === 'v1' ? '.v1.' : '.v2beta1.';
      const group = rest.filter((f) => base(f).includes(from) || !base(f).includes(other));
      add(`convert-${to}-text`, ['convert', '--to', to, '--no-color'], group);
      add(`convert-${to}-json`, ['convert', '--to', to, '--format', 'json'], group);
    }
    add('normalize-text', ['normalize', '--no-color'], normalize);
    add('normalize-json', ['normalize', '--format', 'json'], normalize);
  }
  return out;
}

const versions = new Map();
function version(file) {
  if (!versions.has(file)) versions.set(file, /^# spiderpool-version: (.+)$/m.exec(readFileSync(path.join(ROOT, file), 'utf8'))?.[1]);
  return versions.get(file);
}

function cli(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return r;
}

/**
 * One run cut into snapshots: Map(name -> text). The report is standard output for validate and
 * standard error for convert/normalize (whose standard output is the converted text).
 */
function snapshotsOf(folder, run) {
  const r = cli([...run.args, ...run.files]);
  const command = `$ spiderendpoint ${run.args.join(' ')} ${run.files.length === 1 ? run.files[0] : `tests/fixtures/${folder}/*`}\n`;
  const reportOnStderr = run.args[0] !== 'validate';
  const report = reportOnStderr ? r.stderr : r.stdout;
  const out = new Map();
  const perFile = new Map(run.files.map((f) => [f, []]));
  let rest;
  if (run.name.includes('-json')) {
    const json = JSON.parse(report);
    for (const result of json.results) {
      perFile.get(result.file).push(JSON.stringify(result, null, 2));
    }
    rest = [`--- summary:\n${JSON.stringify(json.summary, null, 2)}\n`];
  } else {
    rest = [];
    for (const line of report.split('\n').slice(0, -1)) {
      const file = run.files.find((f) => line.startsWith(`${f}:`));
      if (file) perFile.get(file).push(line);
      else rest.push(line);
    }
    rest = [`--- lines of no one file:\n${rest.join('\n')}\n`];
  }
  if (!reportOnStderr) assert.equal(r.stderr, '', `${command}: standard error`);
  if (reportOnStderr && r.stdout) rest.push(`--- standard output: ${r.stdout.length} bytes (the documents written out)\n`);
  const cmd = run.name.replace(/\..*$/, '');
  for (const [file, parts] of perFile) {
    out.set(`${file.split('/').slice(-2).join('__')}.${cmd}.txt`, `$ spiderendpoint ${run.args.join(' ')} ${file}\n${parts.length ? parts.join('\n') : '(nothing)'}\n`);
  }
  out.set(`${folder}.${run.name}.txt`, `${command}--- exit code: ${r.status}\n${rest.join('')}`);
  return out;
}

test('the CLI output for every fixture matches its snapshot', () => {
  if (UPDATE) mkdirSync(SNAPSHOTS, { recursive: true });
  const written = new Set();
  const failures = [];
  for (const f of folders()) {
    for (const run of runs(f)) {
      for (const [name, got] of snapshotsOf(f.folder, run)) {
        assert.ok(!written.has(name), `two runs write ${name}`);
        written.add(name);
        const file = path.join(SNAPSHOTS, name);
        if (UPDATE) {
          if (!existsSync(file) || readFileSync(file, 'utf8') !== got) writeFileSync(file, got);
        } else if (!existsSync(file)) {
          failures.push(`${name}: no snapshot (run with UPDATE_SNAPSHOTS=1, then review)`);
        } else {
          try {
            assert.equal(got, readFileSync(file, 'utf8'), name);
          } catch (e) {
            failures.push(`${name} differs:\n${e.message}`);
          }
        }
      }
    }
  }
  // snapshots of fixtures (or runs) that are gone
  for (const name of existsSync(SNAPSHOTS) ? readdirSync(SNAPSHOTS) : []) {
    if (written.has(name)) continue;
    if (UPDATE) rmSync(path.join(SNAPSHOTS, name));
    else failures.push(`${name}: a snapshot without its fixture (UPDATE_SNAPSHOTS=1 removes it)`);
  }
  assert.ok(written.size >= 100, `only ${written.size} snapshots: fixtures not found`);
  assert.deepEqual(failures, [], `${failures.length} snapshot(s) differ; UPDATE_SNAPSHOTS=1 rewrites them (review with git diff)`);
});
