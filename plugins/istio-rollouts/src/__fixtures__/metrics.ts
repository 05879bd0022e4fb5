import type {
  CanaryVerdict,
  MetricPoint,
  RolloutMetricsResponse,
  SubsetMetrics,
} from '@internal/plugin-istio-rollouts-common';

/*
 * Answers of GET /api/istio-rollouts/v1/entities/component/default/reviews/rollouts/metrics, for the rollouts of
 * `reviewsResponse` (./rollouts.ts): the same ids, hosts and subsets.
 */

/** The end of every series: 2025-12-06 05:46:40 UTC. */
export const SERIES_END = 1_765_000_000;
const STEP = 60;
const POINTS = 30;

/** `POINTS` points a minute apart ending at `SERIES_END`, from a value per index. */
function series(value: (i: number) => number): MetricPoint[] {
  return Array.from({ length: POINTS }, (_, i) => [
    SERIES_END - (POINTS - 1 - i) * STEP,
    Math.round(value(i) * 1000) / 1000,
  ]);
}

function subset(
  name: string,
  figures: {
    rps: number;
    successRate: number;
    p50: number;
    p99: number;
  },
): SubsetMetrics {
  const errors = figures.rps * (1 - figures.successRate);
  return {
    host: 'reviews',
    subset: name,
    requestsPerSecond: figures.rps,
    successRate: figures.successRate,
    latencyP50Ms: figures.p50,
    latencyP99Ms: figures.p99,
    requests: Math.round(figures.rps * 300),
    series: {
      requestsPerSecond: series(i => figures.rps * (0.9 + (i % 5) * 0.05)),
      errorsPerSecond: series(i => errors * (0.8 + (i % 3) * 0.2)),
      latencyP99Ms: series(i => figures.p99 * (0.95 + (i % 4) * 0.03)),
    },
  };
}

/** A staged subset: no request in the window, so no figure. */
function idle(name: string): SubsetMetrics {
  return {
    host: 'reviews',
    subset: name,
    requestsPerSecond: null,
    successRate: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    requests: 0,
    series: { requestsPerSecond: [], errorsPerSecond: [], latencyP99Ms: [] },
  };
}

const thresholds = {
  minSuccessRate: 0.99,
  maxLatencyP99Ms: 500,
  minRequests: 50,
};

/** reviews: the canary v2 fails in demo-east (4.2 % errors), and is healthy in demo-west. */
export const reviewsMetrics: RolloutMetricsResponse = {
  windowSeconds: 300,
  rangeSeconds: 1800,
  stepSeconds: STEP,
  thresholds,
  clusters: [
    { name: 'demo-east', status: 'ok' },
    { name: 'demo-west', status: 'ok' },
  ],
  rollouts: [
    {
      rolloutId: 'demo-east/bookinfo/reviews',
      subsets: [
        subset('v1', { rps: 12.4, successRate: 0.997, p50: 8, p99: 42 }),
        subset('v2', { rps: 12.1, successRate: 0.958, p50: 11, p99: 87.5 }),
        idle('v3'),
      ],
      routes: [
        {
          route: { kind: 'http', index: 0 },
          verdict: {
            status: 'failing',
            canary: 'v2',
            stable: 'v1',
            summary: 'failing: 4.2 % errors vs 0.3 %',
            checks: [
              {
                metric: 'successRate',
                value: 0.958,
                stableValue: 0.997,
                threshold: 0.99,
                passed: false,
              },
              {
                metric: 'latencyP99',
                value: 87.5,
                stableValue: 42,
                threshold: 500,
                passed: true,
              },
            ],
            successRateDelta: -0.039,
            latencyP99Ratio: 2.08,
          },
        },
      ],
      findings: [
        {
          code: 'CANARY_ERROR_RATE',
          severity: 'error',
          message:
            'Canary v2 answers 4.2 % of requests with a 5xx (v1: 0.3 %); the minimum success rate is 99 %.',
          route: { kind: 'http', index: 0 },
          subset: 'v2',
        },
      ],
    },
    {
      rolloutId: 'demo-west/bookinfo/reviews',
      subsets: [
        subset('v1', { rps: 20.2, successRate: 0.9985, p50: 7, p99: 38 }),
        subset('v2', { rps: 5.05, successRate: 1, p50: 7, p99: 41 }),
        idle('v3'),
      ],
      routes: [
        {
          route: { kind: 'http', index: 0 },
          verdict: {
            status: 'healthy',
            canary: 'v2',
            stable: 'v1',
            summary: 'healthy',
            checks: [
              {
                metric: 'successRate',
                value: 1,
                stableValue: 0.9985,
                threshold: 0.99,
                passed: true,
              },
              {
                metric: 'latencyP99',
                value: 41,
                stableValue: 38,
                threshold: 500,
                passed: true,
              },
            ],
          },
        },
      ],
      findings: [],
    },
  ],
};

/** reviews with demo-west's Prometheus timing out: demo-east only. */
export const reviewsMetricsWestUnavailable: RolloutMetricsResponse = {
  ...reviewsMetrics,
  clusters: [
    { name: 'demo-east', status: 'ok' },
    {
      name: 'demo-west',
      status: 'unavailable',
      error: {
        reason: 'Timeout',
        message: 'Prometheus did not answer within 5000 ms',
      },
    },
  ],
  rollouts: reviewsMetrics.rollouts.filter(
    r => r.rolloutId !== 'demo-west/bookinfo/reviews',
  ),
};

/** reviews in clusters without Prometheus. */
export const reviewsMetricsNotConfigured: RolloutMetricsResponse = {
  ...reviewsMetrics,
  clusters: [
    { name: 'demo-east', status: 'notConfigured' },
    { name: 'demo-west', status: 'notConfigured' },
  ],
  rollouts: [],
};

/** The verdict on a canary with too few requests to judge. */
export const insufficientTrafficVerdict: CanaryVerdict = {
  status: 'insufficientTraffic',
  canary: 'v2',
  stable: 'v1',
  summary: 'not enough traffic: 12 of 50 requests',
  checks: [],
};
