/*
 * Canary health against a real Prometheus: two kube-sim clusters serve Istio
 * telemetry that follows their live VirtualServices, Debian's Prometheus
 * scrapes them every second (labelling each series with its cluster, as a
 * shared Prometheus does), and the real backend reads it through
 * `…/rollouts/metrics`. The figures must match what the simulator was told
 * (±10 %), follow a weight change made in the tab, and a Prometheus that
 * hangs or is gone must cost at most its timeout and leave the rest whole.
 */
import net from 'node:net';
import {
  RunningPrometheus,
  startPrometheus,
  waitForScrape,
} from '@internal/kube-sim';
import {
  act,
  API,
  Backend,
  closeConnections,
  demoManifests,
  entityPath,
  GUEST,
  loadRollout,
  poll,
  request,
  rolloutsOf,
  runDir,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

/** Each Prometheus query's budget (`istioRollouts.clusters[].prometheus.timeoutMs`). */
const PROMETHEUS_TIMEOUT_MS = 1500;
/** Short windows so a change shows within seconds: rates over 10 s, scrapes every second. */
const CANARY_ANALYSIS = {
  windowSeconds: 10,
  rangeSeconds: 300,
  stepSeconds: 5,
  cacheSeconds: 1,
};

interface SubsetFigures {
  host: string;
  subset: string;
  requestsPerSecond: number | null;
  successRate: number | null;
  latencyP99Ms: number | null;
  series: { requestsPerSecond: Array<[number, number]> };
}

function within(actual: number | null, expected: number, share = 0.1) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(expected * share);
}

