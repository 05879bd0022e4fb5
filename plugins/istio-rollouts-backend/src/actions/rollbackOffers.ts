import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterObjects,
  nextActions,
  rollbackOfferOn,
  rollbackTarget,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';

/**
 * The rollouts with the rollback each route would really do. The read model
 * offers a rollback to its stable subset; where the history records the
 * subset that held all of a route's traffic before its latest rollout began
 * (after a promote, the read model calls the new subset stable), a rollback
 * returns there instead — `chooseStableSubset` decides the action by the same
 * rule — so the button names the subset the dry run will show. One query
 * finds the routes with history, then one per such route. The read models
 * are shared with other reads and never changed: a changed rollout is a copy.
 * A failing history leaves the read model's offers (and says so in the log).
 */
export async function withRecordedRollbacks<
  T extends RolloutReadModel,
>(options: {
  history: Pick<HistoryStore, 'routesWithHistory' | 'stableSubsetBefore'>;
  objects: ClusterObjects[];
  rollouts: T[];
  logger?: LoggerService;
}): Promise<T[]> {
  const { history, objects, rollouts, logger } = options;
  try {
    const routes = await history.routesWithHistory(rollouts.map(r => r.id));
    const result = [...rollouts];
    for (const { rolloutId, kind, index } of routes) {
      const at = result.findIndex(r => r.id === rolloutId);
      const rollout = result[at];
      const route = rollout?.routes.find(
        r => r.kind === kind && r.index === index,
      );
      if (!route) continue;
      const recorded = await history.stableSubsetBefore(rolloutId, {
        kind,
        index,
      });
      const target = rollbackTarget(route, {
        recorded,
        stableSubset: route.state.stableSubset,
      });
      // The read model's own target: its offer is right already.
      if (target?.source !== 'history') continue;
      const cluster = objects.find(o => o.cluster === rollout.cluster);
      const virtualService = cluster?.virtualServices.find(
        vs =>
          vs.metadata?.name === rollout.name &&
          (vs.metadata?.namespace ?? 'default') === rollout.namespace,
      );
      if (!cluster || !virtualService) continue;
      const rollback = rollbackOfferOn(
        {
          virtualService,
          destinationRules: cluster.destinationRules,
          deployments: cluster.deployments,
        },
        { kind, index },
        target,
      );
      const { rollback: _readModels, ...others } = route.offers;
      const offers = { ...others, ...(rollback && { rollback }) };
      // The next actions name the rollback's target: recomputed with it.
      const state = { ...route.state, next: nextActions(route.state, offers) };
      result[at] = {
        ...rollout,
        routes: rollout.routes.map(r =>
          r === route ? { ...r, offers, state } : r,
        ),
      };
    }
    return result;
  } catch (e) {
    logger?.warn(
      `Could not read the history for the rollback offers of ${
        rollouts.length
      } rollouts; offering the read model's: ${(e as Error).message}`,
    );
    return rollouts;
  }
}
