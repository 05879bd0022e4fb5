import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { storeTestDatabases } from '../__testUtils__/testDatabases';
import { HistoryStore, NewHistoryEvent } from './HistoryStore';

const databases = storeTestDatabases();

const split = (blue: number, green: number) => ({
  route: [
    { destination: { host: 'gorilla', subset: 'blue' }, weight: blue },
    { destination: { host: 'gorilla', subset: 'green' }, weight: green },
  ],
});

const gitops = (commit: string) => ({
  repositoryUrl: 'https://git.example/mesh.git',
  managedBy: 'Application argocd/gorilla',
  delivery: 'branch' as const,
  branch: `istio-rollouts/gorilla-${commit}`,
  commit,
});

const change = (overrides: Partial<NewHistoryEvent> = {}): NewHistoryEvent => ({
  entityRef: 'component:default/gorilla',
  actor: 'user:default/guest',
  rolloutId: 'demo-east/media/gorilla',
  cluster: 'demo-east',
  namespace: 'media',
  virtualService: 'gorilla',
  route: { kind: 'http', index: 1 },
  action: 'setWeights',
  before: split(100, 0),
  after: split(90, 10),
  summary: 'default: blue 100→90, green 0→10',
  ...overrides,
});

async function storeFor(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return HistoryStore.create(mockServices.database({ knex }));
}

describe.each(databases.eachSupportedId())('GitProposals on %s', databaseId => {
  it('answers a proposal as waiting, with every route it touches, until it is settled once', async () => {
    const history = await storeFor(databaseId);
    const routes = [
      {
        kind: 'http' as const,
        index: 0,
        before: split(0, 100),
        after: split(100, 0),
      },
      {
        kind: 'http' as const,
        index: 1,
        before: split(100, 0),
        after: split(0, 100),
      },
    ];
    const proposed = await history.proposals.propose({
      ...change({ action: 'switch', routes }),
      gitops: gitops('c1'),
    });
    expect(proposed.status).toBe('proposed');

    const [waiting] = await history.proposals.waiting([
      'demo-east/media/gorilla',
    ]);
    expect(waiting.event).toEqual(proposed);
    expect(waiting.routes).toEqual([
      { kind: 'http', index: 0, after: split(100, 0) },
      { kind: 'http', index: 1, after: split(0, 100) },
    ]);
    expect(
      await history.proposals.waiting(['demo-west/media/gorilla']),
    ).toEqual([]);

    expect(await history.proposals.settle(proposed.id)).toBe(true);
    // Another replica settling the same proposal moves nothing.
    expect(await history.proposals.settle(proposed.id)).toBe(false);
    expect(
      await history.proposals.waiting(['demo-east/media/gorilla']),
    ).toEqual([]);
    const { events } = await history.list('component:default/gorilla');
    expect(events[0]).toMatchObject({
      status: 'applied',
      gitops: gitops('c1'),
    });
  });

  it('stops answering a proposal once a later change of its route is made through Backstage, not for outside changes or other routes', async () => {
    const history = await storeFor(databaseId);
    const first = await history.proposals.propose({
      ...change(),
      gitops: gitops('c1'),
    });
    await history.add(change({ route: { kind: 'http', index: 0 } }));
    await history.recordOutsideChange({
      ...change({ after: split(50, 50) }),
      outside: { resourceVersion: '42', by: 'kubectl-edit' },
    });
    const ids = async () =>
      (await history.proposals.waiting(['demo-east/media/gorilla'])).map(
        w => w.event.id,
      );
    expect(await ids()).toEqual([first.id]);

    // Proposed again: the newer one is the route's intent.
    const second = await history.proposals.propose({
      ...change(),
      gitops: gitops('c2'),
    });
    expect(await ids()).toEqual([second.id]);

    // Changed directly (a plan, or a repository that allows it): no proposal waits.
    await history.add(change());
    expect(await ids()).toEqual([]);
  });
});
