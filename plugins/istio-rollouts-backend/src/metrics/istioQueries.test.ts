import {
  latencyQuery,
  promString,
  regexLiteral,
  requestsQuery,
} from './istioQueries';

const workloads = [
  { namespace: 'bookinfo', name: 'reviews-v2' },
  { namespace: 'bookinfo', name: 'reviews-v1' },
  { namespace: 'shop', name: 'cart' },
  { namespace: 'bookinfo', name: 'reviews-v1' },
];

describe('requestsQuery', () => {
  it('sums the request rate per workload and response code, for every workload at once', () => {
    expect(requestsQuery({ workloads, windowSeconds: 60 })).toBe(
      'sum by (destination_workload, destination_workload_namespace, response_code) (rate(istio_requests_total{reporter="destination", destination_workload=~"cart|reviews-v1|reviews-v2", destination_workload_namespace=~"bookinfo|shop"}[60s]))',
    );
  });

  it('selects the cluster by its label in a Prometheus holding several', () => {
    expect(
      requestsQuery({
        workloads: [{ namespace: 'default', name: 'web' }],
        windowSeconds: 120,
        cluster: { label: 'cluster', name: 'demo-east' },
      }),
    ).toBe(
      'sum by (destination_workload, destination_workload_namespace, response_code) (rate(istio_requests_total{reporter="destination", destination_workload=~"web", destination_workload_namespace=~"default", cluster="demo-east"}[120s]))',
    );
  });

  it('refuses no workloads and a window that is no whole number of seconds', () => {
    expect(() => requestsQuery({ workloads: [], windowSeconds: 60 })).toThrow(
      'at least one workload',
    );
    expect(() => requestsQuery({ workloads, windowSeconds: 1.5 })).toThrow(
      'positive whole number of seconds, got 1.5',
    );
  });
});

describe('latencyQuery', () => {
  it('asks p50 and p99 in one query, told apart by a quantile label', () => {
    const buckets =
      'sum by (le, destination_workload, destination_workload_namespace) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload=~"web", destination_workload_namespace=~"default", cluster="east"}[60s]))';
    expect(
      latencyQuery({
        workloads: [{ namespace: 'default', name: 'web' }],
        windowSeconds: 60,
        cluster: { label: 'cluster', name: 'east' },
      }),
    ).toBe(
      `label_replace(histogram_quantile(0.5, ${buckets}), "quantile", "0.5", "", "") or label_replace(histogram_quantile(0.99, ${buckets}), "quantile", "0.99", "", "")`,
    );
  });
});

describe('escaping', () => {
  it('matches names literally, escaped for RE2 and then for the PromQL string', () => {
    expect(regexLiteral('web.v2')).toBe('web\\.v2');
    expect(regexLiteral('a+b|c(d)[e]*?^$\\')).toBe(
      'a\\+b\\|c\\(d\\)\\[e\\]\\*\\?\\^\\$\\\\',
    );
    expect(promString('say "hi"\\n\n')).toBe('"say \\"hi\\"\\\\n\\n"');
    expect(
      requestsQuery({
        workloads: [{ namespace: 'shop.eu', name: 'web.v2' }],
        windowSeconds: 60,
        cluster: { label: 'cluster', name: 'prod "eu"' },
      }),
    ).toContain(
      'destination_workload=~"web\\\\.v2", destination_workload_namespace=~"shop\\\\.eu", cluster="prod \\"eu\\""',
    );
  });
});
