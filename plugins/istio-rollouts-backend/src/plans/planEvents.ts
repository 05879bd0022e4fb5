import type {
  StepPlan,
  StepPlanMove,
  StepPlanState,
} from '@internal/plugin-istio-rollouts-common';
import type { NewPlanEvent } from './PlanStore';

/** `step 2/6`: a step as people count them. */
export function stepWords(plan: StepPlan, index: number): string {
  return `step ${Math.min(index + 1, plan.steps.length)}/${plan.steps.length}`;
}

/** The step a weight is written for: `step 4/6`, or `final weight` after Skip to end. */
export function writeWords(plan: StepPlan, state: StepPlanState): string {
  return state.stepIndex < plan.steps.length
    ? stepWords(plan, state.stepIndex)
    : 'final weight';
}

/** What a move the runner carried out says in the plan's own history (a wait says nothing). */
export function eventsOfMove(
  plan: StepPlan,
  before: StepPlanState,
  move: StepPlanMove,
  written?: { summary: string; historyId?: string },
): NewPlanEvent[] {
  const step = before.stepIndex;
  const where = stepWords(plan, step);
  switch (move.type) {
    case 'setWeights':
      return [
        {
          kind: 'weightsWritten',
          message: `${step < plan.steps.length ? where : 'final weight'}: ${
            written?.summary ?? 'weights written'
          }`,
          step,
          ...(written?.historyId && { historyId: written.historyId }),
        },
      ];
    case 'analyze':
      return [
        {
          kind: 'analysis',
          message: `${where} analysis: ${
            move.result.summary === move.result.status
              ? move.result.status
              : `${move.result.status} (${move.result.summary})`
          }`,
          step,
        },
      ];
    case 'advance':
      return [{ kind: 'stepDone', message: `${where} done`, step }];
    case 'pause':
      return [{ kind: 'paused', message: move.reason.message, step }];
    case 'rollback':
      return [
        {
          kind: before.status === 'aborting' ? 'aborted' : 'rolledBack',
          message: `Rolled back to ${plan.stableSubset}: ${move.reason}${
            written ? ` (${written.summary})` : ''
          }`,
          step,
          ...(written?.historyId && { historyId: written.historyId }),
        },
      ];
    case 'done':
      return [{ kind: 'completed', message: 'Every step done', step }];
    default:
      return [];
  }
}
