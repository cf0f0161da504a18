// @ts-check
'use strict';
// `spiderendpoint normalize`: rewrite documents the way the API server stores them (see transform.js).

const { cmdTransform } = require('./transform.js');

/** @param {string[]} argv @returns {Promise<number>} */
const cmdNormalize = (argv) => cmdTransform('normalize', argv);

module.exports = { cmdNormalize };
