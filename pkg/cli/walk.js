// @ts-check
'use strict';
// Input walking: the positional arguments of validate expanded into the list of files to read.

const fs = require('node:fs');
const path = require('node:path');
const { ioMessage } = require('./files.js');

/** @typedef {import('./files.js').Input} Input */

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** @param {string} a @param {string} b */
const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Expands the positional arguments into a list of inputs. Directories are walked recursively (sorted,
 * symlinked directories visited once). I/O problems are collected, not thrown.
 * @param {string[]} args
 * @param {string[]} problems
 * @returns {Input[]}
 */
function collectInputs(args, problems) {
  /** @type {Input[]} */
  const inputs = [];
  const seen = new Set();
  /** @param {string} file @param {{stdin?: boolean}} [extra] */
  const add = (file, extra) => {
    if (seen.has(file)) return;
    seen.add(file);
    inputs.push({ file, ...extra });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', { stdin: true });
      continue;
    }
    let st;
    try {
      st = fs.statSync(arg);
    } catch (err) {
      problems.push(ioMessage(arg, err));
      continue;
    }
    if (!st.isDirectory()) {
      add(arg);
      continue;
    }
    const before = inputs.length;
    const visited = new Set();
    /** @param {string} dir */
    const walk = (dir) => {
      let real;
      try {
        real = fs.realpathSync(dir);
      } catch (err) {
        problems.push(ioMessage(dir, err));
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      let entries;
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        problems.push(ioMessage(dir, err));
        return;
      }
      entries.sort((a, b) => byName(a.name, b.name));
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
        if (isDir) {
          if (!SKIP_DIRS.has(entry.name)) walk(full);
        } else if (isFile && EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          add(full);
        }
      }
    };
    walk(arg);
    if (inputs.length === before && !problems.length) {
      problems.push(`no *.yaml, *.yml or *.json files in '${arg}'`);
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
