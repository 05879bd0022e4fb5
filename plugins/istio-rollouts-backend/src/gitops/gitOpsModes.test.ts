import { mockServices } from '@backstage/backend-test-utils';
import type {
  ClusterObjects,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import type { ClusterClient } from '../kubernetes';
import type { GitOpsRoute } from './GitOpsChanges';
import { GITOPS_MODE_TTL_MS, GitOpsModes, ownerGitOpsOf } from './gitOpsModes';

const rollout = (owner?: RolloutReadModel['owner']) =>
  ({
    id: 'demo-east/media/gorilla',
    cluster: 'demo-east',
    namespace: 'media',
    name: 'gorilla',
    routes: [],
    findings: [],
    ...(owner && { owner }),
  } as unknown as RolloutReadModel);

const argo = { kind: 'ArgoCD', name: 'gorilla', effect: 'may-revert' } as const;

const objects = (resourceVersion: string): ClusterObjects[] => [
  {
    cluster: 'demo-east',
    istioVersion: 'v1',
    virtualServices: [
      {
        kind: 'VirtualService',
        metadata: { name: 'gorilla', namespace: 'media', resourceVersion },
      },
    ],
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [],
  },
];

const toGit: GitOpsRoute = {
  to: 'git',
  source: { repoUrl: 'https://git.example/mesh.git' } as any,
  repository: { delivery: 'pullRequest' } as any,
};

describe('ownerGitOpsOf', () => {
  it('says where each route of an action goes', () => {
    expect(ownerGitOpsOf(toGit)).toEqual({
      changesGoTo: 'git',
      repositoryUrl: 'https://git.example/mesh.git',
      delivery: 'pullRequest',
    });
    expect(ownerGitOpsOf({ to: 'text', reason: 'A Helm chart.' })).toEqual({
      changesGoTo: 'text',
      note: 'A Helm chart.',
    });
    expect(ownerGitOpsOf({ to: 'cluster', note: 'allowDirectPatch' })).toEqual({
      changesGoTo: 'cluster',
      note: 'allowDirectPatch',
    });
  });
});

describe('GitOpsModes', () => {
  function setup(route: () => Promise<GitOpsRoute>) {
    let now = 0;
    const changes = { route: jest.fn(route) };
    const logger = mockServices.logger.mock();
    const modes = new GitOpsModes({
      changes,
      clientOf: async () => ({} as ClusterClient),
      logger,
      now: () => now,
    });
    return { modes, changes, logger, advance: (ms: number) => (now += ms) };
  }

  it('sets owner.gitops on rollouts a GitOps tool tracks only, and looks each up once per version and minute', async () => {
    const { modes, changes, advance } = setup(async () => toGit);
    const controller = rollout({ kind: 'Flagger', effect: 'refuses-edits' });
    const [tracked, plain, refused] = await modes.annotate(
      [rollout(argo), rollout(), controller],
      objects('1'),
    );
    expect(tracked.owner?.gitops?.changesGoTo).toBe('git');
    expect(plain.owner).toBeUndefined();
    expect(refused).toBe(controller);
    expect(changes.route).toHaveBeenCalledTimes(1);

    await modes.annotate([rollout(argo)], objects('1'));
    expect(changes.route).toHaveBeenCalledTimes(1);
    await modes.annotate([rollout(argo)], objects('2'));
    expect(changes.route).toHaveBeenCalledTimes(2);
    advance(GITOPS_MODE_TTL_MS);
    await modes.annotate([rollout(argo)], objects('2'));
    expect(changes.route).toHaveBeenCalledTimes(3);
  });

  it('leaves a rollout as it is when the lookup fails, and says why in the log', async () => {
    const { modes, logger } = setup(async () => {
      throw new Error('applications.argoproj.io is forbidden');
    });
    const tracked = rollout(argo);
    const [answered] = await modes.annotate([tracked], objects('1'));
    expect(answered).toBe(tracked);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('applications.argoproj.io is forbidden'),
    );
  });
});
