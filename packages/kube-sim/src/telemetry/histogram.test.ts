import {
  histogramQuantile,
  ISTIO_DURATION_BUCKETS_MS,
  latencyDistribution,
} from './histogram';

/** Bucket counts of 1000 requests, `+Inf` last, as Prometheus would read them. */
function counts(p50: number, p99: number): number[] {
  const d = latencyDistribution(p50, p99);
  return [...d.cumulative.map(c => c * 1000), 1000];
}

function quantile(q: number, p50: number, p99: number): number {
  return histogramQuantile(q, ISTIO_DURATION_BUCKETS_MS, counts(p50, p99));
}

describe('latencyDistribution', () => {
  it.each([
    // The default (20 ms, 3×), the demo's shapes, and both quantiles in neighbouring or distant buckets.
    [20, 60],
    [30, 80],
    [35, 95],
    [25, 75],
    [180, 900],
    [40, 120],
    [12, 36],
    [5, 600],
    [1000, 3000],
    [60, 99.5],
  ])(
    'has the configured p50 and p99 as histogram_quantile interpolates them (%d ms, %d ms)',
    (p50, p99) => {
      expect(quantile(0.5, p50, p99)).toBeCloseTo(p50, 6);
      expect(quantile(0.99, p50, p99)).toBeCloseTo(p99, 6);
      // Well within the 10 % any consumer should tolerate.
      expect(Math.abs(quantile(0.5, p50, p99) / p50 - 1)).toBeLessThan(0.1);
      expect(Math.abs(quantile(0.99, p50, p99) / p99 - 1)).toBeLessThan(0.1);
    },
  );

  it('is a valid cumulative distribution', () => {
    for (const [p50, p99] of [
      [20, 60],
      [26, 30],
      [400, 450],
      [0.1, 0.2],
      [25, 40],
      [1e6, 1e7],
    ]) {
      const { cumulative, meanMs } = latencyDistribution(p50, p99);
      expect(cumulative).toHaveLength(ISTIO_DURATION_BUCKETS_MS.length);
      cumulative.forEach((c, i) => {
        expect(c).toBeGreaterThanOrEqual(i ? cumulative[i - 1] : 0);
        expect(c).toBeLessThanOrEqual(1);
      });
      expect(Number.isFinite(meanMs)).toBe(true);
    }
  });

  it('meets p99 when p50 and p99 are too close in one bucket to meet both', () => {
    expect(quantile(0.99, 26, 30)).toBeCloseTo(30, 6);
    expect(quantile(0.5, 26, 30)).toBeLessThan(30);
  });

  it('has a mean between p50 and p99 for the usual shapes', () => {
    const { meanMs } = latencyDistribution(20, 60);
    expect(meanMs).toBeGreaterThan(20);
    expect(meanMs).toBeLessThan(60);
  });
});

describe('histogramQuantile', () => {
  const bounds = [10, 20, 40];
  it('interpolates inside the bucket, from 0 in the first', () => {
    expect(histogramQuantile(0.25, bounds, [0, 50, 100, 100])).toBe(15);
    expect(histogramQuantile(0.25, bounds, [50, 50, 100, 100])).toBe(5);
    expect(histogramQuantile(0.75, bounds, [0, 50, 100, 100])).toBe(30);
  });
  it('answers the highest finite bound in the +Inf bucket, NaN without observations', () => {
    expect(histogramQuantile(0.99, bounds, [0, 0, 50, 100])).toBe(40);
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeNaN();
  });
});
