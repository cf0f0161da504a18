// Output integrity (issue 13, item 6): text from the input (keys, values, file names) cannot forge a line or
// reach the terminal raw in any format, and -o/--write treat devices, FIFOs, symlinks and hard links as
// what they are instead of replacing them with a regular file.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync,
  readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, endpointYaml, installPackage } from './helpers.mjs';

const inst = installPackage(after);
const scratch = mkdtempSync(path.join(tmpdir(), 'se-cli-integrity-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Everything a terminal or a log could act on: C0 (CR, ESC, BEL, tab...), DEL, C1, separators, bidi controls;
// RAW allows the newlines between lines, RAW_ANY is for a single line.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const RAW_ANY = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** How the CLI shows a string from the input (the rendering that the tests expect). */
const shown = (s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
  (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] || `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** A YAML double-quoted scalar for any string (YAML accepts neither raw C1 controls nor raw separators). */
const yamlQuoted = (s) => JSON.stringify(s).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// A key that, printed raw, would start a fake finding on its own line, set the terminal title (OSC 0), write
// the clipboard (OSC 52), send a one-character CSI (U+009B), and reorder the rest of the line (U+202E).
const HOSTILE_KEY = 'k\nforged.yaml:1:1 error SE999 forged line\u001b]0;owned title\u0007\u001b]52;c;aGVsbG8=\u0007\u009b31m\u202e\u2028\u2066\u007f\tx\r';
const HOSTILE_DOC = endpointYaml({ name: 'hostile', extraStatus: `  ${yamlQuoted(HOSTILE_KEY)}: 1\n` });
const HOSTILE = path.join(scratch, 'hostile.yaml');
writeFileSync(HOSTILE, HOSTILE_DOC);

const SUMMARY_LINE = /^\d+ files?, \d+ documents?: \d+ valid, \d+ invalid, \d+ skipped; \d+ errors?, \d+ warnings?, \d+ infos?$/;

describe('text from the input cannot forge a line or reach the terminal raw', { timeout: 180_000 }, () => {
  test('text: every line is a finding of the file or the summary; the key is shown escaped', () => {
    for (const extra of [[], ['--verbose'], ['--color']]) {
      const r = cli(inst, ['validate', ...extra, HOSTILE]);
      // An unknown field is a warning or an error depending on the field validation mode.
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const out = r.stdout.replace(/\x1b\[\d+m/g, ''); // the CLI's own colours (--color), nothing else
      assert.doesNotMatch(out, RAW, `${extra}: no raw control character`);
      const lines = out.trimEnd().split('\n');
      assert.equal(lines.length, extra[0] === '--verbose' ? 3 : 2, extra.join(' '));
      for (const l of lines.slice(0, -1)) {
        assert.ok(l.startsWith(`${HOSTILE}:`), `starts with the file: ${JSON.stringify(l)}`);
        assert.match(l.slice(HOSTILE.length + 1), /^\d+:\d+ (error|warning|info) SE\d{3} |^\d+:1 (valid|invalid) SpiderEndpoint /, 'line shape');
      }
      assert.match(lines.at(-1), SUMMARY_LINE);
      assert.doesNotMatch(out, /^forged\.yaml/m, 'no forged line');
      assert.ok(out.includes(`unknown field \`${shown(HOSTILE_KEY)}\``), `${extra}: the key, escaped`);
      assert.ok(shown(HOSTILE_KEY).includes('\\n') && shown(HOSTILE_KEY).includes('\\u001b]0;') && shown(HOSTILE_KEY).includes('\\u009b'));
    }
  });

  test('github: one command per line, no control character in the data or the properties', () => {
    const r = cli(inst, ['validate', '--format', 'github', HOSTILE]);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^::(warning|error) file=[^,:]+,line=7,col=3,endLine=7,endColumn=\d+,title=SE204 unknown-field::unknown field `/);
    assert.match(lines[1], SUMMARY_LINE);
    assert.doesNotMatch(r.stdout, RAW);
    // The runner decodes %0A, %0D, %25 (and %3A, %2C in properties): the decoded text is still safe.
    const decoded = lines[0].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
    assert.doesNotMatch(decoded, RAW_ANY);
    assert.ok(decoded.includes(shown(HOSTILE_KEY)));
  });

  test('junit: no control character anywhere; the key escaped in the findings', () => {
    const r = cli(inst, ['validate', '--format', 'junit', HOSTILE]);
    assert.doesNotMatch(r.stdout.replace(/\n/g, ''), RAW);
    assert.ok(r.stdout.includes(`unknown field \`${shown(HOSTILE_KEY)}\``.replace(/&/g, '&amp;')));
  });

  test('json and sarif: escaped in the JSON text, exact once parsed', () => {
    for (const format of ['json', 'sarif']) {
      const r = cli(inst, ['validate', '--format', format, HOSTILE]);
      assert.doesNotMatch(r.stdout, RAW, format);
      const text = JSON.stringify(JSON.parse(r.stdout));
      assert.ok(text.includes(JSON.stringify(`unknown field \`${HOSTILE_KEY}\``).slice(1, -1)), `${format}: the message keeps the key`);
    }
  });

  test('normalize/convert: the change report on stderr is escaped (the converted text itself is data)', () => {
    const r = cli(inst, ['normalize', '--drop-unknown', HOSTILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, RAW);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0].startsWith(`${HOSTILE}: document 1: dropped /status/${shown(HOSTILE_KEY).replace(/~/g, '~0').replace(/\//g, '~1')}: `), true, lines[0]);
    assert.equal(lines[1], '1 file normalized: 1 ok, 0 failed, 1 changed');
    assert.doesNotMatch(r.stdout, /k\\nforged/, 'stdout is the document, without the dropped key');
  });

  test('file names: escaped in every line, on stdout and on stderr', () => {
    const dir = path.join(scratch, 'names');
    mkdirSync(dir);
    const evil = path.join(dir, 'evil\u001b]0;pwned\u0007\nfake.yaml:1:1 error SE999 x\u009b\u202e.yaml');
    writeFileSync(evil, endpointYaml({ pool: null })); // one warning
    for (const arg of [evil, dir]) {
      const r = cli(inst, ['validate', arg]);
      assert.equal(r.code, 0);
      assert.doesNotMatch(r.stdout, RAW);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2, r.stdout);
      assert.ok(lines[0].startsWith(`${shown(evil)}:12:13 warning SE306 `), lines[0]);
      assert.match(lines[1], SUMMARY_LINE);
    }
    const gh = cli(inst, ['validate', '--format', 'github', evil]).stdout;
    assert.doesNotMatch(gh, RAW);
    assert.equal(gh.trimEnd().split('\n').length, 2);
    const junit = cli(inst, ['validate', '--format', 'junit', evil]).stdout;
    assert.doesNotMatch(junit.replace(/\n/g, ''), RAW);
    // SARIF and JSON: the name is data (percent-encoded in the SARIF uri, a JSON string in the report).
    const sarif = cli(inst, ['validate', '--format', 'sarif', evil]).stdout;
    assert.doesNotMatch(sarif, RAW);
    assert.equal(decodeURIComponent(new URL(JSON.parse(sarif).runs[0].artifacts[0].location.uri).pathname), evil);
    assert.equal(JSON.parse(cli(inst, ['validate', '--format', 'json', evil]).stdout).results[0].file, evil);
    // Errors on stderr: one line, escaped.
    const missing = path.join(dir, 'missing\u001b]52;c;aGk=\u0007\n.yaml');
    let r = cli(inst, ['validate', missing]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `spiderendpoint: cannot read '${shown(missing)}': no such file or directory\n`);
    r = cli(inst, ['normalize', evil]);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stderr, RAW);
    assert.equal(r.stderr, '1 file normalized: 1 ok, 0 failed, 0 changed\n');
    r = cli(inst, ['validate', '--format', 'x\u001b]0;t\u0007\ny', evil]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "spiderendpoint: unknown format 'x\\u001b]0;t\\u0007\\ny' (expected text, json, sarif, github, junit)\n");
    r = cli(inst, ['validate', '--\u001b]0;t\u0007', evil]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "spiderendpoint: unknown option '--\\u001b]0;t\\u0007'\n");
    r = cli(inst, ['validate', '-o', path.join(dir, 'no-such-dir\u001b[2J', 'r.txt'), evil]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^spiderendpoint: cannot write '[^\n\u001b]*no-such-dir\\u001b\[2J\/r\.txt': no such directory\n$/);
  });
});

