/*
 * A cluster that stops answering, end to end: the backend (real HTTP,
 * client-node) reads both demo clusters served by kube-sim, then one of them
 * is faulted, and the next read shows that cluster's last-known rollouts,
 * stale and read-only, beside the other cluster's fresh ones. Every read goes
 * to the clusters (watch cache off), so each read meets the fault; the watch
 * cache's own case, a cluster that goes away, is in watchCache.test.ts.
 */
import { KubeSim } from '@internal/kube-sim';
import type {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import {
  DemoBackend,
  demoClustersConfig,
  getRollouts,
  postAction,
  startDemoBackend,
  startDemoCluster,
  storedObject,
  writesTo,
} from '../__testUtils__/demoBackend';

const TIMEOUT_MS = 2000;
const EAST = 'demo-east/bookinfo/reviews';
const WEST = 'demo-west/bookinfo/reviews';

function byId(body: RolloutsResponse, id: string): Rollout {
  const rollout = body.rollouts.find(r => r.id === id);
  if (!rollout) throw new Error(`no rollout ${id} in ${JSON.stringify(body)}`);
  return rollout;
}

async function startBackend(
  sims: Record<'demo-east' | 'demo-west', KubeSim>,
  cache: object,
) {
  const config = demoClustersConfig(sims, TIMEOUT_MS);
  return startDemoBackend({
    ...config,
    istioRollouts: { ...config.istioRollouts, cache },
  });
}

describe('a cluster that stops answering', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    backend = await startBackend(
      { 'demo-east': east, 'demo-west': west },
      { watch: false },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  beforeEach(() => {
    for (const sim of [east, west]) {
      sim.faults.clear();
      sim.requests.clear();
    }
  });

  async function reviews(): Promise<RolloutsResponse> {
    const res = await getRollouts(backend, 'reviews');
    expect(res.status).toBe(200);
    return res.body;
  }

  it.each([
    ['answering 503', { status: 503 }, 'ServerError'],
    ['hanging past its budget', { latencyMs: 3 * TIMEOUT_MS }, 'Timeout'],
  ])(
    'when %s, shows its last-known rollouts stale and read-only, beside the fresh cluster',
    async (_, fault, reason) => {
      const before = Date.now();
      const fresh = await reviews();
      const after = Date.now();
      expect(byId(fresh, WEST).stale).toBeUndefined();

      west.faults.add(fault);
      const body = await reviews();

      expect(body.clusters).toEqual([
        { name: 'demo-east', status: 'ok' },
        {
          name: 'demo-west',
          status: 'error',
          error: expect.objectContaining({ reason }),
        },
      ]);
      const stale = byId(body, WEST);
      // What was read before, exactly, with when and why.
      const { stale: marker, readOnly, allowedActions, ...shown } = stale;
      const {
        readOnly: _r,
        allowedActions: freshActions,
        ...read
      } = byId(fresh, WEST);
      // Nothing can start on a stale cluster: its routes offer no plan.
      expect(shown).toEqual({
        ...read,
        routes: withoutPlanOffers(read.routes),
      });
      expect(read.routes.some(r => r.planOffer)).toBe(true);
      expect(freshActions.length).toBeGreaterThan(0);
      expect(marker?.reason).toBe(reason);
      const lastSeen = Date.parse(marker!.lastSeen);
      expect(lastSeen).toBeGreaterThanOrEqual(before);
      expect(lastSeen).toBeLessThanOrEqual(after);
      expect(readOnly).toEqual({
        reason: 'ClusterUnavailable',
        message: expect.stringContaining('demo-west is not answering'),
      });
      expect(allowedActions).toEqual([]);
      // The other cluster: fresh, with the owner's actions.
      const eastRollout = byId(body, EAST);
      expect(eastRollout.stale).toBeUndefined();
      expect(eastRollout.readOnly).toBeUndefined();
      expect(eastRollout.allowedActions).toEqual(
        byId(fresh, EAST).allowedActions,
      );
    },
  );

  it('refuses an action on a stale rollout with 503 and writes nothing', async () => {
    const { resourceVersion } = byId(await reviews(), WEST);
    const vs = storedObject(west, 'VirtualService', 'bookinfo', 'reviews');
    west.faults.add({ status: 503 });
    expect(byId(await reviews(), WEST).stale).toBeDefined();

    const res = await postAction(backend, 'reviews', {
      rolloutId: WEST,
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 100, v2: 0 },
      resourceVersion,
    });
    expect(res.status).toBe(503);
    expect(res.body.error.name).toBe('ServiceUnavailableError');
    expect(res.body.error.message).toMatch(/Cluster "demo-west" answered 503/);
    expect(writesTo(west)).toEqual([]);
    expect(storedObject(west, 'VirtualService', 'bookinfo', 'reviews')).toEqual(
      vs,
    );
  });

  it('is fresh again, with its actions, once the cluster answers', async () => {
    await reviews();
    west.faults.add({ status: 500 });
    expect(byId(await reviews(), WEST).stale).toBeDefined();
    west.faults.clear();
    const back = byId(await reviews(), WEST);
    expect(back.stale).toBeUndefined();
    expect(back.readOnly).toBeUndefined();
    expect(back.allowedActions.length).toBeGreaterThan(0);
  });

  it('shows nothing of a cluster that refuses the plugin (403): it answered', async () => {
    await reviews();
    west.faults.add({ status: 403 });
    const body = await reviews();
    expect(body.clusters[1]).toEqual(
      expect.objectContaining({
        status: 'error',
        error: expect.objectContaining({ reason: 'Forbidden' }),
      }),
    );
    expect(body.rollouts.map(r => r.id)).toEqual([EAST]);
  });
});

describe('with istioRollouts.cache.lastKnownMaxAgeMs: 0', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    backend = await startBackend(
      { 'demo-east': east, 'demo-west': west },
      { watch: false, lastKnownMaxAgeMs: 0 },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  it('shows no last-known state: a silent cluster is its error entry only', async () => {
    expect((await getRollouts(backend, 'reviews')).status).toBe(200);
    west.faults.add({ status: 503 });
    const res = await getRollouts(backend, 'reviews');
    expect(res.body.clusters[1].status).toBe('error');
    expect(res.body.rollouts.map((r: Rollout) => r.id)).toEqual([EAST]);
  });
});

function withoutPlanOffers<T extends { planOffer?: unknown }>(routes: T[]) {
  return routes.map(({ planOffer: _, ...route }) => route);
}
