import {
  reviewsMetrics,
  reviewsMetricsWestUnavailable,
} from '../__fixtures__/metrics';
import { reviewsResponse } from '../__fixtures__/rollouts';
import {
  clusterMetricsStatus,
  describeFigures,
  formatClock,
  formatLatency,
  formatRate,
  formatSuccessRate,
  formatWindow,
  rolloutHealth,
  routeVerdict,
  subsetMetricsOf,
  withMetricFindings,
} from './metrics';

const [east, west] = reviewsResponse.rollouts;

describe('metrics', () => {
  it('formats the figures, with a dash for none', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.4213)).toBe('0.42');
    expect(formatRate(12.44)).toBe('12.4');
    expect(formatRate(1204.4)).toBe('1,204');
    expect(formatSuccessRate(null)).toBe('—');
    expect(formatSuccessRate(0.998)).toBe('99.8 %');
    expect(formatSuccessRate(0.9999)).toBe('99.9 %');
    expect(formatSuccessRate(1)).toBe('100 %');
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(42.4)).toBe('42 ms');
    expect(formatLatency(4.25)).toBe('4.3 ms');
    expect(formatWindow(300)).toBe('5 min');
    expect(formatWindow(3600)).toBe('1 h');
    expect(formatWindow(45)).toBe('45 s');
    expect(formatClock(0)).toMatch(/^\d\d:\d\d$/);
  });

  it('finds a rollout’s health by its id, and its cluster’s status', () => {
    const health = rolloutHealth(reviewsMetrics, east);
    expect(health?.status).toBe('ok');
    expect(health?.metrics?.rolloutId).toBe(east.id);
    expect(health?.windowSeconds).toBe(300);
    const unavailable = rolloutHealth(reviewsMetricsWestUnavailable, west);
    expect(unavailable).toMatchObject({
      status: 'unavailable',
      error: { reason: 'Timeout' },
      metrics: undefined,
    });
    expect(rolloutHealth(undefined, east)).toBeUndefined();
    expect(
      rolloutHealth(reviewsMetrics, { id: 'x/y/z', cluster: 'elsewhere' }),
    ).toBeUndefined();
    expect(clusterMetricsStatus(reviewsMetrics, 'demo-west')?.status).toBe(
      'ok',
    );
  });

  it('treats an answer of another shape as no health', () => {
    expect(rolloutHealth(reviewsResponse as any, east)).toMatchObject({
      status: 'ok',
      metrics: undefined,
    });
    expect(rolloutHealth({} as any, east)).toBeUndefined();
  });

  it('finds a subset’s figures by short host, and a route’s verdict', () => {
    const metrics = reviewsMetrics.rollouts[0];
    expect(
      subsetMetricsOf(metrics, 'reviews.bookinfo.svc.cluster.local', 'v2')
        ?.requestsPerSecond,
    ).toBe(12.1);
    expect(subsetMetricsOf(metrics, 'ratings', 'v2')).toBeUndefined();
    expect(routeVerdict(metrics, { kind: 'http', index: 0 })?.status).toBe(
      'failing',
    );
    expect(routeVerdict(metrics, { kind: 'http', index: 1 })).toBeUndefined();
    expect(describeFigures(metrics.subsets[0])).toBe(
      '12.4 req/s, 99.7 % success, p99 42 ms',
    );
    expect(describeFigures(metrics.subsets[2])).toBe('no requests');
  });

  it('adds the metrics’ findings to the rollout’s, each once', () => {
    const metrics = reviewsMetrics.rollouts[0];
    const own = {
      code: 'SUBSET_HAS_NO_READY_PODS',
      severity: 'info' as const,
      message: 'm',
    };
    expect(withMetricFindings([own], metrics).map(f => f.code)).toEqual([
      'SUBSET_HAS_NO_READY_PODS',
      'CANARY_ERROR_RATE',
    ]);
    expect(
      withMetricFindings(metrics.findings, metrics).map(f => f.code),
    ).toEqual(['CANARY_ERROR_RATE']);
    expect(withMetricFindings([own], undefined)).toEqual([own]);
  });
});