/** Lists a directory's entries (to show that no temporary file is left behind). */
const entries = (dir) => readdirSync(dir).sort();

describe('-o and --write: what the name refers to is kept', { timeout: 180_000 }, () => {
  const changing = endpointYaml({ vlan: 'null' }); // normalize defaults the vlan: the file changes
  const normalized = endpointYaml({ vlan: '0' });

  test('-o /dev/null leaves /dev/null a character device (validate and schema)', () => {
    assert.ok(statSync('/dev/null').isCharacterDevice());
    let r = cli(inst, ['validate', '-o', '/dev/null', 'examples/valid']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    r = cli(inst, ['schema', '-o', '/dev/null']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');
    assert.ok(!lstatSync('/dev/null').isFile());
  });

  test('schema -o /dev/stdout and -o - write standard output; /dev/stdout stays what it was', () => {
    const before = existsSync('/dev/stdout') ? lstatSync('/dev/stdout') : null;
    for (const target of ['/dev/stdout', '-']) {
      const r = cli(inst, ['schema', '-o', target]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(JSON.parse(r.stdout).$schema, /draft-07/);
    }
    if (before) {
      const now = lstatSync('/dev/stdout');
      assert.equal(now.isSymbolicLink(), before.isSymbolicLink());
      assert.equal(now.isFile(), false);
    }
  });

  test('normalize --write /dev/stdin (a pipe) writes into the pipe; /dev/stdin is not replaced', (t) => {
    if (!existsSync('/dev/stdin')) return t.skip('no /dev/stdin');
    const before = lstatSync('/dev/stdin');
    const input = path.join(scratch, 'stdin-input.yaml');
    writeFileSync(input, changing);
    // A shell pipeline, so that standard input is a real pipe (node's own child stdio is a socket).
    const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" normalize --write /dev/stdin', 'sh', input, inst.bin], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 rewritten$/m);
    const now = lstatSync('/dev/stdin');
    assert.equal(now.isSymbolicLink(), before.isSymbolicLink());
    assert.equal(now.isFile(), before.isFile());
    assert.equal(now.ino, before.ino);
  });

  test('a FIFO is written in place (read concurrently) and stays a FIFO', async () => {
    const dir = path.join(scratch, 'fifo');
    mkdirSync(dir);
    const fifo = path.join(dir, 'report.fifo');
    const out = path.join(dir, 'received.json');
    const mk = spawnSync('mkfifo', [fifo]);
    assert.equal(mk.status, 0, String(mk.stderr));
    const reader = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', fifo, out]);
    const done = new Promise((resolve) => reader.on('exit', resolve));
    const r = cli(inst, ['validate', '--format', 'json', '-o', fifo, 'examples/invalid/kind-typo.yaml']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(await done, 0);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).summary.errors, 1);
    assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    assert.deepEqual(entries(dir), ['received.json', 'report.fifo']);
  });

  test('a symlink is written through to its target, and stays a link (-o and --write, also dangling)', () => {
    const dir = path.join(scratch, 'links');
    const real = path.join(dir, 'real');
    mkdirSync(real, { recursive: true });
    const target = path.join(real, 'se.yaml');
    writeFileSync(target, changing);
    chmodSync(target, 0o640);
    const link = path.join(dir, 'se-link.yaml');
    symlinkSync('real/se.yaml', link);
    let r = cli(inst, ['normalize', '--write', link]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 rewritten$/m);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(link), 'real/se.yaml');
    assert.equal(readFileSync(target, 'utf8'), normalized);
    assert.equal(statSync(target).mode & 0o777, 0o640, 'the target keeps its mode');
    // -o through a link; and a dangling link gets its target created.
    const reportLink = path.join(dir, 'report-link.json');
    symlinkSync('real/report.json', reportLink);
    r = cli(inst, ['validate', '--format', 'json', '-o', reportLink, 'examples/invalid/kind-typo.yaml']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(lstatSync(reportLink).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(path.join(real, 'report.json'), 'utf8')).summary.errors, 1);
    r = cli(inst, ['validate', '--format', 'json', '-o', reportLink, 'examples/valid/list.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(reportLink).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(path.join(real, 'report.json'), 'utf8')).summary.errors, 0);
    assert.deepEqual(entries(dir), ['real', 'report-link.json', 'se-link.yaml'], 'no temporary files');
    assert.deepEqual(entries(real), ['report.json', 'se.yaml'], 'no temporary files');
  });

  test('a hard-linked file is rewritten in place: the links are preserved and all see the new content', () => {
    const dir = path.join(scratch, 'hardlinks');
    mkdirSync(dir);
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    writeFileSync(a, changing);
    linkSync(a, b);
    chmodSync(a, 0o604);
    const ino = statSync(a).ino;
    const r = cli(inst, ['normalize', '--write', a]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(a).nlink, 2, 'still two links');
    assert.equal(statSync(a).ino, ino, 'the same inode');
    assert.equal(statSync(b).ino, ino);
    assert.equal(readFileSync(b, 'utf8'), normalized, 'the other link sees the change');
    assert.equal(statSync(a).mode & 0o777, 0o604);
    // Also -o, with a shorter content than before (the rest is truncated).
    writeFileSync(a, 'x'.repeat(100_000));
    const o = cli(inst, ['validate', '--format', 'json', '-o', b, 'examples/invalid/kind-typo.yaml']);
    assert.equal(o.code, 1, o.stderr);
    assert.equal(JSON.parse(readFileSync(a, 'utf8')).summary.errors, 1);
    assert.equal(statSync(a).nlink, 2);
    assert.deepEqual(entries(dir), ['a.yaml', 'b.yaml']);
  });

  test('a regular file is replaced atomically with its mode (and, as root, its owner) kept', () => {
    const dir = path.join(scratch, 'regular');
    mkdirSync(dir);
    const f = path.join(dir, 'se.yaml');
    writeFileSync(f, changing);
    chmodSync(f, 0o604);
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (asRoot) chownSync(f, 65534, 65534);
    const before = statSync(f);
    let r = cli(inst, ['normalize', '--write', f]);
    assert.equal(r.code, 0, r.stderr);
    const after1 = statSync(f);
    assert.equal(readFileSync(f, 'utf8'), normalized);
    assert.notEqual(after1.ino, before.ino, 'a new inode: replaced by a rename, never half-written');
    assert.equal(after1.mode & 0o7777, 0o604, 'mode kept');
    assert.deepEqual([after1.uid, after1.gid], [before.uid, before.gid], 'owner and group kept');
    // -o over an existing report keeps its mode too.
    const rep = path.join(dir, 'report.txt');
    writeFileSync(rep, 'old');
    chmodSync(rep, 0o600);
    r = cli(inst, ['validate', '-o', rep, 'examples/valid/list.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(rep, 'utf8'), /^1 file, /);
    assert.equal(statSync(rep).mode & 0o777, 0o600);
    assert.deepEqual(entries(dir), ['report.txt', 'se.yaml'], 'no temporary files');
  });

  test('a directory as -o is refused and left alone', () => {
    const dir = path.join(scratch, 'a-dir');
    mkdirSync(dir);
    const r = cli(inst, ['validate', '-o', dir, 'examples/valid/list.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `spiderendpoint: cannot write '${dir}': is a directory\n`);
    assert.ok(statSync(dir).isDirectory());
    assert.deepEqual(entries(dir), []);
  });
});
