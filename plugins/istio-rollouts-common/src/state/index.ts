/**
 * The state model: what each route is doing (phase, stable and candidate, retired destinations) and what would
 * sensibly come next, computed once here and served in the read model, so no client recomputes it.
 */
export { destinationKey, sharesOf } from './shares';
export type { Share } from './shares';
export { destinationRoles } from './destinationRoles';
export type { DestinationRoles, KeyedWeight } from './destinationRoles';
export { readRoutePhase } from './routePhase';
export type {
  HeaderPairRole,
  PhaseRoute,
  RoutePhaseReading,
} from './routePhase';
export { phaseWords } from './phaseWords';
export { nextActions } from './nextActions';
export { routeState } from './routeState';
export { rolloutState } from './rolloutState';
