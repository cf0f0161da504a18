// The CLI's pure helpers, tested directly (pkg/cli/*.js): the gitignore matcher, the template detection and
// the unified diff (its output applied by `git apply` gives the new text back).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PKG } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { patternSet, isIgnored } = require(path.join(PKG, 'cli', 'ignore.js'));
const { templateLine, linesOf } = require(path.join(PKG, 'cli', 'template.js'));
const { unifiedDiff } = require(path.join(PKG, 'cli', 'diff.js'));

describe('gitignore patterns', () => {
  const ignored = (lines, rel, isDir = false) => isIgnored([patternSet('/r', lines)], `/r/${rel}`, isDir);
  // [patterns, path, is a directory, ignored] as git check-ignore answers them.
  const CASES = [
    [['*.yaml'], 'a/b.yaml', false, true],
    [['*.yaml'], 'a/b.yml', false, false],
    [['b.yaml'], 'x/y/b.yaml', false, true], // no slash: any depth
    [['/b.yaml'], 'x/b.yaml', false, false], // leading slash: anchored
    [['/b.yaml'], 'b.yaml', false, true],
    [['x/b.yaml'], 'y/x/b.yaml', false, false], // a middle slash anchors too
    [['build/'], 'build', true, true],
    [['build/'], 'build', false, false], // trailing slash: directories only
    [['build/'], 'src/build', true, true],
    [['*.yaml', '!keep.yaml'], 'keep.yaml', false, false], // negation, last match wins
    [['!keep.yaml', '*.yaml'], 'keep.yaml', false, true],
    [['**/gen/*.yaml'], 'gen/a.yaml', false, true],
    [['**/gen/*.yaml'], 'x/y/gen/a.yaml', false, true],
    [['a/**/b'], 'a/b', false, true],
    [['a/**/b'], 'a/x/y/b', false, true],
    [['gen/**'], 'gen/a/b.yaml', false, true],
    [['gen/**'], 'gen', true, false],
    [['*'], 'a/b', false, true],
    [['a/*'], 'a/b/c', false, false], // '*' does not cross '/'
    [['?.yaml'], 'a.yaml', false, true],
    [['?.yaml'], 'ab.yaml', false, false],
    [['[!a]*.yml'], 'b.yml', false, true],
    [['[!a]*.yml'], 'a.yml', false, false],
    [['[a-c].yml'], 'b.yml', false, true],
    [['\\#x'], '#x', false, true],
    [['# comment'], '# comment', false, false],
    [['\\!x'], '!x', false, true],
    [['foo\\ '], 'foo ', false, true], // an escaped trailing space is kept
    [['foo  '], 'foo', false, true], // trailing spaces are not
    [['a.yaml'], 'a_yaml', false, false], // '.' is literal
    [[''], 'a', false, false],
  ];
  for (const [lines, rel, isDir, want] of CASES) {
    test(`${JSON.stringify(lines)} ${rel}${isDir ? '/' : ''}: ${want ? 'ignored' : 'kept'}`, () => {
      assert.equal(ignored(lines, rel, isDir), want);
    });
  }

  test('agrees with git check-ignore on the files of the cases (the walk never enters an ignored folder)', (t) => {
    if (spawnSync('git', ['--version']).status !== 0) return t.skip('no git');
    const dir = mkdtempSync(path.join(tmpdir(), 'se-ignore-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    spawnSync('git', ['init', '-q', dir]);
    // What the walk does with a file: left out when it or a folder above it is ignored.
    const walked = (lines, rel) => rel.split('/').some((_, i, parts) => ignored(lines, parts.slice(0, i + 1).join('/'), i < parts.length - 1));
    const disagree = [];
    let compared = 0;
    for (const [lines, rel, isDir] of CASES) {
      if (isDir) continue;
      writeFileSync(path.join(dir, '.gitignore'), lines.join('\n') + '\n');
      const git = spawnSync('git', ['-C', dir, 'check-ignore', '-q', '--no-index', rel]).status === 0;
      if (git !== walked(lines, rel)) disagree.push(`${JSON.stringify(lines)} ${rel}: git ${git}`);
      compared++;
    }
    assert.deepEqual(disagree, []);
    assert.ok(compared > 20);
  });
});

describe('template detection', () => {
  const CASES = [
    ['name: {{ .Values.name }}\n', 1],
    ['name: "{{ .Values.name }}"\n', 0], // a string
    ["name: '{{ x }}'\n", 0],
    ['a: 1\n{{- if .Values.on }}\nb: 2\n{{- end }}\n', 2],
    ['data:\n  script: |\n    {{ not a template here }}\n  other: 1\n', 0], // block scalar content
    ['data:\n  script: >-\n    {{ x }}\nname: {{ y }}\n', 4],
    ['# {{ in a comment }}\na: 1\n', 0],
    ['a: b # {{ in a comment }}\n', 0],
    ['name: pod-{{ .Release.Name }}\n', 1],
    ['a: "a string\n  over {{ two }} lines"\n', 0],
    ["a: it's {{ x }}\n", 1], // an apostrophe in a plain scalar opens no string
    ['a: {b: 1}\n', 0],
  ];
  for (const [text, line] of CASES) {
    test(`${JSON.stringify(text)}: ${line ? `line ${line}` : 'not a template'}`, () => assert.equal(templateLine(text), line));
  }
  test('a large file\'s lines in chunks (linesOf): the lines of split, whatever the cuts; the same verdicts', () => {
    const texts = [...CASES.map(([t]) => t), ...CASES.map(([t]) => t.replace(/\n/g, '\r\n')), 'a\rb\r\n\r\nc', 'é: "ü{{"\n{{ ☃ }}\r\n', '', 'no newline'];
    for (const text of texts) {
      const bytes = Buffer.from(text, 'utf8');
      for (const size of [1, 2, 3, 5, 8, 1000]) {
        const chunks = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        const what = `${JSON.stringify(text)} in chunks of ${size}`;
        assert.deepEqual([...linesOf(chunks)], text.split(/\r?\n|\r/), what);
        assert.equal(templateLine(linesOf(chunks)), templateLine(text), what);
      }
    }
  });
});

describe('unified diff', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'se-diff-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Random line edits (xorshift): git apply of the diff turns the old text into the new one.
  let x = 2463534242;
  const rnd = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
  test('git apply of the diff gives the new text (200 random edits, with and without final newlines)', () => {
    let checked = 0;
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 40) }, () => `line ${Math.floor(rnd() * 8)}`);
      const b = a.filter(() => rnd() > 0.15).map((l) => (rnd() < 0.1 ? `${l} changed` : l));
      if (rnd() < 0.4) b.splice(Math.floor(rnd() * (b.length + 1)), 0, 'inserted');
      const before = a.join('\n') + (rnd() < 0.5 && a.length ? '\n' : '');
      const after = b.join('\n') + (rnd() < 0.5 && b.length ? '\n' : '');
      const d = unifiedDiff('f.yaml', before, after);
      if (before === after) {
        assert.equal(d, '');
        continue;
      }
      writeFileSync(path.join(dir, 'f.yaml'), before);
      writeFileSync(path.join(dir, 'p.diff'), d);
      const r = spawnSync('git', ['apply', '--unidiff-zero', 'p.diff'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stderr}\n${d}`);
      assert.equal(readFileSync(path.join(dir, 'f.yaml'), 'utf8'), after, d);
      checked++;
    }
    assert.ok(checked > 150, `${checked} diffs applied`);
  });

  test('three lines of context, one hunk per change far enough apart, escaped control characters', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('');
    const after = before.replace('l2\n', 'L2\n').replace('l15\n', 'L15\u001b[2J\n');
    assert.equal(unifiedDiff('f', before, after), [
      '--- a/f', '+++ b/f',
      '@@ -1,6 +1,6 @@', ' l0', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5',
      '@@ -13,7 +13,7 @@', ' l12', ' l13', ' l14', '-l15', '+L15\\u001b[2J', ' l16', ' l17', ' l18', '',
    ].join('\n'));
  });
});
