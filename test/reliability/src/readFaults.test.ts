/*
 * Suite 3, faults during reads: four clusters, one healthy, one slower than
 * the cluster budget, one answering 500 to everything, one that nothing
 * listens on. A read answers within the budget plus a second, with an error
 * per broken cluster (naming it) and the healthy cluster's data; the backend
 * keeps answering other requests meanwhile; and once the faults are gone,
 * the next read is whole again.
 */
import {
  API,
  Backend,
  closeConnections,
  CLUSTER_TIMEOUT_MS,
  demoManifests,
  entityPath,
  GUEST,
  recordResults,
  request,
  rolloutsOf,
  runDir,
  SimCluster,
  startCluster,
  unreachableUrl,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

const BUDGET_MS = CLUSTER_TIMEOUT_MS + 1000;
const CONCURRENT_READS = 20;

describe('faults during reads', () => {
  const run = runDir('read-faults');
  let healthy: SimCluster;
  let slow: SimCluster;
  let failing: SimCluster;
  let gone: string;
  let backend: Backend;
  let token: string;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    [healthy, slow, failing] = await Promise.all([
      startCluster({
        name: 'healthy',
        manifestPaths: demoManifests('demo-east'),
      }),
      startCluster({ name: 'slow', manifestPaths: demoManifests('demo-west') }),
      startCluster({
        name: 'failing',
        manifestPaths: demoManifests('demo-west'),
      }),
    ]);
    gone = await unreachableUrl();
    backend = await Backend.start({
      dir: run.dir,
      clusters: [
        healthy,
        slow,
        failing,
        { name: 'unreachable', url: gone, token: 'never-sent-anywhere' },
      ],
    });
    token = await backend.signIn(GUEST);
  });

  afterAll(async () => {
    if (Object.keys(results).length) {
      await recordResults('readFaults', {
        clusters: ['healthy', 'slow', 'failing (500)', 'unreachable'],
        clusterTimeoutMs: CLUSTER_TIMEOUT_MS,
        ...results,
      });
    }
    await backend?.stop();
    await Promise.all([healthy, slow, failing].map(c => c?.sim.close()));
    closeConnections();
    run.cleanup();
  });

  function injectFaults() {
    slow.sim.faults.clear();
    failing.sim.faults.clear();
    // Every request to `slow` waits past the budget; every one to `failing` is a 500.
    slow.sim.faults.add({ latencyMs: CLUSTER_TIMEOUT_MS + 2000 });
    failing.sim.faults.add({ status: 500 });
  }

  function expectPartialAnswer(res: Awaited<ReturnType<typeof rolloutsOf>>) {
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.clusters.map((c: { name: string }) => [c.name, c]),
    );
    expect(byName.healthy).toEqual({ name: 'healthy', status: 'ok' });
    expect(byName.slow).toEqual({
      name: 'slow',
      status: 'error',
      error: {
        reason: 'Timeout',
        message: `Cluster "slow" did not answer within ${CLUSTER_TIMEOUT_MS} ms`,
      },
    });
    expect(byName.failing.status).toBe('error');
    expect(byName.failing.error.reason).toBe('ServerError');
    expect(byName.failing.error.message).toMatch(
      /^Cluster "failing" answered 500/,
    );
    expect(byName.unreachable.status).toBe('error');
    expect(byName.unreachable.error.reason).toBe('Unreachable');
    expect(byName.unreachable.error.message).toMatch(
      /^Cluster "unreachable" at http:\/\/127\.0\.0\.1:\d+ is unreachable/,
    );
    // The healthy cluster's data, and nothing from the others.
    expect(res.body.rollouts.map((r: { id: string }) => r.id)).toEqual([
      'healthy/bookinfo/reviews',
    ]);
    expect(res.body.rollouts[0].routes[0].destinations).toEqual([
      expect.objectContaining({ subset: 'v1', weight: 50 }),
      expect.objectContaining({ subset: 'v2', weight: 50 }),
    ]);
  }

  it('answers within the budget plus a second, with an error per broken cluster and the healthy data', async () => {
    injectFaults();
    const res = await rolloutsOf(backend, 'reviews', token);
    expectPartialAnswer(res);
    expect(res.ms).toBeLessThan(BUDGET_MS);
    results.single = {
      ms: Math.round(res.ms),
      clusters: res.body.clusters.map((c: any) => ({
        name: c.name,
        status: c.status,
        reason: c.error?.reason,
      })),
    };
  });

  it(`keeps serving other requests while ${CONCURRENT_READS} reads wait on the slow cluster`, async () => {
    injectFaults();
    const reads = Array.from({ length: CONCURRENT_READS }, () =>
      rolloutsOf(backend, 'reviews', token),
    );
    // While those wait, requests that need no broken cluster, one after another.
    const others = [
      () => request(backend.baseUrl, 'GET', `${API}/health`),
      () =>
        request(
          backend.baseUrl,
          'GET',
          '/api/catalog/entities/by-name/component/default/reviews',
          { token },
        ),
      // An entity without Istio objects: no cluster is asked.
      () => rolloutsOf(backend, 'details', token),
      () => backend.get(`${entityPath('reviews')}/rollouts/history`, token),
      () => request(backend.baseUrl, 'GET', '/.backstage/health/v1/liveness'),
    ];
    const otherReplies: Array<{ status: number; ms: number }> = [];
    const started = Date.now();
    while (Date.now() - started < CLUSTER_TIMEOUT_MS) {
      for (const other of others) {
        const r = await other();
        otherReplies.push({ status: r.status, ms: r.ms });
      }
    }
    const answered = await Promise.all(reads);
    for (const res of answered) expectPartialAnswer(res);
    // The budget holds for a burst too; what the two shared cores add to
    // twenty answers at once may push the slowest a little past it.
    const readMs = answered.map(r => r.ms).sort((a, b) => a - b);
    expect(readMs[Math.floor(readMs.length / 2)]).toBeLessThan(BUDGET_MS);
    expect(readMs[readMs.length - 1]).toBeLessThan(BUDGET_MS + 1000);
    expect(otherReplies.every(r => r.status === 200)).toBe(true);
    // None of them waited for the slow cluster.
    const slowest = Math.max(...otherReplies.map(r => r.ms));
    expect(slowest).toBeLessThan(CLUSTER_TIMEOUT_MS);
    results.concurrent = {
      reads: CONCURRENT_READS,
      readMs: {
        min: Math.round(readMs[0]),
        median: Math.round(readMs[Math.floor(readMs.length / 2)]),
        max: Math.round(readMs[readMs.length - 1]),
      },
      otherRequests: otherReplies.length,
      otherRequestsSlowestMs: Math.round(slowest),
      otherRequestsMedianMs: Math.round(
        otherReplies.map(r => r.ms).sort((a, b) => a - b)[
          Math.floor(otherReplies.length / 2)
        ],
      ),
    };
  });

  it('reads every reachable cluster whole again once the faults are gone', async () => {
    slow.sim.faults.clear();
    failing.sim.faults.clear();
    const res = await rolloutsOf(backend, 'reviews', token);
    expect(res.status).toBe(200);
    expect(
      res.body.clusters.map((c: any) => [c.name, c.status, c.error?.reason]),
    ).toEqual([
      ['healthy', 'ok', undefined],
      ['slow', 'ok', undefined],
      ['failing', 'ok', undefined],
      ['unreachable', 'error', 'Unreachable'],
    ]);
    expect(res.body.rollouts.map((r: { id: string }) => r.id).sort()).toEqual([
      'failing/bookinfo/reviews',
      'healthy/bookinfo/reviews',
      'slow/bookinfo/reviews',
    ]);
    results.recovered = { ms: Math.round(res.ms) };
  });
});
