import type {
  CanaryThresholds,
  Route,
  RouteOffers,
  SubsetMetrics,
} from '../api';
import {
  canaryPair,
  canaryVerdict,
  CanaryRollout,
  DEFAULT_CANARY_THRESHOLDS,
} from './canaryVerdict';
import { metrics, rollout, route } from './__testUtils__/fixtures';

const thresholds: CanaryThresholds = DEFAULT_CANARY_THRESHOLDS;

describe('canaryVerdict', () => {
  it.each<[string, SubsetMetrics, SubsetMetrics, string, string]>([
    [
      'healthy',
      metrics('v2', { successRate: 0.995, latencyP99Ms: 120 }),
      metrics('v1', { successRate: 0.999 }),
      'healthy',
      'healthy',
    ],
    [
      'failing on errors',
      metrics('v2', { successRate: 0.958 }),
      metrics('v1', { successRate: 0.997 }),
      'failing',
      'failing: 4.2 % errors vs 0.3 %',
    ],
    [
      'failing on latency',
      metrics('v2', { latencyP99Ms: 900 }),
      metrics('v1', { latencyP99Ms: 40 }),
      'failing',
      'failing: p99 900 ms vs 40 ms (limit 500 ms)',
    ],
    [
      'failing on both',
      metrics('v2', { successRate: 0.9, latencyP99Ms: 2.46 * 1000 }),
      metrics('v1', { latencyP99Ms: 4.25 }),
      'failing',
      'failing: 10 % errors vs 0 %; p99 2460 ms vs 4.3 ms (limit 500 ms)',
    ],
    [
      'failing with a stable subset that got nothing',
      metrics('v2', { successRate: 0.5 }),
      metrics('v1', { rps: 0 }),
      'failing',
      'failing: 50 % errors vs n/a',
    ],
    [
      'too few requests',
      metrics('v2', { rps: 0.2, successRate: 0.5 }),
      metrics('v1'),
      'insufficientTraffic',
      'not enough traffic: 12 of 50 requests',
    ],
    [
      'no requests at all',
      metrics('v2', { rps: null }),
      metrics('v1'),
      'insufficientTraffic',
      'not enough traffic: 0 of 50 requests',
    ],
    [
      'exactly at the thresholds',
      metrics('v2', { rps: 50 / 60, successRate: 0.99, latencyP99Ms: 500 }),
      metrics('v1'),
      'healthy',
      'healthy',
    ],
  ])('%s', (_, canary, stable, status, summary) => {
    const verdict = canaryVerdict(canary, stable, thresholds);
    expect(verdict).toMatchObject({
      status,
      summary,
      canary: 'v2',
      stable: 'v1',
    });
  });

  it('lists its checks with both subsets’ figures, and the comparison', () => {
    expect(
      canaryVerdict(
        metrics('v2', { successRate: 0.958, latencyP99Ms: 80 }),
        metrics('v1', { successRate: 0.997, latencyP99Ms: 40 }),
        thresholds,
      ),
    ).toEqual({
      status: 'failing',
      canary: 'v2',
      stable: 'v1',
      summary: 'failing: 4.2 % errors vs 0.3 %',
      checks: [
        {
          metric: 'successRate',
          value: 0.958,
          stableValue: 0.997,
          threshold: 0.99,
          passed: false,
        },
        {
          metric: 'latencyP99',
          value: 80,
          stableValue: 40,
          threshold: 500,
          passed: true,
        },
      ],
      successRateDelta: expect.closeTo(-0.039, 6),
      latencyP99Ratio: 2,
    });
  });

  it('makes no check while the traffic is insufficient, and none on an unknown latency', () => {
    expect(
      canaryVerdict(metrics('v2', { rps: 0.5 }), metrics('v1'), thresholds)
        .checks,
    ).toEqual([]);
    expect(
      canaryVerdict(
        metrics('v2', { latencyP99Ms: null }),
        metrics('v1'),
        thresholds,
      ).checks.map(c => c.metric),
    ).toEqual(['successRate']);
  });

  it('follows the thresholds it is given', () => {
    const strict = {
      minSuccessRate: 0.999,
      maxLatencyP99Ms: 30,
      minRequests: 1,
    };
    expect(
      canaryVerdict(metrics('v2', { rps: 0.02 }), metrics('v1'), strict)
        .summary,
    ).toBe('failing: p99 40 ms vs 40 ms (limit 30 ms)');
  });
});

describe('canaryPair', () => {
  const pair = (canary: string, stable: string) => ({
    canary: { host: 'reviews', subset: canary },
    stable: { host: 'reviews', subset: stable },
  });

  it.each<[string, Route, Partial<CanaryRollout>, unknown]>([
    [
      'a split: the heaviest is stable',
      route([
        ['v1', 80],
        ['v2', 20],
      ]),
      {},
      pair('v2', 'v1'),
    ],
    [
      'the rollout’s stable subset over the heavier canary',
      route([
        ['v1', 30],
        ['v2', 70],
      ]),
      { stableSubset: 'v1' },
      pair('v2', 'v1'),
    ],
    [
      'the roll back target (from the history) over the read model’s stable subset',
      route(
        [
          ['v1', 30],
          ['v2', 70],
        ],
        {
          offers: { rollback: { subset: 'v1', source: 'history' } },
        },
      ),
      { stableSubset: 'v2' },
      pair('v2', 'v1'),
    ],
    [
      'a stable subset without weight is not compared',
      route([
        ['v1', 0],
        ['v2', 100],
      ]),
      { stableSubset: 'v1' },
      undefined,
    ],
    [
      'three subsets: the heaviest other is the canary',
      route([
        ['v1', 60],
        ['v2', 10],
        ['v3', 30],
      ]),
      {},
      pair('v3', 'v1'),
    ],
    [
      'a subset staged at 0 % is no canary',
      route([
        ['v1', 100],
        ['v3', 0],
      ]),
      {},
      undefined,
    ],
    ['one destination', route([['v1', 100]]), {}, undefined],
    [
      'a host-level split',
      {
        ...route([]),
        destinations: [
          { host: 'podinfo-primary', weight: 90 },
          { host: 'podinfo-canary', weight: 10 },
        ],
      },
      {},
      undefined,
    ],
    [
      'one subset listed twice is one destination',
      route([
        ['v1', 50],
        ['v1', 40],
        ['v2', 10],
      ]),
      {},
      pair('v2', 'v1'),
    ],
  ])('%s', (_, r, extra, expected) => {
    expect(canaryPair(r, rollout([r], extra))).toEqual(expected);
  });

  it('compares a blue/green header route’s idle subset with the live one', () => {
    const switchOffer: RouteOffers = {
      switch: { headerRoute: 0, defaultRoute: 1, live: 'blue', idle: 'green' },
    };
    const header = route([['green', 100]], {
      index: 0,
      match: 'header x-deploy = green',
    });
    const live = route([['blue', 100]], { index: 1, offers: switchOffer });
    expect(canaryPair(live, rollout([header, live]))).toEqual({
      canary: { host: 'reviews', subset: 'green' },
      stable: { host: 'reviews', subset: 'blue' },
    });
    expect(canaryPair(header, rollout([header, live]))).toBeUndefined();
  });
});
