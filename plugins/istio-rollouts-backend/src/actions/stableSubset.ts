import {
  ActionValidationError,
  RollbackTarget,
  rollbackTarget,
  RolloutReadModel,
  Route,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';

/** The subset a rollback returns to, and where that knowledge came from. */
export type StableSubset = RollbackTarget;

/** Where a stable subset came from, in a sentence. */
export const STABLE_SOURCE_WORDS: Record<StableSubset['source'], string> = {
  history: 'history',
  readModel: 'read model',
};

/**
 * Decides where a rollback of `route` sends the traffic, by common's
 * `rollbackTarget` (the rule the read model's rollback offers follow): the
 * subset the history recorded as holding it before the candidate got any,
 * else the route's stable subset in the read model, either still a destination of the
 * route. Without one, the rollback is refused on `action` with the reason.
 */
export async function chooseStableSubset(options: {
  history: Pick<HistoryStore, 'stableSubsetBefore'>;
  rollout: Pick<RolloutReadModel, 'id'>;
  route: Pick<Route, 'kind' | 'index' | 'name' | 'destinations' | 'state'>;
}): Promise<StableSubset> {
  const { history, rollout, route } = options;
  const recorded = await history.stableSubsetBefore(rollout.id, {
    kind: route.kind,
    index: route.index,
  });
  const target = rollbackTarget(route, {
    recorded,
    stableSubset: route.state.stableSubset,
  });
  if (target) return target;
  const stale = recorded
    ? ` (the history names "${recorded}", which is no longer a destination of the route)`
    : '';
  throw new ActionValidationError(
    'action',
    `rollback needs a stable subset to return to, and route ${routeLabel(
      route,
    )} has none: no recorded change of it started from one subset holding all the traffic${stale}, ` +
      `and its current split names no stable subset. Use setWeights or promote to choose where the traffic goes.`,
  );
}
