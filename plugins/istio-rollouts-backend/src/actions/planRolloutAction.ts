import {
  ActionPlan,
  ActionRequest,
  ActionValidationError,
  planAction,
  Route,
  RouteRef,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import type { RolloutTarget } from './loadRolloutTarget';
import { promotedSubset } from './promotion';
import { chooseStableSubset, STABLE_SOURCE_WORDS } from './stableSubset';

type History = Pick<HistoryStore, 'stableSubsetBefore'>;

/** The read model's route a reference names (by index, else by name), if any. */
function findRoute(
  target: RolloutTarget,
  ref: RouteRef | undefined,
): Route | undefined {
  return target.rollout.routes.find(
    r =>
      ref?.kind === r.kind &&
      (ref.index !== undefined ? ref.index === r.index : ref.name === r.name),
  );
}

/** The route's stable subset as a roll back would choose it, or undefined when it has none. */
async function stableSubsetOf(
  history: History,
  target: RolloutTarget,
  route: Route,
): Promise<string | undefined> {
  try {
    return (
      await chooseStableSubset({ history, rollout: target.rollout, route })
    ).subset;
  } catch (e) {
    if (e instanceof ActionValidationError) return undefined;
    throw e;
  }
}

/**
 * Plans an action on its target with the pure planner; for a rollback, with
 * the stable subset it returns to (from the history, else the read model).
 */
export async function planRolloutAction(options: {
  history: History;
  target: RolloutTarget;
  request: ActionRequest;
}): Promise<ActionPlan> {
  const { history, target, request } = options;
  const planned = (stableSubset?: string) =>
    planAction({
      virtualService: target.virtualService,
      destinationRules: target.objects.destinationRules,
      deployments: target.objects.deployments,
      request,
      stableSubset,
    });
  if (request.action !== 'rollback') return planned();

  const route = findRoute(target, request.route);
  // An unknown route is the planner's to explain.
  if (!route) return planned();
  const stable = await chooseStableSubset({
    history,
    rollout: target.rollout,
    route,
  });
  let plan: ActionPlan;
  try {
    plan = planned(stable.subset);
  } catch (e) {
    // The caller never sent `stableSubset`: say where it came from.
    if (e instanceof ActionValidationError && e.field === 'stableSubset') {
      throw new ActionValidationError(
        'action',
        `cannot roll back to the stable subset "${stable.subset}" (from the ${
          STABLE_SOURCE_WORDS[stable.source]
        }): ${e.reason}`,
      );
    }
    throw e;
  }
  return {
    ...plan,
    summary: `${plan.summary} (stable subset ${stable.subset}, from the ${
      STABLE_SOURCE_WORDS[stable.source]
    })`,
  };
}

/**
 * The subset a plan promotes, if it promotes one: after it, one subset other
 * than its route's stable subset takes all of a route's traffic (see
 * `promotion.ts`). Such a plan needs `.traffic.promote`, whichever action
 * asked for it.
 */
export async function promotionOf(options: {
  history: History;
  target: RolloutTarget;
  plan: ActionPlan;
}): Promise<string | undefined> {
  const { history, target, plan } = options;
  for (const change of plan.routes) {
    // Only a change that leaves one subset with everything can be one: ask
    // the history for the stable subset only then.
    if (promotedSubset(change, undefined) === undefined) continue;
    const route = findRoute(target, change);
    const stable = route
      ? await stableSubsetOf(history, target, route)
      : undefined;
    const promoted = promotedSubset(change, stable);
    if (promoted !== undefined) return promoted;
  }
  return undefined;
}
