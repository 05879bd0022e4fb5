/* Rollouts, a Prometheus stub and a reader, for the tests of RolloutMetricsReader. */
import {
  readRoutePhase,
  rolloutState,
  routeState,
} from '@internal/plugin-istio-rollouts-common';
import type {
  RolloutReadModel,
  Route,
  RouteDestination,
  Subset,
} from '@internal/plugin-istio-rollouts-common';
import { DEFAULT_CANARY_ANALYSIS } from '../metricsConfig';
import type { CanaryAnalysis, ClusterPrometheus } from '../metricsConfig';
import type {
  PrometheusApi,
  PrometheusSeries,
  QueryRange,
} from '../PrometheusClient';
import { RolloutMetricsReader } from '../RolloutMetricsReader';

export const NOW_MS = 1_700_000_000_500;
export const END = 1_700_000_000;

export function subset(
  name: string,
  namespace = 'bookinfo',
  app = 'reviews',
): Subset {
  return {
    host: app,
    name,
    labels: { version: name },
    destinationRule: app,
    workloads: [
      {
        kind: 'Deployment',
        name: `${app}-${name}`,
        namespace,
        images: [],
        readyReplicas: 1,
        replicas: 1,
      },
    ],
  };
}

export function rollout(
  cluster: string,
  name: string,
  subsets: Subset[],
  weights: Array<[string, number]>,
): RolloutReadModel {
  const destinations = weights.map(([s, weight]) => ({
    host: name,
    subset: s,
    weight,
  }));
  return {
    id: `${cluster}/bookinfo/${name}`,
    cluster,
    namespace: 'bookinfo',
    name,
    apiVersion: 'networking.istio.io/v1',
    resourceVersion: '1',
    hosts: [name],
    gateways: [],
    routes: [routeOf(destinations)],
    subsets,
    state: rolloutState([routeOf(destinations)]),
    phase: 'canary',
    stableSubset: weights[0][0],
    findings: [],
  };
}

export const reviews = rollout(
  'east',
  'reviews',
  [subset('v1'), subset('v2')],
  [
    ['v1', 80],
    ['v2', 20],
  ],
);
export const ratings = rollout(
  'east',
  'ratings',
  [subset('v1', 'bookinfo', 'ratings')],
  [['v1', 100]],
);
export const westReviews = rollout(
  'west',
  'reviews',
  [subset('v1')],
  [['v1', 100]],
);
export const northReviews = rollout(
  'north',
  'reviews',
  [subset('v1')],
  [['v1', 100]],
);

/** A default route over the destinations, with the state the read model gives it. */
function routeOf(destinations: RouteDestination[]): Route {
  return {
    kind: 'http',
    index: 0,
    match: 'default',
    destinations,
    offers: {},
    state: routeState(readRoutePhase({ destinations }), {}),
  };
}

/** Series of one workload at the end time and 30 s before. */
export function at(
  metric: Record<string, string>,
  value: number,
): PrometheusSeries {
  return {
    metric,
    values: [
      [END - 30, value],
      [END, value],
    ],
  };
}

/** A Prometheus that knows reviews-v1 (40 rps, all fine) and reviews-v2 (10 rps, 10 % 503, slow). */
export function telemetryFor(query: string): PrometheusSeries[] {
  const w = (name: string, namespace = 'bookinfo') => ({
    destination_workload: name,
    destination_workload_namespace: namespace,
  });
  if (query.startsWith('sum by')) {
    return [
      at({ ...w('reviews-v1'), response_code: '200' }, 40),
      at({ ...w('reviews-v2'), response_code: '200' }, 9),
      at({ ...w('reviews-v2'), response_code: '503' }, 1),
      // Another namespace: dropped.
      at({ ...w('reviews-v2', 'shop'), response_code: '200' }, 100),
    ];
  }
  return [
    at({ ...w('reviews-v1'), quantile: '0.5' }, 10),
    at({ ...w('reviews-v1'), quantile: '0.99' }, 40),
    at({ ...w('reviews-v2'), quantile: '0.5' }, 100),
    at({ ...w('reviews-v2'), quantile: '0.99' }, 900),
  ];
}

type Stub = jest.Mocked<PrometheusApi>;

export function setup(
  options: {
    clusters?: ClusterPrometheus[];
    analysis?: Partial<CanaryAnalysis>;
    answer?: (
      cluster: string,
      query: string,
      range: QueryRange,
    ) => Promise<PrometheusSeries[]>;
  } = {},
) {
  let now = NOW_MS;
  const clients = new Map<string, Stub>();
  const onQuery = jest.fn();
  const answer =
    options.answer ?? (async (_c: string, q: string) => telemetryFor(q));
  const reader = new RolloutMetricsReader({
    clusters: options.clusters ?? [
      {
        cluster: 'east',
        prometheus: {
          url: 'http://prometheus',
          clusterLabel: 'cluster',
          timeoutMs: 1000,
        },
      },
      { cluster: 'west' },
    ],
    analysis: { ...DEFAULT_CANARY_ANALYSIS, ...options.analysis },
    clientFor: cluster => {
      const stub: Stub = {
        queryRange: jest.fn((q: string, r: QueryRange) =>
          answer(cluster, q, r),
        ),
      };
      clients.set(cluster, stub);
      return stub;
    },
    onQuery,
    now: () => now,
  });
  return {
    reader,
    clients,
    onQuery,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
