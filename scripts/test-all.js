#!/usr/bin/env node
/*
 * `npm test`: type check, lint, every Jest suite of the workspaces, then the
 * end-to-end suite in Chromium. Every step runs even if an earlier one failed,
 * and the last line counts the tests: `tests: N passed, N failed[, N skipped]`.
 * Exits non-zero when anything failed.
 *
 * Flags: --skip-e2e, --skip-lint (for quick local loops; CI runs everything).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, '.data/test-results');
const bin = name => path.join(root, 'node_modules/.bin', name);
const args = new Set(process.argv.slice(2));

fs.mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function run(title, command, commandArgs, env = {}) {
  console.log(
    `\n=== ${title}: ${[path.basename(command), ...commandArgs].join(' ')}`,
  );
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true', ...env },
  });
  return result.status === 0;
}

/** A check that is not a test runner (tsc, lint) counts as one test. */
function check(title, command, commandArgs) {
  if (run(title, command, commandArgs)) {
    totals.passed += 1;
  } else {
    totals.failed += 1;
    problems.push(title);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

check('type check', bin('tsc'), ['--noEmit']);

if (!args.has('--skip-lint')) {
  check('lint', bin('backstage-cli'), ['repo', 'lint']);
  check('formatting', bin('prettier'), ['--check', '.']);
}

// Jest: every workspace package, with a bounded worker count for 2-core machines.
const jestReport = path.join(resultsDir, 'jest.json');
fs.rmSync(jestReport, { force: true });
const jestOk = run('unit and integration tests', bin('backstage-cli'), [
  'repo',
  'test',
  '--maxWorkers=2',
  '--json',
  `--outputFile=${jestReport}`,
]);
const jest = readJson(jestReport);
if (jest) {
  totals.passed += jest.numPassedTests;
  totals.failed += jest.numFailedTests;
  totals.skipped += jest.numPendingTests + (jest.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests of its own; count it.
  totals.failed += jest.numRuntimeErrorTestSuites;
}
if (!jestOk || !jest) {
  problems.push('jest');
  if (!jest) totals.failed += 1;
}

if (!args.has('--skip-e2e')) {
  const e2eReport = path.join(resultsDir, 'e2e.json');
  fs.rmSync(e2eReport, { force: true });
  const e2eOk = run(
    'end-to-end tests (Chromium)',
    bin('playwright'),
    ['test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
  );
  const e2e = readJson(e2eReport);
  if (e2e?.stats) {
    totals.passed += e2e.stats.expected + e2e.stats.flaky;
    totals.failed += e2e.stats.unexpected;
    totals.skipped += e2e.stats.skipped;
  }
  if (!e2eOk || !e2e?.stats) {
    problems.push('e2e');
    if (!e2e?.stats?.unexpected) totals.failed += 1;
  }
}

if (problems.length > 0) {
  console.log(`\nFailed: ${problems.join(', ')}`);
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(
  `tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`,
);
process.exit(problems.length > 0 || totals.failed > 0 ? 1 : 0);
