// @ts-check
'use strict';
// Template files (Helm charts, text with `{{ ... }}` outside YAML strings) are not YAML a cluster reads:
// they are reported as skipped with a reason instead of failing with syntax errors.

const fs = require('node:fs');
const { StringDecoder } = require('node:string_decoder');
const path = require('node:path');

/**
 * The line (1-based) of the first `{{` outside a YAML string (quoted scalar, block scalar) and outside a
 * comment, or 0. A line-based reading: good enough to tell a template from a manifest, not a YAML parser.
 * @param {string | Iterable<string>} text the text, or its lines (a large file read a chunk at a time)
 */
function templateLine(text) {
  if (typeof text === 'string' && !text.includes('{{')) return 0;
  const lines = typeof text === 'string' ? text.split(/\r?\n|\r/) : text;
  /** @type {'' | "'" | '"'} */
  let quote = ''; // a quoted scalar that goes on over lines
  let blockIndent = -1; // inside a block scalar: lines indented more than this are its content
  let n = -1;
  for (const line of lines) {
    n++;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    let i = 0;
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (c === '{' && line[i + 1] === '{') return n + 1;
      // A quote starts a quoted scalar only where a scalar may start (after ": ", "- ", "[", "{", ",").
      if ((c === '"' || c === "'") && (i === indent || /[\s[{,:-]/.test(line[i - 1] || ' '))) {
        quote = c;
        continue;
      }
    }
    // "key: |", "key: >-", "- |2" (before a comment): the lines below, indented deeper, are a string.
    if (!quote && /(?:^|[\s:-])[|>][-+0-9]*\s*$/.test(line.slice(0, i))) blockIndent = indent;
  }
  return 0;
}

/**
 * The chart directory when `file` lies in the `templates/` folder of a Helm chart (next to a Chart.yaml).
 * @param {string} file
 * @returns {string | null}
 */
function helmChart(file) {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (path.basename(dir) === 'templates') {
      const chart = path.dirname(dir);
      if (fs.existsSync(path.join(chart, 'Chart.yaml')) || fs.existsSync(path.join(chart, 'Chart.yml'))) return chart;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Why a file is a template and not checked, or null when it is not one.
 * @param {string} file the file's path ("-" for standard input)
 * @param {string | Iterable<string>} text its content, or its lines
 */
function templateReason(file, text) {
  if (file !== '-') {
    const chart = helmChart(file);
    if (chart !== null) return `a Helm chart template (in templates/ of the chart ${path.relative(process.cwd(), chart) || '.'}); check the rendered output (helm template ... | spiderendpoint validate)`;
  }
  const line = templateLine(text);
  if (line) return `a template ({{ ... }} outside a YAML string on line ${line}); check the rendered output`;
  return null;
}

/**
 * The lines of UTF-8 bytes that come in chunks, as `text.split(/\r?\n|\r/)` gives them (a line or a `\r\n`
 * split across chunks is joined): a large file's lines without a string of its size.
 * @param {Iterable<Uint8Array>} chunks
 * @returns {Generator<string>}
 */
function* linesOf(chunks) {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for (const chunk of chunks) {
    const text = rest + decoder.write(/** @type {Buffer} */ (chunk));
    const cut = text.endsWith('\r') ? text.length - 1 : text.length;
    const lines = text.slice(0, cut).split(/\r?\n|\r/);
    rest = /** @type {string} */ (lines.pop()) + text.slice(cut);
    yield* lines;
  }
  yield* (rest + decoder.end()).split(/\r?\n|\r/);
}

module.exports = { templateLine, templateReason, linesOf };
