/*
 * Suite 3, faults during reads: four clusters, one healthy, one slower than
 * the cluster budget, one answering 500 to everything, one that nothing
 * listens on. A read answers within the budget plus a second, with an error
 * per broken cluster (naming it) and the healthy cluster's data; the backend
 * keeps answering other requests meanwhile; and once the faults are gone,
 * the next read is whole again. Twice: without the watch cache (every read
 * lists from every cluster) and with it (the product's default: the healthy
 * cluster is answered from memory, the broken ones are listed again).
 */
import {
  API,
  Backend,
  CacheConfig,
  closeConnections,
  CLUSTER_TIMEOUT_MS,
  demoManifests,
  entityPath,
  GUEST,
  NO_CACHE,
  recordResults,
  request,
  rolloutsOf,
  runDir,
  SimCluster,
  startCluster,
  unreachableUrl,
  unrecordedChanges,
  WATCH_CACHE,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

const BUDGET_MS = CLUSTER_TIMEOUT_MS + 1000;
/** How late the slow cluster answers: a read that waited for it would take at least this long. */
const SLOW_MS = CLUSTER_TIMEOUT_MS + 8500;
/**
 * A burst of reads shares the backend's one thread (and, in CI, two cores
 * with the other suites' backends, some of them starting): its median is
 * expected within a second and a half more than a single read (recorded
 * beside the measured median, not asserted: it depends on the machine's
 * load), and every read must be answered well before the slow cluster would
 * have answered (asserted).
 */
const BURST_MEDIAN_MS = BUDGET_MS + 1500;
const BURST_MAX_MS = SLOW_MS - 3000;
const CONCURRENT_READS = 20;

const CACHE_MODES: Array<[string, CacheConfig]> = [
  ['without the watch cache', NO_CACHE],
  ['with the watch cache', WATCH_CACHE],
];

/** What each cache mode measured, by mode. */
const measured: Record<string, Record<string, unknown>> = {};

afterAll(async () => {
  const [off, on] = CACHE_MODES.map(([mode]) => measured[mode]);
  if (off || on) {
    await recordResults('readFaults', {
      clusters: ['healthy', 'slow', 'failing (500)', 'unreachable'],
      clusterTimeoutMs: CLUSTER_TIMEOUT_MS,
      ...(off ?? on),
      ...(on && { watchCache: on }),
    });
  }
  closeConnections();
});

describe.each(CACHE_MODES)('faults during reads (%s)', (mode, cache) => {
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
      cache,
    });
    token = await backend.signIn(GUEST);
    // Warm the backend's code paths (catalog, permissions, the plugin's
    // routes) without asking any cluster, so the first measured read is not
    // also the first request the backend serves: an entity without Istio
    // objects, and a history.
    for (let i = 0; i < 3; i++) {
      await rolloutsOf(backend, 'details', token);
      await backend.get(`${entityPath('reviews')}/rollouts/history`, token);
    }
  });

  afterAll(async () => {
    if (Object.keys(results).length) measured[mode] = { cache, ...results };
    await backend?.stop();
    await Promise.all([healthy, slow, failing].map(c => c?.sim.close()));
    run.cleanup();
  });

  function injectFaults() {
    slow.sim.faults.clear();
    failing.sim.faults.clear();
    // Every request to `slow` waits past the budget; every one to `failing` is a 500.
    slow.sim.faults.add({ latencyMs: SLOW_MS });
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
    // Named, never located: the message has no URL.
    expect(byName.unreachable.error.message).toMatch(
      /^Cluster "unreachable" is unreachable/,
    );
    expect(res.text).not.toContain(gone);
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
    healthy.sim.requests.clear();
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
    // With the watch cache, the healthy cluster's objects come from memory:
    // the twenty reads list nothing there.
    const healthyLists = healthy.sim.requests
      .list()
      .filter(r => r.verb === 'list').length;
    expect(
      cache.watch ? healthyLists === 0 : healthyLists >= CONCURRENT_READS,
    ).toBe(true);
    for (const res of answered) expectPartialAnswer(res);
    // None waits for the slow cluster: every read answers well before it
    // would. How close to the budget twenty answers at once come depends on
    // what else the shared cores run, so the median is recorded as a figure
    // (docs/reliability.md), not asserted: a loaded CI machine pushed it past
    // any fixed limit.
    const readMs = answered.map(r => r.ms).sort((a, b) => a - b);
    expect(readMs[readMs.length - 1]).toBeLessThan(BURST_MAX_MS);
    expect(otherReplies.every(r => r.status === 200)).toBe(true);
    // None of them waited for the reads, let alone for the slow cluster: the
    // median one took less than half the fastest read (one that waited for
    // the reads would take at least as long as they do, whatever the
    // machine's load), and every one answered long before the slow cluster
    // would have. (When the twenty reads time out together, building their
    // answers can hold the backend's one thread for a moment, so a few
    // requests served then are slower.)
    const otherMs = otherReplies.map(r => r.ms).sort((a, b) => a - b);
    const slowest = otherMs[otherMs.length - 1];
    const otherMedian = otherMs[Math.floor(otherMs.length / 2)];
    expect(otherReplies.length).toBeGreaterThanOrEqual(others.length);
    expect(otherMedian).toBeLessThan(readMs[0] / 2);
    expect(slowest).toBeLessThan(BURST_MAX_MS);
    results.concurrent = {
      reads: CONCURRENT_READS,
      medianLimitMs: BURST_MEDIAN_MS,
      slowClusterMs: SLOW_MS,
      readMs: {
        min: Math.round(readMs[0]),
        median: Math.round(readMs[Math.floor(readMs.length / 2)]),
        max: Math.round(readMs[readMs.length - 1]),
      },
      healthyClusterLists: healthyLists,
      otherRequests: otherReplies.length,
      maxLimitMs: BURST_MAX_MS,
      otherRequestsSlowestMs: Math.round(slowest),
      otherRequestsMedianMs: Math.round(otherMedian),
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

  it('left no change in the clusters without its history record, and named its field manager on every patch', async () => {
    const check = await unrecordedChanges(backend, [healthy, slow, failing]);
    results.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
  });
});
