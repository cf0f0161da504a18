// @ts-check
'use strict';
// `spiderendpoint convert --to v1|v2beta1`: convert between apiVersions (see transform.js).

const { cmdTransform } = require('./transform.js');

/** @param {string[]} argv @returns {Promise<number>} */
const cmdConvert = (argv) => cmdTransform('convert', argv);

module.exports = { cmdConvert };
