import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { storeTestDatabases } from '../__testUtils__/testDatabases';
import { HistoryStore, NewHistoryEvent } from './HistoryStore';

const databases = storeTestDatabases();

const route = (weights: Array<[string, number | undefined]>) => ({
  match: [{ uri: { prefix: '/reviews' } }],
  route: weights.map(([subset, weight]) => ({
    destination: { host: 'reviews', subset },
    ...(weight === undefined ? {} : { weight }),
  })),
  retries: { attempts: 3 },
});

/** A route as the history keeps it: what the read model shows, nothing else. */
const shown = (weights: Array<[string, number | undefined]>) => {
  const { match: _match, retries: _retries, ...kept } = route(weights);
  return kept;
};

const event = (overrides: Partial<NewHistoryEvent> = {}): NewHistoryEvent => ({
  entityRef: 'component:default/reviews',
  actor: 'user:default/guest',
  rolloutId: 'demo-east/bookinfo/reviews',
  cluster: 'demo-east',
  namespace: 'bookinfo',
  virtualService: 'reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  action: 'setWeights',
  before: route([
    ['v1', 50],
    ['v2', 50],
  ]),
  after: route([
    ['v1', 90],
    ['v2', 10],
  ]),
  summary: 'reviews-route: v1 50→90, v2 50→10',
  ...overrides,
});

async function storeFor(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return HistoryStore.create(mockServices.database({ knex }));
}

