// Snapshot tests of what users see: the CLI (pkg/cli, the code behind bin/spiderendpoint.js) on every
// fixture of tests/fixtures (but crashes/, the fuzzers' raw finds, and repo/, a repository tree for the
// walk, config and ignore tests), each file on its own: `validate -v` in the text format (each
// diagnostic's line and each document's status line, as printed) and `validate --format json`; for the
// convert fixtures also `convert` (`*.v1.*` to v2beta1, `*.v2beta1.*` to v1, the others both ways) and
// `normalize` (`normalize*` files), text and JSON. A snapshot holds the command, its exit code, standard
// output and standard error: tests/snapshots/cli/<folder>__<file>.<command>.txt.
//
// Every command runs in one child process that calls the CLI's main() in turn (a process per command
// would take a minute on a small machine); a file runs alone, as a user runs it, so cross-file
// findings between fixtures do not appear.
//
// A difference fails the test and is shown as a diff; `UPDATE_SNAPSHOTS=1 node --test
// tests/node/snapshots.test.mjs` rewrites the snapshots (and removes those of fixtures that are gone):
// review the result with `git diff tests/snapshots/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const CLI = path.join(ROOT, 'pkg', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
const SNAPSHOTS = path.join(ROOT, 'tests', 'snapshots', 'cli');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** Every fixture (YAML or JSON) in the folders of tests/fixtures but crashes/ and repo/, relative to the root. */
function fixtures() {
  const out = [];
  for (const folder of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    if (folder === 'crashes' || folder === 'repo') continue;
    for (const file of readdirSync(path.join(FIXTURES, folder)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
      out.push(`tests/fixtures/${folder}/${file}`);
    }
  }
  return out;
}

/** The commands of a fixture: [snapshot name, CLI arguments]. */
function commands(rel) {
  const version = /^# spiderpool-version: (.+)$/m.exec(readFileSync(path.join(ROOT, rel), 'utf8'))?.[1];
  const opts = version ? ['--spiderpool-version', version] : [];
  const [folder, file] = rel.split('/').slice(-2);
  const name = (cmd) => `${folder}__${file}.${cmd}.txt`;
  const out = [
    [name('validate-text'), ['validate', '-v', '--no-color', ...opts, rel]],
    [name('validate-json'), ['validate', '--format', 'json', ...opts, rel]],
  ];
  if (folder === 'convert') {
    if (file.startsWith('normalize')) {
      out.push([name('normalize-text'), ['normalize', '--no-color', ...opts, rel]]);
      out.push([name('normalize-json'), ['normalize', '--format', 'json', ...opts, rel]]);
    } else {
      const targets = file.includes('.v1.') ? ['v2beta1'] : file.includes('.v2beta1.') ? ['v1'] : ['v1', 'v2beta1'];
      for (const to of targets) {
        out.push([name(`convert-${to}-text`), ['convert', '--to', to, '--no-color', ...opts, rel]]);
        out.push([name(`convert-${to}-json`), ['convert', '--to', to, '--format', 'json', ...opts, rel]]);
      }
    }
  }
  return out;
}

// Runs in the child: each command through main(), its output captured; the results as JSON to a file.
const DRIVER = `
const { main } = require(process.argv[1]);
const { errorLine } = require(require('node:path').join(require('node:path').dirname(process.argv[1]), 'safe.js'));
const runs = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
(async () => {
  const results = [];
  const [out, err] = [process.stdout.write, process.stderr.write];
  for (const args of runs) {
    const got = { stdout: '', stderr: '' };
    process.stdout.write = (s) => ((got.stdout += s), true);
    process.stderr.write = (s) => ((got.stderr += s), true);
    try {
      got.code = await main(args);
    } catch (e) {
      errorLine(e instanceof Error ? e.message : String(e));
      got.code = 2;
    }
    [process.stdout.write, process.stderr.write] = [out, err];
    results.push(got);
  }
  require('node:fs').writeFileSync(process.argv[3], JSON.stringify(results));
})();
`;

/** Runs every command (arguments lists) in one child process; returns [{code, stdout, stderr}]. */
function runAll(runs) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'se-snapshots-'));
  try {
    writeFileSync(path.join(tmp, 'runs.json'), JSON.stringify(runs));
    const r = spawnSync(process.execPath, ['-e', DRIVER, CLI, path.join(tmp, 'runs.json'), path.join(tmp, 'results.json')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, `the snapshot driver failed:\n${r.stderr}`);
    return JSON.parse(readFileSync(path.join(tmp, 'results.json'), 'utf8'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One command as its snapshot shows it. */
function render(args, { code, stdout, stderr }) {
  const block = (name, s) => (s === '' ? `--- ${name}: (empty)\n` : `--- ${name}:\n${s}${s.endsWith('\n') ? '' : '\n--- (no final line break)\n'}`);
  return `$ spiderendpoint ${args.join(' ')}\n--- exit code: ${code}\n${block('stdout', stdout)}${block('stderr', stderr)}`;
}

test('the CLI output for every fixture matches its snapshot', () => {
  const runs = fixtures().flatMap(commands);
  assert.ok(runs.length >= 200, `only ${runs.length} commands: fixtures not found`);
  assert.equal(new Set(runs.map(([name]) => name)).size, runs.length, 'two commands write one snapshot');
  const results = runAll(runs.map(([, args]) => args));
  if (UPDATE) mkdirSync(SNAPSHOTS, { recursive: true });
  const failures = [];
  runs.forEach(([name, args], i) => {
    const got = render(args, results[i]);
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
  });
  // snapshots of fixtures (or commands) that are gone
  const names = new Set(runs.map(([name]) => name));
  for (const name of existsSync(SNAPSHOTS) ? readdirSync(SNAPSHOTS) : []) {
    if (names.has(name)) continue;
    if (UPDATE) rmSync(path.join(SNAPSHOTS, name));
    else failures.push(`${name}: a snapshot without its fixture (UPDATE_SNAPSHOTS=1 removes it)`);
  }
  assert.deepEqual(failures, [], `${failures.length} snapshot(s) differ; UPDATE_SNAPSHOTS=1 rewrites them (review with git diff)`);
});
