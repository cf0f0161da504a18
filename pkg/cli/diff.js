// @ts-check
'use strict';
// A unified diff of two texts (line-based, Myers' O(ND) algorithm), for --fix-dry-run.

const { safe } = require('./safe.js');

const CONTEXT = 3;
// Past this many differing lines the diff is one hunk replacing the changed middle (bounded time).
const MAX_EDIT_DISTANCE = 2000;

/**
 * Lines with their line breaks kept (so a missing final newline shows).
 * @param {string} text
 */
function splitLines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) || [];
}

/**
 * The edit script between a and b: a list of ['=', line] / ['-', line] / ['+', line].
 * @param {string[]} a
 * @param {string[]} b
 * @returns {['=' | '-' | '+', string][]}
 */
function editScript(a, b) {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  /** @type {['=' | '-' | '+', string][]} */
  const out = a.slice(0, pre).map((l) => /** @type {['=', string]} */ (['=', l]));
  out.push(...middle(A, B));
  out.push(...a.slice(a.length - suf).map((l) => /** @type {['=', string]} */ (['=', l])));
  return out;
}

/**
 * Myers' greedy algorithm with the trace kept for the backtrack.
 * @param {string[]} A
 * @param {string[]} B
 * @returns {['=' | '-' | '+', string][]}
 */
function middle(A, B) {
  const n = A.length;
  const m = B.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const off = max + 1;
  /** @type {Int32Array} */
  let v = new Int32Array(2 * max + 3);
  /** @type {Int32Array[]} */
  const trace = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    // Too different: everything removed, then everything added.
    return [...A.map((l) => /** @type {['-', string]} */ (['-', l])), ...B.map((l) => /** @type {['+', string]} */ (['+', l]))];
  }
  /** @type {['=' | '-' | '+', string][]} */
  const rev = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? k + 1 : k - 1;
    const prevX = v[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) rev.push(['=', A[--x]]), y--;
    if (x === prevX) rev.push(['+', B[--y]]);
    else rev.push(['-', A[--x]]);
  }
  while (x > 0 && y > 0) rev.push(['=', A[--x]]), y--;
  return rev.reverse();
}

/**
 * One diff line: the prefix, the line without its break (control characters shown escaped, as everywhere
 * the CLI prints text from the input; tabs kept), and git's marker for a missing final newline.
 * @param {string} prefix
 * @param {string} line
 */
function diffLine(prefix, line) {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  const shown = body.split('\t').map(safe).join('\t');
  return `${prefix}${shown}\n${line.endsWith('\n') ? '' : '\\ No newline at end of file\n'}`;
}

/**
 * A unified diff (3 lines of context) of `before` and `after` under the name `file`; '' when equal.
 * @param {string} file
 * @param {string} before
 * @param {string} after
 */
function unifiedDiff(file, before, after) {
  if (before === after) return '';
  const script = editScript(splitLines(before), splitLines(after));
  let out = `--- a/${safe(file)}\n+++ b/${safe(file)}\n`;
  let i = 0;
  // Positions (0-based) in a and b of script[i].
  let ai = 0;
  let bi = 0;
  while (i < script.length) {
    if (script[i][0] === '=') {
      i++;
      ai++;
      bi++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change that is at most
    // 2*CONTEXT equal lines away from the next.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let j = i;
    while (j < script.length) {
      if (script[j][0] !== '=') {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < script.length && script[j + run][0] === '=') run++;
      if (j + run >= script.length || run > 2 * CONTEXT) break;
      j += run;
    }
    const stop = Math.min(script.length, end + 1 + CONTEXT);
    const back = i - start;
    let aStart = ai - back;
    let bStart = bi - back;
    let aLen = 0;
    let bLen = 0;
    let body = '';
    for (let t = start; t < stop; t++) {
      const [op, line] = script[t];
      if (op !== '+') aLen++;
      if (op !== '-') bLen++;
      body += diffLine(op === '=' ? ' ' : op, line);
    }
    // Unified diff numbering: a range of length 0 names the line before it.
    out += `@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@\n${body}`;
    for (let t = i; t < stop; t++) {
      if (script[t][0] !== '+') ai++;
      if (script[t][0] !== '-') bi++;
    }
    i = stop;
  }
  return out;
}

module.exports = { unifiedDiff, editScript };
