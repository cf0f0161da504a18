// Refreshes the README's CLI examples with real output, and copies the usage block into the root README.
//
//   node scripts/update-readme.mjs          (after `make build`)
//
// pkg/README.md is the source. Every ```console block whose first line is `$ spiderendpoint ARGS...` gets the
// real stdout of `node pkg/bin/spiderendpoint.js ARGS...` (run from the repository root, without colour).
// Then the part between `<!-- usage:begin` and `<!-- usage:end -->` replaces the same part of README.md
// (or the `<!-- CLI and JS API sections ... -->` placeholder there), and README.md's own `$ spiderendpoint`
// examples are refreshed too. tests/node/readme.test.mjs checks all of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgReadme = path.join(root, 'pkg', 'README.md');
const rootReadme = path.join(root, 'README.md');

export const CONSOLE_BLOCK = /```console\n\$ spiderendpoint ([^\n]*)\n([\s\S]*?)```/g;
export const USAGE_BLOCK = /<!-- usage:begin[\s\S]*?<!-- usage:end -->/;
export const PLACEHOLDER = /<!-- CLI and JS API sections[^>]*-->/;

// ARGS ending in `2>&1` show standard error after standard output (the CLI writes its reports to stderr last).
export function splitArgs(args) {
  const merge = /\s2>&1$/.test(args);
  return { argv: args.replace(/\s2>&1$/, '').split(' ').filter(Boolean), merge };
}

export function runCli(args, bin = path.join(root, 'pkg', 'bin', 'spiderendpoint.js')) {
  const { argv, merge } = splitArgs(args);
  const r = spawnSync(process.execPath, [bin, ...argv], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return merge ? r.stdout + r.stderr : r.stdout;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let src = readFileSync(pkgReadme, 'utf8');
  src = src.replace(CONSOLE_BLOCK, (_, args) => `\`\`\`console\n$ spiderendpoint ${args}\n${runCli(args)}\`\`\``);
  writeFileSync(pkgReadme, src);
  const usage = USAGE_BLOCK.exec(src)[0];
  let top = readFileSync(rootReadme, 'utf8');
  if (USAGE_BLOCK.test(top)) top = top.replace(USAGE_BLOCK, () => usage);
  else if (PLACEHOLDER.test(top)) top = top.replace(PLACEHOLDER, () => usage);
  else throw new Error('README.md has neither a usage block nor the placeholder');
  // README.md's own examples (outside the usage block, e.g. the Audit section) are refreshed the same way.
  top = top.replace(CONSOLE_BLOCK, (_, args) => `\`\`\`console\n$ spiderendpoint ${args}\n${runCli(args)}\`\`\``);
  writeFileSync(rootReadme, top);
  console.error('update-readme: pkg/README.md and README.md examples refreshed, README.md usage block copied');
}
