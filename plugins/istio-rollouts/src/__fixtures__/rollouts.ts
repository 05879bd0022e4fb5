import {
  HeaderPairRole,
  readRoutePhase,
  Rollout,
  RolloutsResponse,
  rolloutState,
  Route,
  routeState,
} from '@internal/plugin-istio-rollouts-common';

/** A read model as written below: without the states, which the server computes with common's state model. */
type Unstated = Omit<RolloutsResponse, 'rollouts'> & {
  rollouts: Array<
    Omit<Rollout, 'routes' | 'state'> & { routes: Array<Omit<Route, 'state'>> }
  >;
};

/** The states the server serves, computed by the same pure rules (the pair read from the switch offer). */
function withStates(response: Unstated): RolloutsResponse {
  return {
    ...response,
    rollouts: response.rollouts.map(rollout => {
      const pairOf = (
        route: Omit<Route, 'state'>,
      ): HeaderPairRole | undefined => {
        const offer = rollout.routes.find(
          r =>
            r.offers.switch &&
            (r.offers.switch.headerRoute === route.index ||
              r.offers.switch.defaultRoute === route.index),
        )?.offers.switch;
        const header = rollout.routes.find(r => r.index === offer?.headerRoute);
        return offer && header
          ? { live: offer.live, idle: offer.idle, headerMatch: header.match }
          : undefined;
      };
      const routes = rollout.routes.map(route => ({
        ...route,
        state: routeState(readRoutePhase(route, pairOf(route)), route.offers),
      }));
      return { ...rollout, routes, state: rolloutState(routes) };
    }),
  };
}

/*
 * Answers of GET /api/istio-rollouts/v1/entities/component/default/<name>/rollouts from the demo (npm run start:backend),
 * as the guest user, who owns reviews and gorilla-sfx-demo but not web-service.
 */

/** reviews: an active canary v1 50 / v2 50 in demo-east (80/20 in demo-west), v3 staged. */
export const reviewsResponse: RolloutsResponse = withStates({
  clusters: [
    {
      name: 'demo-east',
      status: 'ok',
    },
    {
      name: 'demo-west',
      status: 'ok',
    },
  ],
  rollouts: [
    {
      id: 'demo-east/bookinfo/reviews',
      cluster: 'demo-east',
      namespace: 'bookinfo',
      name: 'reviews',
      apiVersion: 'networking.istio.io/v1',
      resourceVersion: '28',
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'reviews-route',
          match: 'prefix /reviews',
          destinations: [
            {
              host: 'reviews',
              subset: 'v1',
              port: 9080,
              weight: 50,
            },
            {
              host: 'reviews',
              subset: 'v2',
              port: 9080,
              weight: 50,
            },
          ],
          offers: {
            setWeights: { keys: ['v1', 'v2'] },
            promote: { subset: 'v2' },
            rollback: { subset: 'v1', source: 'readModel' },
            startCanary: { subsets: ['v3'] },
          },
        },
      ],
      subsets: [
        {
          host: 'reviews',
          name: 'v1',
          labels: {
            version: 'v1',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v1',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v1:1.20.3'],
              readyReplicas: 3,
              replicas: 3,
            },
          ],
          live: true,
        },
        {
          host: 'reviews',
          name: 'v2',
          labels: {
            version: 'v2',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v2',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v2:1.20.3'],
              readyReplicas: 3,
              replicas: 3,
            },
          ],
          live: true,
        },
        {
          host: 'reviews',
          name: 'v3',
          labels: {
            version: 'v3',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v3',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v3:1.20.3'],
              readyReplicas: 2,
              replicas: 2,
            },
          ],
          live: false,
        },
      ],
      phase: 'canary',
      stableSubset: 'v1',
      candidateSubset: 'v2',
      meshRevision: 'default',
      findings: [],
      allowedActions: [
        'setWeights',
        'promote',
        'rollback',
        'switch',
        'startCanary',
      ],
    },
    {
      id: 'demo-west/bookinfo/reviews',
      cluster: 'demo-west',
      namespace: 'bookinfo',
      name: 'reviews',
      apiVersion: 'networking.istio.io/v1',
      resourceVersion: '14',
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'reviews-route',
          match: 'prefix /reviews',
          destinations: [
            {
              host: 'reviews',
              subset: 'v1',
              port: 9080,
              weight: 80,
            },
            {
              host: 'reviews',
              subset: 'v2',
              port: 9080,
              weight: 20,
            },
          ],
          offers: {
            setWeights: { keys: ['v1', 'v2'] },
            promote: { subset: 'v2' },
            rollback: { subset: 'v1', source: 'readModel' },
            startCanary: { subsets: ['v3'] },
          },
        },
      ],
      subsets: [
        {
          host: 'reviews',
          name: 'v1',
          labels: {
            version: 'v1',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v1',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v1:1.20.3'],
              readyReplicas: 4,
              replicas: 4,
            },
          ],
          live: true,
        },
        {
          host: 'reviews',
          name: 'v2',
          labels: {
            version: 'v2',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v2',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v2:1.20.3'],
              readyReplicas: 2,
              replicas: 2,
            },
          ],
          live: true,
        },
        {
          host: 'reviews',
          name: 'v3',
          labels: {
            version: 'v3',
          },
          destinationRule: 'reviews',
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v3',
              namespace: 'bookinfo',
              images: ['docker.io/istio/examples-bookinfo-reviews-v3:1.20.3'],
              readyReplicas: 1,
              replicas: 1,
            },
          ],
          live: false,
        },
      ],
      phase: 'canary',
      stableSubset: 'v1',
      candidateSubset: 'v2',
      meshRevision: '1-24',
      findings: [],
      allowedActions: [
        'setWeights',
        'promote',
        'rollback',
        'switch',
        'startCanary',
      ],
    },
  ],
});

