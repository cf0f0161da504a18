// @ts-check
'use strict';
// `spiderendpoint rules`: every diagnostic code with its rule name, default severity and summary.

const { EXIT_OK, UsageError, lib } = require('../core.js');
const { HELP } = require('../help.js');
const { parse, str } = require('../args.js');

/**
 * @param {string[]} argv the arguments after `rules`
 * @returns {number} the exit code
 */
function cmdRules(argv) {
  const { values, positionals } = parse(argv, { format: { type: 'string', short: 'f' } });
  if (values.help) {
    process.stdout.write(HELP.rules);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`rules takes no arguments (got '${positionals[0]}')`);
  const format = str(values, 'format') || 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') {
    throw new UsageError(`unknown format '${format}' (expected text, json or markdown)`);
  }
  const rules = lib().rules();
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
  } else if (format === 'markdown') {
    /** @param {string} s */
    const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const rows = rules.map((r) => `| ${cell(r.code)} | ${cell(r.rule)} | ${cell(r.severity)} | ${cell(r.summary)} |`);
    process.stdout.write(['| code | rule | severity | summary |', '|---|---|---|---|', ...rows].join('\n') + '\n');
  } else {
    /** @param {'code' | 'rule' | 'severity'} k */
    const w = (k) => Math.max(...rules.map((r) => String(r[k]).length), 0);
    const [wc, wr, ws] = [w('code'), w('rule'), w('severity')];
    const rows = rules.map((r) => `${r.code.padEnd(wc)}  ${r.severity.padEnd(ws)}  ${r.rule.padEnd(wr)}  ${r.summary}`);
    process.stdout.write(rows.join('\n') + (rows.length ? '\n' : ''));
  }
  return EXIT_OK;
}

module.exports = { cmdRules };
