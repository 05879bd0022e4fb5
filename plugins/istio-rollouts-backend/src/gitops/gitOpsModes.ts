import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterObjects,
  OwnerGitOps,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import type { ClusterClient } from '../kubernetes';
import type { GitOpsChanges, GitOpsRoute } from './GitOpsChanges';

/** How long where a VirtualService's changes go is remembered: an Application's source rarely moves. */
export const GITOPS_MODE_TTL_MS = 60_000;
/** How long finding it may take on a read: a read or two of the cluster. */
const LOOKUP_TIMEOUT_MS = 5_000;

/** Where an action's change goes, as the tab says it. */
export function ownerGitOpsOf(route: GitOpsRoute): OwnerGitOps {
  switch (route.to) {
    case 'git':
      return {
        changesGoTo: 'git',
        repositoryUrl: route.source.repoUrl,
        delivery: route.repository.delivery,
      };
    case 'text':
      return { changesGoTo: 'text', note: route.reason };
    default:
      return {
        changesGoTo: 'cluster',
        ...(route.note && { note: route.note }),
      };
  }
}

/**
 * GitOps mode on the tab: for each rollout Argo CD or Flux tracks, where an
 * action's change goes (a commit, the cluster, or only text), from the same
 * lookup an action makes — the cluster's Application or Kustomization and
 * `istioRollouts.gitops` — so the card says what its buttons will do.
 * Remembered per VirtualService version for a minute: the lookup reads the
 * cluster. A lookup that fails leaves the rollout as it is.
 */
export class GitOpsModes {
  /** Per rollout: the mode found at one version of its VirtualService. */
  private readonly known = new Map<
    string,
    { version?: string; mode: OwnerGitOps; at: number }
  >();
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      changes: Pick<GitOpsChanges, 'route'>;
      /** The client of a configured cluster; undefined for one that is gone. */
      clientOf(cluster: string): Promise<ClusterClient | undefined>;
      logger: LoggerService;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** The rollouts, each one Argo CD or Flux tracks with `owner.gitops` set; changed rollouts are copies. */
  async annotate<T extends RolloutReadModel>(
    rollouts: T[],
    objects: ClusterObjects[],
  ): Promise<T[]> {
    return Promise.all(
      rollouts.map(async rollout => {
        if (rollout.owner?.effect !== 'may-revert' || rollout.stale) {
          return rollout;
        }
        const mode = await this.modeOf(rollout, objects);
        return mode
          ? { ...rollout, owner: { ...rollout.owner, gitops: mode } }
          : rollout;
      }),
    );
  }

  private async modeOf(
    rollout: RolloutReadModel,
    objects: ClusterObjects[],
  ): Promise<OwnerGitOps | undefined> {
    const virtualService = objects
      .find(o => o.cluster === rollout.cluster)
      ?.virtualServices.find(
        vs =>
          vs.metadata?.name === rollout.name &&
          (vs.metadata?.namespace ?? 'default') === rollout.namespace,
      );
    if (!virtualService) return undefined;
    const version = virtualService.metadata?.resourceVersion;
    const known = this.known.get(rollout.id);
    if (
      known &&
      known.version === version &&
      this.now() - known.at < GITOPS_MODE_TTL_MS
    ) {
      return known.mode;
    }
    try {
      const client = await this.deps.clientOf(rollout.cluster);
      if (!client) return undefined;
      const mode = ownerGitOpsOf(
        await this.deps.changes.route(
          client,
          virtualService,
          AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
        ),
      );
      this.known.set(rollout.id, { version, mode, at: this.now() });
      return mode;
    } catch (e) {
      this.deps.logger.warn(
        `Could not tell where changes of ${rollout.id} go (GitOps mode): ${
          (e as Error).message
        }`,
      );
      return undefined;
    }
  }
}
