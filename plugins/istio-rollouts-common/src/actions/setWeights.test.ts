import {
  destinationRule,
  foobar,
  planOn,
  ratings,
  refusal,
  reviews,
  virtualService,
} from './__testUtils__/scenarios';

const rv = { op: 'replace', path: '/metadata/resourceVersion', value: '101' };
const reviewsRoute = { kind: 'http', index: 0 };
const v1 = { host: 'reviews', subset: 'v1', port: { number: 9080 } };
const v2 = { host: 'reviews', subset: 'v2', port: { number: 9080 } };

describe('setWeights', () => {
  it('moves reviews to v1 90 / v2 10 with one guarded patch of the two weights', () => {
    const plan = planOn(reviews, {
      action: 'setWeights',
      route: reviewsRoute,
      weights: { v1: 90, v2: 10 },
      resourceVersion: '101',
    });
    expect(plan.patches).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'bookinfo',
        name: 'reviews',
        operations: [
          rv,
          { op: 'test', path: '/spec/http/0/route/0/destination', value: v1 },
          { op: 'test', path: '/spec/http/0/route/0/weight', value: 50 },
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 90 },
          { op: 'test', path: '/spec/http/0/route/1/destination', value: v2 },
          { op: 'test', path: '/spec/http/0/route/1/weight', value: 50 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: 10 },
        ],
      },
    ]);
    expect(plan.changed).toBe(true);
    expect(plan.summary).toBe('http[0] reviews-route: v1 50→90, v2 50→10');
    expect(plan.route).toEqual({
      kind: 'http',
      index: 0,
      name: 'reviews-route',
    });
    expect(plan.routeAfter).toMatchObject({
      route: [
        { destination: v1, weight: 90 },
        { destination: v2, weight: 10 },
      ],
      timeout: '10s',
    });
  });

  it('sends the resourceVersion the user loaded, not the one of the object it planned on', () => {
    const plan = planOn(reviews, {
      action: 'setWeights',
      route: reviewsRoute,
      weights: { v1: 0, v2: 100 },
      resourceVersion: '97',
    });
    expect(plan.patches[0].operations[0]).toEqual({
      op: 'replace',
      path: '/metadata/resourceVersion',
      value: '97',
    });
  });

  it('addresses the route by name and keeps FQDN destinations as written (foobar)', () => {
    const plan = planOn(foobar, {
      action: 'setWeights',
      route: { kind: 'http', name: 'foobar-canary' },
      weights: { latest: 50, v2: 50 },
      resourceVersion: '101',
    });
    expect(plan.patches[0].operations).toEqual([
      rv,
      {
        op: 'test',
        path: '/spec/http/0/route/0/destination',
        value: { host: 'foobar.foobar.svc.cluster.local', subset: 'latest' },
      },
      { op: 'test', path: '/spec/http/0/route/0/weight', value: 70 },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
      {
        op: 'test',
        path: '/spec/http/0/route/1/destination',
        value: { host: 'foobar.foobar.svc.cluster.local', subset: 'v2' },
      },
      { op: 'test', path: '/spec/http/0/route/1/weight', value: 30 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
    ]);
    expect(plan.summary).toBe('http[0] foobar-canary: latest 70→50, v2 30→50');
  });

  it('touches only the destinations whose weight changes', () => {
    const vs = reviews.virtualService();
    (vs.spec as any).http[0].route.push({
      destination: { host: 'reviews', subset: 'v3', port: { number: 9080 } },
      weight: 0,
    });
    const plan = planOn(
      reviews,
      {
        action: 'setWeights',
        route: reviewsRoute,
        weights: { v1: 50, v2: 40, v3: 10 },
        resourceVersion: '101',
      },
      { virtualService: vs },
    );
    expect(plan.patches[0].operations).toEqual([
      rv,
      { op: 'test', path: '/spec/http/0/route/1/destination', value: v2 },
      { op: 'test', path: '/spec/http/0/route/1/weight', value: 50 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 40 },
      {
        op: 'test',
        path: '/spec/http/0/route/2/destination',
        value: { host: 'reviews', subset: 'v3', port: { number: 9080 } },
      },
      { op: 'test', path: '/spec/http/0/route/2/weight', value: 0 },
      { op: 'replace', path: '/spec/http/0/route/2/weight', value: 10 },
    ]);
    expect(plan.summary).toBe('http[0] reviews-route: v2 50→40, v3 0→10');
  });

  it.each([
    [
      'the current weights',
      reviews,
      { v1: 50, v2: 50 },
      'http[0] reviews-route: no change (v1 50, v2 50)',
    ],
    [
      '100 to a lone destination without weight',
      ratings,
      { v1: 100 },
      'http[0]: no change (v1 100)',
    ],
  ])(
    'changes nothing and sends no patch for %s',
    (_, scenario, weights, summary) => {
      const plan = planOn(scenario, {
        action: 'setWeights',
        route: reviewsRoute,
        weights,
        resourceVersion: '101',
      });
      expect(plan.changed).toBe(false);
      expect(plan.patches).toEqual([]);
      expect(plan.routeAfter).toEqual(plan.routeBefore);
      expect(plan.summary).toBe(summary);
    },
  );

  describe('host-level splits (destinations without subset)', () => {
    const hostSplit = {
      ...reviews,
      virtualService: () =>
        virtualService('reviews', 'bookinfo', {
          http: [
            {
              route: [
                { destination: { host: 'reviews' }, weight: 80 },
                {
                  destination: {
                    host: 'reviews-next.bookinfo.svc.cluster.local',
                  },
                  weight: 20,
                },
              ],
            },
          ],
        }),
    };

    it('keys destinations by host, in any spelling Istio reads as the same host', () => {
      const plan = planOn(hostSplit, {
        action: 'setWeights',
        route: reviewsRoute,
        weights: {
          'reviews.bookinfo.svc.cluster.local': 60,
          'reviews-next': 40,
        },
        resourceVersion: '101',
      });
      expect(plan.patches[0].operations).toEqual([
        rv,
        {
          op: 'test',
          path: '/spec/http/0/route/0/destination',
          value: { host: 'reviews' },
        },
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 80 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 60 },
        {
          op: 'test',
          path: '/spec/http/0/route/1/destination',
          value: { host: 'reviews-next.bookinfo.svc.cluster.local' },
        },
        { op: 'test', path: '/spec/http/0/route/1/weight', value: 20 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 40 },
      ]);
      expect(plan.summary).toBe(
        'http[0]: reviews 80→60, reviews-next.bookinfo.svc.cluster.local 20→40',
      );
    });

    it('refuses two spellings of one host', () => {
      expect(
        refusal(() =>
          planOn(hostSplit, {
            action: 'setWeights',
            route: reviewsRoute,
            weights: {
              reviews: 50,
              'reviews.bookinfo': 30,
              'reviews-next': 20,
            },
            resourceVersion: '101',
          }),
        ),
      ).toEqual({
        field: 'weights.reviews.bookinfo',
        reason: 'names the same destination as "reviews"',
      });
    });
  });

  it.each([
    [
      'tcp',
      {
        tcp: [
          {
            route: [
              { destination: { host: 'db', port: { number: 5432 } } },
              {
                destination: { host: 'db-next', port: { number: 5432 } },
                weight: 100,
              },
            ],
          },
        ],
      },
      '/spec/tcp/0',
    ],
    [
      'tls',
      {
        tls: [
          {
            match: [{ sniHosts: ['db'] }],
            route: [
              { destination: { host: 'db', port: { number: 5432 } } },
              {
                destination: { host: 'db-next', port: { number: 5432 } },
                weight: 100,
              },
            ],
          },
        ],
      },
      '/spec/tls/0',
    ],
  ])(
    'weighs %s routes, adding a weight where the field is absent',
    (kind, spec, path) => {
      const plan = planOn(
        reviews,
        {
          action: 'setWeights',
          route: { kind, index: 0 },
          weights: { db: 30, 'db-next': 70 },
          resourceVersion: '101',
        },
        { virtualService: virtualService('db', 'bookinfo', spec) },
      );
      expect(plan.patches[0].operations).toEqual([
        rv,
        {
          op: 'test',
          path: `${path}/route/0/destination`,
          value: { host: 'db', port: { number: 5432 } },
        },
        { op: 'add', path: `${path}/route/0/weight`, value: 30 },
        {
          op: 'test',
          path: `${path}/route/1/destination`,
          value: { host: 'db-next', port: { number: 5432 } },
        },
        { op: 'test', path: `${path}/route/1/weight`, value: 100 },
        { op: 'replace', path: `${path}/route/1/weight`, value: 70 },
      ]);
      expect(plan.summary).toBe(`${kind}[0]: db 0→30, db-next 100→70`);
    },
  );

  describe('refuses, naming the field and the reason', () => {
    it.each([
      [
        { v1: 12.5, v2: 87.5 },
        'weights.v1',
        'must be an integer from 0 to 100, got 12.5',
      ],
      [
        { v1: '50', v2: 50 },
        'weights.v1',
        'must be an integer from 0 to 100, got "50"',
      ],
      [
        { v1: 50, v2: -1 },
        'weights.v2',
        'must be an integer from 0 to 100, got -1',
      ],
      [
        { v1: 101, v2: -1 },
        'weights.v1',
        'must be an integer from 0 to 100, got 101',
      ],
      [
        { v1: NaN, v2: 50 },
        'weights.v1',
        'must be an integer from 0 to 100, got NaN',
      ],
      [
        { v1: Infinity, v2: 0 },
        'weights.v1',
        'must be an integer from 0 to 100, got Infinity',
      ],
      [
        { v1: null, v2: 100 },
        'weights.v1',
        'must be an integer from 0 to 100, got null',
      ],
      [
        { v1: [50], v2: 50 },
        'weights.v1',
        'must be an integer from 0 to 100, got [50]',
      ],
      [
        { v1: 50, v2: 50, v4: 0 },
        'weights.v4',
        'not a destination of route http[0] reviews-route',
      ],
      [
        { v1: 50, v3: 50 },
        'weights.v3',
        'not a destination of route http[0] reviews-route',
      ],
      [
        { v1: 100 },
        'weights',
        'must name every destination of route http[0] reviews-route exactly once; missing "v2"',
      ],
      [
        {},
        'weights',
        'must name every destination of route http[0] reviews-route exactly once; missing "v1" and "v2"',
      ],
      [{ v1: 50, v2: 40 }, 'weights', 'must add up to 100, got 90'],
      [{ v1: 60, v2: 60 }, 'weights', 'must add up to 100, got 120'],
      [{ v1: 0, v2: 0 }, 'weights', 'must add up to 100, got 0'],
      [
        undefined,
        'weights',
        'must map every destination of the route to a weight, got nothing',
      ],
      [
        [50, 50],
        'weights',
        'must map every destination of the route to a weight, got [50,50]',
      ],
    ])('%j', (weights, field, reason) => {
      expect(
        refusal(() =>
          planOn(reviews, {
            action: 'setWeights',
            route: reviewsRoute,
            weights,
            resourceVersion: '101',
          }),
        ),
      ).toEqual({ field, reason });
    });

    it('an unknown route', () => {
      expect(
        refusal(() =>
          planOn(reviews, {
            action: 'setWeights',
            route: { kind: 'http', name: 'ratings-route' },
            weights: { v1: 100, v2: 0 },
            resourceVersion: '101',
          }),
        ),
      ).toEqual({
        field: 'route',
        reason:
          'no http route is named "ratings-route" in VirtualService "reviews"',
      });
    });
  });

  describe('subsets missing from the DestinationRule', () => {
    const withoutV2 = [
      destinationRule('reviews', 'bookinfo', 'reviews', [
        { name: 'v1', labels: { version: 'v1' } },
      ]),
    ];

    it('refuses to send traffic to a subset the DestinationRule does not define', () => {
      expect(
        refusal(() =>
          planOn(
            reviews,
            {
              action: 'setWeights',
              route: reviewsRoute,
              weights: { v1: 60, v2: 40 },
              resourceVersion: '101',
            },
            { destinationRules: withoutV2 },
          ),
        ),
      ).toEqual({
        field: 'weights.v2',
        reason: 'subset "v2" is not defined in DestinationRule "reviews"',
      });
    });

    it('still lets the user drain it to 0', () => {
      const plan = planOn(
        reviews,
        {
          action: 'setWeights',
          route: reviewsRoute,
          weights: { v1: 100, v2: 0 },
          resourceVersion: '101',
        },
        { destinationRules: withoutV2 },
      );
      expect(plan.summary).toBe('http[0] reviews-route: v1 50→100, v2 50→0');
    });

    it('refuses when no DestinationRule exists for the host', () => {
      expect(
        refusal(() =>
          planOn(
            reviews,
            {
              action: 'setWeights',
              route: reviewsRoute,
              weights: { v1: 60, v2: 40 },
              resourceVersion: '101',
            },
            { destinationRules: [] },
          ),
        ),
      ).toEqual({
        field: 'weights.v1',
        reason:
          'subset "v1" is not defined: no DestinationRule for host "reviews.bookinfo.svc.cluster.local"',
      });
    });
  });
});
