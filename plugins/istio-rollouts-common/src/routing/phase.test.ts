import { RouteDestination } from '../api';
import type { ParsedRoute } from './parseVirtualService';
import { determinePhase, PhaseResult } from './phase';

const d = (
  subset: string | undefined,
  weight: number,
  host = 'app',
): RouteDestination => ({
  host,
  ...(subset ? { subset } : {}),
  weight,
});

let index = 0;
const http = (
  destinations: RouteDestination[],
  extra: Partial<ParsedRoute> = {},
): ParsedRoute => ({
  kind: 'http',
  index: index++,
  match: 'default',
  destinations,
  ...extra,
});
const headerRoute = (destinations: RouteDestination[]) =>
  http(destinations, {
    match: 'header x-deploy = green',
    matchedHeaders: ['x-deploy'],
  });
const uriRoute = (destinations: RouteDestination[]) =>
  http(destinations, { match: 'prefix /reviews' });

const ready = new Set([
  'app/blue',
  'app/green',
  'app/v1',
  'app/v2',
  'app/latest',
]);
const isReady = (dest: RouteDestination) =>
  ready.has(`${dest.host}/${dest.subset}`);

describe('determinePhase', () => {
  it.each<[string, ParsedRoute[], PhaseResult]>([
    ['no routes', [], { phase: 'stable' }],
    [
      'one subset, lone destination (ratings)',
      [http([d('v1', 100)])],
      { phase: 'stable', stableSubset: 'v1' },
    ],
    [
      'a 50/50 split on a URI route (reviews demo-east)',
      [uriRoute([d('v1', 50), d('v2', 50)])],
      { phase: 'canary', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      'an 80/20 split',
      [http([d('v1', 80), d('v2', 20)])],
      { phase: 'canary', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      'the bigger share is stable whatever the order (foobar 70/30 listed reversed)',
      [http([d('v2', 30), d('latest', 70)])],
      { phase: 'canary', stableSubset: 'latest', candidateSubset: 'v2' },
    ],
    [
      'a three-way split: stable the heaviest, candidate the next',
      [http([d('v1', 60), d('v3', 10), d('v2', 30)])],
      { phase: 'canary', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      'a split on the default route wins over one on an earlier route',
      [uriRoute([d('a', 50), d('b', 50)]), http([d('v1', 90), d('v2', 10)])],
      { phase: 'canary', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      'a host-level split is a canary without subsets',
      [http([d(undefined, 90, 'app-stable'), d(undefined, 10, 'app-canary')])],
      { phase: 'canary' },
    ],
    [
      'a header route to green, default to blue (gorilla-sfx-demo)',
      [headerRoute([d('green', 100)]), http([d('blue', 100)])],
      { phase: 'blue-green', stableSubset: 'blue', candidateSubset: 'green' },
    ],
    [
      'a header route to the same subset as the default is just stable',
      [headerRoute([d('blue', 100)]), http([d('blue', 100)])],
      { phase: 'stable', stableSubset: 'blue' },
    ],
    [
      'a URI route to another subset is not a blue/green header route',
      [uriRoute([d('v2', 100)]), http([d('v1', 100)])],
      { phase: 'stable', stableSubset: 'v1' },
    ],
    [
      'a header route plus a split default route is a canary',
      [headerRoute([d('v2', 100)]), http([d('v1', 90), d('v2', 10)])],
      { phase: 'canary', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      '100/0 with both sides ready (web-service)',
      [http([d('blue', 100), d('green', 0)])],
      { phase: 'blue-green', stableSubset: 'blue', candidateSubset: 'green' },
    ],
    [
      '0/100 with both sides ready: the live side is stable',
      [http([d('blue', 0), d('green', 100)])],
      { phase: 'blue-green', stableSubset: 'green', candidateSubset: 'blue' },
    ],
    [
      '100/0 whose idle side has no ready pod: stable, candidate staged at 0 %',
      [http([d('v1', 100), d('v9', 0)])],
      { phase: 'stable', stableSubset: 'v1', candidateSubset: 'v9' },
    ],
    [
      'mirroring wins over everything',
      [
        http([d('v1', 100)], {
          mirror: { host: 'app', subset: 'v2', percentage: 10 },
          mirrors: [{ host: 'app', subset: 'v2', percentage: 10 }],
        }),
      ],
      { phase: 'mirroring', stableSubset: 'v1', candidateSubset: 'v2' },
    ],
    [
      'mirroring to another host',
      [
        http([d('v1', 100)], {
          mirrors: [{ host: 'shadow', percentage: 100 }],
        }),
      ],
      { phase: 'mirroring', stableSubset: 'v1' },
    ],
    [
      'delegating routes carry no traffic of their own',
      [http([], { delegate: { name: 'child' } })],
      { phase: 'stable' },
    ],
    [
      'tcp splits count too',
      [
        {
          kind: 'tcp',
          index: 0,
          match: 'port 27017',
          destinations: [d('a', 50), d('b', 50)],
        },
      ],
      { phase: 'canary', stableSubset: 'a', candidateSubset: 'b' },
    ],
  ])('%s', (_, routes, expected) => {
    expect(determinePhase(routes, { isReady })).toEqual(expected);
  });

  it('compares hosts through hostKey, so short and FQDN hosts are one host', () => {
    const hostKey = (h: string) =>
      h.includes('.') ? h : `${h}.default.svc.cluster.local`;
    const routes = [
      headerRoute([d('green', 100, 'app.default.svc.cluster.local')]),
      http([d('blue', 100, 'app')]),
    ];
    expect(determinePhase(routes, { hostKey, isReady }).phase).toBe(
      'blue-green',
    );
    expect(determinePhase(routes, { isReady }).phase).toBe('stable');
  });

  it('reads 100/0 as stable when readiness is unknown', () => {
    expect(determinePhase([http([d('blue', 100), d('green', 0)])])).toEqual({
      phase: 'stable',
      stableSubset: 'blue',
      candidateSubset: 'green',
    });
  });
});
