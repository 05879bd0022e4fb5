import { PrometheusQueryError } from './PrometheusClient';
import {
  END,
  northReviews,
  ratings,
  reviews,
  rollout,
  setup,
  telemetryFor,
  westReviews,
} from './__testUtils__/readerFixtures';

describe('RolloutMetricsReader', () => {
  it('asks each cluster two queries for all of the entity’s workloads, and judges the canaries', async () => {
    const { reader, clients, onQuery } = setup();
    const response = await reader.read('component:default/reviews', [
      reviews,
      ratings,
      westReviews,
    ]);

    expect(reader.queriesSent).toBe(2);
    expect(onQuery.mock.calls.map(([cluster]) => cluster)).toEqual([
      'east',
      'east',
    ]);
    const east = clients.get('east')!;
    expect(east.queryRange).toHaveBeenCalledTimes(2);
    const [requests, latency] = east.queryRange.mock.calls.map(c => c[0]);
    expect(requests).toContain(
      'destination_workload=~"ratings-v1|reviews-v1|reviews-v2", destination_workload_namespace=~"bookinfo", cluster="east"',
    );
    expect(latency).toContain('histogram_quantile(0.99');
    expect(east.queryRange.mock.calls[0][1]).toEqual({
      start: END - 1800,
      end: END,
      step: 30,
    });

    expect(response).toMatchObject({
      windowSeconds: 60,
      rangeSeconds: 1800,
      stepSeconds: 30,
      thresholds: {
        minSuccessRate: 0.99,
        maxLatencyP99Ms: 500,
        minRequests: 50,
      },
      clusters: [
        { name: 'east', status: 'ok' },
        { name: 'west', status: 'notConfigured' },
      ],
    });
    expect(response.rollouts.map(r => r.rolloutId)).toEqual([
      'east/bookinfo/reviews',
      'east/bookinfo/ratings',
    ]);
    const [reviewsMetrics, ratingsMetrics] = response.rollouts;
    expect(
      reviewsMetrics.subsets.map(s => [
        s.subset,
        s.requestsPerSecond,
        s.successRate,
        s.latencyP99Ms,
        s.requests,
      ]),
    ).toEqual([
      ['v1', 40, 1, 40, 2400],
      ['v2', 10, 0.9, 900, 600],
    ]);
    expect(reviewsMetrics.subsets[1].series.requestsPerSecond).toEqual([
      [END - 30, 10],
      [END, 10],
    ]);
    expect(reviewsMetrics.routes).toEqual([
      {
        route: { kind: 'http', index: 0 },
        verdict: expect.objectContaining({
          status: 'failing',
          canary: 'v2',
          stable: 'v1',
          summary:
            'failing: 10 % errors vs 0 %; p99 900 ms vs 40 ms (limit 500 ms)',
        }),
      },
    ]);
    expect(reviewsMetrics.findings.map(f => f.code)).toEqual([
      'CANARY_ERROR_RATE',
      'CANARY_LATENCY',
    ]);
    // Deployed, never called: no series.
    expect(ratingsMetrics).toEqual({
      rolloutId: 'east/bookinfo/ratings',
      subsets: [
        expect.objectContaining({
          subset: 'v1',
          requestsPerSecond: null,
          requests: 0,
        }),
      ],
      routes: [],
      findings: [],
    });
  });

  it('reports a failing Prometheus as unavailable with its reason, while the others answer', async () => {
    const prometheus = { url: 'http://p', timeoutMs: 1000 };
    const { reader } = setup({
      clusters: [
        { cluster: 'east', prometheus },
        { cluster: 'north', prometheus },
        { cluster: 'west', prometheus },
      ],
      answer: async (cluster, query) => {
        if (cluster === 'north') {
          throw new PrometheusQueryError(
            'Timeout',
            'The Prometheus of cluster "north" did not answer within 1000 ms',
          );
        }
        if (cluster === 'west') throw new Error('connect to http://p failed');
        return telemetryFor(query);
      },
    });
    const response = await reader.read('component:default/reviews', [
      reviews,
      northReviews,
      westReviews,
    ]);
    expect(response.clusters).toEqual([
      { name: 'east', status: 'ok' },
      {
        name: 'north',
        status: 'unavailable',
        error: {
          reason: 'Timeout',
          message:
            'The Prometheus of cluster "north" did not answer within 1000 ms',
        },
      },
      {
        name: 'west',
        status: 'unavailable',
        error: {
          reason: 'Unknown',
          message: 'The Prometheus of cluster "west" could not be read',
        },
      },
    ]);
    expect(response.rollouts.map(r => r.rolloutId)).toEqual([
      'east/bookinfo/reviews',
    ]);
  });

  it('asks nothing of a cluster whose rollouts could not be read, or that has no workloads', async () => {
    const { reader } = setup();
    const response = await reader.read(
      'component:default/reviews',
      [rollout('east', 'empty', [], [['v1', 100]])],
      [
        { name: 'east', status: 'ok' },
        {
          name: 'west',
          status: 'error',
          error: { reason: 'Timeout', message: '…' },
        },
      ],
    );
    expect(reader.queriesSent).toBe(0);
    expect(response.clusters).toEqual([
      { name: 'east', status: 'ok' },
      // No Prometheus is said first: it is what the operator can fix here.
      { name: 'west', status: 'notConfigured' },
    ]);

    const withPrometheus = setup({
      clusters: [
        { cluster: 'west', prometheus: { url: 'http://p', timeoutMs: 1000 } },
      ],
    });
    const unread = await withPrometheus.reader.read(
      'component:default/reviews',
      [],
      [
        {
          name: 'west',
          status: 'error',
          error: { reason: 'Timeout', message: '…' },
        },
      ],
    );
    expect(unread.clusters).toEqual([
      {
        name: 'west',
        status: 'unavailable',
        error: {
          reason: 'ClusterUnavailable',
          message:
            'Cluster "west" could not be read (Timeout), so which workloads to measure there is not known',
        },
      },
    ]);
    expect(withPrometheus.reader.queriesSent).toBe(0);
  });

  it('uses the configured window, range and step', async () => {
    const { reader, clients } = setup({
      analysis: { windowSeconds: 120, rangeSeconds: 600, stepSeconds: 45 },
    });
    const response = await reader.read('component:default/reviews', [reviews]);
    const [query, range] = clients.get('east')!.queryRange.mock.calls[0];
    expect(query).toContain('[120s]');
    // The last point is now, at whole steps from the first.
    expect(range).toEqual({ start: END - 585, end: END, step: 45 });
    expect(response.rollouts[0].subsets[0].requests).toBe(4800);
  });
});
