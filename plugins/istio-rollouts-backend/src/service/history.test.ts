/*
 * End to end: the history endpoint, and the history outliving the backend.
 * Changes are made through the actions endpoint against the demo clusters in
 * kube-sim; the history lives in the plugin's database, which the restart
 * tests keep across two backends: a SQLite file (as the demo keeps it in
 * .data/sqlite), and PostgreSQL where the test database helpers have one.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { KubeSim } from '@internal/kube-sim';
import type { HistoryEvent } from '@internal/plugin-istio-rollouts-common';
import path from 'node:path';
import {
  DemoBackend,
  demoClustersConfig,
  getHistory,
  getRollouts,
  GUEST,
  OUTSIDER,
  postAction,
  sqliteKnex,
  startDemoBackend,
  startDemoCluster,
} from '../__testUtils__/demoBackend';
import { storeTestDatabases } from '../__testUtils__/testDatabases';

const REVIEWS = 'demo-east/bookinfo/reviews';

/** Moves reviews' weights in demo-east as the guest, loading the page first like a user. */
async function setWeights(backend: DemoBackend, v1: number, reason?: string) {
  const page = await getRollouts(backend, 'reviews').expect(200);
  const { resourceVersion } = page.body.rollouts.find(
    (r: { id: string }) => r.id === REVIEWS,
  );
  const res = await postAction(backend, 'reviews', {
    rolloutId: REVIEWS,
    route: { kind: 'http', index: 0 },
    action: 'setWeights',
    weights: { v1, v2: 100 - v1 },
    resourceVersion,
    ...(reason && { reason }),
  });
  expect(res.status).toBe(200);
  return res.body.event as HistoryEvent;
}

describe('GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/history', () => {
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
    for (const v1 of [60, 70, 80]) await setWeights(backend, v1, `to ${v1}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  it('pages the entity’s changes newest first', async () => {
    const first = await getHistory(backend, 'reviews', { limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: HistoryEvent) => e.summary)).toEqual([
      'http[0] reviews-route: v1 70→80, v2 30→20',
      'http[0] reviews-route: v1 60→70, v2 40→30',
    ]);
    expect(first.body.nextCursor).toBe(first.body.events[1].id);
    expect(first.body.events[0]).toMatchObject({
      entityRef: 'component:default/reviews',
      actor: GUEST,
      rolloutId: REVIEWS,
      action: 'setWeights',
      reason: 'to 80',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const last = await getHistory(backend, 'reviews', {
      limit: 2,
      cursor: first.body.nextCursor,
    });
    expect(last.body.events.map((e: HistoryEvent) => e.summary)).toEqual([
      'http[0] reviews-route: v1 50→60, v2 50→40',
    ]);
    expect(last.body.nextCursor).toBeUndefined();
  });

  it('keeps each entity’s history apart', async () => {
    const res = await getHistory(backend, 'foobar');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ events: [] });
  });

  it('needs istio-rollouts.traffic.read on the entity', async () => {
    const res = await getHistory(backend, 'reviews', {}, OUTSIDER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
    );
  });

  it('answers 404 for an entity the caller cannot see', async () => {
    const res = await getHistory(backend, 'nope');
    expect(res.status).toBe(404);
  });

  it.each([
    [{ limit: 0 }, /limit must be >= 1/],
    [{ limit: 101 }, /limit must be <= 100/],
    [{ limit: 'ten' }, /limit must be integer/],
    [{ cursor: 'abc' }, /cursor must match pattern/],
    [{ page: 2 }, /Unknown query parameter 'page'/],
  ])(
    'refuses the query %j with 400 naming the parameter',
    async (query, message) => {
      const res = await getHistory(backend, 'reviews', query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    },
  );
});

describe('the history across a backend restart', () => {
  let east: KubeSim;
  let west: KubeSim;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([east?.close(), west?.close()]);
  });

  /** Records a change with one backend, stops it, and reads the history with a new one. */
  async function acrossRestart(start: () => Promise<DemoBackend>) {
    const first = await start();
    let recorded: HistoryEvent;
    try {
      recorded = await setWeights(first, 90, 'before the restart');
    } finally {
      await first.stop();
    }
    const second = await start();
    try {
      const res = await getHistory(second, 'reviews');
      return { recorded, status: res.status, events: res.body.events };
    } finally {
      await second.stop();
    }
  }

  it('survives on a SQLite file, as the demo keeps it', async () => {
    const directory = createMockDirectory();
    const file = path.join(directory.path, 'istio-rollouts.sqlite');
    const config = demoClustersConfig({ 'demo-east': east, 'demo-west': west });
    // A connection per backend, closed when it stops: a new process would open the file afresh.
    const { recorded, status, events } = await acrossRestart(async () => {
      const knex = sqliteKnex(file);
      const backend = await startDemoBackend(config, [], { knex });
      return {
        ...backend,
        stop: async () => {
          await backend.stop();
          await knex.destroy();
        },
      };
    });
    expect(status).toBe(200);
    expect(events).toEqual([recorded]);
  });

  const databases = storeTestDatabases();

  it.each(databases.eachSupportedId())(
    'survives on %s, the database a second backend is given',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const config = demoClustersConfig({
        'demo-east': east,
        'demo-west': west,
      });
      const { recorded, status, events } = await acrossRestart(() =>
        startDemoBackend(config, [], { knex }),
      );
      expect(status).toBe(200);
      expect(events).toEqual([recorded]);
    },
  );
});
