import {
  destinationRule,
  foobar,
  planOn,
  ratings,
  refusal,
  reviews,
  virtualService,
  webService,
} from './__testUtils__/scenarios';

const rv = { op: 'replace', path: '/metadata/resourceVersion', value: '101' };
const http0 = { kind: 'http', index: 0 };
const dest = (host: string, subset: string, port?: number) => ({
  host,
  subset,
  ...(port ? { port: { number: port } } : {}),
});

/** The operations that move destination `j` of http[0] from one weight to another. */
const move = (j: number, destination: object, from: number, to: number) => [
  {
    op: 'test',
    path: `/spec/http/0/route/${j}/destination`,
    value: destination,
  },
  { op: 'test', path: `/spec/http/0/route/${j}/weight`, value: from },
  { op: 'replace', path: `/spec/http/0/route/${j}/weight`, value: to },
];

describe('promote and rollback', () => {
  it.each([
    [
      'promote v2 on reviews',
      reviews,
      { action: 'promote', subset: 'v2' },
      [
        ...move(0, dest('reviews', 'v1', 9080), 50, 0),
        ...move(1, dest('reviews', 'v2', 9080), 50, 100),
      ],
      'http[0] reviews-route: promote v2 — v1 50→0, v2 50→100',
    ],
    [
      'roll reviews back to v1',
      reviews,
      { action: 'rollback', stableSubset: 'v1' },
      [
        ...move(0, dest('reviews', 'v1', 9080), 50, 100),
        ...move(1, dest('reviews', 'v2', 9080), 50, 0),
      ],
      'http[0] reviews-route: roll back to v1 — v1 50→100, v2 50→0',
    ],
    [
      'promote green on web-service (the blue/green flip)',
      webService,
      { action: 'promote', subset: 'green' },
      [
        ...move(0, dest('web-service', 'blue', 80), 100, 0),
        ...move(1, dest('web-service', 'green', 80), 0, 100),
      ],
      'http[0] primary: promote green — blue 100→0, green 0→100',
    ],
    [
      'promote v2 on foobar',
      foobar,
      { action: 'promote', subset: 'v2' },
      [
        ...move(0, dest('foobar.foobar.svc.cluster.local', 'latest'), 70, 0),
        ...move(1, dest('foobar.foobar.svc.cluster.local', 'v2'), 30, 100),
      ],
      'http[0] foobar-canary: promote v2 — latest 70→0, v2 30→100',
    ],
  ])('%s', (_, scenario, request, operations, summary) => {
    const plan = planOn(scenario, {
      ...request,
      route: http0,
      resourceVersion: '101',
    });
    expect(plan.patches).toHaveLength(1);
    expect(plan.patches[0].operations).toEqual([rv, ...operations]);
    expect(plan.summary).toBe(summary);
  });

  it('keeps every destination, so a rollback after a promote is one step', () => {
    const promoted = planOn(webService, {
      action: 'promote',
      route: http0,
      subset: 'green',
      resourceVersion: '101',
    });
    expect(promoted.routeAfter).toMatchObject({
      route: [
        { destination: { subset: 'blue' }, weight: 0 },
        { destination: { subset: 'green' }, weight: 100 },
      ],
    });
    const vs = webService.virtualService();
    (vs.spec as { http: unknown[] }).http[0] = promoted.routeAfter;
    const rolledBack = planOn(
      webService,
      {
        action: 'rollback',
        route: http0,
        stableSubset: 'blue',
        resourceVersion: '102',
      },
      { virtualService: vs },
    );
    expect(rolledBack.routeAfter).toEqual(promoted.routeBefore);
  });

  it.each([
    [
      'promote blue on web-service',
      webService,
      { action: 'promote', subset: 'blue' },
      'http[0] primary: blue already has all traffic, no change (blue 100, green 0)',
    ],
    [
      'promote v1 on ratings (lone destination without weight)',
      ratings,
      { action: 'promote', subset: 'v1' },
      'http[0]: v1 already has all traffic, no change (v1 100)',
    ],
    [
      'roll web-service back to blue',
      webService,
      { action: 'rollback', stableSubset: 'blue' },
      'http[0] primary: blue already has all traffic, no change (blue 100, green 0)',
    ],
  ])('changes nothing when %s', (_, scenario, request, summary) => {
    const plan = planOn(scenario, {
      ...request,
      route: http0,
      resourceVersion: '101',
    });
    expect(plan.changed).toBe(false);
    expect(plan.patches).toEqual([]);
    expect(plan.summary).toBe(summary);
  });

  it('adds the weight to a destination written without one (tcp)', () => {
    const vs = virtualService('db', 'bookinfo', {
      tcp: [
        {
          route: [
            { destination: { host: 'db', subset: 'v1' } },
            { destination: { host: 'db', subset: 'v2' }, weight: 100 },
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
    const plan = planOn(
      reviews,
      {
        action: 'rollback',
        route: { kind: 'tcp', index: 0 },
        stableSubset: 'v1',
        resourceVersion: '101',
      },
      { virtualService: vs, destinationRules: rules },
    );
    expect(plan.patches[0].operations).toEqual([
      rv,
      {
        op: 'test',
        path: '/spec/tcp/0/route/0/destination',
        value: { host: 'db', subset: 'v1' },
      },
      { op: 'add', path: '/spec/tcp/0/route/0/weight', value: 100 },
      {
        op: 'test',
        path: '/spec/tcp/0/route/1/destination',
        value: { host: 'db', subset: 'v2' },
      },
      { op: 'test', path: '/spec/tcp/0/route/1/weight', value: 100 },
      { op: 'replace', path: '/spec/tcp/0/route/1/weight', value: 0 },
    ]);
  });

  it('promotes a host of a host-level split, named in any spelling', () => {
    const vs = virtualService('reviews', 'bookinfo', {
      http: [
        {
          route: [
            { destination: { host: 'reviews' }, weight: 80 },
            { destination: { host: 'reviews-next' }, weight: 20 },
          ],
        },
      ],
    });
    const plan = planOn(
      reviews,
      {
        action: 'promote',
        route: http0,
        subset: 'reviews-next.bookinfo.svc',
        resourceVersion: '101',
      },
      { virtualService: vs, destinationRules: [] },
    );
    expect(plan.summary).toBe(
      'http[0]: promote reviews-next — reviews 80→0, reviews-next 20→100',
    );
  });

  describe('refuses, naming the field and the reason', () => {
    const withoutV2 = [
      destinationRule('reviews', 'bookinfo', 'reviews', [
        { name: 'v1', labels: { version: 'v1' } },
      ]),
    ];

    it.each([
      [
        { action: 'promote', subset: 'v3' },
        'subset',
        '"v3" is not a destination of route http[0] reviews-route',
      ],
      [
        { action: 'promote', subset: 'v4' },
        'subset',
        '"v4" is not a destination of route http[0] reviews-route',
      ],
      [
        { action: 'promote', subset: 'reviews' },
        'subset',
        '"reviews" is not a destination of route http[0] reviews-route',
      ],
      [{ action: 'promote' }, 'subset', 'must name a subset, got nothing'],
      [{ action: 'promote', subset: 2 }, 'subset', 'must name a subset, got 2'],
      [
        { action: 'rollback', subset: 'v1' },
        'stableSubset',
        'must name a destination of route http[0] reviews-route',
      ],
      [
        { action: 'rollback', stableSubset: 'v0' },
        'stableSubset',
        '"v0" is not a destination of route http[0] reviews-route',
      ],
    ])('%j', (request, field, reason) => {
      expect(
        refusal(() =>
          planOn(reviews, { ...request, route: http0, resourceVersion: '101' }),
        ),
      ).toEqual({
        field,
        reason,
      });
    });

    it.each([
      [{ action: 'promote', subset: 'v2' }, 'subset'],
      [{ action: 'rollback', stableSubset: 'v2' }, 'stableSubset'],
    ])(
      '%j to a subset the DestinationRule does not define',
      (request, field) => {
        expect(
          refusal(() =>
            planOn(
              reviews,
              { ...request, route: http0, resourceVersion: '101' },
              { destinationRules: withoutV2 },
            ),
          ),
        ).toEqual({
          field,
          reason: 'subset "v2" is not defined in DestinationRule "reviews"',
        });
      },
    );
  });
});
