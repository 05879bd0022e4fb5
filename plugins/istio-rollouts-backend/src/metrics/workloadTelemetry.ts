/**
 * The answers of a cluster's two queries, per workload: exactly the (namespace, name) pairs asked for, since the
 * queries' regexes may pair a name with another namespace. Pure.
 */
import type { PrometheusSeries } from './PrometheusClient';
import { ERROR_RESPONSE_CODE, WorkloadRef } from './istioQueries';

/** One workload's series, each by Unix time in seconds. */
export interface WorkloadTelemetry {
  /** Requests per second, every response code. */
  requests: Map<number, number>;
  /** 5xx answers per second. */
  errors: Map<number, number>;
  /** Latency percentiles in milliseconds; a time without requests has none. */
  p50: Map<number, number>;
  p99: Map<number, number>;
}

/** What a cluster's Prometheus says about the workloads asked for, by {@link workloadKey}. */
export type ClusterTelemetry = Map<string, WorkloadTelemetry>;

/** `<namespace>/<name>` */
export function workloadKey(workload: WorkloadRef): string {
  return `${workload.namespace}/${workload.name}`;
}

function add(series: Map<number, number>, time: number, value: number) {
  series.set(time, (series.get(time) ?? 0) + value);
}

/**
 * Reads a cluster's answers to `requestsQuery` and `latencyQuery` into one entry per workload asked for that
 * Prometheus has a series of; the others are absent.
 */
export function readTelemetry(
  workloads: WorkloadRef[],
  requests: PrometheusSeries[],
  latency: PrometheusSeries[],
): ClusterTelemetry {
  const wanted = new Set(workloads.map(workloadKey));
  const telemetry: ClusterTelemetry = new Map();
  const entry = (metric: Record<string, string>) => {
    const key = workloadKey({
      namespace: metric.destination_workload_namespace ?? '',
      name: metric.destination_workload ?? '',
    });
    if (!wanted.has(key)) return undefined;
    let found = telemetry.get(key);
    if (!found) {
      found = {
        requests: new Map(),
        errors: new Map(),
        p50: new Map(),
        p99: new Map(),
      };
      telemetry.set(key, found);
    }
    return found;
  };

  for (const series of requests) {
    const workload = entry(series.metric);
    if (!workload) continue;
    const isError = ERROR_RESPONSE_CODE.test(series.metric.response_code ?? '');
    for (const [time, value] of series.values) {
      if (value === null) continue;
      add(workload.requests, time, value);
      // Every time with requests has an error rate, 0 when no 5xx.
      add(workload.errors, time, isError ? value : 0);
    }
  }
  for (const series of latency) {
    const quantile = series.metric.quantile;
    if (quantile !== '0.5' && quantile !== '0.99') continue;
    const workload = entry(series.metric);
    if (!workload) continue;
    const target = quantile === '0.5' ? workload.p50 : workload.p99;
    for (const [time, value] of series.values) {
      if (value !== null) target.set(time, value);
    }
  }
  return telemetry;
}
