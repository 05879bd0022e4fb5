import type {
  StepPlan,
  StepPlanCommandName,
  StepPlanProgress,
  StepPlanState,
  StepPlanStatus,
} from '../api';
import { applyStepPlanCommand } from './commands';
import { decideStepPlanMove } from './decideMove';
import { finalCanaryWeight, isPromotionPlan } from './weights';

const STATUS_WORDS: Record<StepPlanStatus, string> = {
  running: '',
  paused: 'paused · ',
  aborting: 'aborting · ',
  completed: 'completed · ',
  rolledBack: 'rolled back · ',
  aborted: 'aborted · ',
};

const ENDED: StepPlanStatus[] = ['completed', 'rolledBack', 'aborted'];

/** Whether the plan has ended (completed, rolled back or aborted). @public */
export function isStepPlanEnded(state: Pick<StepPlanState, 'status'>): boolean {
  return ENDED.includes(state.status);
}

/**
 * Where the plan stands at `now`, as the card and the stepper show it: the current step of how many, the canary's
 * weight as the plan last wrote it, a label (`step 3/6 · 25 %`, `paused · step 2/6 · 10 %`, `completed · 100 %`),
 * and what it waits for, decided by the step machine on the route as the plan left it.
 * @public
 */
export function stepPlanProgress(
  plan: StepPlan,
  state: StepPlanState,
  now: string,
): StepPlanProgress {
  const steps = plan.steps.length;
  const step = Math.min(state.stepIndex + 1, steps);
  const canaryWeight = state.lastWrite.weights[plan.canarySubset] ?? 0;
  const where = isStepPlanEnded(state) ? '' : `step ${step}/${steps} · `;
  const label = `${STATUS_WORDS[state.status]}${where}${canaryWeight} %`;
  const progress: StepPlanProgress = { step, steps, canaryWeight, label };
  if (isStepPlanEnded(state)) return progress;
  if (state.pause) return { ...progress, next: { what: state.pause.message } };
  const move = decideStepPlanMove(plan, state, {
    now,
    route: {
      resourceVersion: state.lastWrite.resourceVersion,
      weights: state.lastWrite.weights,
    },
  });
  if (move.type !== 'wait') return progress;
  return {
    ...progress,
    next: { what: move.reason, ...(move.until && { at: move.until }) },
  };
}

const COMMANDS: StepPlanCommandName[] = [
  'next',
  'skipToEnd',
  'pause',
  'resume',
  'abort',
];

/**
 * The commands the plan's state allows now (the step machine's own refusals decide): e.g. no Next step while a
 * weight is being written, Resume only while paused, nothing once the plan has ended. Permissions are the caller's
 * to add.
 * @public
 */
export function stepPlanCommandsAllowed(
  plan: StepPlan,
  state: StepPlanState,
  now: string,
): StepPlanCommandName[] {
  const route = {
    resourceVersion: state.lastWrite.resourceVersion,
    weights: state.lastWrite.weights,
  };
  return COMMANDS.filter(type => {
    try {
      applyStepPlanCommand(
        plan,
        state,
        type === 'resume' || type === 'abort' ? { type, route } : { type },
        now,
      );
      return true;
    } catch {
      return false;
    }
  });
}

function stepWords(plan: StepPlan): string {
  const weights = plan.steps.flatMap(s =>
    'setWeight' in s ? [s.setWeight] : [],
  );
  const analyses = plan.steps.filter(s => 'analysis' in s).length;
  const pauses = plan.steps.filter(s => 'pause' in s);
  const waits = pauses.filter(s => 'pause' in s && !s.pause.durationSeconds);
  const parts = [`weights ${weights.join(' → ') || 'none'}`];
  if (analyses)
    parts.push(`${analyses} ${analyses === 1 ? 'analysis' : 'analyses'}`);
  const timed = pauses.length - waits.length;
  if (timed) parts.push(`${timed} timed ${timed === 1 ? 'pause' : 'pauses'}`);
  if (waits.length) {
    parts.push(
      `${waits.length} ${waits.length === 1 ? 'wait' : 'waits'} for a person`,
    );
  }
  return parts.join(', ');
}

/**
 * The plan in one sentence, for the preview and the history, e.g.
 * `Plan "10-25-50-100" on reviews-route: v1 → v2 in 7 steps (weights 10 → 25 → 50 → 100, 3 analyses); ends with
 * v2 at 100 % (a promotion); on a failed analysis: roll back to v1.`
 * @public
 */
export function describeStepPlan(plan: StepPlan, routeName?: string): string {
  const final = finalCanaryWeight(plan.steps);
  const name = plan.template ? `Plan "${plan.template}"` : 'Plan';
  const route =
    routeName ?? plan.route.name ?? `${plan.route.kind}[${plan.route.index}]`;
  const count = plan.steps.length;
  const ends = isPromotionPlan(plan)
    ? `ends with ${plan.canarySubset} at 100 % (a promotion)`
    : `ends with ${plan.canarySubset} at ${final} %`;
  const onFailure =
    plan.onFailure === 'rollback'
      ? `roll back to ${plan.stableSubset}`
      : 'pause for a person';
  return `${name} on ${route}: ${plan.stableSubset} → ${
    plan.canarySubset
  } in ${count} ${count === 1 ? 'step' : 'steps'} (${stepWords(
    plan,
  )}); ${ends}; on a failed analysis: ${onFailure}.`;
}
