#!/usr/bin/env node
// Asks the installed kubectl how it reads YAML 1.1-sensitive spellings, and writes the answers to
// tests/oracle/kubectl-table.md (the reference the core's YAML 1.1 reader follows).
//
//   node tests/oracle/kubectl-probe.mjs            rewrite tests/oracle/kubectl-table.md
//   node tests/oracle/kubectl-probe.mjs --stdout   print the table instead
//   node tests/oracle/kubectl-probe.mjs --check    exit 1 when the committed table differs from kubectl
//
// Every row is one file read by `kubectl label --local -f FILE probe=x -o json`, which reads a manifest
// exactly as `kubectl apply -f FILE` does. Value rows put the spelling at `status.v` of a SpiderEndpoint,
// key rows put it as a key under `status`; document rows are whole files. The "expected" column is the
// claim the issue/brief made, where there was one; "✘" marks a row where kubectl says otherwise.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKubectl, readAll } from './kubectl-run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TABLE = path.join(HERE, 'kubectl-table.md');
const HEAD = 'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: probe\n';

// [spelling, expected (JSON text, or 'refused'), note]
const VALUES = {
  'Booleans': [
    ['yes', 'true'], ['Yes', 'true'], ['YES', 'true'], ['on', 'true'], ['On', 'true'], ['ON', 'true'],
    ['y', 'true'], ['Y', 'true'], ['TRUE', 'true'], ['True', 'true'], ['true', 'true'],
    ['no', 'false'], ['No', 'false'], ['NO', 'false'], ['off', 'false'], ['Off', 'false'], ['OFF', 'false'],
    ['n', 'false'], ['N', 'false'], ['False', 'false'], ['FALSE', 'false'], ['false', 'false'],
    ['yEs'], ['oN'], ['tRUE'],
  ],
  'Integers (octal, hex, binary, underscores, signs)': [
    ['010', '8'], ['+0755', '493'], ['-010'], ['0o17', '15'], ['0O17'], ['0o'], ['00'], ['08'], ['09'],
    ['0x1F', '31'], ['0X1F'], ['-0x1F'], ['+0x1F'], ['0x'], ['0x_1F'],
    ['-0b11', '-3'], ['0b101'], ['0B1'], ['0b'], ['0b1_0'],
    ['1_000', '1000'], ['1__0'], ['_1'], ['1_'], ['-0'], ['+0'], ['+1'], ['-1'],
    ['9223372036854775807'], ['9223372036854775808'], ['-9223372036854775808'], ['-9223372036854775809'],
    ['18446744073709551615'],
  ],
  'Floats': [
    ['10.0', '10'], ['1e1', '10'], ['1.5e3', '1500'], ['1.0e+3'], ['1e3'], ['1E3'], ['1e+3'], ['.5'], ['5.'],
    ['-.5'], ['0.0'], ['-0.0'], ['1.10'], ['1_000.5'], ['4094.0'], ['4094.5'],
    ['99999999999999999999', '100000000000000000000'], ['1e20'], ['1e21'], ['1e400', '"1e400"'], ['-1e400'],
    ['1e-400'],
  ],
  'Infinity and NaN': [
    ['.inf', 'refused'], ['-.inf'], ['+.inf'], ['.Inf'], ['.INF'], ['.nan', 'refused'], ['.NaN'], ['.NAN'],
    ['inf'], ['nan'],
  ],
  'Nulls and empty strings': [
    ['~'], ['null'], ['Null'], ['NULL'], ['nULL'], [''], ["''"], ['""'],
  ],
  'Sexagesimal numbers and timestamps': [
    ['12:30', '"12:30"'], ['1:20'], ['1:20:30'], ['-1:20'], ['190:20:30.15'],
    ['2022-07-29', '"2022-07-29"'], ['2022-07-29T08:54:12Z'], ['2001-12-14t21:59:43.10-05:00'],
    ['2001-12-14 21:59:43.10 -5'],
  ],
  'Tags': [
    ['!!binary aGk=', '"hi"'], ['!!binary /w==', null, 'byte 0xFF: not UTF-8, JSON-encoded as U+FFFD'],
    ['!custom x', '"x"'], ['!custom 12'], ['!custom yes'], ['!<tag:yaml.org,2002:str> 12'], ['!<tag:yaml.org,2002:int> 12'],
    ['!!str 010'], ['!!str yes'], ['!!str'], ['!!int "010"'], ['!!int 1.5'], ['!!int yes'],
    ['!!float 1'], ['!!float 010'], ['!!float "1e3"'], ['!!bool yes'], ['!!bool "on"'], ['!!bool 1'],
    ['!!null ""'], ['!!null x'], ['!!timestamp 2001-12-14'], ['!!timestamp x'],
    ['!!map {}'], ['!!seq []'], ['!!set {a}'], ['!!omap [a: 1]'], ['!!pairs [a: 1]'],
  ],
  'Other plain scalars': [
    ['='], ['<<'], ['"yes"'], ["'on'"], ['"010"'], ['Yes please'], ['1,000'], ['0.1.2'],
  ],
};

