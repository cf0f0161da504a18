// Seeded generator of YAML variants of valid SpiderEndpoint documents, for the kubectl differential test.
//
// Each variant takes one base document (examples/valid, both apiVersions), re-emits it in block style with
// unambiguous spellings, and changes it in one way of one class: scalar values respelled with YAML
// 1.1-sensitive spellings (booleans, octal/hex/binary/underscored/signed integers, integral and huge floats,
// .inf/.nan, nulls, tags, timestamps, sexagesimal numbers), keys respelled, document markers, directives,
// merge keys, duplicate keys, unknown keys. The generator does not predict what kubectl reads: the test asks
// kubectl. It only records what it did (class, notes) and whether it wrote duplicate keys on purpose (kubectl
// keeps the last one silently; issue 9 counts them as a failure of strict field validation).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, 'package.json'));
const yaml = require('js-yaml');

export const BASES = [
  'v1-replicaset.yaml',
  'v1-statefulset.yaml',
  'v2beta1-reference.yaml',
  'v2beta1-multi-nic.yaml',
  'v2beta1-query-api.yaml',
];

// ---------------------------------------------------------------------------------------------------------
// Seeded PRNG (xorshift32), as in crd-oracle.test.mjs.
export function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (a) => a[Math.floor(next() * a.length)];
  next.chance = (p) => next() < p;
  return next;
}

// ---------------------------------------------------------------------------------------------------------
// A small YAML node model and a block-style emitter. Nodes:
//   {t:'map', entries:[{k:{v, raw?, explicit?}, v:node}], anchor?}
//   {t:'seq', items:[node], anchor?}
//   {t:'scalar', v, raw?}   raw: the exact text written (tags, anchors and all)
//   {t:'raw', text}         an inline value written as is (`*a`, `{uid: x}`, `[*a, *b]`)
function toNode(v) {
  if (Array.isArray(v)) return { t: 'seq', items: v.map(toNode) };
  if (v && typeof v === 'object') return { t: 'map', entries: Object.entries(v).map(([k, x]) => ({ k: { v: k }, v: toNode(x) })) };
  return { t: 'scalar', v };
}

const AMBIGUOUS_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<|=)$/;
// A string is written plain only when YAML 1.1 (js-yaml's YAML11_SCHEMA, stricter than go-yaml v2 where they
// differ, e.g. sexagesimal numbers) and YAML 1.2 (core schema) both read it back as that same string.
const plainCache = new Map();
function plainSafe(s) {
  if (plainCache.has(s)) return plainCache.get(s);
  let ok = /^[A-Za-z0-9][A-Za-z0-9_./:-]*$/.test(s) && !AMBIGUOUS_WORDS.test(s) && !/:$/.test(s);
  if (ok) {
    for (const schema of [yaml.CORE_SCHEMA, yaml.YAML11_SCHEMA]) {
      try { if (yaml.load(`x: ${s}`, { schema }).x !== s) ok = false; } catch { ok = false; }
    }
  }
  plainCache.set(s, ok);
  return ok;
}

export function spell(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return plainSafe(v) ? v : JSON.stringify(v);
  return String(v);
}

const isInline = (n) => n.t === 'scalar' || n.t === 'raw' || (n.t === 'map' && n.entries.length === 0) || (n.t === 'seq' && n.items.length === 0);
function inline(n) {
  const a = n.anchor ? `&${n.anchor} ` : '';
  if (n.t === 'scalar') return n.raw ?? spell(n.v);
  if (n.t === 'raw') return n.text;
  return a + (n.t === 'map' ? '{}' : '[]');
}

function emitEntries(map, indent, lines) {
  const pad = ' '.repeat(indent);
  for (const e of map.entries) {
    const k = e.k.raw ?? spell(e.k.v);
    if (e.k.explicit) {
      lines.push(`${pad}? ${k}`);
      const t = inline(e.v);
      lines.push(t === '' ? `${pad}:` : `${pad}: ${t}`);
      continue;
    }
    if (isInline(e.v)) {
      const t = inline(e.v);
      lines.push(t === '' ? `${pad}${k}:` : `${pad}${k}: ${t}`);
    } else {
      lines.push(`${pad}${k}:${e.v.anchor ? ` &${e.v.anchor}` : ''}`);
      if (e.v.t === 'map') emitEntries(e.v, indent + 2, lines);
      else emitSeq(e.v, indent + 2, lines);
    }
  }
}

