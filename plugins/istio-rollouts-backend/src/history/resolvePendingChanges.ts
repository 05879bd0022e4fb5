import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterObjects } from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from './HistoryStore';
import { RESOLVE_GRACE_MS, resolveOutcome } from './resolveOutcome';

/**
 * Gives the entity's recorded changes whose outcome is not known (`pending`:
 * the backend stopped between PATCH and outcome; `unknown`: the PATCH's
 * answer was lost) the outcome the cluster shows, from the VirtualServices a
 * read has just brought: applied, failed (not applied), or, once the grace
 * period is over and still undetermined, unknown. Never throws: the read it
 * rides on must not fail because of it.
 */
export async function resolvePendingChanges(options: {
  history: Pick<HistoryStore, 'unresolved' | 'finish'>;
  objects: ClusterObjects[];
  rolloutIds: string[];
  logger: LoggerService;
  now?: Date;
  graceMs?: number;
}): Promise<void> {
  const { history, objects, rolloutIds, logger } = options;
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? RESOLVE_GRACE_MS;
  try {
    const changes = await history.unresolved(rolloutIds);
    for (const change of changes) {
      const [cluster, namespace, name] = change.rolloutId.split('/');
      const read = objects.find(o => o.cluster === cluster);
      // Not read this time (the cluster failed): decided by a later read.
      if (!read) continue;
      const virtualService = read.virtualServices.find(
        vs =>
          vs.metadata?.name === name &&
          (vs.metadata?.namespace ?? 'default') === namespace,
      );
      const outcome = resolveOutcome({
        change,
        virtualService,
        now,
        graceMs,
      });
      if (outcome === 'applied') {
        await history.finish(change.id, 'applied');
      } else if (outcome === 'not-applied') {
        await history.finish(change.id, 'failed', {
          warning:
            'Not applied: the VirtualService was found unchanged after the write was interrupted.',
        });
      } else if (
        change.status === 'pending' &&
        now.getTime() - Date.parse(change.createdAt) > graceMs
      ) {
        await history.finish(change.id, 'unknown', {
          warning:
            'Whether this change was applied could not be told: the VirtualService has changed since. Compare with the cluster.',
        });
      }
    }
  } catch (e) {
    logger.warn(
      `Could not resolve the outcome of recorded changes of ${
        rolloutIds.length
      } rollouts: ${(e as Error).message}`,
    );
  }
}
