import type { StepPlanState } from '../api/plans';

/** Milliseconds since the epoch of an ISO 8601 time; throws on anything else, so a bad clock never passes silently. */
export function millisOf(time: string): number {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO 8601 time: ${time}`);
  return ms;
}

/** The ISO 8601 time `ms` after `time`. */
export function later(time: string, ms: number): string {
  return new Date(millisOf(time) + ms).toISOString();
}

/** Milliseconds from `from` to `to` (0 when `to` is earlier: a clock that steps back never makes time negative). */
export function between(from: string, to: string): number {
  return Math.max(0, millisOf(to) - millisOf(from));
}

/**
 * How long the current step has been running at `now`, without the time it spent paused (argo-rollouts#1225:
 * a pause must not count toward a step's duration). While paused, the clock stands still at the pause.
 */
export function activeStepMs(state: StepPlanState, now: string): number {
  const until = state.pause ? state.pause.since : now;
  return Math.max(0, between(state.stepStartedAt, until) - state.stepPausedMs);
}

/** The time at which the current step will have run `ms` of active time, if it is not paused again. */
export function stepDeadline(state: StepPlanState, ms: number): string {
  return later(state.stepStartedAt, state.stepPausedMs + ms);
}
