import {
  isStepPlanEnded,
  Rollout,
  Route,
  RouteRef,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';

/** Whether a plan's route reference names this route (by index when it has one, else by name). */
function namesRoute(ref: RouteRef, route: Route): boolean {
  if (ref.kind !== route.kind) return false;
  return ref.index !== undefined
    ? ref.index === route.index
    : ref.name === route.name;
}

function isOnRoute(
  record: StepPlanRecord,
  rollout: Rollout,
  route: Route,
): boolean {
  return (
    record.plan.rolloutId === rollout.id && namesRoute(record.plan.route, route)
  );
}

/** The plans of one route, as the server listed them. */
export interface RoutePlans {
  /** The plan running (or paused) on the route: the one the read model names, else one the plans list has on it. */
  active?: StepPlanRecord;
  /** Without an active one: the route's most recent ended plan. */
  ended?: StepPlanRecord;
}

/**
 * Finds a route's plans in the plans answer. The read model's `route.plan.id` decides; a running plan on the
 * route that the read model doesn't name yet (it was read a moment before the plan started) still shows.
 * The server lists running plans first, then ended ones newest first, so the first match is the one to show.
 * Plans are matched by the server's ids and references only: nothing about them is worked out here.
 */
export function routePlans(
  plans: StepPlanRecord[],
  rollout: Rollout,
  route: Route,
): RoutePlans {
  const onRoute = plans.filter(p => isOnRoute(p, rollout, route));
  const active =
    (route.plan && plans.find(p => p.id === route.plan!.id)) ??
    onRoute.find(p => !isStepPlanEnded(p.state));
  // The plans were read after the plan ended: it shows as ended until the read model catches up.
  if (active && isStepPlanEnded(active.state)) return { ended: active };
  if (active) return { active };
  return { ended: onRoute.find(p => isStepPlanEnded(p.state)) };
}
