#!/usr/bin/env node
/*
 * Runs from a fresh clone without a build: the built bundle when there is
 * one, else the TypeScript sources through Backstage's Node transform (the
 * same hook `backstage-cli package start` uses to run TS directly). The
 * transform is on either way: workspace dependencies such as
 * @internal/kube-label-selector point at their TypeScript sources.
 */
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '../dist/index.cjs.js');
let cli;
require('@backstage/cli/config/nodeTransform.cjs');

if (fs.existsSync(dist)) {
  cli = require(dist);
} else {
  cli = require('../src/cli.ts');
}

cli.runCli(process.argv.slice(2)).catch(err => {
  process.stderr.write(`kube-sim: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
