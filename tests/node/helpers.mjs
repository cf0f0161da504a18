// Shared helpers of the Node tests (this file is not a test: node --test runs only *.test.mjs).
//
// installPackage(): `npm pack`s pkg/ (which `make build` filled) and installs the tarball into an empty
// temporary folder with the network off (`--offline`, a dead registry and an empty cache), exactly as a user
// would get it; the tests then exercise that copy, never pkg/ itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = path.join(ROOT, 'pkg');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/**
 * Packs and installs the package; registers the removal of the temporary folder with `after` (the
 * `after` of node:test, or t.after). Returns {dir, tgz, files, bin, nodeModules}.
 */
export function installPackage(after) {
  if (!existsSync(path.join(PKG, 'dist', 'web', 'spiderendpoint_bg.wasm'))) {
    throw new Error('pkg/dist is not built: run `make build` first');
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'se-pkg-test-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const env = {
    ...process.env,
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/', // nothing listens there: any registry request would fail
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const packDir = path.join(tmp, 'pack');
  sh('mkdir', ['-p', packDir]);
  const pack = sh('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: PKG, env });
  const info = JSON.parse(pack.stdout)[0];
  const tgz = path.join(packDir, info.filename);

  const dir = path.join(tmp, 'consumer');
  sh('mkdir', ['-p', dir]);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }) + '\n');
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz], { cwd: dir, env });
  const nodeModules = path.join(dir, 'node_modules');
  return {
    tmp,
    dir,
    tgz,
    env,
    files: info.files.map((f) => f.path),
    installed: path.join(nodeModules, 'spiderendpoint'),
    bin: path.join(nodeModules, '.bin', 'spiderendpoint'),
  };
}

/** Runs the installed CLI (through its node_modules/.bin link) from the repository root. */
export function cli(inst, args, opts = {}) {
  const r = spawnSync(inst.bin, args, {
    cwd: opts.cwd || ROOT,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** Runs node with a script in the consumer folder (module resolution as a user's project has it). */
export function nodeIn(inst, args, opts = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: inst.dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: opts.timeout ?? 60_000,
    env: { ...process.env, ...opts.env },
    input: opts.input,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function readExample(rel) {
  return readFileSync(path.join(ROOT, 'examples', rel), 'utf8');
}

/** Every diagnostic of a JSON report result as "line:col code path" (file-level ones first). */
export function diagList(result) {
  const all = [...result.diagnostics, ...result.documents.flatMap((d) => d.diagnostics)];
  return all.map((d) => `${d.line}:${d.column} ${d.code} ${d.path}`);
}

/**
 * A SpiderEndpoint (v2beta1, one NIC) as YAML. `extraStatus` is inserted under `status:` before `current:`
 * (e.g. many unknown fields); `pool: null` leaves out ipv4Pool (one SE306 warning); `ips` replaces the
 * entries of `status.current.ips` (see nicsYaml). The uid and the address derive from `i`, so that many of
 * these in one stream do not conflict with each other.
 */
export function endpointYaml({ i = 0, name = `pod-${i}`, vlan = '0', pool = 'default-v4', extraStatus = '', ips } = {}) {
  const nic = `    - interface: eth0
      ipv4: 10.${7 + Math.floor(i / 250)}.${i % 250}.1/16
${pool === null ? '' : `      ipv4Pool: ${pool}\n`}      vlan: ${vlan}
`;
  return `apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: ${name}
  namespace: default
status:
${extraStatus}  current:
    uid: e7b50a38-25c2-41d0-b332-${i.toString(16).padStart(12, '0')}
    node: worker-1
    ips:
${ips === undefined ? nic : ips}  ownerControllerType: Pod
  ownerControllerName: ${name}
`;
}

/**
 * `n` entries for `status.current.ips` (interfaces eth0..., distinct addresses in 10.0.0.0/8), each with
 * `fields` (YAML lines at the entry's indentation) and no ipv4Pool: one SE306 warning each unless
 * `fields` changes that.
 */
export function nicsYaml(n, fields = '      vlan: 0\n') {
  let s = '';
  for (let i = 0; i < n; i++) s += `    - interface: eth${i}\n      ipv4: 10.${100 + Math.floor(i / 250 / 250)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}/8\n${fields}`;
  return s;
}
