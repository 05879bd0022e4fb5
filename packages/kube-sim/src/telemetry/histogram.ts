/*
 * The simulated latency distribution and Prometheus' histogram_quantile.
 *
 * A workload's latency is described by its median and p99. Prometheus
 * estimates a quantile from bucket counts by linear interpolation inside the
 * bucket the quantile falls in, so the distribution here is piecewise linear
 * between bucket bounds (that is all a histogram can say anyway) and built so
 * that this interpolation gives back exactly the configured p50 and p99: the
 * cumulative fraction at the bounds of the bucket holding p50 lies on a line
 * through (p50, 0.5), and likewise for p99 and 0.99. The reference shape
 * elsewhere is the piecewise-linear CDF through (0, 0), (p50, 0.5),
 * (p99, 0.99), (2·p99, 1). Exactness can only fail for extreme shapes
 * (p50 and p99 in one bucket with too little room, or p50 far below the first
 * bound), where the nearest valid distribution is used.
 */

/** Istio's default buckets of `istio_request_duration_milliseconds` (without `+Inf`). */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];

export interface LatencyDistribution {
  /** The finite bucket bounds (`le`), ascending. */
  bounds: readonly number[];
  /** Share of requests taking at most each bound; the `+Inf` bucket is 1. */
  cumulative: number[];
  /** Mean latency in milliseconds: what `_sum / _count` gives. */
  meanMs: number;
}

type Point = [x: number, y: number];

/** The y of the polyline through `points` (sorted by x) at x; flat outside them. */
function polyline(points: Point[], x: number): number {
  if (x <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i];
    if (x <= x1) {
      const [x0, y0] = points[i - 1];
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1][1];
}

/** The bucket a value falls in: its lower bound (0 for the first) and upper bound. */
function bucketOf(bounds: readonly number[], v: number) {
  const i = bounds.findIndex(b => b >= v);
  if (i < 0) return undefined;
  return { index: i, lower: i === 0 ? 0 : bounds[i - 1], upper: bounds[i] };
}

/**
 * The slopes (share per millisecond) of the chords through (p50, 0.5) in
 * p50's bucket and through (p99, 0.99) in p99's, within what keeps the
 * distribution valid (0 at 0, at most 1, non-decreasing).
 */
function chordSlopes(
  p50: number,
  p99: number,
  a1: number,
  b1: number,
  a2: number,
  b2: number,
): { s: number; t: number } {
  const mid = 0.49 / (p99 - p50);
  // s: the chord may not go below 0 at a1 (and must hit 0 there when a1 is 0).
  const sMax = 0.5 / (p50 - a1);
  // t: the chord may not go above 1 at b2.
  const tMax = b2 > p99 ? 0.01 / (b2 - p99) : Infinity;
  if (b1 < a2) {
    const s = a1 === 0 ? sMax : Math.min(sMax, mid);
    // Room left between the two chords' inner ends.
    const room = 0.49 - s * (b1 - p50);
    const t = Math.min(tMax, mid, room > 0 ? room / (p99 - a2) : 0);
    return { s, t };
  }
  // Adjacent buckets: both chords meet at m = b1 = a2, at the height g:
  // s·(m − p50) + t·(p99 − m) = 0.49.
  const u = b1 - p50;
  const v = p99 - b1;
  if (u === 0) return { s: Math.min(sMax, mid), t: Math.min(tMax, 0.49 / v) };
  // Both at the reference slope when allowed (then g is the reference CDF's
  // height at m); s is forced when p50's bucket starts at 0.
  let s = a1 === 0 ? sMax : Math.min(sMax, mid);
  let t = (0.49 - s * u) / v;
  if (t > tMax) {
    t = tMax;
    if (a1 !== 0) s = Math.min(sMax, (0.49 - t * v) / u);
  }
  return { s, t: Math.max(0, t) };
}

/**
 * p50 and p99 in one bucket (a, b]: a single chord through (p50, 0.5) and
 * (p99, 0.99) when it fits between 0 and 1; else one that meets p99 only.
 */
