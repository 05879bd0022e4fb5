import type { ParsedRoute } from './parseVirtualService';
import { deployment, destinationRule, service } from './__testUtils__/objects';
import {
  destinationRulesForHost,
  resolveRouteHosts,
  selectWorkloads,
  toWorkload,
} from './subsets';

const bookinfoDeployments = [
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
    { replicas: 2, ready: 1 },
  ),
  deployment('ratings-v1', 'bookinfo', { app: 'ratings', version: 'v1' }),
  deployment('details-v1', 'bookinfo', { app: 'details', version: 'v1' }),
  deployment('reviews-v1', 'staging', { app: 'reviews', version: 'v1' }),
];

const route = (
  destinations: ParsedRoute['destinations'],
  extra: Partial<ParsedRoute> = {},
): ParsedRoute => ({
  kind: 'http',
  index: 0,
  match: 'default',
  destinations,
  ...extra,
});

describe('selectWorkloads', () => {
  const host = 'reviews.bookinfo.svc.cluster.local';

  it.each([
    [
      'the Service selector narrows the subset labels (version: v1 alone would match three apps)',
      {
        service: service('reviews', 'bookinfo', { app: 'reviews' }),
        labels: { version: 'v1' },
      },
      ['bookinfo/reviews-v1'],
    ],
    [
      'without a known Service, the app label must equal the host short name',
      { labels: { version: 'v1' } },
      ['bookinfo/reviews-v1'],
    ],
    [
      'a Service with an empty selector falls back to the app-label rule',
      {
        service: service('reviews', 'bookinfo', {}),
        labels: { version: 'v2' },
      },
      ['bookinfo/reviews-v2'],
    ],
    [
      'subset labels that no pod carries select nothing',
      {
        service: service('reviews', 'bookinfo', { app: 'reviews' }),
        labels: { version: 'v9' },
      },
      [],
    ],
    [
      'a subset without labels selects every pod of the Service',
      {
        service: service('reviews', 'bookinfo', { app: 'reviews' }),
        labels: {},
      },
      ['bookinfo/reviews-v1', 'bookinfo/reviews-v2'],
    ],
  ])('%s', (_, args, expected) => {
    const workloads = selectWorkloads({
      host,
      deployments: bookinfoDeployments,
      fallbackNamespace: 'bookinfo',
      ...args,
    });
    expect(workloads.map(w => `${w.namespace}/${w.name}`)).toEqual(expected);
  });

  it('accepts app.kubernetes.io/name as the app label in the fallback', () => {
    const workloads = selectWorkloads({
      host: 'web.shop.svc.cluster.local',
      labels: { track: 'green' },
      deployments: [
        deployment('web-green', 'shop', {
          'app.kubernetes.io/name': 'web',
          track: 'green',
        }),
        deployment('api-green', 'shop', {
          'app.kubernetes.io/name': 'api',
          track: 'green',
        }),
      ],
      fallbackNamespace: 'shop',
    });
    expect(workloads.map(w => w.name)).toEqual(['web-green']);
  });
});

describe('toWorkload', () => {
  it('reads images, ready and desired replicas', () => {
    expect(
      toWorkload(
        deployment(
          'w',
          'ns',
          { app: 'w' },
          { replicas: 3, ready: 2, images: ['a:1', 'sidecar:2', 'a:1'] },
        ),
      ),
    ).toEqual({
      kind: 'Deployment',
      name: 'w',
      namespace: 'ns',
      images: ['a:1', 'sidecar:2'],
      readyReplicas: 2,
      replicas: 3,
    });
  });

  it('defaults missing status to 0 ready and missing spec.replicas to 1', () => {
    expect(
      toWorkload({
        kind: 'Deployment',
        metadata: { name: 'x', namespace: 'n' },
        spec: {},
      }),
    ).toEqual({
      kind: 'Deployment',
      name: 'x',
      namespace: 'n',
      images: [],
      readyReplicas: 0,
      replicas: 1,
    });
  });
});

