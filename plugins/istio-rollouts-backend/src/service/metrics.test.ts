/*
 * End to end: the canary health endpoint through the plugin, with the demo
 * clusters in kube-sim. demo-east's Prometheus is an address where nothing
 * listens; demo-west has none. The figures themselves, from a real
 * Prometheus, are another test's; here: who may ask, and the answer's shape
 * per cluster.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeSim } from '@internal/kube-sim';
import type { RolloutMetricsResponse } from '@internal/plugin-istio-rollouts-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  configCluster,
  DemoBackend,
  getMetrics,
  GUEST,
  OUTSIDER,
  startDemoBackend,
  startDemoCluster,
} from '../__testUtils__/demoBackend';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/metrics', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    const port = await closedPort();
    backend = await startDemoBackend({
      istioRollouts: {
        clusterTimeoutMs: 2500,
        cache: { watch: false },
        clusters: [
          {
            ...configCluster('demo-east', east.url),
            prometheus: { url: `http://127.0.0.1:${port}`, timeoutMs: 1000 },
          },
          configCluster('demo-west', west.url),
        ],
        canaryAnalysis: { minRequests: 20, windowSeconds: 120 },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  beforeEach(() => {
    for (const sim of [east, west]) sim.requests.clear();
  });

  it('answers each cluster’s state: notConfigured without Prometheus, unavailable when it cannot be reached', async () => {
    const res = await getMetrics(backend, 'reviews');
    expect(res.status).toBe(200);
    const body: RolloutMetricsResponse = res.body;
    expect(body).toEqual({
      windowSeconds: 120,
      rangeSeconds: 1800,
      stepSeconds: 30,
      thresholds: {
        minSuccessRate: 0.99,
        maxLatencyP99Ms: 500,
        minRequests: 20,
      },
      clusters: [
        {
          name: 'demo-east',
          status: 'unavailable',
          error: {
            reason: 'Unreachable',
            message:
              'The Prometheus of cluster "demo-east" is unreachable (ECONNREFUSED)',
          },
        },
        { name: 'demo-west', status: 'notConfigured' },
      ],
      rollouts: [],
    });
    // The rollouts were read, as the rollouts endpoint reads them.
    expect(east.requests.list().some(r => r.verb === 'list')).toBe(true);
  }, 10_000);

  it('answers an entity without annotations without asking anyone', async () => {
    const res = await getMetrics(backend, 'details');
    expect(res.status).toBe(200);
    expect(res.body.rollouts).toEqual([]);
    expect(res.body.clusters.map((c: { status: string }) => c.status)).toEqual([
      'ok',
      'notConfigured',
    ]);
    expect(east.requests.list()).toEqual([]);
  }, 10_000);

  it('answers 403 when reading is denied, before any Kubernetes call', async () => {
    const res = await getMetrics(backend, 'reviews', OUTSIDER);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
    });
    expect(east.requests.list()).toEqual([]);
    expect(west.requests.list()).toEqual([]);
  }, 10_000);

  it('answers 404 for an entity the catalog does not have', async () => {
    const res = await getMetrics(backend, 'no-such-entity', GUEST);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  }, 10_000);

  it('answers 401 without a Backstage token, and 405 to another method', async () => {
    const path =
      '/api/istio-rollouts/v1/entities/component/default/reviews/rollouts/metrics';
    const anonymous = await request(backend.server)
      .get(path)
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const post = await request(backend.server)
      .post(path)
      .set('authorization', mockCredentials.user.header(GUEST));
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  }, 10_000);
});
