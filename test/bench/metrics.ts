/*
 * Canary health (issue 13): the read with metrics, `GET …/rollouts/metrics`,
 * beside the plain read `GET …/rollouts`, at concurrency 1, against a real
 * Prometheus (Debian's, on loopback) scraping the scenario's clusters every
 * second; and the PromQL queries an uncached read sends, as Prometheus
 * itself counts them. Two more bench backends, both configured with each
 * cluster's Prometheus (`clusterLabel: cluster`): one with the product's
 * default answer cache (`canaryAnalysis.cacheSeconds` 10), one with 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  findPrometheus,
  PROMETHEUS_INSTALL_HINT,
  startPrometheus,
  waitForScrape,
} from '../../packages/kube-sim/src/prometheus';
import { BENCH_OBJECTS_PER_KIND } from '../../packages/bench-backend/src/bench/manifests';
import {
  LatencySummary,
  runInterleaved,
} from '../../packages/bench-backend/src/bench/stats';
import { RunningBackend, startBackend } from './backend';
import type { SimCluster } from './cluster';
import { readPlugin, rolloutsUrl } from './measure';
import { ms } from './format';
import { cpuMs, ProcessGroup, selfCpuMs } from './processes';

export const SCRAPE_INTERVAL_SECONDS = 1;
/** Scrapes of every cluster before the first measured read (rates need two). */
const SCRAPES_BEFORE = 3;
/** The product's default `canaryAnalysis.cacheSeconds`. */
const DEFAULT_CACHE_SECONDS = 10;
const QUERY_RANGE = '/api/v1/query_range';

/** `cached`/`uncached`: the backend with `cacheSeconds` 10 (the default) / 0. */
export type CanaryMode =
  | 'plainCached'
  | 'metricsCached'
  | 'plainUncached'
  | 'metricsUncached';

export interface CanaryHealthResult {
  scrapeIntervalSeconds: number;
  /** The backends' `canaryAnalysis.cacheSeconds`. */
  cacheSeconds: { cached: number; uncached: number };
  modes: Record<CanaryMode, LatencySummary>;
  /** Uncached reads between the two readings of Prometheus's request counters. */
  countedReads: number;
  /** Requests Prometheus served meanwhile, per handler of its HTTP API. */
  requestsByHandler: Record<string, number>;
  /** `/api/v1/query_range` requests per read, per cluster. */
  queriesPerReadPerCluster: number;
}

/** Why the phase cannot run here, or undefined when it can. */
export function canaryHealthUnavailable(): string | undefined {
  return findPrometheus()
    ? undefined
    : `Prometheus not found (install Debian's: \`${PROMETHEUS_INSTALL_HINT}\`, or set PROMETHEUS_PATH)`;
}

/** `GET …/rollouts/metrics`; checks every cluster answered, 3 × K rollouts and live telemetry. */
export async function readMetrics(
  backend: RunningBackend,
  clusters: number,
): Promise<void> {
  const res = await fetch(`${rolloutsUrl(backend)}/metrics`, {
    headers: { Authorization: `Bearer ${backend.token}` },
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `GET rollouts/metrics answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text);
  const failed = (body.clusters ?? []).filter(
    (c: { status: string }) => c.status !== 'ok',
  );
  if (failed.length || body.clusters?.length !== clusters) {
    throw new Error(
      `GET rollouts/metrics: ${failed.length} of ${
        body.clusters?.length
      } cluster(s) not ok: ${JSON.stringify(failed[0])}`,
    );
  }
  const rollouts: Array<{ subsets: Array<{ requestsPerSecond: unknown }> }> =
    body.rollouts ?? [];
  if (rollouts.length !== clusters * BENCH_OBJECTS_PER_KIND) {
    throw new Error(
      `GET rollouts/metrics: ${rollouts.length} rollouts, expected ${
        clusters * BENCH_OBJECTS_PER_KIND
      }`,
    );
  }
  if (
    !rollouts.every(r => r.subsets.some(s => Number(s.requestsPerSecond) > 0))
  ) {
    throw new Error('GET rollouts/metrics: a rollout without telemetry');
  }
}

/** Requests Prometheus has served, per handler (its own `prometheus_http_requests_total`). */
async function servedRequests(
  promUrl: string,
): Promise<Record<string, number>> {
  const res = await fetch(`${promUrl}/metrics`, {
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Prometheus /metrics answered ${res.status}`);
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^prometheus_http_requests_total\{([^}]*)\}\s+(\S+)/.exec(line);
    const handler = m && /handler="([^"]*)"/.exec(m[1])?.[1];
    if (handler) counts[handler] = (counts[handler] ?? 0) + Number(m[2]);
  }
  return counts;
}

