import { DEFAULT_MATCH, summarizeMatch } from './matches';

describe('summarizeMatch', () => {
  it.each([
    ['no match', undefined, 'default'],
    ['an empty list', [], 'default'],
    ['an empty block', [{}], 'default'],
    ['a block with only a name', [{ name: 'catch-all' }], 'default'],
    [
      'a catch-all block among others',
      [{ uri: { prefix: '/a' } }, {}],
      'default',
    ],
    ['uri prefix', [{ uri: { prefix: '/reviews' } }], 'prefix /reviews'],
    ['uri exact', [{ uri: { exact: '/api' } }], 'exact /api'],
    ['uri regex', [{ uri: { regex: '^/v2' } }], 'regex ^/v2'],
    [
      'uri ignoring case',
      [{ uri: { prefix: '/Reviews' }, ignoreUriCase: true }],
      'prefix /Reviews (any case)',
    ],
    [
      'header exact',
      [{ headers: { 'x-deploy': { exact: 'green' } } }],
      'header x-deploy = green',
    ],
    [
      'header prefix and regex',
      [
        {
          headers: {
            'user-agent': { regex: '.*Chrome.*' },
            cookie: { prefix: 'user=' },
          },
        },
      ],
      'header user-agent regex .*Chrome.* and header cookie prefix user=',
    ],
    [
      'header presence',
      [{ headers: { 'x-canary': {} } }],
      'header x-canary present',
    ],
    ['method', [{ method: { exact: 'GET' } }], 'method GET'],
    [
      'method regex',
      [{ method: { regex: '^(GET|HEAD)$' } }],
      'method regex ^(GET|HEAD)$',
    ],
    ['scheme', [{ scheme: { exact: 'https' } }], 'scheme https'],
    [
      'authority',
      [{ authority: { exact: 'a.example.com' } }],
      'authority a.example.com',
    ],
    [
      'authority prefix',
      [{ authority: { prefix: 'a.' } }],
      'authority prefix a.',
    ],
    ['port', [{ port: 9090 }], 'port 9090'],
    [
      'query params',
      [{ queryParams: { debug: { exact: '1' }, trace: {} } }],
      'query debug = 1 and query trace present',
    ],
    [
      'without headers',
      [{ withoutHeaders: { 'x-beta': {}, 'x-env': { exact: 'dev' } } }],
      'without header x-beta and without header x-env = dev',
    ],
    [
      'source labels, namespace and gateways',
      [
        {
          sourceLabels: { app: 'productpage', version: 'v2' },
          sourceNamespace: 'frontend',
          gateways: ['mesh'],
        },
      ],
      'source app=productpage,version=v2 and source namespace frontend and gateway mesh',
    ],
    [
      'conditions of one block with and, blocks with or',
      [
        {
          uri: { prefix: '/reviews' },
          headers: { 'x-deploy': { exact: 'green' } },
        },
        { uri: { exact: '/api' } },
      ],
      'prefix /reviews and header x-deploy = green or exact /api',
    ],
    [
      'unknown fields next to known ones',
      [{ uri: { prefix: '/a' }, statPrefix: 'x', futureField: { y: 1 } }],
      'prefix /a',
    ],
    [
      'a single object instead of a list',
      { uri: { prefix: '/x' } },
      'prefix /x',
    ],
  ])('http: %s', (_, match, expected) => {
    expect(summarizeMatch('http', match).text).toBe(expected);
  });

  it.each([
    [
      'tls',
      [{ sniHosts: ['a.example.com'], port: 443 }],
      'sni a.example.com and port 443',
    ],
    [
      'tls',
      [{ sniHosts: ['a.example.com', 'b.example.com'] }],
      'sni a.example.com, b.example.com',
    ],
    ['tcp', [{ port: 27017 }], 'port 27017'],
    [
      'tcp',
      [{ destinationSubnets: ['10.0.0.0/8'], sourceLabels: { app: 'api' } }],
      'destination subnet 10.0.0.0/8 and source app=api',
    ],
    ['tcp', [{ port: 5432 }, { port: 5433 }], 'port 5432 or port 5433'],
    ['tcp', undefined, 'default'],
  ] as const)('%s: %j → %s', (kind, match, expected) => {
    expect(summarizeMatch(kind, match).text).toBe(expected);
  });

  it('reports whether the route is a catch-all and which headers it requires', () => {
    expect(summarizeMatch('http', undefined)).toEqual({
      text: DEFAULT_MATCH,
      isDefault: true,
      headers: [],
    });
    expect(
      summarizeMatch('http', [
        { headers: { 'x-deploy': { exact: 'green' } } },
        { headers: { 'x-deploy': { exact: 'blue' }, 'x-user': {} } },
      ]),
    ).toEqual({
      text: 'header x-deploy = green or header x-deploy = blue and header x-user present',
      isDefault: false,
      headers: ['x-deploy', 'x-user'],
    });
  });
});