describe('destinationRulesForHost', () => {
  const exact = destinationRule('reviews', 'bookinfo', 'reviews', {
    v1: { version: 'v1' },
  });
  const fqdn = destinationRule(
    'reviews-fqdn',
    'other',
    'reviews.bookinfo.svc.cluster.local',
    {},
  );
  const wildcard = destinationRule(
    'all',
    'bookinfo',
    '*.bookinfo.svc.cluster.local',
    {},
  );

  it('matches short and fully-qualified DR hosts, each resolved in its own namespace', () => {
    expect(
      destinationRulesForHost('reviews.bookinfo.svc.cluster.local', [
        exact,
        fqdn,
        wildcard,
      ]).map(d => d.metadata?.name),
    ).toEqual(['reviews', 'reviews-fqdn']);
  });

  it('falls back to wildcard DestinationRules', () => {
    expect(
      destinationRulesForHost('ratings.bookinfo.svc.cluster.local', [
        exact,
        wildcard,
      ]).map(d => d.metadata?.name),
    ).toEqual(['all']);
  });

  it('does not match a short DR host from another namespace', () => {
    const elsewhere = destinationRule('reviews', 'staging', 'reviews', {});
    expect(
      destinationRulesForHost('reviews.bookinfo.svc.cluster.local', [
        elsewhere,
      ]),
    ).toEqual([]);
  });
});

describe('resolveRouteHosts', () => {
  const sources = {
    destinationRules: [
      destinationRule(
        'reviews',
        'bookinfo',
        'reviews.bookinfo.svc.cluster.local',
        {
          v1: { version: 'v1' },
          v2: { version: 'v2' },
          v3: { version: 'v3' },
        },
      ),
    ],
    deployments: bookinfoDeployments,
    services: [service('reviews', 'bookinfo', { app: 'reviews' })],
  };

  it('joins the subsets of the route hosts with their workloads and marks live ones', () => {
    const hosts = resolveRouteHosts(
      [
        route([
          { host: 'reviews', subset: 'v1', weight: 90 },
          { host: 'reviews.bookinfo', subset: 'v2', weight: 10 },
        ]),
      ],
      'bookinfo',
      sources,
    );
    expect(hosts).toHaveLength(1);
    expect(hosts[0].host).toBe('reviews.bookinfo.svc.cluster.local');
    expect(hosts[0].service?.metadata?.name).toBe('reviews');
    expect(
      hosts[0].subsets.map(s => [
        s.name,
        s.live,
        s.destinationRule,
        s.workloads.map(w => w.name),
      ]),
    ).toEqual([
      ['v1', true, 'reviews', ['reviews-v1']],
      ['v2', true, 'reviews', ['reviews-v2']],
      ['v3', false, 'reviews', []],
    ]);
    expect(hosts[0].subsets[0].host).toBe('reviews.bookinfo.svc.cluster.local');
  });

  it('a subset at weight 0 is not live; mirror hosts are resolved too', () => {
    const hosts = resolveRouteHosts(
      [
        route(
          [
            { host: 'reviews', subset: 'v1', weight: 100 },
            { host: 'reviews', subset: 'v2', weight: 0 },
          ],
          { mirrors: [{ host: 'shadow', percentage: 10 }] },
        ),
      ],
      'bookinfo',
      sources,
    );
    expect(hosts.map(h => h.host)).toEqual([
      'reviews.bookinfo.svc.cluster.local',
      'shadow.bookinfo.svc.cluster.local',
    ]);
    expect(hosts[0].subsets.filter(s => s.live).map(s => s.name)).toEqual([
      'v1',
    ]);
    expect(hosts[1]).toEqual({
      host: 'shadow.bookinfo.svc.cluster.local',
      destinationRules: [],
      subsets: [],
    });
  });

  it('resolves short hosts against the VirtualService namespace', () => {
    const hosts = resolveRouteHosts(
      [route([{ host: 'reviews', subset: 'v1', weight: 100 }])],
      'staging',
      sources,
    );
    expect(hosts[0].host).toBe('reviews.staging.svc.cluster.local');
    expect(hosts[0].subsets).toEqual([]);
  });
});
