import type { ParsedRoute } from './parseVirtualService';
import {
  deployment,
  destinationRule,
  service,
  virtualService,
} from './__testUtils__/objects';
import {
  describeRoute,
  duplicateHostFindings,
  FindingCodes,
  ownerFindings,
  serviceFindings,
  sortFindings,
  subsetFindings,
  weightFindings,
} from './findings';
import { resolveRouteHosts } from './subsets';

const route = (
  destinations: ParsedRoute['destinations'],
  extra: Partial<ParsedRoute> = {},
): ParsedRoute => ({
  kind: 'http',
  index: 0,
  name: 'main',
  match: 'default',
  destinations,
  ...extra,
});

describe('describeRoute', () => {
  it('names the route, or its kind and index', () => {
    expect(describeRoute(route([]))).toBe('route "main" (http #0)');
    expect(
      describeRoute({
        kind: 'tcp',
        index: 2,
        match: 'default',
        destinations: [],
      }),
    ).toBe('tcp route #2');
  });
});

describe('weightFindings', () => {
  it.each([
    [
      '100 in total',
      [
        { host: 'a', subset: 'v1', weight: 90 },
        { host: 'a', subset: 'v2', weight: 10 },
      ],
      [],
    ],
    ['a lone destination read as 100', [{ host: 'a', weight: 100 }], []],
    ['no destinations (delegate, redirect)', [], []],
  ])('nothing for %s', (_, destinations, expected) => {
    expect(weightFindings([route(destinations)])).toEqual(expected);
  });

  it('warns when weights do not add up to 100, with the relative shares Istio uses', () => {
    expect(
      weightFindings([
        route([
          { host: 'reviews', subset: 'v1', weight: 60 },
          { host: 'reviews', subset: 'v2', weight: 30 },
        ]),
      ]),
    ).toEqual([
      {
        code: 'WEIGHTS_DO_NOT_SUM_TO_100',
        severity: 'warning',
        message:
          'The weights of route "main" (http #0) add up to 90 (v1 60, v2 30), not 100. Istio reads them as relative shares (v1 66.7 %, v2 33.3 %); set weights that add up to 100 so the split is what it says.',
        route: { kind: 'http', index: 0 },
      },
    ]);
  });

  it('reports weights totalling 0 as an error', () => {
    const [finding] = weightFindings([
      route([
        { host: 'a', subset: 'v1', weight: 0 },
        { host: 'a', subset: 'v2', weight: 0 },
      ]),
    ]);
    expect(finding.severity).toBe('error');
    expect(finding.message).toContain('add up to 0 (v1 0, v2 0)');
  });
});

