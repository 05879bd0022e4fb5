import { parseCliArgs } from '../cli';
import { KubeSim, startKubeSim } from '../sim';
import { EXPOSITION_CONTENT_TYPE } from './exposition';
import { cartManifest, parseExposition, sumBy } from './__testUtils__/mesh';

const REQUESTS = 'istio_requests_total';
const VS_PATH =
  '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/cart';

describe('MeshTelemetry', () => {
  let now: number;
  let sim: KubeSim;

  async function scrape() {
    const res = await fetch(`${sim.url}/metrics`);
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  }
  const requestsBy = async (label = 'destination_workload') =>
    sumBy(await scrape(), REQUESTS, label);

  beforeEach(async () => {
    now = 1_700_000_000_000;
    sim = await startKubeSim({
      manifests: cartManifest({ v2ErrorRate: 0.1 }),
      clock: () => now,
    });
  });
  afterEach(() => sim.close());

  it('counts from the start at the live rates', async () => {
    now += 10_000;
    expect(await requestsBy()).toEqual({ 'cart-v1': 90, 'cart-v2': 10 });
    now += 2_500;
    const samples = await scrape();
    expect(sumBy(samples, REQUESTS, 'destination_workload')).toEqual({
      'cart-v1': 112.5,
      'cart-v2': 12.5,
    });
    // cart-v2 answers 10 % of its requests 503.
    expect(
      sumBy(samples, REQUESTS, 'response_code', s =>
        s.labels.destination_workload.endsWith('v2'),
      ),
    ).toEqual({
      '200': expect.closeTo(11.25, 9),
      '503': expect.closeTo(1.25, 9),
    });
    // Histogram count = requests, +Inf bucket = count.
    const count = sumBy(
      samples,
      'istio_request_duration_milliseconds_count',
      'destination_workload',
    );
    expect(count).toEqual({ 'cart-v1': 112.5, 'cart-v2': 12.5 });
    expect(
      sumBy(
        samples,
        'istio_request_duration_milliseconds_bucket',
        'destination_workload',
        s => s.labels.le === '+Inf',
      ),
    ).toEqual(count);
  });

  it('applies a weight change from the moment the API makes it', async () => {
    now += 10_000;
    expect(await requestsBy()).toEqual({ 'cart-v1': 90, 'cart-v2': 10 });
    now += 10_000;
    const res = await fetch(`${sim.url}${VS_PATH}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      ]),
    });
    expect(res.status).toBe(200);
    now += 10_000;
    expect(await requestsBy()).toEqual({
      'cart-v1': 90 + 90 + 50,
      'cart-v2': 10 + 10 + 50,
    });
    expect(
      sim.telemetry!.traffic().map(t => [t.workload, t.requestsPerSecond]),
    ).toEqual([
      ['cart-v1', 5],
      ['cart-v2', 5],
    ]);
  });

  it('follows manifests loaded in-process, annotations and deletions', async () => {
    now += 10_000;
    await scrape();
    now += 10_000;
    sim.loadManifests(
      cartManifest({ weights: [0, 100], requestsPerSecond: 20 }),
    );
    now += 10_000;
    expect(await requestsBy()).toEqual({
      'cart-v1': 90 + 90,
      'cart-v2': 10 + 10 + 200,
    });
    // Without the error-rate annotation cart-v2 has stopped failing.
    const codes = sumBy(await scrape(), REQUESTS, 'response_code', s =>
      s.labels.destination_workload.endsWith('v2'),
    );
    expect(codes['503']).toBeCloseTo(2, 9);
    expect(codes['200']).toBeCloseTo(218, 9);

    // A deleted Deployment's series go with its pods.
    const del = await fetch(
      `${sim.url}/apis/apps/v1/namespaces/shop/deployments/cart-v1`,
      { method: 'DELETE' },
    );
    expect(del.status).toBe(200);
    expect(Object.keys(await requestsBy())).toEqual(['cart-v2']);
  });
});

describe('GET /metrics', () => {
  it('is open to anyone, text format 0.0.4, and not logged', async () => {
    const sim = await startKubeSim({
      manifests: cartManifest(),
      users: [{ name: 'nobody', token: 't', rules: [] }],
    });
    try {
      const res = await fetch(`${sim.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
      const text = await res.text();
      expect(text).toMatch(/^# HELP istio_requests_total /);
      expect(text).toContain('destination_workload="cart-v1"');
      const head = await fetch(`${sim.url}/metrics`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(sim.requests.list()).toEqual([]);
      // Other verbs are Kubernetes requests, for a path the API has not.
      const post = await fetch(`${sim.url}/metrics`, { method: 'POST' });
      expect(post.status).toBe(404);
      expect(await post.text()).toBe('404 page not found\n');
    } finally {
      await sim.close();
    }
  });

  it('is turned off by --no-telemetry', () => {
    expect(parseCliArgs(['--no-telemetry']).telemetry).toBe(false);
    expect(parseCliArgs([]).telemetry).toBeUndefined();
  });

  it('is not served with telemetry off', async () => {
    const sim = await startKubeSim({
      manifests: cartManifest(),
      telemetry: false,
    });
    try {
      expect(sim.telemetry).toBeUndefined();
      const res = await fetch(`${sim.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('404 page not found\n');
    } finally {
      await sim.close();
    }
  });
});
