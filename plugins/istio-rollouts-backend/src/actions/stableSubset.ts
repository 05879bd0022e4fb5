import {
  ActionValidationError,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import type { RolloutReadModel } from '../rollouts';

/** The subset a rollback returns to, and where that knowledge came from. */
export interface StableSubset {
  subset: string;
  source: 'history' | 'read model';
}

function routeLabel(route: Route): string {
  return `${route.kind}[${route.index}]${route.name ? ` "${route.name}"` : ''}`;
}

/**
 * Decides where a rollback of `route` sends the traffic: the subset that held
 * it before the candidate got any, from the history when a recorded change
 * tells (it outlives a promote, which makes the read model call the candidate
 * stable), else the stable subset the read model computed from the current
 * split. Either must still be a destination of the route. Without one, the
 * rollback is refused on `action` with the reason.
 */
export async function chooseStableSubset(options: {
  history: Pick<HistoryStore, 'stableSubsetBefore'>;
  rollout: Pick<RolloutReadModel, 'id' | 'stableSubset'>;
  route: Route;
}): Promise<StableSubset> {
  const { history, rollout, route } = options;
  const destinations = new Set(route.destinations.map(d => d.subset ?? d.host));
  const recorded = await history.stableSubsetBefore(rollout.id, {
    kind: route.kind,
    index: route.index,
  });
  if (recorded && destinations.has(recorded)) {
    return { subset: recorded, source: 'history' };
  }
  if (rollout.stableSubset && destinations.has(rollout.stableSubset)) {
    return { subset: rollout.stableSubset, source: 'read model' };
  }
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