describe('subsetFindings', () => {
  const sources = {
    destinationRules: [
      destinationRule('reviews', 'bookinfo', 'reviews', {
        v1: { version: 'v1' },
        v2: { version: 'v2' },
        v3: { version: 'v3' },
      }),
    ],
    deployments: [
      deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }),
      deployment(
        'reviews-v2',
        'bookinfo',
        { app: 'reviews', version: 'v2' },
        { replicas: 2, ready: 0 },
      ),
    ],
    services: [service('reviews', 'bookinfo', { app: 'reviews' })],
  };
  const findingsFor = (routes: ParsedRoute[]) =>
    subsetFindings(
      routes,
      resolveRouteHosts(routes, 'bookinfo', sources),
      'bookinfo',
    );

  it('reports a subset no DestinationRule defines, naming route, subset and host', () => {
    const findings = findingsFor([
      route([
        { host: 'reviews', subset: 'v1', weight: 90 },
        { host: 'reviews', subset: 'v4', weight: 10 },
      ]),
    ]).filter(f => f.code === FindingCodes.SUBSET_NOT_DEFINED);
    expect(findings).toEqual([
      {
        code: 'SUBSET_NOT_DEFINED',
        severity: 'error',
        message:
          'Route "main" (http #0) sends traffic to subset "v4" of host "reviews", but no DestinationRule for that host (reviews) defines it. Istio fails those requests (503); add the subset to the DestinationRule or fix the subset name.',
        route: { kind: 'http', index: 0 },
        subset: 'v4',
        host: 'reviews',
      },
    ]);
  });

  it('reports subsets of a host without any DestinationRule, and mirror subsets', () => {
    const findings = findingsFor([
      route([{ host: 'ratings', subset: 'v1', weight: 100 }], {
        mirrors: [{ host: 'reviews', subset: 'shadow', percentage: 10 }],
      }),
    ]).filter(f => f.code === FindingCodes.SUBSET_NOT_DEFINED);
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining(
        'sends traffic to subset "v1" of host "ratings", but no DestinationRule for that host is among the objects selected for this entity',
      ),
      expect.stringContaining('mirrors to subset "shadow" of host "reviews"'),
    ]);
  });

  it('warns about a live subset without ready pods and informs about a staged one', () => {
    const findings = findingsFor([
      route([
        { host: 'reviews', subset: 'v1', weight: 50 },
        { host: 'reviews', subset: 'v2', weight: 50 },
      ]),
    ]);
    expect(findings).toEqual([
      {
        code: 'SUBSET_HAS_NO_READY_PODS',
        severity: 'warning',
        message:
          'Subset "v2" of host "reviews" gets traffic from route "main" (http #0) but selects no ready pod: its Deployments (reviews-v2) have no ready replica. Its share of requests fails until pods are ready; move its weight to a ready subset or fix the Deployment.',
        route: { kind: 'http', index: 0 },
        subset: 'v2',
        host: 'reviews',
      },
      {
        code: 'SUBSET_HAS_NO_READY_PODS',
        severity: 'info',
        message:
          'Subset "v3" of host "reviews" gets no traffic and selects no ready pod: no Deployment matches its labels version=v3. Start its pods before sending it traffic.',
        subset: 'v3',
        host: 'reviews',
      },
    ]);
  });

  it('treats a subset at weight 0 as staged', () => {
    const findings = findingsFor([
      route([
        { host: 'reviews', subset: 'v1', weight: 100 },
        { host: 'reviews', subset: 'v2', weight: 0 },
      ]),
    ]);
    expect(findings.map(f => [f.subset, f.severity])).toEqual([
      ['v2', 'info'],
      ['v3', 'info'],
    ]);
  });
});

describe('duplicateHostFindings', () => {
  const reviews = virtualService('reviews', 'bookinfo', { hosts: ['reviews'] });

  it.each([
    [
      'a second VirtualService naming the same host by FQDN',
      virtualService('reviews-canary', 'bookinfo', {
        hosts: ['reviews.bookinfo.svc.cluster.local'],
      }),
      1,
    ],
    [
      'the same host from another namespace by FQDN',
      virtualService('reviews', 'other', {
        hosts: ['reviews.bookinfo.svc.cluster.local'],
      }),
      1,
    ],
    [
      'the same short name in another namespace (another host)',
      virtualService('reviews', 'other', { hosts: ['reviews'] }),
      0,
    ],
    [
      'the same host bound only to an ingress gateway',
      virtualService('reviews-ingress', 'bookinfo', {
        hosts: ['reviews'],
        gateways: ['ingress'],
      }),
      0,
    ],
    [
      'the same host bound to mesh explicitly',
      virtualService('reviews-2', 'bookinfo', {
        hosts: ['reviews'],
        gateways: ['mesh'],
      }),
      1,
    ],
    [
      'a delegate VirtualService without hosts',
      virtualService('child', 'bookinfo', { http: [] }),
      0,
    ],
  ])('%s → %i finding(s)', (_, other, count) => {
    const findings = duplicateHostFindings(reviews, [reviews, other]);
    expect(findings).toHaveLength(count);
    findings.forEach(f => {
      expect(f.code).toBe('HOST_IN_SEVERAL_VIRTUAL_SERVICES');
      expect(f.severity).toBe('warning');
      expect(f.message).toContain(
        `VirtualService ${other.metadata?.namespace}/${other.metadata?.name}`,
      );
      expect(f.host).toBe('reviews');
    });
  });

  it('matches gateways written with and without namespace', () => {
    const a = virtualService('a', 'bookinfo', {
      hosts: ['x.example.com'],
      gateways: ['gw'],
    });
    const b = virtualService('b', 'bookinfo', {
      hosts: ['x.example.com'],
      gateways: ['bookinfo/gw'],
    });
    expect(duplicateHostFindings(a, [a, b])).toHaveLength(1);
  });
});

