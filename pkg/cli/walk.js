// @ts-check
'use strict';
// Input walking: the positional arguments of validate expanded into the list of files to read.

const fs = require('node:fs');
const path = require('node:path');
const { tryIo } = require('./files.js');
const { patternSet, isIgnored } = require('./ignore.js');
const { CONFIG_NAME } = require('./config.js');

/**
 * @typedef {import('./files.js').Input} Input
 * @typedef {import('./ignore.js').PatternSet} PatternSet
 * @typedef {{ignore: PatternSet[], gitignore: boolean}} WalkOptions `ignore`: --ignore and the config
 *   file's patterns (they win over .gitignore files); `gitignore`: honour .gitignore files
 */

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** @param {string} a @param {string} b */
const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A .gitignore file's patterns, or null when there is none (or it cannot be read).
 * @param {string} dir
 * @returns {PatternSet | null}
 */
function gitignoreIn(dir) {
  let text;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return patternSet(path.resolve(dir), text);
}

/**
 * The .gitignore files that apply to `dir` from above it: those of its ancestors up to the root of the git
 * work tree that holds it; outside a work tree, those between the working directory and `dir`.
 * @param {string} dir
 * @returns {PatternSet[]}
 */
function ancestorGitignores(dir) {
  const start = path.resolve(dir);
  /** @type {string[]} */
  let chain = [];
  let d = start;
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) break; // the work tree's root: above it nothing applies
    const up = path.dirname(d);
    if (up === d) {
      // Not in a work tree: the folders from the working directory down, when `dir` is below it.
      const cwd = process.cwd();
      const rel = path.relative(cwd, start);
      chain = rel && !rel.startsWith('..') && !path.isAbsolute(rel)
        ? rel.split(path.sep).slice(0, -1).reduce((acc, seg) => [...acc, path.join(acc[acc.length - 1], seg)], [cwd])
        : [];
      break;
    }
    d = up;
    chain.unshift(d);
  }
  /** @type {PatternSet[]} */
  const sets = [];
  for (const a of chain) {
    const set = gitignoreIn(a);
    if (set) sets.push(set);
  }
  return sets;
}

/**
 * The identity of a file for "checked once": its real path (so two names of one file, or a symlink to
 * it, count once), or the name itself when it cannot be resolved.
 * @param {string} file
 */
function identity(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Expands the positional arguments into a list of inputs. Directories are walked recursively (sorted,
 * symlinked directories visited once), leaving out what the ignore patterns and (unless turned off) the
 * .gitignore files exclude; a file named as an argument is always read. Each file is read once, however
 * many names lead to it. I/O problems are collected, not thrown.
 * @param {string[]} args
 * @param {string[]} problems
 * @param {WalkOptions} [opts]
 * @returns {Input[]}
 */
function collectInputs(args, problems, opts = { ignore: [], gitignore: false }) {
  /** @type {Input[]} */
  const inputs = [];
  const seen = new Set();
  /** @param {string} file @param {{stdin?: boolean}} [extra] */
  const add = (file, extra) => {
    const id = extra && extra.stdin ? '-' : identity(file);
    if (seen.has(id)) return;
    seen.add(id);
    inputs.push({ file, ...extra });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', { stdin: true });
      continue;
    }
    const st = tryIo(arg, () => fs.statSync(arg), problems);
    if (st === undefined) continue;
    if (!st.isDirectory()) {
      add(arg);
      continue;
    }
    let found = 0;
    let ignored = 0;
    const visited = new Set();
    /** @param {string} dir @param {PatternSet[]} git the .gitignore patterns that apply in `dir` */
    const walk = (dir, git) => {
      const real = tryIo(dir, () => fs.realpathSync(dir), problems);
      if (real === undefined || visited.has(real)) return;
      visited.add(real);
      const entries = tryIo(dir, () => fs.readdirSync(dir, { withFileTypes: true }), problems);
      if (entries === undefined) return;
      entries.sort((a, b) => byName(a.name, b.name));
      const own = opts.gitignore ? gitignoreIn(dir) : null;
      const gitHere = own ? [...git, own] : git;
      const sets = [...gitHere, ...opts.ignore];
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const target = fs.statSync(full);
            isDir = target.isDirectory();
            isFile = target.isFile();
          } catch {
            continue; // a dangling link inside a tree is not an input
          }
        }
        if (!isDir && !(isFile && EXTENSIONS.has(path.extname(entry.name).toLowerCase()))) continue;
        if (isDir ? SKIP_DIRS.has(entry.name) : entry.name === CONFIG_NAME) continue; // the config file is not an input
        if (sets.length && isIgnored(sets, path.resolve(full), isDir)) {
          ignored++;
          continue;
        }
        if (isDir) walk(full, gitHere);
        else {
          found++;
          add(full);
        }
      }
    };
    walk(arg, opts.gitignore ? ancestorGitignores(arg) : []);
    if (found === 0 && !problems.length) {
      problems.push(`no *.yaml, *.yml or *.json files in '${arg}'${ignored ? ` that are not ignored (${ignored} ignored)` : ''}`);
    }
  }
  return inputs;
}

/**
 * A "checking 12/40 files" line on standard error (a terminal), at most every 100 ms.
 * @param {number} total
 * @param {boolean} enabled
 */
function progress(total, enabled) {
  if (!enabled) return { tick: (/** @type {number} */ _i) => {}, done: () => {} };
  let last = 0;
  return {
    /** @param {number} i */
    tick(i) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\r\x1b[Kchecking ${i}/${total} files`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

module.exports = { collectInputs, progress };
