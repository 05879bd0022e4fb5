import {
  CanaryVerdict,
  ClusterMetricsStatus,
  Finding,
  Rollout,
  RolloutMetrics,
  RolloutMetricsResponse,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';
import { shortHost } from './actions';

/*
 * The canary health the metrics endpoint answers, as the tab shows it. Nothing here judges a canary: the verdicts,
 * figures and findings are the server's; these functions only find and format them.
 */

/** Shown for a figure the server has none of (no request in the window). */
export const NO_FIGURE = '—';

/** What the metrics endpoint said about one rollout, for its card. */
export interface RolloutHealth {
  /** Whether its cluster's metrics could be read. */
  status: ClusterMetricsStatus['status'];
  /** Why not, for `unavailable`. */
  error?: ClusterMetricsStatus['error'];
  /** The figures and verdicts; absent when the cluster's were not read or the rollout has none. */
  metrics?: RolloutMetrics;
  /** Seconds the figures are computed over. */
  windowSeconds: number;
}

/** Whether a cluster's metrics could be read, as a metrics answer says; undefined when it says nothing of it. */
export function clusterMetricsStatus(
  response: RolloutMetricsResponse | undefined,
  cluster: string,
): ClusterMetricsStatus | undefined {
  if (!Array.isArray(response?.clusters)) return undefined;
  return response.clusters.find(c => c.name === cluster);
}

/** The health of one rollout in a metrics answer; undefined when the answer says nothing of its cluster. */
export function rolloutHealth(
  response: RolloutMetricsResponse | undefined,
  rollout: Pick<Rollout, 'id' | 'cluster'>,
): RolloutHealth | undefined {
  // An answer of another shape (an older backend) is no health, never a broken tab.
  const cluster = clusterMetricsStatus(response, rollout.cluster);
  if (!response || !cluster) return undefined;
  const metrics =
    cluster.status === 'ok' && Array.isArray(response.rollouts)
      ? response.rollouts.find(r => r.rolloutId === rollout.id)
      : undefined;
  return {
    status: cluster.status,
    error: cluster.error,
    metrics:
      Array.isArray(metrics?.subsets) &&
      Array.isArray(metrics?.routes) &&
      Array.isArray(metrics?.findings)
        ? metrics
        : undefined,
    windowSeconds: response.windowSeconds,
  };
}

/**
 * The figures of one subset (or of a whole host, for a host-level destination, which the server names with an
 * empty subset). Hosts compare by their short name: `reviews` and `reviews.bookinfo.svc.cluster.local` are one.
 */
export function subsetMetricsOf(
  metrics: RolloutMetrics | undefined,
  host: string,
  subset: string | undefined,
): SubsetMetrics | undefined {
  return metrics?.subsets.find(
    m => shortHost(m.host) === shortHost(host) && m.subset === (subset ?? ''),
  );
}

/** The server's verdict on one route's canary, if it judged one. */
export function routeVerdict(
  metrics: RolloutMetrics | undefined,
  route: { kind: string; index: number },
): CanaryVerdict | undefined {
  return metrics?.routes.find(
    r => r.route.kind === route.kind && r.route.index === route.index,
  )?.verdict;
}

/** The rollout's findings with those of its metrics after them, each once. */
export function withMetricFindings(
  findings: Finding[],
  metrics: RolloutMetrics | undefined,
): Finding[] {
  if (!metrics || metrics.findings.length === 0) return findings;
  const key = (f: Finding) =>
    JSON.stringify([
      f.code,
      f.route?.kind,
      f.route?.index,
      f.subset,
      f.host,
      f.message,
    ]);
  const seen = new Set(findings.map(key));
  return [...findings, ...metrics.findings.filter(f => !seen.has(key(f)))];
}

const decimals = (value: number, digits: number) =>
  value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

/** Requests per second: `0.42`, `12.3`, `1,204`; `—` without requests. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_FIGURE;
  if (value === 0) return '0';
  if (value < 1) return decimals(value, 2);
  if (value < 100) return decimals(value, 1);
  return decimals(value, 0);
}

/**
 * A success rate as a percentage with one decimal, rounded down so that a
 * single error never reads `100.0 %`: `99.8 %`, `100 %`; `—` without requests.
 */
export function formatSuccessRate(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_FIGURE;
  if (value >= 1) return '100 %';
  return `${decimals(Math.floor(value * 1000) / 10, 1)} %`;
}

/** A latency: `42 ms`, `4.2 ms`, `1,250 ms`; `—` without requests. */
export function formatLatency(value: number | null | undefined): string {
  if (value === null || value === undefined) return NO_FIGURE;
  return `${value < 10 ? decimals(value, 1) : decimals(value, 0)} ms`;
}

/** A window in words: `5 min`, `30 s`, `1 h`. */
export function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** One subset's figures in a sentence, for screen readers: `12.4 req/s, 99.7 % success, p99 42 ms`. */
export function describeFigures(metrics: SubsetMetrics | undefined): string {
  if (!metrics || metrics.requestsPerSecond === null) return 'no requests';
  return `${formatRate(metrics.requestsPerSecond)} req/s, ${formatSuccessRate(
    metrics.successRate,
  )} success, p99 ${formatLatency(metrics.latencyP99Ms)}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A series' Unix time (seconds) as `HH:mm` in the user's time zone. */
export function formatClock(unixSeconds: number): string {
  return timeFormat.format(new Date(unixSeconds * 1000));
}