describe('ownerFindings', () => {
  it.each([
    [
      {
        kind: 'ArgoRollouts',
        name: 'reviews',
        effect: 'refuses-edits',
        via: 'ownerReference Rollout/reviews',
      },
      'OWNED_BY_CONTROLLER',
      'warning',
      'Managed by Argo Rollouts (Rollout "reviews"), seen from ownerReference Rollout/reviews.',
    ],
    [
      { kind: 'Flagger', name: 'reviews', effect: 'refuses-edits' },
      'OWNED_BY_CONTROLLER',
      'warning',
      'Managed by Flagger (Canary "reviews"). The controller sets these weights itself',
    ],
    [
      { kind: 'ArgoCD', name: 'bookinfo', effect: 'may-revert' },
      'TRACKED_BY_GITOPS',
      'info',
      'Tracked by Argo CD (Application "bookinfo").',
    ],
    [
      { kind: 'Flux', name: 'flux-system/apps', effect: 'may-revert' },
      'TRACKED_BY_GITOPS',
      'info',
      'Tracked by Flux (Kustomization "flux-system/apps").',
    ],
    [
      {
        kind: 'Flux',
        name: 'reviews',
        effect: 'may-revert',
        via: 'label helm.toolkit.fluxcd.io/name',
      },
      'TRACKED_BY_GITOPS',
      'info',
      'Tracked by Flux (HelmRelease "reviews"), seen from label helm.toolkit.fluxcd.io/name.',
    ],
  ] as const)('%j → %s', (owner, code, severity, text) => {
    const [finding] = ownerFindings([owner]);
    expect(finding.code).toBe(code);
    expect(finding.severity).toBe(severity);
    expect(finding.message).toContain(text);
  });
});

describe('serviceFindings', () => {
  const services = [service('reviews', 'bookinfo', { app: 'reviews' })];

  it.each([
    [
      'a short host with its Service',
      destinationRule('reviews', 'bookinfo', 'reviews', {}),
      0,
    ],
    [
      'an FQDN host with its Service',
      destinationRule('r', 'other', 'reviews.bookinfo.svc.cluster.local', {}),
      0,
    ],
    [
      'a misspelt host',
      destinationRule('reviewz', 'bookinfo', 'reviewz', {}),
      1,
    ],
    [
      'a host in another namespace without Service',
      destinationRule('reviews', 'staging', 'reviews', {}),
      1,
    ],
    [
      'an external host (ServiceEntry)',
      destinationRule('ext', 'bookinfo', 'api.example.com', {}),
      0,
    ],
    [
      'a wildcard host',
      destinationRule('all', 'bookinfo', '*.bookinfo.svc.cluster.local', {}),
      0,
    ],
  ])('%s → %i finding(s)', (_, dr, count) => {
    const findings = serviceFindings([dr], services);
    expect(findings).toHaveLength(count);
    findings.forEach(f => {
      expect(f.code).toBe('DESTINATION_RULE_HOST_HAS_NO_SERVICE');
      expect(f.message).toContain(`DestinationRule "${dr.metadata?.name}"`);
    });
  });
});

describe('sortFindings', () => {
  it('puts errors first, then warnings, then information, keeping order otherwise', () => {
    const f = (code: string, severity: 'info' | 'warning' | 'error') => ({
      code,
      severity,
      message: code,
    });
    expect(
      sortFindings([
        f('a', 'info'),
        f('b', 'warning'),
        f('c', 'error'),
        f('d', 'warning'),
      ]).map(x => x.code),
    ).toEqual(['c', 'b', 'd', 'a']);
  });
});
