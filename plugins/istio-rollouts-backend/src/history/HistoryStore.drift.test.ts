/*
 * The history's side of drift detection: the records a read compares routes
 * with (one query), and outside changes recorded once per state, however
 * many reads or replicas find them.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { storeTestDatabases } from '../__testUtils__/testDatabases';
import { HistoryStore, NewHistoryEvent } from './HistoryStore';

const databases = storeTestDatabases();

const REVIEWS = 'demo-east/bookinfo/reviews';

const stanza = (v1: number, name = 'reviews-route') => ({
  name,
  route: [
    { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: 100 - v1 },
  ],
});

const change = (
  after: number,
  overrides: Partial<NewHistoryEvent> = {},
): NewHistoryEvent => ({
  entityRef: 'component:default/reviews',
  actor: 'user:default/guest',
  rolloutId: REVIEWS,
  cluster: 'demo-east',
  namespace: 'bookinfo',
  virtualService: 'reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  action: 'setWeights',
  before: stanza(50),
  after: stanza(after),
  summary: `http[0] reviews-route: v1 50→${after}`,
  ...overrides,
});

const outsideChange = (resourceVersion: string, by?: string) => {
  const {
    actor: _a,
    action: _b,
    ...event
  } = change(70, {
    summary: 'http[0] reviews-route: v1 50→70, v2 50→30',
  });
  return {
    ...event,
    outside: {
      resourceVersion,
      ...(by && {
        by,
        operation: 'Update',
        changedAt: '2026-12-14T12:00:05Z',
      }),
    },
  };
};

async function storeFor(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return HistoryStore.create(mockServices.database({ knex }));
}

describe.each(databases.eachSupportedId())(
  'HistoryStore outside changes on %s',
  databaseId => {
    it('records an outside change once per state, whoever finds it again', async () => {
      const store = await storeFor(databaseId);
      const [first, again, other] = await Promise.all([
        store.recordOutsideChange(outsideChange('44', 'kubectl-patch')),
        store.recordOutsideChange(outsideChange('44', 'someone-else')),
        store.recordOutsideChange({
          ...outsideChange('44'),
          route: { kind: 'http', index: 1 },
        }),
      ]);
      expect(again).toEqual(first);
      expect(other.id).not.toBe(first.id);
      expect(first).toMatchObject({
        action: 'outsideChange',
        status: 'applied',
        actor: expect.stringMatching(/^(kubectl-patch|someone-else)$/),
        outside: { resourceVersion: '44', operation: 'Update' },
        after: stanza(70),
      });
      const later = await store.recordOutsideChange(outsideChange('45'));
      expect(later).toMatchObject({
        actor: 'unknown',
        outside: { resourceVersion: '45' },
      });
      expect(later.outside).not.toHaveProperty('by');

      const { events } = await store.list('component:default/reviews');
      expect(events.map(e => e.id)).toEqual([later.id, other.id, first.id]);
      // Changes Backstage records never collide with them, nor with each other.
      await store.add(change(60));
      await store.add(change(60));
      expect(
        (await store.list('component:default/reviews')).events,
      ).toHaveLength(5);
    });

    it('answers, per route, the newest record of each kind and outcome, with each route a switch touched', async () => {
      const store = await storeFor(databaseId);
      await store.add(change(60));
      const applied = await store.add(change(80));
      await store.begin({
        ...change(90),
        objects: [],
        resourceVersion: '43',
      });
      const failed = await store.begin({
        ...change(95),
        objects: [],
        resourceVersion: '43',
      });
      await store.finish(failed.id, 'failed');
      const outside = await store.recordOutsideChange(outsideChange('44'));
      const header = {
        kind: 'http' as const,
        index: 0,
        name: 'green-by-header',
      };
      const fallback = { kind: 'http' as const, index: 1, name: 'default' };
      const switched = await store.add(
        change(0, {
          rolloutId: 'demo-east/default/gorilla',
          action: 'switch',
          route: header,
          routes: [
            { ...header, before: stanza(100), after: stanza(0) },
            { ...fallback, before: stanza(0), after: stanza(100) },
          ],
        }),
      );
      await store.add(change(10, { rolloutId: 'demo-west/bookinfo/reviews' }));

      const records = await store.routeRecords([
        REVIEWS,
        'demo-east/default/gorilla',
      ]);
      const summary = records
        .map(r => ({
          id: String(r.id),
          rolloutId: r.rolloutId,
          route: r.route.index,
          source: r.source,
          status: r.status,
          v1: (r.after as ReturnType<typeof stanza>).route[0].weight,
        }))
        .sort((a, b) => Number(a.id) - Number(b.id) || a.route - b.route);
      expect(summary).toEqual([
        {
          id: applied.id,
          rolloutId: REVIEWS,
          route: 0,
          source: 'backstage',
          status: 'applied',
          v1: 80,
        },
        expect.objectContaining({ status: 'pending', v1: 90 }),
        {
          id: outside.id,
          rolloutId: REVIEWS,
          route: 0,
          source: 'outside',
          status: 'applied',
          v1: 70,
        },
        expect.objectContaining({ id: switched.id, route: 0, v1: 0 }),
        expect.objectContaining({ id: switched.id, route: 1, v1: 100 }),
      ]);
      expect(records.find(r => r.source === 'outside')).toMatchObject({
        outside: { resourceVersion: '44' },
        createdAt: outside.createdAt,
      });
      expect(await store.routeRecords([])).toEqual([]);
    });

    it('migrates down to the previous schema, keeping the rows, and up again', async () => {
      const knex = await databases.init(databaseId);
      const store = await HistoryStore.create(mockServices.database({ knex }));
      await store.add(change(80));
      const directory = resolvePackagePath(
        '@internal/plugin-istio-rollouts-backend',
        'migrations',
      );
      await knex.migrate.down({
        directory,
        name: '20261207130000_history_outside_changes.js',
      });
      expect(
        await knex.schema.hasColumn('rollout_history', 'observed_version'),
      ).toBe(false);
      await knex.migrate.latest({ directory });
      await store.recordOutsideChange(outsideChange('44'));
      expect(
        (await store.list('component:default/reviews')).events.map(
          e => e.action,
        ),
      ).toEqual(['outsideChange', 'setWeights']);
    });
  },
);
