/*
 * End to end through the watch cache, the default: the backend (real HTTP,
 * client-node) lists an entity's objects on its first read, watches them,
 * and answers later reads from memory, while writes stay guarded by the
 * resourceVersion the user saw.
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
  TOKEN,
} from '../__testUtils__/demoBackend';

const REVIEWS_EAST = 'demo-east/bookinfo/reviews';
const SELECTOR = 'backstage.io/kubernetes-id=reviews';

/** Polls `check` until it stops throwing; bounded, so a regression fails rather than hangs. */
async function eventually<T>(check: () => Promise<T>, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

function weightsOf(rollout: Rollout) {
  return rollout.routes[0].destinations.map(d => [d.subset, d.weight]);
}

describe('reads through the watch cache', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    // No istioRollouts.cache: the defaults are under test.
    backend = await startDemoBackend(
      demoClustersConfig({ 'demo-east': east, 'demo-west': west }, 2500),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  /** The lists of the entity a read made in a cluster since the log was cleared. */
  const listsOf = (sim: KubeSim) =>
    sim.requests
      .list()
      .filter(r => r.verb === 'list' && r.query.labelSelector === SELECTOR);

  async function reviews(): Promise<RolloutsResponse> {
    const res = await getRollouts(backend, 'reviews');
    expect(res.status).toBe(200);
    return res.body;
  }

  const eastReviews = async () => {
    const rollout = (await reviews()).rollouts.find(r => r.id === REVIEWS_EAST);
    if (!rollout) throw new Error(`no ${REVIEWS_EAST}`);
    return rollout;
  };

  /** Reads until a read is answered without listing in either cluster. */
  async function whenServedFromMemory() {
    await eventually(async () => {
      east.requests.clear();
      west.requests.clear();
      await reviews();
      expect([...listsOf(east), ...listsOf(west)]).toEqual([]);
    });
  }

  /** Changes the weights of demo-east's reviews as someone outside the portal would. */
  async function patchEastReviews(v1: number, v2: number) {
    const res = await fetch(
      `${east.url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json-patch+json',
        },
        body: JSON.stringify([
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: v1 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: v2 },
        ]),
      },
    );
    expect(res.status).toBe(200);
  }

  it('lists on the first read, then watches, and answers later reads from memory with the same rollouts', async () => {
    east.requests.clear();
    const first = await reviews();
    expect([...new Set(listsOf(east).map(r => r.resource))].sort()).toEqual([
      'deployments',
      'destinationrules',
      'services',
      'virtualservices',
    ]);
    // Four watches, each with the entity's selector: nothing else is watched.
    await eventually(async () => {
      const watches = east.requests.list().filter(r => r.verb === 'watch');
      expect(watches.map(w => w.resource).sort()).toEqual([
        'deployments',
        'destinationrules',
        'services',
        'virtualservices',
      ]);
      for (const w of watches) expect(w.query.labelSelector).toBe(SELECTOR);
    });
    await whenServedFromMemory();
    expect(await reviews()).toEqual(first);
  });

  it('shows a change made in the cluster by someone else without listing again', async () => {
    await whenServedFromMemory();
    const before = await eastReviews();
    await patchEastReviews(70, 30);
    east.requests.clear();
    const after = await eventually(async () => {
      const rollout = await eastReviews();
      expect(rollout.resourceVersion).not.toBe(before.resourceVersion);
      return rollout;
    });
    expect(weightsOf(after)).toEqual([
      ['v1', 70],
      ['v2', 30],
    ]);
    expect(listsOf(east)).toEqual([]);
  });

  it('writes with one request to the cluster, the guarded PATCH, and the next read shows it at once', async () => {
    await whenServedFromMemory();
    const loaded = await eastReviews();
    east.requests.clear();
    const res = await postAction(backend, 'reviews', {
      rolloutId: REVIEWS_EAST,
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 90, v2: 10 },
      resourceVersion: loaded.resourceVersion,
    });
    expect(res.status).toBe(200);
    expect(
      east.requests
        .list()
        .filter(r => r.verb !== 'watch')
        .map(r => [r.method, r.path]),
    ).toEqual([
      [
        'PATCH',
        '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews',
      ],
    ]);
    expect(weightsOf(res.body.rollout)).toEqual([
      ['v1', 90],
      ['v2', 10],
    ]);
    // Read-your-writes: no wait for the watch.
    const next = await eastReviews();
    expect(next.resourceVersion).toBe(res.body.rollout.resourceVersion);
    expect(weightsOf(next)).toEqual([
      ['v1', 90],
      ['v2', 10],
    ]);
  });

  it('never loses a change the cache has not seen yet: the write is refused with 409', async () => {
    await whenServedFromMemory();
    const loaded = await eastReviews();
    await patchEastReviews(55, 45);
    const res = await postAction(backend, 'reviews', {
      rolloutId: REVIEWS_EAST,
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 100, v2: 0 },
      resourceVersion: loaded.resourceVersion,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/changed since you loaded it/);
    const now = await eventually(async () => {
      const rollout = await eastReviews();
      expect(rollout.resourceVersion).not.toBe(loaded.resourceVersion);
      return rollout;
    });
    expect(weightsOf(now)).toEqual([
      ['v1', 55],
      ['v2', 45],
    ]);
  });

  it('reports a cluster that went away as an error entry once its watches break, with its last-known rollouts stale, and still answers the other', async () => {
    await whenServedFromMemory();
    const lastRead = (await reviews()).rollouts.find(
      r => r.cluster === 'demo-west',
    );
    await west.close();
    const body = await eventually(async () => {
      const read = await reviews();
      expect(read.clusters[1]).toEqual(
        expect.objectContaining({ name: 'demo-west', status: 'error' }),
      );
      return read;
    });
    expect(body.clusters[0]).toEqual({ name: 'demo-east', status: 'ok' });
    expect(body.rollouts.map(r => [r.id, r.stale?.reason])).toEqual([
      [REVIEWS_EAST, undefined],
      ['demo-west/bookinfo/reviews', body.clusters[1].error?.reason],
    ]);
    const stale = body.rollouts[1];
    // As last read, but offering no plan: nothing starts on a stale cluster.
    expect(stale.routes).toEqual(
      lastRead?.routes.map(({ planOffer: _, ...route }) => route),
    );
    expect(stale.readOnly?.reason).toBe('ClusterUnavailable');
    expect(stale.allowedActions).toEqual([]);
  });
});
