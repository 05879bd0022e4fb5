/*
 * Istio's standard request metrics as counters, accumulated by integrating
 * the traffic model's rates over elapsed time: no randomness, so a rate
 * computed from two readings is exactly the configured one. Pure state.
 *
 * One series per (workload, destination service, response code), labelled
 * as Istio's `reporter="destination"` series are; a series exists once it
 * has counted a request (a workload without errors has no 503 series, as
 * with Envoy).
 */
import {
  ISTIO_DURATION_BUCKETS_MS,
  latencyDistribution,
  LatencyDistribution,
} from './histogram';
import { trafficKey, WorkloadTraffic } from './model';

/** The response codes the simulated workloads answer. */
export const OK_CODE = '200';
export const ERROR_CODE = '503';

/** One series' readings. */
export interface CounterSeries {
  labels: Record<string, string>;
  /** `istio_requests_total` and `istio_request_duration_milliseconds_count`. */
  requests: number;
  /** `istio_request_duration_milliseconds_sum`. */
  durationSumMs: number;
  /** `istio_request_duration_milliseconds_bucket`, cumulative, one per finite bound (`+Inf` is `requests`). */
  buckets: number[];
}

/** The labels of a workload's series, in the order Istio's Prometheus output has them. */
export function istioLabels(
  t: WorkloadTraffic,
  responseCode: string,
  trustDomain = 'cluster.local',
): Record<string, string> {
  return {
    reporter: 'destination',
    source_workload: 'istio-ingressgateway',
    source_workload_namespace: 'istio-system',
    source_principal: `spiffe://${trustDomain}/ns/istio-system/sa/istio-ingressgateway-service-account`,
    source_app: 'istio-ingressgateway',
    source_version: 'unknown',
    source_canonical_service: 'istio-ingressgateway',
    source_canonical_revision: 'latest',
    destination_workload: t.workload,
    destination_workload_namespace: t.namespace,
    destination_principal: `spiffe://${trustDomain}/ns/${t.namespace}/sa/${t.serviceAccount}`,
    destination_app: t.app,
    destination_version: t.version,
    destination_service: t.service,
    destination_service_name: t.serviceName,
    destination_service_namespace: t.serviceNamespace,
    destination_canonical_service: t.canonicalService,
    destination_canonical_revision: t.canonicalRevision,
    request_protocol: 'http',
    response_code: responseCode,
    response_flags: '-',
    connection_security_policy: 'mutual_tls',
  };
}

interface Series extends CounterSeries {
  namespace: string;
  workload: string;
}

export class MeshCounters {
  private readonly series = new Map<string, Series>();
  private readonly distributions = new Map<string, LatencyDistribution>();

  constructor(readonly bounds: readonly number[] = ISTIO_DURATION_BUCKETS_MS) {}

  private distribution(p50: number, p99: number): LatencyDistribution {
    const key = `${p50}/${p99}`;
    let d = this.distributions.get(key);
    if (!d) {
      d = latencyDistribution(p50, p99, this.bounds);
      this.distributions.set(key, d);
    }
    return d;
  }

  private count(t: WorkloadTraffic, code: string, requests: number) {
    if (!(requests > 0)) return;
    const key = `${trafficKey(t)}/${code}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        namespace: t.namespace,
        workload: t.workload,
        labels: istioLabels(t, code),
        requests: 0,
        durationSumMs: 0,
        buckets: this.bounds.map(() => 0),
      };
      this.series.set(key, s);
    }
    const d = this.distribution(t.latencyP50Ms, t.latencyP99Ms);
    s.requests += requests;
    s.durationSumMs += requests * d.meanMs;
    for (let i = 0; i < s.buckets.length; i++) {
      s.buckets[i] += requests * d.cumulative[i];
    }
  }

  /** Counts what `traffic` receives in `seconds`. */
  add(traffic: readonly WorkloadTraffic[], seconds: number) {
    if (!(seconds > 0)) return;
    for (const t of traffic) {
      const requests = t.requestsPerSecond * seconds;
      if (!(requests > 0)) continue;
      this.count(t, ERROR_CODE, requests * t.errorRate);
      this.count(t, OK_CODE, requests * (1 - t.errorRate));
    }
  }

  /** Forgets the series of workloads `keep` refuses (deleted Deployments: their pods, and counters, are gone). */
  retain(keep: (namespace: string, workload: string) => boolean) {
    for (const [key, s] of this.series) {
      if (!keep(s.namespace, s.workload)) this.series.delete(key);
    }
  }

  /** Every series, ordered by its labels. */
  snapshot(): CounterSeries[] {
    return [...this.series.keys()].sort().map(k => {
      const s = this.series.get(k)!;
      return {
        labels: { ...s.labels },
        requests: s.requests,
        durationSumMs: s.durationSumMs,
        buckets: [...s.buckets],
      };
    });
  }
}
