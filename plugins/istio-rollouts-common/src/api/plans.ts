/*
 * Step plans (issue 15): an ordered list of steps that moves one route's traffic from its stable subset to a canary,
 * pausing and judging the canary on the way, and the plan's state as the runner keeps it. Not served by any endpoint
 * yet, so they are neither in `openapi.yaml` nor in `api/index.ts` (whose every type the backend's wireTypes test
 * holds to a schema); the package index exports them. Times are ISO 8601 strings, durations in the unit their name
 * says.
 */
import type { CanaryThresholds, CanaryVerdict, SubsetMetrics } from './metrics';
import type { RouteRef } from './rollouts';

/** The canary's share of the route, 0–100; the stable subset takes the rest. @public */
export interface SetWeightStep {
  setWeight: number;
}

/** Wait `durationSeconds`, or, without it, until a person resumes the plan (or presses Next step). @public */
export interface PauseStep {
  pause: { durationSeconds?: number };
}

/**
 * The canary checks of an analysis step: the canary verdict's thresholds (`minSuccessRate`, `maxLatencyP99Ms`,
 * `minRequests`, judged over `windowSeconds`), measured every `intervalSeconds`. The step passes after `count`
 * healthy measurements and fails after `failureLimit` failing ones; `failureLimit` measurements without enough
 * traffic (or without metrics) pause the plan, since they say nothing against the canary.
 * @public
 */
export interface StepPlanAnalysis extends CanaryThresholds {
  windowSeconds: number;
  intervalSeconds: number;
  count: number;
  failureLimit: number;
}

/** Judge the canary; see {@link StepPlanAnalysis}. @public */
export interface AnalysisStep {
  analysis: StepPlanAnalysis;
}

/** One step of a plan: exactly one of `setWeight`, `pause`, `analysis`. @public */
export type PlanStep = SetWeightStep | PauseStep | AnalysisStep;

/** What a failed analysis does: roll the route back to its stable subset, or pause the plan for a person. @public */
export type StepPlanOnFailure = 'rollback' | 'pause';

/** The steps of a plan and what a failed analysis does, as a template or a custom plan gives them. @public */
export interface StepPlanSteps {
  steps: PlanStep[];
  onFailure: StepPlanOnFailure;
}

/** A plan from config (`istioRollouts.plans.templates`), e.g. `10-25-50-100 every 5 min with analysis`. @public */
export interface StepPlanTemplate extends StepPlanSteps {
  name: string;
  description?: string;
}

/** A plan attached to one route of one rollout, with the two subsets it moves traffic between. @public */
export interface StepPlan extends StepPlanSteps {
  /** `<cluster>/<namespace>/<name>` of the VirtualService, as in the read model. */
  rolloutId: string;
  route: RouteRef;
  /** Where a roll back sends the traffic; takes `100 - setWeight`. */
  stableSubset: string;
  /** The subset the plan promotes; takes `setWeight`. */
  canarySubset: string;
  /** The template the steps came from, if any. */
  template?: string;
}

/** One measurement of an analysis step. @public */
export interface StepPlanAnalysisResult {
  /** The index of the analysis step. */
  step: number;
  at: string;
  /** `inconclusive`: not enough traffic, or no fresh metrics of the plan's subsets. */
  status: 'healthy' | 'failing' | 'inconclusive';
  /** The verdict in words, e.g. `failing: 5 % errors vs 0.2 %`, `no metrics for the route`. */
  summary: string;
}

/**
 * Why a plan is paused. `step`: a `pause: {}` step waits for a person; `manual`: a person paused it;
 * `analysisFailed` (with `onFailure: pause`) and `analysisInconclusive`: an analysis step; `changedOutside`: the
 * route's resourceVersion or weights are not what the plan last wrote (someone else changed it, and the plan never
 * fights that); `routeMissing`: the VirtualService or the route is gone.
 * @public
 */
export type StepPlanPauseKind =
  | 'step'
  | 'manual'
  | 'analysisFailed'
  | 'analysisInconclusive'
  | 'changedOutside'
  | 'routeMissing';

/** A pause's reason, with a message for people (a finding, the history). @public */
export interface StepPlanPauseReason {
  kind: StepPlanPauseKind;
  message: string;
  /** Who paused it (`manual`). */
  by?: string;
}

/** The route as the plan last wrote it (or found it when it started): what an outside change is told by. @public */
export interface StepPlanRouteVersion {
  /** The VirtualService's resourceVersion after the plugin's write. */
  resourceVersion: string;
  /** Every destination of the route (by subset) → weight. */
  weights: Record<string, number>;
}

/**
 * Where a plan stands: `running`; `paused` (see `pause`); `aborting` (a person aborted it, the roll back is not
 * written yet); and the ends `completed`, `rolledBack` (after a failed analysis), `aborted`.
 * @public
 */
export type StepPlanStatus =
  | 'running'
  | 'paused'
  | 'aborting'
  | 'completed'
  | 'rolledBack'
  | 'aborted';

/** The state of a plan: what the runner stores between ticks. @public */
export interface StepPlanState {
  status: StepPlanStatus;
  startedAt: string;
  /** The current step; `steps.length` once every step is done (the final weight may still need writing). */
  stepIndex: number;
  stepStartedAt: string;
  /** Time spent paused during the current step, which does not count toward its duration. */
  stepPausedMs: number;
  /** Time spent paused since the plan started. */
  pausedMs: number;
  /** Present while `status` is `paused`. */
  pause?: StepPlanPauseReason & { since: string };
  /** Every measurement so far, oldest first. */
  analyses: StepPlanAnalysisResult[];
  lastWrite: StepPlanRouteVersion & { at: string };
  /** Present once `status` is `aborting` or `aborted`. */
  abort?: { by?: string; at: string };
  /** Present once the plan has ended. */
  end?: { at: string; reason: string };
}

/** What the runner sees at a tick. @public */
export interface StepPlanObservation {
  now: string;
  /** The route as read; absent when the VirtualService or the route is gone. */
  route?: StepPlanRouteVersion;
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
