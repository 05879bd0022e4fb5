/*
 * A real Prometheus scraping simulated clusters' /metrics, for tests, the
 * demo and the bench: writes its config, runs Debian's `prometheus` as a
 * child process on loopback, waits until it is ready, and stops it.
 *
 * Plain CommonJS can use it too (scripts/start-demo.js):
 *   require('@backstage/cli/config/nodeTransform.cjs');
 *   const { startPrometheus } = require('../packages/kube-sim/src/prometheus.ts');
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

export const DEFAULT_PROMETHEUS_PATH = '/usr/bin/prometheus';
export const PROMETHEUS_INSTALL_HINT =
  'apt-get install -y --no-install-recommends prometheus';

/** A simulated cluster to scrape: every series gets the label `cluster: <cluster>`. */
export interface PrometheusTarget {
  cluster: string;
  /** The simulator's base URL, e.g. `http://127.0.0.1:6551`; /metrics is scraped. */
  url: string;
}

export interface StartPrometheusOptions {
  targets: PrometheusTarget[];
  /** Default 5. */
  scrapeIntervalSeconds?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where the TSDB lives; default a fresh temporary directory, removed on close. A given one is kept. */
  dataDir?: string;
  /** Default `$PROMETHEUS_PATH`, else /usr/bin/prometheus. */
  binary?: string;
  /** How long to wait for /-/ready; default 30000 ms. */
  readyTimeoutMs?: number;
  /** Receives Prometheus' log lines (it logs to stderr); by default they are only kept for errors. */
  log?: (line: string) => void;
}

export interface RunningPrometheus {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  configFile: string;
  dataDir: string;
  /** Rewrites the config with these targets (and interval) and reloads it (POST /-/reload). */
  reload(
    targets: PrometheusTarget[],
    scrapeIntervalSeconds?: number,
  ): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; resolves once it has exited and its temporary files are gone. */
  close(): Promise<void>;
}

/** The prometheus binary to run: `binary`, `$PROMETHEUS_PATH` or /usr/bin/prometheus, if it exists. */
export function findPrometheus(binary?: string): string | undefined {
  const candidate =
    binary ?? process.env.PROMETHEUS_PATH ?? DEFAULT_PROMETHEUS_PATH;
  return existsSync(candidate) ? candidate : undefined;
}

