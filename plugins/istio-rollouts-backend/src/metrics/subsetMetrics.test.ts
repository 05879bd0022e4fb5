import type { Subset } from '@internal/plugin-istio-rollouts-common';
import { subsetMetrics } from './subsetMetrics';
import { ClusterTelemetry, WorkloadTelemetry } from './workloadTelemetry';

function subset(...deployments: string[]): Subset {
  return {
    host: 'reviews',
    name: 'v2',
    labels: { version: 'v2' },
    destinationRule: 'reviews',
    workloads: deployments.map(name => ({
      kind: 'Deployment',
      name,
      namespace: 'bookinfo',
      images: [],
      readyReplicas: 1,
      replicas: 1,
    })),
  };
}

const series = (points: Array<[number, number]>) => new Map(points);

function workload(
  requests: Array<[number, number]>,
  errors: Array<[number, number]>,
  p99: Array<[number, number]>,
): WorkloadTelemetry {
  return {
    requests: series(requests),
    errors: series(errors),
    p50: series(p99.map(([t, v]) => [t, v / 4])),
    p99: series(p99),
  };
}

const frame = { end: 60, windowSeconds: 60 };

describe('subsetMetrics', () => {
  it('sums the requests and errors of the subset’s Deployments and takes the slowest one’s latency', () => {
    const telemetry: ClusterTelemetry = new Map([
      [
        'bookinfo/reviews-v2-a',
        workload(
          [
            [30, 4],
            [60, 6],
          ],
          [
            [30, 0],
            [60, 0.3],
          ],
          [
            [30, 100],
            [60, 80],
          ],
        ),
      ],
      ['bookinfo/reviews-v2-b', workload([[60, 4]], [[60, 0.1]], [[60, 200]])],
      ['bookinfo/other', workload([[60, 1000]], [[60, 1000]], [[60, 1]])],
    ]);
    expect(
      subsetMetrics(subset('reviews-v2-a', 'reviews-v2-b'), telemetry, frame),
    ).toEqual({
      host: 'reviews',
      subset: 'v2',
      requestsPerSecond: 10,
      successRate: 0.96,
      latencyP50Ms: 50,
      latencyP99Ms: 200,
      requests: 600,
      series: {
        requestsPerSecond: [
          [30, 4],
          [60, 10],
        ],
        errorsPerSecond: [
          [30, 0],
          [60, expect.closeTo(0.4, 9)],
        ],
        latencyP99Ms: [
          [30, 100],
          [60, 200],
        ],
      },
    });
  });

  it('has a rate of 0, and no success rate nor latency, for Deployments that got nothing', () => {
    const telemetry: ClusterTelemetry = new Map([
      [
        'bookinfo/reviews-v2',
        workload(
          [
            [30, 2],
            [60, 0],
          ],
          [
            [30, 0],
            [60, 0],
          ],
          [[30, 9]],
        ),
      ],
    ]);
    expect(subsetMetrics(subset('reviews-v2'), telemetry, frame)).toMatchObject(
      {
        requestsPerSecond: 0,
        successRate: null,
        latencyP50Ms: null,
        latencyP99Ms: null,
        requests: 0,
      },
    );
  });

  it.each([
    ['a subset without Deployments', subset()],
    ['Deployments Prometheus has no series of', subset('reviews-v2')],
  ])('has no figures at all for %s', (_, s) => {
    expect(subsetMetrics(s, new Map(), frame)).toEqual({
      host: 'reviews',
      subset: 'v2',
      requestsPerSecond: null,
      successRate: null,
      latencyP50Ms: null,
      latencyP99Ms: null,
      requests: 0,
      series: { requestsPerSecond: [], errorsPerSecond: [], latencyP99Ms: [] },
    });
  });

  it('reads the figures at the last point only: series that ended earlier are no traffic now', () => {
    const telemetry: ClusterTelemetry = new Map([
      ['bookinfo/reviews-v2', workload([[30, 5]], [[30, 5]], [[30, 9]])],
    ]);
    expect(subsetMetrics(subset('reviews-v2'), telemetry, frame)).toMatchObject(
      {
        requestsPerSecond: null,
        successRate: null,
        requests: 0,
        series: { requestsPerSecond: [[30, 5]] },
      },
    );
  });
});
