#!/usr/bin/env node
'use strict';
const { runCli } = require('../dist/cli.js');
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
