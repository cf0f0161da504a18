// @ts-check
'use strict';
// Ignore patterns in gitignore syntax (https://git-scm.com/docs/gitignore), for --ignore, the config file's
// "ignore" and the .gitignore files of the directory walk. A small matcher rather than a dependency: the
// package has no runtime dependencies (its tarball installs offline with nothing else), and the walk needs
// only what is below (tests/node/cli-ignore.test.mjs pins it).
//
// Supported: comments (#) and blank lines, trailing spaces (kept when escaped), `!` negation, `\` escapes,
// a trailing `/` (directories only), a `/` at the start or in the middle (anchored to the pattern's base
// directory; otherwise the pattern matches a name at any depth), `*`, `?`, `[...]` classes (`[!...]`,
// `[^...]`), a leading `**/`, a trailing `/**` and `/**/` in the middle. The last matching pattern wins; a
// file below an ignored directory stays ignored (the walk does not enter it), as in git.

const path = require('node:path');

/**
 * @typedef {{negate: boolean, dirOnly: boolean, re: RegExp, source: string}} Pattern
 * @typedef {{base: string, patterns: Pattern[]}} PatternSet patterns whose paths are relative to `base`
 */

/**
 * A character class `[...]` starting at `i` as a RegExp class, or null when it is not closed.
 * @param {string} p
 * @param {number} i index of '['
 * @returns {[string, number] | null} the class and the index after ']'
 */
function charClass(p, i) {
  let j = i + 1;
  let out = '[';
  if (p[j] === '!' || p[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (; j < p.length; j++) {
    const c = p[j];
    if (c === ']' && !first) return [`(?!/)${out}]`, j + 1];
    first = false;
    if (c === '\\' && j + 1 < p.length) {
      j++;
      out += `\\${p[j]}`;
    } else if (c === '[' || c === '^' || c === '\\') {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return null;
}

/**
 * The RegExp source of a pattern body (no leading '!' or '/', no trailing '/').
 * @param {string} p
 */
function bodySource(p) {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atStart = i === 0 || p[i - 1] === '/';
        const atEnd = i + 2 === p.length || p[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === p.length) {
            re += '.*'; // "foo/**": everything inside foo
          } else {
            re += '(?:.*/)?'; // "**/" and "/**/": zero or more directories
            i++; // the '/' after '**'
          }
          i++;
          continue;
        }
        i++; // other "**": as '*'
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const cls = charClass(p, i);
      if (cls) {
        re += cls[0];
        i = cls[1] - 1;
      } else {
        re += '\\[';
      }
    } else if (c === '\\' && i + 1 < p.length) {
      i++;
      re += p[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return re;
}

/**
 * One line of a gitignore file as a pattern; null for blank lines and comments.
 * @param {string} line
 * @returns {Pattern | null}
 */
function compilePattern(line) {
  let p = line.replace(/\r$/, '');
  // Trailing spaces are dropped unless escaped with a backslash.
  p = p.replace(/(^|[^\\])((?:\\\\)*) +$/, '$1$2');
  if (p === '' || p.startsWith('#')) return null;
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) {
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p === '') return null;
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${bodySource(p)}$`);
  return { negate, dirOnly, re, source: line };
}

/**
 * The patterns of a gitignore text (or a list of patterns) relative to `base`.
 * @param {string} base absolute directory the patterns are relative to
 * @param {string | string[]} lines
 * @returns {PatternSet}
 */
function patternSet(base, lines) {
  const list = typeof lines === 'string' ? lines.split('\n') : lines;
  /** @type {Pattern[]} */
  const patterns = [];
  for (const line of list) {
    const pat = compilePattern(line);
    if (pat) patterns.push(pat);
  }
  return { base, patterns };
}

/**
 * Whether a path is ignored by the pattern sets, in order (later sets and later patterns win).
 * @param {PatternSet[]} sets
 * @param {string} abs absolute path
 * @param {boolean} isDir
 */
function isIgnored(sets, abs, isDir) {
  let ignored = false;
  for (const set of sets) {
    const rel = relativePosix(set.base, abs);
    if (rel === null) continue;
    for (const pat of set.patterns) {
      if (pat.dirOnly && !isDir) continue;
      if (pat.negate === ignored && pat.re.test(rel)) ignored = !pat.negate;
    }
  }
  return ignored;
}

/**
 * `abs` relative to `base` with '/' separators; null when it is `base` itself. Paths outside `base` keep
 * their "../" (anchored patterns then never match; unanchored ones still match by name).
 * @param {string} base
 * @param {string} abs
 */
function relativePosix(base, abs) {
  const rel = path.relative(base, abs);
  if (rel === '') return null;
  return rel.split(path.sep).join('/');
}

module.exports = { compilePattern, patternSet, isIgnored };