/** A TCP server that accepts connections and never answers: a hung Prometheus. */
async function silentServer(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('canary health from a real Prometheus', () => {
  const run = runDir('canary-health');
  let east: SimCluster;
  let west: SimCluster;
  let dark: SimCluster;
  let hung: { url: string; close(): void };
  let prometheus: RunningPrometheus;
  let backend: Backend;
  let token: string;

  beforeAll(async () => {
    [east, west, dark] = await Promise.all([
      startCluster({ name: 'east', manifestPaths: demoManifests('demo-east') }),
      startCluster({ name: 'west', manifestPaths: demoManifests('demo-west') }),
      startCluster({ name: 'dark', manifestPaths: demoManifests('demo-west') }),
    ]);
    hung = await silentServer();
    prometheus = await startPrometheus({
      targets: [
        { cluster: 'east', url: east.url },
        { cluster: 'west', url: west.url },
      ],
      scrapeIntervalSeconds: 1,
    });
    const shared = {
      url: prometheus.url,
      clusterLabel: 'cluster',
      timeoutMs: PROMETHEUS_TIMEOUT_MS,
    };
    backend = await Backend.start({
      dir: run.dir,
      clusters: [
        { ...east, prometheus: shared },
        { ...west, prometheus: shared },
        // Its Prometheus accepts the connection and never answers.
        {
          ...dark,
          prometheus: { url: hung.url, timeoutMs: PROMETHEUS_TIMEOUT_MS },
        },
      ],
      istioRollouts: { canaryAnalysis: CANARY_ANALYSIS },
    });
    token = await backend.signIn(GUEST);
    // A full rate window of scrapes, so the first figures are whole.
    await Promise.all(
      ['east', 'west'].map(cluster =>
        waitForScrape(
          prometheus.url,
          { cluster, scrapes: CANARY_ANALYSIS.windowSeconds + 2 },
          60_000,
        ),
      ),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await prometheus?.close();
    hung?.close();
    await Promise.all([east, west, dark].map(c => c?.sim.close()));
    run.cleanup();
    closeConnections();
  });

  /** The range queries the shared Prometheus has answered so far, as it counts them. */
  async function prometheusQueries(): Promise<number> {
    const url = new URL(prometheus.url);
    const res = await request(url.origin, 'GET', '/metrics');
    return res.text
      .split('\n')
      .filter(
        l =>
          l.startsWith('prometheus_http_requests_total{') &&
          l.includes('handler="/api/v1/query_range"'),
      )
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  }

  const metricsOf = (entity: string) =>
    backend.get(`${entityPath(entity)}/rollouts/metrics`, token, 30_000);

  function subsetsOf(body: any, rolloutId: string): SubsetFigures[] {
    const rollout = body.rollouts.find((r: any) => r.rolloutId === rolloutId);
    expect(rollout).toBeDefined();
    return rollout.subsets;
  }

  function figures(body: any, rolloutId: string, subset: string) {
    const found = subsetsOf(body, rolloutId).find(s => s.subset === subset);
    expect(found).toBeDefined();
    return found!;
  }

  it("answers reviews' per-subset traffic as the simulator sends it, in each cluster", async () => {
    // Scrapes on a busy machine come late now and then: give the rates a
    // few seconds to settle before holding them to ±10 %.
    const expected: Array<[string, string, number]> = [
      ['east/bookinfo/reviews', 'v1', 20],
      ['east/bookinfo/reviews', 'v2', 20],
      ['west/bookinfo/reviews', 'v1', 32],
      ['west/bookinfo/reviews', 'v2', 8],
    ];
    const res = await poll(
      "reviews' rates within 10 % of the simulator's",
      async () => {
        const r = await metricsOf('reviews');
        const settled = expected.every(([id, subset, rps]) => {
          const found = r.body.rollouts
            ?.find((x: any) => x.rolloutId === id)
            ?.subsets.find((x: SubsetFigures) => x.subset === subset);
          const actual = found?.requestsPerSecond;
          return (
            typeof actual === 'number' && Math.abs(actual - rps) <= rps / 10
          );
        });
        return settled ? r : undefined;
      },
      30_000,
      1000,
    ).catch(() => metricsOf('reviews'));
    expect(res.status).toBe(200);
    const status = Object.fromEntries(
      res.body.clusters.map((c: any) => [c.name, c.status]),
    );
    expect(status).toMatchObject({ east: 'ok', west: 'ok' });
    // reviews: 40 requests per second, 50/50 on east and 80/20 on west.
    const eastV1 = figures(res.body, 'east/bookinfo/reviews', 'v1');
    const eastV2 = figures(res.body, 'east/bookinfo/reviews', 'v2');
    within(eastV1.requestsPerSecond, 20);
    within(eastV2.requestsPerSecond, 20);
    within(
      figures(res.body, 'west/bookinfo/reviews', 'v1').requestsPerSecond,
      32,
    );
    within(
      figures(res.body, 'west/bookinfo/reviews', 'v2').requestsPerSecond,
      8,
    );
    // 0.1 % errors and a p99 of 80 ms on v1 (the Deployment's annotations).
    within(eastV1.successRate, 0.999, 0.01);
    within(eastV1.latencyP99Ms, 80);
    // v3 is staged at 0 %: no requests, so no rate to speak of.
    expect(
      figures(res.body, 'east/bookinfo/reviews', 'v3').requestsPerSecond ?? 0,
    ).toBe(0);
    expect(eastV1.series.requestsPerSecond.length).toBeGreaterThan(0);
    const route = res.body.rollouts.find(
      (r: any) => r.rolloutId === 'east/bookinfo/reviews',
    ).routes[0];
    expect(route.verdict).toMatchObject({ status: 'healthy' });
  });

  it("judges foobar's v2, failing 5 % of its requests, as failing", async () => {
    const res = await metricsOf('foobar');
    expect(res.status).toBe(200);
    const v2 = figures(res.body, 'east/foobar/foobar', 'v2');
    // 30 requests per second, 30 % of them to v2; 5 % of those fail.
    within(v2.requestsPerSecond, 9);
    within(1 - v2.successRate!, 0.05);
    const rollout = res.body.rollouts.find(
      (r: any) => r.rolloutId === 'east/foobar/foobar',
    );
    expect(rollout.routes[0].verdict).toMatchObject({
      status: 'failing',
      canary: 'v2',
      stable: 'latest',
    });
    expect(rollout.routes[0].verdict.summary).toMatch(
      /^failing: 5(\.\d)? % errors vs 0\.\d %/,
    );
    expect(rollout.findings.map((f: any) => f.code)).toContain(
      'CANARY_ERROR_RATE',
    );
  });

  it("gives the portal page every active route's verdict, from one pair of queries per cluster", async () => {
    const rows = await backend.get(`${API}/rollouts`, token, 30_000);
    expect(rows.status).toBe(200);
    const before = await prometheusQueries();
    const res = await backend.get(`${API}/rollouts/health`, token, 30_000);
    const sent = (await prometheusQueries()) - before;
    expect(res.status).toBe(200);
    expect(
      Object.fromEntries(res.body.clusters.map((c: any) => [c.name, c.status])),
    ).toEqual({ east: 'ok', west: 'ok', dark: 'unavailable' });
    const verdicts = Object.fromEntries(
      res.body.routes.map((r: any) => [
        `${r.rolloutId} ${r.route.kind}[${r.route.index}]`,
        r.verdict,
      ]),
    );
    expect(verdicts['east/foobar/foobar http[0]']).toMatchObject({
      status: 'failing',
      canary: 'v2',
      stable: 'latest',
    });
    expect(verdicts['east/bookinfo/reviews http[0]']).toMatchObject({
      status: 'healthy',
    });
    expect(verdicts['west/bookinfo/reviews http[0]']).toMatchObject({
      status: 'healthy',
    });
    // Only routes on the page, and the page's canaries all judged where Prometheus answered.
    const onPage = rows.body.rows.map(
      (r: any) => `${r.rolloutId} ${r.route.kind}[${r.route.index}]`,
    );
    expect(Object.keys(verdicts).every(k => onPage.includes(k))).toBe(true);
    // Two queries for east and two for west (the shared Prometheus), whatever the number of entities.
    expect(sent).toBe(4);
  });

  it('follows a weight change made through the plugin', async () => {
    const rollout = await loadRollout(
      backend,
      'reviews',
      'east/bookinfo/reviews',
      token,
    );
    const res = await act(
      backend,
      'reviews',
      {
        action: 'setWeights',
        rolloutId: rollout.id,
        resourceVersion: rollout.resourceVersion,
        route: { kind: 'http', index: 0 },
        weights: { v1: 90, v2: 10 },
        reason: 'canary health suite',
      },
      token,
    );
    expect(res.status).toBe(200);
    // Within a rate window and a few scrapes, v2 carries a tenth of 40.
    const moved = await poll(
      'v2 of east/bookinfo/reviews at 4 requests per second',
      async () => {
        const r = await metricsOf('reviews');
        const v2 = figures(r.body, 'east/bookinfo/reviews', 'v2');
        return v2.requestsPerSecond !== null &&
          Math.abs(v2.requestsPerSecond - 4) <= 0.4
          ? r.body
          : undefined;
      },
      60_000,
      1000,
    );
    within(figures(moved, 'east/bookinfo/reviews', 'v1').requestsPerSecond, 36);
    // The other cluster's split did not move.
    within(figures(moved, 'west/bookinfo/reviews', 'v2').requestsPerSecond, 8);
  });

  it('a hung Prometheus costs its timeout and marks only its cluster', async () => {
    const started = Date.now();
    const res = await metricsOf('reviews');
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    const darkStatus = res.body.clusters.find((c: any) => c.name === 'dark');
    expect(darkStatus).toMatchObject({
      status: 'unavailable',
      error: { reason: 'Timeout' },
    });
    expect(darkStatus.error.message).not.toContain(hung.url);
    // Two queries side by side: one timeout, plus the backend's own time on a
    // busy machine (the slow part would be waiting for the hung server).
    expect(ms).toBeLessThan(PROMETHEUS_TIMEOUT_MS + 5000);
    expect(res.body.clusters.find((c: any) => c.name === 'east').status).toBe(
      'ok',
    );
    // The read model does not wait for metrics at all: dark's routes are there.
    const read = await rolloutsOf(backend, 'reviews', token);
    expect(read.status).toBe(200);
    expect(read.body.rollouts.map((r: any) => r.id)).toContain(
      'dark/bookinfo/reviews',
    );
  });

  it('a Prometheus that is gone is "unavailable", and the tab still reads', async () => {
    await prometheus.close();
    const res = await poll(
      'east metrics unavailable',
      async () => {
        const r = await metricsOf('reviews');
        const eastStatus = r.body.clusters?.find((c: any) => c.name === 'east');
        return eastStatus?.status === 'unavailable' ? r : undefined;
      },
      30_000,
      500,
    );
    expect(res.body.clusters.find((c: any) => c.name === 'east')).toMatchObject(
      {
        status: 'unavailable',
        error: { reason: 'Unreachable' },
      },
    );
    const read = await request(
      backend.baseUrl,
      'GET',
      `${API}/entities/component/default/reviews/rollouts`,
      { token },
    );
    expect(read.status).toBe(200);
    expect(read.body.clusters.map((c: any) => c.status)).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
  });

  it('left no change in the clusters without its history record', async () => {
    const check = await unrecordedChanges(backend, [east, west, dark]);
    expect(check.virtualServiceWrites).toBe(1);
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
  });
});
