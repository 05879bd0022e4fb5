import type { StepPlanPauseReason, StepPlanState } from '../api/plans';
import type { StepPlanObservation } from './types';
import { describeWeightChange, sameWeights } from './weights';

/**
 * Why the plan must stop, when the route is not as the plan last wrote it (or found it when it started): the
 * route is gone, or its resourceVersion or weights differ. Someone else changed it, and the plan never fights an
 * outside change (Argo Rollouts and Flagger restart on a changed object for the same reason); a person resumes.
 */
export function outsideChange(
  state: StepPlanState,
  observation: StepPlanObservation,
): StepPlanPauseReason | undefined {
  const { route } = observation;
  if (!route) {
    return {
      kind: 'routeMissing',
      message:
        'The route is gone: its VirtualService or the route itself was deleted or renamed.',
    };
  }
  const expected = state.lastWrite;
  const weightsDiffer = !sameWeights(expected.weights, route.weights);
  if (route.resourceVersion === expected.resourceVersion && !weightsDiffer) {
    return undefined;
  }
  const what = weightsDiffer
    ? `weights ${describeWeightChange(expected.weights, route.weights)}`
    : 'the weights are unchanged, something else in the VirtualService changed';
  return {
    kind: 'changedOutside',
    message: `Changed outside the plan${
      observation.changedBy ? ` by ${observation.changedBy}` : ''
    }: resourceVersion ${expected.resourceVersion} → ${
      route.resourceVersion
    }; ${what}. The plan is paused and wrote nothing; resume to continue from the route as it is now.`,
  };
}
