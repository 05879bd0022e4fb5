import { deepFreeze, virtualService } from './__testUtils__/objects';
import {
  parseDestinations,
  parseMirrors,
  parseVirtualService,
} from './parseVirtualService';

const dest = (
  host: string,
  subset?: string,
  weight?: number,
  port?: number,
) => ({
  destination: {
    host,
    ...(subset ? { subset } : {}),
    ...(port ? { port: { number: port } } : {}),
  },
  ...(weight !== undefined ? { weight } : {}),
});

describe('parseVirtualService', () => {
  it('reads http routes with header and URI matches before a default route', () => {
    const vs = virtualService('reviews', 'bookinfo', {
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      http: [
        {
          name: 'jason',
          match: [{ headers: { 'end-user': { exact: 'jason' } } }],
          route: [dest('reviews', 'v2')],
        },
        {
          name: 'api',
          match: [{ uri: { prefix: '/reviews' } }, { uri: { exact: '/api' } }],
          route: [
            dest('reviews', 'v1', 90, 9080),
            dest('reviews', 'v3', 10, 9080),
          ],
        },
        { route: [dest('reviews', 'v1')] },
      ],
    });
    expect(parseVirtualService(vs)).toEqual({
      hosts: ['reviews'],
      gateways: ['reviews-gateway', 'mesh'],
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'jason',
          match: 'header end-user = jason',
          matchedHeaders: ['end-user'],
          destinations: [{ host: 'reviews', subset: 'v2', weight: 100 }],
        },
        {
          kind: 'http',
          index: 1,
          name: 'api',
          match: 'prefix /reviews or exact /api',
          destinations: [
            { host: 'reviews', subset: 'v1', port: 9080, weight: 90 },
            { host: 'reviews', subset: 'v3', port: 9080, weight: 10 },
          ],
        },
        {
          kind: 'http',
          index: 2,
          match: 'default',
          destinations: [{ host: 'reviews', subset: 'v1', weight: 100 }],
        },
      ],
    });
  });

  it('reads tls and tcp routes, each indexed in its own list', () => {
    const vs = virtualService('db', 'data', {
      hosts: ['db.example.com'],
      http: [{ route: [dest('web')] }],
      tls: [
        {
          match: [{ sniHosts: ['db.example.com'], port: 443 }],
          route: [dest('db', 'v1', 80), dest('db', 'v2', 20)],
        },
      ],
      tcp: [
        {
          match: [{ port: 27017 }],
          route: [dest('mongo', 'a', 100), dest('mongo', 'b', 0)],
        },
        { route: [dest('mongo', 'a')] },
      ],
    });
    const routes = parseVirtualService(vs).routes;
    expect(routes.map(r => [r.kind, r.index, r.match])).toEqual([
      ['http', 0, 'default'],
      ['tls', 0, 'sni db.example.com and port 443'],
      ['tcp', 0, 'port 27017'],
      ['tcp', 1, 'default'],
    ]);
    expect(routes[1].destinations).toEqual([
      { host: 'db', subset: 'v1', weight: 80 },
      { host: 'db', subset: 'v2', weight: 20 },
    ]);
    expect(routes[2].destinations.map(d => d.weight)).toEqual([100, 0]);
    expect(routes[1].mirror).toBeUndefined();
    expect(routes[1].delegate).toBeUndefined();
  });

  it('reads a root VirtualService that delegates, and the delegate itself', () => {
    const root = virtualService('bookinfo', 'istio-system', {
      hosts: ['bookinfo.example.com'],
      gateways: ['bookinfo-gateway'],
      http: [
        {
          match: [{ uri: { prefix: '/reviews' } }],
          delegate: { name: 'reviews', namespace: 'bookinfo' },
        },
        {
          match: [{ uri: { prefix: '/ratings' } }],
          delegate: { name: 'ratings' },
        },
      ],
    });
    expect(parseVirtualService(root).routes).toEqual([
      {
        kind: 'http',
        index: 0,
        match: 'prefix /reviews',
        delegate: { name: 'reviews', namespace: 'bookinfo' },
        destinations: [],
      },
      {
        kind: 'http',
        index: 1,
        match: 'prefix /ratings',
        delegate: { name: 'ratings' },
        destinations: [],
      },
    ]);
    const child = virtualService('reviews', 'bookinfo', {
      http: [{ route: [dest('reviews', 'v1', 70), dest('reviews', 'v2', 30)] }],
    });
    const parsedChild = parseVirtualService(child);
    expect(parsedChild.hosts).toEqual([]);
    expect(parsedChild.gateways).toEqual([]);
    expect(parsedChild.routes[0].destinations.map(d => d.weight)).toEqual([
      70, 30,
    ]);
  });

  it('reads host-level splits (destinations without subsets)', () => {
    const vs = virtualService('rollouts-demo', 'demo', {
      hosts: ['rollouts-demo'],
      http: [
        {
          name: 'primary',
          route: [
            dest('rollouts-demo-stable', undefined, 80),
            dest('rollouts-demo-canary', undefined, 20),
          ],
        },
      ],
    });
    expect(parseVirtualService(vs).routes[0].destinations).toEqual([
      { host: 'rollouts-demo-stable', weight: 80 },
      { host: 'rollouts-demo-canary', weight: 20 },
    ]);
  });

  it('keeps gateways empty when omitted (Istio reads that as mesh)', () => {
    expect(
      parseVirtualService(virtualService('a', 'b', { hosts: ['a'] })).gateways,
    ).toEqual([]);
  });

  it.each(['v1alpha3', 'v1beta1', 'v1'])(
    'parses networking.istio.io/%s identically',
    version => {
      const spec = {
        hosts: ['reviews'],
        http: [
          {
            name: 'r',
            match: [{ uri: { prefix: '/reviews' } }],
            route: [dest('reviews', 'v1', 50), dest('reviews', 'v2', 50)],
            mirror: { host: 'reviews', subset: 'v3' },
            mirrorPercentage: { value: 5 },
          },
        ],
      };
      const reference = parseVirtualService(
        virtualService(
          'reviews',
          'bookinfo',
          spec,
          {},
          'networking.istio.io/v1',
        ),
      );
      expect(
        parseVirtualService(
          virtualService(
            'reviews',
            'bookinfo',
            spec,
            {},
            `networking.istio.io/${version}`,
          ),
        ),
      ).toEqual(reference);
    },
  );

  it('ignores unknown fields, never mutates the object, and survives malformed parts', () => {
    const vs = deepFreeze(
      virtualService('reviews', 'bookinfo', {
        hosts: ['reviews', 42, null],
        exportTo: ['.'],
        futureTopLevel: { anything: true },
        http: [
          {
            name: 'reviews-route',
            match: [{ uri: { prefix: '/reviews' } }],
            route: [
              {
                destination: {
                  host: 'reviews',
                  subset: 'v1',
                  futureField: 'x',
                },
                weight: 50,
                headers: { request: { set: { 'x-a': 'b' } } },
              },
              dest('reviews', 'v2', 50),
              'not-an-object',
            ],
            timeout: '10s',
            retries: { attempts: 3, perTryTimeout: '2s' },
            fault: { delay: { fixedDelay: '1s' } },
            corsPolicy: { allowOrigins: [{ exact: '*' }] },
          },
          'not-a-route',
        ],
        tcp: 'not-a-list',
      }),
    );
    const parsed = parseVirtualService(vs);
    expect(parsed.hosts).toEqual(['reviews', '42']);
    expect(parsed.routes[0]).toEqual({
      kind: 'http',
      index: 0,
      name: 'reviews-route',
      match: 'prefix /reviews',
      destinations: [
        { host: 'reviews', subset: 'v1', weight: 50 },
        { host: 'reviews', subset: 'v2', weight: 50 },
      ],
    });
    expect(parsed.routes[1]).toEqual({
      kind: 'http',
      index: 1,
      match: 'default',
      destinations: [],
    });
    expect(parsed.routes).toHaveLength(2);
  });

  it('reads an object without spec as having nothing', () => {
    expect(parseVirtualService({ metadata: { name: 'x' } })).toEqual({
      hosts: [],
      gateways: [],
      routes: [],
    });
  });
});

