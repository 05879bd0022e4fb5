/**
 * VirtualServices, DestinationRules and Deployments shaped like the demo scenarios in
 * `examples/clusters/demo-east/`, as the API server returns them (with a `resourceVersion`). Each builder answers
 * a fresh object, so a test may change it. Test-only.
 */
import { ActionValidationError } from '../ActionValidationError';
import { parseActionRequest } from '../parseActionRequest';
import { planAction } from '../planAction';
import type { ActionKubeObject, ActionPlan } from '../types';

type Spec = Record<string, unknown>;

export function virtualService(
  name: string,
  namespace: string,
  spec: Spec,
  resourceVersion = '101',
): ActionKubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: {
      name,
      namespace,
      resourceVersion,
      labels: { 'backstage.io/kubernetes-id': name },
    },
    spec,
  };
}

export function destinationRule(
  name: string,
  namespace: string,
  host: string,
  subsets: Array<{ name: string; labels: Record<string, string> }>,
  resourceVersion = '90',
): ActionKubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace, resourceVersion },
    spec: { host, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets },
  };
}

export function deployment(
  name: string,
  namespace: string,
  podLabels: Record<string, string>,
): ActionKubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: podLabels },
    spec: {
      replicas: 2,
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels }, spec: { containers: [] } },
    },
  };
}

const versions = (...names: string[]) =>
  names.map(name => ({ name, labels: { version: name } }));

/** `reviews` (bookinfo): route `reviews-route` v1 50 / v2 50 on port 9080; v3 staged in the DR at no traffic. */
export const reviews = {
  virtualService: () =>
    virtualService('reviews', 'bookinfo', {
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      http: [
        {
          name: 'reviews-route',
          match: [{ uri: { prefix: '/reviews' } }],
          route: [
            {
              destination: {
                host: 'reviews',
                subset: 'v1',
                port: { number: 9080 },
              },
              weight: 50,
            },
            {
              destination: {
                host: 'reviews',
                subset: 'v2',
                port: { number: 9080 },
              },
              weight: 50,
            },
          ],
          timeout: '10s',
          retries: {
            attempts: 3,
            perTryTimeout: '2s',
            retryOn: 'gateway-error,connect-failure,refused-stream',
          },
        },
      ],
    }),
  destinationRules: () => [
    destinationRule(
      'reviews',
      'bookinfo',
      'reviews',
      versions('v1', 'v2', 'v3'),
    ),
  ],
  deployments: () => [
    deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }),
    deployment('reviews-v2', 'bookinfo', { app: 'reviews', version: 'v2' }),
    deployment('reviews-v3', 'bookinfo', { app: 'reviews', version: 'v3' }),
  ],
};

/** `web-service` (default): route `primary` blue 100 / green 0 on port 80; subsets select versions 1.0.0 / 2.0.0. */
export const webService = {
  virtualService: () =>
    virtualService('web-service', 'default', {
      hosts: ['web-service'],
      http: [
        {
          name: 'primary',
          route: [
            {
              destination: {
                host: 'web-service',
                subset: 'blue',
                port: { number: 80 },
              },
              weight: 100,
            },
            {
              destination: {
                host: 'web-service',
                subset: 'green',
                port: { number: 80 },
              },
              weight: 0,
            },
          ],
          timeout: '5s',
        },
      ],
    }),
  destinationRules: () => [
    destinationRule('web-service', 'default', 'web-service', [
      { name: 'blue', labels: { version: '1.0.0' } },
      { name: 'green', labels: { version: '2.0.0' } },
    ]),
  ],
  deployments: () => [
    deployment('web-deployment-v1', 'default', {
      app: 'web-service',
      version: '1.0.0',
    }),
    deployment('web-deployment-v2', 'default', {
      app: 'web-service',
      version: '2.0.0',
    }),
  ],
};

