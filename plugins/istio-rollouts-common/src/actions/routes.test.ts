import {
  gorilla,
  ratings,
  refusal,
  reviews,
  virtualService,
} from './__testUtils__/scenarios';
import { parseRouteRef } from './parseActionRequest';
import {
  findDestination,
  locateRoute,
  readRoute,
  requireDestinations,
  requireDistinctKeys,
} from './routes';

const bookinfo = {
  namespace: 'bookinfo',
  hostOptions: { namespaces: ['bookinfo'] },
};

describe('locateRoute', () => {
  const vs = gorilla.virtualService();

  it.each([
    [{ kind: 'http', index: 0 }, 0, 'http[0] green-by-header'],
    [{ kind: 'http', index: 1 }, 1, 'http[1] default'],
    [{ kind: 'http', name: 'default' }, 1, 'http[1] default'],
    [{ kind: 'http', index: 1, name: 'default' }, 1, 'http[1] default'],
  ])('finds %j', (ref, index, label) => {
    const route = locateRoute(vs, parseRouteRef(ref));
    expect(route.index).toBe(index);
    expect(route.label).toBe(label);
    expect(route.path).toBe(`/spec/http/${index}`);
  });

  it.each([
    [undefined, 'route', 'must be { kind, index } or { kind, name }'],
    [{ kind: 'http' }, 'route', 'must be { kind, index } or { kind, name }'],
    [
      { kind: 'grpc', index: 0 },
      'route.kind',
      'must be one of http, tls, tcp, got "grpc"',
    ],
    [
      { kind: 'http', index: -1 },
      'route.index',
      'must be a non-negative integer, got -1',
    ],
    [
      { kind: 'http', index: 0.5 },
      'route.index',
      'must be a non-negative integer, got 0.5',
    ],
    [
      { kind: 'http', index: '0' },
      'route.index',
      'must be a non-negative integer, got "0"',
    ],
    [
      { kind: 'http', index: 2 },
      'route',
      'http[2] does not exist: VirtualService "gorilla-sfx-demo" has 2 http routes',
    ],
    [
      { kind: 'tcp', index: 0 },
      'route',
      'tcp[0] does not exist: VirtualService "gorilla-sfx-demo" has 0 tcp routes',
    ],
    [
      { kind: 'http', name: 'blue' },
      'route',
      'no http route is named "blue" in VirtualService "gorilla-sfx-demo"',
    ],
    [
      { kind: 'http', index: 0, name: 'default' },
      'route',
      'http[0] green-by-header is not named "default"',
    ],
  ])('refuses %j', (ref, field, reason) => {
    expect(refusal(() => locateRoute(vs, parseRouteRef(ref)))).toEqual({
      field,
      reason,
    });
  });

  it('refuses a name two routes share', () => {
    const twice = virtualService('x', 'default', {
      http: [
        { name: 'r', route: [] },
        { name: 'r', route: [] },
      ],
    });
    expect(
      refusal(() => locateRoute(twice, { kind: 'http', name: 'r' })),
    ).toEqual({
      field: 'route',
      reason:
        '2 http routes are named "r" in VirtualService "x"; address the route by index',
    });
  });
});

describe('readRoute', () => {
  it('reads destinations, their keys and the weight Istio gives them', () => {
    const route = readRoute(reviews.virtualService(), 'http', 0);
    expect(
      route.destinations.map(d => [d.key, d.weight, d.effectiveWeight, d.path]),
    ).toEqual([
      ['v1', 50, 50, '/spec/http/0/route/0'],
      ['v2', 50, 50, '/spec/http/0/route/1'],
    ]);
  });

  it('reads a lone destination without weight as 100, and weightless ones beside others as 0', () => {
    const lone = readRoute(ratings.virtualService(), 'http', 0);
    expect(lone.label).toBe('http[0]');
    expect(lone.destinations[0]).toMatchObject({
      key: 'v1',
      effectiveWeight: 100,
    });
    expect(lone.destinations[0].weight).toBeUndefined();
    const pair = virtualService('x', 'default', {
      tcp: [
        {
          route: [
            { destination: { host: 'a' } },
            { destination: { host: 'b' }, weight: 100 },
          ],
        },
      ],
    });
    expect(
      readRoute(pair, 'tcp', 0).destinations.map(d => [
        d.key,
        d.effectiveWeight,
      ]),
    ).toEqual([
      ['a', 0],
      ['b', 100],
    ]);
  });
});

describe('findDestination', () => {
  const hostSplit = readRoute(
    virtualService('reviews', 'bookinfo', {
      http: [
        {
          route: [
            { destination: { host: 'reviews' }, weight: 80 },
            {
              destination: { host: 'reviews-next.bookinfo.svc.cluster.local' },
              weight: 20,
            },
          ],
        },
      ],
    }),
    'http',
    0,
  );

  it.each([
    ['reviews', 0],
    ['reviews.bookinfo', 0],
    ['reviews.bookinfo.svc', 0],
    ['Reviews.bookinfo.svc.cluster.local.', 0],
    ['reviews-next', 1],
    ['reviews-next.bookinfo', 1],
    ['reviews.other', undefined],
    ['v1', undefined],
  ])('finds host %s at %p in a host-level split', (key, index) => {
    expect(findDestination(hostSplit, key, bookinfo)?.index).toBe(index);
  });

  it('names subset destinations by subset, never by host', () => {
    const route = readRoute(reviews.virtualService(), 'http', 0);
    expect(findDestination(route, 'v2', bookinfo)?.index).toBe(1);
    expect(findDestination(route, 'reviews', bookinfo)).toBeUndefined();
  });
});

describe('requireDestinations / requireDistinctKeys', () => {
  it('refuses a route without destinations', () => {
    const vs = virtualService('x', 'default', {
      http: [{ name: 'old', redirect: { uri: '/new' } }],
    });
    expect(
      refusal(() => requireDestinations(readRoute(vs, 'http', 0))),
    ).toEqual({
      field: 'route',
      reason:
        'http[0] old has no destinations (it redirects, delegates or answers directly)',
    });
  });

  it('refuses a destination without host', () => {
    const vs = virtualService('x', 'default', {
      http: [{ route: [{ destination: { subset: 'v1' } }] }],
    });
    expect(
      refusal(() => requireDestinations(readRoute(vs, 'http', 0))),
    ).toEqual({
      field: 'route',
      reason: 'destination 0 of http[0] has no host',
    });
  });

  it.each([
    [
      'the same subset twice',
      [
        {
          destination: { host: 'reviews', subset: 'v1', port: { number: 1 } },
          weight: 50,
        },
        {
          destination: { host: 'reviews', subset: 'v1', port: { number: 2 } },
          weight: 50,
        },
      ],
    ],
    [
      'one host in two spellings',
      [
        { destination: { host: 'reviews' }, weight: 50 },
        {
          destination: { host: 'reviews.bookinfo.svc.cluster.local' },
          weight: 50,
        },
      ],
    ],
  ])('refuses destinations it cannot tell apart: %s', (_, route) => {
    const vs = virtualService('reviews', 'bookinfo', { http: [{ route }] });
    expect(
      refusal(() => requireDistinctKeys(readRoute(vs, 'http', 0), bookinfo))
        .reason,
    ).toMatch(/^destinations 0 and 1 of http\[0\] are both "/);
  });
});