describe('parseDestinations', () => {
  it.each([
    ['a lone destination without weight gets 100', [dest('a', 'v1')], [100]],
    [
      'a lone destination keeps an explicit weight',
      [dest('a', 'v1', 40)],
      [40],
    ],
    [
      'several destinations without weights get 0 each',
      [dest('a', 'v1'), dest('a', 'v2')],
      [0, 0],
    ],
    [
      'an omitted weight next to a set one is 0',
      [dest('a', 'v1', 100), dest('a', 'v2')],
      [100, 0],
    ],
    [
      'weights written as strings are read as numbers',
      [
        { destination: { host: 'a' }, weight: '30' },
        { destination: { host: 'b' }, weight: 70 },
      ],
      [30, 70],
    ],
    ['no route', undefined, []],
  ])('%s', (_, raw, weights) => {
    expect(parseDestinations(raw).map(d => d.weight)).toEqual(weights);
  });

  it('reads the port number', () => {
    expect(
      parseDestinations([dest('gorilla-sfx-demo', 'blue', undefined, 9090)]),
    ).toEqual([
      { host: 'gorilla-sfx-demo', subset: 'blue', port: 9090, weight: 100 },
    ]);
  });
});

describe('parseMirrors', () => {
  it.each([
    [
      'mirror with percentage',
      {
        mirror: { host: 'reviews', subset: 'v2' },
        mirrorPercentage: { value: 25.5 },
      },
      [{ host: 'reviews', subset: 'v2', percentage: 25.5 }],
    ],
    [
      'mirror without percentage mirrors 100 %',
      { mirror: { host: 'reviews', subset: 'v2', port: { number: 9080 } } },
      [{ host: 'reviews', subset: 'v2', port: 9080, percentage: 100 }],
    ],
    [
      'legacy integer mirrorPercent',
      { mirror: { host: 'reviews' }, mirrorPercent: 10 },
      [{ host: 'reviews', percentage: 10 }],
    ],
    [
      'mirrors list (newer Istio)',
      {
        mirrors: [
          {
            destination: { host: 'reviews', subset: 'v2' },
            percentage: { value: 5 },
          },
          { destination: { host: 'shadow.example.com' } },
          { percentage: { value: 1 } },
        ],
      },
      [
        { host: 'reviews', subset: 'v2', percentage: 5 },
        { host: 'shadow.example.com', percentage: 100 },
      ],
    ],
    ['no mirror', {}, []],
  ])('%s', (_, route, expected) => {
    expect(parseMirrors(route)).toEqual(expected);
  });

  it('exposes the first mirror and all mirrors on the route', () => {
    const [route] = parseVirtualService(
      virtualService('r', 'ns', {
        http: [
          {
            route: [dest('reviews', 'v1')],
            mirror: { host: 'reviews', subset: 'v2' },
            mirrorPercentage: { value: 50 },
            mirrors: [
              {
                destination: { host: 'reviews', subset: 'v3' },
                percentage: { value: 10 },
              },
            ],
          },
        ],
      }),
    ).routes;
    expect(route.mirror).toEqual({
      host: 'reviews',
      subset: 'v2',
      percentage: 50,
    });
    expect(route.mirrors).toEqual([
      { host: 'reviews', subset: 'v2', percentage: 50 },
      { host: 'reviews', subset: 'v3', percentage: 10 },
    ]);
  });
});
