/*
 * The runner's side of a plan: what it observes at a tick, the move the step machine decides, and a person's
 * command. Internal to the backend (never on the wire), so they are not in `api/`.
 */
import type { CanaryVerdict, SubsetMetrics } from '../api/metrics';
import type {
  StepPlanAnalysisResult,
  StepPlanPauseReason,
  StepPlanRouteVersion,
} from '../api/plans';

/** What the runner sees at a tick. @public */
export interface StepPlanObservation {
  now: string;
  /** The route as read; absent when the VirtualService or the route is gone. */
  route?: StepPlanRouteVersion;
  /** Who last changed the route, where the VirtualService's managedFields tell (e.g. `kubectl-patch`). */
  changedBy?: string;
  /**
   * The latest figures of the plan's canary and stable subsets, read over the analysis step's `windowSeconds`,
   * and when they were read; absent when there are none (no Prometheus, no series).
   */
  metrics?: {
    observedAt: string;
    canary: SubsetMetrics;
    stable: SubsetMetrics;
  };
}

/**
 * The next move of a plan, for the runner to carry out and then record with `applyStepPlanMove`:
 * - `setWeights`: write these weights of the canary and stable subsets (a guarded patch like the user's action;
 *   `promotion` when the canary gets everything, which needs `.traffic.promote`);
 * - `wait`: nothing to do before `until` (absent: until a person acts);
 * - `analyze`: record this measurement of the analysis step;
 * - `advance`: the current step is done;
 * - `pause`: pause the plan for this reason;
 * - `rollback`: send all of the route's traffic to the stable subset and end the plan;
 * - `done`: the plan has ended (mark it `completed` if it was not yet).
 * @public
 */
export type StepPlanMove =
  | {
      type: 'setWeights';
      weights: Record<string, number>;
      promotion: boolean;
    }
  | { type: 'wait'; until?: string; reason: string }
  | { type: 'analyze'; result: StepPlanAnalysisResult; verdict?: CanaryVerdict }
  | { type: 'advance' }
  | { type: 'pause'; reason: StepPlanPauseReason }
  | { type: 'rollback'; weights: Record<string, number>; reason: string }
  | { type: 'done' };

/**
 * A person's command: `next` (promote: the current step is done), `skipToEnd` (promote --full: straight to the
 * plan's final weight), `pause`, `resume`, `abort` (roll back and end). `resume` and `abort` carry the route as the
 * person saw it: they take it as the plan's own from then on (an abort without a route ends the plan: nothing is
 * left to roll back).
 * @public
 */
export type StepPlanCommand =
  | { type: 'next' }
  | { type: 'skipToEnd' }
  | { type: 'pause'; by?: string }
  | { type: 'resume'; route: StepPlanRouteVersion }
  | { type: 'abort'; by?: string; route?: StepPlanRouteVersion };