const KEYS = [
  ['on', '"true"'], ['n', '"false"'], ['yes'], ['Y'], ['off'], ['y'], ['N'], ['true'], ['False'],
  ['010'], ['0x1F'], ['1_000'], ['-0'], ['1.5'], ['10.0'], ['1e3'], ['99999999999999999999'], ['1e400'],
  ['.inf'], ['.nan'], ['~'], ['null'], ['""'], ['12:30'], ['2022-07-29'],
  ['!!str on'], ['!!binary aW50ZXJmYWNl'], ['!custom on'], ['"<<"'], ['&k on'],
];

const b = (s) => HEAD + s;
// [label, file text, expected ('refused' | 'accepted' | free text), note]
const DOCS = {
  'Document markers and directives': [
    ['`---` before the document', b('status: {p: 1}\n').replace(/^/, '---\n'), 'accepted'],
    ['`--- # comment`', '--- # c\n' + b('status: {p: 1}\n'), 'accepted'],
    ['`--- !!map` (content after the marker)', '--- !!map\n' + b('status: {p: 1}\n')],
    ['`---` followed by text (`---x: 1`)', '---x: 1\n' + b('status: {p: 1}\n')],
    ['`----`', '----\n' + b('status: {p: 1}\n')],
    ['`...` after the document', b('status: {p: 1}\n...\n'), 'accepted'],
    ['a file starting with `...`', '...\n' + b('status: {p: 1}\n'), 'refused'],
    ['`...` then a second document without `---`', b('status: {p: 1}\n...\n') + 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: second}\n', null, 'the second document is dropped silently (kubectl splits only on `---` lines; go-yaml reads the first document of each part)'],
    ['`...` then `---` and a second document', b('status: {p: 1}\n...\n---\n') + 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: second}\n'],
    ['`%YAML 1.2` directive', '%YAML 1.2\n---\n' + b('status: {p: 1}\n'), 'refused'],
    ['`%YAML 1.1` directive', '%YAML 1.1\n---\n' + b('status: {p: 1}\n'), null, 'kubectl splits the file at `---` first, so the directive is left alone in a part of its own: every directive is refused'],
    ['`%TAG` directive', '%TAG !e! tag:example.com,2000:\n---\n' + b('status: {p: !e!x 1}\n')],
    ['an empty document first (`---` `---`)', '---\n---\n' + b('status: {p: 1}\n')],
    ['a comment-only document first', '# only a comment\n---\n' + b('status: {p: 1}\n')],
    ['a `null` document first', 'null\n---\n' + b('status: {p: 1}\n')],
    ['a scalar document first', 'hello\n---\n' + b('status: {p: 1}\n')],
    ['byte order mark', '\ufeff' + b('status: {p: 1}\n')],
    ['CRLF line ends (`p: yes`)', b('status: {p: yes}\n').replace(/\n/g, '\r\n')],
    ['tab indentation', b('status:\n\tp: 1\n')],
    ['a `---` line inside a block scalar', b('status:\n  p: |\n    a\n    ---\n    b\n')],
  ],
  'Merge keys and anchors': [
    ['`<<: *anchor` (then an explicit key)', b('x: &b {p: 1, q: 2}\nstatus:\n  <<: *b\n  q: 3\n'), 'merged'],
    ['`<<: [*a, *b]` (both define q)', b('x: &a {p: 1, q: 2}\ny: &b {q: 5, r: 6}\nstatus:\n  <<: [*a, *b]\n'), null, 'the earlier map of the list wins'],
    ['explicit key *before* `<<` that also defines it', b('x: &b {p: 1}\nstatus:\n  p: 2\n  <<: *b\n'), null, 'go-yaml v2 applies `<<` where it stands: a later merge overrides an earlier explicit key (the merge spec says explicit keys always win)'],
    ['`<<: {p: 1}` inline, then `p: 2`', b('status:\n  <<: {p: 1}\n  p: 2\n')],
    ['`<<: 1` (a scalar)', b('status:\n  <<: 1\n')],
    ['`"<<": {p: 1}` (quoted key)', b('status:\n  "<<": {p: 1}\n')],
    ['`<<` in a sequence item', b('status:\n  ips:\n  - &n {interface: eth0, vlan: 0}\n  - <<: *n\n    interface: net1\n')],
    ['`- &a` anchor on a block mapping in a sequence', b('status:\n  ips:\n  - &a\n    p: 1\n  - *a\n')],
    ['anchor on a key, alias as a value', b('status:\n  &k p: 1\n  q: *k\n')],
    ['undefined alias', b('status:\n  q: *zz\n')],
    ['explicit key `? node` / `: x`', b('status:\n  ? node\n  : x\n')],
  ],
  'Duplicate keys': [
    ['`metadata.name` twice (no error: the last value wins, here and below)', 'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a\n  name: b\nstatus: {p: 1}\n'],
    ['a key twice in `status`', b('status:\n  p: 1\n  p: 2\n')],
    ['`status` twice at the top', b('status: {p: 1}\nstatus: {q: 1}\n')],
    ['a key twice in a flow mapping', b('status: {p: 1, p: 2}\n')],
    ['a label twice', 'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderEndpoint\nmetadata:\n  name: a\n  labels:\n    k: a\n    k: b\n'],
    ['`node:` and `!!binary bm9kZQ==:` (decodes to `node`)', b('status:\n  node: x\n  !!binary bm9kZQ==: y\n')],
    ['`1:` and `"1":` (equal after conversion to JSON)', b('status:\n  1: a\n  "1": b\n'), null, 'flaky'],
  ],
};

