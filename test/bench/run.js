#!/usr/bin/env node
/*
 * `npm run bench` — see docs/benchmarks.md. Runs the TypeScript bench
 * through Backstage's Node transform, as the backend runs in development.
 */
require('@backstage/cli/config/nodeTransform.cjs');
require('./main.ts');
