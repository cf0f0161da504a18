// The README says what the package does, and this keeps it true (issue 11):
// - every ```js block of README.md runs as written, with node, against the packed package installed from its
//   tarball (from the repository root, so that its paths to examples/ resolve), and prints what the `// `
//   comment lines that end the block say it prints;
// - every ```console block of pkg/README.md (and of README.md outside the usage block) shows the real output of its command (the installed CLI, run as
//   scripts/update-readme.mjs runs it; `make readme` refreshes them);
// - README.md's usage block is pkg/README.md's, byte for byte (`make readme` copies it).
// Blocks with more than a language on their first line (```js rollup.config.mjs) are files of another tool:
// the bundler test (tests/bundlers) uses them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installPackage, ROOT } from './helpers.mjs';
import { CONSOLE_BLOCK, USAGE_BLOCK, runCli } from '../../scripts/update-readme.mjs';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PKG_README = readFileSync(path.join(ROOT, 'pkg', 'README.md'), 'utf8');
const inst = installPackage(after);

/** The fenced blocks of a Markdown text: { info, code, line } (line: 1-based, of the opening fence). */
function fencedBlocks(md) {
  const blocks = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S.*)?$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    blocks.push({ info: (open[1] || '').trim(), code: body.join('\n') + '\n', line: start + 1 });
  }
  return blocks;
}

/** The output a sample promises: the `// ` comment lines that end it (none: it only has to run). */
function promisedOutput(code) {
  const lines = code.trimEnd().split('\n');
  const out = [];
  while (lines.length && /^\/\/( |$)/.test(lines[lines.length - 1])) out.unshift(lines.pop().replace(/^\/\/ ?/, ''));
  return out;
}

const samples = fencedBlocks(README).filter((b) => b.info === 'js');

describe("README.md's JS samples run as written", { timeout: 120_000 }, () => {
  test('there are samples: CommonJS, ES module, spiderendpoint/web', () => {
    assert.ok(samples.length >= 3, `${samples.length} js blocks`);
    assert.ok(samples.some((b) => /require\('spiderendpoint'\)/.test(b.code)));
    assert.ok(samples.some((b) => /from 'spiderendpoint'/.test(b.code)));
    assert.ok(samples.some((b) => /from 'spiderendpoint\/web'/.test(b.code)));
  });

  for (const block of samples) {
    test(`README.md:${block.line}`, () => {
      // An ES module if it imports or exports (top-level await included), CommonJS otherwise; placed in the
      // consumer project, so that 'spiderendpoint' is the installed tarball.
      const esm = /^\s*(import|export)\b/m.test(block.code);
      const file = path.join(inst.dir, `readme-${block.line}.${esm ? 'mjs' : 'cjs'}`);
      writeFileSync(file, block.code);
      const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `README.md:${block.line} exited ${r.status}\n${r.stderr}`);
      assert.equal(r.stderr, '', 'nothing on stderr (no warning)');
      const promised = promisedOutput(block.code);
      if (promised.length) assert.deepEqual(r.stdout.trimEnd().split('\n'), promised);
    });
  }
});

describe("pkg/README.md's CLI examples show real output", { timeout: 120_000 }, () => {
  const examples = [...PKG_README.matchAll(CONSOLE_BLOCK)];
  test('there are examples', () => assert.ok(examples.length >= 3, `${examples.length} console blocks`));
  for (const [, args, shown] of examples) {
    test(`$ spiderendpoint ${args}`, () => {
      assert.equal(shown, runCli(args, path.join(inst.installed, 'bin', 'spiderendpoint.js')),
        'the README shows other output than the CLI prints: run `make readme`');
    });
  }
});

describe("README.md's own CLI examples (outside the usage block) show real output", { timeout: 120_000 }, () => {
  const examples = [...README.replace(USAGE_BLOCK, '').matchAll(CONSOLE_BLOCK)];
  test('the Audit section shows a real audit summary', () => assert.ok(examples.some(([, args]) => args.startsWith('audit '))));
  for (const [, args, shown] of examples) {
    test(`$ spiderendpoint ${args}`, () => {
      assert.equal(shown, runCli(args, path.join(inst.installed, 'bin', 'spiderendpoint.js')),
        'README.md shows other output than the CLI prints: run `make readme`');
    });
  }
});

test("README.md's usage block is pkg/README.md's", () => {
  const top = USAGE_BLOCK.exec(README);
  const pkg = USAGE_BLOCK.exec(PKG_README);
  assert.ok(top && pkg, 'both READMEs have the <!-- usage:begin ... usage:end --> block');
  assert.ok(top[0] === pkg[0], 'README.md differs from pkg/README.md in the usage block: run `make readme`');
});
