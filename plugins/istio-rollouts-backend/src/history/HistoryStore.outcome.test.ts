import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { storeTestDatabases } from '../__testUtils__/testDatabases';
import { HistoryStore, NewHistoryEvent, ObjectRef } from './HistoryStore';

const databases = storeTestDatabases();

const reviews = 'demo-east/bookinfo/reviews';
const objects: ObjectRef[] = [
  { kind: 'DestinationRule', namespace: 'bookinfo', name: 'reviews' },
  { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' },
];

/** A raw route stanza with what the tab never shows: a header match and a token set on requests. */
const route = (v1: number, v2: number) => ({
  name: 'reviews-route',
  match: [{ headers: { 'x-user': { exact: 'alice' } } }],
  headers: { request: { set: { authorization: 'Bearer s3cr3t' } } },
  route: [
    { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
  ],
});
const shown = (v1: number, v2: number) => {
  const { match: _match, headers: _headers, ...kept } = route(v1, v2);
  return kept;
};

type Begun = NewHistoryEvent & {
  objects: ObjectRef[];
  resourceVersion: string;
};

const change = (overrides: Partial<Begun> = {}): Begun => ({
  entityRef: 'component:default/reviews',
  actor: 'user:default/guest',
  rolloutId: reviews,
  cluster: 'demo-east',
  namespace: 'bookinfo',
  virtualService: 'reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  action: 'setWeights',
  before: route(50, 50),
  after: route(90, 10),
  summary: 'reviews-route: v1 50→90, v2 50→10',
  objects,
  resourceVersion: '28',
  ...overrides,
});

async function storeFor(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return {
    knex,
    store: await HistoryStore.create(mockServices.database({ knex })),
  };
}

describe.each(databases.eachSupportedId())(
  'HistoryStore outcomes on %s',
  databaseId => {
    it('records a change as pending before its write, and lists it as such', async () => {
      const { store } = await storeFor(databaseId);
      const begun = await store.begin(change());
      expect(begun).toMatchObject({ status: 'pending', after: shown(90, 10) });
      const { events } = await store.list('component:default/reviews');
      expect(events).toEqual([begun]);
    });

    it('gives a pending change its outcome, and a warning when there is one', async () => {
      const { store } = await storeFor(databaseId);
      const begun = await store.begin(change());
      const finished = await store.finish(begun.id, 'applied', {
        warning: 'Argo CD may revert',
      });
      expect(finished).toEqual({
        ...begun,
        status: 'applied',
        warning: 'Argo CD may revert',
      });
      expect((await store.list('component:default/reviews')).events).toEqual([
        finished,
      ]);
    });

    it('never rewrites a final outcome, but settles an unknown one', async () => {
      const { store } = await storeFor(databaseId);
      const refused = await store.begin(change());
      await store.finish(refused.id, 'refused');
      // A late resolution on another replica cannot turn it into "applied".
      expect(await store.finish(refused.id, 'applied')).toMatchObject({
        status: 'refused',
      });

      const unsure = await store.begin(change());
      await store.finish(unsure.id, 'unknown');
      expect(await store.finish(unsure.id, 'applied')).toMatchObject({
        status: 'applied',
      });
      expect(await store.finish(unsure.id, 'failed')).toMatchObject({
        status: 'applied',
      });
    });

    it('answers nothing when finishing a change it does not have', async () => {
      const { store } = await storeFor(databaseId);
      expect(await store.finish('4711', 'applied')).toBeUndefined();
      expect(await store.finish('not-an-id', 'applied')).toBeUndefined();
    });

    it('hands a read the unresolved changes of its rollouts, with what resolving them needs', async () => {
      const { store } = await storeFor(databaseId);
      const pending = await store.begin(change());
      const unknown = await store.begin(change({ resourceVersion: '31' }));
      await store.finish(unknown.id, 'unknown');
      await store.finish((await store.begin(change())).id, 'failed');
      await store.add(change());
      await store.begin(change({ rolloutId: 'demo-west/bookinfo/reviews' }));

      expect(await store.unresolved([reviews])).toEqual([
        expect.objectContaining({
          id: unknown.id,
          status: 'unknown',
          resourceVersion: '31',
        }),
        {
          id: pending.id,
          entityRef: 'component:default/reviews',
          rolloutId: reviews,
          status: 'pending',
          route: { kind: 'http', index: 0, name: 'reviews-route' },
          createdAt: pending.createdAt,
          resourceVersion: '28',
          objects,
          before: shown(50, 50),
          after: shown(90, 10),
        },
      ]);
      expect(await store.unresolved([])).toEqual([]);
      expect(await store.unresolved(['demo-north/x/y'])).toEqual([]);
    });

    it('tells when a later change planned on the same version was applied, so the earlier one cannot have landed', async () => {
      const { store } = await storeFor(databaseId);
      // The first write's answer was lost; the user reloaded and made it again.
      const lost = await store.begin(change());
      await store.finish(lost.id, 'unknown');
      const retried = await store.begin(change());
      await store.finish(retried.id, 'applied');
      // Planned on another version: says nothing about the first.
      const other = await store.begin(change({ resourceVersion: '40' }));

      const unresolved = await store.unresolved([reviews]);
      expect(unresolved.map(u => [u.id, u.laterAppliedOnSameVersion])).toEqual([
        [other.id, undefined],
        [lost.id, true],
      ]);
    });

    it('leaves changes that may not have reached the cluster out of the stable subset', async () => {
      const { store } = await storeFor(databaseId);
      const http0 = { kind: 'http' as const, index: 0 };
      await store.add(change({ before: route(100, 0), after: route(90, 10) }));
      for (const outcome of [
        'refused',
        'failed',
        'unknown',
        undefined,
      ] as const) {
        const begun = await store.begin(
          change({ before: route(0, 100), after: route(10, 90) }),
        );
        if (outcome) await store.finish(begun.id, outcome);
      }
      expect(await store.stableSubsetBefore(reviews, http0)).toBe('v1');
    });

    it('reads rows written before redaction and outcomes as applied, and redacted', async () => {
      const { knex, store } = await storeFor(databaseId);
      await knex('rollout_history').insert({
        entity_ref: 'component:default/reviews',
        actor: 'user:default/guest',
        created_at: new Date().toISOString(),
        rollout_id: reviews,
        cluster: 'demo-east',
        namespace: 'bookinfo',
        virtual_service: 'reviews',
        route_kind: 'http',
        route_index: 0,
        route_name: 'reviews-route',
        action: 'setWeights',
        before: JSON.stringify(route(50, 50)),
        after: JSON.stringify(route(90, 10)),
        summary: 'reviews-route: v1 50→90, v2 50→10',
        routes: JSON.stringify([
          {
            kind: 'http',
            index: 0,
            before: route(50, 50),
            after: route(90, 10),
          },
        ]),
      });
      const { events } = await store.list('component:default/reviews');
      expect(events[0]).toMatchObject({
        status: 'applied',
        before: shown(50, 50),
        after: shown(90, 10),
        routes: [
          {
            kind: 'http',
            index: 0,
            before: shown(50, 50),
            after: shown(90, 10),
          },
        ],
      });
      expect(JSON.stringify(events)).not.toMatch(/s3cr3t|alice/);
      expect(await store.unresolved([reviews])).toEqual([]);
    });

    it('stores only the redacted stanzas', async () => {
      const { knex, store } = await storeFor(databaseId);
      await store.begin(change());
      const rows = await knex('rollout_history').select('before', 'after');
      expect(JSON.stringify(rows)).not.toMatch(/s3cr3t|alice/);
    });

    it('migrates down to the previous schema and up again', async () => {
      const { knex, store } = await storeFor(databaseId);
      await store.add(change());
      const directory = resolvePackagePath(
        '@internal/plugin-istio-rollouts-backend',
        'migrations',
      );
      await knex.migrate.down({
        directory,
        name: '20261207120000_history_outcome.js',
      });
      expect(await knex.schema.hasColumn('rollout_history', 'status')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      expect(
        (await store.list('component:default/reviews')).events.map(
          e => e.status,
        ),
      ).toEqual(['applied']);
    });
  },
);
