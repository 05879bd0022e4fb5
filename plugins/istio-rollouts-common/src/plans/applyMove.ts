import type { StepPlan, StepPlanState } from '../api/plans';
import type { StepPlanMove } from './types';
import { nextStep } from './transitions';

/** What the runner reports after carrying out a move. */
export interface StepPlanMoveOutcome {
  now: string;
  /** The VirtualService's resourceVersion after the runner's write (`setWeights`, `rollback`). */
  resourceVersion?: string;
}

/**
 * The plan's state once the runner has carried out `move` (written the weights, recorded the measurement, …).
 * A `setWeights` completes its step (or, past the last step, leaves the plan to finish at the next tick) and
 * records the write, so the next tick can tell the plan's own write from anyone else's. A write the cluster
 * refused (409) is no outcome: the runner records a `changedOutside` pause instead.
 * @public
 */
export function applyStepPlanMove(
  plan: StepPlan,
  state: StepPlanState,
  move: StepPlanMove,
  outcome: StepPlanMoveOutcome,
): StepPlanState {
  const { now } = outcome;
  const written = (weights: Record<string, number>) => {
    if (outcome.resourceVersion === undefined) {
      throw new TypeError(
        `a ${move.type} move needs the resourceVersion the write left`,
      );
    }
    return {
      resourceVersion: outcome.resourceVersion,
      weights: { ...state.lastWrite.weights, ...weights },
      at: now,
    };
  };
  switch (move.type) {
    case 'setWeights': {
      const after = { ...state, lastWrite: written(move.weights) };
      return state.stepIndex < plan.steps.length ? nextStep(after, now) : after;
    }
    case 'wait':
      return state;
    case 'analyze':
      return { ...state, analyses: [...state.analyses, move.result] };
    case 'advance':
      return nextStep(state, now);
    case 'pause': {
      // An abort the route's change interrupted is dropped with the rest: the person decides again.
      const { abort: _, ...rest } = state;
      return {
        ...rest,
        status: 'paused',
        pause: { ...move.reason, since: now },
      };
    }
    case 'rollback':
      return {
        ...state,
        status: state.status === 'aborting' ? 'aborted' : 'rolledBack',
        lastWrite: written(move.weights),
        end: { at: now, reason: move.reason },
      };
    case 'done':
      return state.end
        ? state
        : {
            ...state,
            status: 'completed',
            end: { at: now, reason: 'every step done' },
          };
    default:
      return move satisfies never;
  }
}
