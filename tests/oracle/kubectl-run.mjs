// Running the installed kubectl as an offline YAML reader (no cluster, no kubeconfig needed).
//
// `kubectl label --local -f FILE probe=x -o json` reads FILE exactly as `kubectl apply -f FILE` does (the
// resource builder: document splitting on `---` lines, sigs.k8s.io/yaml = go-yaml v2 YAML 1.1 scalars,
// YAML -> JSON, unstructured decoding with ObjectMeta) and prints every object it read, or the error.
//
// Speed: one kubectl process costs 40-140 ms, so files are read in batches (`-f a -f b -f c ...`): kubectl
// reads every file even when one fails, prints the objects in `-f` order, and names each failing file on
// stderr. A batch is only attributed file by file when that is unambiguous (every file single-document,
// object count = files that did not fail); otherwise its files are re-run one by one.
import { spawn, spawnSync } from 'node:child_process';

export const PROBE_LABEL = 'probe';

/** The kubectl on PATH, or null when there is none (or it does not run). */
export function findKubectl() {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return null;
  try {
    const v = JSON.parse(r.stdout).clientVersion;
    return { bin: 'kubectl', version: v.gitVersion, minor: Number(String(v.minor).replace(/\D.*$/, '')) };
  } catch {
    return { bin: 'kubectl', version: 'unknown', minor: NaN };
  }
}

function run(bin, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '/dev/null' } });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Splits kubectl's `-o json` output (pretty objects one after the other) into parsed values. */
export function parseJsonStream(text) {
  return splitJsonStream(text).map((t) => JSON.parse(t));
}

/** The text of each top-level JSON value of kubectl's output (numbers exactly as kubectl printed them). */
export function splitJsonStream(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

/** Removes the probe label kubectl added (and `labels` when only the probe was in it). */
export function stripProbe(obj) {
  const labels = obj?.metadata?.labels;
  if (labels && typeof labels === 'object') {
    delete labels[PROBE_LABEL];
    if (Object.keys(labels).length === 0) delete obj.metadata.labels;
  }
  return obj;
}

/** One file read by kubectl on its own: {ok, objects, raw, error} (raw: kubectl's JSON text per object). `ok` is false when kubectl exited non-zero. */
export async function readOne(kubectl, file) {
  const r = await run(kubectl.bin, ['label', '--local', '-f', file, `${PROBE_LABEL}=x`, '-o', 'json']);
  let objects = [];
  let raw = [];
  try {
    raw = splitJsonStream(r.stdout);
    objects = raw.map((t) => stripProbe(JSON.parse(t)));
  } catch (e) {
    return { ok: false, objects: [], raw: [], error: `unparsable kubectl output: ${e.message}\n${r.stdout}` };
  }
  const error = r.stderr.trim().replace(/^error: /, '');
  return { ok: r.code === 0, objects, raw, error: r.code === 0 ? '' : error || `exit ${r.code}` };
}

/**
 * Reads every file; `single[i]` says file i holds exactly one non-empty document (so it may be batched).
 * Returns one {ok, objects, error} per file, in order. `stats` counts kubectl processes.
 */
export async function readAll(kubectl, files, single, { batch = 40, concurrency = 2, stats = { processes: 0 } } = {}) {
  const results = new Array(files.length);
  const jobs = [];
  let group = [];
  const flush = () => { if (group.length) jobs.push(group); group = []; };
  files.forEach((f, i) => {
    if (!single[i]) { flush(); jobs.push([i]); return; }
    group.push(i);
    if (group.length >= batch) flush();
  });
  flush();

  async function doJob(idx) {
    if (idx.length === 1) {
      stats.processes++;
      results[idx[0]] = await readOne(kubectl, files[idx[0]]);
      return;
    }
    stats.processes++;
    const args = ['label', '--local'];
    for (const i of idx) args.push('-f', files[i]);
    args.push(`${PROBE_LABEL}=x`, '-o', 'json');
    const r = await run(kubectl.bin, args);
    let objects = null;
    let raw = null;
    try {
      raw = splitJsonStream(r.stdout);
      objects = raw.map((t) => stripProbe(JSON.parse(t)));
    } catch { objects = null; }
    // stderr: one line per failing file (prefixed `error: ` when only one failed); each names its file.
    const lines = r.stderr.split('\n').map((l) => l.replace(/^error: /, '')).filter((l) => l.trim());
    const failed = new Map();
    let unattributed = false;
    for (const l of lines) {
      const hits = idx.filter((i) => l.includes(files[i]));
      if (hits.length === 1) failed.set(hits[0], (failed.get(hits[0]) ? `${failed.get(hits[0])}\n` : '') + l);
      else unattributed = true;
    }
    const okIdx = idx.filter((i) => !failed.has(i));
    if (objects && !unattributed && objects.length === okIdx.length && (r.code === 0) === (failed.size === 0)) {
      okIdx.forEach((i, k) => { results[i] = { ok: true, objects: [objects[k]], raw: [raw[k]], error: '' }; });
      for (const [i, e] of failed) results[i] = { ok: false, objects: [], raw: [], error: e };
      return;
    }
    // Ambiguous: read each file alone.
    for (const i of idx) { stats.processes++; results[i] = await readOne(kubectl, files[i]); }
  }

  let next = 0;
  const workers = Array.from({ length: Math.max(1, concurrency) }, async () => {
    while (next < jobs.length) await doJob(jobs[next++]);
  });
  await Promise.all(workers);
  return results;
}
