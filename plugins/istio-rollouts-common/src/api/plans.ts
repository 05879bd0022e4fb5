/*
 * Step plans: an ordered list of steps that moves one route's traffic from its stable subset to a canary, pausing
 * and judging the canary on the way, the plan's state as the runner keeps it, and the requests and answers of
 * `…/rollouts/plans`. Times are ISO 8601 strings, durations in the unit their name says.
 */
import type { CanaryThresholds } from './metrics';
import type { RouteRef, StepPlanStatus } from './rollouts';

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

/**
 * An analysis step as a request gives it: fields left out take the operator's canary analysis (thresholds, window)
 * or the plan defaults.
 * @public
 */
export type StepPlanAnalysisInput = Partial<StepPlanAnalysis>;

/** A step as a request gives it (`analysis` fields may be left out). @public */
export type PlanStepInput =
  | SetWeightStep
  | PauseStep
  | { analysis: StepPlanAnalysisInput };

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
 * fights that); `routeMissing`: the VirtualService or the route is gone; `permission`: the user the plan acts as may no longer make
 * its next change (or, their sign-in expired, cannot be asked before a promotion): someone allowed resumes it.
 * @public
 */
export type StepPlanPauseKind =
  | 'step'
  | 'manual'
  | 'analysisFailed'
  | 'analysisInconclusive'
  | 'changedOutside'
  | 'routeMissing'
  | 'permission';

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

/** A person's command to a running plan; see `POST …/rollouts/plans/:planId/commands`. @public */
export type StepPlanCommandName =
  | 'next'
  | 'skipToEnd'
  | 'pause'
  | 'resume'
  | 'abort';

/**
 * Body of `POST /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/plans`: attach a plan to one route
 * of one VirtualService and start it, with either `template` (a name from `istioRollouts.plans.templates`) or its
 * own `steps` and `onFailure`.
 * @public
 */
export interface StartPlanRequest {
  /** `<cluster>/<namespace>/<name>` of the VirtualService, as in the read model. */
  rolloutId: string;
  /** The VirtualService's resourceVersion the person saw; refused with 409 when it changed since. */
  resourceVersion: string;
  route: RouteRef;
  stableSubset: string;
  canarySubset: string;
  template?: string;
  steps?: PlanStepInput[];
  onFailure?: StepPlanOnFailure;
  /** Why, in the person's words; kept with the plan. */
  reason?: string;
  /** Validate and describe only; start nothing. */
  dryRun?: boolean;
}

/** Body of `POST …/rollouts/plans/:planId/commands`. @public */
export interface PlanCommandRequest {
  command: StepPlanCommandName;
  /**
   * `resume` and `abort`: the VirtualService's resourceVersion the person saw. The plan takes the route as it is at
   * that version for its own from then on (refused with 409 when it changed since).
   */
  resourceVersion?: string;
  reason?: string;
}

/** Where a plan stands, as the card and the stepper show it; decided by the server. @public */
export interface StepPlanProgress {
  /** The current step, from 1; `steps` once every step is done. */
  step: number;
  steps: number;
  /** The canary's weight as the plan last wrote (or found) it. */
  canaryWeight: number;
  /** For a chip: `step 3/6 · 25 %`, `paused · step 2/6 · 10 %`, `completed · 100 %`, `rolled back · 0 %`. */
  label: string;
  /** What the plan waits for now, and until when (absent: until a person acts), e.g. `pause of 300 s (step 2)`. */
  next?: { what: string; at?: string };
}

/** What happened to a plan, for its own history. @public */
export type StepPlanEventKind =
  | 'started'
  | 'weightsWritten'
  | 'analysis'
  | 'stepDone'
  | 'paused'
  | 'resumed'
  | 'command'
  | 'rolledBack'
  | 'aborted'
  | 'completed';

/** One entry of a plan's own history, newest last. @public */
export interface StepPlanEvent {
  at: string;
  kind: StepPlanEventKind;
  /** In words, e.g. `step 2/6: weights v1 90→75, v2 10→25`. */
  message: string;
  /** The person, for a command; absent for the runner's own moves. */
  actor?: string;
  /** The step it concerns, from 0. */
  step?: number;
  /** The history event of the route change it made, if it made one. */
  historyId?: string;
}

/** A plan as the API serves it. @public */
export interface StepPlanRecord {
  /** Increasing number, as digits (`12`); people read it as "plan #12". */
  id: string;
  entityRef: string;
  plan: StepPlan;
  state: StepPlanState;
  /** The user who started the plan. */
  startedBy: string;
  /**
   * The user the plan acts as: who started it, or who last resumed it or stepped it on. Its permissions are asked
   * again before a step that promotes.
   */
  actor: string;
  createdAt: string;
  updatedAt: string;
  progress: StepPlanProgress;
  events: StepPlanEvent[];
  /** The commands the caller may give now: what the plan's state allows and the caller's permissions grant. */
  commands: StepPlanCommandName[];
}

/** Answer of `GET …/rollouts/plans`: the templates, and the entity's plans (running first, then newest). @public */
export interface PlansResponse {
  templates: StepPlanTemplate[];
  plans: StepPlanRecord[];
  /** Whether the caller may start a plan on this entity (`.traffic.update`). */
  canStart: boolean;
  /** Whether the caller may also start a plan that ends at 100 % and step one on to it (`.traffic.promote`). */
  canPromote: boolean;
}

/** Answer of starting a plan. @public */
export interface StartPlanResponse {
  dryRun: boolean;
  /** In words: the route, the subsets, the weights and checks, and where it ends. */
  summary: string;
  /** The plan as it would run (dry run) or runs. */
  plan: StepPlan;
  /** After a start: the plan as stored. */
  record?: StepPlanRecord;
  /** Set when a GitOps tool tracks the VirtualService. */
  warning?: string;
}

/** Answer of a command: the plan after it. @public */
export interface PlanCommandResponse {
  summary: string;
  record: StepPlanRecord;
}
