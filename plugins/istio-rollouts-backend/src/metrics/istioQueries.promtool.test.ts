/*
 * The PromQL that istioQueries builds, evaluated by Prometheus's own engine:
 * `promtool test rules` loads series shaped like Istio's standard metrics and
 * checks what each query answers (instant form: the reader runs the same
 * expressions as range queries and reads their last point). Needs promtool
 * on the PATH (Debian: `apt-get install prometheus`), or its path in
 * $PROMTOOL.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { IstioQueryOptions, latencyQuery, requestsQuery } from './istioQueries';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const TIMEOUT_MS = 30_000;

/** Samples every 15 s for 5 minutes, from 0, growing by `perStep`: a rate of perStep / 15 per second. */
const counter = (perStep: number) => `0+${perStep}x20`;

function requestSeries(
  labels: Record<string, string>,
  perStep: number,
): { series: string; values: string } {
  const all = { reporter: 'destination', cluster: 'east', ...labels };
  return {
    series: `istio_requests_total{${Object.entries(all)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ')}}`,
    values: counter(perStep),
  };
}

/** Histogram buckets growing by `perStep[le]` each 15 s. */
function bucketSeries(
  labels: Record<string, string>,
  perStep: Record<string, number>,
) {
  return Object.entries(perStep).map(([le, n]) => ({
    series: `istio_request_duration_milliseconds_bucket{${Object.entries({
      reporter: 'destination',
      cluster: 'east',
      ...labels,
      le,
    })
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ')}}`,
    values: counter(n),
  }));
}

const v1 = {
  destination_workload: 'reviews-v1',
  destination_workload_namespace: 'bookinfo',
};
const v2 = {
  destination_workload: 'reviews-v2',
  destination_workload_namespace: 'bookinfo',
};
const dotted = {
  destination_workload: 'web.v2',
  destination_workload_namespace: 'shop',
};
/** A name the entity has, in a namespace it has, but not that pair: the regexes match it anyway. */
const crossed = {
  destination_workload: 'reviews-v1',
  destination_workload_namespace: 'shop',
};
const idle = {
  destination_workload: 'cart',
  destination_workload_namespace: 'shop',
};

const inputSeries = [
  // 40 rps, all 200.
  requestSeries({ ...v1, response_code: '200' }, 600),
  // 10 rps then 1 rps of 503.
  requestSeries({ ...v2, response_code: '200' }, 135),
  requestSeries({ ...v2, response_code: '503' }, 15),
  requestSeries({ ...dotted, response_code: '200' }, 30),
  requestSeries({ ...crossed, response_code: '200' }, 30),
  // Deployed, never called.
  requestSeries({ ...idle, response_code: '200' }, 0),
  // Not what the queries ask for: the source's report, another cluster, names the regexes must not match.
  requestSeries({ ...v1, response_code: '200', reporter: 'source' }, 600),
  requestSeries({ ...v1, response_code: '200', cluster: 'west' }, 300),
  requestSeries(
    {
      destination_workload: 'reviews-v10',
      destination_workload_namespace: 'bookinfo',
      response_code: '200',
    },
    600,
  ),
  requestSeries(
    {
      destination_workload: 'webxv2',
      destination_workload_namespace: 'shop',
      response_code: '200',
    },
    600,
  ),
  // reviews-v1: everything under 10 ms. reviews-v2: half under 50 ms, all under 100 ms.
  ...bucketSeries(v1, { '10': 600, '50': 600, '100': 600, '+Inf': 600 }),
  ...bucketSeries(v2, { '10': 0, '50': 75, '100': 150, '+Inf': 150 }),
  ...bucketSeries(
    { ...v1, cluster: 'west' },
    { '10': 0, '50': 0, '100': 0, '+Inf': 300 },
  ),
];

const workloads = [
  { namespace: 'bookinfo', name: 'reviews-v1' },
  { namespace: 'bookinfo', name: 'reviews-v2' },
  { namespace: 'shop', name: 'web.v2' },
  { namespace: 'shop', name: 'cart' },
];
const east: IstioQueryOptions = {
  workloads,
  windowSeconds: 60,
  cluster: { label: 'cluster', name: 'east' },
};

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

const tests = {
  rule_files: [],
  evaluation_interval: '15s',
  tests: [
    {
      interval: '15s',
      input_series: inputSeries,
      promql_expr_test: [
        {
          expr: requestsQuery(east),
          eval_time: '5m',
          exp_samples: [
            { labels: labels({ ...v1, response_code: '200' }), value: 40 },
            { labels: labels({ ...v2, response_code: '200' }), value: 9 },
            { labels: labels({ ...v2, response_code: '503' }), value: 1 },
            { labels: labels({ ...dotted, response_code: '200' }), value: 2 },
            // Over-matched by the regexes: the reader drops it.
            { labels: labels({ ...crossed, response_code: '200' }), value: 2 },
            { labels: labels({ ...idle, response_code: '200' }), value: 0 },
          ],
        },
        {
          // Without the cluster label, a shared Prometheus sums the clusters.
          expr: requestsQuery({
            workloads: [{ namespace: 'bookinfo', name: 'reviews-v1' }],
            windowSeconds: 60,
          }),
          eval_time: '5m',
          exp_samples: [
            { labels: labels({ ...v1, response_code: '200' }), value: 60 },
          ],
        },
        {
          expr: latencyQuery(east),
          eval_time: '5m',
          exp_samples: [
            { labels: labels({ ...v1, quantile: '0.5' }), value: 5 },
            { labels: labels({ ...v1, quantile: '0.99' }), value: 9.9 },
            { labels: labels({ ...v2, quantile: '0.5' }), value: 50 },
            { labels: labels({ ...v2, quantile: '0.99' }), value: 99 },
          ],
        },
      ],
    },
  ],
};

function promtool(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      PROMTOOL,
      ['test', 'rules', file],
      { timeout: TIMEOUT_MS - 5000 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
          reject(
            new Error(
              `promtool is not installed (looked for "${PROMTOOL}"): the PromQL of istioQueries is checked by it. Install it (Debian: apt-get install prometheus) or set $PROMTOOL to its path.`,
            ),
          );
          return;
        }
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output });
      },
    );
  });
}

describe('the Istio queries, evaluated by promtool', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-queries-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'answer the request rates per workload and code, and p50 and p99 per workload',
    async () => {
      const file = path.join(dir, 'istio-queries.test.yaml');
      fs.writeFileSync(file, stringify(tests, { lineWidth: 0 }));
      const { code, output } = await promtool(file);
      if (code !== 0) {
        throw new Error(`promtool test rules failed (${code}):\n${output}`);
      }
      expect(output).toContain('SUCCESS');
    },
    TIMEOUT_MS,
  );
});
