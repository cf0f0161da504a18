// Text from the input that would act on a terminal or a CI log (a name written as "\e]0;pwned\a\e[2J" in
// a double-quoted YAML string: an OSC title change, a bell, a screen clear) reaches no output raw, in any
// format or command: it is shown escaped (\u001b), and JSON-based formats give the exact value once parsed.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, installPackage } from './helpers.mjs';

const inst = installPackage(after);
const dir = mkdtempSync(path.join(tmpdir(), 'se-cli-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NAME = '\u001b]0;pwned\u0007\u001b[2J'; // the value the YAML escapes below decode to
const doc = (uid) => `apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: "\\e]0;pwned\\a\\e[2J"
  namespace: default
status:
  current:
    uid: ${uid}
    node: "\\e]0;pwned\\a\\e[2J"
    ips:
    - interface: eth0
      ipv4: 10.6.0.1/16
      ipv4Pool: default-v4
      vlan: 0
  ownerControllerType: Pod
  ownerControllerName: "\\e]0;pwned\\a\\e[2J"
`;
// Two files: the name is also in a finding across files (SE315, with the other file's location).
writeFileSync(path.join(dir, 'a.yaml'), doc('e7b50a38-25c2-41d0-b332-000000000001'));
writeFileSync(path.join(dir, 'b.yaml'), doc('e7b50a38-25c2-41d0-b332-000000000002'));
const run = (args) => cli(inst, args, { cwd: dir, env: { FORCE_COLOR: '' } });

// Control characters other than the newline (and the tab of a diff), C1 controls, bidi controls.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('a name with terminal escape sequences', () => {
  for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
    test(`validate -f ${format}: nothing raw on stdout or stderr; the name shown escaped`, () => {
      const r = run(['validate', '-v', '--max-warnings', '0', '-f', format, 'a.yaml', 'b.yaml']);
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stdout, RAW);
      assert.doesNotMatch(r.stderr, RAW);
      assert.ok(r.stdout.includes('\\u001b]0;pwned\\u0007\\u001b[2J'), r.stdout.slice(0, 2000));
      if (format === 'json' || format === 'sarif') {
        assert.ok(r.stdout.includes(JSON.stringify(NAME).slice(1, -1)));
        const texts = JSON.stringify(JSON.parse(r.stdout));
        assert.ok(texts.includes(JSON.stringify(NAME).slice(1, -1)), 'the exact value once parsed');
      }
      if (format === 'text') {
        const dup = r.stdout.split('\n').find((l) => l.includes(' SE315 '));
        assert.ok(dup && dup.startsWith('b.yaml:') && dup.includes('a.yaml:'), dup);
      }
    });
  }

  test('--fix-dry-run, normalize and convert: nothing raw on either stream', () => {
    for (const args of [['validate', '--fix-dry-run', 'a.yaml'], ['normalize', 'a.yaml'], ['convert', '--to', 'v1', 'a.yaml'], ['normalize', '-f', 'json', 'a.yaml']]) {
      const r = run(args);
      assert.doesNotMatch(r.stdout, RAW, args.join(' '));
      assert.doesNotMatch(r.stderr, RAW, args.join(' '));
    }
  });

  test('a file name with escape sequences, in the template reason and every format', () => {
    const name = `t\u001b[2Jpl.yaml`;
    writeFileSync(path.join(dir, name), 'a: {{ .x }}\n');
    for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
      const r = run(['validate', '-f', format, name]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, RAW, format);
      assert.match(r.stdout, /skipped/);
    }
  });
});
