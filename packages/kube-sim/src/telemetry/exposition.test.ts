import { CounterSeries, istioLabels, MeshCounters } from './counters';
import {
  escapeLabelValue,
  formatLabels,
  formatValue,
  renderExposition,
} from './exposition';
import { computeTraffic } from './model';
import { cartManifest, meshObjects } from './__testUtils__/mesh';

describe('escaping and values', () => {
  it('escapes backslash, double quote and line feed in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(formatLabels({ a: 'x"y', b: '' })).toBe('{a="x\\"y",b=""}');
    expect(formatLabels({})).toBe('');
  });

  it('writes values as Prometheus parses them', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(0.25)).toBe('0.25');
    expect(formatValue(1e-7)).toBe('1e-7');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(NaN)).toBe('NaN');
  });
});

describe('renderExposition', () => {
  const series: CounterSeries = {
    labels: { reporter: 'destination', destination_workload: 'w"1' },
    requests: 10,
    durationSumMs: 250.5,
    buckets: [2, 7.5, 10],
  };

  it('writes HELP and TYPE, the counter, then each histogram’s buckets, +Inf, sum and count', () => {
    expect(renderExposition([series], [5, 50, 500]).split('\n')).toEqual([
      '# HELP istio_requests_total Total number of requests (simulated by kube-sim).',
      '# TYPE istio_requests_total counter',
      'istio_requests_total{reporter="destination",destination_workload="w\\"1"} 10',
      '# HELP istio_request_duration_milliseconds Request duration in milliseconds (simulated by kube-sim).',
      '# TYPE istio_request_duration_milliseconds histogram',
      'istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="w\\"1",le="5"} 2',
      'istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="w\\"1",le="50"} 7.5',
      'istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="w\\"1",le="500"} 10',
      'istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="w\\"1",le="+Inf"} 10',
      'istio_request_duration_milliseconds_sum{reporter="destination",destination_workload="w\\"1"} 250.5',
      'istio_request_duration_milliseconds_count{reporter="destination",destination_workload="w\\"1"} 10',
      '',
    ]);
  });

  it('has just the headers without series', () => {
    expect(renderExposition([], [5])).toBe(
      [
        '# HELP istio_requests_total Total number of requests (simulated by kube-sim).',
        '# TYPE istio_requests_total counter',
        '# HELP istio_request_duration_milliseconds Request duration in milliseconds (simulated by kube-sim).',
        '# TYPE istio_request_duration_milliseconds histogram',
        '',
      ].join('\n'),
    );
  });
});

describe('MeshCounters', () => {
  const traffic = computeTraffic(
    meshObjects(cartManifest({ v2ErrorRate: 0.1 })),
  );

  it('integrates rates over time, 5xx apart, with Istio’s labels', () => {
    const counters = new MeshCounters();
    counters.add(traffic, 10);
    counters.add(traffic, 5);
    const rows = counters
      .snapshot()
      .map(s => [
        s.labels.destination_workload,
        s.labels.response_code,
        s.requests,
      ]);
    expect(rows).toEqual([
      ['cart-v1', '200', 135],
      ['cart-v2', '200', expect.closeTo(13.5, 9)],
      ['cart-v2', '503', expect.closeTo(1.5, 9)],
    ]);
    const [v1] = counters.snapshot();
    expect(v1.labels).toEqual(
      istioLabels(traffic.find(t => t.workload === 'cart-v1')!, '200'),
    );
    expect(v1.labels).toMatchObject({
      reporter: 'destination',
      source_workload: 'istio-ingressgateway',
      source_workload_namespace: 'istio-system',
      destination_workload: 'cart-v1',
      destination_workload_namespace: 'shop',
      destination_service: 'cart.shop.svc.cluster.local',
      destination_service_name: 'cart',
      destination_service_namespace: 'shop',
      destination_version: 'v1',
      destination_canonical_service: 'cart',
      request_protocol: 'http',
      response_code: '200',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
    // Buckets are cumulative and end at the count; the sum is count × mean.
    expect(v1.buckets[v1.buckets.length - 1]).toBeCloseTo(135, 9);
    v1.buckets.forEach((b, i) =>
      expect(b).toBeGreaterThanOrEqual(i ? v1.buckets[i - 1] : 0),
    );
    expect(v1.durationSumMs / v1.requests).toBeGreaterThan(20);
    expect(v1.durationSumMs / v1.requests).toBeLessThan(60);
  });

  it('forgets the series of workloads that are gone', () => {
    const counters = new MeshCounters();
    counters.add(traffic, 1);
    counters.retain((_ns, name) => name !== 'cart-v2');
    expect(counters.snapshot().map(s => s.labels.destination_workload)).toEqual(
      ['cart-v1'],
    );
  });
});
