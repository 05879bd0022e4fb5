/*
 * End to end: changes made outside Backstage. The demo clusters in kube-sim
 * keep metadata.managedFields as an API server does; a PATCH sent straight to
 * a cluster (as kubectl would) moves a route away from the last change
 * Backstage recorded, and the next reads say so and record it once.
 */
import { KubeSim } from '@internal/kube-sim';
import type {
  HistoryEvent,
  Rollout,
} from '@internal/plugin-istio-rollouts-common';
import {
  DemoBackend,
  demoClustersConfig,
  getHistory,
  getRollouts,
  postAction,
  startDemoBackend,
  startDemoCluster,
  TOKEN,
} from '../__testUtils__/demoBackend';

const REVIEWS_EAST = 'demo-east/bookinfo/reviews';
const REVIEWS_WEST = 'demo-west/bookinfo/reviews';
const REVIEWS_URL =
  '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews';

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

const split = (v1: number) => [
  expect.objectContaining({ subset: 'v1', weight: v1 }),
  expect.objectContaining({ subset: 'v2', weight: 100 - v1 }),
];

describe('changes made outside Backstage', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    backend = await startDemoBackend(
      demoClustersConfig({ 'demo-east': east, 'demo-west': west }),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  async function rollout(entity: string, id: string): Promise<Rollout> {
    const res = await getRollouts(backend, entity);
    expect(res.status).toBe(200);
    const found = res.body.rollouts.find((r: Rollout) => r.id === id);
    if (!found) throw new Error(`no ${id}`);
    return found;
  }

  /** Reads until the read shows the VirtualService past `resourceVersion`. */
  const readPast = (entity: string, id: string, resourceVersion: string) =>
    eventually(async () => {
      const read = await rollout(entity, id);
      expect(read.resourceVersion).not.toBe(resourceVersion);
      return read;
    });

  async function setWeights(v1: number) {
    const { resourceVersion } = await rollout('reviews', REVIEWS_EAST);
    const res = await postAction(backend, 'reviews', {
      rolloutId: REVIEWS_EAST,
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1, v2: 100 - v1 },
      resourceVersion,
    });
    expect(res.status).toBe(200);
    return res.body.rollout as Rollout;
  }

  /** A PATCH sent to the cluster directly, as kubectl sends it. */
  async function patchInCluster(options: {
    path?: string;
    contentType: string;
    body: unknown;
    fieldManager?: string;
    userAgent?: string;
  }) {
    const query = options.fieldManager
      ? `?fieldManager=${options.fieldManager}`
      : '';
    const res = await fetch(
      `${east.url}${options.path ?? REVIEWS_URL}${query}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': options.contentType,
          ...(options.userAgent && { 'user-agent': options.userAgent }),
        },
        body: JSON.stringify(options.body),
      },
    );
    expect(res.status).toBe(200);
  }

  async function outsideChanges(): Promise<HistoryEvent[]> {
    const res = await getHistory(backend, 'reviews', { limit: 100 });
    expect(res.status).toBe(200);
    return res.body.events.filter(
      (e: HistoryEvent) => e.action === 'outsideChange',
    );
  }

  it('reports a JSON patch to 70/30 made after a change here, names its manager, and records it once', async () => {
    const written = await setWeights(80);
    const before = await rollout('reviews', REVIEWS_EAST);
    expect(before.routes[0].drift).toBeUndefined();

    await patchInCluster({
      contentType: 'application/json-patch+json',
      fieldManager: 'kubectl-patch',
      body: [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
      ],
    });
    const read = await readPast(
      'reviews',
      REVIEWS_EAST,
      written.resourceVersion,
    );
    expect(read.routes[0].destinations).toEqual(split(70));
    expect(read.routes[0].drift).toEqual({
      detectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      changedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      by: 'kubectl-patch',
      resourceVersion: read.resourceVersion,
      expected: split(80),
    });
    // The other cluster's reviews was not changed here: nothing to compare.
    expect(
      (await rollout('reviews', REVIEWS_WEST)).routes[0].drift,
    ).toBeUndefined();

    // More reads of the same state: still drift, still one row.
    const again = await rollout('reviews', REVIEWS_EAST);
    expect(again.routes[0].drift).toEqual(read.routes[0].drift);
    const events = await outsideChanges();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'kubectl-patch',
      rolloutId: REVIEWS_EAST,
      route: { kind: 'http', index: 0, name: 'reviews-route' },
      status: 'applied',
      summary: 'http[0] reviews-route: v1 80→70, v2 20→30',
      outside: {
        resourceVersion: read.resourceVersion,
        by: 'kubectl-patch',
        operation: 'Update',
        changedAt: read.routes[0].drift!.changedAt,
      },
    });
    expect(events[0].createdAt).toBe(read.routes[0].drift!.detectedAt);
  });

  it('names the manager from the User-Agent of a merge patch, and records the new state too', async () => {
    const current = await rollout('reviews', REVIEWS_EAST);
    const stored = await (
      await fetch(`${east.url}${REVIEWS_URL}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json();
    const http = stored.spec.http;
    http[0].route[0].weight = 60;
    http[0].route[1].weight = 40;
    await patchInCluster({
      contentType: 'application/merge-patch+json',
      userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/9894294',
      body: { spec: { http } },
    });
    const read = await readPast(
      'reviews',
      REVIEWS_EAST,
      current.resourceVersion,
    );
    expect(read.routes[0].drift).toMatchObject({
      by: 'kubectl',
      resourceVersion: read.resourceVersion,
      expected: split(80),
    });
    const events = await outsideChanges();
    expect(events.map(e => e.summary)).toEqual([
      'http[0] reviews-route: v1 70→60, v2 30→40',
      'http[0] reviews-route: v1 80→70, v2 20→30',
    ]);
  });

  it('takes a change made here as the new expectation: no drift, no row for its own write', async () => {
    await setWeights(50);
    const read = await rollout('reviews', REVIEWS_EAST);
    expect(read.routes[0].destinations).toEqual(split(50));
    expect(read.routes[0].drift).toBeUndefined();
    await setWeights(90);
    expect(
      (await rollout('reviews', REVIEWS_EAST)).routes[0].drift,
    ).toBeUndefined();
    expect(await outsideChanges()).toHaveLength(2);
  });

  it('calls nothing drift on a route Backstage never changed', async () => {
    const foobar = await rollout('foobar', 'demo-east/foobar/foobar');
    await patchInCluster({
      path: '/apis/networking.istio.io/v1/namespaces/foobar/virtualservices/foobar',
      contentType: 'application/json-patch+json',
      fieldManager: 'kubectl-patch',
      body: [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 90 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 10 },
      ],
    });
    const read = await readPast('foobar', foobar.id, foobar.resourceVersion);
    expect(read.routes[0].drift).toBeUndefined();
    expect((await getHistory(backend, 'foobar')).body.events).toEqual([]);
  });
});
