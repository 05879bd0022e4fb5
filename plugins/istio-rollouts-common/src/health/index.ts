/**
 * Canary health: the verdict on a route's canary from its subsets' telemetry, decided here so that the tab
 * shows it and never recomputes it.
 */
export {
  DEFAULT_CANARY_THRESHOLDS,
  canaryPair,
  canaryVerdict,
  rolloutCanaryHealth,
} from './canaryVerdict';
export type { CanaryPair, CanaryRollout, RouteSubset } from './canaryVerdict';
