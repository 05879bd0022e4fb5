import type {
  StepPlan,
  StepPlanRouteVersion,
  StepPlanState,
} from '../api/plans';
import { ActionValidationError } from '../actions/ActionValidationError';

/**
 * The state of a plan that starts now on the route as the person saw it. Refuses a route without the plan's two
 * subsets, or where another destination carries traffic: the plan only moves traffic between its two subsets.
 * @public
 */
export function startStepPlanState(
  plan: StepPlan,
  route: StepPlanRouteVersion,
  now: string,
): StepPlanState {
  for (const field of ['stableSubset', 'canarySubset'] as const) {
    if (!(plan[field] in route.weights)) {
      throw new ActionValidationError(
        field,
        `must be a destination of the route, got "${
          plan[field]
        }"; the route has ${
          Object.keys(route.weights)
            .map(k => `"${k}"`)
            .join(', ') || 'none'
        }`,
      );
    }
  }
  const other = Object.entries(route.weights).find(
    ([key, weight]) =>
      key !== plan.stableSubset && key !== plan.canarySubset && weight > 0,
  );
  if (other) {
    throw new ActionValidationError(
      'route',
      `must send traffic only to "${plan.stableSubset}" and "${plan.canarySubset}": "${other[0]}" has weight ${other[1]}`,
    );
  }
  return {
    status: 'running',
    startedAt: now,
    stepIndex: 0,
    stepStartedAt: now,
    stepPausedMs: 0,
    pausedMs: 0,
    analyses: [],
    lastWrite: { ...route, weights: { ...route.weights }, at: now },
  };
}
