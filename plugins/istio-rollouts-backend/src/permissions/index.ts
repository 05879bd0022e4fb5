export { requirePermission } from './requirePermission';
export { authorizeRolloutActions, actionsForRollout } from './allowedActions';
