import type { StepPlanState } from '../api/plans';
import { between } from './clock';

/** The next step starts now, with its own clock. */
export function nextStep(state: StepPlanState, now: string): StepPlanState {
  return {
    ...state,
    stepIndex: state.stepIndex + 1,
    stepStartedAt: now,
    stepPausedMs: 0,
  };
}

/** The current step starts over now: an analysis resumed after it paused the plan measures afresh. */
export function restartStep(state: StepPlanState, now: string): StepPlanState {
  return { ...state, stepStartedAt: now, stepPausedMs: 0 };
}

/** Running again: the time spent paused is added to the step's and the plan's paused time, never to progress. */
export function unpause(state: StepPlanState, now: string): StepPlanState {
  if (!state.pause) return state;
  const paused = between(state.pause.since, now);
  const { pause: _, ...rest } = state;
  return {
    ...rest,
    status: 'running',
    pausedMs: state.pausedMs + paused,
    stepPausedMs: state.stepPausedMs + paused,
  };
}
