/* A rollout of host `reviews` and figures of its subsets, for the tests of the canary rule. */
import type { Route, Subset, SubsetMetrics } from '../../api';
import type { CanaryRollout } from '../canaryVerdict';
import { readRoutePhase, routeState } from '../../state';

/** Figures of one subset of host `reviews`; requests are rps × 60. */
export function metrics(
  name: string,
  figures: Partial<SubsetMetrics> & { rps?: number | null } = {},
  host = 'reviews',
): SubsetMetrics {
  const { rps = 10, ...rest } = figures;
  return {
    host,
    subset: name,
    requestsPerSecond: rps,
    successRate: rps ? 1 : null,
    latencyP50Ms: rps ? 10 : null,
    latencyP99Ms: rps ? 40 : null,
    requests: Math.round((rps ?? 0) * 60),
    series: { requestsPerSecond: [], errorsPerSecond: [], latencyP99Ms: [] },
    ...rest,
  };
}

export function route(
  weights: Array<[string, number]>,
  extra: Partial<Route> = {},
): Route {
  const destinations = weights.map(([name, weight]) => ({
    host: 'reviews',
    subset: name,
    weight,
  }));
  return {
    kind: 'http',
    index: 0,
    name: 'reviews-route',
    match: 'default',
    destinations,
    offers: {},
    state: routeState(readRoutePhase({ destinations }), {}),
    ...extra,
  };
}

export function subset(name: string, host = 'reviews'): Subset {
  return {
    host,
    name,
    labels: { version: name },
    destinationRule: 'reviews',
    workloads: [
      {
        kind: 'Deployment',
        name: `reviews-${name}`,
        namespace: 'bookinfo',
        images: [],
        readyReplicas: 1,
        replicas: 1,
      },
    ],
  };
}

export function rollout(
  routes: Route[],
  extra: Partial<CanaryRollout> = {},
): CanaryRollout {
  return {
    namespace: 'bookinfo',
    routes,
    subsets: ['v1', 'v2', 'v3', 'blue', 'green'].map(s => subset(s)),
    ...extra,
  };
}