function sameBucket(p50: number, p99: number, a: number, b: number): Point[] {
  const mid = 0.49 / (p99 - p50);
  const ga = 0.5 - mid * (p50 - a);
  const gb = 0.99 + mid * (b - p99);
  if (gb <= 1 && (a === 0 ? Math.abs(ga) < 1e-12 : ga >= 0)) {
    return [
      [a, ga],
      [b, gb],
    ];
  }
  if (a === 0) return [[b, Math.min(1, (0.99 * b) / p99)]];
  const f = (p99 - a) / (b - a);
  return [
    [a, Math.max(0, (0.99 - f) / (1 - f))],
    [b, 1],
  ];
}

/**
 * The cumulative shares at `bounds` of a latency distribution with median
 * `p50Ms` and 99th percentile `p99Ms` (raised to just above p50 if lower).
 */
export function latencyDistribution(
  p50Ms: number,
  p99Ms: number,
  bounds: readonly number[] = ISTIO_DURATION_BUCKETS_MS,
): LatencyDistribution {
  const last = bounds[bounds.length - 1];
  const p50 = Math.min(Math.max(p50Ms, 1e-6), last / 4);
  const p99 = Math.min(Math.max(p99Ms, p50 * 1.001), last / 2);
  const reference: Point[] = [
    [0, 0],
    [p50, 0.5],
    [p99, 0.99],
    [2 * p99, 1],
  ];
  const k1 = bucketOf(bounds, p50)!;
  const k2 = bucketOf(bounds, p99)!;
  const anchors: Point[] = [[0, 0]];
  // Where two anchors share a bound, the higher one wins: p99's.
  const push = (x: number, y: number) => {
    const prev = anchors[anchors.length - 1];
    if (x === prev[0]) prev[1] = Math.max(prev[1], y);
    else if (x > prev[0]) anchors.push([x, y]);
  };
  if (k1.index === k2.index) {
    sameBucket(p50, p99, k1.lower, k1.upper).forEach(([x, y]) => push(x, y));
  } else {
    const { s, t } = chordSlopes(
      p50,
      p99,
      k1.lower,
      k1.upper,
      k2.lower,
      k2.upper,
    );
    if (k1.lower > 0) push(k1.lower, 0.5 - s * (p50 - k1.lower));
    push(k1.upper, 0.5 + s * (k1.upper - p50));
    push(k2.lower, 0.99 - t * (p99 - k2.lower));
    push(k2.upper, 0.99 + t * (k2.upper - p99));
  }
  // The tail: up to 1 at 2·p99, or at the next bound if 2·p99 is inside p99's bucket.
  const next = bounds[k2.index + 1];
  const end = 2 * p99 > k2.upper ? 2 * p99 : next;
  if (end !== undefined) push(end, 1);

  let running = 0;
  const cumulative = bounds.map(b => {
    const y =
      anchors.length > 1 ? polyline(anchors, b) : polyline(reference, b);
    running = Math.min(1, Math.max(running, y));
    return running;
  });
  let meanMs = 0;
  let prevBound = 0;
  let prevShare = 0;
  cumulative.forEach((share, i) => {
    meanMs += (share - prevShare) * ((prevBound + bounds[i]) / 2);
    prevBound = bounds[i];
    prevShare = share;
  });
  meanMs += (1 - prevShare) * prevBound;
  return { bounds, cumulative, meanMs };
}

/**
 * Prometheus' `histogram_quantile(q, …)` over one histogram: `bounds` are
 * the finite `le` values ascending, `counts` the cumulative bucket counts,
 * one per bound plus the `+Inf` bucket last. NaN without observations.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number {
  const total = counts[counts.length - 1];
  if (!(total > 0)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  let i = counts.findIndex(c => c >= rank);
  if (i < 0) i = counts.length - 1;
  // In the +Inf bucket: the highest finite bound.
  if (i === bounds.length) return bounds[bounds.length - 1];
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : counts[i - 1];
  const inBucket = counts[i] - below;
  if (inBucket <= 0) return bounds[i];
  // histogram_quantile never goes below 0 for the first bucket when its bound is positive.
  return lower + (bounds[i] - lower) * ((rank - below) / inBucket);
}