/** The pid of the Prometheus this process started on `port` (it is not in the bench's process group). */
function prometheusPid(port: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs
        .readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (
        ppid === process.pid &&
        args.includes(`--web.listen-address=127.0.0.1:${port}`)
      ) {
        return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * Starts Prometheus on the scenario's clusters and two backends configured
 * with it, waits for a few scrapes, measures the four modes interleaved at
 * concurrency 1, then counts the range queries of `countedReads` uncached
 * reads on Prometheus's side. Stops what it started.
 */
export async function measureCanaryHealth(options: {
  group: ProcessGroup;
  dir: string;
  clusters: SimCluster[];
  catalogFile: string;
  entityRef: { kind: string; namespace: string; name: string };
  iterations: number;
  warmup: number;
  countedReads: number;
  maxWallMs: number;
  maxErrors: number;
  log: (message: string) => void;
}): Promise<CanaryHealthResult> {
  const { group, clusters } = options;
  const k = clusters.length;
  const dir = path.join(options.dir, 'canary-health');
  fs.mkdirSync(dir, { recursive: true });
  const promLog = fs.createWriteStream(path.join(dir, 'prometheus.log'));
  const prometheus = await startPrometheus({
    targets: clusters.map(c => ({ cluster: c.name, url: c.url })),
    scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
    port: 0,
    log: line => promLog.write(`${line}\n`),
  }).catch(e => {
    promLog.end();
    throw e;
  });
  const backends: RunningBackend[] = [];
  try {
    options.log(
      `canary health: Prometheus at ${prometheus.url} scrapes ${k} clusters every ${SCRAPE_INTERVAL_SECONDS} s`,
    );
    const start = (cacheSeconds: number | undefined, name: string) =>
      startBackend({
        group,
        dir,
        clusters: clusters.map(c => ({
          name: c.name,
          url: c.url,
          prometheus: { url: prometheus.url, clusterLabel: 'cluster' },
        })),
        catalogFile: options.catalogFile,
        entityRef: options.entityRef,
        canaryCacheSeconds: cacheSeconds,
        variant: { dir: name, name: `canary health, ${name}` },
      }).then(b => {
        backends.push(b);
        return b;
      });
    // The backends start while Prometheus scrapes.
    const [[cached, uncached]] = await Promise.all([
      Promise.all([start(undefined, 'cache-default'), start(0, 'cache-0')]),
      Promise.all(
        clusters.map(c =>
          waitForScrape(
            prometheus.url,
            { cluster: c.name, scrapes: SCRAPES_BEFORE },
            60_000,
          ),
        ),
      ),
    ]);
    const promPid = prometheusPid(prometheus.port);
    const meter = () => ({
      backendCpuMs: cpuMs(cached.process.pid) + cpuMs(uncached.process.pid),
      clustersCpuMs: clusters.reduce((n, c) => n + cpuMs(c.process.pid), 0),
      ...(promPid !== undefined && { prometheusCpuMs: cpuMs(promPid) }),
      clientCpuMs: selfCpuMs(),
    });
    const modes = (await runInterleaved(
      [
        { name: 'plainCached', operation: () => readPlugin(cached, k) },
        { name: 'metricsCached', operation: () => readMetrics(cached, k) },
        { name: 'plainUncached', operation: () => readPlugin(uncached, k) },
        { name: 'metricsUncached', operation: () => readMetrics(uncached, k) },
      ],
      {
        concurrency: 1,
        iterations: options.iterations,
        block: 4,
        warmup: options.warmup,
        maxWallMs: options.maxWallMs,
        maxErrors: options.maxErrors,
        meter,
      },
    )) as Record<CanaryMode, LatencySummary>;

    // Nothing else asks Prometheus now: the cached backend is idle.
    const before = await servedRequests(prometheus.url);
    for (let i = 0; i < options.countedReads; i++) {
      await readMetrics(uncached, k);
    }
    const after = await servedRequests(prometheus.url);
    const requestsByHandler = Object.fromEntries(
      Object.keys(after)
        .filter(h => h.startsWith('/api/'))
        .map(h => [h, after[h] - (before[h] ?? 0)])
        .filter(([, n]) => n !== 0),
    );
    return {
      scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
      cacheSeconds: { cached: DEFAULT_CACHE_SECONDS, uncached: 0 },
      modes,
      countedReads: options.countedReads,
      requestsByHandler,
      queriesPerReadPerCluster:
        (requestsByHandler[QUERY_RANGE] ?? 0) / options.countedReads / k,
    };
  } finally {
    await Promise.all(backends.map(b => group.stop(b.process)));
    await prometheus.close();
    promLog.end();
  }
}

/**
 * The phase as a scenario runs it: skipped, and why, when Prometheus is not
 * installed; a failure is the scenario's error, and the bench goes on.
 */
export async function canaryHealthPhase(
  result: {
    canaryHealth?: CanaryHealthResult;
    canaryHealthSkipped?: string;
    errors: string[];
  },
  options: Parameters<typeof measureCanaryHealth>[0],
): Promise<void> {
  const { log } = options;
  result.canaryHealthSkipped = canaryHealthUnavailable();
  if (result.canaryHealthSkipped) {
    log(
      `canary health (read with metrics) skipped: ${result.canaryHealthSkipped}`,
    );
    return;
  }
  try {
    const c = await measureCanaryHealth(options);
    result.canaryHealth = c;
    const m = c.modes;
    log(
      `canary health: p95 read ${ms(m.plainCached.p95)} ms, with metrics ${ms(
        m.metricsCached.p95,
      )} ms (cache 0: ${ms(m.plainUncached.p95)} / ${ms(
        m.metricsUncached.p95,
      )} ms); ${c.queriesPerReadPerCluster.toFixed(
        2,
      )} range queries per uncached read per cluster`,
    );
  } catch (e) {
    result.errors.push(`canary health: ${(e as Error).message}`);
    log(`canary health failed: ${(e as Error).message}`);
  }
}
