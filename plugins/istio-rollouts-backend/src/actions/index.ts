export { RolloutActionsService } from './RolloutActionsService';
export type { UserCredentials } from './RolloutActionsService';
export { RolloutWriter } from './RolloutWriter';
export {
  auditRefusedAttempt,
  auditRolloutAction,
  ROLLOUT_ACTION_EVENT_ID,
} from './auditRolloutAction';
