/**
 * One subset's figures from its workloads' telemetry: requests and errors summed over the Deployments the
 * subset selects, latency percentiles of the slowest of them (a subset is almost always one Deployment; the
 * percentiles of several cannot be merged once computed, and the slowest is the one to worry about). Pure.
 */
import type {
  MetricPoint,
  Subset,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';
import {
  ClusterTelemetry,
  workloadKey,
  WorkloadTelemetry,
} from './workloadTelemetry';

/** When the figures are taken and over which window. */
export interface MetricsFrame {
  /** The last point's time, Unix seconds: the figures are the series' values then. */
  end: number;
  windowSeconds: number;
}

function summed(
  workloads: WorkloadTelemetry[],
  pick: (w: WorkloadTelemetry) => Map<number, number>,
): Map<number, number> {
  const total = new Map<number, number>();
  for (const w of workloads) {
    for (const [time, value] of pick(w)) {
      total.set(time, (total.get(time) ?? 0) + value);
    }
  }
  return total;
}

function slowest(
  workloads: WorkloadTelemetry[],
  pick: (w: WorkloadTelemetry) => Map<number, number>,
): Map<number, number> {
  const max = new Map<number, number>();
  for (const w of workloads) {
    for (const [time, value] of pick(w)) {
      max.set(time, Math.max(max.get(time) ?? -Infinity, value));
    }
  }
  return max;
}

/** Between 0 and 1, whatever floating point made of it. */
function share(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function points(series: Map<number, number>): MetricPoint[] {
  return [...series.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The figures of one subset at `frame.end`, and its series. A subset whose workloads Prometheus has no series
 * of (or that selects none) has `requestsPerSecond: null`.
 */
export function subsetMetrics(
  subset: Subset,
  telemetry: ClusterTelemetry,
  frame: MetricsFrame,
): SubsetMetrics {
  const workloads = subset.workloads.flatMap(w => {
    const found = telemetry.get(workloadKey(w));
    return found ? [found] : [];
  });
  const requests = summed(workloads, w => w.requests);
  const errors = summed(workloads, w => w.errors);
  const p50 = slowest(workloads, w => w.p50);
  const p99 = slowest(workloads, w => w.p99);

  const rps = requests.get(frame.end) ?? null;
  const served = rps !== null && rps > 0;
  return {
    host: subset.host,
    subset: subset.name,
    requestsPerSecond: rps,
    successRate: served ? share(1 - (errors.get(frame.end) ?? 0) / rps) : null,
    latencyP50Ms: served ? p50.get(frame.end) ?? null : null,
    latencyP99Ms: served ? p99.get(frame.end) ?? null : null,
    requests: Math.round((rps ?? 0) * frame.windowSeconds),
    series: {
      requestsPerSecond: points(requests),
      errorsPerSecond: points(errors),
      latencyP99Ms: points(p99),
    },
  };
}
