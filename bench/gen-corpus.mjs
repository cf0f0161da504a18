#!/usr/bin/env node
// Deterministic benchmark corpus of SpiderEndpoint v2beta1 objects, shaped like `kubectl get se -o yaml`.
//
//   node bench/gen-corpus.mjs [--count 10000] [--seed 20261127] [--invalid-rate 0.01] [--out target/bench]
//
// Writes into the output folder (default <repo>/target/bench):
//   corpus.yaml          multi-document YAML stream, one SpiderEndpoint per document ("---" between documents)
//   corpus.json          the same objects as `kubectl get se -A -o json` prints them (a v1 List, 4-space indent)
//   editor-1k.yaml       the first whole documents of the stream, about 1,000 lines (editor latency, small file)
//   editor-50k-list.yaml a `kind: List` as `kubectl get se -A -o yaml` prints it, about 50,000 lines
//   corpus.meta.json     seed, counts, sizes, what was generated (shares, planted mistakes)
//
// How Spiderpool fills the object (docs: shared/docs/spiderpool-upstream.md §2, §6, §8) is followed:
// one object per Pod (name = Pod name, or the VMI name for KubeVirt), finalizer spiderpool.spidernet.io,
// a non-controller ownerReference to the Pod except for StatefulSet and VirtualMachineInstance endpoints,
// current.uid = Pod UID, one ips[] entry per NIC with IPv4 and IPv6 merged, addresses in CIDR form with the
// pool subnet's prefix, pools always next to their address, bare gateways inside the subnet, cleanGateway only
// next to a gateway, pool routes with dst a CIDR of the same family and gw inside the subnet, vlan always written
// (0 unless an IaaS provider set it, then often with a mac), addresses unique across the whole corpus.
// A small share of documents (--invalid-rate) carries one realistic mistake each, so that error paths run too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { count: 10000, seed: 20261127, invalidRate: 0.01, out: join(ROOT, 'target', 'bench'),
    editorSmallLines: 1000, editorLargeLines: 50000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--count') o.count = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--invalid-rate') o.invalidRate = Number(v());
    else if (a === '--out') o.out = resolve(v());
    else if (a === '-h' || a === '--help') { console.log('usage: gen-corpus.mjs [--count N] [--seed N] [--invalid-rate F] [--out DIR]'); process.exit(0); }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.count) || o.count < 1) throw new Error('--count must be a positive integer');
  return o;
}

