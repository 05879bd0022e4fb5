/**
 * The next sensible actions on a route: those its offers allow, in the order that fits its phase, each named by
 * its target. The tab shows them as they come; the backend recomputes them when it replaces an offer (a rollback
 * target from the history), so a button always names what the dry run will show.
 */
import type {
  NextAction,
  RolloutAction,
  RouteOffers,
  RoutePhase,
  RouteState,
} from '../api';
import { listWords } from '../listWords';

/** Which actions come first in each phase: what the route is ready for. */
const ORDER: Record<RoutePhase | 'staged', RolloutAction[]> = {
  canary: ['setWeights', 'promote', 'rollback', 'finish', 'startCanary'],
  promoted: ['finish', 'rollback', 'startCanary', 'setWeights', 'promote'],
  // A destination staged at 0 %: the next step is giving it traffic.
  staged: ['setWeights', 'promote', 'finish', 'rollback', 'startCanary'],
  stable: ['startCanary', 'finish', 'setWeights', 'rollback', 'promote'],
  'blue-green': ['switch', 'setWeights', 'rollback'],
  mirroring: ['setWeights', 'promote', 'rollback', 'finish', 'startCanary'],
};

function named(action: RolloutAction, offers: RouteOffers): NextAction[] {
  switch (action) {
    case 'setWeights':
      return offers.setWeights ? [{ action, label: 'Set weights' }] : [];
    case 'promote':
      return offers.promote
        ? [
            {
              action,
              label: `Promote ${offers.promote.subset}`,
              subset: offers.promote.subset,
            },
          ]
        : [];
    case 'rollback':
      return offers.rollback
        ? [
            {
              action,
              label: `Roll back to ${offers.rollback.subset}`,
              subset: offers.rollback.subset,
            },
          ]
        : [];
    case 'switch':
      return offers.switch
        ? [
            {
              action,
              label: `Switch to ${offers.switch.idle}`,
              subset: offers.switch.idle,
            },
          ]
        : [];
    case 'startCanary':
      return offers.startCanary?.subsets.length
        ? [{ action, label: 'Start canary' }]
        : [];
    case 'finish':
      return offers.finish?.remove.length
        ? [
            {
              action,
              label: `Finish: remove ${listWords(offers.finish.remove)}`,
            },
          ]
        : [];
    default:
      return action satisfies never;
  }
}

/** The next actions of a route in its phase's order (see {@link ORDER}). @public */
export function nextActions(
  state: Pick<RouteState, 'phase' | 'candidateSubset'>,
  offers: RouteOffers,
): NextAction[] {
  const staged = state.phase === 'stable' && state.candidateSubset;
  const order = ORDER[staged ? 'staged' : state.phase];
  return order.flatMap(action => named(action, offers));
}
