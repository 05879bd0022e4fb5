#!/usr/bin/env node
/*
 * Starts the demo portal: two simulated Istio clusters (kube-sim, each
 * serving Istio telemetry that follows its live VirtualServices), a real
 * Prometheus scraping them on :9090 when Debian's `prometheus` is installed,
 * the backend on :7007 and, unless --backend-only, the app on :3000; with
 * git installed, the GitOps repository of gorilla-sfx-demo on :6580
 * (scripts/demo-gitops.js).
 * Ctrl-C stops everything; if one part dies, the others are stopped too.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const backendOnly = process.argv.includes('--backend-only');

/** The demo clusters; their ports are fixed so app-config.yaml and the README can name them. */
const clusters = [
  { name: 'demo-east', port: 6551 },
  { name: 'demo-west', port: 6552 },
];

/** Fixed too: app-config.yaml points `istioRollouts.prometheus.url` here. */
const PROMETHEUS_PORT = 9090;

const children = [];
/** Things to stop that are not child processes of ours (Prometheus' launcher). */
const closers = [];
let stopping = false;

function start(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const prefix = `[${name}] `;
  const relay = (stream, out) => {
    let buffered = '';
    stream.on('data', chunk => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        out.write(prefix + line + '\n');
        options.onLine?.(line);
      }
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the demo`);
      stop(code || 1);
    }
  });
  return child;
}

function startCluster({ name, port }) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 60 s`)),
      60_000,
    );
    start(
      name,
      process.execPath,
      [
        'packages/kube-sim/bin/kube-sim.js',
        '--port',
        String(port),
        '--manifests',
        `examples/clusters/${name}`,
        '--users',
        'examples/clusters/users.yaml',
      ],
      {
        onLine: line => {
          if (line.startsWith('listening on ')) {
            clearTimeout(timer);
            resolve();
          }
        },
      },
    );
  });
}

/**
 * Prometheus scraping both clusters every 5 s, data in .data/prometheus (kept
 * across restarts). Without the binary the demo runs, and the tab says its
 * metrics are unavailable.
 */
async function startMetrics() {
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    findPrometheus,
    startPrometheus,
  } = require('../packages/kube-sim/src/prometheus.ts');
  if (!findPrometheus()) {
    console.warn(
      [
        '',
        'Prometheus is not installed: the demo runs without canary health.',
        'Install it with `sudo apt-get install -y --no-install-recommends prometheus`',
        '(or set PROMETHEUS_PATH to a prometheus binary) and start the demo again.',
        '',
      ].join('\n'),
    );
    return undefined;
  }
  let prometheus;
  try {
    prometheus = await startPrometheus({
      targets: clusters.map(c => ({
        cluster: c.name,
        url: `http://127.0.0.1:${c.port}`,
      })),
      scrapeIntervalSeconds: 5,
      port: PROMETHEUS_PORT,
      dataDir: path.join(root, '.data/prometheus'),
    });
  } catch (error) {
    // E.g. port 9090 taken by a Prometheus of your own: the demo goes on.
    console.warn(
      `\nPrometheus did not start, so the demo runs without canary health:\n${error.message}\n`,
    );
    return undefined;
  }
  closers.push(() => prometheus.close());
  return prometheus;
}

/**
 * GitOps mode in the demo: examples/gitops/ as a fresh Git repository
 * (recreated at every start, as demo-east is reloaded from examples/clusters),
 * served on loopback for demo-east's Argo CD Application. Without git the demo
 * runs as before: gorilla-sfx-demo is patched directly.
 */
async function startGitOps() {
  const gitops = require('./demo-gitops.js');
  const without = reason =>
    console.warn(
      [
        '',
        `${reason}: the demo runs without GitOps mode (a Switch on gorilla-sfx-demo patches`,
        'the cluster directly). Install git with `sudo apt-get install -y git` and start the demo again.',
        '',
      ].join('\n'),
    );
  const missing = gitops.gitMissing();
  if (missing) {
    without(missing);
    return undefined;
  }
  try {
    gitops.createRepository();
    const served = await gitops.serveRepositories();
    closers.push(() => served.close());
    return served;
  } catch (error) {
    // E.g. port 6580 taken: the demo goes on.
    without(`The GitOps repository could not be served (${error.message})`);
    return undefined;
  }
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const close of closers) close().catch(() => undefined);
  for (const child of children) {
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  await Promise.all(clusters.map(startCluster));
  const prometheus = await startMetrics();
  const gitops = await startGitOps();
  // The Backstage CLI directly rather than through npm, so a stop reaches it.
  const backstageCli = path.join(root, 'node_modules/.bin/backstage-cli');
  start('backend', backstageCli, ['package', 'start'], {
    cwd: path.join(root, 'packages/backend'),
    // Without the repository, istioRollouts.gitops names none: gorilla-sfx-demo is patched directly.
    env: gitops ? {} : { APP_CONFIG_istioRollouts_gitops_repositories: '[]' },
  });
  if (!backendOnly) {
    start('app', backstageCli, ['package', 'start'], {
      cwd: path.join(root, 'packages/app'),
      env: { BROWSER: 'none' },
    });
  }
  console.log(
    [
      '',
      `Demo clusters: ${clusters
        .map(c => `${c.name} http://127.0.0.1:${c.port}`)
        .join(', ')}`,
      prometheus
        ? `Prometheus:    ${prometheus.url}`
        : 'Prometheus:    not running (no canary health)',
      gitops
        ? `GitOps repo:   ${gitops.url} (.data/gitops/; npm run demo:gitops-sync merges and syncs)`
        : 'GitOps repo:   not served (gorilla-sfx-demo is patched directly)',
      'Backend:       http://localhost:7007',
      backendOnly
        ? ''
        : 'Portal:        http://localhost:3000 (sign in as Guest)',
      '',
    ].join('\n'),
  );
}

main().catch(error => {
  console.error(error.message);
  stop(1);
});
