/**
 * The action planner: pure functions that turn an action on a route of a VirtualService into minimal, guarded
 * JSON Patches, or refuse it naming the field and the reason.
 */

export { applyObjectPatch, planAction } from './planAction';
export { ActionValidationError } from './ActionValidationError';
export type {
  ActionKubeObject,
  ActionPlan,
  ActionRequest,
  ActionRouteRef,
  ObjectPatch,
  PlannedRouteChange,
} from './types';
