/**
 * Step plans (issue 15), the pure layer: the plan and its templates read and validated, and the step machine
 * that decides each move of a plan from its state and what the runner observed. The runner, storage, actions
 * and UI build on it.
 */
export { STEP_PLAN_LIMITS, DEFAULT_STEP_PLAN_ANALYSIS } from './limits';
export { parseStepPlanSteps } from './parseSteps';
export type { StepPlanDefaults } from './parseSteps';
export { parseStepPlan, parseStepPlanTemplates } from './parseStepPlan';
export { finalCanaryWeight, isPromotionPlan } from './weights';
export { startStepPlanState } from './startState';
export { decideStepPlanMove } from './decideMove';
export { applyStepPlanMove } from './applyMove';
export type { StepPlanMoveOutcome } from './applyMove';
export { applyStepPlanCommand } from './commands';
export type {
  StepPlanCommand,
  StepPlanMove,
  StepPlanObservation,
} from './types';
export {
  describeStepPlan,
  isStepPlanEnded,
  stepPlanCommandsAllowed,
  stepPlanProgress,
} from './progress';
export { stepPlanOffer } from './offer';