/** gorilla-sfx-demo: blue live, green reachable by header x-deploy = green. */
export const gorillaResponse: RolloutsResponse = withStates({
  clusters: [
    {
      name: 'demo-east',
      status: 'ok',
    },
    {
      name: 'demo-west',
      status: 'ok',
    },
  ],
  rollouts: [
    {
      id: 'demo-east/default/gorilla-sfx-demo',
      cluster: 'demo-east',
      namespace: 'default',
      name: 'gorilla-sfx-demo',
      apiVersion: 'networking.istio.io/v1',
      resourceVersion: '17',
      hosts: ['gorilla-sfx-demo'],
      gateways: [],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'green-by-header',
          match: 'header x-deploy = green',
          matchedHeaders: ['x-deploy'],
          destinations: [
            {
              host: 'gorilla-sfx-demo',
              subset: 'green',
              port: 9090,
              weight: 100,
            },
          ],
          offers: {},
        },
        {
          kind: 'http',
          index: 1,
          name: 'default',
          match: 'default',
          destinations: [
            {
              host: 'gorilla-sfx-demo',
              subset: 'blue',
              port: 9090,
              weight: 100,
            },
          ],
          offers: {
            switch: {
              headerRoute: 0,
              defaultRoute: 1,
              live: 'blue',
              idle: 'green',
            },
          },
        },
      ],
      subsets: [
        {
          host: 'gorilla-sfx-demo',
          name: 'blue',
          labels: {
            version: 'blue',
          },
          destinationRule: 'gorilla-sfx-demo',
          workloads: [
            {
              kind: 'Deployment',
              name: 'gorilla-sfx-demo-blue',
              namespace: 'default',
              images: ['ghcr.io/acme/gorilla-sfx-demo:3.2.0'],
              readyReplicas: 2,
              replicas: 2,
            },
          ],
          live: true,
        },
        {
          host: 'gorilla-sfx-demo',
          name: 'green',
          labels: {
            version: 'green',
          },
          destinationRule: 'gorilla-sfx-demo',
          workloads: [
            {
              kind: 'Deployment',
              name: 'gorilla-sfx-demo-green',
              namespace: 'default',
              images: ['ghcr.io/acme/gorilla-sfx-demo:3.3.0'],
              readyReplicas: 2,
              replicas: 2,
            },
          ],
          live: true,
        },
      ],
      phase: 'blue-green',
      stableSubset: 'blue',
      candidateSubset: 'green',
      meshRevision: 'default',
      findings: [],
      allowedActions: [
        'setWeights',
        'promote',
        'rollback',
        'switch',
        'startCanary',
      ],
    },
  ],
});

/** web-service: blue/green, idle green ready; owned by another team, so no action is allowed. */
export const webServiceResponse: RolloutsResponse = withStates({
  clusters: [
    {
      name: 'demo-east',
      status: 'ok',
    },
    {
      name: 'demo-west',
      status: 'ok',
    },
  ],
  rollouts: [
    {
      id: 'demo-east/default/web-service',
      cluster: 'demo-east',
      namespace: 'default',
      name: 'web-service',
      apiVersion: 'networking.istio.io/v1',
      resourceVersion: '33',
      hosts: ['web-service'],
      gateways: [],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'primary',
          match: 'default',
          destinations: [
            {
              host: 'web-service',
              subset: 'blue',
              port: 80,
              weight: 100,
            },
            {
              host: 'web-service',
              subset: 'green',
              port: 80,
              weight: 0,
            },
          ],
          offers: {
            setWeights: { keys: ['blue', 'green'] },
            promote: { subset: 'green' },
            startCanary: { subsets: [] },
          },
        },
      ],
      subsets: [
        {
          host: 'web-service',
          name: 'blue',
          labels: {
            version: '1.0.0',
          },
          destinationRule: 'web-service',
          workloads: [
            {
              kind: 'Deployment',
              name: 'web-deployment-v1',
              namespace: 'default',
              images: ['ghcr.io/acme/web-service:1.0.0'],
              readyReplicas: 3,
              replicas: 3,
            },
          ],
          live: true,
        },
        {
          host: 'web-service',
          name: 'green',
          labels: {
            version: '2.0.0',
          },
          destinationRule: 'web-service',
          workloads: [
            {
              kind: 'Deployment',
              name: 'web-deployment-v2',
              namespace: 'default',
              images: ['ghcr.io/acme/web-service:2.0.0'],
              readyReplicas: 3,
              replicas: 3,
            },
          ],
          live: false,
        },
      ],
      phase: 'stable',
      stableSubset: 'blue',
      candidateSubset: 'green',
      meshRevision: 'default',
      findings: [],
      allowedActions: [],
    },
  ],
});