/** `foobar` (foobar): route `foobar-canary` latest 70 / v2 30, FQDN hosts, subsets on the `revision` label. */
export const foobar = {
  virtualService: () =>
    virtualService('foobar', 'foobar', {
      hosts: ['foobar.foobar.svc.cluster.local'],
      http: [
        {
          name: 'foobar-canary',
          route: [
            {
              destination: {
                host: 'foobar.foobar.svc.cluster.local',
                subset: 'latest',
              },
              weight: 70,
            },
            {
              destination: {
                host: 'foobar.foobar.svc.cluster.local',
                subset: 'v2',
              },
              weight: 30,
            },
          ],
        },
      ],
    }),
  destinationRules: () => [
    destinationRule('foobar', 'foobar', 'foobar.foobar.svc.cluster.local', [
      { name: 'latest', labels: { revision: 'latest' } },
      { name: 'v2', labels: { revision: 'v2' } },
    ]),
  ],
  deployments: () => [
    deployment('foobar-latest', 'foobar', {
      app: 'foobar',
      revision: 'latest',
      version: '1.4.2',
    }),
    deployment('foobar-v2', 'foobar', {
      app: 'foobar',
      revision: 'v2',
      version: '2.0.0',
    }),
  ],
};

/** `gorilla-sfx-demo` (default): http[0] header `x-deploy: green` → green, http[1] default → blue, port 9090. */
export const gorilla = {
  virtualService: () =>
    virtualService('gorilla-sfx-demo', 'default', {
      hosts: ['gorilla-sfx-demo'],
      http: [
        {
          name: 'green-by-header',
          match: [{ headers: { 'x-deploy': { exact: 'green' } } }],
          route: [
            {
              destination: {
                host: 'gorilla-sfx-demo',
                subset: 'green',
                port: { number: 9090 },
              },
            },
          ],
        },
        {
          name: 'default',
          route: [
            {
              destination: {
                host: 'gorilla-sfx-demo',
                subset: 'blue',
                port: { number: 9090 },
              },
            },
          ],
        },
      ],
    }),
  destinationRules: () => [
    destinationRule(
      'gorilla-sfx-demo',
      'default',
      'gorilla-sfx-demo',
      versions('blue', 'green'),
    ),
  ],
  deployments: () => [
    deployment('gorilla-sfx-demo-blue', 'default', {
      app: 'gorilla-sfx-demo',
      version: 'blue',
    }),
    deployment('gorilla-sfx-demo-green', 'default', {
      app: 'gorilla-sfx-demo',
      version: 'green',
    }),
  ],
};

/** `ratings` (bookinfo): one unnamed http route, a lone destination v1 without weight. */
export const ratings = {
  virtualService: () =>
    virtualService('ratings', 'bookinfo', {
      hosts: ['ratings'],
      http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }],
    }),
  destinationRules: () => [
    destinationRule('ratings', 'bookinfo', 'ratings', versions('v1')),
  ],
  deployments: () => [
    deployment('ratings-v1', 'bookinfo', { app: 'ratings', version: 'v1' }),
  ],
};

/** Runs `fn`, which must refuse with an {@link ActionValidationError}, and answers its field and reason. */
export function refusal(fn: () => unknown): { field: string; reason: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ActionValidationError) {
      return { field: e.field, reason: e.reason };
    }
    throw e;
  }
  throw new Error('expected an ActionValidationError, but nothing was thrown');
}

/** A demo scenario: fresh copies of its objects. */
export interface Scenario {
  virtualService: () => ActionKubeObject;
  destinationRules: () => ActionKubeObject[];
  deployments: () => ActionKubeObject[];
}

/** The objects of a scenario, as `planAction` takes them. */
export function inputOf(scenario: Scenario) {
  return {
    virtualService: scenario.virtualService(),
    destinationRules: scenario.destinationRules(),
    deployments: scenario.deployments(),
  };
}

/**
 * Plans a request (possibly malformed, as it may come from a browser) on a scenario's objects: read by
 * `parseActionRequest` (with a `rolloutId` when it has none), then planned; a rollback's `stableSubset` goes to the
 * planner as the backend would pass it.
 */
export function planOn(
  scenario: Scenario,
  request: unknown,
  overrides: Partial<ReturnType<typeof inputOf>> = {},
): ActionPlan {
  const { stableSubset, ...body } = (request ?? {}) as {
    stableSubset?: string;
  };
  return planAction({
    ...inputOf(scenario),
    ...overrides,
    request: parseActionRequest({ rolloutId: 'test/ns/vs', ...body }),
    stableSubset,
  });
}