// status.v as kubectl printed it (raw JSON text: int64 values beyond 2^53 stay exact) and its type.
function valueOf(obj, raw) {
  const st = obj?.status;
  if (!st || typeof st !== 'object' || !('v' in st)) return { text: 'absent', type: '' };
  const v = st.v;
  if (typeof v === 'number') {
    const m = /"status": \{\s*"v": (-?[0-9][^,\s}]*)/.exec(raw);
    const text = m ? m[1] : String(v);
    // The API server decodes a JSON number as int64 when it is an integer literal that fits, else float64.
    const int = /^-?\d+$/.test(text) && BigInt(text) <= 9223372036854775807n && BigInt(text) >= -9223372036854775808n;
    return { text, type: int ? 'int64' : 'float64' };
  }
  const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
  return { text: JSON.stringify(v), type };
}

const clean = (s, file) => s.split(file).join('FILE').replace(/\s+/g, ' ').trim();
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
const code = (s) => {
  const t = cell(s);
  if (t === '') return '(empty)';
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
};

async function main() {
  const kubectl = findKubectl();
  if (!kubectl) {
    console.error('kubectl-probe: kubectl is not installed (run `make setup`)');
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'se-kubectl-probe-'));
  const rows = [];
  try {
    for (const [group, list] of Object.entries(VALUES)) {
      for (const [spelling, expected, note] of list) rows.push({ kind: 'value', group, spelling, expected, note, text: b(`status:\n  v: ${spelling}\n`) });
    }
    for (const [spelling, expected] of KEYS) rows.push({ kind: 'key', group: 'Keys', spelling, expected, text: b(`status:\n  ${spelling}: v\n`) });
    for (const [group, list] of Object.entries(DOCS)) {
      for (const [label, text, expected, extra] of list) {
        rows.push({ kind: 'doc', group, spelling: label, expected, text, flaky: extra === 'flaky', note: extra === 'flaky' ? undefined : extra });
      }
    }
    const files = rows.map((r, i) => {
      const f = path.join(dir, `p${String(i).padStart(4, '0')}.yaml`);
      writeFileSync(f, r.text);
      return f;
    });
    const res = await readAll(kubectl, files, rows.map((r) => r.kind !== 'doc'));
    rows.forEach((r, i) => {
      const k = res[i];
      r.file = files[i];
      if (!k.ok) { r.result = `refused: ${clean(k.error, files[i])}`; r.short = 'refused'; return; }
      if (r.kind === 'value') {
        const v = valueOf(k.objects[0], k.raw[0]);
        r.short = v.text;
        r.result = v.type ? `${v.text} (${v.type})` : v.text;
      } else if (r.kind === 'key') {
        const keys = Object.keys(k.objects[0]?.status ?? {});
        r.short = keys.map((x) => JSON.stringify(x)).join(', ');
        r.result = `key ${r.short}`;
      } else {
        r.short = 'accepted';
        const show = (o) => { const { apiVersion, kind, ...rest } = o; return JSON.stringify(rest); };
        r.result = r.flaky
          ? 'accepted, 1 object; which value survives changes from run to run (Go map order: both keys become "1" when converted to JSON)'
          : `accepted, ${k.objects.length} object${k.objects.length === 1 ? '' : 's'}: ${k.objects.map(show).join(' ')}`;
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const verdict = (r) => {
    if (r.expected == null) return '';
    if (r.expected === 'merged') return r.short === 'accepted' ? '✔' : '✘';
    return r.short === r.expected ? '✔' : '✘';
  };
  const out = [];
  out.push('# How kubectl reads YAML (verified)', '');
  out.push(`Generated by \`node tests/oracle/kubectl-probe.mjs\` with kubectl ${kubectl.version}; do not edit by hand.`);
  out.push('Each row is one file read by `kubectl label --local -f FILE probe=x -o json`, which reads a manifest exactly');
  out.push('as `kubectl apply -f FILE` does, offline (resource builder: split on `---` lines, then sigs.k8s.io/yaml =');
  out.push('go-yaml v2 with YAML 1.1 scalars, YAML -> JSON, unstructured decoding with ObjectMeta). Value rows put the');
  out.push('spelling at `status.v`, key rows put it as a key under `status:`, document rows are whole files. Numbers are');
  out.push('shown exactly as kubectl prints them in JSON, with the type the API server decodes that JSON number to');
  out.push('(int64 for an integer literal that fits, else float64). "expected" is the claim of issue 9 / the brief, where');
  out.push('it made one: ✔ kubectl agrees, ✘ kubectl says otherwise (the "kubectl reads" column is the truth).', '');
  out.push('What kubectl does *not* check: unknown fields and the CRD schema (the API server does, with');
  out.push('`fieldValidation=Strict` sent by `kubectl apply` since 1.27). Duplicate keys: go-yaml v2 keeps the last');
  out.push('value and kubectl converts to JSON before sending, so the API server never sees YAML duplicates (see');
  out.push('kubernetes/kubernetes#125885: duplicate `containers` collapsed client-side under `fieldValidation=Strict`).');
  out.push('The differential test (tests/oracle/kubectl.test.mjs) nevertheless counts duplicate keys as a failure, as');
  out.push('issue 9 asks.', '');
  out.push('Other kubectl releases (checked when this table was made): 1.27.16 and 1.33.1 give the same table (one error');
  out.push('message starts with a capital U in 1.27). Debian bookworm\'s kubernetes-client 1.20.2 (the `make setup` fallback)');
  out.push('differs in the document separator rows only (besides that capital U): it accepts `--- !!map` (a separator');
  out.push('followed by a tag, as YAML allows), reads `---x: 1` as a key `---x` of the document, and refuses `----` with');
  out.push('"mapping values are not allowed in this context". kubectl 1.27 and later refuse all three ("invalid Yaml');
  out.push('document separator").', '');
  let group = null;
  for (const r of rows) {
    if (r.group !== group) {
      if (group !== null) out.push('');
      group = r.group;
      out.push(`## ${group}`, '');
      if (r.kind === 'doc') out.push('| document | kubectl reads | expected | |', '|---|---|---|---|');
      else out.push(`| ${r.kind === 'key' ? 'key' : 'spelling'} | kubectl reads | expected | |`, '|---|---|---|---|');
    }
    const first = r.kind === 'doc' ? cell(r.spelling) : code(r.spelling);
    const note = r.note ? ` — ${r.note}` : '';
    out.push(`| ${first} | ${cell(r.result)}${note} | ${r.expected == null ? '' : code(r.expected)} | ${verdict(r)} |`);
  }
  out.push('');
  const md = out.join('\n');
  if (process.argv.includes('--stdout')) process.stdout.write(md);
  else if (process.argv.includes('--check')) {
    let old = '';
    try { old = readFileSync(TABLE, 'utf8'); } catch { /* absent */ }
    const body = (s) => s.split('\n').filter((l) => !l.startsWith('Generated by')).join('\n');
    if (body(old) !== body(md)) { console.error('kubectl-table.md differs from what kubectl says now'); process.exit(1); }
    console.log('kubectl-table.md matches kubectl');
  } else {
    writeFileSync(TABLE, md);
    console.log(`wrote ${path.relative(process.cwd(), TABLE)}: ${rows.length} rows, ${rows.filter((r) => verdict(r) === '✘').length} where kubectl contradicts the expectation`);
  }
}

await main();
