#!/usr/bin/env node
// @ts-check
'use strict';
// spiderendpoint CLI: validate, normalize and convert Spiderpool SpiderEndpoint documents.
// The commands, formats and helpers live in ../cli/ (main.js is the entry).

require('../cli/main.js').run(process.argv.slice(2));
