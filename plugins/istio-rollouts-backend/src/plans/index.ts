export { PlanService } from './PlanService';
export { PlanRunner, PLAN_STEP_EVENT_ID } from './PlanRunner';
export { PlanStore } from './PlanStore';
export { PlanActors } from './planActor';
export { readPlansConfig } from './plansConfig';
export type { PlansConfig } from './plansConfig';
export { withRoutePlans } from './routePlans';
export {
  schedulePlanRunner,
  PLAN_RUNNER_TASK_ID,
  PLAN_RUNNER_TASK_IDS,
} from './schedulePlanRunner';
