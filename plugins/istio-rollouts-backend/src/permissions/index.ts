export { requirePermission } from './requirePermission';
export {
  authorizeRolloutActions,
  actionsForRollout,
  readOnlyOf,
} from './allowedActions';
export {
  AllowedActionsCache,
  DEFAULT_ALLOWED_ACTIONS_TTL_MS,
} from './AllowedActionsCache';
export { loadAuthorizedEntity } from './loadAuthorizedEntity';
