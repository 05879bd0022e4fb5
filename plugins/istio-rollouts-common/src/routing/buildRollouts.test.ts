import {
  deepFreeze,
  deployment,
  destinationRule,
  namespaceObject,
  service,
  virtualService,
} from './__testUtils__/objects';
import { buildRollouts, ClusterObjects } from './buildRollouts';
import { FindingCodes } from './findings';
import { KubeObject } from './kube';

function cluster(objects: Partial<ClusterObjects>): ClusterObjects {
  return {
    cluster: 'east',
    istioVersion: 'v1',
    virtualServices: [],
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [],
    ...objects,
  };
}

const reviewsObjects = (vsSpec: Record<string, unknown>, vsMeta = {}) =>
  cluster({
    virtualServices: [
      virtualService('reviews', 'bookinfo', vsSpec, {
        resourceVersion: '4711',
        ...vsMeta,
      }),
    ],
    destinationRules: [
      destinationRule('reviews', 'bookinfo', 'reviews', {
        v1: { version: 'v1' },
        v2: { version: 'v2' },
      }),
    ],
    deployments: [
      deployment(
        'reviews-v1',
        'bookinfo',
        { app: 'reviews', version: 'v1' },
        { replicas: 3 },
      ),
      deployment(
        'reviews-v2',
        'bookinfo',
        { app: 'reviews', version: 'v2' },
        { replicas: 2 },
      ),
      deployment('ratings-v1', 'bookinfo', { app: 'ratings', version: 'v1' }),
    ],
    services: [service('reviews', 'bookinfo', { app: 'reviews' })],
    namespaces: [namespaceObject('bookinfo', { 'istio-injection': 'enabled' })],
  });

const split = (v1: number, v2: number) => ({
  hosts: ['reviews'],
  http: [
    {
      name: 'reviews-route',
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
        { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
      ],
    },
  ],
});

const codes = (objects: ClusterObjects) =>
  buildRollouts(objects).flatMap(r => r.findings.map(f => f.code));

