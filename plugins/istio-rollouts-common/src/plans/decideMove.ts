import { personName } from '../personName';
import type { StepPlan, StepPlanAnalysis, StepPlanState } from '../api/plans';
import type { StepPlanMove, StepPlanObservation } from './types';
import { measure, tally } from './analysis';
import { activeStepMs, stepDeadline } from './clock';
import { outsideChange } from './outsideChange';
import { finalCanaryWeight, planWeights, sameWeights } from './weights';

const ENDED = ['completed', 'rolledBack', 'aborted'];

function setWeights(plan: StepPlan, canary: number): StepPlanMove {
  return {
    type: 'setWeights',
    weights: planWeights(plan, canary),
    promotion: canary === 100,
  };
}

function rollback(plan: StepPlan, reason: string): StepPlanMove {
  return { type: 'rollback', weights: planWeights(plan, 0), reason };
}

function analysisMove(
  plan: StepPlan,
  analysis: StepPlanAnalysis,
  state: StepPlanState,
  observation: StepPlanObservation,
): StepPlanMove {
  const { healthy, failing, inconclusive, last } = tally(state);
  const taken = healthy + failing + inconclusive;
  const step = `analysis (step ${state.stepIndex + 1})`;
  if (failing >= analysis.failureLimit) {
    const reason = `${step} failed ${failing} times (limit ${analysis.failureLimit}); last: ${last?.summary}`;
    return plan.onFailure === 'rollback'
      ? rollback(plan, reason)
      : { type: 'pause', reason: { kind: 'analysisFailed', message: reason } };
  }
  // Without enough traffic nothing speaks against the canary: a person decides, never an automatic roll back.
  if (inconclusive >= analysis.failureLimit) {
    return {
      type: 'pause',
      reason: {
        kind: 'analysisInconclusive',
        message: `${step} could not judge the canary ${inconclusive} times (limit ${analysis.failureLimit}); last: ${last?.summary}`,
      },
    };
  }
  if (healthy >= analysis.count) return { type: 'advance' };
  // Measurement n is due after n intervals of active time, so every measurement sees a fresh window.
  const dueMs = (taken + 1) * analysis.intervalSeconds * 1000;
  if (activeStepMs(state, observation.now) < dueMs) {
    return {
      type: 'wait',
      until: stepDeadline(state, dueMs),
      reason: `${step}: measurement ${taken + 1}`,
    };
  }
  return { type: 'analyze', ...measure(plan, analysis, state, observation) };
}

/**
 * The plan's next move at this tick, from the plan, its state and what the runner observed. Pure and deterministic:
 * the same inputs give the same move, so any replica may decide it. In order: an ended plan is `done`; a paused one
 * waits for a person; a route that is not as the plan left it pauses the plan; an aborted one rolls back; past the
 * last step the route gets the final weight (after Skip to end), then `done`; otherwise the current step decides.
 * @public
 */
export function decideStepPlanMove(
  plan: StepPlan,
  state: StepPlanState,
  observation: StepPlanObservation,
): StepPlanMove {
  if (ENDED.includes(state.status)) return { type: 'done' };
  if (state.status === 'paused') {
    return {
      type: 'wait',
      reason: `paused: ${state.pause?.message ?? 'waiting for a person'}`,
    };
  }
  const changed = outsideChange(state, observation);
  if (changed) return { type: 'pause', reason: changed };
  if (state.status === 'aborting') {
    return rollback(
      plan,
      `aborted${state.abort?.by ? ` by ${personName(state.abort.by)}` : ''}`,
    );
  }
  const step = plan.steps[state.stepIndex];
  if (!step) {
    const final = finalCanaryWeight(plan.steps);
    return sameWeights(state.lastWrite.weights, {
      ...state.lastWrite.weights,
      ...planWeights(plan, final),
    })
      ? { type: 'done' }
      : setWeights(plan, final);
  }
  if ('setWeight' in step) {
    const target = planWeights(plan, step.setWeight);
    const already = sameWeights(state.lastWrite.weights, {
      ...state.lastWrite.weights,
      ...target,
    });
    return already ? { type: 'advance' } : setWeights(plan, step.setWeight);
  }
  if ('pause' in step) {
    const seconds = step.pause.durationSeconds;
    if (seconds === undefined) {
      return {
        type: 'pause',
        reason: {
          kind: 'step',
          message: `step ${
            state.stepIndex + 1
          } waits for a person: Resume or Next step`,
        },
      };
    }
    const ms = seconds * 1000;
    return activeStepMs(state, observation.now) >= ms
      ? { type: 'advance' }
      : {
          type: 'wait',
          until: stepDeadline(state, ms),
          reason: `pause of ${seconds} s (step ${state.stepIndex + 1})`,
        };
  }
  return analysisMove(plan, step.analysis, state, observation);
}
