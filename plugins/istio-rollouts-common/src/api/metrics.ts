/*
 * Canary health: Istio's standard telemetry from Prometheus, per subset of each rollout, and the canary verdict of
 * each route. Answered by `GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/metrics`, apart
 * from the read model so that a slow Prometheus never slows the tab's routes and buttons.
 */
import type { Finding, RouteKind } from './rollouts';

/** One point of a series: Unix time in seconds and the value then. @public */
export type MetricPoint = [time: number, value: number];

/**
 * What Istio's telemetry says about one subset of a rollout: the requests its workloads (the Deployments the
 * subset selects) received, as `reporter="destination"` counts them. Figures are the last point of the series:
 * rates over the analysis window ending now. `requestsPerSecond` is `null` when Prometheus has no series for the
 * subset's workloads at all (never called, no sidecar), `0` when it has and they received nothing; the success
 * rate and latencies are `null` without requests (nothing to speak of). A subset of several Deployments sums their
 * requests and errors, and takes the slowest Deployment's latency percentiles.
 * @public
 */
export interface SubsetMetrics {
  /** The DestinationRule host and subset name, as in the read model's `subsets`. */
  host: string;
  subset: string;
  /** Requests per second. */
  requestsPerSecond: number | null;
  /** Share of requests answered without a 5xx, 0 to 1. */
  successRate: number | null;
  /** Latency percentiles in milliseconds, from `istio_request_duration_milliseconds_bucket`. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Requests in the analysis window (requestsPerSecond × window), for the minimum-traffic rule. */
  requests: number;
  /**
   * The last `rangeSeconds` at `stepSeconds`: requests and 5xx per second, and p99 latency in milliseconds. A time
   * without a value (no series yet, no latency without requests) has no point.
   */
  series: {
    requestsPerSecond: MetricPoint[];
    errorsPerSecond: MetricPoint[];
    latencyP99Ms: MetricPoint[];
  };
}

/** One rule of the canary analysis and how the canary fared against it. @public */
export interface CanaryCheck {
  metric: 'successRate' | 'latencyP99';
  /** The canary's value: a share 0 to 1 for `successRate`, milliseconds for `latencyP99`. */
  value: number | null;
  /** The stable subset's value, for comparison; null when it has none (no requests). */
  stableValue: number | null;
  /** The operator's threshold: the minimum success rate, or the maximum p99 in milliseconds. */
  threshold: number;
  passed: boolean;
}

/**
 * The canary's health on one route: `healthy` when every check passes, `failing` when one does not,
 * `insufficientTraffic` below the minimum request count (nothing can be said yet).
 * @public
 */
export interface CanaryVerdict {
  status: 'healthy' | 'failing' | 'insufficientTraffic';
  /** The subset being judged: the route's canary (or the blue/green side reachable by header). */
  canary: string;
  /** The subset it is compared with. */
  stable: string;
  /**
   * In words, e.g. `failing: 4.2 % errors vs 0.3 %`, `failing: p99 900 ms vs 40 ms (limit 500 ms)`, `healthy`,
   * `not enough traffic: 12 of 50 requests` (`n/a` for a stable figure that is not known).
   */
  summary: string;
  /** The checks made: none while the traffic is insufficient, the latency check only when the canary's is known. */
  checks: CanaryCheck[];
  /** Canary success rate minus the stable's, in points of a share (−0.039 is 3.9 points worse). */
  successRateDelta?: number;
  /** Canary p99 divided by the stable's. */
  latencyP99Ratio?: number;
}

/** The verdict on one route of a rollout, when the route has a canary and a stable subset to compare. @public */
export interface RouteHealth {
  route: { kind: RouteKind; index: number };
  verdict: CanaryVerdict;
}

/** Canary health of one rollout (one VirtualService in one cluster). @public */
export interface RolloutMetrics {
  /** The rollout's id, as in the read model: `<cluster>/<namespace>/<name>`. */
  rolloutId: string;
  subsets: SubsetMetrics[];
  routes: RouteHealth[];
  /** `CANARY_ERROR_RATE`, `CANARY_LATENCY`, `NO_CANARY_TRAFFIC`, with the route and subset they are about. */
  findings: Finding[];
}

/** Whether a cluster's metrics could be read. @public */
export interface ClusterMetricsStatus {
  name: string;
  /** `notConfigured`: no Prometheus for the cluster; `unavailable`: it failed or exceeded its timeout. */
  status: 'ok' | 'unavailable' | 'notConfigured';
  /**
   * Why a cluster is `unavailable`: `Timeout`, `Unreachable`, `PrometheusError` (Prometheus answered an error),
   * `BadResponse` (not Prometheus's JSON) or `ClusterUnavailable` (the cluster's rollouts could not be read); the
   * message names the cluster.
   */
  error?: { reason: string; message: string };
}

/** The rules a canary is judged by, as the operator configured them. @public */
export interface CanaryThresholds {
  /** Minimum share of non-5xx answers, 0 to 1 (default 0.99). */
  minSuccessRate: number;
  /** Maximum p99 latency in milliseconds (default 500). */
  maxLatencyP99Ms: number;
  /** Fewer canary requests in the window than this and the verdict is `insufficientTraffic` (default 50). */
  minRequests: number;
}

/** Answer of `GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/metrics`. @public */
export interface RolloutMetricsResponse {
  /** Seconds the figures are computed over (the rate window), and the series' span and step. */
  windowSeconds: number;
  rangeSeconds: number;
  stepSeconds: number;
  thresholds: CanaryThresholds;
  /** One entry per configured cluster. */
  clusters: ClusterMetricsStatus[];
  /** The entity's rollouts in the clusters whose status is `ok`. */
  rollouts: RolloutMetrics[];
}
