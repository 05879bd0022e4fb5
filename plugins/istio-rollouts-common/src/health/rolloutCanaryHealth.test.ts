import type { SubsetMetrics } from '../api';
import { rolloutCanaryHealth } from './canaryVerdict';
import { metrics, rollout, route, subset } from './__testUtils__/fixtures';

describe('rolloutCanaryHealth', () => {
  it('judges each route with a canary and reports a failing check once per canary', () => {
    const main = route([
      ['v1', 80],
      ['v2', 20],
    ]);
    const api = route(
      [
        ['v1', 50],
        ['v2', 50],
      ],
      { index: 1, name: 'api' },
    );
    const solo = route([['v1', 100]], { index: 2, name: undefined });
    const health = rolloutCanaryHealth(rollout([main, api, solo]), [
      metrics('v1', { rps: 40, successRate: 0.997 }),
      metrics('v2', { rps: 10, successRate: 0.958, latencyP99Ms: 900 }),
    ]);
    expect(
      health.routes.map(r => [r.route, r.verdict.status, r.verdict.summary]),
    ).toEqual([
      [
        { kind: 'http', index: 0 },
        'failing',
        'failing: 4.2 % errors vs 0.3 %; p99 900 ms vs 40 ms (limit 500 ms)',
      ],
      [
        { kind: 'http', index: 1 },
        'failing',
        'failing: 4.2 % errors vs 0.3 %; p99 900 ms vs 40 ms (limit 500 ms)',
      ],
    ]);
    expect(health.findings).toEqual([
      {
        code: 'CANARY_ERROR_RATE',
        severity: 'error',
        message:
          'Canary subset "v2" of route "reviews-route" (http #0) answered 4.2 % of its 600 requests with a 5xx (success 95.8 %, below the minimum of 99 %); stable subset "v1": 0.3 % errors. Roll back, or find the cause before it gets more traffic.',
        route: { kind: 'http', index: 0 },
        subset: 'v2',
        host: 'reviews',
      },
      {
        code: 'CANARY_LATENCY',
        severity: 'error',
        message:
          'Canary subset "v2" of route "reviews-route" (http #0) has a p99 latency of 900 ms, above the limit of 500 ms; stable subset "v1": 40 ms. Roll back, or find the cause before it gets more traffic.',
        route: { kind: 'http', index: 0 },
        subset: 'v2',
        host: 'reviews',
      },
    ]);
  });

  it('warns of a subset with weight that got no request while the others did', () => {
    const main = route([
      ['v1', 90],
      ['v2', 10],
    ]);
    const health = rolloutCanaryHealth(rollout([main]), [
      metrics('v1', { rps: 12.345 }),
      metrics('v2', { rps: 0 }),
    ]);
    expect(health.routes[0].verdict.status).toBe('insufficientTraffic');
    expect(health.findings).toEqual([
      {
        code: 'NO_CANARY_TRAFFIC',
        severity: 'warning',
        message:
          'Subset "v2" has weight 10 on route "reviews-route" (http #0) but received no request in the analysis window, while "v1" received 12.35 requests per second. Check that its pods run an Istio sidecar and that the route\'s traffic reaches it (its requests may fail before they arrive).',
        route: { kind: 'http', index: 0 },
        subset: 'v2',
        host: 'reviews',
      },
    ]);
  });

  it.each<[string, Array<[string, number]>, SubsetMetrics[]]>([
    [
      'a route nobody calls',
      [
        ['v1', 90],
        ['v2', 10],
      ],
      [metrics('v1', { rps: 0 }), metrics('v2', { rps: null })],
    ],
    [
      'a subset at 0 %',
      [
        ['v1', 100],
        ['v3', 0],
      ],
      [metrics('v1'), metrics('v3', { rps: 0 })],
    ],
    [
      'a subset without figures',
      [
        ['v1', 90],
        ['v2', 10],
      ],
      [metrics('v1')],
    ],
  ])('tells of no missing traffic for %s', (_, weights, figures) => {
    expect(
      rolloutCanaryHealth(rollout([route(weights)]), figures).findings,
    ).toEqual([]);
  });

  it('matches a route’s short host with the DestinationRule’s full one, and keeps hosts apart', () => {
    const main = route([
      ['v1', 80],
      ['v2', 20],
    ]);
    const health = rolloutCanaryHealth(
      rollout([main], {
        subsets: [
          subset('v1', 'reviews.bookinfo.svc.cluster.local'),
          subset('v2', 'reviews.bookinfo.svc.cluster.local'),
        ],
      }),
      [
        metrics('v1', {}, 'reviews.bookinfo.svc.cluster.local'),
        metrics('v2', { successRate: 0.5 }, 'ratings'),
        metrics('v2', {}, 'reviews.bookinfo'),
      ],
    );
    expect(health.routes.map(r => r.verdict.status)).toEqual(['healthy']);
  });

  it('judges a blue/green pair on the route that offers the switch', () => {
    const header = route([['green', 100]], {
      index: 0,
      match: 'header x-deploy = green',
    });
    const live = route([['blue', 100]], {
      index: 1,
      offers: {
        switch: {
          headerRoute: 0,
          defaultRoute: 1,
          live: 'blue',
          idle: 'green',
        },
      },
    });
    const health = rolloutCanaryHealth(rollout([header, live]), [
      metrics('blue', { rps: 100 }),
      metrics('green', { rps: 2, latencyP99Ms: 700 }),
    ]);
    expect(health.routes).toEqual([
      {
        route: { kind: 'http', index: 1 },
        verdict: expect.objectContaining({
          canary: 'green',
          stable: 'blue',
          status: 'failing',
          summary: 'failing: p99 700 ms vs 40 ms (limit 500 ms)',
        }),
      },
    ]);
    expect(health.findings.map(f => [f.code, f.subset, f.route])).toEqual([
      ['CANARY_LATENCY', 'green', { kind: 'http', index: 1 }],
    ]);
  });
});
