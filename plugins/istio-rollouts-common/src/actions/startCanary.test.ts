import {
  deployment,
  destinationRule,
  foobar,
  gorilla,
  planOn,
  ratings,
  refusal,
  reviews,
  virtualService,
  webService,
} from './__testUtils__/scenarios';
import { subsetNameForVersion } from './startCanary';

const rv = { op: 'replace', path: '/metadata/resourceVersion', value: '101' };
const http0 = { kind: 'http', index: 0 };
const start = (subset: unknown, route: object = http0) => ({
  action: 'startCanary',
  route,
  subset,
  resourceVersion: '101',
});

describe('startCanary', () => {
  it('adds a staged subset at 0 % beside the others, copying host and port (reviews v3)', () => {
    const plan = planOn(reviews, start('v3'));
    expect(plan.patches).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'bookinfo',
        name: 'reviews',
        operations: [
          rv,
          {
            op: 'test',
            path: '/spec/http/0/route/0/destination',
            value: { host: 'reviews', subset: 'v1', port: { number: 9080 } },
          },
          {
            op: 'test',
            path: '/spec/http/0/route/1/destination',
            value: { host: 'reviews', subset: 'v2', port: { number: 9080 } },
          },
          {
            op: 'add',
            path: '/spec/http/0/route/-',
            value: {
              destination: {
                host: 'reviews',
                subset: 'v3',
                port: { number: 9080 },
              },
              weight: 0,
            },
          },
        ],
      },
    ]);
    expect(plan.summary).toBe(
      'http[0] reviews-route: start canary v3 at 0 % beside v1 50, v2 50',
    );
    expect((plan.routeAfter as { route: unknown[] }).route).toHaveLength(3);
  });

  it('gives a lone destination without weight an explicit 100 in the same patch (gorilla-sfx-demo default route)', () => {
    const plan = planOn(
      gorilla,
      start('green', { kind: 'http', name: 'default' }),
    );
    const blue = {
      host: 'gorilla-sfx-demo',
      subset: 'blue',
      port: { number: 9090 },
    };
    expect(plan.patches).toHaveLength(1);
    expect(plan.patches[0].operations).toEqual([
      rv,
      { op: 'test', path: '/spec/http/1/route/0/destination', value: blue },
      { op: 'add', path: '/spec/http/1/route/0/weight', value: 100 },
      {
        op: 'add',
        path: '/spec/http/1/route/-',
        value: { destination: { ...blue, subset: 'green' }, weight: 0 },
      },
    ]);
    expect(plan.routeAfter).toEqual({
      name: 'default',
      route: [
        { destination: blue, weight: 100 },
        { destination: { ...blue, subset: 'green' }, weight: 0 },
      ],
    });
    expect(plan.summary).toBe(
      'http[1] default: start canary green at 0 % beside blue 100; blue gets an explicit weight 100',
    );
  });

  describe('adds the subset to the DestinationRule first when a Deployment carries its version', () => {
    it('ratings v2: a DestinationRule patch, then the VirtualService patch', () => {
      const plan = planOn(ratings, start('v2'), {
        deployments: [
          ...ratings.deployments(),
          deployment('ratings-v2', 'bookinfo', {
            app: 'ratings',
            version: 'v2',
          }),
        ],
      });
      expect(plan.patches).toEqual([
        {
          kind: 'DestinationRule',
          namespace: 'bookinfo',
          name: 'ratings',
          operations: [
            { op: 'replace', path: '/metadata/resourceVersion', value: '90' },
            {
              op: 'add',
              path: '/spec/subsets/-',
              value: { name: 'v2', labels: { version: 'v2' } },
            },
          ],
        },
        {
          kind: 'VirtualService',
          namespace: 'bookinfo',
          name: 'ratings',
          operations: [
            rv,
            {
              op: 'test',
              path: '/spec/http/0/route/0/destination',
              value: { host: 'ratings', subset: 'v1' },
            },
            { op: 'add', path: '/spec/http/0/route/0/weight', value: 100 },
            {
              op: 'add',
              path: '/spec/http/0/route/-',
              value: {
                destination: { host: 'ratings', subset: 'v2' },
                weight: 0,
              },
            },
          ],
        },
      ]);
      expect(plan.summary).toBe(
        'http[0]: start canary v2 at 0 % beside v1 100; added subset v2 (version=v2) to DestinationRule "ratings"; v1 gets an explicit weight 100',
      );
    });

    it('foobar (FQDN hosts): finds the Deployment in the namespace of the host', () => {
      const plan = planOn(foobar, start('v3'), {
        deployments: [
          ...foobar.deployments(),
          deployment('foobar-v3', 'foobar', {
            app: 'foobar',
            revision: 'v3',
            version: 'v3',
          }),
          deployment('foobar-v3-elsewhere', 'staging', {
            app: 'foobar',
            version: 'v3',
          }),
        ],
      });
      expect(plan.patches.map(p => [p.kind, p.operations.slice(1)])).toEqual([
        [
          'DestinationRule',
          [
            {
              op: 'add',
              path: '/spec/subsets/-',
              value: { name: 'v3', labels: { version: 'v3' } },
            },
          ],
        ],
        [
          'VirtualService',
          [
            {
              op: 'test',
              path: '/spec/http/0/route/0/destination',
              value: {
                host: 'foobar.foobar.svc.cluster.local',
                subset: 'latest',
              },
            },
            {
              op: 'test',
              path: '/spec/http/0/route/1/destination',
              value: { host: 'foobar.foobar.svc.cluster.local', subset: 'v2' },
            },
            {
              op: 'add',
              path: '/spec/http/0/route/-',
              value: {
                destination: {
                  host: 'foobar.foobar.svc.cluster.local',
                  subset: 'v3',
                },
                weight: 0,
              },
            },
          ],
        ],
      ]);
    });

    it('maps a version that is no valid subset name: 3.0.0 → subset 3-0-0 (web-service)', () => {
      const plan = planOn(webService, start('3-0-0'), {
        deployments: [
          ...webService.deployments(),
          deployment('web-deployment-v3', 'default', {
            app: 'web-service',
            version: '3.0.0',
          }),
        ],
      });
      expect(plan.patches[0].operations[1]).toEqual({
        op: 'add',
        path: '/spec/subsets/-',
        value: { name: '3-0-0', labels: { version: '3.0.0' } },
      });
    });

    it('prefers a Deployment whose version is exactly the subset name over one that maps to it', () => {
      const plan = planOn(reviews, start('v5'), {
        deployments: [
          deployment('reviews-v5-legacy', 'bookinfo', {
            app: 'reviews',
            version: 'V5',
          }),
          deployment('reviews-v5', 'bookinfo', {
            app: 'reviews',
            version: 'v5',
          }),
        ],
      });
      expect(plan.patches[0].operations[1]).toMatchObject({
        value: { name: 'v5', labels: { version: 'v5' } },
      });
    });

    it('creates the subsets list when the DestinationRule has none', () => {
      const bare = destinationRule('ratings', 'bookinfo', 'ratings', []);
      delete (bare.spec as { subsets?: unknown }).subsets;
      const plan = planOn(ratings, start('v1-next'), {
        destinationRules: [bare],
        deployments: [
          deployment('ratings-next', 'bookinfo', {
            app: 'ratings',
            version: 'v1-next',
          }),
        ],
      });
      expect(plan.patches[0].operations[1]).toEqual({
        op: 'add',
        path: '/spec/subsets',
        value: [{ name: 'v1-next', labels: { version: 'v1-next' } }],
      });
    });
  });

  it('starts a canary on a tcp route, keeping its port', () => {
    const vs = virtualService('db', 'bookinfo', {
      tcp: [
        {
          route: [
            {
              destination: { host: 'db', subset: 'v1', port: { number: 5432 } },
            },
          ],
        },
      ],
    });
    const rules = [
      destinationRule('db', 'bookinfo', 'db', [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ]),
    ];
    const plan = planOn(reviews, start('v2', { kind: 'tcp', index: 0 }), {
      virtualService: vs,
      destinationRules: rules,
    });
    expect(plan.patches[0].operations.slice(1)).toEqual([
      {
        op: 'test',
        path: '/spec/tcp/0/route/0/destination',
        value: { host: 'db', subset: 'v1', port: { number: 5432 } },
      },
      { op: 'add', path: '/spec/tcp/0/route/0/weight', value: 100 },
      {
        op: 'add',
        path: '/spec/tcp/0/route/-',
        value: {
          destination: { host: 'db', subset: 'v2', port: { number: 5432 } },
          weight: 0,
        },
      },
    ]);
  });

  describe('refuses, naming the field and the reason', () => {
    it.each([
      [
        'V3',
        'must be a subset name (lower-case letters, digits and "-", at most 63 characters), got "V3"',
      ],
      [
        '1.0.0',
        'must be a subset name (lower-case letters, digits and "-", at most 63 characters), got "1.0.0"',
      ],
      ['', 'must name a subset, got ""'],
      [undefined, 'must name a subset, got nothing'],
      ['v2', '"v2" is already a destination of route http[0] reviews-route'],
      [
        'v4',
        'subset "v4" is not defined in DestinationRule "reviews", and no Deployment of the entity in namespace bookinfo has the pod-template label version=v4 to add it from',
      ],
    ])('subset %p', (subset, reason) => {
      expect(refusal(() => planOn(reviews, start(subset)))).toEqual({
        field: 'subset',
        reason,
      });
    });

    it('a subset defined only by a labelled DestinationRule in an unrelated namespace', () => {
      const planted = destinationRule(
        'reviews-planted',
        'attacker',
        'reviews.bookinfo.svc.cluster.local',
        [{ name: 'evil', labels: { version: 'evil' } }],
      );
      const input = reviews;
      expect(
        refusal(() =>
          planOn(input, start('evil'), {
            destinationRules: [...input.destinationRules(), planted] as never,
          }),
        ).field,
      ).toBe('subset');
    });

    it('a version carried by several Deployments', () => {
      expect(
        refusal(() =>
          planOn(reviews, start('v4'), {
            deployments: [
              deployment('reviews-v4', 'bookinfo', {
                app: 'reviews',
                version: 'v4',
              }),
              deployment('reviews-v4-hotfix', 'bookinfo', {
                app: 'reviews',
                version: 'v4',
              }),
            ],
          }),
        ),
      ).toEqual({
        field: 'subset',
        reason:
          'subset "v4" is not defined in DestinationRule "reviews", and Deployments "reviews-v4" and "reviews-v4-hotfix" all carry a matching version label (v4); add the subset to the DestinationRule by hand',
      });
    });

    it('a version whose pods another subset already selects', () => {
      expect(refusal(() => planOn(webService, start('2-0-0')))).toEqual({
        field: 'subset',
        reason:
          'the pods of Deployment "web-deployment-v2" (version=2.0.0) are already subset "green" of DestinationRule "web-service"; start the canary with subset "green"',
      });
    });

    it('a version whose pods a subset on another label already selects', () => {
      expect(refusal(() => planOn(foobar, start('2-0-0')))).toEqual({
        field: 'subset',
        reason:
          'the pods of Deployment "foobar-v2" (version=2.0.0) are already subset "v2" of DestinationRule "foobar"; start the canary with subset "v2"',
      });
    });

    it('no DestinationRule for the host', () => {
      expect(
        refusal(() => planOn(reviews, start('v3'), { destinationRules: [] })),
      ).toEqual({
        field: 'subset',
        reason:
          'subset "v3" is not defined: no DestinationRule for host "reviews.bookinfo.svc.cluster.local"; create a DestinationRule with the subset first',
      });
    });

    it('several DestinationRules for the host, none with the subset', () => {
      const rules = [
        destinationRule('reviews', 'bookinfo', 'reviews', [
          { name: 'v1', labels: { version: 'v1' } },
        ]),
        destinationRule(
          'reviews-canary',
          'bookinfo',
          'reviews.bookinfo.svc.cluster.local',
          [{ name: 'v2', labels: { version: 'v2' } }],
        ),
      ];
      expect(
        refusal(() =>
          planOn(reviews, start('v3'), { destinationRules: rules }),
        ),
      ).toEqual({
        field: 'subset',
        reason:
          'subset "v3" is not defined in DestinationRules "reviews" and "reviews-canary", and with several DestinationRules for the host the subset cannot be added to one of them automatically',
      });
    });

    it.each([
      [
        'destinations to several hosts',
        [
          { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
          { destination: { host: 'ratings', subset: 'v1' }, weight: 50 },
        ],
        'http[0] sends to several hosts ("reviews", "ratings"); a canary needs a route to one host',
      ],
      [
        'destinations on different ports',
        [
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
              host: 'reviews.bookinfo',
              subset: 'v2',
              port: { number: 9081 },
            },
            weight: 50,
          },
        ],
        "the destinations of http[0] use different ports, so the canary's port cannot be copied from them",
      ],
      [
        'no destinations',
        [],
        'http[0] has no destinations (it redirects, delegates or answers directly)',
      ],
    ])('a route with %s', (_, route, reason) => {
      const vs = virtualService('reviews', 'bookinfo', { http: [{ route }] });
      expect(
        refusal(() => planOn(reviews, start('v3'), { virtualService: vs })),
      ).toEqual({ field: 'route', reason });
    });
  });
});

describe('subsetNameForVersion', () => {
  it.each([
    ['v3', 'v3'],
    ['2.0.0', '2-0-0'],
    ['V1.2_rc', 'v1-2-rc'],
    ['.1.', '1'],
    [`v${'1'.repeat(70)}`, `v${'1'.repeat(62)}`],
  ])('%s → %s', (version, subset) => {
    expect(subsetNameForVersion(version)).toBe(subset);
  });
});
