// @ts-check
'use strict';
// Safe rendering of text that comes from the input (keys, values, file names...): nothing a terminal or a
// CI log could act on is passed through.

// Characters that must never reach a terminal or a log as they are: C0 controls (a newline would start a
// forged `file:line:col error ...` line, ESC starts terminal escape sequences such as `\e]0;` or `\e]52;`),
// DEL, C1 controls (U+009B is a one-character CSI), and the line/paragraph separators and bidi controls
// that reorder or split what is shown (U+061C, U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** @type {Record<string, string>} */
const NAMED_ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** @param {string} c */
const hex4 = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text from the input made safe for a terminal: unsafe characters escaped.
 * @param {unknown} s
 */
function safe(s) {
  return String(s).replace(UNSAFE, (c) => NAMED_ESCAPES[c] || hex4(c));
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 and the separators/bidi controls as they are.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with every character a terminal could act on written as a \uXXXX escape (same JSON value).
 * @param {unknown} value
 */
function jsonText(value) {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, hex4) + '\n';
}

/**
 * One line on standard error, every character made safe.
 * @param {string} msg
 */
function errorLine(msg) {
  process.stderr.write(`spiderendpoint: ${safe(msg)}\n`);
}

/**
 * "1 file", "2 files"; `many` for an irregular plural.
 * @param {number} n
 * @param {string} word
 * @param {string} [many]
 */
function plural(n, word, many) {
  return `${n} ${n === 1 ? word : many || `${word}s`}`;
}

module.exports = { safe, jsonText, errorLine, plural };