// ---------------------------------------------------------------- seeded PRNG (sfc32, seeded by splitmix32)
function makeRng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    weighted: (pairs) => { // [[value, weight], ...]
      let total = 0; for (const [, w] of pairs) total += w;
      let x = next() * total;
      for (const [v, w] of pairs) { if ((x -= w) < 0) return v; }
      return pairs[pairs.length - 1][0];
    },
    hex: (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(next() * 16)]; return s; },
    // Kubernetes' utilrand.String alphabet (no vowels, no ambiguous characters)
    kstr: (n) => { const al = 'bcdfghjklmnpqrstvwxz2456789'; let s = ''; for (let i = 0; i < n; i++) s += al[Math.floor(next() * al.length)]; return s; },
    uuid: () => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${'89ab'[Math.floor(next() * 4)]}${rng.hex(3)}-${rng.hex(12)}`,
  };
  return rng;
}

// ---------------------------------------------------------------- addresses
const v4ToInt = (s) => s.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
const intToV4 = (n) => [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.');
// IPv6 prefix given as its first 4 hextets ("fd00:10:6:0"), host part < 2^32 → compact RFC 5952 text
function v6(prefix4, host) {
  const groups = prefix4.split(':').map((g) => parseInt(g, 16));
  groups.push(0, 0, Math.floor(host / 65536) % 65536, host % 65536);
  // RFC 5952: compress the longest run (>= 2) of zero groups, first one on ties
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i; while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hx = groups.map((g) => g.toString(16));
  if (best < 0) return hx.join(':');
  return `${hx.slice(0, best).join(':')}::${hx.slice(best + bestLen).join(':')}`;
}

// Pools (SpiderIPPool stand-ins): subnet, gateway, pool routes. Addresses are handed out sequentially with random
// gaps, so they are unique across the corpus like real allocations from one pool.
function makePools(rng) {
  const pools = {};
  const def4 = (name, base, prefix, opts = {}) => {
    pools[name] = { family: 4, name, base: v4ToInt(base), prefix, next: opts.start ?? 10, gwHost: opts.gwHost ?? 1,
      gateway: opts.gateway === false ? null : intToV4(v4ToInt(base) + (opts.gwHost ?? 1)), routes: opts.routes ?? [], vlan: opts.vlan ?? 0 };
  };
  const def6 = (name, prefix4, opts = {}) => {
    pools[name] = { family: 6, name, prefix4, prefix: 64, next: opts.start ?? 0x100, gwHost: opts.gwHost ?? 1,
      gateway: opts.gateway === false ? null : v6(prefix4, opts.gwHost ?? 1), routes: opts.routes ?? [], vlan: opts.vlan ?? 0 };
  };
  // eth0 (cluster default / underlay) pools: 10.x.0.0/16 like a macvlan/ipvlan underlay with a gateway
  def4('default-v4-ippool', '10.6.0.0', 16);
  def6('default-v6-ippool', 'fd00:10:6:0');
  def4('prod-v4-ippool', '10.7.0.0', 16, { routes: [{ dst: '10.96.0.0/12', gw: '10.7.0.1' }] });
  def6('prod-v6-ippool', 'fd00:10:7:0', { routes: [{ dst: 'fd00:10:96::/112', gw: 'fd00:10:7::1' }] });
  def4('infra-v4-ippool', '10.8.0.0', 16, { gwHost: 254 });
  def6('infra-v6-ippool', 'fd00:10:8:0', { gwHost: 0xfe });
  def4('vm-v4-ippool', '10.9.0.0', 16, { routes: [{ dst: '10.233.0.0/18', gw: '10.9.0.1' }, { dst: '192.168.0.0/16', gw: '10.9.0.1' }] });
  def6('vm-v6-ippool', 'fd00:10:9:0');
  def4('batch-v4-ippool', '10.12.0.0', 16, { gateway: false });
  def6('batch-v6-ippool', 'fd00:10:12:0', { gateway: false });
  // net1 (Multus macvlan, storage/replication network) and net2 (SR-IOV, east-west) pools
  def4('macvlan-v4-ippool', '172.16.0.0', 16, { routes: [{ dst: '172.20.0.0/16', gw: '172.16.0.1' }] });
  def6('macvlan-v6-ippool', 'fd00:172:16:0', { routes: [{ dst: 'fd00:172:20::/64', gw: 'fd00:172:16::1' }] });
  def4('storage-v4-ippool', '172.18.0.0', 16, { gateway: false });
  def6('storage-v6-ippool', 'fd00:172:18:0', { gateway: false });
  def4('sriov-v4-ippool', '172.17.0.0', 16, { routes: [{ dst: '172.21.0.0/16', gw: '172.17.0.1' }, { dst: '172.22.0.0/16', gw: '172.17.0.1' }] });
  def6('sriov-v6-ippool', 'fd00:172:17:0');
  // IaaS-provider pools (v1.2+): non-zero VLAN, the provider also returns a MAC
  def4('iaas-vlan120-v4', '10.120.0.0', 16, { vlan: 120 });
  def6('iaas-vlan120-v6', 'fd00:10:120:0', { vlan: 120 });
  def4('iaas-vlan230-v4', '10.230.0.0', 16, { vlan: 230 });
  def6('iaas-vlan230-v6', 'fd00:10:230:0', { vlan: 230 });
  const alloc = (pool) => {
    pool.next += rng.chance(0.15) ? rng.int(2, 9) : 1; // released addresses leave gaps
    if (pool.next === pool.gwHost) pool.next++; // a pool never hands out its own gateway
    if (pool.family === 4) return { ip: intToV4(pool.base + pool.next), cidr: `${intToV4(pool.base + pool.next)}/${pool.prefix}` };
    const ip = v6(pool.prefix4, pool.next);
    return { ip, cidr: `${ip}/${pool.prefix}` };
  };
  return { pools, alloc };
}

// ---------------------------------------------------------------- workloads and endpoints
const NAMESPACES = [
  ['default', 6], ['prod-web', 14], ['prod-payments', 9], ['prod-search', 7], ['staging', 10], ['dev', 6],
  ['data-platform', 8], ['ml-training', 5], ['monitoring', 5], ['logging', 4], ['ingress-nginx', 3],
  ['kube-system', 3], ['kubevirt-vms', 4], ['batch', 5], ['telco-cnf', 6], ['storage', 3],
];
const APP_WORDS = ['web', 'api', 'gateway', 'frontend', 'checkout', 'cart', 'search', 'indexer', 'auth', 'billing',
  'ledger', 'kafka', 'zookeeper', 'redis', 'postgres', 'etcd', 'prometheus', 'alertmanager', 'fluent-bit', 'loki',
  'upf', 'smf', 'amf', 'nginx', 'envoy', 'worker', 'scheduler', 'reporter', 'exporter', 'trainer', 'notebook'];
const SUFFIX = ['', '', '', '-v2', '-canary', '-internal', '-edge', '-east', '-west', '-primary', '-replica'];
const NODES = [...Array.from({ length: 48 }, (_, i) => `worker-${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 8 }, (_, i) => `gpu-node-${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 8 }, (_, i) => `edge-10-20-${i + 1}-${10 + i}`)];

// NIC layouts: [eth0 pool pair, net1 pool pair?, net2 pool pair?]
const ETH0 = [[['default-v4-ippool', 'default-v6-ippool'], 40], [['prod-v4-ippool', 'prod-v6-ippool'], 30],
  [['infra-v4-ippool', 'infra-v6-ippool'], 12], [['batch-v4-ippool', 'batch-v6-ippool'], 8],
  [['iaas-vlan120-v4', 'iaas-vlan120-v6'], 2.5], [['iaas-vlan230-v4', 'iaas-vlan230-v6'], 1.5]];
const NET1 = [[['macvlan-v4-ippool', 'macvlan-v6-ippool'], 60], [['storage-v4-ippool', 'storage-v6-ippool'], 40]];
const NET2 = [[['sriov-v4-ippool', 'sriov-v6-ippool'], 85], [['iaas-vlan230-v4', 'iaas-vlan230-v6'], 15]];

function makeWorkloads(rng, target) {
  const workloads = [];
  const used = new Set();
  let pods = 0;
  while (pods < target) {
    // weights per workload, chosen so that the share of endpoints comes out near Deployment 50 %, DaemonSet 20 %,
    // StatefulSet 13 %, Job 9 %, Pod 4 %, VirtualMachineInstance 4 % (DaemonSets have many Pods each)
    const type = rng.weighted([['Deployment', 9.3], ['StatefulSet', 4.3], ['DaemonSet', 0.55], ['Job', 2.8], ['Pod', 4], ['VirtualMachineInstance', 4]]);
    const namespace = type === 'VirtualMachineInstance' ? 'kubevirt-vms' : rng.weighted(NAMESPACES.filter(([n]) => n !== 'kubevirt-vms'));
    let name;
    do {
      name = type === 'VirtualMachineInstance' ? `vm-${rng.pick(['rhel9', 'ubuntu2404', 'win2022', 'fedora', 'debian12'])}-${rng.kstr(4)}`
        : `${rng.pick(APP_WORDS)}${rng.pick(SUFFIX)}${rng.chance(0.3) ? '-' + rng.pick(APP_WORDS) : ''}`;
    } while (used.has(`${namespace}/${name}`));
    used.add(`${namespace}/${name}`);
    const replicas = type === 'Deployment' ? rng.weighted([[1, 15], [2, 25], [3, 30], [5, 15], [8, 8], [20, 5], [50, 2]])
      : type === 'StatefulSet' ? rng.weighted([[1, 20], [3, 60], [5, 20]])
      : type === 'DaemonSet' ? rng.int(8, NODES.length)
      : type === 'Job' ? rng.weighted([[1, 70], [4, 20], [16, 10]])
      : 1;
    const family = rng.weighted([['dual', 80], ['v4', 15], ['v6', 5]]);
    const nics = rng.weighted([[1, 70], [2, 22], [3, 8]]);
    const layout = [rng.weighted(type === 'VirtualMachineInstance' ? [[['vm-v4-ippool', 'vm-v6-ippool'], 1]] : ETH0)];
    if (nics >= 2) layout.push(rng.weighted(NET1));
    if (nics >= 3) layout.push(rng.weighted(NET2));
    const cleanGw = layout.map((_, i) => (i === 0 ? (rng.chance(0.1) ? true : false) : rng.chance(0.75)));
    // Pod annotation ipam.spidernet.io/routes (extra routes on the NIC whose subnet holds gw)
    const extraRoutes = rng.chance(0.12) ? rng.int(1, 2) : 0;
    const labels = rng.chance(0.2) ? { 'app.kubernetes.io/name': name.split('-')[0], ...(rng.chance(0.5) ? { team: rng.pick(['payments', 'search', 'platform', 'data', 'sre']) } : {}) } : null;
    workloads.push({ type, namespace, name, replicas, family, layout, cleanGw, extraRoutes, labels,
      rsHash: rng.kstr(rng.pick([9, 10])), unnamedNics: nics === 3 && rng.chance(0.04) });
    pods += replicas;
  }
  return workloads;
}

const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);
const ts = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function buildEndpoint(rng, w, ordinal, env) {
  const podUid = rng.uuid();
  let name;
  switch (w.type) {
    case 'Deployment': name = `${w.name}-${w.rsHash}-${rng.kstr(5)}`; break;
    case 'StatefulSet': name = `${w.name}-${ordinal}`; break;
    case 'DaemonSet': case 'Job': name = `${w.name}-${rng.kstr(5)}`; break;
    default: name = w.name; // bare Pod; KubeVirt: the endpoint is named after the VMI
  }
  const node = w.type === 'DaemonSet' ? NODES[ordinal % NODES.length]
    : w.layout[0][0].startsWith('iaas') || w.type === 'Job' && w.name.includes('trainer') ? rng.pick(NODES.slice(48, 56)) : rng.pick(NODES);
  const released = w.type === 'Job' && rng.chance(0.08); // completed Job Pod: ips set to [] on release
  const ips = [];
  if (!released) {
    w.layout.forEach(([p4, p6], nic) => {
      const pool4 = env.pools[p4], pool6 = env.pools[p6];
      const e = { };
      const iface = nic === 0 ? 'eth0' : (w.unnamedNics && nic === 2 ? '' : `net${nic}`);
      const hasV4 = w.family !== 'v6', hasV6 = w.family !== 'v4';
      const a4 = hasV4 ? env.alloc(pool4) : null, a6 = hasV6 ? env.alloc(pool6) : null;
      const gw4 = hasV4 && pool4.gateway, gw6 = hasV6 && pool6.gateway;
      // kubectl prints keys sorted: cleanGateway, interface, ipv4, ipv4Gateway, ipv4Pool, ipv6, ipv6Gateway, ipv6Pool, mac, routes, vlan
      if (gw4 || gw6) e.cleanGateway = w.cleanGw[nic];
      e.interface = iface;
      if (a4) { e.ipv4 = a4.cidr; if (gw4) e.ipv4Gateway = pool4.gateway; e.ipv4Pool = pool4.name; }
      if (a6) { e.ipv6 = a6.cidr; if (gw6) e.ipv6Gateway = pool6.gateway; e.ipv6Pool = pool6.name; }
      const vlan = (hasV4 ? pool4 : pool6).vlan;
      if (vlan !== 0) e.mac = `fa:16:3e:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`;
      const routes = [];
      if (hasV4) routes.push(...pool4.routes);
      if (hasV6) routes.push(...pool6.routes);
      if (nic === 0 && w.extraRoutes) {
        const gwA = hasV4 ? pool4 : pool6;
        const gwIp = gwA.family === 4 ? intToV4(gwA.base + 1) : v6(gwA.prefix4, 1);
        const dsts = gwA.family === 4 ? ['192.168.100.0/24', '203.0.113.0/24'] : ['fd00:dead:beef::/48', '2001:db8:100::/48'];
        for (let i = 0; i < w.extraRoutes; i++) routes.push({ dst: dsts[i], gw: gwIp });
      }
      if (routes.length) e.routes = routes.map((r) => ({ dst: r.dst, gw: r.gw }));
      e.vlan = vlan;
      ips.push(e);
    });
  }
  const created = T0 + Math.floor(rng.next() * 60 * 86400e3);
  const metadata = {};
  if (rng.chance(0.05)) {
    metadata.annotations = rng.pick([
      { 'backup.velero.io/backup-name': `nightly-${ts(created).slice(0, 10).replace(/-/g, '')}` },
      { 'example.com/ticket': `NET-${rng.int(1000, 9999)}`, 'example.com/reviewed': 'true' },
      { 'ipam.spidernet.io/exported-by': 'se-backup/1.4.2' },
    ]);
  }
  metadata.creationTimestamp = ts(created);
  metadata.finalizers = ['spiderpool.spidernet.io'];
  metadata.generation = rng.weighted([[1, 85], [2, 10], [3, 5]]);
  if (w.labels) metadata.labels = { ...w.labels };
  metadata.name = name;
  metadata.namespace = w.namespace;
  if (w.type !== 'StatefulSet' && w.type !== 'VirtualMachineInstance') {
    metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name, uid: podUid }];
  }
  metadata.resourceVersion = String(env.rv += rng.int(1, 400));
  metadata.uid = rng.uuid();
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderEndpoint',
    metadata,
    status: {
      current: { ips, node, uid: podUid },
      ownerControllerName: w.name,
      ownerControllerType: w.type,
    },
  };
}

// One realistic mistake per selected document; returns the kind of mistake.
function plantMistake(rng, obj, env) {
  const st = obj.status, cur = st.current, nic = cur.ips[0];
  const kinds = ['vlan-out-of-range', 'missing-uid', 'missing-owner-type', 'route-missing-gw', 'gateway-outside-subnet',
    'ip-without-prefix', 'vlan-as-string', 'duplicate-ip'];
  const kind = rng.pick(nic ? kinds : ['missing-uid', 'missing-owner-type']);
  switch (kind) {
    case 'vlan-out-of-range': nic.vlan = 4095; break;
    case 'missing-uid': delete cur.uid; break;
    case 'missing-owner-type': delete st.ownerControllerType; break;
    case 'route-missing-gw': (nic.routes ??= []).push({ dst: '10.250.0.0/16' }); break;
    case 'vlan-as-string': nic.vlan = '0'; break;
    case 'gateway-outside-subnet':
      if (nic.ipv4Gateway) nic.ipv4Gateway = '192.0.2.1'; else if (nic.ipv6Gateway) nic.ipv6Gateway = '2001:db8::1'; else { nic.vlan = 4095; return 'vlan-out-of-range'; }
      break;
    case 'ip-without-prefix':
      if (nic.ipv4) nic.ipv4 = nic.ipv4.split('/')[0]; else nic.ipv6 = nic.ipv6.split('/')[0];
      break;
    case 'duplicate-ip':
      if (env.lastV4 && nic.ipv4) nic.ipv4 = env.lastV4; else { delete cur.uid; return 'missing-uid'; }
      break;
  }
  // keep kubectl's sorted key order inside the NIC after edits
  if (nic) for (const k of Object.keys(nic).sort()) { const v = nic[k]; delete nic[k]; nic[k] = v; }
  return kind;
}

// ---------------------------------------------------------------- kubectl-style YAML emitter (go-yaml v2 look)
const RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\.inf|\.Inf|\.INF|-\.inf|\.nan|\.NaN|\.NAN)$/;
function scalar(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  const s = String(v);
  if (s === '' || RESERVED.test(s)
    || /^[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?$/.test(s) && /\d/.test(s) // int/float
    || /^[-+]?0x[0-9a-fA-F_]+$|^[-+]?0o?[0-7_]+$|^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$/.test(s) // hex/octal/sexagesimal
    || /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/.test(s) // timestamp
    || /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^-[^\s]/.test(s) || /^[-?:]$/.test(s)
    || /:\s|\s#|:$|\s$|[\n\t"\\]/.test(s)) {
    return JSON.stringify(s);
  }
  return s;
}
function emitYaml(value, indent = '') {
  let out = '';
  const isObj = (x) => x !== null && typeof x === 'object';
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObj(item) && !Array.isArray(item) && Object.keys(item).length) {
        const body = emitYaml(item, indent + '  ');
        out += `${indent}- ${body.slice(indent.length + 2)}`;
      } else if (Array.isArray(item) && item.length) {
        out += `${indent}-\n${emitYaml(item, indent + '  ')}`;
      } else {
        out += `${indent}- ${isObj(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}\n`;
      }
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    const key = scalar(k);
    if (Array.isArray(v)) out += v.length ? `${indent}${key}:\n${emitYaml(v, indent)}` : `${indent}${key}: []\n`;
    else if (isObj(v)) out += Object.keys(v).length ? `${indent}${key}:\n${emitYaml(v, indent + '  ')}` : `${indent}${key}: {}\n`;
    else out += `${indent}${key}: ${scalar(v)}\n`;
  }
  return out;
}

// ---------------------------------------------------------------- main
function main() {
  const opt = parseArgs(process.argv.slice(2));
  const rng = makeRng(opt.seed);
  const { pools, alloc } = makePools(rng);
  const env = { pools, alloc, rv: 48213377, lastV4: null };
  const workloads = makeWorkloads(rng, opt.count);
  // Pods of all workloads, interleaved the way `kubectl get se -A` lists them (sorted by namespace, then name)
  const objs = [];
  for (const w of workloads) {
    for (let i = 0; i < w.replicas && objs.length < opt.count; i++) {
      const o = buildEndpoint(rng, w, i, env);
      objs.push(o);
    }
    if (objs.length >= opt.count) break;
  }
  objs.sort((a, b) => (a.metadata.namespace < b.metadata.namespace ? -1 : a.metadata.namespace > b.metadata.namespace ? 1
    : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const mistakes = {};
  const planted = [];
  let invalidDocs = 0;
  for (const [index, o] of objs.entries()) {
    if (rng.chance(opt.invalidRate)) {
      const k = plantMistake(rng, o, env);
      mistakes[k] = (mistakes[k] ?? 0) + 1;
      planted.push({ index, namespace: o.metadata.namespace, name: o.metadata.name, mistake: k });
      invalidDocs++;
    }
    const first = o.status.current.ips[0];
    if (first?.ipv4) env.lastV4 = first.ipv4;
  }

  mkdirSync(opt.out, { recursive: true });
  const docs = objs.map((o) => emitYaml(o));
  const yamlText = docs.join('---\n');
  const list = { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
  const jsonText = JSON.stringify(list, null, 4) + '\n';

  // editor files: whole documents up to ~N lines
  const lines = (s) => s.split('\n').length - 1;
  let small = '', smallDocs = 0;
  for (const d of docs) {
    if (smallDocs && lines(small) + 4 + lines(d) > opt.editorSmallLines) break;
    small += (smallDocs ? '---\n' : '') + d; smallDocs++;
  }
  const listHead = 'apiVersion: v1\nitems:\n', listTail = 'kind: List\nmetadata:\n  resourceVersion: ""\n';
  let largeItems = [], largeLines = lines(listHead) + lines(listTail);
  for (let i = 0; ; i++) {
    const item = emitYaml([objs[i % objs.length]], '');
    if (largeLines + lines(item) > opt.editorLargeLines) break;
    largeItems.push(item); largeLines += lines(item);
  }
  const large = listHead + largeItems.join('') + listTail;

  const files = {
    'corpus.yaml': yamlText, 'corpus.json': jsonText, 'editor-1k.yaml': small, 'editor-50k-list.yaml': large,
  };
  for (const [f, t] of Object.entries(files)) writeFileSync(join(opt.out, f), t);
  const count = (pred) => objs.filter(pred).length;
  const meta = {
    generator: 'bench/gen-corpus.mjs', seed: opt.seed, documents: objs.length, invalidRate: opt.invalidRate,
    invalidDocuments: invalidDocs, mistakes, planted,
    files: Object.fromEntries(Object.entries(files).map(([f, t]) => [f, { bytes: Buffer.byteLength(t), lines: lines(t) }])),
    editor: { smallDocuments: smallDocs, largeListItems: largeItems.length },
    shares: {
      ownerControllerType: Object.fromEntries(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod', 'VirtualMachineInstance']
        .map((t) => [t, count((o) => o.status.ownerControllerType === t)])),
      nics: Object.fromEntries([0, 1, 2, 3].map((n) => [n, count((o) => o.status.current.ips.length === n)])),
      dualStackFirstNic: count((o) => o.status.current.ips[0]?.ipv4 && o.status.current.ips[0]?.ipv6),
      withRoutes: count((o) => o.status.current.ips.some((e) => e.routes)),
      nonZeroVlan: count((o) => o.status.current.ips.some((e) => e.vlan !== 0)),
      withOwnerReferences: count((o) => o.metadata.ownerReferences),
    },
  };
  writeFileSync(join(opt.out, 'corpus.meta.json'), JSON.stringify(meta, null, 2) + '\n');
  console.log(`corpus: ${objs.length} documents, ${(meta.files['corpus.yaml'].bytes / 1e6).toFixed(2)} MB YAML, `
    + `${(meta.files['corpus.json'].bytes / 1e6).toFixed(2)} MB JSON, ${invalidDocs} with a planted mistake -> ${opt.out}`);
}

export { emitYaml, makeRng };
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
