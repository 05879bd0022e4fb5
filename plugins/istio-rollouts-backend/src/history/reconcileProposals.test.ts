import { mockServices } from '@backstage/backend-test-utils';
import type {
  ClusterObjects,
  KubeObject,
} from '@internal/plugin-istio-rollouts-common';
import type { WaitingProposal } from './GitProposals';
import { proposalLanded, reconcileProposals } from './reconcileProposals';

const split = (blue: number, green: number) => ({
  route: [
    { destination: { host: 'gorilla', subset: 'blue' }, weight: blue },
    { destination: { host: 'gorilla', subset: 'green' }, weight: green },
  ],
});

const virtualService = (http: unknown[]): KubeObject => ({
  kind: 'VirtualService',
  metadata: { name: 'gorilla', namespace: 'media', resourceVersion: '7' },
  spec: { http },
});

const objects = (vs: KubeObject): ClusterObjects[] => [
  {
    cluster: 'demo-east',
    istioVersion: 'v1',
    virtualServices: [vs],
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [],
  },
];

const link = {
  repositoryUrl: 'https://git.example/mesh.git',
  managedBy: 'Application argocd/gorilla',
  delivery: 'pullRequest' as const,
  branch: 'istio-rollouts/gorilla-1',
  commit: 'c1',
  pullRequest: 12,
  url: 'https://git.example/mesh/pull/12',
};

/** A switch proposed in Git: both routes of the header pair flip. */
const proposal = (id: string): WaitingProposal => ({
  event: {
    id,
    entityRef: 'component:default/gorilla',
    actor: 'user:default/guest',
    createdAt: '2026-12-07T10:00:00.000Z',
    rolloutId: 'demo-east/media/gorilla',
    cluster: 'demo-east',
    namespace: 'media',
    virtualService: 'gorilla',
    route: { kind: 'http', index: 1 },
    action: 'switch',
    status: 'proposed',
    before: split(100, 0),
    after: split(0, 100),
    summary: 'Switch to green',
    gitops: link,
  },
  routes: [
    { kind: 'http', index: 0, after: split(100, 0) },
    { kind: 'http', index: 1, after: split(0, 100) },
  ],
});

describe('proposalLanded', () => {
  const { routes } = proposal('1');

  it('is true when every route the change touches sends traffic as it leaves it, in any order', () => {
    const flipped = split(0, 100);
    flipped.route.reverse();
    expect(
      proposalLanded(routes, virtualService([split(100, 0), flipped])),
    ).toBe(true);
  });

  it('is false while any of its routes still differs, or is gone', () => {
    expect(
      proposalLanded(routes, virtualService([split(100, 0), split(100, 0)])),
    ).toBe(false);
    expect(proposalLanded(routes, virtualService([split(100, 0)]))).toBe(false);
  });
});

describe('reconcileProposals', () => {
  const logger = mockServices.logger.mock();

  function store(waiting: WaitingProposal[]) {
    return {
      waiting: jest.fn(async () => waiting),
      settle: jest.fn(async () => true),
    };
  }

  it('answers a proposal the cluster does not show yet on each of its routes, and settles nothing', async () => {
    const proposals = store([proposal('5')]);
    const pending = await reconcileProposals({
      proposals,
      objects: objects(virtualService([split(0, 100), split(100, 0)])),
      rolloutIds: ['demo-east/media/gorilla'],
      logger,
    });
    const expected = {
      eventId: '5',
      proposedAt: '2026-12-07T10:00:00.000Z',
      actor: 'user:default/guest',
      summary: 'Switch to green',
      gitops: link,
    };
    expect([...pending]).toEqual([
      ['demo-east/media/gorilla|http|0', expected],
      ['demo-east/media/gorilla|http|1', expected],
    ]);
    expect(proposals.settle).not.toHaveBeenCalled();
  });

  it('settles a proposal the cluster shows, and leaves one of a cluster not read this time for a later read', async () => {
    const shown = store([proposal('5')]);
    const pending = await reconcileProposals({
      proposals: shown,
      objects: objects(virtualService([split(100, 0), split(0, 100)])),
      rolloutIds: ['demo-east/media/gorilla'],
      logger,
    });
    expect(pending.size).toBe(0);
    expect(shown.settle).toHaveBeenCalledWith('5');

    const unread = store([proposal('6')]);
    expect(
      (
        await reconcileProposals({
          proposals: unread,
          objects: [],
          rolloutIds: ['demo-east/media/gorilla'],
          logger,
        })
      ).size,
    ).toBe(0);
    expect(unread.settle).not.toHaveBeenCalled();
  });

  it('never fails the read it rides on', async () => {
    const broken = {
      waiting: jest.fn(async () => {
        throw new Error('database is gone');
      }),
      settle: jest.fn(),
    };
    await expect(
      reconcileProposals({
        proposals: broken,
        objects: [],
        rolloutIds: ['demo-east/media/gorilla'],
        logger,
      }),
    ).resolves.toEqual(new Map());
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database is gone'),
    );
  });
});
