/**
 * The action planner: pure functions that turn an action on a route of a VirtualService into minimal, guarded
 * JSON Patches, or refuse it naming the field and the reason.
 */

export { applyObjectPatch, planAction } from './planAction';
export { ActionValidationError } from './ActionValidationError';
export {
  headerRoutePairs,
  offeredActions,
  rollbackOfferOn,
  routeOffers,
} from './offers';
export type { OfferOptions, RouteOfferInput } from './offers';
export { promoteTarget, rollbackTarget } from './targets';
export type { RollbackTarget } from './targets';
export { parseActionRequest, parseRouteRef } from './parseActionRequest';
export type { ActionKubeObject, ActionPlan, PlanInput } from './types';
