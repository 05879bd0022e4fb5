import {
  HistoryEvent,
  Rollout,
  SetWeightsRequest,
} from '@internal/plugin-istio-rollouts-common';
import {
  destinationKey,
  destinationsOfStanza,
  formatSplit,
  sharesOf,
} from '../../lib/split';

/** "Revert to this" on a history row: the request it sends, or why it can't. */
export type RevertOffer =
  | { request: SetWeightsRequest; reason?: undefined }
  | { request?: undefined; reason: string };

const sorted = (keys: string[]) => [...keys].sort().join('\n');

/**
 * What "Revert to this" does on a history row: a `setWeights` of the route to
 * the row's `after` split (in whole percent, as the route reads it), on the
 * version of the VirtualService last read — the same request the weight
 * editor sends, previewed as a dry run by the confirmation. Offered only when
 * the row's change reached the cluster, the route still has exactly the
 * destinations of that split and shows another one, and the caller may set
 * its weights (`blocked` says why not); otherwise the reason, in words.
 * Undefined when the row has no split to return to.
 */
export function revertOffer(
  event: HistoryEvent,
  rollouts: Rollout[],
  blocked: (rollout: Rollout) => string | undefined,
): RevertOffer | undefined {
  const target = destinationsOfStanza(event.after);
  if (target.length === 0) return undefined;
  if (event.status !== 'applied') {
    return {
      reason:
        'This change did not reach the cluster (or may not have): only a split the route has had can be restored.',
    };
  }
  const rollout = rollouts.find(r => r.id === event.rolloutId);
  if (!rollout) {
    return {
      reason: `VirtualService ${event.namespace}/${event.virtualService} is not in the last read of ${event.cluster}.`,
    };
  }
  const route = rollout.routes.find(
    r => r.kind === event.route.kind && r.index === event.route.index,
  );
  if (!route || route.delegate) {
    return { reason: 'The route is no longer in the VirtualService.' };
  }
  const now = route.destinations.map(destinationKey);
  const then = target.map(destinationKey);
  if (new Set(then).size !== then.length || sorted(now) !== sorted(then)) {
    return {
      reason: `The route’s destinations have changed since (now ${now.join(
        ', ',
      )}): Revert to this restores weights, not destinations.`,
    };
  }
  const wanted = new Map(sharesOf(target).map(s => [s.key, s.percent]));
  const current = sharesOf(route.destinations);
  if (current.every(s => wanted.get(s.key) === s.percent)) {
    return { reason: `The route has this split now (${formatSplit(target)}).` };
  }
  if (!route.offers.setWeights) {
    return { reason: 'Weights can’t be set on this route.' };
  }
  const reason = blocked(rollout);
  if (reason) return { reason };
  return {
    request: {
      action: 'setWeights',
      rolloutId: rollout.id,
      resourceVersion: rollout.resourceVersion,
      route: { kind: route.kind, index: route.index },
      weights: Object.fromEntries(
        current.map(s => [s.key, wanted.get(s.key)!]),
      ),
    },
  };
}