describe.each(databases.eachSupportedId())('HistoryStore on %s', databaseId => {
  it('records an applied change and reads it back, with before, after and reason', async () => {
    const store = await storeFor(databaseId);
    const added = await store.add(
      event({ reason: 'error rate is flat', warning: 'Argo CD may revert' }),
    );
    expect(added.id).toMatch(/^\d+$/);

    const { events, nextCursor } = await store.list(
      'component:default/reviews',
    );
    expect(nextCursor).toBeUndefined();
    expect(events).toEqual([added]);
    expect(events[0]).toMatchObject({
      actor: 'user:default/guest',
      route: { kind: 'http', index: 0, name: 'reviews-route' },
      status: 'applied',
      before: shown([
        ['v1', 50],
        ['v2', 50],
      ]),
      after: shown([
        ['v1', 90],
        ['v2', 10],
      ]),
      reason: 'error rate is flat',
      warning: 'Argo CD may revert',
    });
    expect(Date.parse(events[0].createdAt)).not.toBeNaN();
  });

  it('pages an entity history newest first and keeps other entities apart', async () => {
    const store = await storeFor(databaseId);
    for (let i = 0; i < 5; i++) {
      await store.add(event({ summary: `change ${i}` }));
    }
    await store.add(
      event({ entityRef: 'component:default/foobar', summary: 'other' }),
    );

    const first = await store.list('component:default/reviews', { limit: 2 });
    expect(first.events.map(e => e.summary)).toEqual(['change 4', 'change 3']);
    const second = await store.list('component:default/reviews', {
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.events.map(e => e.summary)).toEqual(['change 2', 'change 1']);
    const last = await store.list('component:default/reviews', {
      limit: 2,
      cursor: second.nextCursor,
    });
    expect(last.events.map(e => e.summary)).toEqual(['change 0']);
    expect(last.nextCursor).toBeUndefined();
  });

  it('finds the subset that held all traffic before the latest rollout began', async () => {
    const store = await storeFor(databaseId);
    expect(
      await store.stableSubsetBefore('demo-east/bookinfo/reviews', {
        kind: 'http',
        index: 0,
      }),
    ).toBeUndefined();

    // v1 alone → canary v2 at 10 → 50/50: the stable subset is v1.
    await store.add(
      event({
        before: route([['v1', undefined]]),
        after: route([
          ['v1', 90],
          ['v2', 10],
        ]),
      }),
    );
    await store.add(
      event({
        before: route([
          ['v1', 90],
          ['v2', 10],
        ]),
        after: route([
          ['v1', 50],
          ['v2', 50],
        ]),
      }),
    );
    expect(
      await store.stableSubsetBefore('demo-east/bookinfo/reviews', {
        kind: 'http',
        index: 0,
      }),
    ).toBe('v1');

    // Promoted to v2, then a new canary v3 starts from v2 at 100.
    await store.add(
      event({
        before: route([
          ['v1', 0],
          ['v2', 100],
        ]),
        after: route([
          ['v2', 80],
          ['v3', 20],
        ]),
      }),
    );
    expect(
      await store.stableSubsetBefore('demo-east/bookinfo/reviews', {
        kind: 'http',
        index: 0,
      }),
    ).toBe('v2');
    // Other routes have their own history.
    expect(
      await store.stableSubsetBefore('demo-east/bookinfo/reviews', {
        kind: 'http',
        index: 1,
      }),
    ).toBeUndefined();
  });

  it('skips rollbacks, which end a rollout rather than start one', async () => {
    const store = await storeFor(databaseId);
    const id = 'demo-east/bookinfo/reviews';
    const http0 = { kind: 'http' as const, index: 0 };
    // v1 alone → canary v2 → promoted → rolled back to v1: stable stays v1.
    await store.add(
      event({
        before: route([['v1', undefined]]),
        after: route([
          ['v1', 90],
          ['v2', 10],
        ]),
      }),
    );
    await store.add(
      event({
        action: 'promote',
        before: route([
          ['v1', 90],
          ['v2', 10],
        ]),
        after: route([
          ['v1', 0],
          ['v2', 100],
        ]),
      }),
    );
    await store.add(
      event({
        action: 'rollback',
        before: route([
          ['v1', 0],
          ['v2', 100],
        ]),
        after: route([
          ['v1', 100],
          ['v2', 0],
        ]),
      }),
    );
    expect(await store.stableSubsetBefore(id, http0)).toBe('v1');
  });

  it('falls back to the heaviest subset of the oldest recorded state when the rollout began before the history', async () => {
    const store = await storeFor(databaseId);
    const id = 'demo-east/bookinfo/reviews';
    // reviews starts at 50/50 (ties: the first listed), is moved to 80/20, then promoted.
    await store.add(
      event({
        before: route([
          ['v1', 50],
          ['v2', 50],
        ]),
        after: route([
          ['v1', 80],
          ['v2', 20],
        ]),
      }),
    );
    await store.add(
      event({
        action: 'promote',
        before: route([
          ['v1', 80],
          ['v2', 20],
        ]),
        after: route([
          ['v1', 0],
          ['v2', 100],
        ]),
      }),
    );
    expect(await store.stableSubsetBefore(id, { kind: 'http', index: 0 })).toBe(
      'v1',
    );

    const other = 'demo-west/bookinfo/reviews';
    await store.add(
      event({
        rolloutId: other,
        before: route([
          ['v1', 20],
          ['v2', 80],
        ]),
        after: route([
          ['v1', 10],
          ['v2', 90],
        ]),
      }),
    );
    expect(
      await store.stableSubsetBefore(other, { kind: 'http', index: 0 }),
    ).toBe('v2');
  });

  it('lists the routes with an applied change, once each, only for the rollouts asked', async () => {
    const store = await storeFor(databaseId);
    await store.add(event());
    await store.add(event());
    await store.add(event({ route: { kind: 'tcp', index: 1 } }));
    await store.add(event({ rolloutId: 'demo-west/bookinfo/reviews' }));
    await store.begin({
      ...event({ rolloutId: 'demo-east/bookinfo/pending' }),
      objects: [],
      resourceVersion: '1',
    });
    const routes = await store.routesWithHistory([
      'demo-east/bookinfo/reviews',
      'demo-east/bookinfo/pending',
    ]);
    expect(routes.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { rolloutId: 'demo-east/bookinfo/reviews', kind: 'http', index: 0 },
      { rolloutId: 'demo-east/bookinfo/reviews', kind: 'tcp', index: 1 },
    ]);
    expect(await store.routesWithHistory([])).toEqual([]);
  });

  it('keeps every route a switch touched, without the header values they match', async () => {
    const store = await storeFor(databaseId);
    const to = (subset: string) => [{ destination: { host: 'web', subset } }];
    const header = { headers: { 'x-deploy': { exact: 'green' } } };
    const routes = [
      {
        kind: 'http' as const,
        index: 0,
        name: 'green-by-header',
        before: {
          name: 'green-by-header',
          match: [header],
          route: to('green'),
        },
        after: { name: 'green-by-header', match: [header], route: to('blue') },
      },
      {
        kind: 'http' as const,
        index: 1,
        name: 'default',
        before: { name: 'default', route: to('blue') },
        after: { name: 'default', route: to('green') },
      },
    ];
    const added = await store.add(event({ action: 'switch', routes }));
    const { events } = await store.list('component:default/reviews');
    expect(events).toEqual([added]);
    expect(events[0].routes).toEqual([
      {
        ...routes[0],
        before: { name: 'green-by-header', route: to('green') },
        after: { name: 'green-by-header', route: to('blue') },
      },
      routes[1],
    ]);
  });

  it('keeps its rows when the store is created again, as after a restart', async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    await (await HistoryStore.create(database)).add(event());
    const reopened = await HistoryStore.create(database);
    expect(
      (await reopened.list('component:default/reviews')).events,
    ).toHaveLength(1);
  });
});
