import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';

/*
 * End-to-end tests: the real demo (kube-sim clusters, backend, app) driven in
 * Debian's Chromium. Playwright's own browser downloads are not used.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}. Install Debian's package ` +
      '(`sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium binary.',
  );
}

const root = path.resolve(__dirname, '../..');

export default defineConfig({
  testDir: __dirname,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  outputDir: path.join(root, '.data/test-results/e2e'),
  use: {
    baseURL: 'http://localhost:3000',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  globalSetup: require.resolve('./globalSetup'),
  webServer: [
    {
      // The backend answers 503 on readiness until every plugin has started.
      command: 'npm start',
      cwd: root,
      // A fresh history database per run, so the history the tests check is theirs.
      env: {
        APP_CONFIG_backend_database_connection_directory: `../../.data/e2e-sqlite-${Date.now()}`,
      },
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
