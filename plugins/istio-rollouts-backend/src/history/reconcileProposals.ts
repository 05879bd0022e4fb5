import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterObjects,
  KubeObject,
  PendingGitChange,
} from '@internal/plugin-istio-rollouts-common';
import { sameSplit } from './drift';
import type { GitProposals, ProposedRoute } from './GitProposals';
import { routeKey } from './routeKey';

/** Whether the VirtualService shows every route of a proposal as the change leaves it. */
export function proposalLanded(
  routes: ProposedRoute[],
  virtualService: KubeObject,
): boolean {
  const spec = (virtualService.spec ?? {}) as Record<string, unknown>;
  return routes.every(r => {
    const list = spec[r.kind];
    return Array.isArray(list) && sameSplit(r.after, list[r.index]);
  });
}

/**
 * Reconciles the changes proposed in Git with the VirtualServices a read has
 * just brought: a proposal the cluster now shows is settled as `applied` (so
 * the sync that applied it is Backstage's change landing, not a change made
 * outside, and a later revert is drift from it); one it does not show yet is
 * answered per route, by {@link routeKey}, for the tab's "pending in Git".
 * Runs before drift detection. Never throws: the read it rides on must not
 * fail because of it.
 */
export async function reconcileProposals(options: {
  proposals: Pick<GitProposals, 'waiting' | 'settle'>;
  objects: ClusterObjects[];
  rolloutIds: string[];
  logger: LoggerService;
}): Promise<Map<string, PendingGitChange>> {
  const { proposals, objects, rolloutIds, logger } = options;
  const pending = new Map<string, PendingGitChange>();
  try {
    for (const { event, routes } of await proposals.waiting(rolloutIds)) {
      const read = objects.find(o => o.cluster === event.cluster);
      const virtualService = read?.virtualServices.find(
        vs =>
          vs.metadata?.name === event.virtualService &&
          (vs.metadata?.namespace ?? 'default') === event.namespace,
      );
      // Not read this time (the cluster failed, or the object is gone): a later read decides.
      if (!virtualService) continue;
      if (proposalLanded(routes, virtualService)) {
        await proposals.settle(event.id);
        continue;
      }
      for (const route of routes) {
        const key = routeKey(event.rolloutId, route);
        // Newest first: a route shows its latest proposal.
        if (pending.has(key)) continue;
        pending.set(key, {
          eventId: event.id,
          proposedAt: event.createdAt,
          actor: event.actor,
          summary: event.summary,
          gitops: event.gitops,
        });
      }
    }
  } catch (e) {
    logger.warn(
      `Could not compare the changes proposed in Git for ${
        rolloutIds.length
      } rollouts with the cluster: ${(e as Error).message}`,
    );
  }
  return pending;
}