function emitSeq(seq, indent, lines) {
  const pad = ' '.repeat(indent);
  for (const item of seq.items) {
    if (isInline(item)) {
      const t = inline(item);
      lines.push(t === '' ? `${pad}-` : `${pad}- ${t}`);
    } else if (item.t === 'map') {
      if (item.anchor) {
        lines.push(`${pad}- &${item.anchor}`);
        emitEntries(item, indent + 2, lines);
      } else {
        const sub = [];
        emitEntries(item, indent + 2, sub);
        sub[0] = `${pad}- ${sub[0].slice(indent + 2)}`;
        lines.push(...sub);
      }
    } else {
      lines.push(`${pad}-${item.anchor ? ` &${item.anchor}` : ''}`);
      emitSeq(item, indent + 2, lines);
    }
  }
}

export function emit(root) {
  const lines = [];
  emitEntries(root, 0, lines);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// Scalar leaves of a node tree: [{node, path, field, container}] (field: the nearest mapping key).
function leaves(root) {
  const out = [];
  const walk = (n, p, field) => {
    if (n.t === 'map') for (const e of n.entries) walk(e.v, `${p}/${e.k.v}`, e.k.v);
    else if (n.t === 'seq') n.items.forEach((x, i) => walk(x, `${p}/${i}`, field));
    else if (n.t === 'scalar') out.push({ node: n, path: p, field });
  };
  walk(root, '', '');
  return out;
}

// Mappings of a tree with their paths (for key respellings, duplicates, unknown fields, merges).
function maps(root) {
  const out = [];
  const walk = (n, p) => {
    if (n.t === 'map') { out.push({ node: n, path: p || '/' }); for (const e of n.entries) walk(e.v, `${p}/${e.k.v}`); }
    else if (n.t === 'seq') n.items.forEach((x, i) => walk(x, `${p}/${i}`));
  };
  walk(root, '');
  return out;
}

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const kindOf = (v) => (v === null ? 'null' : typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'bool' : 'string');

// ---------------------------------------------------------------------------------------------------------
// Spelling classes for scalar values. Each returns the text to write for a leaf whose value is `v`.
const BOOLS_T = ['yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y', 'True', 'TRUE'];
const BOOLS_F = ['no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N', 'False', 'FALSE'];

export const VALUE_CLASSES = {
  bool: (v, r) => (typeof v === 'boolean' ? r.pick(v ? BOOLS_T : BOOLS_F) : r.pick([...BOOLS_T, ...BOOLS_F])),
  octal: (v, r) => {
    if (typeof v === 'number' && v >= 0) {
      const o = v.toString(8);
      return r.pick([`0${o}`, `+0${o}`, `0o${o}`, `0O${o}`, `00${o}`]);
    }
    return r.pick(['010', '+0755', '0o17', '-010', '08', '09', '00', '0o']);
  },
  hex: (v, r) => {
    if (typeof v === 'number' && v >= 0) {
      const h = v.toString(16);
      return r.pick([`0x${h}`, `0X${h.toUpperCase()}`, `0x_${h}`, `+0x${h}`]);
    }
    return r.pick(['0x1F', '0X1F', '-0x1F', '0x_1F', '0x']);
  },
  binary: (v, r) => {
    if (typeof v === 'number' && v >= 0) return r.pick([`0b${v.toString(2)}`, `0B${v.toString(2)}`, `+0b${v.toString(2)}`]);
    return r.pick(['0b101', '-0b11', '0B1', '0b1_0', '0b']);
  },
  underscore: (v, r) => {
    if (typeof v === 'number' && v >= 0) {
      const s = String(v);
      return r.pick([`${s}_`, s.length > 1 ? `${s[0]}_${s.slice(1)}` : `0_${s}`, `${s[0]}__${s.slice(1)}`, `${s}_0`.replace(/^0_?0$/, '0_0')]);
    }
    return r.pick(['1_000', '1__0', '_1', '1_', '1_000.5']);
  },
  signed: (v, r) => {
    if (typeof v === 'number') return r.pick([`+${v}`, v === 0 ? '-0' : `+0${v.toString(8)}`, `+${v}`]);
    return r.pick(['+1', '-1', '-0', '+0', '+0x1F']);
  },
  'float-integral': (v, r) => {
    if (typeof v === 'number') return r.pick([`${v}.0`, `${v}.`, `${v}e0`, `${v}E+0`, v === 0 ? '-0.0' : `${v / 10}e1`, v === 0 ? '0e5' : `${v}.000`]);
    return r.pick(['10.0', '1e1', '1.5e3', '1.0e+3', '1E3', '5.', '.5']);
  },
  'float-huge': (v, r) => {
    if (typeof v === 'number' && r.chance(0.3)) return '1e-400'; // underflows to 0
    return r.pick(['99999999999999999999', '1e400', '-1e400', '9223372036854775808', '18446744073709551615', '1e21', '1E400']);
  },
  'inf-nan': (v, r) => r.pick(['.inf', '-.inf', '+.inf', '.Inf', '.INF', '.nan', '.NaN', '.NAN', 'inf', 'nan', '.infinity']),
  null: (v, r) => r.pick(['~', 'null', 'Null', 'NULL', '', '!!null ""', '!!null']),
  tag: (v, r) => {
    switch (kindOf(v)) {
      case 'string': return r.pick([`!!str ${spell(v)}`, `!custom ${spell(v)}`, `!<tag:yaml.org,2002:str> ${spell(v)}`, `!!binary ${b64(v) || '""'}`, `!!timestamp ${spell(v)}`, `!local ${JSON.stringify(v)}`]);
      case 'int': return r.pick([`!!int "${v}"`, `!!float ${v}`, `!!int ${v}`, `!!str ${v}`, '!!int 1.5', `!custom ${v}`, `!!float "${v}.0"`]);
      case 'bool': return r.pick([`!!bool ${v ? 'yes' : 'no'}`, `!!bool "${v ? 'on' : 'off'}"`, `!!str ${v}`, '!!bool 1', `!custom ${v}`]);
      default: return r.pick(['!!null ""', '!!str', '!!null x']);
    }
  },
  timestamp: (v, r) => {
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return r.pick([v, v.replace('T', 't'), v.replace('T', ' ').replace('Z', ' Z'), v.slice(0, 10)]);
    return r.pick(['2022-07-29', '2022-07-29T08:54:12Z', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2002-12-14']);
  },
  sexagesimal: (v, r) => r.pick(['12:30', '1:20', '1:20:30', '-1:20', '190:20:30.15', '0:0']),
  quoted: (v, r) => {
    if (typeof v === 'string') return r.pick([`"${v}"`, `'${v}'`, `"${v.replace(/./, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`]);
    return r.pick([`"${v}"`, `'${v}'`]);
  },
};

// Spelling classes that suit a value kind best (a leaf of that kind is preferred for the class).
const PREFERS = {
  bool: ['bool'], octal: ['int'], hex: ['int'], binary: ['int'], underscore: ['int'], signed: ['int'],
  'float-integral': ['int'], 'float-huge': ['int', 'string'], 'inf-nan': ['int'], null: ['string', 'int', 'bool'],
  tag: ['string', 'int', 'bool'], timestamp: ['string'], sexagesimal: ['string', 'int'], quoted: ['string', 'int', 'bool'],
};

// Key spellings. Harmless ones keep the key; sensitive ones turn it into another key (unknown field).
const KEY_HARMLESS = [
  (k) => ({ raw: JSON.stringify(k) }),
  (k) => ({ raw: `'${k}'` }),
  (k) => ({ raw: `!!str ${k}` }),
  (k) => ({ raw: `!!binary ${b64(k)}` }),
  (k) => ({ raw: `!custom ${k}` }),
  (k) => ({ raw: k, explicit: true }),
  (k, r) => ({ raw: `&k${r.int(1000)} ${k}` }),
];
const KEY_SENSITIVE = ['on', 'y', 'n', 'yes', 'No', 'off', 'Y', '010', '0x1F', '1_0', '1e3', '10.0', '12:30', '2022-07-29', '.inf', '~', 'null', '"<<"', '!!int "7"'];

// ---------------------------------------------------------------------------------------------------------
function loadBase(file) {
  const text = readFileSync(path.join(ROOT, 'examples/valid', file), 'utf8');
  const obj = yaml.load(text);
  return { file, obj, api: obj.apiVersion.split('/')[1] };
}

const clone = (x) => structuredClone(x);

function respellLeaf(leaf, cls, r) {
  const text = VALUE_CLASSES[cls](leaf.node.v, r);
  leaf.node.raw = text;
  return `${leaf.path}: ${JSON.stringify(leaf.node.v)} -> ${text === '' ? '(empty)' : text}`;
}

function pickLeaf(all, cls, r) {
  const prefer = PREFERS[cls] ?? [];
  const good = all.filter((l) => prefer.includes(kindOf(l.node.v)) && !/^\/(apiVersion|kind)$/.test(l.path));
  if (good.length && r.chance(0.85)) return r.pick(good);
  return r.pick(all);
}

function findMap(root, p) { return maps(root).find((m) => m.path === p)?.node; }
function entry(map, key) { return map?.entries.find((e) => e.k.v === key); }

// The NIC lists of a base: /status/current/ips (and v1 /status/history/N/ips).
function nicLists(root) {
  return maps(root).map((m) => m.path).filter((p) => /\/ips\/\d+$/.test(p)).map((p) => p.replace(/\/\d+$/, ''))
    .filter((p, i, a) => a.indexOf(p) === i);
}

function seqAt(root, p) {
  let n = root;
  for (const part of p.split('/').filter(Boolean)) {
    if (n.t === 'map') n = entry(n, part)?.v;
    else if (n.t === 'seq') n = n.items[Number(part)];
    if (!n) return null;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Structural classes: each takes (root node, base, r) and returns {text, notes, dup?, single?}.
const UNKNOWN_NAMES = {
  v1: { '/status': ['ownerControllerKind', 'uid', 'creationTime'], current: ['uid', 'Node', 'ips4'], nic: ['mac', 'ipv4gateway', 'gateway', 'vLan'], route: ['via', 'Dst'] },
  v2beta1: { '/status': ['history', 'creationTime', 'ownerControllerKind'], current: ['containerID', 'creationTime', 'Node'], nic: ['ipv4gateway', 'gateway', 'vLan', 'Mac'], route: ['via', 'Dst'] },
};

function otherDoc(name) {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
}

export const STRUCTURAL = {
  docmarker: (root, base, r, i) => {
    const doc = emit(root);
    const forms = [
      ['`---` first', () => `---\n${doc}`, true],
      ['`--- # comment` first', () => `--- # the document\n${doc}`, true],
      ['`...` at the end', () => `${doc}...\n`, true],
      ['`---` first and `...` at the end', () => `---\n${doc}...\n`, true],
      ['a file starting with `...`', () => `...\n${doc}`, true],
      ['an empty document first', () => `---\n---\n${doc}`, false],
      ['a comment-only document first', () => `# nothing here\n---\n${doc}`, false],
      ['a trailing empty document', () => `${doc}---\n`, false],
      ['`--- !!map` first (content after the marker)', () => `--- !!map\n${doc}`, true],
      ['`----` first', () => `----\n${doc}`, true],
      ['a ConfigMap after `---`', () => `${doc}---\n${otherDoc('side-car')}`, false],
      ['an invalid second endpoint after `...` without `---`', () => `${doc}...\n${doc.replace(/^( +vlan: ).*$/m, (_, k) => `${k}5000`).replace(/^status:$/m, 'status:\n  bogus: 1')}`, false],
      ['a byte order mark', () => `\ufeff${doc}`, true],
      ['CRLF line ends', () => doc.replace(/\n/g, '\r\n'), true],
      ['`---` inside a block scalar annotation', () => doc.replace(/^metadata:\n/m, 'metadata:\n  annotations:\n    note: |\n      a\n      ---\n      b\n'), true],
    ];
    const [note, make, single] = forms[i % forms.length];
    // kubectl < 1.27 (e.g. Debian's kubernetes-client 1.20) accepts a `---` line with content after it.
    const sensitive = /`--- !!map`|`----`/.test(note) ? 'separator' : undefined;
    return { text: make(), notes: [note], single, sensitive };
  },
  directive: (root, base, r, i) => {
    const doc = emit(root);
    const forms = [
      ['%YAML 1.2', `%YAML 1.2\n---\n${doc}`],
      ['%YAML 1.1', `%YAML 1.1\n---\n${doc}`],
      ['%TAG', `%TAG !e! tag:example.com,2000:\n---\n${doc}`],
      ['%TAG used', `%TAG !e! tag:example.com,2000:\n---\n${doc.replace(/^kind: (.*)$/m, 'kind: !e!kind $1')}`],
      ['a reserved directive', `%FOO bar\n---\n${doc}`],
      ['%YAML 1.1 without `---`', `%YAML 1.1\n${doc}`],
    ];
    const [note, text] = forms[i % forms.length];
    return { text, notes: [note], single: true };
  },
  merge: (root, base, r, i) => {
    const notes = [];
    const cur = findMap(root, '/status/current');
    const lists = nicLists(root);
    const forms = [];
    // <<: {inline map} carrying some keys of status.current
    if (cur) forms.push(() => {
      const movable = cur.entries.filter((e) => e.v.t === 'scalar');
      const moved = movable.filter(() => r.chance(0.6)).slice(0, 3);
      if (!moved.length && movable.length) moved.push(movable[0]);
      cur.entries = cur.entries.filter((e) => !moved.includes(e));
      cur.entries.unshift({ k: { v: '<<', raw: '<<' }, v: { t: 'raw', text: `{${moved.map((e) => `${spell(e.k.v)}: ${e.v.raw ?? spell(e.v.v)}`).join(', ')}}` } });
      notes.push(`status.current: ${moved.map((e) => e.k.v).join(', ')} moved into \`<<: {...}\``);
    });
    // NIC 1 = <<: *nic0 plus its own values (merge from an anchor)
    const multi = lists.map((p) => seqAt(root, p)).find((s) => s && s.items.length >= 2);
    if (multi) forms.push(() => {
      multi.items[0].anchor = 'nic0';
      const second = multi.items[1];
      second.entries.unshift({ k: { v: '<<', raw: '<<' }, v: { t: 'raw', text: '*nic0' } });
      notes.push('ips[1] starts with `<<: *nic0` (it inherits the keys it does not set)');
    });
    // v1: history[0] = <<: *current
    const hist = seqAt(root, '/status/history');
    if (cur && hist && hist.items.length) forms.push(() => {
      cur.anchor = 'cur';
      hist.items[0] = { t: 'map', entries: [{ k: { v: '<<', raw: '<<' }, v: { t: 'raw', text: '*cur' } }] };
      notes.push('status.history[0] is `<<: *cur`');
    });
    // explicit key, then a merge that also defines it (go-yaml v2 lets the later merge win)
    const nicPath = lists[0] && `${lists[0]}/0`;
    const nic = nicPath && findMap(root, nicPath);
    if (nic) forms.push(() => {
      const bad = r.chance(0.5);
      const vl = entry(nic, 'vlan');
      if (vl) vl.v = { t: 'scalar', v: bad ? 0 : 5000 };
      else nic.entries.push({ k: { v: 'vlan' }, v: { t: 'scalar', v: bad ? 0 : 5000 } });
      nic.entries.push({ k: { v: '<<', raw: '<<' }, v: { t: 'raw', text: `{vlan: ${bad ? 5000 : 0}}` } });
      notes.push(`${nicPath}: \`vlan: ${bad ? 0 : 5000}\` then \`<<: {vlan: ${bad ? 5000 : 0}}\` (explicit key before the merge)`);
    });
    // merge list: earlier maps win
    if (nic) forms.push(() => {
      nic.entries = nic.entries.filter((e) => e.k.v !== 'vlan');
      nic.entries.push({ k: { v: '<<', raw: '<<' }, v: { t: 'raw', text: r.chance(0.5) ? '[{vlan: 7}, {vlan: 5000}]' : '[{vlan: 5000}, {vlan: 7}]' } });
      notes.push(`${nicPath}: vlan only from a merge list`);
    });
    // a merge with a scalar value (refused) and a quoted "<<" (a plain key)
    if (nic) forms.push(() => {
      const quoted = r.chance(0.5);
      nic.entries.push({ k: { v: '<<', raw: quoted ? '"<<"' : '<<' }, v: { t: 'raw', text: quoted ? '{vlan: 1}' : '1' } });
      notes.push(quoted ? `${nicPath}: \`"<<": {vlan: 1}\` (quoted: a plain key)` : `${nicPath}: \`<<: 1\``);
    });
    // an alias of a scalar anchor
    const node = entry(cur ?? { entries: [] }, 'node');
    if (node && node.v.t === 'scalar') forms.push(() => {
      const own = findMap(root, '/status');
      node.v.raw = `&n ${spell(node.v.v)}`;
      const ocn = entry(own, 'ownerControllerName');
      if (ocn) { ocn.v = { t: 'raw', text: '*n' }; notes.push('ownerControllerName: *n (alias of the node name)'); }
      else notes.push('an unused anchor on status.current.node');
    });
    forms[i % forms.length]();
    return { text: emit(root), notes, single: true };
  },
  duplicate: (root, base, r, i) => {
    const notes = [];
    const all = maps(root).filter((m) => m.node.entries.some((e) => e.v.t === 'scalar'));
    const m = r.pick(all);
    const scalars = m.node.entries.filter((e) => e.v.t === 'scalar');
    const e = r.pick(scalars);
    const form = i % 4;
    const at = m.node.entries.indexOf(e);
    if (form === 0) {
      m.node.entries.splice(at + 1, 0, { k: { ...e.k }, v: { ...e.v } });
      notes.push(`${m.path}: \`${e.k.v}\` twice, same value`);
    } else if (form === 1) {
      m.node.entries.push({ k: { ...e.k }, v: { t: 'scalar', v: typeof e.v.v === 'number' ? e.v.v + 1 : typeof e.v.v === 'boolean' ? !e.v.v : `${e.v.v}x` } });
      notes.push(`${m.path}: \`${e.k.v}\` twice, the last one differs`);
    } else if (form === 2) {
      m.node.entries.push({ k: { v: e.k.v, raw: `!!binary ${b64(e.k.v)}` }, v: { ...e.v } });
      notes.push(`${m.path}: \`${e.k.v}\` and \`!!binary ${b64(e.k.v)}\` (the same key once decoded)`);
    } else {
      m.node.entries.splice(at, 0, { k: { v: e.k.v, raw: JSON.stringify(e.k.v) }, v: { t: 'scalar', v: typeof e.v.v === 'string' ? `${e.v.v}-first` : e.v.v } });
      notes.push(`${m.path}: \`"${e.k.v}"\` then \`${e.k.v}\` (quoted and plain spelling of one key)`);
    }
    return { text: emit(root), notes, single: true, dup: true };
  },
  unknown: (root, base, r) => {
    const names = UNKNOWN_NAMES[base.api];
    const targets = [];
    const st = findMap(root, '/status');
    if (st) targets.push(['/status', st, names['/status']]);
    const cur = findMap(root, '/status/current');
    if (cur) targets.push(['/status/current', cur, names.current]);
    for (const m of maps(root)) {
      if (/\/ips\/\d+$/.test(m.path)) targets.push([m.path, m.node, names.nic]);
      if (/\/routes\/\d+$/.test(m.path)) targets.push([m.path, m.node, names.route]);
    }
    const meta = findMap(root, '/metadata');
    if (meta && r.chance(0.1)) { targets.length = 0; targets.push(['/metadata', meta, ['labelz', 'Name', 'uid_']]); }
    const [p, m, list] = r.pick(targets);
    const name = r.pick(list.filter((n) => !m.entries.some((e) => e.k.v === n)));
    const value = r.pick([{ t: 'scalar', v: 'x' }, { t: 'scalar', v: null }, { t: 'scalar', v: 1 }, { t: 'scalar', v: '10.0.0.1' }, { t: 'map', entries: [] }]);
    m.entries.splice(r.int(m.entries.length + 1), 0, { k: { v: name }, v: value });
    return { text: emit(root), notes: [`${p}: unknown field \`${name}\`: ${value.t === 'map' ? '{}' : spell(value.v)}`], single: true };
  },
  key: (root, base, r) => {
    const notes = [];
    const candidates = [];
    for (const m of maps(root)) for (const e of m.node.entries) candidates.push([m.path, e]);
    const n = 1 + r.int(2);
    for (let i = 0; i < n; i++) {
      const [p, e] = r.pick(candidates);
      if (e.k.raw !== undefined || e.k.explicit) continue;
      if (r.chance(0.6)) {
        const s = r.pick(KEY_HARMLESS)(e.k.v, r);
        if (s.explicit && e.v.t !== 'scalar') { e.k.raw = JSON.stringify(e.k.v); notes.push(`${p}: key "${e.k.v}" double-quoted`); continue; }
        Object.assign(e.k, s);
        notes.push(`${p}: key \`${e.k.v}\` written ${s.explicit ? `\`? ${s.raw}\`` : `\`${s.raw}\``}`);
      } else {
        const s = r.pick(KEY_SENSITIVE);
        notes.push(`${p}: key \`${e.k.v}\` replaced by \`${s}\``);
        e.k.raw = s;
      }
    }
    if (!notes.length) return STRUCTURAL.key(root, base, r);
    return { text: emit(root), notes, single: true };
  },
};

// ---------------------------------------------------------------------------------------------------------
/**
 * The variants: [{id, cls, base, api, text, notes, single, dup}]. `single`: the file holds exactly one
 * non-empty document (kubectl may read it in a batch). `dup`: duplicate keys written on purpose.
 *   - a coverage pass: every scalar leaf of every base respelled once (value classes in turn);
 *   - `perClass` more variants of each value class (1-3 leaves each) and of each structural class.
 */
export function generateVariants({ seed = 0x5EED, perClass = 10, structuralPerClass = 16 } = {}) {
  const r = rng(seed);
  const bases = BASES.map(loadBase);
  const out = [];
  const add = (cls, base, v) => out.push({ id: out.length, cls, base: base.file, api: base.api, dup: false, single: true, ...v });
  const classes = Object.keys(VALUE_CLASSES);

  let turn = 0;
  for (const base of bases) {
    const count = leaves(toNode(base.obj)).length;
    for (let i = 0; i < count; i++) {
      const root = toNode(clone(base.obj));
      const leaf = leaves(root)[i];
      const cls = classes[turn++ % classes.length];
      const note = respellLeaf(leaf, cls, r);
      add(cls, base, { text: emit(root), notes: [note] });
    }
  }
  for (const cls of classes) {
    const fit = bases.filter((b) => leaves(toNode(b.obj)).some((l) => (PREFERS[cls] ?? []).includes(kindOf(l.node.v))));
    for (let i = 0; i < perClass; i++) {
      // Mostly a base that has a leaf of the kind the class suits (only one example has a boolean).
      const base = fit.length && r.chance(0.7) ? r.pick(fit) : bases[i % bases.length];
      const root = toNode(clone(base.obj));
      const all = leaves(root);
      const n = 1 + r.int(3);
      const notes = [];
      const used = new Set();
      for (let j = 0; j < n; j++) {
        const leaf = pickLeaf(all, cls, r);
        if (used.has(leaf)) continue;
        used.add(leaf);
        notes.push(respellLeaf(leaf, cls, r));
      }
      add(cls, base, { text: emit(root), notes });
    }
  }
  for (const [cls, make] of Object.entries(STRUCTURAL)) {
    for (let i = 0; i < structuralPerClass; i++) {
      const base = bases[(i + cls.length) % bases.length];
      const root = toNode(clone(base.obj));
      add(cls, base, make(root, base, r, Math.floor(i / 2) + (i % 2) * 7));
    }
  }
  return out;
}

/** The base documents re-emitted without changes (the generator's own sanity check). */
export function baseTexts() {
  return BASES.map(loadBase).map((b) => ({ file: b.file, api: b.api, text: emit(toNode(b.obj)), obj: b.obj }));
}