describe('buildRollouts', () => {
  it('builds the whole read model of a VirtualService', () => {
    const [rollout] = buildRollouts(reviewsObjects(split(90, 10)));
    expect(rollout).toEqual({
      id: 'east/bookinfo/reviews',
      cluster: 'east',
      namespace: 'bookinfo',
      name: 'reviews',
      apiVersion: 'networking.istio.io/v1',
      resourceVersion: '4711',
      hosts: ['reviews'],
      gateways: [],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'reviews-route',
          match: 'default',
          destinations: [
            { host: 'reviews', subset: 'v1', weight: 90 },
            { host: 'reviews', subset: 'v2', weight: 10 },
          ],
          offers: {
            setWeights: { keys: ['v1', 'v2'] },
            promote: { subset: 'v2' },
            rollback: { subset: 'v1', source: 'readModel' },
            startCanary: { subsets: [] },
          },
          state: {
            phase: 'canary',
            label: 'canary 10%',
            description:
              "Canary: v2 takes 10% of this route's requests, v1 the rest.",
            stableSubset: 'v1',
            candidateSubset: 'v2',
            candidatePercent: 10,
            retired: [],
            next: [
              { action: 'setWeights', label: 'Set weights' },
              { action: 'promote', label: 'Promote v2', subset: 'v2' },
              { action: 'rollback', label: 'Roll back to v1', subset: 'v1' },
            ],
          },
        },
      ],
      subsets: [
        {
          host: 'reviews',
          name: 'v1',
          labels: { version: 'v1' },
          destinationRule: 'reviews',
          live: true,
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v1',
              namespace: 'bookinfo',
              images: ['example/reviews-v1:1'],
              readyReplicas: 3,
              replicas: 3,
            },
          ],
        },
        {
          host: 'reviews',
          name: 'v2',
          labels: { version: 'v2' },
          destinationRule: 'reviews',
          live: true,
          workloads: [
            {
              kind: 'Deployment',
              name: 'reviews-v2',
              namespace: 'bookinfo',
              images: ['example/reviews-v2:1'],
              readyReplicas: 2,
              replicas: 2,
            },
          ],
        },
      ],
      state: {
        phase: 'canary',
        label: 'canary 10%',
        description:
          "Canary: v2 takes 10% of this route's requests, v1 the rest.",
        stableSubset: 'v1',
        candidateSubset: 'v2',
        candidatePercent: 10,
        route: { kind: 'http', index: 0 },
      },
      phase: 'canary',
      stableSubset: 'v1',
      candidateSubset: 'v2',
      meshRevision: 'default',
      findings: [],
    });
  });

  it.each(['v1alpha3', 'v1beta1', 'v1'])(
    'reads objects served at networking.istio.io/%s the same way',
    version => {
      const withVersion = (o: KubeObject): KubeObject => ({
        ...o,
        apiVersion: `networking.istio.io/${version}`,
      });
      const objects = reviewsObjects(split(80, 20));
      const [rollout] = buildRollouts({
        ...objects,
        istioVersion: version,
        virtualServices: objects.virtualServices.map(withVersion),
        destinationRules: objects.destinationRules.map(withVersion),
      });
      const [reference] = buildRollouts(objects);
      expect(rollout).toEqual({
        ...reference,
        apiVersion: `networking.istio.io/${version}`,
      });
    },
  );

  it('never mutates its input and ignores fields it does not model', () => {
    const objects = reviewsObjects({
      ...split(50, 50),
      exportTo: ['*'],
      http: [
        {
          ...split(50, 50).http[0],
          timeout: '10s',
          retries: { attempts: 3 },
          somethingNew: { a: 1 },
        },
      ],
    });
    deepFreeze(objects);
    const [rollout] = buildRollouts(objects);
    expect(rollout.routes[0].destinations.map(d => d.weight)).toEqual([50, 50]);
    expect(rollout.findings).toEqual([]);
  });

  it('sorts rollouts by namespace and name and skips objects of other kinds', () => {
    const rollouts = buildRollouts(
      cluster({
        virtualServices: [
          virtualService('b', 'ns2', { hosts: ['b'] }),
          virtualService('z', 'ns1', { hosts: ['z'] }),
          virtualService('a', 'ns2', { hosts: ['a'] }),
          { kind: 'Gateway', metadata: { name: 'gw', namespace: 'ns1' } },
          {
            metadata: { name: 'no-kind', namespace: 'ns1' },
            spec: { hosts: ['n'] },
          },
        ],
      }),
    );
    expect(rollouts.map(r => r.id)).toEqual([
      'east/ns1/no-kind',
      'east/ns1/z',
      'east/ns2/a',
      'east/ns2/b',
    ]);
  });

  it('reads a VirtualService without namespace or resourceVersion', () => {
    const [rollout] = buildRollouts(
      cluster({
        virtualServices: [
          { kind: 'VirtualService', metadata: { name: 'x' }, spec: {} },
        ],
      }),
    );
    expect(rollout).toMatchObject({
      id: 'east/default/x',
      namespace: 'default',
      resourceVersion: '',
      phase: 'stable',
    });
  });

  it('sets meshRevision from the VirtualService namespace, separate from the app canary', () => {
    const objects = reviewsObjects(split(90, 10));
    const [rollout] = buildRollouts({
      ...objects,
      namespaces: [namespaceObject('bookinfo', { 'istio.io/rev': 'canary' })],
    });
    expect(rollout.meshRevision).toBe('canary');
    expect(rollout.phase).toBe('canary');
    expect(
      buildRollouts({ ...objects, namespaces: [] })[0].meshRevision,
    ).toBeUndefined();
  });

  it('reads a host-level 100/0 split as stable: without subsets there is no blue/green pair', () => {
    const [rollout] = buildRollouts(
      cluster({
        virtualServices: [
          virtualService('web', 'shop', {
            hosts: ['web'],
            http: [
              {
                route: [
                  { destination: { host: 'web-blue' }, weight: 100 },
                  { destination: { host: 'web-green' }, weight: 0 },
                ],
              },
            ],
          }),
        ],
        services: [
          service('web-blue', 'shop', { app: 'web', color: 'blue' }),
          service('web-green', 'shop', { app: 'web', color: 'green' }),
        ],
        deployments: [
          deployment('web-blue', 'shop', { app: 'web', color: 'blue' }),
          deployment('web-green', 'shop', { app: 'web', color: 'green' }),
        ],
      }),
    );
    expect(rollout.phase).toBe('stable');
    expect(rollout.state.label).toBe('stable — web-green at 0%');
    expect(rollout.subsets).toEqual([]);
    expect(rollout.stableSubset).toBeUndefined();
  });

  it('owner: a controller wins over GitOps, and both are reported', () => {
    const [rollout] = buildRollouts(
      reviewsObjects(split(90, 10), {
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: 'reviews',
          },
        ],
        annotations: {
          'argocd.argoproj.io/tracking-id':
            'reviews:networking.istio.io/VirtualService:bookinfo/reviews',
        },
      }),
    );
    expect(rollout.owner).toEqual({
      kind: 'ArgoRollouts',
      name: 'reviews',
      effect: 'refuses-edits',
      via: 'ownerReference Rollout/reviews',
    });
    expect(rollout.findings.map(f => [f.code, f.severity])).toEqual([
      ['OWNED_BY_CONTROLLER', 'warning'],
      ['TRACKED_BY_GITOPS', 'info'],
    ]);
  });

  it('owner: Argo Rollouts seen on the DestinationRule of the route host', () => {
    const objects = reviewsObjects(split(90, 10));
    const [rollout] = buildRollouts({
      ...objects,
      destinationRules: [
        destinationRule(
          'reviews',
          'bookinfo',
          'reviews.bookinfo.svc.cluster.local',
          {
            v1: { version: 'v1', 'rollouts-pod-template-hash': 'abc' },
            v2: { version: 'v2' },
          },
          {
            annotations: {
              'argo-rollouts.argoproj.io/managed-by-rollouts':
                'reviews-rollout',
            },
          },
        ),
      ],
    });
    expect(rollout.owner?.kind).toBe('ArgoRollouts');
    expect(rollout.owner?.name).toBe('reviews-rollout');
  });

  describe('emits every finding code', () => {
    it('WEIGHTS_DO_NOT_SUM_TO_100', () => {
      expect(codes(reviewsObjects(split(60, 30)))).toEqual([
        FindingCodes.WEIGHTS_DO_NOT_SUM_TO_100,
      ]);
    });

    it('SUBSET_NOT_DEFINED', () => {
      const spec = split(90, 10);
      (spec.http[0].route[1].destination as { subset: string }).subset = 'v9';
      expect(codes(reviewsObjects(spec))).toEqual([
        FindingCodes.SUBSET_NOT_DEFINED,
      ]);
    });

    it('SUBSET_HAS_NO_READY_PODS', () => {
      const objects = reviewsObjects(split(90, 10));
      const [rollout] = buildRollouts({
        ...objects,
        deployments: [
          deployment('reviews-v1', 'bookinfo', {
            app: 'reviews',
            version: 'v1',
          }),
          deployment(
            'reviews-v2',
            'bookinfo',
            { app: 'reviews', version: 'v2' },
            { ready: 0 },
          ),
        ],
      });
      expect(rollout.findings.map(f => [f.code, f.severity, f.subset])).toEqual(
        [[FindingCodes.SUBSET_HAS_NO_READY_PODS, 'warning', 'v2']],
      );
    });

    it('HOST_IN_SEVERAL_VIRTUAL_SERVICES', () => {
      const objects = reviewsObjects(split(90, 10));
      const rollouts = buildRollouts({
        ...objects,
        virtualServices: [
          ...objects.virtualServices,
          virtualService('reviews-hotfix', 'bookinfo', {
            hosts: ['reviews.bookinfo.svc.cluster.local'],
            http: [
              { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
            ],
          }),
        ],
      });
      expect(rollouts.map(r => r.findings.map(f => f.code))).toEqual([
        [FindingCodes.HOST_IN_SEVERAL_VIRTUAL_SERVICES],
        [FindingCodes.HOST_IN_SEVERAL_VIRTUAL_SERVICES],
      ]);
    });

    it('OWNED_BY_CONTROLLER', () => {
      expect(
        codes(
          reviewsObjects(split(90, 10), {
            ownerReferences: [
              {
                apiVersion: 'flagger.app/v1beta1',
                kind: 'Canary',
                name: 'reviews',
              },
            ],
          }),
        ),
      ).toEqual([FindingCodes.OWNED_BY_CONTROLLER]);
    });

    it('TRACKED_BY_GITOPS', () => {
      expect(
        codes(
          reviewsObjects(split(90, 10), {
            labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' },
          }),
        ),
      ).toEqual([FindingCodes.TRACKED_BY_GITOPS]);
    });

    it('DESTINATION_RULE_HOST_HAS_NO_SERVICE, for a route host and for a misspelt DR host', () => {
      const objects = reviewsObjects(split(90, 10));
      expect(codes({ ...objects, services: [] })).toEqual([
        FindingCodes.DESTINATION_RULE_HOST_HAS_NO_SERVICE,
      ]);
      const [rollout] = buildRollouts({
        ...objects,
        destinationRules: [
          ...objects.destinationRules,
          destinationRule('reviews-typo', 'bookinfo', 'reveiws', {
            v3: { version: 'v3' },
          }),
        ],
      });
      expect(rollout.findings).toEqual([
        expect.objectContaining({
          code: FindingCodes.DESTINATION_RULE_HOST_HAS_NO_SERVICE,
          host: 'reveiws',
          message: expect.stringContaining(
            'DestinationRule "reviews-typo" is for host "reveiws"',
          ),
        }),
      ]);
    });
  });
});