function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds * 1000))}ms`;
}

/** The Prometheus config: one job `kube-sim` with a static target per cluster. */
export function prometheusConfig(
  targets: PrometheusTarget[],
  scrapeIntervalSeconds = 5,
): string {
  const interval = duration(scrapeIntervalSeconds);
  const timeout = duration(Math.min(scrapeIntervalSeconds, 10));
  return stringify({
    global: {
      scrape_interval: interval,
      scrape_timeout: timeout,
      evaluation_interval: interval,
    },
    scrape_configs: [
      {
        job_name: 'kube-sim',
        metrics_path: '/metrics',
        static_configs: targets.map(t => {
          const u = new URL(t.url);
          const base = u.pathname.replace(/\/+$/, '');
          return {
            targets: [u.host],
            labels: {
              cluster: t.cluster,
              // Per-target scheme and path (a base URL with a path prefix).
              ...(u.protocol === 'https:' ? { __scheme__: 'https' } : {}),
              ...(base ? { __metrics_path__: `${base}/metrics` } : {}),
            },
          };
        }),
      },
    ],
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The last lines a process wrote, for error messages. */
class Tail {
  private text = '';
  constructor(private readonly log?: (line: string) => void) {}
  add(chunk: Buffer) {
    const s = chunk.toString();
    this.text = (this.text + s).slice(-8000);
    if (this.log) for (const l of s.split('\n')) if (l) this.log(l);
  }
  toString() {
    return this.text.trim();
  }
}

interface Launched {
  child: ChildProcess;
  tail: Tail;
  exited: Promise<number | string>;
}

function launch(binary: string, args: string[], log?: (l: string) => void) {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const tail = new Tail(log);
  child.stderr!.on('data', (c: Buffer) => tail.add(c));
  const exited = new Promise<number | string>(resolve => {
    child.once('error', e => {
      tail.add(Buffer.from(`${e.message}\n`));
      resolve('error');
    });
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
  });
  return { child, tail, exited };
}

/** Resolves true once /-/ready answers 200, false if the process exits first; throws on timeout. */
async function waitReady(url: string, p: Launched, timeoutMs: number) {
  let gone = false;
  p.exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!gone) {
    try {
      // Bounded: whatever else listens on the port may never answer.
      const res = await fetch(`${url}/-/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      await res.text();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Prometheus was not ready within ${timeoutMs} ms at ${url}/-/ready; its log:\n${p.tail}`,
      );
    }
    await delay(100);
  }
  return false;
}

async function stopProcess(p: Launched) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
  await p.exited;
  clearTimeout(timer);
}

export async function startPrometheus(
  options: StartPrometheusOptions,
): Promise<RunningPrometheus> {
  const wanted = options.binary ?? process.env.PROMETHEUS_PATH;
  const binary = findPrometheus(wanted);
  if (!binary) {
    throw new Error(
      `Prometheus not found at ${
        wanted ?? DEFAULT_PROMETHEUS_PATH
      }: install Debian's with \`${PROMETHEUS_INSTALL_HINT}\` or set PROMETHEUS_PATH`,
    );
  }
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kube-sim-prom-'));
  const dataDir = options.dataDir ?? path.join(workDir, 'data');
  await fs.mkdir(dataDir, { recursive: true });
  const configFile = path.join(workDir, 'prometheus.yml');
  await fs.writeFile(
    configFile,
    prometheusConfig(options.targets, options.scrapeIntervalSeconds),
  );

  const attempt = async (port: number) => {
    const url = `http://127.0.0.1:${port}`;
    const p = launch(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
      ],
      options.log,
    );
    try {
      const ready = await waitReady(url, p, options.readyTimeoutMs ?? 30_000);
      return { p, url, port, ready };
    } catch (e) {
      await stopProcess(p);
      throw e;
    }
  };

  let started: Awaited<ReturnType<typeof attempt>> | undefined;
  try {
    started = await attempt(options.port || (await freePort()));
    // The free port may have been taken between probing and binding: once more.
    if (
      !started.ready &&
      !options.port &&
      /address already in use/i.test(String(started.p.tail))
    ) {
      started = await attempt(await freePort());
    }
    if (!started.ready) {
      throw new Error(
        `Prometheus exited (${await started.p
          .exited}) before it was ready; its log:\n${started.p.tail}`,
      );
    }
  } catch (e) {
    await fs.rm(workDir, { recursive: true, force: true });
    throw e;
  }

  const { p, url, port } = started;
  // A test runner that exits without close() must not leave Prometheus behind.
  const onExit = () => p.child.kill('SIGKILL');
  process.once('exit', onExit);
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    configFile,
    dataDir,
    async reload(targets, scrapeIntervalSeconds) {
      await fs.writeFile(
        configFile,
        prometheusConfig(
          targets,
          scrapeIntervalSeconds ?? options.scrapeIntervalSeconds,
        ),
      );
      const res = await fetch(`${url}/-/reload`, {
        method: 'POST',
        signal: AbortSignal.timeout(10_000),
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`Prometheus reload failed: ${body}`);
    },
    close() {
      closing ??= (async () => {
        process.off('exit', onExit);
        await stopProcess(p);
        await fs.rm(workDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** One sample of an instant vector. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** Runs an instant query (`/api/v1/query`); the result as samples (a scalar is one sample without labels). */
export async function queryPrometheus(
  promUrl: string,
  query: string,
): Promise<PromSample[]> {
  const res = await fetch(
    `${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`,
    { signal: AbortSignal.timeout(10_000) },
  );
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query ${query} failed: ${body.error ?? res.status}`);
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar') {
    return [{ metric: {}, value: Number((result as [number, string])[1]) }];
  }
  return (
    result as { metric: Record<string, string>; value: [number, string] }[]
  ).map(r => ({ metric: r.metric, value: Number(r.value[1]) }));
}

function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Waits until Prometheus has scraped the cluster's target successfully
 * (`up{cluster="…"} == 1`), and at least `scrapes` times if given; throws
 * after `timeoutMs` (default 30000).
 */
export async function waitForScrape(
  promUrl: string,
  target: { cluster: string; scrapes?: number },
  timeoutMs = 30_000,
): Promise<void> {
  const selector = `up{cluster=${promString(target.cluster)}}`;
  const scrapes = target.scrapes ?? 1;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const up = await queryPrometheus(promUrl, selector);
      const count =
        scrapes > 1
          ? await queryPrometheus(promUrl, `count_over_time(${selector}[1h])`)
          : [{ metric: {}, value: 1 }];
      last = `up=${up.map(s => s.value).join(',') || 'none'}, scrapes=${count
        .map(s => s.value)
        .join(',')}`;
      if (
        up.length > 0 &&
        up.every(s => s.value === 1) &&
        count.length > 0 &&
        count.every(s => s.value >= scrapes)
      ) {
        return;
      }
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Prometheus at ${promUrl} did not scrape cluster ${target.cluster} ${scrapes} time(s) within ${timeoutMs} ms (${last})`,
      );
    }
    await delay(250);
  }
}
