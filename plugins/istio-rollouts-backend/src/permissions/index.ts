export { requirePermission } from './requirePermission';
export {
  authorizeRolloutActions,
  actionsForRollout,
  permissionForAction,
} from './allowedActions';
