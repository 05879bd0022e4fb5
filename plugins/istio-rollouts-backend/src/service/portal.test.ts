/*
 * The portal-wide read, in process: the demo clusters served by kube-sim over real HTTP, the demo catalog and its
 * policy (everyone reads but OUTSIDER). Every active route of every labelled VirtualService, with the entities that
 * claim it, hidden from a caller who may not read them.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeSim } from '@internal/kube-sim';
import type { PortalRolloutRow } from '@internal/plugin-istio-rollouts-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  DemoBackend,
  demoClustersConfig,
  GUEST,
  OUTSIDER,
  SAM,
  startDemoBackend,
  startDemoCluster,
} from '../__testUtils__/demoBackend';

const PORTAL = '/api/istio-rollouts/v1/rollouts';

/** An HTTP server that records every request's path and query and answers 503. */
async function recordingServer() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.url} ${body}`);
      res.writeHead(503).end('unavailable');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const shown = (row: PortalRolloutRow) =>
  [
    row.rolloutId,
    `${row.route.kind}[${row.route.index}]`,
    row.label,
    row.split.map(s => `${s.subset} ${s.weight}`).join(' · '),
    row.entities.map(e => `${e.ref} (${e.owner})`).join(', '),
  ].join(' | ');

describe('GET /v1/rollouts', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;
  let prometheus: Awaited<ReturnType<typeof recordingServer>>;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    prometheus = await recordingServer();
    const config = demoClustersConfig({ 'demo-east': east, 'demo-west': west });
    backend = await startDemoBackend({
      ...config,
      istioRollouts: {
        ...config.istioRollouts,
        // Every cluster's: a server that notes each query and answers 503 (the figures are a reliability suite's).
        prometheus: { url: prometheus.url, timeoutMs: 2000 },
        canaryAnalysis: { cacheSeconds: 0 },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close(), prometheus?.close()]);
  });

  const portal = (user: string) =>
    request(backend.server)
      .get(PORTAL)
      .set('authorization', mockCredentials.user.header(user));

  it('lists every active route of the demo in both clusters, with its entity and owner', async () => {
    const res = await portal(GUEST);
    expect(res.status).toBe(200);
    expect(res.body.clusters.map((c: any) => [c.name, c.status])).toEqual([
      ['demo-east', 'ok'],
      ['demo-west', 'ok'],
    ]);
    expect(res.body.rows.map(shown).sort()).toEqual([
      'demo-east/bookinfo/reviews | http[0] | canary 50% | v1 50 · v2 50 | component:default/reviews (group:default/team-bookinfo)',
      'demo-east/default/gorilla-sfx-demo | http[0] | blue-green (header) | green 100 | component:default/gorilla-sfx-demo (group:default/team-bookinfo)',
      'demo-east/default/gorilla-sfx-demo | http[1] | blue-green (header) | blue 100 | component:default/gorilla-sfx-demo (group:default/team-bookinfo)',
      'demo-east/foobar/foobar | http[0] | canary 30% | latest 70 · v2 30 | component:default/foobar (group:default/team-bookinfo)',
      'demo-west/bookinfo/reviews | http[0] | canary 20% | v1 80 · v2 20 | component:default/reviews (group:default/team-bookinfo)',
    ]);
  });

  it('shows another team the same rows it may read, and a caller who may read none nothing', async () => {
    const theirs = await portal(SAM);
    expect(theirs.status).toBe(200);
    expect(theirs.body.rows.length).toBe(
      (await portal(GUEST)).body.rows.length,
    );
    const none = await portal(OUTSIDER);
    expect(none.status).toBe(200);
    expect(none.body.rows).toEqual([]);
  });

  const health = (user: string) =>
    request(backend.server)
      .get(`${PORTAL}/health`)
      .set('authorization', mockCredentials.user.header(user));

  it("asks each cluster's Prometheus about every row's workloads in one pair of queries, and never about rows the caller may not read", async () => {
    prometheus.seen.length = 0;
    const res = await health(GUEST);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      windowSeconds: expect.any(Number),
      thresholds: { minSuccessRate: 0.99 },
      routes: [],
    });
    expect(
      res.body.clusters.map((c: any) => [c.name, c.status, c.error?.reason]),
    ).toEqual([
      ['demo-east', 'unavailable', 'PrometheusError'],
      ['demo-west', 'unavailable', 'PrometheusError'],
    ]);
    // Two range queries per cluster, each naming the workloads of all the page's rows in that cluster.
    expect(prometheus.seen).toHaveLength(4);
    const all = decodeURIComponent(prometheus.seen.join(' ')).replace(
      /\+/g,
      ' ',
    );
    for (const workload of [
      'reviews-v2',
      'foobar-v2',
      'gorilla-sfx-demo-blue',
    ]) {
      expect(all).toContain(workload);
    }

    prometheus.seen.length = 0;
    const none = await health(OUTSIDER);
    expect(none.status).toBe(200);
    expect(none.body.routes).toEqual([]);
    expect(prometheus.seen).toEqual([]);
  });
});
